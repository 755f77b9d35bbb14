/*
 * The Exo side of the benchmarks (bench/run.sh): what the driver (the root
 * env of the bench image, bench.c) and its partner program (peer.c) agree
 * on.  docs/BENCHMARKS.md describes every figure.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdint.h>
#include <exo/libexo.h>
#include <exo/syscall.h>

/*
 * What a peer does, in the low byte of its start argument; the slot of
 * its ENV capability for the driver (call, notify) is in the next bytes.
 */
enum bench_role {
	ROLE_ECHO = 1,	 /* answer every IPC call */
	ROLE_NOTIFY = 2, /* answer each BIT_PING with BIT_PONG */
	ROLE_RING = 3,	 /* drain a ring described in the parameter page */
};

/* The echo and notify peers run until the driver destroys them. */

#define BENCH_ARG(role, slot) ((uint64_t)(role) | (uint64_t)(slot) << 8)
#define BENCH_ARG_ROLE(arg) ((arg)&0xff)
#define BENCH_ARG_SLOT(arg) ((exo_cap_t)((arg) >> 8))

/* Notification bits, clear of the low ones a library OS may use. */
#define BIT_PING (1ull << 50)
#define BIT_PONG (1ull << 51)
#define BIT_SINK (1ull << 52)  /* sent to a peer that never waits on it */
#define BIT_GO (1ull << 53)    /* the ring peer may start a run */
#define BIT_READY (1ull << 54) /* the ring peer is waiting for data */
#define BIT_DONE (1ull << 55)  /* the ring peer received everything */

/*
 * The parameter page: one frame of the driver's, mapped read-write at
 * BENCH_PARAM_VA in the driver and in every peer it starts.
 */
#define BENCH_PARAM_VA 0x0000005000000000ull

struct bench_param {
	uint64_t ring_pa; /* struct nat_ring_desc, field by field */
	uint64_t ring_pages;
	uint64_t ring_msg_size;
	uint64_t ring_pages_cap;
	uint64_t ring_notify_bit;
	uint64_t ring_msgs; /* messages the ring peer receives */
};

/* The ring role (native_ops.c's peer half, peer_ring.c). */
int peer_ring(exo_cap_t driver);

static inline volatile struct bench_param *
bench_param(void)
{
	return (volatile struct bench_param *)(uintptr_t)BENCH_PARAM_VA;
}

#endif
