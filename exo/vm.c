/*
 * User address spaces: a four-level radix tree of 512-entry tables on both
 * arches, walked here; the entry format is the arch's (<arch/pte.h>).
 *
 * Invariants: every table frame is owned by PM_KERNEL and charged to the
 * env; the top table's EXO_UVPT_SLOT entry is the read-only self-map; user
 * mappings exist only below EXO_USER_END (plus the info page at
 * EXO_ENVINFO), and each one is counted in its frame's mapcount.
 */
#include <arch/pte.h>
#include <exo/error.h>
#include <exo/memlayout.h>
#include <kernel/env.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <kernel/vm.h>

uint64_t vm_gen = 1;

#define LEVELS 4
#define ENTRIES 512

static unsigned
index_at(uint64_t va, unsigned level)
{
	return (va >> (39 - 9 * level)) & (ENTRIES - 1);
}

static pte_t *
table_va(uint64_t pa)
{
	return phys_to_virt(pa);
}

/* A zeroed kernel-owned frame charged to e. */
static int
table_alloc(struct env *e, uint64_t *pa)
{
	int err = env_charge(e, 1);

	if (err)
		return err;
	err = pm_alloc(PM_KERNEL, pa);
	if (err) {
		env_uncharge(e, 1);
		return err;
	}
	arch_page_zero(phys_to_virt(*pa));
	e->kframes++;
	return 0;
}

static void
table_free(struct env *e, uint64_t pa)
{
	int err = pm_free(PM_KERNEL, pa);

	assert(err == 0);
	env_uncharge(e, 1);
	e->kframes--;
}

/*
 * The top-level table of a new space: the arch's shared part, the
 * self-map.  Returns 0 or -EXO_ENOMEM (frames or quota).
 */
int
vm_create(struct env *e)
{
	uint64_t pa;
	int err = table_alloc(e, &pa);

	if (err)
		return err;
	arch_as_init_root(table_va(pa));
	table_va(pa)[EXO_UVPT_SLOT] = pte_selfmap(pa);
	e->pt_root = pa;
	return 0;
}

/*
 * The leaf entry for va, creating the tables on the way if `create`.
 * Returns 0, -EXO_ENOENT (a table is missing and !create) or -EXO_ENOMEM.
 */
static int
walk(struct env *e, uint64_t va, bool create, pte_t **leaf)
{
	pte_t *t = table_va(e->pt_root);

	for (unsigned level = 0; level < LEVELS - 1; level++) {
		pte_t *ent = &t[index_at(va, level)];
		if (!pte_valid(*ent)) {
			uint64_t pa;
			int err;
			if (!create)
				return -EXO_ENOENT;
			err = table_alloc(e, &pa);
			if (err)
				return err;
			*ent = pte_table(pa);
		}
		t = table_va(pte_addr(*ent));
	}
	*leaf = &t[index_at(va, LEVELS - 1)];
	return 0;
}

/*
 * Map frame pa at va with perms, replacing any mapping there.  The caller
 * has checked va, perms and the right to map pa.  Returns 0 or
 * -EXO_ENOMEM.
 */
int
vm_map(struct env *e, uint64_t va, uint64_t pa, unsigned perms)
{
	pte_t *leaf, old;
	int err = walk(e, va, true, &leaf);

	if (err)
		return err;
	old = *leaf;
	pm_map_count(pa, 1);
	if (pte_valid(old)) { /* break before make (Arm ARM D8.14) */
		vm_gen++;
		*leaf = 0;
		arch_tlb_flush_page(e->asid, va);
		pm_map_count(pte_addr(old), -1);
	}
	*leaf = pte_page(pa, perms);
	return 0;
}

/* Remove the mapping at va, if any.  Returns 0. */
int
vm_unmap(struct env *e, uint64_t va)
{
	pte_t *leaf, old;

	if (walk(e, va, false, &leaf) || !pte_valid(*leaf))
		return 0;
	old = *leaf;
	vm_gen++;
	*leaf = 0;
	arch_tlb_flush_page(e->asid, va);
	pm_map_count(pte_addr(old), -1);
	return 0;
}

