/*
 * The program's memory: a sorted table of regions (start, end, Linux
 * protection) and demand paging.  A region's pages get frames on first
 * touch (a fault upcall, or a system call reaching into it); the page
 * table itself, read through EXO_UVPT, says which pages have one.
 *
 * Invariant: every page mapped in [EXO_USER_MIN, POSIX_AREA_END) lies in
 * a region whose protection allows it, with the exo perms of that
 * protection, except that a page shared copy-on-write with a parent or
 * child since a fork is mapped without write access; the first write
 * faults and gives it a frame of its own (cow).  PROT_NONE pages hold no
 * frame, so making a private page PROT_NONE discards its contents (Linux
 * keeps them; nothing here needs that yet).
 *
 * A shared region (MAP_SHARED, shm.c) is backed by a run of the pool's
 * pages instead, at pool offset `off` for its start: its pages are
 * mapped at once, come back from the pool after PROT_NONE, and are
 * never copied on write.
 */
#include <exo/arch/pte.h>
#include <exo/string.h>

#include "posix.h"

#define VMA_MAX 256
#define BATCH 64
#define DROPS_MAX 2048

/* A region: its protection and, for shared memory (shm.c), which of
 * the pool's shared runs backs it and the pool offset of its start. */
struct vma {
	uint64_t start, end;
	unsigned prot;
	int shm; /* -1: private */
	uint64_t off;
};

static struct vma vmas[VMA_MAX];
static unsigned nvma;

/* Bumped whenever a page of ours may go or lose a right, or a region
 * change: the last page vm_user_ok (and pool_map) passed is known good
 * only while it is what it was.  A fork bumps it too, before its child
 * gets a copy of this memory (the child has less mapped). */
uint64_t vm_gen = 1;
static struct {
	uint64_t page, gen;
	unsigned prot; /* the rights it was found to have */
} last_ok;

/* Frames of ours that children still mapped when we let them go. */
static uint64_t drops[DROPS_MAX];
static unsigned ndrops;

static uint64_t
exo_perms(unsigned prot)
{
	return EXO_PERM_R | (prot & L_PROT_WRITE ? EXO_PERM_W : 0) |
	       (prot & L_PROT_EXEC ? EXO_PERM_X : 0);
}

