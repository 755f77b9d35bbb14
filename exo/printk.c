/*
 * The kernel log and panic().  One CPU for now, so no lock: interrupt
 * handlers that print may interleave with the code they interrupted.
 */
#include <kernel/arch.h>
#include <kernel/printk.h>

#define PRINTK_LINE 512

static void
console_write(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			arch_console_putc('\r');
		arch_console_putc(*s);
	}
}

void
kvprintf(const char *fmt, va_list ap)
{
	char buf[PRINTK_LINE];
	int n = exo_vsnprintf(buf, sizeof(buf), fmt, ap);

	console_write(buf);
	if (n >= (int)sizeof(buf))
		console_write("[...]\n");
}

void
kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	console_write("\nPANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	console_write("\n");
	arch_halt(HALT_PANIC);
}
