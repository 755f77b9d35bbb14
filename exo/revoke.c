/*
 * Visible revocation.  exo_revoke_request asks an env to give back frames:
 * it gets an EXO_UPCALL_REVOKE (when it next runs) naming how many and the
 * deadline.  At the deadline the kernel takes what it was not given: it
 * unmaps and frees frames the env owns, first those mapped only in its
 * own address space (highest addresses first would be policy; this takes
 * them in address order), then unmapped ones, and records each in the
 * env's info page (repossessed_va: the user address, or for a frame that
 * was not mapped its physical address with bit 0 set).
 */
#include <exo/error.h>
#include <exo/upcall.h>
#include <kernel/env.h>
#include <kernel/event.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

long
sys_revoke_request(exo_envid_t env, uint64_t nframes, uint64_t deadline_ns)
{
	struct env *e = env_lookup(env);
	uint64_t now = arch_clock_ns();

	if (!e)
		return -EXO_ENOENT;
	if (!env_controls(curenv, e) || e == curenv)
		return -EXO_EPERM;
	if (nframes == 0 || deadline_ns == 0 || deadline_ns > UINT64_MAX - now)
		return -EXO_EINVAL;
	e->revoke_nframes = nframes;
	e->revoke_keep = env_owned(e) > nframes ? env_owned(e) - nframes : 0;
	e->revoke_deadline = now + deadline_ns;
	e->pending |= PENDING_REVOKE;
	event_log(EXO_EV_REVOKE, e->id, nframes, deadline_ns);
	return 0;
}

static void
log_taken(struct env *e, uint64_t what)
{
	struct exo_envinfo *in = e->info;

	in->repossessed_va[in->repossess_count % EXO_REPOSSESS_LOG] = what;
	in->repossess_count++;
	in->counters.repossessed++;
}

struct take {
	struct env *e;
	uint64_t left;
};

/* Take a frame e owns that no other env maps. */
static bool
take_mapped(uint64_t va, pte_t *leaf, void *ctx)
{
	struct take *t = ctx;
	uint64_t pa = pte_addr(*leaf);

	if (pm_owner(pa) != t->e->id || pm_mapcount(pa) != 1)
		return false;
	vm_gen++;
	*leaf = 0;
	pm_map_count(pa, -1);
	if (pm_free(t->e->id, pa) == 0) {
		env_uncharge(t->e, 1);
		log_taken(t->e, va);
	}
	return --t->left == 0;
}

static void
repossess(struct env *e)
{
	struct take t = { e, env_owned(e) - e->revoke_keep };
	uint64_t pa, asked = t.left;

	vm_for_each_leaf(e, take_mapped, &t);
	arch_tlb_flush_asid(e->asid);
	while (t.left && pm_take_unmapped(e->id, &pa) == 0) {
		env_uncharge(e, 1);
		log_taken(e, pa | 1);
		t.left--;
	}
	event_log(EXO_EV_REPOSSESS, e->id, asked - t.left, 0);
	kprintf("exo: env %x kept %lu frames past its revocation deadline; "
		"took %lu\n",
		e->id, (unsigned long)asked, (unsigned long)(asked - t.left));
}

/* Called every tick: enforce the deadlines that have passed. */
void
revoke_tick(uint64_t now)
{
	for (unsigned i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (e->state == EXO_ENV_FREE || !e->revoke_deadline ||
		    e->revoke_deadline > now)
			continue;
		e->revoke_deadline = 0;
		e->pending &= ~PENDING_REVOKE;
		if (env_owned(e) > e->revoke_keep)
			repossess(e);
	}
}
