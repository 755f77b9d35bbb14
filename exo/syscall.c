/*
 * System call entry, and the calls about envs, time and the machine.
 * Each handler decodes and checks every argument before it changes
 * anything (seL4's decode-then-invoke), so a failed call changes nothing.
 */
#include <exo/cap.h>
#include <exo/error.h>
#include <exo/map.h>
#include <exo/memlayout.h>
#include <exo/upcall.h>
#include <kernel/cap.h>
#include <kernel/env.h>
#include <kernel/lib.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#define CONS_CHUNK 256
#define CONS_MAX (64 * 1024) /* bytes one exo_cons_write takes at most */

/* A fast call that left its caller an upcall (syscall_try_fast) hands
 * its result to the full path, which follows at once (interrupts stay
 * masked in between).  A flag, not a look at curenv->pending, keeps the
 * test on every fast call to one load. */
static struct {
	bool upcall_due; /* set by syscall_upcall_due */
	bool finished;	 /* the call ran; the full path returns ret */
	long ret;
} fast;

/* The running system call has left its caller an upcall to deliver. */
void
syscall_upcall_due(void)
{
	fast.upcall_due = true;
}

void
syscall_handle(struct env *e)
{
	uint64_t nr, a[6];
	long ret;

	arch_tf_syscall(env_tf(e), &nr, a);
	if (unlikely(fast.finished)) {
		fast.finished = false;
		ret = fast.ret;
	} else {
		e->info->counters.syscalls++;
		ret = syscall_dispatch(nr, a);
		fast.upcall_due = false; /* env_run delivers it */
	}
	if (ret != SYSCALL_DONE && curenv == e)
		arch_tf_set_ret(env_tf(e), (uint64_t)ret);
}

/*
 * The fast path.  The arch's system call entry calls this first, having
 * saved only what the C calling convention does not preserve, with no trap
 * frame.  A call syscall_is_fast() accepts (bindings/syscalls.tbl: it
 * neither blocks, nor switches envs, nor touches the caller's saved
 * registers) runs here: returns true with *ret, and the arch returns to
 * user mode at once.  Otherwise false, *ret untouched (the arch may keep
 * the user's registers there): the arch builds the trap frame and takes
 * the full path.  A fast call that leaves the caller an upcall to deliver
 * (syscall_upcall_due: exo_wake_word alerting the caller) has run, but
 * also declines: the full path only returns its result and delivers the
 * upcall.
 */
bool
syscall_try_fast(uint64_t nr, const uint64_t *a, uint64_t *ret)
{
	long r;

	if (!syscall_is_fast(nr))
		return false;
	curenv->info->counters.syscalls++;
	r = syscall_dispatch(nr, a);
	if (unlikely(fast.upcall_due)) {
		fast.upcall_due = false;
		fast.finished = true;
		fast.ret = r;
		return false;
	}
	*ret = (uint64_t)r;
	return true;
}

long
sys_env_self(void)
{
	return curenv->id;
}

long
sys_env_create(uint64_t frame_quota, uint64_t flags)
{
	struct env *e;
	long err;

	if (flags > UINT32_MAX)
		return -EXO_EINVAL;
	err = env_create(curenv, frame_quota, (unsigned)flags, &e);
	return err ? err : e->id;
}

long
sys_env_start(exo_envid_t env, uint64_t pc, uint64_t sp, uint64_t arg)
{
	struct env *e;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	if (e->state != EXO_ENV_EMBRYO)
		return -EXO_EBUSY;
	if (pc < EXO_USER_MIN || pc >= EXO_USER_END || sp > EXO_USER_END ||
	    sp < EXO_USER_MIN)
		return -EXO_EINVAL;
	arch_tf_init(env_tf(e), pc, sp, arg);
	env_set_state(e, EXO_ENV_RUNNABLE);
	return 0;
}

long
sys_env_destroy(exo_envid_t env)
{
	struct env *e;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	env_destroy(e);
	return curenv ? 0 : SYSCALL_DONE;
}

long
sys_exit(int64_t status)
{
	if (!curenv->parent) {
		kprintf("exo: the root env exited with status %ld; halting\n",
			(long)status);
		arch_halt(status ? HALT_FAILURE : HALT_SUCCESS);
	}
	env_destroy(curenv);
	return SYSCALL_DONE;
}

long
sys_env_set_upcall(exo_envid_t env, uint64_t entry, uint64_t stack_top)
{
	struct env *e;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	if (entry && (entry < EXO_USER_MIN || entry >= EXO_USER_END ||
		      stack_top > EXO_USER_END || stack_top < EXO_USER_MIN ||
		      stack_top % 16))
		return -EXO_EINVAL;
	e->upcall_entry = entry;
	e->upcall_stack = entry ? stack_top : 0;
	return 0;
}

long
sys_env_info(exo_envid_t env, uintptr_t out)
{
	struct env *e;
	long err = env_controlled(env, &e);

	if (err)
		return err;
	return arch_copy_to_user(out, e->info, sizeof(*e->info));
}

