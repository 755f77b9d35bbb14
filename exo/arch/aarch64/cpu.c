/*
 * CPU control: interrupt masking, idling and stopping the machine.
 */
#include <kernel/arch.h>
#include <arch/aarch64.h>

/* Semihosting (Arm IHI 0056): SYS_EXIT with an AArch64 parameter block. */
#define SEMIHOST_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void
arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void
arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/*
 * wfi wakes on a pending IRQ even while IRQs are masked, so waiting first
 * and unmasking after cannot miss one that arrives in between.
 */
void
arch_wait_for_interrupt(void)
{
	__asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2" ::: "memory");
}

/* Ask QEMU to exit with status 0x10|status (decoded by mk/qemu.sh). */
static void
semihost_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT,
			      0x10 | (uint64_t)status };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

void
arch_halt(int status)
{
	/* Without semihosting, hlt traps and the panic comes back here:
	 * try it once only. */
	static bool tried;

	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	if (!tried) {
		tried = true;
		semihost_exit(status);
	}
	for (;;)
		__asm__ volatile("wfi");
}
