/*
 * The periodic tick.  For now it only counts; time-slice accounting joins it
 * with the scheduler.
 */
#include <kernel/arch.h>
#include <kernel/timer.h>

volatile uint64_t timer_ticks;

void
timer_interrupt(void)
{
	timer_ticks++;
}
