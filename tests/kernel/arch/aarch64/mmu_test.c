/*
 * aarch64: what the boot code and arch_init() promise about the CPU state,
 * the kernel's mappings and the devicetree, checked against the hardware
 * (address translation instructions, system registers) where possible.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/fdt.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <arch/aarch64.h>
#include <arch/mmu.h>

#define PAR_F 1ul /* PAR_EL1: the translation failed */
#define PTE_ATTRINDX(e) (((e) >> 2) & 7)
#define MIB (1024ul * 1024)
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)

/* What QEMU virt and mk/qemu.sh give the guest: RAM at 1 GiB, 256 MiB. */
#define VIRT_RAM_BASE 0x40000000ul
#define QEMU_RAM_SIZE (256 * MIB)

static const uint64_t ro_word = 0x0123456789abcdefull;
static volatile uint64_t rw_word = 1;

/* PAR_EL1 after the hardware walks va for a read or a write at EL1. */
static uint64_t
translate(uintptr_t va, bool write)
{
	if (write)
		__asm__ volatile("at s1e1w, %0" ::"r"(va));
	else
		__asm__ volatile("at s1e1r, %0" ::"r"(va));
	isb();
	return read_sysreg(par_el1);
}

/* Text and rodata refuse writes, data takes them, and text resolves to the
 * kernel's load address. */
KTEST(aarch64_kernel_write_protection)
{
	uintptr_t text = (uintptr_t)arch_probe_read;
	uint64_t par = translate(text, false);

	KT_ASSERT(!(par & PAR_F));
	KT_ASSERT_EQ(par & PTE_ADDR_MASK,
		     virt_to_phys((void *)text) & PTE_ADDR_MASK);
	KT_ASSERT(translate(text, true) & PAR_F);
	/* Nor through the physmap alias of the image. */
	text = (uintptr_t)phys_to_virt(virt_to_phys((void *)text));
	KT_ASSERT(!(translate(text, false) & PAR_F));
	KT_ASSERT(translate(text, true) & PAR_F);
	KT_ASSERT(!(translate((uintptr_t)&ro_word, false) & PAR_F));
	KT_ASSERT(translate((uintptr_t)&ro_word, true) & PAR_F);
	KT_ASSERT(!(translate((uintptr_t)&rw_word, true) & PAR_F));
}

/* Only kernel text is executable: rodata, data and the physmap are not. */
KTEST(aarch64_execute_never)
{
	uint64_t text = mmu_lookup((uintptr_t)arch_probe_read);
	uint64_t ro = mmu_lookup((uintptr_t)&ro_word);
	uint64_t rw = mmu_lookup((uintptr_t)&rw_word);
	uint64_t ram = mmu_lookup((uintptr_t)phys_to_virt(VIRT_RAM_BASE));

	KT_ASSERT(text && ro && rw && ram);
	KT_ASSERT(!(text & PTE_PXN));
	KT_ASSERT(ro & PTE_PXN);
	KT_ASSERT(rw & PTE_PXN);
	KT_ASSERT(ram & PTE_PXN);
	KT_ASSERT((text & ro & rw & ram & PTE_UXN) != 0);
}

/* RAM is Normal memory, the UART and GIC are Device-nGnRnE. */
KTEST(aarch64_memory_types)
{
	uint64_t ram = mmu_lookup((uintptr_t)phys_to_virt(VIRT_RAM_BASE));
	uint64_t uart = mmu_lookup((uintptr_t)phys_to_virt(platform.uart));
	uint64_t gicd = mmu_lookup((uintptr_t)phys_to_virt(platform.gicd));
	uint64_t mair = read_sysreg(mair_el1);

	KT_ASSERT(ram && uart && gicd);
	KT_ASSERT_EQ(PTE_ATTRINDX(ram), MT_NORMAL);
	KT_ASSERT_EQ(PTE_ATTRINDX(uart), MT_DEVICE);
	KT_ASSERT_EQ(PTE_ATTRINDX(gicd), MT_DEVICE);
	KT_ASSERT_EQ((mair >> (8 * MT_NORMAL)) & 0xff, 0xff);
	KT_ASSERT_EQ((mair >> (8 * MT_DEVICE)) & 0xff, 0x00);
}

