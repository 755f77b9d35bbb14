/*
 * Capabilities: per-env tables of typed, rights-carrying names for kernel
 * objects.  A capability stores the epoch its object had when it was made;
 * revoking an object bumps the object's epoch, which invalidates every
 * capability to it at once (the revoker's own is re-stamped).
 *
 * Object epochs: an env's cap_epoch (bumped when it dies, too); for a
 * PAGES capability its first frame's epoch in the frame table (revoking
 * one bumps every frame of its run, so it also voids other capabilities
 * to any of those frames; and a PAGES capability is void once any of its
 * frames changes owner); a slice slot's; the console's and the machine's.
 */
#include <exo/cap.h>
#include <exo/envinfo.h>
#include <exo/error.h>
#include <kernel/cap.h>
#include <kernel/printk.h>
#include <kernel/env.h>
#include <kernel/irq.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#define MAX_PAGES_CAP (1u << 20) /* frames one PAGES capability may name */

static uint32_t console_epoch, machine_epoch;

/* Whether every frame of PAGES capability c is still its owner's.  The
 * full look happens only if the owner lost a frame since the last one
 * found them intact (a pool of thousands of frames is checked on every
 * mapping through it otherwise). */
static bool
pages_intact(struct cap *c)
{
	uint64_t gen = pm_release_gen(c->owner);

	if (c->checked == gen + 1)
		return true;
	for (uint64_t i = 0; i < c->count; i++)
		if (pm_owner(c->obj + i * PAGE_SIZE) != c->owner)
			return false;
	c->checked = gen + 1; /* 0: never looked */
	return true;
}

/* The object's current epoch, or false if the object is gone. */
static bool
object_epoch(struct cap *c, uint32_t *epoch)
{
	struct env *e;

	switch (c->type) {
	case EXO_CT_ENV:
		e = env_lookup((exo_envid_t)c->obj);
		if (!e || c->obj == EXO_ENVID_SELF)
			return false;
		*epoch = e->cap_epoch;
		return true;
	case EXO_CT_PAGES:
		if (!pages_intact(c))
			return false;
		*epoch = pm_epoch(c->obj);
		return true;
	case EXO_CT_SLICE:
		*epoch = slice_epoch[c->obj];
		return true;
	case EXO_CT_IRQ:
		*epoch = irq_epoch;
		return true;
	case EXO_CT_CONSOLE:
		*epoch = console_epoch;
		return true;
	case EXO_CT_MACHINE:
		*epoch = machine_epoch;
		return true;
	default:
		return false;
	}
}

static void
bump_epoch(struct cap *c)
{
	switch (c->type) {
	case EXO_CT_ENV:
		env_lookup((exo_envid_t)c->obj)->cap_epoch++;
		break;
	case EXO_CT_PAGES:
		for (uint64_t i = 0; i < c->count; i++)
			pm_epoch_bump(c->obj + i * PAGE_SIZE);
		break;
	case EXO_CT_SLICE:
		slice_epoch[c->obj]++;
		break;
	case EXO_CT_IRQ:
		irq_epoch++;
		break;
	case EXO_CT_CONSOLE:
		console_epoch++;
		break;
	case EXO_CT_MACHINE:
		machine_epoch++;
		break;
	}
}

static bool
valid(struct cap *c)
{
	uint32_t epoch;

	return c->type != EXO_CT_NONE && object_epoch(c, &epoch) &&
	       epoch == c->epoch;
}

int
cap_lookup(struct env *e, exo_cap_t slot, unsigned type, unsigned rights,
	   struct cap **out)
{
	struct cap *c;

	if (slot >= EXO_NCAPS)
		return -EXO_ENOENT;
	c = &e->caps[slot];
	if (!valid(c) || (type != EXO_CT_NONE && c->type != type))
		return -EXO_ENOENT;
	if ((c->rights & rights) != rights)
		return -EXO_EPERM;
	*out = c;
	return 0;
}

long
cap_insert(struct env *e, const struct cap *c)
{
	for (unsigned i = 0; i < EXO_NCAPS; i++) {
		struct cap n = *c;
		uint32_t epoch;

		if (valid(&e->caps[i]))
			continue;
		if (!object_epoch(&n, &epoch))
			return -EXO_ENOENT;
		n.epoch = epoch;
		e->caps[i] = n;
		return i;
	}
	return -EXO_ENOMEM;
}

bool
cap_covers_frame(struct env *e, uint64_t pa, unsigned rights)
{
	for (unsigned i = 0; i < EXO_NCAPS; i++) {
		struct cap *c = &e->caps[i];
		if (c->type == EXO_CT_PAGES && (c->rights & rights) == rights &&
		    pa >= c->obj && pa < c->obj + c->count * PAGE_SIZE &&
		    valid(c))
			return true;
	}
	return false;
}

