/*
 * Private to the aarch64 arch layer (and its test cases): system-register
 * and MMIO accessors, the trap frame, and the interfaces between its files.
 */
#ifndef EXO_ARCH_AARCH64_H
#define EXO_ARCH_AARCH64_H

#include <kernel/compiler.h>
#include <kernel/boot.h>
#include <kernel/fdt.h>
#include <arch/trapframe.h>

#define read_sysreg(r)                                                         \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                    \
		v_;                                                            \
	})
#define write_sysreg(r, v)                                                     \
	__asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")

static inline uint32_t
mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void
mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint64_t
mmio_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

/*
 * For inline assembly: an exception-table entry saying that a fault at
 * label `insn` resumes at label `fixup` (trap.c).  Every kernel access
 * that may fault on purpose (arch_probe_read, copies from user pointers)
 * is an instruction with such an entry.
 */
#define EX_TABLE(insn, fixup)                                                  \
	"	.pushsection __ex_table, \"a\"\n"                                    \
	"	.balign	8\n"                                                         \
	"	.quad	" insn ", " fixup "\n"                                 \
	"	.popsection\n"

/* What the boot code learnt from the devicetree, all physical. */
struct platform {
	uint64_t kernel_pa; /* where _start was loaded */
	uint64_t uart;	    /* PL011 */
	uint64_t gicd, gicd_size;
	uint64_t gicr, gicr_size;
	uint32_t timer_intid; /* virtual timer PPI, as a GIC INTID */
};
extern struct platform platform;
extern struct fdt boot_fdt;
/* What aarch64_boot() handed to kmain(); read-only afterwards. */
extern struct boot_info boot_info;

/* Kernel image layout (kernel.ld) and the boot stack (head.S). */
extern char _start[], __text_end[], __rodata_end[], _end[];
extern char boot_stack[], boot_stack_top[];
extern char exception_vectors[];

/* console.c */
void console_use(uint64_t pa);

/* mmu.c: build and switch to the final kernel tables. */
void mmu_init(const struct boot_info *bi);
/* The leaf descriptor mapping va in the kernel tables, or 0 if none. */
uint64_t mmu_lookup(uintptr_t va);
void aarch64_switch_ttbr1(uint64_t root_pa);

/* gic.c */
void gic_init(void);
void gic_enable_ppi(uint32_t intid, void (*handler)(void));
void gic_disable_ppi(uint32_t intid);
void gic_handle_irq(void);

/* timer.c */
void clock_init(void);
void timer_init(void);

/* trap.c: C entries from the vectors; kind is the vector slot (0-15).
 * aarch64_trap() handles entries from EL1, aarch64_user_trap() those from
 * EL0 (slots 8-11) and ends in trap_from_user(); aarch64_svc_trap() takes
 * the Exo calls the fast path in vectors.S declined. */
void aarch64_trap(struct trapframe *tf, unsigned kind);
__noreturn void aarch64_user_trap(struct trapframe *tf, unsigned kind);
/* exo_upcall_return from exo_svc: whether tf now holds the registers to
 * resume (trap.c). */
bool aarch64_upcall_return(struct trapframe *tf);
/* A Linux svc #0, its frame complete: whether it was reflected and tf
 * now starts the upcall (trap.c). */
bool aarch64_linux_svc(struct trapframe *tf);
__noreturn void aarch64_svc_trap(struct trapframe *tf);

/* user.c: EL0 state (FP/SIMD, EL0 access controls, PAN) at arch_init(). */
void user_init(void);

/* vectors.S: load *tf, set SP_EL1 to kstack_top and eret to EL0. */
__noreturn void aarch64_return_to_user(const struct trapframe *tf,
				       uintptr_t kstack_top);

/* uaccess.S: copies with unprivileged (EL0-checked) loads and stores; 0,
 * or 1 if a user access faulted.  Their instructions lie in
 * [usercopy_start, usercopy_end), whose faults are reported quietly. */
int aarch64_copy_from_user(void *dst, uint64_t usrc, size_t n);
int aarch64_copy_to_user(uint64_t udst, const void *src, size_t n);
/* The foreign-call fast path's copies (uaccess.S): 0, or 1 on a fault. */
int aarch64_upcall_frame_store(uint64_t udst, const struct trapframe *tf);
int aarch64_upcall_frame_load(struct trapframe *tf, uint64_t uregs);

/* SPSR_EL1 for EL0: M[4:0] = 0 is AArch64 EL0t, DAIF = 0 unmasks all;
 * and the flags. */
#define SPSR_EL0T 0UL
#define SPSR_NZCV (0xfUL << 28)
extern char usercopy_start[], usercopy_end[];

/* fpsimd.S: an env's FP/SIMD registers and TPIDRRO_EL0. */
void fpsimd_save(struct arch_env_ctx *ctx);
void fpsimd_load(const struct arch_env_ctx *ctx);

/* boot.c: C entry from head.S. */
__noreturn void aarch64_boot(uint64_t dtb_pa, uint64_t kernel_pa);

#endif
