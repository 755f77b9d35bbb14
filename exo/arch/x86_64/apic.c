/*
 * Interrupt controllers: the legacy 8259 pair (remapped off the exception
 * vectors, then masked for good), the local APIC (xAPIC, MMIO) and the
 * IOAPICs (every line masked until an IRQ capability routes one).
 */
#include <kernel/memlayout.h>
#include <kernel/printk.h>
#include <x86/cpu.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01

#define APIC_BASE_ENABLE (1UL << 11)
#define APIC_BASE_ADDR 0x000ffffffffff000UL
#define SVR_ENABLE (1u << 8)
#define LVT_NMI (4u << 8) /* delivery mode NMI */

#define IOAPIC_REGSEL 0
#define IOAPIC_WIN 4 /* in 32-bit words: offset 0x10 */
#define IOAPIC_VER 1
#define IOAPIC_REDTBL 0x10
#define IOAPIC_MASKED (1u << 16)

static volatile uint32_t *lapic;

/* Remap the PICs to VEC_PIC_BASE (so a spurious IRQ 7 or 15 cannot look
 * like an exception) and mask every line. */
void
x86_pic_disable(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, VEC_PIC_BASE);
	outb(PIC2_DATA, VEC_PIC_BASE + 8);
	outb(PIC1_DATA, 1 << 2); /* slave on line 2 */
	outb(PIC2_DATA, 2);	 /* cascade identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

uint64_t
x86_lapic_base(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR;
}

uint32_t
x86_lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

void
x86_lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void
x86_lapic_eoi(void)
{
	x86_lapic_write(LAPIC_EOI, 0);
}

/* Enable the local APIC with every local interrupt masked except LINT1,
 * which carries NMIs.  Its page must be mapped uncached in the physmap. */
void
x86_lapic_init(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic = phys_to_virt(x86_lapic_base());
	x86_lapic_write(LAPIC_TPR, 0);
	x86_lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_TIMER);
	x86_lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	x86_lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
	x86_lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
	x86_lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	x86_lapic_eoi();
}

/* Mask every redirection entry of the IOAPIC at physical base (mapped
 * uncached).  Returns its number of lines. */
unsigned
x86_ioapic_mask_all(uint64_t base)
{
	volatile uint32_t *io = phys_to_virt(base);
	unsigned i, lines;

	io[IOAPIC_REGSEL] = IOAPIC_VER;
	lines = (io[IOAPIC_WIN] >> 16 & 0xff) + 1;
	for (i = 0; i < lines; i++) {
		/* The vector is a placeholder the mask makes irrelevant; a
		 * binding will choose the real one. */
		io[IOAPIC_REGSEL] = IOAPIC_REDTBL + 2 * i;
		io[IOAPIC_WIN] = IOAPIC_MASKED | VEC_IOAPIC_BASE;
		io[IOAPIC_REGSEL] = IOAPIC_REDTBL + 2 * i + 1;
		io[IOAPIC_WIN] = 0;
	}
	return lines;
}
