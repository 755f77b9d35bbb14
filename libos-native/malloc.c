/*
 * malloc on the env's own pages.  Small blocks come from power-of-two
 * size classes (32 B to 2 KiB, header included) carved out of whole pages
 * and kept on per-class free lists; a large block is a run of fresh
 * pages, given back to the kernel when freed.  Every block starts with a
 * 16-byte header holding its class or its page count, so the pointer
 * returned is 16-byte aligned.
 */
#include <exo/arch/pte.h>
#include <exo/string.h>
#include "nat.h"

#define HDR 16u
#define MIN_SHIFT 5u  /* 32 B */
#define MAX_SHIFT 11u /* 2 KiB */
#define NCLASS (MAX_SHIFT - MIN_SHIFT + 1)
#define LARGE 0x4c415247u /* "LARG" */
#define MAGIC 0x6e617421u /* "nat!" */

struct hdr {
	uint32_t shift; /* size class, or LARGE */
	uint32_t magic;
	uint64_t pages; /* LARGE: pages in the run */
};
_Static_assert(sizeof(struct hdr) == HDR, "malloc header size");

struct block {
	struct block *next;
};

static struct block *free_list[NCLASS];

/* The smallest class holding n payload bytes. */
static unsigned
class_of(size_t n)
{
	unsigned s = MIN_SHIFT;

	while ((1ull << s) < n + HDR)
		s++;
	return s;
}

/* Cut a fresh page into blocks of class s (caller holds the lock). */
static int
refill(unsigned s)
{
	char *page = nat_page_alloc();
	size_t size = 1ull << s;

	if (!page)
		return -EXO_ENOMEM;
	for (size_t off = 0; off + size <= NAT_PAGE; off += size) {
		struct block *b = (struct block *)(page + off);

		b->next = free_list[s - MIN_SHIFT];
		free_list[s - MIN_SHIFT] = b;
	}
	return 0;
}

static void *
large_alloc(size_t n)
{
	uint64_t pages = (n + HDR + NAT_PAGE - 1) / NAT_PAGE;
	uint64_t va = nat__va_alloc(pages);
	struct hdr *h;

	if (!va || nat__map_fresh(va, pages) < 0)
		return NULL; /* a partial run's frames stay mapped, unused */
	h = (struct hdr *)(uintptr_t)va;
	*h = (struct hdr){ LARGE, MAGIC, pages };
	return (char *)h + HDR;
}

void *
nat_malloc(size_t n)
{
	struct block *b = NULL;
	unsigned s;

	if (n > (1ull << MAX_SHIFT) - HDR)
		return n > (1ull << 40) ? NULL : large_alloc(n);
	s = class_of(n);
	nat__lock();
	if (free_list[s - MIN_SHIFT] || refill(s) == 0) {
		b = free_list[s - MIN_SHIFT];
		free_list[s - MIN_SHIFT] = b->next;
	}
	nat__unlock();
	if (!b)
		return NULL;
	*(struct hdr *)b = (struct hdr){ s, MAGIC, 0 };
	return (char *)b + HDR;
}

void *
nat_calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = nat_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Unmap a large run and give its frames back. */
static void
large_free(struct hdr *h)
{
	uint64_t va = (uint64_t)(uintptr_t)h, pages = h->pages;

	for (uint64_t i = 0; i < pages; i++, va += NAT_PAGE) {
		uint64_t pa = exo_pte_addr(nat__pte(va));

		exo_unmap(EXO_ENVID_SELF, &va, 1);
		exo_page_free(EXO_ENVID_SELF, pa);
	}
}

void
nat_free(void *p)
{
	struct hdr *h = (struct hdr *)((char *)p - HDR);
	struct block *b = (struct block *)h;
	unsigned s;

	if (!p)
		return;
	if (h->magic != MAGIC)
		exo_panic("nat_free(%p): not a block of nat_malloc", p);
	if (h->shift == LARGE) {
		h->magic = 0;
		large_free(h);
		return;
	}
	s = h->shift;
	if (s < MIN_SHIFT || s > MAX_SHIFT)
		exo_panic("nat_free(%p): corrupt header", p);
	h->magic = 0;
	nat__lock();
	b->next = free_list[s - MIN_SHIFT];
	free_list[s - MIN_SHIFT] = b;
	nat__unlock();
}
