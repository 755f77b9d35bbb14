/*
 * Time: the TSC (arch_clock_ns) and the LAPIC timer (the tick), both
 * calibrated against channel 2 of the 8254 PIT, whose input clock is
 * fixed.  Channel 2 is used because its gate and output can be read
 * through port 0x61 without any interrupt.
 */
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <x86/cpu.h>

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_CH2_ONESHOT 0xb0 /* channel 2, lo/hi byte, mode 0, binary */
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define CAL_TICKS 11932u /* 10 ms: 1 tick is 0.008 %; boot waits it out */
#define LAPIC_DIV_1 0xb

static uint64_t tsc_boot;
static uint64_t tsc_hz;
static uint64_t ns_per_tsc_32; /* nanoseconds per TSC cycle, 32.32 fixed */
static uint64_t lapic_hz;
static bool timer_running;

void
x86_clock_boot(void)
{
	tsc_boot = rdtsc();
}

/* Start PIT channel 2 counting down `ticks` once; OUT2 rises at zero. */
static void
pit_start(uint16_t ticks)
{
	outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_CMD, PIT_CH2_ONESHOT);
	outb(PIT_CH2, ticks & 0xff);
	outb(PIT_CH2, ticks >> 8);
}

/* Measure the TSC and the LAPIC timer (divide by 1) over one PIT window.
 * Needs the LAPIC mapped; leaves its timer masked and stopped. */
void
x86_clock_calibrate(void)
{
	uint64_t t0, t1;
	uint32_t left;

	x86_lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_1);
	x86_lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_TIMER);
	pit_start(CAL_TICKS);
	x86_lapic_write(LAPIC_TIMER_INIT, UINT32_MAX);
	t0 = rdtsc();
	while (!(inb(PORT_B) & PORT_B_OUT2))
		;
	t1 = rdtsc();
	left = x86_lapic_read(LAPIC_TIMER_CUR);
	x86_lapic_write(LAPIC_TIMER_INIT, 0);

	tsc_hz = (t1 - t0) * PIT_HZ / CAL_TICKS;
	lapic_hz = (uint64_t)(UINT32_MAX - left) * PIT_HZ / CAL_TICKS;
	if (tsc_hz == 0 || lapic_hz == 0 || left == 0)
		panic("clock: calibration failed (tsc %lu Hz, lapic %lu Hz)",
		      tsc_hz, lapic_hz);
	ns_per_tsc_32 = (1000000000UL << 32) / tsc_hz;
}

uint64_t
arch_timer_freq(void)
{
	return lapic_hz;
}

uint64_t
x86_tsc_freq(void)
{
	return tsc_hz;
}

/* 0 until x86_clock_calibrate() has run. */
uint64_t
arch_clock_ns(void)
{
	unsigned __int128 d = rdtsc() - tsc_boot;

	return (uint64_t)(d * ns_per_tsc_32 >> 32);
}

void
arch_timer_start(unsigned hz)
{
	uint64_t count;

	assert(hz > 0 && lapic_hz > 0);
	count = lapic_hz / hz;
	assert(count > 0 && count <= UINT32_MAX);
	timer_running = true;
	x86_lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_1);
	x86_lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | VEC_TIMER);
	x86_lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
}

void
arch_timer_stop(void)
{
	if (!lapic_hz)
		return;
	x86_lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_TIMER);
	x86_lapic_write(LAPIC_TIMER_INIT, 0);
	timer_running = false;
}

/* An interrupt already pending when the timer was stopped is
 * acknowledged but not counted, so a stopped timer never ticks. */
void
x86_timer_interrupt(void)
{
	if (READ_ONCE(timer_running))
		timer_interrupt();
	x86_lapic_eoi();
}
