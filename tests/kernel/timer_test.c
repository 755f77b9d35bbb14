/*
 * The periodic timer, checked against the arch's independent clock.
 */
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/timer.h>

#define WINDOW_NS 200000000ull /* 200 ms */

KTEST(timer_freq_sane)
{
	uint64_t hz = arch_timer_freq();

	KT_ASSERT(hz >= 1000000ull && hz <= 10000000000ull);
}

KTEST(clock_monotonic)
{
	uint64_t prev = arch_clock_ns(), first = prev;

	for (int i = 0; i < 100000; i++) {
		uint64_t now = arch_clock_ns();
		KT_ASSERT(now >= prev);
		prev = now;
	}
	KT_ASSERT(prev > first);
}

/*
 * Ticks at TIMER_HZ over 200 ms of the reference clock, within 10 %.  An
 * emulator descheduled by a loaded host drops periodic interrupts it is
 * late for, so the runner boots this case in icount mode (deterministic
 * guest time); on real hardware the tolerance is generous.
 */
KTEST_ICOUNT(timer_rate)
{
	uint64_t start_ticks, ticks, t0;
	uint64_t expect = WINDOW_NS * TIMER_HZ / 1000000000ull;

	arch_timer_start(TIMER_HZ);
	start_ticks = timer_ticks;
	t0 = arch_clock_ns();
	while (arch_clock_ns() - t0 < WINDOW_NS)
		arch_wait_for_interrupt();
	ticks = timer_ticks - start_ticks;
	arch_timer_stop();
	arch_irq_disable();
	if (ticks < expect * 9 / 10 || ticks > expect * 11 / 10)
		ktest_fail(__FILE__, __LINE__,
			   "%llu ticks in 200 ms, expected %llu +- 10%%",
			   (unsigned long long)ticks,
			   (unsigned long long)expect);
}

/* Stopping the timer stops the interrupts. */
KTEST_ICOUNT(timer_stop)
{
	uint64_t t0, ticks;

	arch_timer_start(TIMER_HZ);
	t0 = arch_clock_ns();
	while (arch_clock_ns() - t0 < 20000000ull)
		arch_wait_for_interrupt();
	arch_timer_stop();
	ticks = timer_ticks;
	arch_irq_enable();
	t0 = arch_clock_ns();
	while (arch_clock_ns() - t0 < 20000000ull)
		;
	arch_irq_disable();
	KT_ASSERT_EQ(timer_ticks, ticks);
}
