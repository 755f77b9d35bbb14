/*
 * libexo's formatter (bindings/lib/fmt.c), shared by the kernel log and the
 * library OSes: %d %i %u %x %X %o %c %s %p %%, the length modifiers hh h l
 * ll z t, a field width (or *), zero padding and '-' for left alignment.
 * Both return the length the full output would have and write at most
 * size bytes including the terminating NUL.
 */
#ifndef EXO_FMT_H
#define EXO_FMT_H

#include <stdarg.h>
#include <stddef.h>

int exo_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int exo_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
