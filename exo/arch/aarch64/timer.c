/*
 * The Arm generic timer: the EL1 virtual timer (CNTV) for the periodic
 * tick and the virtual counter (CNTVCT_EL0) for the clock.
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <arch/aarch64.h>

#define CNTV_CTL_ENABLE 1u

static uint64_t period;	    /* counter ticks per timer interrupt */
static uint64_t boot_count; /* CNTVCT_EL0 at clock_init() */

static uint64_t
counter(void)
{
	isb(); /* do not read the counter ahead of earlier instructions */
	return read_sysreg(cntvct_el0);
}

uint64_t
arch_timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* Nanoseconds without overflow for any 64-bit count (freq < 2^34). */
uint64_t
arch_clock_ns(void)
{
	uint64_t c = counter() - boot_count, f = arch_timer_freq();

	return c / f * 1000000000ull + c % f * 1000000000ull / f;
}

/* The next deadline one period after the last one, never in the past, so
 * late ticks do not make the timer drift. */
static void
timer_tick(void)
{
	uint64_t next = read_sysreg(cntv_cval_el0) + period, now = counter();

	if (next <= now)
		next = now + period;
	write_sysreg(cntv_cval_el0, next);
	timer_interrupt();
}

void
arch_timer_start(unsigned hz)
{
	assert(hz > 0 && hz <= arch_timer_freq());
	period = arch_timer_freq() / hz;
	write_sysreg(cntv_cval_el0, counter() + period);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	gic_enable_ppi(platform.timer_intid, timer_tick);
}

void
arch_timer_stop(void)
{
	gic_disable_ppi(platform.timer_intid);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

/* Start the clock at 0; called first thing at boot. */
void
clock_init(void)
{
	boot_count = counter();
}

void
timer_init(void)
{
	uint64_t f = arch_timer_freq();

	if (!f)
		panic("timer: CNTFRQ_EL0 is 0 (firmware did not set it)");
	write_sysreg(cntv_ctl_el0, 0);
	kprintf("timer: generic timer %llu Hz, virtual timer INTID %u\n",
		(unsigned long long)f, platform.timer_intid);
}
