/*
 * The kernel log: formatted output to the console.
 */
#ifndef EXO_KERNEL_PRINTK_H
#define EXO_KERNEL_PRINTK_H

#include <stdarg.h>
#include <kernel/compiler.h>

/*
 * A small kvsnprintf: %d %i %u %x %X %o %c %s %p %%, the length modifiers
 * hh h l ll z t, a field width (or *), zero padding and '-' for left
 * alignment.  Returns the length the full output would have; writes at most
 * size bytes including the terminating NUL.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

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
