/*
 * libos-native's own test cases (tests/native/t_*.c), run by the test
 * root env of tests/user/root.c (the utest protocol of utest.h), and
 * what they share with the helper program `peer` (peer.c).
 */
#ifndef TESTS_NATIVE_NT_H
#define TESTS_NATIVE_NT_H

#include <native/native.h>
#include "../user/utest.h"

/* What peer does: the low byte of its start argument. */
enum nt_role {
	NT_SINK = 1,	  /* receive on ring `to` until NT_STOP, then send
			     the count and a checksum on ring `back` */
	NT_SINK_SLOW = 2, /* the same, sleeping 1 ms every 8 messages */
	NT_SOURCE = 3,	  /* send n numbered messages on ring `back` */
	NT_SERVE = 4,	  /* answer calls with w[0] + 1 */
};

/* The start argument: role, the PAGES capabilities of the two rings and
 * the ENV capability for the root (NOTIFY), n for NT_SOURCE. */
#define NT_ARG(role, to, back, ep, n)                                          \
	((uint64_t)(role) | (uint64_t)(to) << 8 | (uint64_t)(back) << 16 |     \
	 (uint64_t)(ep) << 24 | (uint64_t)(n) << 32)
#define NT_ROLE(a) ((a)&0xff)
#define NT_TO(a) (((a) >> 8) & 0xff)
#define NT_BACK(a) (((a) >> 16) & 0xff)
#define NT_EP(a) ((exo_cap_t)(((a) >> 24) & 0xff))
#define NT_N(a) ((a) >> 32)

#define NT_STOP 0x53544f50ull /* word 0 of the last message to a sink */

/* Message i of a stream: word 0 is i, the rest a pattern of i. */
static inline void
nt_fill(uint64_t *msg, uint64_t words, uint64_t i)
{
	msg[0] = i;
	for (uint64_t w = 1; w < words; w++)
		msg[w] = i * 0x9e3779b97f4a7c15ull + w;
}

static inline int
nt_check(const uint64_t *msg, uint64_t words, uint64_t i)
{
	if (msg[0] != i)
		return 0;
	for (uint64_t w = 1; w < words; w++)
		if (msg[w] != i * 0x9e3779b97f4a7c15ull + w)
			return 0;
	return 1;
}

#endif
