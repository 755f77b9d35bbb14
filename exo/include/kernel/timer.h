/*
 * The periodic tick (exo/timer.c).
 */
#ifndef EXO_KERNEL_TIMER_H
#define EXO_KERNEL_TIMER_H

#include <kernel/compiler.h>

#define TIMER_HZ 1000

/* Ticks since the timer was first started. */
extern volatile uint64_t timer_ticks;

#endif
