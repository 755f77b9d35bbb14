/*
 * libexo's memcpy, memmove and memset as the kernel links them (the host
 * unit tests link the C library's instead), at every small length and
 * alignment: the word and four-word paths and the byte tails.
 */
#include <kernel/ktest.h>
#include <kernel/lib.h>

#define SPAN 96

static uint8_t src[SPAN + 16], dst[SPAN + 16], want[SPAN + 16];

static uint8_t
pattern(unsigned i)
{
	return (uint8_t)(i * 7 + 3);
}

KTEST(lib_memcpy_memset)
{
	for (unsigned so = 0; so < 8; so++) {
		for (unsigned dof = 0; dof < 8; dof++) {
			for (unsigned n = 0; n <= SPAN; n++) {
				for (unsigned i = 0; i < sizeof(src); i++) {
					src[i] = pattern(i);
					dst[i] = want[i] = 0xee;
				}
				for (unsigned i = 0; i < n; i++)
					want[dof + i] = src[so + i];
				memcpy(dst + dof, src + so, n);
				KT_ASSERT(!memcmp(dst, want, sizeof(dst)));
				for (unsigned i = 0; i < n; i++)
					want[dof + i] = 0x5a;
				memset(dst + dof, 0x5a, n);
				KT_ASSERT(!memcmp(dst, want, sizeof(dst)));
			}
		}
	}
}

/* Overlapping moves both ways. */
KTEST(lib_memmove_overlap)
{
	for (unsigned shift = 1; shift < 20; shift++) {
		for (unsigned i = 0; i < sizeof(src); i++)
			src[i] = want[i] = pattern(i);
		memmove(src + shift, src, SPAN - shift);
		for (unsigned i = 0; i < SPAN - shift; i++)
			KT_ASSERT(src[shift + i] == pattern(i));
		for (unsigned i = 0; i < sizeof(src); i++)
			src[i] = pattern(i);
		memmove(src, src + shift, SPAN - shift);
		for (unsigned i = 0; i < SPAN - shift; i++)
			KT_ASSERT(src[i] == pattern(shift + i));
	}
}
