/*
 * Interrupt controllers: the legacy 8259 pair (remapped off the exception
 * vectors, then masked for good), the local APIC (xAPIC, MMIO) and the
 * IOAPICs (every line masked until an IRQ capability routes one).
 */
#include <kernel/memlayout.h>
#include <kernel/arch.h>
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
#define IOAPIC_LEVEL (1u << 15)
#define IOAPIC_ACTIVE_LOW (1u << 13)
#define IOAPIC_ISA_LINES 16 /* edge, active high; above: PCI, level, low */
#define LAPIC_ICR_LOW 0x300
#define ICR_SELF (1u << 18) /* destination shorthand: this CPU */

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

/* The IOAPIC whose inputs are the bindable lines (the one at GSI 0). */
static volatile uint32_t *irq_ioapic;
static unsigned irq_lines;

static void
ioapic_write(unsigned reg, uint32_t v)
{
	irq_ioapic[IOAPIC_REGSEL] = reg;
	irq_ioapic[IOAPIC_WIN] = v;
}

/* Offer the inputs of the IOAPIC at physical base (GSI 0 up) as lines. */
void
x86_irq_setup(uint64_t base, unsigned lines)
{
	irq_ioapic = phys_to_virt(base);
	irq_lines = MIN(lines, VEC_IOAPIC_LINES);
}

unsigned
arch_irq_lines(void)
{
	return irq_lines;
}

/* The redirection entry of a line: its vector, to this CPU, ISA lines
 * edge-triggered active high, PCI lines level-triggered active low. */
static uint32_t
redirection(unsigned line)
{
	uint32_t v = VEC_IOAPIC_BASE + line;

	if (line >= IOAPIC_ISA_LINES)
		v |= IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW;
	return v;
}

void
arch_irq_mask(unsigned line)
{
	assert(line < irq_lines);
	ioapic_write(IOAPIC_REDTBL + 2 * line,
		     redirection(line) | IOAPIC_MASKED);
}

void
arch_irq_unmask(unsigned line)
{
	assert(line < irq_lines);
	ioapic_write(IOAPIC_REDTBL + 2 * line + 1,
		     x86_lapic_read(LAPIC_ID) & 0xff000000);
	ioapic_write(IOAPIC_REDTBL + 2 * line, redirection(line));
}

/* A self-IPI on the line's vector: it arrives exactly as the device's
 * interrupt would, without passing the IOAPIC's mask (exo/irq.c keeps a
 * line that fires while unacknowledged for later). */
void
arch_irq_raise(unsigned line)
{
	assert(line < irq_lines);
	x86_lapic_write(LAPIC_ICR_LOW, ICR_SELF | (VEC_IOAPIC_BASE + line));
}

/* An IOAPIC vector arrived: mask its line, acknowledge, hand it over. */
void
x86_irq_interrupt(unsigned line)
{
	arch_irq_mask(line);
	x86_lapic_eoi();
	irq_fire(line);
}
