/*
 * The interface every architecture implements under exo/arch/<arch>/.
 * Portable kernel code reaches the hardware only through these functions.
 *
 * Boot sequence: the arch entry code reaches 64-bit mode with the kernel
 * mapped at KERNEL_VBASE and the physmap covering at least the boot data,
 * installs its exception vectors, brings up the console, fills a
 * struct boot_info and calls kmain().  kmain() then calls pm_init() and
 * arch_init(), in that order.
 */
#ifndef EXO_KERNEL_ARCH_H
#define EXO_KERNEL_ARCH_H

#include <kernel/boot.h>
#include <kernel/compiler.h>

/* Status codes for arch_halt(); tools/qemu.sh turns them back into its own
 * exit status, whatever encoding the arch needs to get them out of QEMU. */
#define HALT_SUCCESS 0
#define HALT_FAILURE 1
#define HALT_PANIC 2

/*
 * Finish bringing up the CPU once frames can be allocated: the kernel's own
 * page tables (physmap of all RAM in bi), the interrupt controller and the
 * timer calibration.  Panics on hardware it cannot drive.
 */
void arch_init(const struct boot_info *bi);

/* Console (the kernel's own log): write one byte, blocking. */
void arch_console_putc(char c);
/* Read one byte if one is waiting; -1 otherwise. */
int arch_console_getc(void);

/* Stop the machine; under QEMU, exit it with a status tools/qemu.sh
 * decodes to `status`.  Interrupts are off when it returns never. */
__noreturn void arch_halt(int status);

/* Interrupt masking on the current CPU. */
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Enable interrupts and sleep until one arrives, atomically. */
void arch_wait_for_interrupt(void);

/* The timer: frequency (Hz) of the counter that drives its interrupts. */
uint64_t arch_timer_freq(void);
/* Interrupt every 1/hz seconds, calling timer_interrupt() each time. */
void arch_timer_start(unsigned hz);
void arch_timer_stop(void);
/* Monotonic nanoseconds since boot, from a clock independent of the
 * timer interrupt (TSC on x86_64, CNTVCT_EL0 on aarch64). */
uint64_t arch_clock_ns(void);

/*
 * Read 8 bytes at kernel virtual address va.  A fault is caught: the trap
 * code records it in arch_last_fault, prints a one-line report and the
 * function returns -EXO_EFAULT instead of the kernel panicking.
 */
int arch_probe_read(uintptr_t va, uint64_t *out);

struct fault_info {
	uintptr_t addr; /* faulting data address */
	uintptr_t pc;	/* instruction that faulted */
	uint64_t code;	/* x86 error code, or aarch64 ESR_EL1 */
	unsigned count; /* faults recovered so far */
};
extern struct fault_info arch_last_fault;

/* Called by the arch interrupt code; portable (exo/timer.c). */
void timer_interrupt(void);

#endif