/* The index of the first region ending above va. */
static unsigned
vma_index(uint64_t va)
{
	unsigned lo = 0, hi = nvma;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (vmas[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct vma *
vma_find(uint64_t va)
{
	unsigned i = vma_index(va);

	return i < nvma && vmas[i].start <= va ? &vmas[i] : NULL;
}

static void
vma_open_gap(unsigned i)
{
	memmove(&vmas[i + 1], &vmas[i], (nvma - i) * sizeof(vmas[0]));
	nvma++;
}

static void
vma_close_gap(unsigned i)
{
	memmove(&vmas[i], &vmas[i + 1], (nvma - i - 1) * sizeof(vmas[0]));
	nvma--;
}

/* Make v start at va (inside it), its pool offset following. */
static void
vma_trim(struct vma *v, uint64_t va)
{
	if (v->shm >= 0)
		v->off += va - v->start;
	v->start = va;
}

/* Take [start, end) out of the table, splitting regions at its edges.
 * The caller made sure one more entry fits. */
static void
vma_cut(uint64_t start, uint64_t end)
{
	unsigned i = vma_index(start);

	vm_gen++;
	if (i < nvma && vmas[i].start < start && vmas[i].end > end) {
		vma_open_gap(i);
		vmas[i].end = start;
		vma_trim(&vmas[i + 1], end);
		return;
	}
	if (i < nvma && vmas[i].start < start) {
		vmas[i].end = start;
		i++;
	}
	while (i < nvma && vmas[i].end <= end)
		vma_close_gap(i);
	if (i < nvma && vmas[i].start < end)
		vma_trim(&vmas[i], end);
}

/* Can a private region of prot grow into v? */
static bool
vma_joins(const struct vma *v, unsigned prot, int shm)
{
	return shm < 0 && v->shm < 0 && v->prot == prot;
}

/* Put [start, end) (free in the table) in, a private region merged with
 * equal neighbours; a shared one (shm >= 0, at pool offset off) alone. */
static void
vma_insert(uint64_t start, uint64_t end, unsigned prot, int shm, uint64_t off)
{
	unsigned i = vma_index(start);

	if (i > 0 && vmas[i - 1].end == start &&
	    vma_joins(&vmas[i - 1], prot, shm)) {
		vmas[i - 1].end = end;
		if (i < nvma && vmas[i].start == end &&
		    vma_joins(&vmas[i], prot, shm)) {
			vmas[i - 1].end = vmas[i].end;
			vma_close_gap(i);
		}
		return;
	}
	if (i < nvma && vmas[i].start == end &&
	    vma_joins(&vmas[i], prot, shm)) {
		vmas[i].start = start;
		return;
	}
	vma_open_gap(i);
	vmas[i] = (struct vma){ start, end, prot, shm, off };
}

/* Reads each table's entries in a row: at the first absent entry of a
 * walk it looks along that table for the next present one (one load
 * each) before walking down again. */
uint64_t
vm_next_present(uint64_t va, uint64_t end)
{
	while (va < end) {
		unsigned level;

		for (level = 0; level < 4; level++) {
			unsigned shift = 39 - 9 * level;
			uint64_t span = 1ull << shift;
			uint64_t table_end =
				(va >> shift >> 9 << 9 << shift) + (span << 9);
			const volatile uint64_t *e =
				(const volatile uint64_t *)(uintptr_t)
					exo_uvpt_pte(va, level);

			if (exo_pte_valid(*e))
				continue;
			va = (va >> shift << shift) + span;
			for (e++; va < end && va < table_end; e++, va += span) {
				/* Eight empty entries at a time (an unused
				 * entry is 0) where they fit. */
				while (((uintptr_t)e / 8) % 8 == 0 &&
				       va + 8 * span <= table_end &&
				       va + 8 * span <= end &&
				       !(e[0] | e[1] | e[2] | e[3] | e[4] |
					 e[5] | e[6] | e[7])) {
					e += 8;
					va += 8 * span;
				}
				if (va >= end || va >= table_end ||
				    exo_pte_valid(*e))
					break;
			}
			break;
		}
		if (level == 4)
			return va;
	}
	return end;
}

/* Unmap and free the frames in [start, end); or, if keep, map them again
 * with perms (a private page shared copy-on-write stays read-only; a
 * shared region's pages are the pool's, never copied). */
static void
pages_apply(uint64_t start, uint64_t end, bool keep, uint64_t perms,
	    bool shared)
{
	struct exo_mapping m[BATCH];
	uint64_t vas[BATCH], pas[BATCH];
	uint64_t va = vm_next_present(start, end);

	vm_gen++;
	while (va < end) {
		unsigned n = 0;

		for (; n < BATCH && va < end;
		     va = vm_next_present(va + PAGE, end)) {
			uint64_t pte = posix_pte(va);

			pas[n] = exo_pte_addr(pte);
			vas[n] = va;
			m[n] = (struct exo_mapping){ va, pas[n], perms };
			/* A page shared copy-on-write stays read-only until
			 * its first write copies it. */
			if (!shared && !(exo_pte_perms(pte) & EXO_PERM_W))
				m[n].perms &= ~(uint64_t)EXO_PERM_W;
			n++;
		}
		if (keep) {
			exo_map(EXO_ENVID_SELF, m, n);
			continue;
		}
		exo_unmap(EXO_ENVID_SELF, vas, n);
		for (unsigned i = 0; i < n; i++)
			vm_drop_frame(pas[i]);
	}
}

/*
 * A frame shared copy-on-write is owned by the process that had it
 * first; exo_page_free says which case this is: 0 (ours, mapped nowhere
 * else), -EXO_EPERM (another process's: nothing to do) or -EXO_EBUSY
 * (ours, still mapped by a child: free it once the child let it go).
 */
void
vm_drop_frame(uint64_t pa)
{
	if (exo_page_free(EXO_ENVID_SELF, pa) != -EXO_EBUSY)
		return;
	if (ndrops == DROPS_MAX)
		vm_retry_drops();
	if (ndrops < DROPS_MAX)
		drops[ndrops++] = pa;
	else
		posix_log("posix: pid %u: frame 0x%lx kept until exit\n",
			  proc.pid, (unsigned long)pa);
}

void
vm_retry_drops(void)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < ndrops; i++)
		if (exo_page_free(EXO_ENVID_SELF, drops[i]) == -EXO_EBUSY)
			drops[kept++] = drops[i];
	ndrops = kept;
}

void
vm_forget_drops(void)
{
	ndrops = 0;
}

int
vm_copy_page(uint64_t pa, uint64_t va)
{
	struct exo_mapping m = { POSIX_SCRATCH_VA, pa,
				 EXO_PERM_R | EXO_PERM_W };
	uint64_t at = POSIX_SCRATCH_VA;
	long r = exo_map(EXO_ENVID_SELF, &m, 1);

	if (r < 0)
		return (int)r;
	memcpy((void *)(uintptr_t)POSIX_SCRATCH_VA, (const void *)(uintptr_t)va,
	       PAGE);
	exo_unmap(EXO_ENVID_SELF, &at, 1);
	return 0;
}

void
vm_reset(void)
{
	pages_apply(EXO_USER_MIN, POSIX_AREA_END, false, 0, false);
	nvma = 0;
	vm_gen++;
	shm_sync();
}

/* Where the piece of [va, end) that starts at va ends: at the end of
 * the region holding va, or of the gap before the next one. */
static uint64_t
piece_end(uint64_t va, uint64_t end)
{
	unsigned i = vma_index(va);
	uint64_t e =
		i < nvma ? (vmas[i].start <= va ? vmas[i].end : vmas[i].start)
			 : end;

	return e < end ? e : end;
}

int
vm_protect(uint64_t start, uint64_t end, unsigned prot)
{
	if (nvma + 2 > VMA_MAX)
		return -L_ENOMEM;
	/* Piece by piece: a shared region stays shared. */
	for (uint64_t va = start, e; va < end; va = e) {
		const struct vma *v = vma_find(va);
		int shm = v ? v->shm : -1;
		uint64_t off = shm >= 0 ? v->off + (va - v->start) : 0;

		e = piece_end(va, end);
		vma_cut(va, e);
		vma_insert(va, e, prot, shm, off);
		pages_apply(va, e, prot != 0, exo_perms(prot), shm >= 0);
	}
	return 0;
}

int
vm_map_shared(uint64_t start, uint64_t end, unsigned prot, int shm,
	      uint64_t off)
{
	struct exo_mapping m[BATCH];

	if (nvma + 2 > VMA_MAX)
		return -L_ENOMEM;
	vma_cut(start, end);
	pages_apply(start, end, false, 0, false);
	vma_insert(start, end, prot, shm, off);
	/* Zeroed here, through a writable mapping: a run may be reused. */
	for (uint64_t va = start; va < end;) {
		unsigned n = 0;

		for (; n < BATCH && va < end; n++, va += PAGE)
			m[n] = (struct exo_mapping){ va,
						     proc.pool->pa + off +
							     (va - start),
						     EXO_PERM_R | EXO_PERM_W };
		if (exo_map(EXO_ENVID_SELF, m, n) != (long)n)
			return -L_ENOMEM;
	}
	memset((void *)(uintptr_t)start, 0, end - start);
	pages_apply(start, end, prot != 0, exo_perms(prot), true);
	return 0;
}

int
vm_unmap(uint64_t start, uint64_t end)
{
	if (nvma + 1 > VMA_MAX)
		return -L_ENOMEM;
	vma_cut(start, end);
	pages_apply(start, end, false, 0, false);
	shm_sync();
	return 0;
}

/* Zeroed frames of our own under the libOS's pages [va, va + len) that
 * have none (page-aligned): 0, or -EXO_ENOMEM and the like. */
int
vm_own_pages(uint64_t va, uint64_t len)
{
	for (uint64_t at = va; at < va + len; at += PAGE) {
		struct exo_mapping m = { at, 0, EXO_PERM_R | EXO_PERM_W };
		long pa;

		if (posix_pte(at))
			continue;
		pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
		if (pa < 0)
			return (int)pa;
		m.pa = (uint64_t)pa;
		if (exo_map(EXO_ENVID_SELF, &m, 1) != 1) {
			exo_page_free(EXO_ENVID_SELF, m.pa);
			return -EXO_ENOMEM;
		}
	}
	return 0;
}

/* fn(start, end, ctx) on each region of the program in address order,
 * until one returns nonzero: that, or 0. */
int
vm_for_each_region(int (*fn)(uint64_t start, uint64_t end, void *ctx),
		   void *ctx)
{
	for (unsigned i = 0; i < nvma; i++) {
		int r = fn(vmas[i].start, vmas[i].end, ctx);

		if (r)
			return r;
	}
	return 0;
}

uint64_t
vm_shm_held(void)
{
	uint64_t held = 0;

	for (unsigned i = 0; i < nvma; i++)
		if (vmas[i].shm >= 0)
			held |= 1ull << vmas[i].shm;
	return held;
}

bool
vm_any(uint64_t start, uint64_t end)
{
	unsigned i = vma_index(start);

	return i < nvma && vmas[i].start < end;
}

bool
vm_all(uint64_t start, uint64_t end)
{
	for (unsigned i = vma_index(start); start < end; i++) {
		if (i >= nvma || vmas[i].start > start)
			return false;
		start = vmas[i].end;
	}
	return true;
}

uint64_t
vm_find_free(uint64_t len)
{
	uint64_t top = POSIX_MMAP_TOP;
	unsigned i = vma_index(top);

	/* Walk the gaps down from the top; a region may straddle it. */
	if (i < nvma && vmas[i].start < top)
		top = vmas[i].start;
	while (i-- > 0 && top - vmas[i].end < len)
		top = vmas[i].start;
	if (top < POSIX_MMAP_BOTTOM || top - POSIX_MMAP_BOTTOM < len)
		return 0;
	return top - len;
}

/* Give the page at va of region v a frame with the region's rights: a
 * zeroed one of ours, or a shared region's page of the pool. */
static bool
page_in(const struct vma *v, uint64_t va)
{
	struct exo_mapping m = { va, 0, exo_perms(v->prot) };
	long pa;

	if (v->shm >= 0) {
		m.pa = proc.pool->pa + v->off + (va - v->start);
		return exo_map(EXO_ENVID_SELF, &m, 1) == 1;
	}
	pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	if (pa < 0) {
		posix_log("posix: pid %u: out of memory at 0x%lx (%s)\n",
			  proc.pid, (unsigned long)va, exo_strerror(pa));
		return false;
	}
	m.pa = (uint64_t)pa;
	if (exo_map(EXO_ENVID_SELF, &m, 1) < 0) {
		exo_page_free(EXO_ENVID_SELF, (uint64_t)pa);
		return false;
	}
	return true;
}

/* The first write to a page shared copy-on-write since a fork: give
 * it a frame of its own with the shared one's contents.  (A shared
 * region's page is only given its write access back.) */
static bool
cow(const struct vma *v, uint64_t va)
{
	uint64_t old = exo_pte_addr(posix_pte(va));
	struct exo_mapping m = { va, 0, exo_perms(v->prot) };
	long pa;

	if (v->shm >= 0)
		return page_in(v, va);
	pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);

	if (pa < 0) {
		posix_log("posix: pid %u: out of memory at 0x%lx (%s)\n",
			  proc.pid, (unsigned long)va, exo_strerror(pa));
		return false;
	}
	m.pa = (uint64_t)pa;
	if (vm_copy_page(m.pa, va) < 0 || exo_map(EXO_ENVID_SELF, &m, 1) < 0) {
		exo_page_free(EXO_ENVID_SELF, m.pa);
		return false;
	}
	vm_drop_frame(old);
	return true;
}

