/*
 * Environments: a fixed table of NENV slots.  An env id is its slot with a
 * 16-bit generation above it, bumped each time the slot is reused, so a
 * stale id finds nothing.  The ASID of a slot is slot + 1.
 *
 * Resources: an env may have at most `quota` frames charged to it (the
 * frames it owns, its page tables, its info page).  A child's quota is
 * carved out of its creator's and flows back when the child dies.
 */
#include <exo/error.h>
#include <exo/map.h>
#include <exo/memlayout.h>
#include <exo/perm.h>
#include <kernel/env.h>
#include <kernel/event.h>
#include <kernel/sched.h>
#include <kernel/upcall.h>
#include <kernel/ipc.h>
#include <kernel/irq.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <kernel/vm.h>

struct env envs[NENV];
struct env *curenv;
static uint16_t generation[NENV];

struct env *
env_lookup(exo_envid_t id)
{
	struct env *e;

	if (id == EXO_ENVID_SELF)
		return curenv;
	if (EXO_ENVID_SLOT(id) >= NENV)
		return NULL;
	e = &envs[EXO_ENVID_SLOT(id)];
	return e->id == id ? e : NULL;
}

/* Whether c controls t: t is c or one of c's descendants. */
bool
env_controls(const struct env *c, const struct env *t)
{
	for (unsigned n = 0; t && n <= ENV_MAX_DEPTH; n++) {
		if (t == c)
			return true;
		t = t->parent ? env_lookup(t->parent) : NULL;
	}
	return false;
}

/*
 * The env `id` names, for a caller that controls it: 0 and *out,
 * -EXO_ENOENT (no such env) or -EXO_EPERM (not the caller's to command).
 */
long
env_controlled(exo_envid_t id, struct env **out)
{
	struct env *e = env_lookup(id);

	if (!e)
		return -EXO_ENOENT;
	if (!env_controls(curenv, e))
		return -EXO_EPERM;
	*out = e;
	return 0;
}

int
env_charge(struct env *e, uint64_t frames)
{
	if (e->quota - e->used < frames)
		return -EXO_ENOMEM;
	e->used += frames;
	if (e->info)
		e->info->frames_used = e->used;
	return 0;
}

void
env_uncharge(struct env *e, uint64_t frames)
{
	assert(e->used >= frames);
	e->used -= frames;
	if (e->info)
		e->info->frames_used = e->used;
}

static struct env *
slot_alloc(void)
{
	for (unsigned i = 0; i < NENV; i++) {
		if (envs[i].state != EXO_ENV_FREE)
			continue;
		if (++generation[i] == 0)
			generation[i] = 1;
		memset(&envs[i], 0, sizeof(envs[i]));
		envs[i].id = (exo_envid_t)generation[i] << 16 | i;
		envs[i].asid = i + 1;
		return &envs[i];
	}
	return NULL;
}

/* The info page: kernel-owned, charged to e, mapped read-only. */
static int
info_create(struct env *e)
{
	int err = env_charge(e, 1);

	if (err)
		return err;
	err = pm_alloc(PM_KERNEL, &e->info_pa);
	if (err) {
		env_uncharge(e, 1);
		return err;
	}
	e->kframes++;
	e->info = phys_to_virt(e->info_pa);
	arch_page_zero(e->info);
	e->info->id = e->id;
	e->info->parent = e->parent;
	e->info->frames_quota = e->quota;
	e->info->frames_used = e->used;
	return vm_map(e, EXO_ENVINFO, e->info_pa, EXO_PERM_R);
}

/* After vm_destroy() has unmapped it. */
static void
info_free(struct env *e)
{
	int err = pm_free(PM_KERNEL, e->info_pa);

	assert(err == 0);
	env_uncharge(e, 1);
	e->kframes--;
	e->info = NULL;
}

/*
 * A new env, child of parent (NULL: the root), with `quota` frames carved
 * from the parent's.  Returns 0 and *out (state EMBRYO); -EXO_ENOMEM when
 * no slot is free, the parent's quota cannot cover it, the chain is too
 * deep or the first tables do not fit; -EXO_EINVAL for unknown flags.
 */
int
env_create(struct env *parent, uint64_t quota, unsigned flags, struct env **out)
{
	struct env *e;
	int err;

	if (flags & ~EXO_ENV_LINUX)
		return -EXO_EINVAL;
	if (parent && (parent->quota - parent->used < quota ||
		       parent->depth + 1 >= ENV_MAX_DEPTH))
		return -EXO_ENOMEM;
	e = slot_alloc();
	if (!e)
		return -EXO_ENOMEM;
	e->parent = parent ? parent->id : 0;
	e->depth = parent ? parent->depth + 1 : 0;
	e->quota = quota;
	e->linux_abi = flags & EXO_ENV_LINUX;
	e->wait_deadline = UINT64_MAX;
	env_set_state(e, EXO_ENV_EMBRYO);
	arch_tlb_flush_asid(e->asid);
	arch_env_ctx_init(&e->ctx);
	err = vm_create(e);
	if (!err)
		err = info_create(e);
	if (err) {
		if (e->pt_root)
			vm_destroy(e);
		if (e->info)
			info_free(e);
		env_set_state(e, EXO_ENV_FREE);
		e->id = 0;
		return err;
	}
	if (parent) {
		parent->quota -= quota;
		parent->info->frames_quota = parent->quota;
	}
	e->info->state = e->state;
	event_log(EXO_EV_ENV_CREATE, e->id, e->parent, 0);
	*out = e;
	return 0;
}

