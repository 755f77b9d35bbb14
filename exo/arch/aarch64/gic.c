/*
 * GICv3: the distributor, this CPU's redistributor and the system-register
 * CPU interface.  Only private interrupts (SGIs and PPIs, INTIDs 0-31) are
 * routed so far; every one is Group 1 and handled by one function.
 */
#include <kernel/memlayout.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <arch/aarch64.h>

#define GIC_PRIVATE 32
#define GIC_SPURIOUS 1020 /* INTIDs 1020-1023 mean "none" */
#define GIC_PRIORITY 0x80

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1u << 31)
/* Affinity routing and Group 1 on, in both layouts of GICD_CTLR: with one
 * security state (EnableGrp0, EnableGrp1, ARE) and in the Non-secure view
 * of two (EnableGrp1, EnableGrp1A, ARE_NS). */
#define GICD_CTLR_ENABLE (1u << 0 | 1u << 1 | 1u << 4)

/* Redistributor: RD_base frame, then SGI_base 64 KiB later. */
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define SPI_LINES_MAX 64 /* shared peripheral interrupts offered as lines */

#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x080)
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_ICENABLER0 (GICR_SGI + 0x180)
#define GICR_IPRIORITYR (GICR_SGI + 0x400)
#define GICR_FRAMES 0x20000 /* RD_base + SGI_base */

static uintptr_t gicd, gicr; /* this CPU's redistributor */
static void (*handlers[GIC_PRIVATE])(void);

static void
gicd_wait(void)
{
	while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

/* Affinity of this CPU in GICR_TYPER's format (Aff3.Aff2.Aff1.Aff0). */
static uint32_t
cpu_affinity(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);

	return (uint32_t)((mpidr >> 8 & 0xff000000) | (mpidr & 0xffffff));
}

/* Find this CPU's redistributor in the GICR region; panics if absent. */
static uintptr_t
find_redistributor(uintptr_t base, uint64_t size)
{
	uint32_t aff = cpu_affinity();
	uintptr_t rd = base;

	while (rd + GICR_FRAMES <= base + size) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		/* GICv4 redistributors carry two more frames for vLPIs. */
		rd += typer & GICR_TYPER_VLPIS ? 2 * GICR_FRAMES : GICR_FRAMES;
	}
	panic("gic: no redistributor for CPU affinity 0x%x", aff);
}

static void
redistributor_wake(void)
{
	mmio_write32(gicr + GICR_WAKER,
		     mmio_read32(gicr + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(gicr + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
}

static void
cpu_interface_init(void)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | 1);
	isb();
	if (!(read_sysreg(icc_sre_el1) & 1))
		panic("gic: the ICC system-register interface is disabled");
	write_sysreg(icc_pmr_el1, 0xff);
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, 0); /* EOI drops priority and deactivates */
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static unsigned spi_lines;

/* Every SPI: group 1, our priority, routed to this CPU, disabled. */
static void
spi_init(void)
{
	unsigned intids = ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;

	spi_lines = MIN(intids - GIC_PRIVATE, SPI_LINES_MAX);
	for (unsigned i = 0; i < spi_lines; i++) {
		uint32_t intid = GIC_PRIVATE + i;
		mmio_write32(gicd + GICD_ICENABLER + intid / 32 * 4,
			     1u << intid % 32);
		*(volatile uint8_t *)(gicd + GICD_IPRIORITYR + intid) =
			GIC_PRIORITY;
		*(volatile uint64_t *)(gicd + GICD_IROUTER + intid * 8) =
			cpu_affinity();
	}
	for (unsigned i = GIC_PRIVATE; i < GIC_PRIVATE + spi_lines; i += 32)
		mmio_write32(gicd + GICD_IGROUPR + i / 32 * 4, 0xffffffff);
}

unsigned
arch_irq_lines(void)
{
	return spi_lines;
}

static void
spi_enable(unsigned line, uint32_t reg)
{
	uint32_t intid = GIC_PRIVATE + line;

	assert(line < spi_lines);
	mmio_write32(gicd + reg + intid / 32 * 4, 1u << intid % 32);
}

void
arch_irq_mask(unsigned line)
{
	spi_enable(line, GICD_ICENABLER);
}

void
arch_irq_unmask(unsigned line)
{
	spi_enable(line, GICD_ISENABLER);
}

/* Set the line pending in the distributor, as its device would; the
 * distributor keeps it pending while the line is masked. */
void
arch_irq_raise(unsigned line)
{
	spi_enable(line, GICD_ISPENDR);
}

void
gic_init(void)
{
	gicd = (uintptr_t)phys_to_virt(platform.gicd);
	mmio_write32(gicd + GICD_CTLR, 0);
	gicd_wait();
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ENABLE);
	gicd_wait();
	spi_init();

	gicr = find_redistributor((uintptr_t)phys_to_virt(platform.gicr),
				  platform.gicr_size);
	redistributor_wake();
	mmio_write32(gicr + GICR_ICENABLER0, 0xffffffff);
	mmio_write32(gicr + GICR_IGROUPR0, 0xffffffff);
	cpu_interface_init();
	kprintf("gic: GICv3 distributor 0x%llx, redistributor 0x%llx, "
		"%u SPI lines\n",
		(unsigned long long)platform.gicd,
		(unsigned long long)virt_to_phys((void *)gicr), spi_lines);
}

/* Route private interrupt intid to handler (called with IRQs masked). */
void
gic_enable_ppi(uint32_t intid, void (*handler)(void))
{
	assert(intid < GIC_PRIVATE);
	handlers[intid] = handler;
	*(volatile uint8_t *)(gicr + GICR_IPRIORITYR + intid) = GIC_PRIORITY;
	mmio_write32(gicr + GICR_ISENABLER0, 1u << intid);
}

void
gic_disable_ppi(uint32_t intid)
{
	assert(intid < GIC_PRIVATE);
	mmio_write32(gicr + GICR_ICENABLER0, 1u << intid);
}

/*
 * Acknowledge one interrupt and run its handler.  The end of interrupt
 * comes first, so a handler may switch away without returning here; IRQs
 * stay masked meanwhile, and a level interrupt whose handler clears its
 * source stops being pending.
 */
void
gic_handle_irq(void)
{
	uint32_t intid = (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffff;

	if (intid >= GIC_SPURIOUS && intid < GIC_SPURIOUS + 4)
		return;
	if (intid >= GIC_PRIVATE && intid - GIC_PRIVATE < spi_lines) {
		arch_irq_mask(intid - GIC_PRIVATE);
		write_sysreg(icc_eoir1_el1, intid);
		irq_fire(intid - GIC_PRIVATE);
		return;
	}
	write_sysreg(icc_eoir1_el1, intid);
	if (intid < GIC_PRIVATE && handlers[intid])
		handlers[intid]();
	else
		kprintf("gic: unexpected interrupt %u\n", intid);
}