bool
vm_fault(uint64_t addr, uint64_t flags)
{
	struct vma *v = vma_find(addr);

	if (!v || !v->prot)
		return false;
	if (((flags & EXO_PF_WRITE) && !(v->prot & L_PROT_WRITE)) ||
	    ((flags & EXO_PF_EXEC) && !(v->prot & L_PROT_EXEC)))
		return false;
	if (!(flags & EXO_PF_PRESENT))
		return page_in(v, page_down(addr));
	/* Present: only a write to a page shared since a fork is ours. */
	if (!(flags & EXO_PF_WRITE) ||
	    (exo_pte_perms(posix_pte(page_down(addr))) & EXO_PERM_W))
		return false;
	return cow(v, page_down(addr));
}

bool
vm_user_ok(uint64_t addr, uint64_t len, unsigned prot)
{
	uint64_t end = addr + len;
	const struct vma *v = NULL;

	if (end < addr || end > POSIX_AREA_END)
		return false;
	/* A call's buffer is often the page the last one checked. */
	if (len && page_down(addr) == page_down(end - 1) &&
	    page_down(addr) == last_ok.page && last_ok.gen == vm_gen &&
	    !(prot & ~last_ok.prot))
		return true;
	for (uint64_t va = page_down(addr); va < end; va += PAGE) {
		uint64_t pte = posix_pte(va);

		v = vma_find(va);
		if (!v || (v->prot & prot) != prot || !v->prot)
			return false;
		if (!pte && !page_in(v, va))
			return false;
		if (pte && (prot & L_PROT_WRITE) &&
		    !(exo_pte_perms(pte) & EXO_PERM_W) && !cow(v, va))
			return false;
	}
	/* One page, now present with v's rights (writable too, if a write
	 * was asked for: the copy-on-write is done). */
	if (len && page_down(addr) == page_down(end - 1)) {
		last_ok.page = page_down(addr);
		last_ok.gen = vm_gen;
		last_ok.prot = prot & L_PROT_WRITE
				       ? v->prot
				       : v->prot & ~(unsigned)L_PROT_WRITE;
	}
	return true;
}

long
copy_in(void *dst, uint64_t src, uint64_t len)
{
	if (!vm_user_ok(src, len, L_PROT_READ))
		return -L_EFAULT;
	memcpy(dst, (const void *)(uintptr_t)src, len);
	return 0;
}

long
copy_out(uint64_t dst, const void *src, uint64_t len)
{
	if (!vm_user_ok(dst, len, L_PROT_WRITE))
		return -L_EFAULT;
	memcpy((void *)(uintptr_t)dst, src, len);
	return 0;
}

long
copy_in_str(char *dst, uint64_t src, uint64_t max)
{
	for (uint64_t i = 0; i < max; i++) {
		/* Checked once per page. */
		if ((i == 0 || !((src + i) & (PAGE - 1))) &&
		    !vm_user_ok(src + i, 1, L_PROT_READ))
			return -L_EFAULT;
		dst[i] = *(const char *)(uintptr_t)(src + i);
		if (!dst[i])
			return (long)i;
	}
	return -L_ERANGE;
}
