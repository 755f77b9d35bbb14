/*
 * System calls that bind physical pages: allocate, free, map, unmap.
 */
#include <exo/cap.h>
#include <exo/error.h>
#include <exo/map.h>
#include <exo/memlayout.h>
#include <kernel/cap.h>
#include <kernel/env.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

long
sys_page_alloc(exo_envid_t env, uint64_t pa)
{
	struct env *e;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	err = env_charge(e, 1);
	if (err)
		return err;
	err = pa == EXO_PA_ANY ? pm_alloc(e->id, &pa) : pm_alloc_at(e->id, pa);
	if (err) {
		env_uncharge(e, 1);
		return err;
	}
	arch_page_zero(phys_to_virt(pa));
	return (long)pa;
}

long
sys_page_free(exo_envid_t env, uint64_t pa)
{
	struct env *e;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	err = pm_free(e->id, pa);
	if (err)
		return err;
	env_uncharge(e, 1);
	return 0;
}

/* May the caller map frame pa with perms into e?  The frame's owner must
 * be e, the caller or an env the caller controls, or the caller holds a
 * PAGES capability for it with the rights perms needs. */
static long
may_map(struct env *e, uint64_t pa, unsigned perms)
{
	uint32_t owner = pm_owner(pa);
	struct env *o;
	unsigned rights = EXO_RIGHT_READ;

	if (owner < PM_FIRST_ENV) /* free, kernel, reserved, orphaned */
		return -EXO_EPERM;
	o = env_lookup(owner);
	if (o && (o == e || env_controls(curenv, o)))
		return 0;
	if (perms & EXO_PERM_W)
		rights |= EXO_RIGHT_WRITE;
	if (perms & EXO_PERM_X)
		rights |= EXO_RIGHT_EXEC;
	return cap_covers_frame(curenv, pa, rights) ? 0 : -EXO_EPERM;
}

/* Check one vector entry completely before mapping it. */
static long
map_one(struct env *e, const struct exo_mapping *m)
{
	long err;

	if (m->va % PAGE_SIZE || m->va < EXO_USER_MIN ||
	    m->va >= EXO_USER_END || m->pa % PAGE_SIZE ||
	    !(m->perms & EXO_PERM_R) || (m->perms & ~EXO_PERM_MASK))
		return -EXO_EINVAL;
	err = may_map(e, m->pa, (unsigned)m->perms);
	if (err)
		return err;
	return vm_map(e, m->va, m->pa, (unsigned)m->perms);
}

long
sys_map(exo_envid_t env, uintptr_t vec, uint64_t n)
{
	struct env *e;
	struct exo_mapping m;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	if (n == 0 || n > EXO_MAP_MAX)
		return -EXO_EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		err = arch_copy_from_user(&m, vec + i * sizeof(m), sizeof(m));
		if (!err)
			err = map_one(e, &m);
		if (err)
			return i ? (long)i : err;
	}
	return (long)n;
}

long
sys_unmap(exo_envid_t env, uintptr_t vas, uint64_t n)
{
	struct env *e;
	uint64_t va;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	if (n == 0 || n > EXO_MAP_MAX)
		return -EXO_EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		err = arch_copy_from_user(&va, vas + i * sizeof(va),
					  sizeof(va));
		if (!err &&
		    (va % PAGE_SIZE || va < EXO_USER_MIN || va >= EXO_USER_END))
			err = -EXO_EINVAL;
		if (err)
			return i ? (long)i : err;
		vm_unmap(e, va);
	}
	return (long)n;
}

/* What map_cow's walk over the caller's leaves carries. */
struct cow_walk {
	struct env *child;
	uint64_t lo, hi;
	uint64_t stop; /* where it stopped (hi: done) */
	unsigned done;
	long err;
};

/* Does an env that controls e own frame pa?  A page the caller maps of
 * such a frame may go on to e: its owner could map it there itself, and
 * it stays inside the owner's tree. */
static bool
ancestor_owns(const struct env *e, uint64_t pa)
{
	uint32_t owner = pm_owner(pa);
	const struct env *o =
		owner >= PM_FIRST_ENV ? env_lookup((exo_envid_t)owner) : NULL;

	return o && env_controls(o, e);
}

/* One leaf of the caller: share it with the child, read-only in both if
 * it was writable; true to stop (refused, the batch full, past hi, an
 * error). */
