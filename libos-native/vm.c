/*
 * Virtual memory done in the library OS's own fault handler: demand-zero
 * regions and copy-on-write.
 *
 * A region is a reserved range whose unmapped pages read as zeros: the
 * first touch faults, and the handler allocates a frame (the kernel hands
 * frames out zeroed) and maps it.  Copy-on-write sharing is tracked per
 * frame: the cow table counts the read-only mappings of each shared
 * frame, so a write fault on one copies the page while others still share
 * it, and simply makes it writable again for the last one.
 */
#include <exo/arch/pte.h>
#include <exo/string.h>
#include "nat.h"

#define DZ_END (NAT_DZ_BASE + (1ull << 40))
#define NREGION 256
#define NCOW 4096		 /* a power of two */
#define COW_LIMIT (NCOW / 4 * 3) /* keep probe chains short */

struct region {
	uint64_t lo, hi;
};

struct cow {
	uint64_t pa; /* 0: free slot */
	uint64_t refs;
};

static struct region regions[NREGION];
static volatile unsigned nregions;
static uint64_t dz_next = NAT_DZ_BASE;
static struct cow cow[NCOW];
static unsigned cow_used;

static uint64_t
page_down(uint64_t x)
{
	return x & ~(NAT_PAGE - 1);
}

static bool
in_region(uint64_t va)
{
	for (unsigned i = 0; i < nregions; i++)
		if (va >= regions[i].lo && va < regions[i].hi)
			return true;
	return false;
}

static bool
range_in_region(uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < nregions; i++)
		if (lo >= regions[i].lo && hi <= regions[i].hi)
			return true;
	return false;
}

/* Publish [lo, hi) as a region: filled in before it is counted, so the
 * fault handler never sees half an entry. */
static int
region_add(uint64_t lo, uint64_t hi)
{
	if (nregions == NREGION)
		return -EXO_ENOMEM;
	regions[nregions] = (struct region){ lo, hi };
	__atomic_store_n(&nregions, nregions + 1, __ATOMIC_RELEASE);
	return 0;
}

void *
nat_dz_reserve(size_t len)
{
	uint64_t size = (len + NAT_PAGE - 1) & ~(NAT_PAGE - 1), va = 0;

	if (!size)
		return NULL;
	nat__lock();
	/* One unmapped guard page after each reservation. */
	if (size < DZ_END - dz_next - NAT_PAGE &&
	    region_add(dz_next, dz_next + size) == 0) {
		va = dz_next;
		dz_next += size + NAT_PAGE;
	}
	nat__unlock();
	return (void *)(uintptr_t)va;
}

/* --- the cow table: open addressing, linear probing ----------------------- */

static unsigned
cow_hash(uint64_t pa)
{
	return (unsigned)(((pa >> 12) * 0x9e3779b97f4a7c15ull) >> 52) &
	       (NCOW - 1);
}

static struct cow *
cow_find(uint64_t pa)
{
	for (unsigned i = cow_hash(pa);; i = (i + 1) & (NCOW - 1)) {
		if (cow[i].pa == pa)
			return &cow[i];
		if (!cow[i].pa)
			return NULL;
	}
}

/* Caller checked cow_used < COW_LIMIT. */
static void
cow_insert(uint64_t pa, uint64_t refs)
{
	unsigned i = cow_hash(pa);

	while (cow[i].pa)
		i = (i + 1) & (NCOW - 1);
	cow[i] = (struct cow){ pa, refs };
	cow_used++;
}

/* Empty slot e, moving later entries of its probe chain back into it. */
static void
cow_remove(struct cow *e)
{
	unsigned hole = (unsigned)(e - cow), i = hole;

	for (;;) {
		i = (i + 1) & (NCOW - 1);
		if (!cow[i].pa)
			break;
		/* Move it unless its home lies cyclically in (hole, i]. */
		unsigned home = cow_hash(cow[i].pa);
		if (((i - home) & (NCOW - 1)) >= ((i - hole) & (NCOW - 1))) {
			cow[hole] = cow[i];
			hole = i;
		}
	}
	cow[hole] = (struct cow){ 0, 0 };
	cow_used--;
}

/* --- the fault handler ---------------------------------------------------- */

static bool
map_one(uint64_t va, uint64_t pa, unsigned perms)
{
	struct exo_mapping m = { va, pa, perms };

	return exo_map(EXO_ENVID_SELF, &m, 1) == 1;
}

/* A first touch of a region page: a zeroed frame. */
static bool
fill_zero(uint64_t va)
{
	long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);

	if (pa < 0)
		return false;
	if (map_one(va, (uint64_t)pa, EXO_PERM_R | EXO_PERM_W))
		return true;
	exo_page_free(EXO_ENVID_SELF, (uint64_t)pa);
	return false;
}

/* A write to the shared page at va: a private copy, or the page itself
 * once nobody else shares it. */
