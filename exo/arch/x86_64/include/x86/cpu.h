/*
 * x86_64 private definitions: control registers, MSRs, CPUID bits, port
 * I/O, vectors and the per-CPU data.  Included only by exo/arch/x86_64/
 * and the x86_64 kernel test cases.
 */
#ifndef EXO_X86_CPU_H
#define EXO_X86_CPU_H

#include <arch/pte.h>
#include <arch/trapframe.h>
#include <exo/arch/syscall.h>
#include <kernel/boot.h>
#include <kernel/compiler.h>
#include <x86/asm.h>

#define GDT_ENTRIES 7 /* the TSS descriptor takes two slots */

/* Interrupt vectors. */
#define VEC_DE 0
#define VEC_DB 1
#define VEC_NMI 2
#define VEC_BP 3
#define VEC_UD 6
#define VEC_DF 8
#define VEC_GP 13
#define VEC_PF 14
#define VEC_MF 16
#define VEC_AC 17
#define VEC_MC 18
#define VEC_XM 19
#define VEC_EXCEPTIONS 32
#define VEC_PIC_BASE 0x20    /* legacy 8259, remapped and masked */
#define VEC_IOAPIC_BASE 0x30 /* IOAPIC lines (IRQ bindings) */
#define VEC_IOAPIC_LINES 64
#define VEC_TIMER 0xf0
#define VEC_SPURIOUS 0xff
#define IDT_ENTRIES 256

/* IST slots in the TSS (1-based, as the IDT gate encodes them). */
#define IST_DF 1
#define IST_NMI 2

#define CR0_MP (1UL << 1)
#define CR0_EM (1UL << 2)
#define CR0_TS (1UL << 3)
#define CR0_NE (1UL << 5)
#define CR0_WP (1UL << 16)
#define CR0_PG (1UL << 31)
#define CR3_NOFLUSH (1UL << 63)
#define CR4_PAE (1UL << 5)
#define CR4_PGE (1UL << 7)
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_UMIP (1UL << 11)
#define CR4_FSGSBASE (1UL << 16)
#define CR4_PCIDE (1UL << 17)
#define CR4_OSXSAVE (1UL << 18)
#define CR4_SMEP (1UL << 20)
#define CR4_SMAP (1UL << 21)
#define MSR_APIC_BASE 0x1b
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SFMASK 0xc0000084
#define MSR_GS_BASE 0xc0000101
#define EFER_SCE (1UL << 0)
#define EFER_LME (1UL << 8)
#define EFER_NXE (1UL << 11)
#define RFLAGS_CF (1UL << 0)
#define RFLAGS_FIXED (1UL << 1) /* always reads as 1 */
#define RFLAGS_PF (1UL << 2)
#define RFLAGS_AF (1UL << 4)
#define RFLAGS_ZF (1UL << 6)
#define RFLAGS_SF (1UL << 7)
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_IF (1UL << 9)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_OF (1UL << 11)
#define RFLAGS_IOPL (3UL << 12)
#define RFLAGS_NT (1UL << 14)
#define RFLAGS_AC (1UL << 18)
#define RFLAGS_ID (1UL << 21)

/* CPUID feature bits the kernel looks for. */
#define CPUID1_ECX_PCID (1u << 17)
#define CPUID7_EBX_FSGSBASE (1u << 0)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_INVPCID (1u << 10)
#define CPUID7_EBX_SMAP (1u << 20)
#define CPUID7_ECX_UMIP (1u << 2)

struct exo_env_counters;

/* The boot CPU's own data, at its kernel GS base while it runs kernel
 * code; the offsets vectors.S uses are in x86/asm.h. */
struct x86_percpu {
	uint64_t kstack_top; /* where entries from user mode start */
	uint64_t user_rsp;   /* the syscall entry's scratch slots: user rsp */
	uint64_t user_rip;   /* and, on its fast path, user rip */
	/* Left by x86_foreign_frame() for the foreign-call fast path. */
	uint64_t upcall_entry;
	struct exo_env_counters *counters;
};

/* Whether a `syscall` with this rax is an Exo call (x86/asm.h). */
static inline bool
x86_exo_call(uint64_t rax)
{
	return rax - EXO_SYSCALL_BASE < X86_EXO_CALLS;
}

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

static inline void
cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
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
write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

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

/* Descriptor tables, the kernel stack and GS base (cpu.c). */
void x86_cpu_init(void);
extern struct x86_percpu x86_percpu;
/* The IST slot (0: none) of the gate for vector v in the IDT the CPU
 * uses, or -1 unless it is an interrupt gate pointing at v's stub. */
int x86_idt_gate_ist(unsigned v);
/* The privilege level that may raise vector v with INT n, or -1 as above. */
int x86_idt_gate_dpl(unsigned v);

/* Optional CPU features the kernel found and turned on (user.c). */
struct x86_features {
	bool pcid, invpcid, smep, smap, fsgsbase, umip;
};
extern struct x86_features x86_features;

/* User mode (user.c): CR0/CR4 features, FP/SIMD, the syscall MSRs, and
 * the first C code of every entry from user mode. */
void x86_user_init(void);
__noreturn void x86_syscall(struct trapframe *tf);
uint64_t x86_foreign_frame(uint64_t sp);
__noreturn void x86_trap_user(struct trapframe *tf);

/* Bit nr set: Exo call nr may take the syscall entry's fast path (the
 * generated syscall_is_fast(), as one word for vectors.S; user.c). */
extern uint64_t x86_fast_calls;

/* vectors.S: the syscall entry point; the two ways back to user mode, from
 * a frame at the top of the kernel stack; re-entry of x86_trap_user()
 * with such a frame; a copy that returns -EXO_EFAULT if it faults. */
extern const uint8_t x86_syscall_entry[];
__noreturn void x86_return_iret(struct trapframe *tf);
__noreturn void x86_return_sysret(struct trapframe *tf);
__noreturn void x86_reenter_user_trap(struct trapframe *tf);
int x86_copy_user(void *dst, const void *src, size_t n);

/* User address spaces (as.c): PCIDs on if the CPU has them. */
void x86_as_init(void);

/* Store v at va; a fault is recovered like arch_probe_read()'s. */
int x86_probe_write(uintptr_t va, uint64_t v);

/* Trap entry from vectors.S, for traps taken in kernel mode. */
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
/* The kernel's top-level table, whose upper half every space shares. */
uint64_t *x86_kernel_pml4(void);
/* The leaf entry mapping va in the running page tables, or 0. */
uint64_t x86_pte_lookup(uintptr_t va);

/* Interrupt controllers and clocks (apic.c, clock.c). */
void x86_pic_disable(void);
uint64_t x86_lapic_base(void);
void x86_lapic_init(void);
void x86_lapic_eoi(void);
unsigned x86_ioapic_mask_all(uint64_t base);
void x86_irq_setup(uint64_t base, unsigned lines);
void x86_irq_interrupt(unsigned line);
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
