/*
 * Freestanding string and memory routines for the kernel and library OSes.
 * Everything is compiled with -fno-builtin, so these are what every
 * memcpy() calls, struct copies included: memcpy and memset move eight
 * bytes at a time (four words per loop turn) when the pointers allow it,
 * and bytes otherwise.
 */
#include <stdint.h>
#include <exo/string.h>

/* A word that may alias anything, so the copies are valid C. */
typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

static int
aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if (aligned(d, d)) {
		uint64_t w = 0x0101010101010101ull * (unsigned char)c;
		word_t *p = (word_t *)(void *)d;
		for (; n >= 4 * WORD; n -= 4 * WORD, p += 4) {
			p[0] = w;
			p[1] = w;
			p[2] = w;
			p[3] = w;
		}
		for (; n >= WORD; n -= WORD)
			*p++ = w;
		d = (unsigned char *)p;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (aligned(d, s)) {
		word_t *dw = (word_t *)(void *)d;
		const word_t *sw = (const word_t *)(const void *)s;
		for (; n >= 4 * WORD; n -= 4 * WORD, dw += 4, sw += 4) {
			dw[0] = sw[0];
			dw[1] = sw[1];
			dw[2] = sw[2];
			dw[3] = sw[3];
		}
		for (; n >= WORD; n -= WORD)
			*dw++ = *sw++;
		d = (unsigned char *)dw;
		s = (const unsigned char *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	size_t n = len < size ? len : size - 1;

	memcpy(dst, src, n);
	dst[n] = '\0';
	return len;
}
