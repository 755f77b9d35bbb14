/*
 * The time-slice vector (exo/sched.c).
 */
#ifndef EXO_KERNEL_SCHED_H
#define EXO_KERNEL_SCHED_H

#include <exo/types.h>

#define NSLICE 16		  /* slots in the vector */
#define SLICE_TICKS 5		  /* timer ticks per slice */
#define SLICE_GRACE_NS 1000000ull /* one tick (TIMER_HZ 1000) */

/* The env each slot is bound to (0: unbound) and the slot's capability
 * epoch. */
extern exo_envid_t slice_owner[NSLICE];
extern uint32_t slice_epoch[NSLICE];

#endif