/* EL1 (even when QEMU started us at EL2), MMU and caches on, our vectors,
 * and the boot identity map gone from TTBR0 (user_test.c checks what
 * replaced it). */
KTEST(aarch64_cpu_state)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);

	KT_ASSERT_EQ(read_sysreg(CurrentEL) >> 2, 1);
	/* The enable bits; of the v8.0 RES1 ones, SPAN is cleared for PAN. */
	KT_ASSERT_EQ(sctlr & SCTLR_MMU_ON & ~SCTLR_RES1,
		     SCTLR_MMU_ON & ~SCTLR_RES1);
	KT_ASSERT_EQ(read_sysreg(vbar_el1), (uintptr_t)exception_vectors);
	KT_ASSERT(translate(VIRT_RAM_BASE, false) & PAR_F);
}

/* The devicetree's RAM is what QEMU was given, and the kernel image and
 * the DTB are reserved inside it. */
KTEST(aarch64_dtb_ram)
{
	uint64_t kpa = platform.kernel_pa;
	uint64_t dtb = virt_to_phys(boot_fdt.blob);
	bool kernel_reserved = false, dtb_reserved = false;

	KT_ASSERT_EQ(boot_info.nram, 1);
	KT_ASSERT_EQ(boot_info.ram[0].base, VIRT_RAM_BASE);
	KT_ASSERT_EQ(boot_info.ram[0].size, QEMU_RAM_SIZE);
	for (unsigned i = 0; i < boot_info.nreserved; i++) {
		const struct boot_range *r = &boot_info.reserved[i];

		kernel_reserved |=
			r->base <= kpa &&
			kpa + (uintptr_t)(_end - _start) <= r->base + r->size;
		dtb_reserved |= r->base <= dtb &&
				dtb + boot_fdt.size <= r->base + r->size;
	}
	KT_ASSERT(kernel_reserved);
	KT_ASSERT(dtb_reserved);
}

/* An initrd (QEMU -initrd) is what /chosen names, and reserved; without
 * one, bi->initrd is empty. */
KTEST(aarch64_dtb_initrd)
{
	const struct boot_range *rd = &boot_info.initrd;
	int chosen = fdt_path_offset(&boot_fdt, "/chosen");
	const void *start = chosen < 0
				    ? NULL
				    : fdt_getprop(&boot_fdt, chosen,
						  "linux,initrd-start", NULL);
	bool reserved = false;

	if (!start) {
		KT_ASSERT_EQ(rd->size, 0);
		return;
	}
	KT_ASSERT(rd->size > 0);
	for (unsigned i = 0; i < boot_info.nreserved; i++) {
		const struct boot_range *r = &boot_info.reserved[i];

		reserved |= r->base <= rd->base &&
			    rd->base + rd->size <= r->base + r->size;
	}
	KT_ASSERT(reserved);
	KT_ASSERT_EQ(pm_owner(ALIGN_DOWN(rd->base, PAGE_SIZE)), PM_RESERVED);
}

/* A caught fault records the data abort's syndrome and the probe's pc. */
KTEST(aarch64_fault_syndrome)
{
	uintptr_t va = (uintptr_t)phys_to_virt(VIRT_RAM_BASE + QEMU_RAM_SIZE);
	uint64_t v;

	KT_ASSERT_EQ(arch_probe_read(va, &v), -EXO_EFAULT);
	KT_ASSERT_EQ(ESR_EC(arch_last_fault.code), 0x25);
	KT_ASSERT_EQ(arch_last_fault.addr, va);
	KT_ASSERT(arch_last_fault.pc >= (uintptr_t)arch_probe_read &&
		  arch_last_fault.pc < (uintptr_t)__text_end);
	KT_ASSERT_EQ(arch_probe_read((uintptr_t)&ro_word, &v), 0);
	KT_ASSERT_EQ(v, ro_word);
}

/* Writing kernel text is a permission fault the kernel does not expect. */
KTEST_PANICS(aarch64_text_write_panics)
{
	volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)arch_halt;

	*insn = 0;
	ktest_fail(__FILE__, __LINE__, "the write to kernel text returned");
}
