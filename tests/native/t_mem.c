/*
 * Cases: libos-native's memory — pages, malloc, demand-zero regions and
 * copy-on-write clones, all resolved in the library's own fault handler.
 */
#include <exo/arch/pte.h>
#include <exo/string.h>
#include "nt.h"

#define PAGE EXO_PAGE_SIZE

static uint64_t
faults(void)
{
	return exo_info()->counters.faults;
}

static uint64_t
leaf(const void *p)
{
	uint64_t va = (uint64_t)(uintptr_t)p;

	for (unsigned level = 0; level < 3; level++)
		if (!exo_pte_valid(*(volatile uint64_t *)(uintptr_t)
					   exo_uvpt_pte(va, level)))
			return 0;
	return *(volatile uint64_t *)(uintptr_t)exo_uvpt_pte(va, 3);
}

UTEST(page_alloc)
{
	uint64_t *a, *b;

	UT_OK(nat_init());
	a = nat_page_alloc();
	UT_ASSERT(a && ((uintptr_t)a & (PAGE - 1)) == 0);
	for (unsigned i = 0; i < PAGE / 8; i++)
		UT_ASSERT_EQ(a[i], 0);
	a[7] = 0x1234;
	nat_page_free(a);
	b = nat_page_alloc();
	UT_ASSERT(b == a); /* reused, and zeroed again */
	UT_ASSERT_EQ(b[7], 0);
	nat_page_free(b);
}

/* Untouched pages read as zeros, each first touch is one fault, and the
 * second touch none. */
UTEST(dz_zero_fill)
{
	enum { N = 16 };
	volatile uint64_t *p;
	uint64_t f0;

	UT_OK(nat_init());
	p = nat_dz_reserve(N * PAGE);
	UT_ASSERT(p);
	UT_ASSERT_EQ(leaf((const void *)p), 0);
	f0 = faults();
	for (unsigned i = 0; i < N; i++)
		UT_ASSERT_EQ(p[i * PAGE / 8 + i], 0);
	UT_ASSERT_EQ(faults() - f0, N);
	for (unsigned i = 0; i < N; i++)
		p[i * PAGE / 8 + 1] = i + 1;
	for (unsigned i = 0; i < N; i++)
		UT_ASSERT_EQ(p[i * PAGE / 8 + 1], i + 1);
	UT_ASSERT_EQ(faults() - f0, N);
	UT_ASSERT(exo_pte_perms(leaf((const void *)p)) & EXO_PERM_W);
}

/* Released pages go back to the kernel and read as zeros again. */
UTEST(dz_release)
{
	volatile uint64_t *p;
	uint64_t used;

	UT_OK(nat_init());
	p = nat_dz_reserve(4 * PAGE);
	UT_ASSERT(p);
	for (unsigned i = 0; i < 4; i++)
		p[i * PAGE / 8] = 0xabc;
	used = exo_info()->frames_used;
	UT_OK(nat_dz_release((void *)p, 4 * PAGE));
	UT_ASSERT_EQ(exo_info()->frames_used, used - 4);
	UT_ASSERT_EQ(leaf((const void *)p), 0);
	UT_ASSERT_EQ(p[0], 0);
	UT_ASSERT_ERR(nat_dz_release((void *)0x10000, PAGE), EXO_EINVAL);
}

/* A clone shares frames until a write; a write on either side copies
 * just that page, and the other side keeps the old contents. */
