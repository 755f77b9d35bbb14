/*
 * The kernel log: formatted output to the console.
 */
#ifndef EXO_KERNEL_PRINTK_H
#define EXO_KERNEL_PRINTK_H

#include <stdarg.h>
#include <exo/fmt.h>
#include <kernel/compiler.h>

/* Print to the console; "\n" becomes "\r\n". */
void kprintf(const char *fmt, ...) __printf(1, 2);
void kvprintf(const char *fmt, va_list ap);

/* Print a message and stop the machine with HALT_PANIC. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* Kernel invariants: a broken one is a kernel bug, never a user error. */
#define assert(x)                                                              \
	do {                                                                   \
		if (unlikely(!(x)))                                            \
			panic("assertion failed: %s at %s:%d", #x, __FILE__,   \
			      __LINE__);                                       \
	} while (0)

#endif
