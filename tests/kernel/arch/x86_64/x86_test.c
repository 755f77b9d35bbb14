/*
 * x86_64-specific checks of what arch_init() promises: the paging and
 * protection bits, the kernel's page permissions as the CPU enforces them,
 * the IDT, and faults that only x86 has (#GP on a non-canonical address,
 * #DF on its own stack).
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/memlayout.h>
#include <x86/cpu.h>

#define PF_PROTECTION_WRITE 0x3 /* present, write, supervisor */
#define NONCANONICAL 0x0000800000000000UL
#define UNMAPPED (PHYSMAP_BASE + PHYSMAP_SIZE - PAGE_SIZE)

static uint64_t data_word = 42;

KTEST(x86_control_registers)
{
	KT_ASSERT(read_cr0() & CR0_PG);
	KT_ASSERT(read_cr0() & CR0_WP);
	KT_ASSERT(read_cr4() & CR4_PAE);
	KT_ASSERT(read_cr4() & CR4_PGE);
	KT_ASSERT(rdmsr(MSR_EFER) & EFER_LME);
	KT_ASSERT(rdmsr(MSR_EFER) & EFER_NXE);
}

/* The leaf entries have the permissions paging.c promises. */
KTEST(x86_kernel_page_permissions)
{
	uint64_t text = x86_pte_lookup((uintptr_t)x86_trap);
	uint64_t alias =
		x86_pte_lookup((uintptr_t)phys_to_virt(virt_to_phys(x86_trap)));
	uint64_t ro = x86_pte_lookup((uintptr_t)__rodata_start);
	uint64_t rw = x86_pte_lookup((uintptr_t)&data_word);
	uint64_t lapic =
		x86_pte_lookup((uintptr_t)phys_to_virt(x86_lapic_base()));

	KT_ASSERT((text & PTE_P) && !(text & PTE_W) && !(text & PTE_NX));
	KT_ASSERT((alias & PTE_P) && !(alias & PTE_W) && (alias & PTE_NX));
	KT_ASSERT((ro & PTE_P) && !(ro & PTE_W) && (ro & PTE_NX));
	KT_ASSERT((rw & PTE_P) && (rw & PTE_W) && (rw & PTE_NX));
	KT_ASSERT((lapic & PTE_PCD) && (lapic & PTE_NX));
	/* The boot identity map is gone. */
	KT_ASSERT_EQ(x86_pte_lookup(virt_to_phys(x86_trap)), 0);
}

/* The CPU refuses a kernel write to the kernel's text and its physmap
 * alias.  The value written is the one already there, so even a broken
 * protection leaves the code intact. */
KTEST(x86_kernel_text_not_writable)
{
	uintptr_t targets[2] = {
		(uintptr_t)x86_trap,
		(uintptr_t)phys_to_virt(virt_to_phys(x86_trap)),
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		unsigned before = arch_last_fault.count;
		uint64_t v;

		KT_ASSERT_EQ(arch_probe_read(targets[i], &v), 0);
		KT_ASSERT_EQ(x86_probe_write(targets[i], v), -EXO_EFAULT);
		KT_ASSERT_EQ(arch_last_fault.count, before + 1);
		KT_ASSERT_EQ(arch_last_fault.addr, targets[i]);
		KT_ASSERT_EQ(arch_last_fault.code, PF_PROTECTION_WRITE);
	}
	KT_ASSERT_EQ(x86_probe_write((uintptr_t)&data_word, 43), 0);
	KT_ASSERT_EQ(data_word, 43);
}

/* A non-canonical address raises #GP, not #PF; it is recovered too. */
KTEST(x86_probe_noncanonical)
{
	unsigned before = arch_last_fault.count;
	uint64_t v;

	KT_ASSERT_EQ(arch_probe_read(NONCANONICAL, &v), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_last_fault.count, before + 1);
	KT_ASSERT_EQ(arch_last_fault.addr, 0);
}

KTEST(x86_idt_complete)
{
	unsigned v;

	for (v = 0; v < IDT_ENTRIES; v++)
		KT_ASSERT(x86_idt_gate_ist(v) >= 0);
	KT_ASSERT_EQ(x86_idt_gate_ist(VEC_DF), IST_DF);
	KT_ASSERT_EQ(x86_idt_gate_ist(VEC_NMI), IST_NMI);
	KT_ASSERT_EQ(x86_idt_gate_ist(VEC_PF), 0);
}

/*
 * With the stack pointer on an unmapped page, the #PF cannot be delivered
 * and becomes a #DF, which only works on its IST stack: the dump and the
 * panic prove it.  Without the IST the CPU triple-faults and resets.
 */
KTEST_PANICS(x86_double_fault_reported)
{
	__asm__ volatile("movq %0, %%rsp\n\tpushq $0" : : "r"(UNMAPPED + 64));
	ktest_fail(__FILE__, __LINE__, "the push to an unmapped stack worked");
}