long
sys_yield(exo_envid_t to)
{
	struct env *e = to ? env_lookup(to) : NULL;

	arch_tf_set_ret(env_tf(curenv), 0);
	sched_yield_to(e);
	return SYSCALL_DONE;
}

/*
 * Take the pending bits in mask; if none, block until one is notified or
 * timeout_ns passes (0: just poll; UINT64_MAX: no timeout).  An empty
 * mask just sleeps.
 */
long
sys_wait(uint64_t mask, uint64_t timeout_ns)
{
	struct env *e = curenv;
	uint64_t got = e->info->notify_pending & mask;

	if (mask & EXO_NOTIFY_RESERVED)
		return -EXO_EINVAL;
	if (got || !timeout_ns) {
		e->info->notify_pending &= ~got;
		return (long)got;
	}
	env_block(e, mask, timeout_ns);
	return SYSCALL_DONE;
}

long
sys_notify(exo_cap_t ep, uint64_t bits)
{
	struct cap *c;
	struct env *t;
	long err = cap_lookup(curenv, ep, EXO_CT_ENV, EXO_RIGHT_NOTIFY, &c);

	if (err)
		return err;
	if (bits & EXO_NOTIFY_RESERVED)
		return -EXO_EINVAL;
	t = env_lookup((exo_envid_t)c->obj);
	if (!t)
		return -EXO_ENOENT;
	env_notify(t, bits);
	return 0;
}

long
sys_clock_ns(void)
{
	return (long)arch_clock_ns();
}

long
sys_cons_write(exo_cap_t cons, uintptr_t buf, uint64_t len)
{
	struct cap *c;
	char chunk[CONS_CHUNK];
	uint64_t done = 0;
	long err =
		cap_lookup(curenv, cons, EXO_CT_CONSOLE, EXO_RIGHT_WRITE, &c);

	if (err)
		return err;
	if (!vm_user_range(buf, len))
		return -EXO_EFAULT;
	len = MIN(len, CONS_MAX);
	while (done < len) {
		uint64_t n = MIN(len - done, sizeof(chunk));
		if (arch_copy_from_user(chunk, buf + done, n))
			return done ? (long)done : -EXO_EFAULT;
		for (uint64_t i = 0; i < n; i++)
			arch_console_putc(chunk[i]);
		done += n;
	}
	return (long)done;
}

long
sys_cons_read(exo_cap_t cons, uintptr_t buf, uint64_t len)
{
	struct cap *c;
	char chunk[CONS_CHUNK];
	uint64_t n = 0;
	int ch;
	long err = cap_lookup(curenv, cons, EXO_CT_CONSOLE, EXO_RIGHT_READ, &c);

	if (err)
		return err;
	if (!vm_user_range(buf, len))
		return -EXO_EFAULT;
	while (n < MIN(len, sizeof(chunk)) && (ch = arch_console_getc()) >= 0)
		chunk[n++] = (char)ch;
	if (n && arch_copy_to_user(buf, chunk, n))
		return -EXO_EFAULT;
	return (long)n;
}

long
sys_halt(exo_cap_t machine, int64_t status)
{
	struct cap *c;
	long err =
		cap_lookup(curenv, machine, EXO_CT_MACHINE, EXO_RIGHT_USE, &c);

	if (err)
		return err;
	kprintf("exo: env %x halts the machine (status %ld)\n", curenv->id,
		(long)status);
	arch_halt(status ? HALT_FAILURE : HALT_SUCCESS);
}

/* Check the kernel's invariants: the frame table, every env's
 * accounting, the word wait queues and alert lists.  0, or -EXO_EINVAL
 * after printing what is broken. */
long
sys_kcheck(exo_cap_t machine)
{
	struct cap *c;
	long err =
		cap_lookup(curenv, machine, EXO_CT_MACHINE, EXO_RIGHT_USE, &c);

	if (err)
		return err;
	if (pm_check()) {
		kprintf("kcheck: the frame table is inconsistent\n");
		return -EXO_EINVAL;
	}
	for (unsigned i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (e->state == EXO_ENV_FREE)
			continue;
		if (e->used > e->quota || e->info->frames_used != e->used ||
		    pm_owner(e->pt_root) != PM_KERNEL) {
			kprintf("kcheck: env %x accounting is broken\n", e->id);
			return -EXO_EINVAL;
		}
	}
	if (sched_check()) {
		kprintf("kcheck: the runnable set is inconsistent\n");
		return -EXO_EINVAL;
	}
	if (wake_check()) {
		kprintf("kcheck: the word queues or alert lists are "
			"inconsistent\n");
		return -EXO_EINVAL;
	}
	return 0;
}

/* Resume the registers in an upcall frame (a[0] is its address). */
long
sys_upcall_return(const uint64_t *a)
{
	struct exo_upcall_frame f;

	if (arch_copy_from_user(&f, a[0], sizeof(f)))
		return -EXO_EFAULT;
	arch_tf_from_regs(env_tf(curenv), &f.regs);
	return SYSCALL_DONE;
}
