/*
 * Cases: libos-native's IPC channels between two envs — call/reply, and
 * rings of 64-byte and 4 KiB messages, with both sides blocking.
 */
#include "nt.h"

#define MAX_WORDS (4096 / 8)

struct peer {
	struct exo_spawn sp;
	exo_cap_t ep;			    /* ENV capability for the peer */
	struct nat_ring *to, *back;	    /* rings to and from the peer */
	uint64_t to_cap, back_cap, root_ep; /* slots in the peer */
};

static uint64_t msg[MAX_WORDS];

/* Load peer (not started) and a capability to call and notify it. */
static int
peer_load(struct peer *p)
{
	struct exo_cpio_file f;
	long r = exo_bootfs_find("peer", &f), mine;

	*p = (struct peer){ .to_cap = 0 };
	if (r < 0)
		return (int)r;
	exo_wait(EXO_NOTIFY_CHILD, 0);
	r = exo_spawn_load(f.data, f.size, 256, 0, &p->sp);
	if (r < 0)
		return (int)r;
	r = exo_cap_env(p->sp.env,
			EXO_RIGHT_CALL | EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT);
	if (r < 0)
		return (int)r;
	p->ep = (exo_cap_t)r;
	/* The peer's way to wake us. */
	mine = exo_cap_env(EXO_ENVID_SELF, EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT);
	if (mine < 0)
		return (int)mine;
	r = exo_cap_grant((exo_cap_t)mine, p->sp.env, EXO_RIGHT_NOTIFY);
	exo_cap_drop((exo_cap_t)mine);
	p->root_ep = (uint64_t)r;
	return r < 0 ? (int)r : 0;
}

static int
peer_rings(struct peer *p, size_t msg_size, size_t slots, int to)
{
	struct nat_ring_desc d;

	if (to) {
		p->to = nat_ring_create(p->sp.env, p->ep, msg_size, slots, &d);
		if (!p->to)
			return -EXO_ENOMEM;
		p->to_cap = d.pages_cap;
		if (d.msg_size != msg_size || d.pages < 2)
			return -EXO_EINVAL;
	}
	p->back = nat_ring_create(p->sp.env, p->ep, msg_size, slots, &d);
	if (!p->back)
		return -EXO_ENOMEM;
	p->back_cap = d.pages_cap;
	return 0;
}

static int
peer_start(struct peer *p, enum nt_role role, uint64_t n)
{
	return (int)exo_env_start(
		p->sp.env, p->sp.entry, p->sp.sp,
		NT_ARG(role, p->to_cap, p->back_cap, p->root_ep, n));
}

static int
peer_end(struct peer *p)
{
	long r = exo_env_destroy(p->sp.env);

	exo_wait(EXO_NOTIFY_CHILD, 0);
	exo_cap_drop(p->ep);
	return (int)r;
}

UTEST(call_reply)
{
	struct peer p;

	UT_OK(nat_init());
	UT_OK(peer_load(&p));
	UT_OK(peer_start(&p, NT_SERVE, 0));
	for (uint64_t i = 0; i < 100; i++) {
		struct exo_msg m = { { i * 3, 0, 0, 0 } };
		UT_OK(nat_call(p.ep, &m));
		UT_ASSERT_EQ(m.w[0], i * 3 + 1);
	}
	UT_OK(peer_end(&p));
	/* A dead server fails the call instead of hanging it. */
	{
		struct exo_msg m = { { 0 } };
		UT_ASSERT(nat_call(p.ep, &m) < 0);
	}
}

/* Send n numbered messages to a sink and check its report. */
static void
stream_to_sink(size_t msg_size, size_t slots, uint64_t n, enum nt_role role)
{
	size_t words = msg_size / 8;
	struct peer p;

	UT_OK(nat_init());
	UT_OK(peer_load(&p));
	UT_OK(peer_rings(&p, msg_size, slots, 1));
	UT_ASSERT_EQ(nat_ring_msg_size(p.to), msg_size);
	UT_OK(peer_start(&p, role, 0));
	for (uint64_t i = 0; i < n; i++) {
		nt_fill(msg, words, i);
		UT_OK(nat_ring_send(p.to, msg));
	}
	msg[0] = NT_STOP;
	UT_OK(nat_ring_send(p.to, msg));
	UT_OK(nat_ring_recv(p.back, msg));
	UT_ASSERT_EQ(msg[0], n);
	UT_ASSERT_EQ(msg[1], 1);
	UT_OK(peer_end(&p));
}

UTEST(ring_64)
{
	stream_to_sink(64, 16, 5000, NT_SINK);
}

UTEST(ring_4k)
{
	stream_to_sink(4096, 8, 500, NT_SINK);
}

/* A two-slot ring to a consumer that sleeps: the producer blocks on a
 * full ring again and again, the consumer on an empty one. */
UTEST(ring_block_send)
{
	uint64_t waits = exo_info()->counters.notifications;

	stream_to_sink(64, 2, 200, NT_SINK_SLOW);
	UT_ASSERT(exo_info()->counters.notifications > waits);
}

/* Receive from a producer in the other env while another thread of ours
 * runs: the receiver blocks, the other thread does not. */
static void
busy(void *arg)
{
	volatile uint64_t *stop = arg;

	while (!stop[0]) {
		stop[1]++;
		nat_thread_yield();
	}
}

static void
receive_from_source(size_t msg_size, uint64_t n)
{
	static volatile uint64_t ctl[2];
	size_t words = msg_size / 8;
	nat_thread_t *t;
	struct peer p;

	UT_OK(nat_init());
	UT_OK(peer_load(&p));
	UT_OK(peer_rings(&p, msg_size, 4, 0));
	ctl[0] = ctl[1] = 0;
	t = nat_thread_create(busy, (void *)ctl);
	UT_ASSERT(t);
	UT_OK(peer_start(&p, NT_SOURCE, n));
	for (uint64_t i = 0; i < n; i++) {
		UT_OK(nat_ring_recv(p.back, msg));
		UT_ASSERT(nt_check(msg, words, i));
	}
	ctl[0] = 1;
	nat_thread_join(t);
	UT_ASSERT(ctl[1] > 0);
	UT_OK(peer_end(&p));
}

UTEST(ring_recv_64)
{
	receive_from_source(64, 3000);
}

UTEST(ring_recv_4k)
{
	receive_from_source(4096, 300);
}
