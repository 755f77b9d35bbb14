/*
 * arch_init() and the small arch hooks: halting, interrupt masking.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/memlayout.h>
#include <kernel/printk.h>
#include <x86/cpu.h>

#include "acpi.h"

#define IOAPIC_DEFAULT 0xfec00000u
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_BASE 0x10

/* The IOAPICs from the ACPI MADT, or the conventional one.  Runs before
 * the page-table switch: ACPI tables are not RAM, so only the boot
 * physmap reaches them. */
static unsigned
find_ioapics(struct acpi_ioapic *io)
{
	int n = -EXO_ENOENT;

	if (x86_rsdp)
		n = acpi_find_ioapics(&x86_boot_mem, x86_rsdp, io,
				      ACPI_MAX_IOAPICS);
	if (n > 0) {
		kprintf("acpi: rsdp 0x%lx, %d ioapic(s) in the MADT\n",
			x86_rsdp, n);
		return (unsigned)n;
	}
	kprintf("ioapic: %s, assuming one at 0x%x\n",
		x86_rsdp ? "no usable ACPI MADT"
			 : "no ACPI RSDP from the boot loader",
		IOAPIC_DEFAULT);
	io[0] = (struct acpi_ioapic){ .id = 0, .addr = IOAPIC_DEFAULT };
	return 1;
}

void
arch_init(const struct boot_info *bi)
{
	struct acpi_ioapic io[ACPI_MAX_IOAPICS];
	uint64_t mmio[1 + ACPI_MAX_IOAPICS];
	unsigned i, n = find_ioapics(io);

	mmio[0] = x86_lapic_base();
	for (i = 0; i < n; i++)
		mmio[1 + i] = ALIGN_DOWN((uint64_t)io[i].addr, PAGE_SIZE);
	x86_paging_init(bi, mmio, 1 + n);
	kprintf("paging: kernel page tables at 0x%lx, identity map dropped\n",
		read_cr3());

	x86_pic_disable();
	kprintf("pic: 8259 remapped to 0x%x, all lines masked\n", VEC_PIC_BASE);
	x86_lapic_init();
	for (i = 0; i < n; i++) {
		unsigned lines = x86_ioapic_mask_all(io[i].addr);

		kprintf("ioapic: 0x%x, id %u, gsi %u-%u, all masked\n",
			io[i].addr, io[i].id, io[i].gsi_base,
			io[i].gsi_base + lines - 1);
		if (io[i].gsi_base == 0)
			x86_irq_setup(io[i].addr, lines);
	}
	x86_clock_calibrate();
	kprintf("lapic: 0x%lx, id %u, timer %lu Hz\n", x86_lapic_base(),
		x86_lapic_read(LAPIC_ID) >> 24, arch_timer_freq());
	kprintf("tsc: %lu Hz\n", x86_tsc_freq());
	x86_user_init();
}

__noreturn void
arch_halt(int status)
{
	/* QEMU's isa-debug-exit; on other machines the write does nothing. */
	outb(DEBUG_EXIT_PORT, DEBUG_EXIT_BASE | (status & 0xf));
	for (;;)
		__asm__ volatile("cli; hlt");
}

void
arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

void
arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

void
arch_wait_for_interrupt(void)
{
	/* STI takes effect after the next instruction: no interrupt can slip
	 * in between and leave HLT sleeping. */
	__asm__ volatile("sti; hlt" ::: "memory");
}
