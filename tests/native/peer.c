/*
 * peer: the other env of libos-native's channel cases (nt.h names the
 * roles).  It attaches to the rings the test root created for it and
 * reports what it received on the way back.
 */
#include "nt.h"

#define MAX_WORDS (4096 / 8)

static uint64_t msg[MAX_WORDS];

static struct nat_ring *
attach(uint64_t cap, exo_cap_t ep)
{
	struct nat_ring_desc d = { .pages_cap = cap };
	struct nat_ring *r = nat_ring_attach(&d, ep);

	if (!r)
		exo_panic("peer: cannot attach ring (capability %lu)",
			  (unsigned long)cap);
	return r;
}

/* Receive until NT_STOP; answer the count and whether every message was
 * the one expected. */
static void
sink(uint64_t arg, int slow)
{
	struct nat_ring *to = attach(NT_TO(arg), NT_EP(arg));
	struct nat_ring *back = attach(NT_BACK(arg), NT_EP(arg));
	size_t words = nat_ring_msg_size(to) / 8;
	uint64_t n = 0, good = 1;

	for (;;) {
		nat_ring_recv(to, msg);
		if (msg[0] == NT_STOP)
			break;
		good &= (uint64_t)nt_check(msg, words, n);
		n++;
		if (slow && n % 8 == 0)
			nat_sleep_ns(1000000);
	}
	msg[0] = n;
	msg[1] = good;
	nat_ring_send(back, msg);
}

static void
source(uint64_t arg)
{
	struct nat_ring *back = attach(NT_BACK(arg), NT_EP(arg));
	size_t words = nat_ring_msg_size(back) / 8;

	for (uint64_t i = 0; i < NT_N(arg); i++) {
		nt_fill(msg, words, i);
		nat_ring_send(back, msg);
	}
}

static int
add_one(exo_envid_t from, struct exo_msg *m, void *ctx)
{
	m->w[0]++;
	return 0;
}

int
main(uint64_t arg)
{
	int r = nat_init();

	if (r < 0)
		exo_panic("peer: nat_init: %s", exo_strerror(r));
	switch (NT_ROLE(arg)) {
	case NT_SINK:
	case NT_SINK_SLOW:
		sink(arg, NT_ROLE(arg) == NT_SINK_SLOW);
		break;
	case NT_SOURCE:
		source(arg);
		break;
	case NT_SERVE:
		r = nat_serve(add_one, NULL);
		exo_panic("peer: nat_serve: %s", exo_strerror(r));
	default:
		exo_panic("peer: unknown role %lu",
			  (unsigned long)NT_ROLE(arg));
	}
	/* Stay until the root has read the reply and destroys us. */
	for (;;)
		nat_sleep_ns(1000000000ull);
}
