/*
 * x86_64 private definitions: control registers, MSRs, port I/O, the
 * segment layout and the trap frame.  Included only by exo/arch/x86_64/
 * and the x86_64 kernel test cases.
 */
#ifndef EXO_X86_CPU_H
#define EXO_X86_CPU_H

#include <kernel/boot.h>
#include <kernel/compiler.h>

/* GDT selectors.  User data sits just below user code so that SYSRET
 * (STAR[63:48] = GDT_KDATA) finds SS at +8 and CS at +16. */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x18
#define GDT_UCODE 0x20
#define GDT_TSS 0x28
#define GDT_ENTRIES 7 /* the TSS descriptor takes two slots */

/* Interrupt vectors. */
#define VEC_DF 8
#define VEC_NMI 2
#define VEC_GP 13
#define VEC_PF 14
#define VEC_PIC_BASE 0x20    /* legacy 8259, remapped and masked */
#define VEC_IOAPIC_BASE 0x30 /* IOAPIC lines, all masked for now */
#define VEC_TIMER 0xf0
#define VEC_SPURIOUS 0xff
#define IDT_ENTRIES 256

/* IST slots in the TSS (1-based, as the IDT gate encodes them). */
#define IST_DF 1
#define IST_NMI 2

#define CR0_WP (1UL << 16)
#define CR0_PG (1UL << 31)
#define CR4_PAE (1UL << 5)
#define CR4_PGE (1UL << 7)
#define MSR_APIC_BASE 0x1b
#define MSR_EFER 0xc0000080
#define EFER_LME (1UL << 8)
#define EFER_NXE (1UL << 11)
#define RFLAGS_IF (1UL << 9)

/* Page-table entry bits. */
#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_PS (1UL << 7)
#define PTE_G (1UL << 8)
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL

/*
 * Saved by vectors.S on every trap, lowest address first.  The last five
 * words are the hardware's interrupt frame.
 */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32)));
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define DEFINE_CR(n)                                                           \
	static inline uint64_t read_cr##n(void)                                \
	{                                                                      \
		uint64_t v;                                                    \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));              \
		return v;                                                      \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void
write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void
write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* The kernel image's sections, from kernel.ld (virtual addresses). */
extern char __kernel_start[], __text_end[], __rodata_start[], __rodata_end[],
	__data_start[], __kernel_end[];
extern const uint8_t x86_vectors[];

/* Descriptor tables (cpu.c). */
void x86_cpu_init(void);
/* The IST slot (0: none) of the gate for vector v in the IDT the CPU
 * uses, or -1 unless it is an interrupt gate pointing at v's stub. */
int x86_idt_gate_ist(unsigned v);

/* Store v at va; a fault is recovered like arch_probe_read()'s. */
int x86_probe_write(uintptr_t va, uint64_t v);

/* Trap entry from vectors.S. */
void x86_trap(struct trapframe *tf);
const char *x86_trap_name(uint64_t vector);

/* boot.S maps the first 4 GiB at PHYSMAP_BASE until arch_init(). */
#define X86_BOOT_PHYSMAP (4UL << 30)

/* From the boot information (start.c): the ACPI RSDP, or 0, and a window
 * onto physical memory through the boot physmap. */
extern uint64_t x86_rsdp;
struct boot_mem;
extern const struct boot_mem x86_boot_mem;

/* Console (console.c). */
void x86_console_init(void);

/* Kernel page tables (paging.c); mmio[] lists the pages mapped uncached. */
void x86_paging_init(const struct boot_info *bi, const uint64_t *mmio,
		     unsigned nmmio);
/* The leaf entry mapping va in the running page tables, or 0. */
uint64_t x86_pte_lookup(uintptr_t va);

/* Interrupt controllers and clocks (apic.c, clock.c). */
void x86_pic_disable(void);
uint64_t x86_lapic_base(void);
void x86_lapic_init(void);
void x86_lapic_eoi(void);
unsigned x86_ioapic_mask_all(uint64_t base);
/* Note the TSC at boot: arch_clock_ns() counts from here. */
void x86_clock_boot(void);
void x86_clock_calibrate(void);
uint64_t x86_tsc_freq(void);
/* Timer interrupt: ticks only while arch_timer_start() is in force. */
void x86_timer_interrupt(void);
uint32_t x86_lapic_read(unsigned reg);
void x86_lapic_write(unsigned reg, uint32_t v);

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_TIMER_PERIODIC (1u << 17)

#endif
