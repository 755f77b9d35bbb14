/*
 * The kernel's console: an Arm PL011 UART, polled.  Until the devicetree
 * is read it is QEMU virt's PL011 at a fixed address (reachable through
 * the boot physmap); console_use() then moves it to the devicetree's.
 */
#include <kernel/arch.h>
#include <kernel/memlayout.h>
#include <arch/aarch64.h>

#define EARLY_UART_PA 0x09000000UL

#define UART_DR 0x00
#define UART_FR 0x18
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

static uintptr_t uart = PHYSMAP_BASE + EARLY_UART_PA;

void
console_use(uint64_t pa)
{
	uart = (uintptr_t)phys_to_virt(pa);
}

void
arch_console_putc(char c)
{
	while (mmio_read32(uart + UART_FR) & FR_TXFF)
		;
	mmio_write32(uart + UART_DR, (uint8_t)c);
}

int
arch_console_getc(void)
{
	if (mmio_read32(uart + UART_FR) & FR_RXFE)
		return -1;
	return mmio_read32(uart + UART_DR) & 0xff;
}
