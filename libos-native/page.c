/*
 * Pages: frames the env allocates for itself (exo_page_alloc), mapped in
 * the pages window.  Address space there is handed out by a bump pointer
 * and never reused, which the window's size (1 TiB) makes harmless; freed
 * pages stay mapped on a free list and are zeroed when taken again, so
 * a steady malloc load makes no system calls.
 */
#include <exo/arch/pte.h>
#include <exo/string.h>
#include "nat.h"

#define PAGES_END (NAT_PAGES_BASE + (1ull << 40))
#define CONTIG_PROBES 65536

struct free_page {
	struct free_page *next;
};

static uint64_t va_next = NAT_PAGES_BASE;
static struct free_page *free_pages;

uint64_t
nat__pte(uint64_t va)
{
	for (unsigned level = 0; level < 3; level++)
		if (!exo_pte_valid(*(volatile uint64_t *)(uintptr_t)
					   exo_uvpt_pte(va, level)))
			return 0;
	return *(volatile uint64_t *)(uintptr_t)exo_uvpt_pte(va, 3);
}

uint64_t
nat__va_alloc(uint64_t n)
{
	uint64_t va = 0;

	nat__lock();
	if (n <= (PAGES_END - va_next) / NAT_PAGE) {
		va = va_next;
		va_next += n * NAT_PAGE;
	}
	nat__unlock();
	return va;
}

int
nat__map_fresh(uint64_t va, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY), r;
		struct exo_mapping m = { va + i * NAT_PAGE, (uint64_t)pa,
					 EXO_PERM_R | EXO_PERM_W };

		if (pa < 0)
			return (int)pa;
		r = exo_map(EXO_ENVID_SELF, &m, 1);
		if (r < 0) {
			exo_page_free(EXO_ENVID_SELF, (uint64_t)pa);
			return (int)r;
		}
	}
	return 0;
}

void *
nat_page_alloc(void)
{
	struct free_page *p;
	uint64_t va;

	nat__lock();
	p = free_pages;
	if (p)
		free_pages = p->next;
	nat__unlock();
	if (p) {
		memset(p, 0, NAT_PAGE);
		return p;
	}
	va = nat__va_alloc(1);
	if (!va || nat__map_fresh(va, 1) < 0)
		return NULL;
	return (void *)(uintptr_t)va;
}

void
nat_page_free(void *page)
{
	struct free_page *p = page;

	if (!p)
		return;
	nat__lock();
	p->next = free_pages;
	free_pages = p;
	nat__unlock();
}

void
nat__frames_free(uint64_t pa, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		exo_page_free(EXO_ENVID_SELF, pa + i * NAT_PAGE);
}

/* Take the n frames from start up, by name: how many it got before one
 * was taken (those stay allocated), n if all.  *probes counts the calls. */
static uint64_t
frames_run(uint64_t start, uint64_t n, unsigned *probes)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		++*probes;
		if (exo_page_alloc(EXO_ENVID_SELF, start + i * NAT_PAGE) < 0)
			break;
	}
	return i;
}

/*
 * The exokernel lets an env ask for a named frame, so a contiguous run is
 * found from user space: start at any free frame and take its successors
 * by address; when one is taken, give the partial run back and start
 * again past it.
 */
int
nat__frames_contig(uint64_t n, uint64_t *pa)
{
	long first = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	unsigned probes = 0;
	uint64_t start, got;

	if (first < 0)
		return (int)first;
	exo_page_free(EXO_ENVID_SELF, (uint64_t)first);
	start = (uint64_t)first;
	while (probes < CONTIG_PROBES) {
		got = frames_run(start, n, &probes);
		if (got == n) {
			*pa = start;
			return 0;
		}
		nat__frames_free(start, got);
		start += (got + 1) * NAT_PAGE;
	}
	return -EXO_ENOMEM;
}