UTEST(cow_both_sides)
{
	enum { N = 4 };
	volatile uint64_t *src, *dst;

	UT_OK(nat_init());
	src = nat_dz_reserve(N * PAGE);
	dst = nat_dz_reserve(N * PAGE);
	UT_ASSERT(src && dst);
	for (unsigned i = 0; i < N; i++)
		src[i * PAGE / 8] = 100 + i;
	UT_OK(nat_cow_clone((void *)dst, (const void *)src, N * PAGE));
	for (unsigned i = 0; i < N; i++) {
		UT_ASSERT_EQ(dst[i * PAGE / 8], 100 + i);
		UT_ASSERT_EQ(
			exo_pte_addr(leaf((const void *)&dst[i * PAGE / 8])),
			exo_pte_addr(leaf((const void *)&src[i * PAGE / 8])));
		UT_ASSERT(!(
			exo_pte_perms(leaf((const void *)&src[i * PAGE / 8])) &
			EXO_PERM_W));
	}
	/* The clone side writes page 0, the source side page 1. */
	dst[0] = 7;
	src[PAGE / 8] = 8;
	UT_ASSERT_EQ(src[0], 100);
	UT_ASSERT_EQ(dst[0], 7);
	UT_ASSERT_EQ(src[PAGE / 8], 8);
	UT_ASSERT_EQ(dst[PAGE / 8], 101);
	UT_ASSERT(exo_pte_addr(leaf((const void *)dst)) !=
		  exo_pte_addr(leaf((const void *)src)));
	/* The other holder of each page is its only user now: it writes in
	 * place, without a copy. */
	{
		uint64_t pa = exo_pte_addr(leaf((const void *)src));
		src[0] = 9;
		UT_ASSERT_EQ(exo_pte_addr(leaf((const void *)src)), pa);
	}
	UT_ASSERT_EQ(dst[0], 7);
	/* Untouched pages are still shared. */
	UT_ASSERT_EQ(exo_pte_addr(leaf((const void *)&dst[3 * PAGE / 8])),
		     exo_pte_addr(leaf((const void *)&src[3 * PAGE / 8])));
	UT_OK(nat_dz_release((void *)dst, N * PAGE));
	UT_OK(nat_dz_release((void *)src, N * PAGE));
}

/* Holes in a demand-zero source stay demand-zero in the clone; a busy
 * destination and an unmapped source are refused. */
UTEST(cow_holes_and_errors)
{
	volatile uint64_t *src, *dst, *other;

	UT_OK(nat_init());
	src = nat_dz_reserve(2 * PAGE);
	dst = nat_dz_reserve(2 * PAGE);
	other = nat_dz_reserve(PAGE);
	UT_ASSERT(src && dst && other);
	src[0] = 5; /* page 1 stays untouched */
	UT_OK(nat_cow_clone((void *)dst, (const void *)src, 2 * PAGE));
	UT_ASSERT_EQ(dst[PAGE / 8], 0);
	UT_ASSERT_EQ(dst[0], 5);
	UT_ASSERT_ERR(nat_cow_clone((void *)dst, (const void *)src, PAGE),
		      EXO_EBUSY);
	UT_ASSERT_ERR(
		nat_cow_clone((void *)other, (const void *)0x7000000000, PAGE),
		EXO_EFAULT);
	UT_ASSERT_ERR(nat_cow_clone((void *)other, (const void *)src, 100),
		      EXO_EINVAL);
	/* A clone of a clone: three holders, two copies, one in place. */
	UT_OK(nat_cow_clone((void *)other, (const void *)dst, PAGE));
	other[0] = 1;
	dst[0] = 2;
	src[0] = 3;
	UT_ASSERT_EQ(other[0] + dst[0] * 10 + src[0] * 100, 321);
}

/* Many blocks of mixed sizes, written, checked and freed in a scrambled
 * order, twice: nothing overlaps, and the second round reuses memory. */
UTEST(malloc_stress)
{
	enum { N = 600 };
	static unsigned char *blk[N];
	static size_t len[N];
	uint64_t used = 0, seed;

	UT_OK(nat_init());
	for (unsigned round = 0; round < 2; round++) {
		seed = 12345; /* the same sizes both rounds */
		for (unsigned i = 0; i < N; i++) {
			seed = seed * 6364136223846793005ull + 1;
			len[i] = (seed >> 33) % (i % 50 == 0 ? 20000 : 700) + 1;
			blk[i] = nat_malloc(len[i]);
			UT_ASSERT(blk[i] && ((uintptr_t)blk[i] & 15) == 0);
			memset(blk[i], (int)(i & 0xff), len[i]);
		}
		for (unsigned k = 0; k < N; k++) {
			unsigned i = (k * 7919) % N;
			for (size_t j = 0; j < len[i]; j++)
				UT_ASSERT_EQ(blk[i][j], i & 0xff);
			nat_free(blk[i]);
		}
		if (round == 0)
			used = exo_info()->frames_used;
	}
	/* Small blocks came back to their lists, large runs to the kernel
	 * (new page tables for the second round's fresh addresses aside). */
	UT_ASSERT(exo_info()->frames_used <= used + 4);
	UT_ASSERT(nat_calloc((size_t)1 << 62, 8) == NULL);
	blk[0] = nat_calloc(3, 100);
	UT_ASSERT(blk[0]);
	for (unsigned j = 0; j < 300; j++)
		UT_ASSERT_EQ(blk[0][j], 0);
	nat_free(blk[0]);
}
