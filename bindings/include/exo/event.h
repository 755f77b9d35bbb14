/*
 * The kernel event ring, read with exo_events_read() by a holder of the
 * MACHINE capability: what the kernel did, in order, for tracing and
 * tests.  Per-env counters are in each env's info page instead.  The
 * upcall of a foreign system call that takes the kernel's short path is
 * counted there and not logged.
 */
#ifndef EXO_EVENT_H
#define EXO_EVENT_H

#include <exo/types.h>

enum exo_event_type {
	EXO_EV_ENV_CREATE = 1,	/* a: parent */
	EXO_EV_ENV_DESTROY = 2, /* a: parent */
	EXO_EV_FAULT = 3,	/* a: fault class, b: address */
	EXO_EV_UPCALL = 4,	/* a: upcall type */
	EXO_EV_IPC_CALL = 5,	/* a: callee */
	EXO_EV_REVOKE = 6,	/* a: frames asked for, b: deadline ns */
	EXO_EV_REPOSSESS = 7,	/* a: frames taken */
	EXO_EV_PREEMPT = 8,	/* env preempted at the end of its slice */
	EXO_EV_LOST = 9,	/* a: events overwritten before being read */
};

struct exo_event {
	uint64_t time_ns;
	uint32_t type; /* enum exo_event_type */
	exo_envid_t env;
	uint64_t a, b;
};

_Static_assert(sizeof(struct exo_event) == 32, "exo_event layout");

#endif