static bool
cow_leaf(uint64_t va, pte_t *leaf, void *ctx)
{
	struct cow_walk *w = ctx;
	uint64_t pa = pte_addr(*leaf);
	unsigned perms = pte_perms(*leaf);

	if (va < w->lo)
		return false;
	if (va >= w->hi)
		return true;
	/* The owner's test first: it is the common case, and cheaper than
	 * may_map's look through the caller's capabilities. */
	if (w->done == EXO_MAP_MAX ||
	    (!ancestor_owns(w->child, pa) &&
	     may_map(w->child, pa, perms & ~EXO_PERM_W))) {
		w->stop = va;
		return true;
	}
	w->err = vm_map(w->child, va, pa, perms & ~EXO_PERM_W);
	if (w->err) {
		w->stop = va;
		return true;
	}
	if (perms & EXO_PERM_W) {
		vm_gen++;
		*leaf = pte_page(pa, perms & ~EXO_PERM_W);
	}
	w->done++;
	return false;
}

/*
 * Share the caller's pages in [lo, hi) with env (a fork): each is mapped
 * in env with the caller's rights, a writable one read-only in both
 * (copy-on-write is the library OS's).  A page is shared if exo_map's
 * rule lets the caller map its frame into env, or if the frame's owner
 * controls env (a frame the caller has from its own parent).  Returns
 * where it stopped: hi when done, or the next page it did not map,
 * because neither holds (a call starting there returns it at once) or
 * because it mapped EXO_MAP_MAX pages; or -EXO_EINVAL, -EXO_ENOENT,
 * -EXO_EPERM, -EXO_ENOMEM (env's page tables).
 */
long
sys_map_cow(exo_envid_t env, uint64_t lo, uint64_t hi)
{
	struct cow_walk w = { .lo = lo, .hi = hi, .stop = hi };
	long err = env_controlled(env, &w.child);

	if (err)
		return err;
	if (w.child == curenv || lo % PAGE_SIZE || hi % PAGE_SIZE ||
	    lo < EXO_USER_MIN || hi > EXO_USER_END || lo > hi)
		return -EXO_EINVAL;
	vm_for_each_leaf_in(curenv, lo, hi, cow_leaf, &w);
	if (w.done)
		arch_tlb_flush_asid(curenv->asid);
	if (w.err && w.stop == lo)
		return w.err;
	return (long)w.stop;
}

/*
 * A new frame for env (charged to it) holding a copy of the caller's page
 * at va, mapped in env at the same address with perms, replacing what
 * was there: the library OS's copy of a page at a fork, in one call and
 * without a zeroed frame and a scratch mapping of its own.  The caller
 * could read the page and write it into a frame of env's anyway; this
 * is that, done here.  Returns the frame's address, or -EXO_EINVAL (env
 * is the caller, va or perms bad), -EXO_EFAULT (the caller has nothing
 * readable at va, or not an env's RAM), -EXO_ENOMEM (frames, env's
 * quota or page tables), or
 * env_controlled's errors.
 */
long
sys_page_copy(exo_envid_t env, uint64_t va, uint64_t perms)
{
	struct env *e;
	uint64_t src, pa;
	unsigned src_perms;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	if (e == curenv || va % PAGE_SIZE || va < EXO_USER_MIN ||
	    va >= EXO_USER_END || !(perms & EXO_PERM_R) ||
	    (perms & ~(uint64_t)EXO_PERM_MASK))
		return -EXO_EINVAL;
	/* Only RAM an env owns: never a device's registers. */
	if (vm_lookup(curenv, va, &src, &src_perms) ||
	    !(src_perms & EXO_PERM_R) || pm_owner(src) < PM_FIRST_ENV)
		return -EXO_EFAULT;
	err = env_charge(e, 1);
	if (err)
		return err;
	err = pm_alloc(e->id, &pa);
	if (err) {
		env_uncharge(e, 1);
		return err;
	}
	arch_page_copy(phys_to_virt(pa), phys_to_virt(src));
	if (perms & EXO_PERM_X)
		arch_sync_icache(phys_to_virt(pa), PAGE_SIZE);
	err = vm_map(e, va, pa, (unsigned)perms);
	if (err) {
		pm_free(e->id, pa);
		env_uncharge(e, 1);
		return err;
	}
	return (long)pa;
}
