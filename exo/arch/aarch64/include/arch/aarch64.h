/*
 * Private to the aarch64 arch layer (and its test cases): system-register
 * and MMIO accessors, the trap frame, and the interfaces between its files.
 */
#ifndef EXO_ARCH_AARCH64_H
#define EXO_ARCH_AARCH64_H

#include <kernel/compiler.h>
#include <kernel/boot.h>
#include <kernel/fdt.h>

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

/* Registers saved on exception entry (vectors.S builds it). */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp; /* at the time of the exception */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

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

/* trap.c: C entry from the vectors; kind is the vector slot (0-15). */
void aarch64_trap(struct trap_frame *tf, unsigned kind);

/* boot.c: C entry from head.S. */
__noreturn void aarch64_boot(uint64_t dtb_pa, uint64_t kernel_pa);

#endif
