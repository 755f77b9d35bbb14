/*
 * Freestanding replacements for the few libc routines the kernel uses.
 */
#ifndef EXO_KERNEL_LIB_H
#define EXO_KERNEL_LIB_H

#include <kernel/compiler.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copy at most size-1 bytes and always NUL-terminate (size > 0). */
size_t strlcpy(char *dst, const char *src, size_t size);
/*
 * Find the value of key=value in a space-separated command line.  Returns
 * the value's length and sets *val, or -1 if the key is absent.
 */
int cmdline_get(const char *cmdline, const char *key, const char **val);

#endif
