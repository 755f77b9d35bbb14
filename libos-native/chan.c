/*
 * IPC channels: call/reply over the kernel's synchronous IPC, and
 * single-producer single-consumer rings in shared pages.
 *
 * A ring is one header page and the message slots after it.  Each side
 * writes only its own index (the producer tail, the consumer head) and
 * keeps its own copy of the geometry, so a peer that scribbles on the
 * shared pages can garble messages but never make this side step out of
 * them.  A side that finds the ring full (empty) announces that it sleeps
 * and on which of its notification bits, checks again, and waits; the
 * other side notifies only when it sees the announcement, so while both
 * keep up nobody enters the kernel.
 */
#include <exo/string.h>
#include "nat.h"

#define RING_MAGIC 0x474e4952u /* "RING" */
#define RING_MAX_BYTES (1ull << 30)

struct ring_hdr {
	uint32_t magic;
	uint32_t pad0;
	uint64_t msg_size, slots;
	uint8_t pad1[40];
	/* The producer's line. */
	uint64_t tail;
	uint32_t tx_waiting, tx_bit; /* the producer sleeps on a full ring */
	uint8_t pad2[48];
	/* The consumer's line. */
	uint64_t head;
	uint32_t rx_waiting, rx_bit; /* the consumer sleeps on an empty ring */
};

struct nat_ring {
	struct ring_hdr *h;
	uint8_t *data;
	uint64_t msg_size, slots;
	uint64_t next; /* our own index: tail when sending, head receiving */
	exo_cap_t peer_ep;
	int bit;
};

int
nat_call(exo_cap_t ep, struct exo_msg *m)
{
	return (int)exo_ipc_call(ep, m);
}

int
nat_serve(nat_serve_fn *fn, void *ctx)
{
	struct exo_msg m = { { 0 } };
	exo_envid_t from = 0;

	for (;;) {
		long r = exo_ipc_reply_wait(from, &m);

		if (r < 0)
			return (int)r;
		from = (exo_envid_t)r;
		r = fn(from, &m, ctx);
		if (r < 0)
			return (int)r;
	}
}

static uint64_t
ring_pages(uint64_t msg_size, uint64_t slots)
{
	return 1 + (msg_size * slots + NAT_PAGE - 1) / NAT_PAGE;
}

static bool
geometry_ok(uint64_t msg_size, uint64_t slots)
{
	return msg_size && slots && !(slots & (slots - 1)) &&
	       slots <= RING_MAX_BYTES && msg_size <= RING_MAX_BYTES / slots;
}

/* Unmap the n pages from va. */
static void
unmap_run(uint64_t va, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = va + i * NAT_PAGE;
		exo_unmap(EXO_ENVID_SELF, &v, 1);
	}
}

/* Map frames [pa, + n pages) at fresh addresses: the address, or 0 with
 * nothing mapped. */
static uint64_t
map_run(uint64_t pa, uint64_t n)
{
	uint64_t va = nat__va_alloc(n);

	for (uint64_t i = 0; va && i < n; i++) {
		struct exo_mapping m = { va + i * NAT_PAGE, pa + i * NAT_PAGE,
					 EXO_PERM_R | EXO_PERM_W };
		if (exo_map(EXO_ENVID_SELF, &m, 1) != 1) {
			unmap_run(va, i);
			return 0;
		}
	}
	return va;
}

static struct nat_ring *
ring_new(uint64_t va, uint64_t msg_size, uint64_t slots, exo_cap_t ep)
{
	struct nat_ring *r = nat_calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->bit = nat_bit_alloc();
	if (r->bit < 0) {
		nat_free(r);
		return NULL;
	}
	r->h = (struct ring_hdr *)(uintptr_t)va;
	r->data = (uint8_t *)(uintptr_t)(va + NAT_PAGE);
	r->msg_size = msg_size;
	r->slots = slots;
	r->peer_ep = ep;
	return r;
}

static void
ring_free(struct nat_ring *r)
{
	nat_bit_free(r->bit);
	nat_free(r);
}

/* Grant frames [pa, + n pages) to peer: its capability slot, or an
 * error. */
static long
grant_run(uint64_t pa, uint64_t n, exo_envid_t peer)
{
	long cap = exo_page_cap(
		pa, n, EXO_RIGHT_READ | EXO_RIGHT_WRITE | EXO_RIGHT_GRANT);
	long theirs;

	if (cap < 0)
		return cap;
	theirs = exo_cap_grant((exo_cap_t)cap, peer,
			       EXO_RIGHT_READ | EXO_RIGHT_WRITE);
	/* The peer's copy stands on its own; ours would only fill a slot. */
	exo_cap_drop((exo_cap_t)cap);
	return theirs;
}

