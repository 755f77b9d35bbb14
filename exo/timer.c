/*
 * The periodic tick: counts, and drives the time slices.
 */
#include <kernel/arch.h>
#include <kernel/env.h>
#include <kernel/timer.h>

volatile uint64_t timer_ticks;

void
timer_interrupt(void)
{
	timer_ticks++;
	sched_tick();
}