void
cap_init_root(struct env *root)
{
	struct cap c = { .rights = EXO_RIGHTS_ALL };
	long slot;

	c.type = EXO_CT_CONSOLE;
	slot = cap_insert(root, &c);
	assert(slot == EXO_CAP_CONSOLE);
	c.type = EXO_CT_MACHINE;
	slot = cap_insert(root, &c);
	assert(slot == EXO_CAP_MACHINE);
	c.type = EXO_CT_SLICE;
	for (unsigned i = 0; i < NSLICE; i++) {
		c.obj = i;
		slot = cap_insert(root, &c);
		assert(slot == EXO_CAP_SLICES + i);
	}
	c = (struct cap){ .type = EXO_CT_IRQ,
			  .rights = EXO_RIGHTS_ALL,
			  .count = irq_count() };
	slot = cap_insert(root, &c);
	assert(slot == EXO_CAP_IRQ);
}

long
sys_cap_env(exo_envid_t env, uint64_t rights)
{
	struct env *e = env_lookup(env);
	struct cap c = { .type = EXO_CT_ENV, .rights = (uint8_t)rights };

	if (!e)
		return -EXO_ENOENT;
	if (!env_controls(curenv, e))
		return -EXO_EPERM;
	if (rights & ~EXO_RIGHTS_ALL)
		return -EXO_EINVAL;
	c.obj = e->id;
	return cap_insert(curenv, &c);
}

long
sys_page_cap(uint64_t pa, uint64_t npages, uint64_t rights)
{
	struct cap c = { .type = EXO_CT_PAGES, .rights = (uint8_t)rights };

	if (pa % PAGE_SIZE || npages == 0 || npages > MAX_PAGES_CAP ||
	    (rights & ~EXO_RIGHTS_ALL))
		return -EXO_EINVAL;
	for (uint64_t i = 0; i < npages; i++)
		if (pm_owner(pa + i * PAGE_SIZE) != curenv->id)
			return -EXO_EPERM;
	c.obj = pa;
	c.count = npages;
	c.owner = curenv->id;
	return cap_insert(curenv, &c);
}

long
sys_cap_derive(exo_cap_t cap, uint64_t rights)
{
	struct cap *c, copy;
	long err = cap_lookup(curenv, cap, EXO_CT_NONE, 0, &c);

	if (err)
		return err;
	copy = *c;
	copy.rights &= (uint8_t)rights;
	return cap_insert(curenv, &copy);
}

/* Whether e holds an ENV capability for t with the GRANT right: a channel
 * to give t things. */
static bool
can_give_to(struct env *e, const struct env *t)
{
	for (unsigned i = 0; i < EXO_NCAPS; i++) {
		struct cap *c = &e->caps[i];
		if (c->type == EXO_CT_ENV && c->obj == t->id &&
		    (c->rights & EXO_RIGHT_GRANT) && valid(c))
			return true;
	}
	return false;
}

long
sys_cap_grant(exo_cap_t cap, exo_envid_t env, uint64_t rights)
{
	struct cap *c, copy;
	struct env *t = env_lookup(env);
	long err = cap_lookup(curenv, cap, EXO_CT_NONE, EXO_RIGHT_GRANT, &c);

	if (err)
		return err;
	if (!t)
		return -EXO_ENOENT;
	if (!env_controls(curenv, t) && !can_give_to(curenv, t))
		return -EXO_EPERM;
	copy = *c;
	copy.rights &= (uint8_t)rights;
	return cap_insert(t, &copy);
}

long
sys_cap_revoke(exo_cap_t cap)
{
	struct cap *c;
	long err = cap_lookup(curenv, cap, EXO_CT_NONE, EXO_RIGHT_REVOKE, &c);

	if (err)
		return err;
	bump_epoch(c);
	object_epoch(c, &c->epoch);
	if (c->type == EXO_CT_PAGES)
		vm_unmap_frames(c->obj, c->count, env_lookup(c->owner));
	return 0;
}

long
sys_cap_drop(exo_cap_t cap)
{
	struct cap *c;
	long err = cap_lookup(curenv, cap, EXO_CT_NONE, 0, &c);

	if (err)
		return err;
	memset(c, 0, sizeof(*c));
	return 0;
}

long
sys_cap_info(exo_cap_t cap, uintptr_t out)
{
	struct cap *c;
	struct exo_cap_info info;
	long err = cap_lookup(curenv, cap, EXO_CT_NONE, 0, &c);

	if (err)
		return err;
	info = (struct exo_cap_info){ c->type, c->rights, c->obj, c->count };
	return arch_copy_to_user(out, &info, sizeof(info));
}

long
sys_slice_bind(exo_cap_t slice, exo_envid_t env)
{
	struct cap *c;
	struct env *e = env_lookup(env);
	long err = cap_lookup(curenv, slice, EXO_CT_SLICE, EXO_RIGHT_USE, &c);

	if (err)
		return err;
	if (!e)
		return -EXO_ENOENT;
	if (!env_controls(curenv, e))
		return -EXO_EPERM;
	slice_owner[c->obj] = e->id;
	return 0;
}