struct nat_ring *
nat_ring_create(exo_envid_t peer, exo_cap_t peer_ep, size_t msg_size,
		size_t slots, struct nat_ring_desc *desc)
{
	struct nat_ring *r;
	uint64_t pa, n, va;
	long theirs;

	if (!geometry_ok(msg_size, slots))
		return NULL;
	n = ring_pages(msg_size, slots);
	if (nat__frames_contig(n, &pa) < 0)
		return NULL;
	va = map_run(pa, n);
	if (!va)
		goto out_frames;
	r = ring_new(va, msg_size, slots, peer_ep);
	if (!r)
		goto out_unmap;
	r->h->msg_size = msg_size;
	r->h->slots = slots;
	__atomic_store_n(&r->h->magic, RING_MAGIC, __ATOMIC_RELEASE);
	theirs = grant_run(pa, n, peer);
	if (theirs < 0)
		goto out_ring;
	*desc = (struct nat_ring_desc){ pa, n, msg_size, (uint64_t)theirs,
					(uint64_t)r->bit };
	return r;

out_ring:
	ring_free(r);
out_unmap:
	unmap_run(va, n);
out_frames:
	nat__frames_free(pa, n);
	return NULL;
}

struct nat_ring *
nat_ring_attach(const struct nat_ring_desc *d, exo_cap_t creator_ep)
{
	struct exo_cap_info ci;
	struct nat_ring *r;
	struct ring_hdr *h;
	uint64_t va, msg_size, slots;

	if (exo_cap_info((exo_cap_t)d->pages_cap, &ci) < 0 ||
	    ci.type != EXO_CT_PAGES || (d->pa && d->pa != ci.obj) ||
	    (d->pages && d->pages != ci.count))
		return NULL;
	va = map_run(ci.obj, ci.count);
	if (!va)
		return NULL;
	h = (struct ring_hdr *)(uintptr_t)va;
	msg_size = h->msg_size;
	slots = h->slots;
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != RING_MAGIC ||
	    !geometry_ok(msg_size, slots) ||
	    ring_pages(msg_size, slots) > ci.count ||
	    (d->msg_size && d->msg_size != msg_size) ||
	    !(r = ring_new(va, msg_size, slots, creator_ep))) {
		unmap_run(va, ci.count);
		return NULL;
	}
	return r;
}

/*
 * Sleep until blocked() turns false: announce it in *waiting (with our
 * bit), check again (the other side may have moved in between), and wait
 * for the bit.  The other side sees the announcement after its own
 * update, or we see its update: no wake-up is lost.
 */
static void
sleep_until(struct nat_ring *r, uint32_t *waiting, uint32_t *bit,
	    bool (*blocked)(const struct nat_ring *))
{
	while (blocked(r)) {
		__atomic_store_n(bit, (uint32_t)r->bit, __ATOMIC_RELAXED);
		__atomic_store_n(waiting, 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!blocked(r))
			break;
		nat_wait(1ull << r->bit);
	}
	__atomic_store_n(waiting, 0, __ATOMIC_RELAXED);
}

/*
 * After our index moved: wake the other side if it announced a sleep.
 * Clearing the announcement first saves repeated notifications while it
 * has not run yet; an announcement made after the clear comes with a
 * check that sees our index.
 */
static void
wake_peer(struct nat_ring *r, uint32_t *waiting, const uint32_t *bit)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(waiting, __ATOMIC_RELAXED))
		return;
	__atomic_store_n(waiting, 0, __ATOMIC_RELAXED);
	exo_notify(r->peer_ep, 1ull << (__atomic_load_n(bit, __ATOMIC_RELAXED) %
					NAT_NBITS));
}

static bool
full(const struct nat_ring *r)
{
	return r->next - __atomic_load_n(&r->h->head, __ATOMIC_ACQUIRE) >=
	       r->slots;
}

static bool
empty(const struct nat_ring *r)
{
	return __atomic_load_n(&r->h->tail, __ATOMIC_ACQUIRE) == r->next;
}

int
nat_ring_send(struct nat_ring *r, const void *msg)
{
	if (full(r))
		sleep_until(r, &r->h->tx_waiting, &r->h->tx_bit, full);
	memcpy(r->data + (r->next & (r->slots - 1)) * r->msg_size, msg,
	       r->msg_size);
	__atomic_store_n(&r->h->tail, ++r->next, __ATOMIC_RELEASE);
	wake_peer(r, &r->h->rx_waiting, &r->h->rx_bit);
	return 0;
}

int
nat_ring_recv(struct nat_ring *r, void *msg)
{
	if (empty(r))
		sleep_until(r, &r->h->rx_waiting, &r->h->rx_bit, empty);
	memcpy(msg, r->data + (r->next & (r->slots - 1)) * r->msg_size,
	       r->msg_size);
	__atomic_store_n(&r->h->head, ++r->next, __ATOMIC_RELEASE);
	wake_peer(r, &r->h->tx_waiting, &r->h->tx_bit);
	return 0;
}

size_t
nat_ring_msg_size(const struct nat_ring *r)
{
	return r->msg_size;
}