static struct env *
find_child(const struct env *e)
{
	for (unsigned i = 0; i < NENV; i++)
		if (envs[i].state != EXO_ENV_FREE && envs[i].parent == e->id)
			return &envs[i];
	return NULL;
}

/*
 * Destroy e and its descendants: mappings, tables, frames (a frame still
 * mapped by another env is orphaned and freed with its last mapping),
 * capabilities naming it (through its epoch).  The quota goes back to the
 * parent, which is notified.  The root env's death stops the machine.
 */
void
env_destroy(struct env *e)
{
	struct env *parent = e->parent ? env_lookup(e->parent) : NULL;
	struct env *child;

	while ((child = find_child(e)))
		env_destroy(child);
	event_log(EXO_EV_ENV_DESTROY, e->id, e->parent, 0);
	if (e == curenv)
		arch_as_activate(0, 0);
	vm_destroy(e);
	info_free(e);
	pm_release_owner(e->id);
	ipc_abort_peer(e);
	irq_release(e);
	wake_cancel(e);
	alert_clear(e);
	e->cap_epoch++;
	if (e == curenv)
		curenv = NULL;
	e->live = NULL;
	env_set_state(e, EXO_ENV_FREE);
	e->id = 0;
	if (!parent) {
		kprintf("exo: the root env is gone; halting\n");
		arch_halt(HALT_SUCCESS);
	}
	parent->quota += e->quota;
	parent->info->frames_quota = parent->quota;
	env_notify(parent, EXO_NOTIFY_CHILD);
}

/*
 * OR bits into e's pending notifications; wake it if it waits on any of
 * them, with the bits it waited for as the result of its exo_wait.
 */
void
env_notify(struct env *e, uint64_t bits)
{
	uint64_t got;

	e->info->notify_pending |= bits;
	e->info->counters.notifications++;
	got = e->info->notify_pending & e->wait_mask;
	if (e->state != EXO_ENV_BLOCKED || !got)
		return;
	e->info->notify_pending &= ~got;
	env_unblock(e, got);
}

/*
 * Block the current env e in a wait for the notification bits in mask,
 * for at most timeout_ns (UINT64_MAX: none).  Whatever ends the wait
 * (env_notify, a word wake, the deadline in sched_tick, an IRQ, an
 * alert) goes through env_unblock.
 */
void
env_block(struct env *e, uint64_t mask, uint64_t timeout_ns)
{
	uint64_t now = arch_clock_ns();

	e->wait_mask = mask;
	e->wait_deadline =
		timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
	env_set_state(e, EXO_ENV_BLOCKED);
}

/* End e's exo_wait or exo_wait_word with `ret` as its result. */
void
env_unblock(struct env *e, uint64_t ret)
{
	wake_cancel(e);
	e->wait_mask = 0;
	e->wait_deadline = UINT64_MAX;
	arch_tf_set_ret(env_tf(e), ret);
	env_set_state(e, EXO_ENV_RUNNABLE);
}

/* Deliver the asynchronous upcalls waiting for e (its space and context
 * are loaded).  One that cannot be written is dropped: the env chose not
 * to listen (no entry point) or broke its own upcall stack.  Each frame
 * nests on the one before and runs first, so the alert goes first: its
 * frame holds the state the env was really interrupted in, from which
 * the library OS decides what to do. */
static void
deliver_pending(struct env *e)
{
	struct exo_upcall_frame f;

	if (e->pending & PENDING_ALERT) {
		f = (struct exo_upcall_frame){ .type = EXO_UPCALL_ALERT };
		upcall_deliver(e, &f);
	}
	if (e->pending & PENDING_REVOKE) {
		uint64_t now = arch_clock_ns();
		f = (struct exo_upcall_frame){ .type = EXO_UPCALL_REVOKE };
		f.arg[0] = e->revoke_nframes;
		f.arg[1] =
			e->revoke_deadline > now ? e->revoke_deadline - now : 0;
		upcall_deliver(e, &f);
	}
	if (e->pending & PENDING_SLICE_END) {
		f = (struct exo_upcall_frame){ .type = EXO_UPCALL_SLICE_END };
		f.arg[0] = SLICE_GRACE_NS;
		upcall_deliver(e, &f);
	}
	for (unsigned line = 0; e->irq_pending; line++) {
		if (!(e->irq_pending & 1ull << line))
			continue;
		e->irq_pending &= ~(1ull << line);
		f = (struct exo_upcall_frame){ .type = EXO_UPCALL_IRQ };
		f.arg[0] = line;
		upcall_deliver(e, &f);
	}
	if (e->pending & PENDING_SLICE_START) {
		f = (struct exo_upcall_frame){ .type = EXO_UPCALL_SLICE_START };
		f.arg[0] = e->slice;
		upcall_deliver(e, &f);
	}
	e->pending = 0;
}

/* Make e the current env: the current one's registers go to its env, the
 * context and address space switch.  e's registers stay in env_tf(e). */
void
env_switch(struct env *e)
{
	if (e != curenv) {
		if (curenv && curenv->live) {
			curenv->tf = *curenv->live;
			curenv->live = NULL;
		}
		arch_env_ctx_switch(curenv ? &curenv->ctx : NULL, &e->ctx);
		curenv = e;
		e->info->counters.slices++;
	}
	arch_as_activate(e->pt_root, e->asid);
}

/* Switch to e's address space and registers; never returns. */
void
env_run(struct env *e)
{
	struct trapframe *tf;

	assert(e->state == EXO_ENV_RUNNABLE);
	env_switch(e);
	if (e->pending)
		deliver_pending(e);
	tf = env_tf(e);
	e->live = NULL;
	arch_return_to_user(tf);
}
