/*
 * libexo's freestanding memory and string routines (bindings/lib/string.c),
 * shared by the kernel and every library OS: neither links a C library.
 */
#ifndef EXO_STRING_H
#define EXO_STRING_H

#include <stddef.h>

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

#endif
