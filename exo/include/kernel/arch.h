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

/* Zero one page at kernel address page (page-aligned), the fastest way the
 * CPU has (aarch64 DC ZVA, x86_64 rep stosq). */
void arch_page_zero(void *page);
/* Copy one page (kernel addresses, page-aligned). */
void arch_page_copy(void *dst, const void *src);

/* Make instructions the kernel just wrote at kernel address kva (n bytes)
 * visible to instruction fetch (aarch64: clean D-cache to the point of
 * unification, invalidate I-cache; x86_64: coherent, nothing). */
void arch_sync_icache(const void *kva, size_t n);

/* Called by the arch interrupt code; portable (exo/timer.c). */
void timer_interrupt(void);

/*
 * Device interrupt lines an env can bind (IRQ capabilities): x86_64 IOAPIC
 * inputs (GSIs), aarch64 GIC shared peripheral interrupts (INTID - 32).
 * When a line fires the arch masks it, acknowledges the controller and
 * calls irq_fire(line) (portable, exo/irq.c); it stays masked until
 * arch_irq_unmask.
 */
unsigned arch_irq_lines(void);
void arch_irq_mask(unsigned line);
void arch_irq_unmask(unsigned line);
/* Make the line fire as if its device had raised it (tests, MACHINE). */
void arch_irq_raise(unsigned line);
void irq_fire(unsigned line);

/* ------------------------------------------------------------------------
 * User mode: what envs need.  <arch/trapframe.h> defines struct trapframe
 * (the user registers saved at each kernel entry) and struct arch_env_ctx
 * (state switched only between envs: FP/SIMD registers, thread pointers).
 * <arch/pte.h> gives the page-table entry helpers the portable walker in
 * exo/vm.c uses.  The kernel runs on one stack per CPU and never blocks in
 * kernel mode: every kernel entry from user mode ends in
 * arch_return_to_user() with some env's saved trapframe.
 */
#include <arch/trapframe.h>
#include <exo/arch/regs.h>

/* A fresh user context: start at pc with stack sp, arg in the first
 * argument register, interrupts enabled, user privilege. */
void arch_tf_init(struct trapframe *tf, uint64_t pc, uint64_t sp, uint64_t arg);
/* The system call in tf: its number (for an Exo call, less the arch's
 * base; for a foreign one, the Linux number) and six argument registers. */
void arch_tf_syscall(const struct trapframe *tf, uint64_t *nr, uint64_t a[6]);
/* Set the return register (x86_64 rax, aarch64 x0). */
void arch_tf_set_ret(struct trapframe *tf, uint64_t v);
/* Set system call argument register i (0..5) on the way out, for calls
 * that return several words (IPC). */
void arch_tf_set_arg(struct trapframe *tf, unsigned i, uint64_t v);
/* An IPC message on the way out: the result register and argument
 * registers 1..4 (the four words). */
void arch_tf_set_msg(struct trapframe *tf, uint64_t ret, const uint64_t w[4]);
/* System call argument register i (0..5) as saved in tf. */
uint64_t arch_tf_arg(const struct trapframe *tf, unsigned i);
uint64_t arch_tf_pc(const struct trapframe *tf);
uint64_t arch_tf_sp(const struct trapframe *tf);
/* Convert to and from the ABI's register block (upcall frames).  The
 * reverse direction sanitises: whatever r holds, tf stays a user-mode
 * context with interrupts enabled and a canonical pc. */
void arch_tf_to_regs(const struct trapframe *tf, struct exo_regs *r);
void arch_tf_from_regs(struct trapframe *tf, const struct exo_regs *r);
struct exo_upcall_frame;
/* Write an upcall frame at user address at: f's header and tf's
 * registers (as arch_tf_to_regs would give them; f->regs is scratch).
 * 0 or -EXO_EFAULT. */
int arch_upcall_frame_out(uint64_t at, struct exo_upcall_frame *f,
			  const struct trapframe *tf);

/* Initial per-env state (FP/SIMD reset, thread pointers zero). */
void arch_env_ctx_init(struct arch_env_ctx *ctx);
/* Save the running env's switched state into `from` (may be NULL: no env
 * was running) and load `to`'s. */
void arch_env_ctx_switch(struct arch_env_ctx *from, struct arch_env_ctx *to);

/* Zeroed top-level table of a new user address space: fill in whatever
 * every space shares (x86_64: the kernel half).  */
void arch_as_init_root(uint64_t *root);
/* Make the space rooted at root_pa (tagged asid, 1..EXO_MAX_ASID) the
 * current user space.  root_pa 0 means none: only the kernel is mapped
 * (used before the current space is torn down). */
void arch_as_activate(uint64_t root_pa, unsigned asid);
/* Forget cached translations for va in asid, or for all of asid. */
void arch_tlb_flush_page(unsigned asid, uint64_t va);
void arch_tlb_flush_asid(unsigned asid);

/* Copy to or from the current user space.  0, or -EXO_EFAULT if any byte
 * is outside [0, EXO_USER_TOP), unmapped, or (copy-to) not writable by the
 * user; the copy may then be partial. */
int arch_copy_from_user(void *dst, uint64_t usrc, size_t n);
int arch_copy_to_user(uint64_t udst, const void *src, size_t n);

/* Leave the kernel into user mode with the registers in tf. */
__noreturn void arch_return_to_user(struct trapframe *tf);

/* Why the CPU left user mode; filled by the arch trap code. */
enum trap_kind {
	TRAP_SYSCALL,	      /* an Exo system call */
	TRAP_FOREIGN_SYSCALL, /* a Linux one: x86_64 syscall with rax below
				 EXO_SYSCALL_BASE, aarch64 svc #0 */
	TRAP_FAULT,	      /* an exception: fault, flags, addr, code */
	TRAP_IRQ,	      /* an interrupt (already acknowledged) */
};

struct trap_info {
	enum trap_kind kind;
	unsigned fault; /* enum exo_fault */
	unsigned flags; /* EXO_PF_* */
	uint64_t addr;	/* faulting address */
	uint64_t code;	/* as in struct exo_upcall_frame */
};

/* Portable (exo/syscall.c): an Exo system call may first be offered to
 * syscall_try_fast(nr, args, &ret) before any trap frame exists (see
 * there); if it declines, the arch builds the frame and goes on to
 * trap_from_user as for any other entry. */

/* Portable (exo/trap.c): every entry from user mode lands here, after the
 * arch code saved the user registers in *tf (on the kernel stack). */
__noreturn void trap_from_user(struct trapframe *tf,
			       const struct trap_info *ti);

#endif