/* The frame and perms mapped at va: 0 or -EXO_ENOENT. */
int
vm_lookup(struct env *e, uint64_t va, uint64_t *pa, unsigned *perms)
{
	pte_t *leaf;

	if (walk(e, va, false, &leaf) || !pte_valid(*leaf))
		return -EXO_ENOENT;
	*pa = pte_addr(*leaf);
	*perms = pte_perms(*leaf);
	return 0;
}

/* The first index in [i, end) of table t whose entry is valid, or end.
 * Eight at a time over empty stretches (an entry nobody uses is 0): the
 * tables of a sparse space are mostly empty, and a fork's child is torn
 * down through every one of them. */
static unsigned
next_valid(const pte_t *t, unsigned i, unsigned end)
{
	const pte_t *p = t + i, *e = t + end;

	while (p < e) {
		if (!((uintptr_t)p % 64) && e - p >= 8 &&
		    !(p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7])) {
			p += 8;
			continue;
		}
		if (pte_valid(*p))
			break;
		p++;
	}
	return (unsigned)(p - t);
}

/* Free the subtree under table pa at `level`, dropping leaf mappings. */
static void
free_tree(struct env *e, uint64_t pa, unsigned level)
{
	pte_t *t = table_va(pa);

	for (unsigned i = next_valid(t, 0, ENTRIES); i < ENTRIES;
	     i = next_valid(t, i + 1, ENTRIES)) {
		if (level == LEVELS - 1)
			pm_map_count(pte_addr(t[i]), -1);
		else
			free_tree(e, pte_addr(t[i]), level + 1);
	}
	table_free(e, pa);
}

/* Tear the whole user space down: every mapping, every table. */
void
vm_destroy(struct env *e)
{
	pte_t *root = table_va(e->pt_root);

	vm_gen++;
	for (unsigned i = 0; i < EXO_UVPT_SLOT; i++)
		if (pte_valid(root[i]))
			free_tree(e, pte_addr(root[i]), 1);
	table_free(e, e->pt_root);
	arch_tlb_flush_asid(e->asid);
	e->pt_root = 0;
}

/* The leaves under table (at level, mapping from va) in [lo, hi), in
 * address order: only the entries that overlap the range are read. */
static bool
visit(uint64_t table, unsigned level, uint64_t va, uint64_t lo, uint64_t hi,
      vm_leaf_fn fn, void *ctx)
{
	pte_t *t = table_va(table);
	unsigned shift = 39 - 9 * level;
	unsigned end = level == 0 ? EXO_UVPT_SLOT : ENTRIES;

	for (unsigned i = next_valid(
		     t, lo > va ? (unsigned)((lo - va) >> shift) : 0, end);
	     i < end; i = next_valid(t, i + 1, end)) {
		uint64_t at = va | (uint64_t)i << shift;
		if (at >= hi)
			break;
		if (level == LEVELS - 1 ? fn(at, &t[i], ctx)
					: visit(pte_addr(t[i]), level + 1, at,
						lo, hi, fn, ctx))
			return true;
	}
	return false;
}

/* Call fn on every user leaf entry of e, in address order, until it
 * returns true.  fn may clear the entry (then it must drop the frame's
 * mapcount and the caller must flush e's TLB). */
void
vm_for_each_leaf(struct env *e, vm_leaf_fn fn, void *ctx)
{
	visit(e->pt_root, 0, 0, 0, EXO_USER_TOP, fn, ctx);
}

/* The same for the leaves that map [lo, hi). */
void
vm_for_each_leaf_in(struct env *e, uint64_t lo, uint64_t hi, vm_leaf_fn fn,
		    void *ctx)
{
	visit(e->pt_root, 0, 0, lo, hi, fn, ctx);
}

struct range {
	uint64_t pa, end;
};

static bool
unmap_if_in(uint64_t va, pte_t *leaf, void *ctx)
{
	const struct range *r = ctx;
	uint64_t f = pte_addr(*leaf);

	if (f >= r->pa && f < r->end) {
		vm_gen++;
		*leaf = 0;
		pm_map_count(f, -1);
	}
	return false;
}

void
vm_unmap_frames(uint64_t pa, uint64_t n, const struct env *keep)
{
	struct range r = { pa, pa + n * PAGE_SIZE };

	for (unsigned i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (e->state == EXO_ENV_FREE || e == keep)
			continue;
		vm_for_each_leaf(e, unmap_if_in, &r);
		arch_tlb_flush_asid(e->asid);
	}
}
