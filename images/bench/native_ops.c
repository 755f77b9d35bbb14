/*
 * The benchmarks of libos-native: demand-zero and copy-on-write faults
 * handled in its own fault handler, and its shared-memory rings between
 * two envs.  The driver calls nat_init() before the first of them.
 */
#include <stdbool.h>
#include <native/native.h>
#include "driver.h"

#define RING_BYTES 65536    /* slots * message size: a Linux pipe's buffer */
#define RING_PEER_QUOTA 256 /* frames: the peer's image, heap and ring */

/* A demand-zero area reused by every run of a benchmark. */
struct dz_area {
	volatile char *base;
	long pages;
};

static bool native_up;

/* Start libos-native in the driver once: 0 or BENCH_FAILED. */
static uint64_t
native_init(void)
{
	int err;

	if (native_up)
		return 0;
	err = nat_init();
	if (err)
		return bench_fail("nat_init", err);
	native_up = true;
	return 0;
}

/*
 * A demand-zero area of at least n pages, reserved once per size (the
 * warm-up's and the trials'), so that the reservation table never fills.
 * NULL if it cannot be reserved.
 */
static volatile char *
dz_area(struct dz_area *a, long n)
{
	if (a->pages < n) {
		a->base = nat_dz_reserve((size_t)n * EXO_PAGE_SIZE);
		a->pages = a->base ? n : 0;
	}
	return a->base;
}

/* The first write to each of n pages of a demand-zero area. */
uint64_t
bench_demand_zero_fault(long n)
{
	static struct dz_area area;
	volatile char *p;
	uint64_t t0, t;
	int err;

	if (native_init())
		return BENCH_FAILED;
	if (!(p = dz_area(&area, n)))
		return bench_fail("nat_dz_reserve", 0);
	t0 = bench_now();
	for (long i = 0; i < n; i++)
		p[i * EXO_PAGE_SIZE] = 1;
	t = bench_now() - t0;
	err = nat_dz_release((void *)p, (size_t)n * EXO_PAGE_SIZE);
	return err ? bench_fail("nat_dz_release", err) : t;
}

/* The first write to each of n pages cloned copy-on-write from n
 * populated pages: each write copies its page. */
uint64_t
bench_cow_fault(long n)
{
	static struct dz_area src_area, dst_area;
	size_t len = (size_t)n * EXO_PAGE_SIZE;
	volatile char *src, *dst;
	uint64_t t0, t;
	int err;

	if (native_init())
		return BENCH_FAILED;
	src = dz_area(&src_area, n);
	dst = dz_area(&dst_area, n);
	if (!src || !dst)
		return bench_fail("nat_dz_reserve", 0);
	for (long i = 0; i < n; i++)
		src[i * EXO_PAGE_SIZE] = 2;
	err = nat_cow_clone((void *)dst, (const void *)src, len);
	if (err)
		return bench_fail("nat_cow_clone", err);
	t0 = bench_now();
	for (long i = 0; i < n; i++)
		dst[i * EXO_PAGE_SIZE] = 3;
	t = bench_now() - t0;
	err = nat_dz_release((void *)dst, len);
	if (!err)
		err = nat_dz_release((void *)src, len);
	return err ? bench_fail("nat_dz_release", err) : t;
}

/*
 * A ring of size-byte messages to a peer that drains it.  libos-native has
 * no way to destroy a ring, so each message size gets one ring and one
 * peer, set up on first use and kept for every run.
 */
struct ring_link {
	struct peer peer;
	struct nat_ring *ring;
};

/* Start the peer, make the ring, hand it over: 0 or BENCH_FAILED. */
static uint64_t
ring_link_up(struct ring_link *l, size_t size)
{
	volatile struct bench_param *bp = bench_param();
	struct nat_ring_desc d;
	long err;

	if (l->ring)
		return 0;
	err = peer_start(ROLE_RING, RING_PEER_QUOTA, &l->peer);
	if (err)
		return bench_fail("starting the ring peer", err);
	l->ring = nat_ring_create(l->peer.env, l->peer.cap, size,
				  RING_BYTES / size, &d);
	if (!l->ring) {
		peer_stop(&l->peer);
		return bench_fail("nat_ring_create", 0);
	}
	bp->ring_pa = d.pa;
	bp->ring_pages = d.pages;
	bp->ring_msg_size = d.msg_size;
	bp->ring_pages_cap = d.pages_cap;
	bp->ring_notify_bit = d.notify_bit;
	return 0;
}

/* Stream n messages of size bytes to the peer, which receives each; the
 * time runs from the first send to the peer's word that it has them all. */
static uint64_t
ring_stream(struct ring_link *l, long n, size_t size)
{
	static uint8_t msg[4096];
	uint64_t t0;
	int err = 0;

	if (native_init() || ring_link_up(l, size))
		return BENCH_FAILED;
	bench_param()->ring_msgs = (uint64_t)n;
	exo_notify(l->peer.cap, BIT_GO);
	exo_wait(BIT_READY, UINT64_MAX);
	t0 = bench_now();
	for (long i = 0; i < n && !err; i++)
		err = nat_ring_send(l->ring, msg);
	if (err)
		return bench_fail("nat_ring_send", err);
	exo_wait(BIT_DONE, UINT64_MAX);
	return bench_now() - t0;
}

uint64_t
bench_ring_tput_64(long n)
{
	static struct ring_link link;

	return ring_stream(&link, n, 64);
}

uint64_t
bench_ring_tput_4k(long n)
{
	static struct ring_link link;

	return ring_stream(&link, n, 4096);
}