static bool
break_cow(uint64_t va, uint64_t pte)
{
	uint64_t pa = exo_pte_addr(pte), scratch = NAT_SCRATCH;
	unsigned perms = exo_pte_perms(pte) | EXO_PERM_W;
	struct cow *e = cow_find(pa);
	long copy;

	if (!e)
		return false;
	if (e->refs == 1) {
		cow_remove(e);
		return map_one(va, pa, perms);
	}
	copy = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	if (copy < 0 ||
	    !map_one(scratch, (uint64_t)copy, EXO_PERM_R | EXO_PERM_W))
		return false;
	memcpy((void *)(uintptr_t)scratch, (void *)(uintptr_t)va, NAT_PAGE);
	exo_unmap(EXO_ENVID_SELF, &scratch, 1);
	if (!map_one(va, (uint64_t)copy, perms))
		return false;
	e->refs--;
	return true;
}

bool
nat__vm_fault(const struct exo_upcall_frame *f)
{
	uint64_t va = page_down(f->addr), pte;

	if (f->fault != EXO_FAULT_PAGE || (f->flags & EXO_PF_EXEC))
		return false;
	if (!(f->flags & EXO_PF_PRESENT))
		return in_region(va) && fill_zero(va);
	pte = nat__pte(va);
	if (!(f->flags & EXO_PF_WRITE) || !exo_pte_valid(pte))
		return false;
	return break_cow(va, pte);
}

/* --- cloning and releasing ------------------------------------------------ */

/* Decode: 0 if [dst, +n) is free, src mapped or demand-zero, and the cow
 * table can take the new shared frames. */
static int
clone_check(uint64_t dst, uint64_t src, uint64_t n)
{
	unsigned fresh = 0;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t s = nat__pte(src + i * NAT_PAGE);

		if (exo_pte_valid(nat__pte(dst + i * NAT_PAGE)))
			return -EXO_EBUSY;
		if (!exo_pte_valid(s) && !in_region(src + i * NAT_PAGE))
			return -EXO_EFAULT;
		if (exo_pte_perms(s) & EXO_PERM_W)
			fresh++;
	}
	return cow_used + fresh > COW_LIMIT ? -EXO_ENOMEM : 0;
}

/* Share src's page with dst. */
static int
clone_page(uint64_t dst, uint64_t src)
{
	uint64_t pte = nat__pte(src), pa = exo_pte_addr(pte);
	unsigned perms = exo_pte_perms(pte);
	struct cow *e = cow_find(pa);
	struct exo_mapping m[2] = {
		{ dst, pa, perms & ~EXO_PERM_W },
		{ src, pa, perms & ~EXO_PERM_W },
	};

	if (!exo_pte_valid(pte))
		return 0;
	if (perms & EXO_PERM_W)
		cow_insert(pa, 2);
	else if (e)
		e->refs++;
	return exo_map(EXO_ENVID_SELF, m, perms & EXO_PERM_W ? 2 : 1) < 0
		       ? -EXO_ENOMEM
		       : 0;
}

int
nat_cow_clone(void *dst, const void *src, size_t len)
{
	uint64_t d = (uint64_t)(uintptr_t)dst, s = (uint64_t)(uintptr_t)src;
	uint64_t n = len / NAT_PAGE;
	int r;

	if ((d | s | len) & (NAT_PAGE - 1) || !len)
		return -EXO_EINVAL;
	if (d < s + len && s < d + len)
		return -EXO_EINVAL;
	nat__lock();
	r = clone_check(d, s, n);
	if (!r && !range_in_region(d, d + len))
		r = region_add(d, d + len);
	for (uint64_t i = 0; !r && i < n; i++)
		r = clone_page(d + i * NAT_PAGE, s + i * NAT_PAGE);
	nat__unlock();
	return r;
}

/* Unmap va and give up this mapping's claim on its frame. */
static void
release_page(uint64_t va)
{
	uint64_t pte = nat__pte(va), pa = exo_pte_addr(pte);
	struct cow *e;

	if (!exo_pte_valid(pte))
		return;
	exo_unmap(EXO_ENVID_SELF, &va, 1);
	e = cow_find(pa);
	if (e && --e->refs > 0)
		return;
	if (e)
		cow_remove(e);
	/* Refused (EBUSY) if the frame is still mapped elsewhere. */
	exo_page_free(EXO_ENVID_SELF, pa);
}

int
nat_dz_release(void *p, size_t len)
{
	uint64_t va = (uint64_t)(uintptr_t)p;

	if ((va | len) & (NAT_PAGE - 1) || !range_in_region(va, va + len))
		return -EXO_EINVAL;
	nat__lock();
	for (uint64_t off = 0; off < len; off += NAT_PAGE)
		release_page(va + off);
	nat__unlock();
	return 0;
}
