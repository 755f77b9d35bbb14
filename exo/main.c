/*
 * kmain: the portable half of boot.  The arch code has the CPU in 64-bit
 * mode with the kernel mapped and the console up; from here the kernel
 * takes stock of memory, finishes the arch bring-up and reports.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <kernel/root.h>
#include <kernel/env.h>
#include <kernel/timer.h>

#define MIB (1024 * 1024)

/* The production kernel has no test cases; exo-test.elf overrides this. */
__weak void
ktest_boot(const char *cmdline)
{
}

static void
print_memory_map(const struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->nram; i++)
		kprintf("  ram      0x%016llx-0x%016llx\n",
			(unsigned long long)bi->ram[i].base,
			(unsigned long long)(bi->ram[i].base +
					     bi->ram[i].size));
	for (unsigned i = 0; i < bi->nreserved; i++)
		kprintf("  reserved 0x%016llx-0x%016llx\n",
			(unsigned long long)bi->reserved[i].base,
			(unsigned long long)(bi->reserved[i].base +
					     bi->reserved[i].size));
}

/* Show that the timer ticks, measured against the independent clock. */
static void
timer_demo(void)
{
	uint64_t t0, t1, start;

	arch_timer_start(TIMER_HZ);
	start = timer_ticks;
	t0 = arch_clock_ns();
	while (timer_ticks - start < TIMER_HZ / 10)
		arch_wait_for_interrupt();
	t1 = arch_clock_ns();
	arch_timer_stop();
	arch_irq_disable();
	kprintf("timer: %u ticks at %u Hz took %llu us\n", TIMER_HZ / 10,
		TIMER_HZ, (unsigned long long)(t1 - t0) / 1000);
}

void
kmain(struct boot_info *bi)
{
	struct pm_stats st;
	int err;

	kprintf("\nExo %s (%s), booted by %s\n", EXO_VERSION, EXO_ARCH,
		bi->protocol);
	if (bi->cmdline[0])
		kprintf("cmdline: %s\n", bi->cmdline);
	print_memory_map(bi);

	err = pm_init(bi);
	if (err)
		panic("pm_init: %s", exo_strerror(err));
	arch_init(bi);

	pm_get_stats(&st);
	kprintf("memory: %llu MiB RAM, %llu MiB free\n",
		(unsigned long long)(st.ram * PAGE_SIZE / MIB),
		(unsigned long long)(st.free * PAGE_SIZE / MIB));
	kprintf("timer: %llu Hz\n", (unsigned long long)arch_timer_freq());

	ktest_boot(bi->cmdline);

	if (bi->initrd.size) {
		root_start(bi);
		arch_timer_start(TIMER_HZ);
		sched_run();
	}
	timer_demo();
	kprintf("exo: no initrd, so no root env to start; halting\n");
	arch_halt(HALT_SUCCESS);
}
