/*
 * Signals.  A process's dispositions, mask and alternate stack are its
 * own (libOS bss: fork copies them); what others send it is a bit in
 * its process-table entry (sigpending, set with an atomic OR by any
 * process of the instance, then a wake of its wake word).  A process
 * acts on its pending signals itself, wherever its libOS runs:
 *
 * - on the way out of every system call (signal_syscall_exit), so a
 *   signal a call raises (kill of oneself, SIGPIPE) acts before the
 *   program goes on, as on Linux;
 * - in every wait (posix_block asks signal_interrupts): a default
 *   action is taken there, a handler makes the call return
 *   -ERESTARTSYS (restarted on the way out with SA_RESTART, else
 *   -EINTR);
 * - after a page fault it resolved, and for the fault itself when no
 *   region allows it (signal_fault: SIGSEGV and friends);
 * - when the program was running: the wake word is also the process's
 *   alert word (exo_alert_word), so the sender's wake gives it an
 *   EXO_UPCALL_ALERT (main.c).
 *
 * A handler runs on a frame laid out as Linux lays it out (the arch's
 * signal.c), so programs that read or edit the ucontext work;
 * rt_sigreturn takes the registers, FP/SIMD state and mask back from
 * it.
 */
#include <exo/string.h>

#include "posix.h"
#include "sysnr.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIG_DFL 0
#define SIG_IGN 1

#define SA_NOCLDSTOP 0x00000001u
#define SA_SIGINFO 0x00000004u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)

#define SI_USER 0
#define SI_TKILL (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2

#define UNBLOCKABLE (L_SIGBIT(L_SIGKILL) | L_SIGBIT(L_SIGSTOP))
#define STOPS                                                                  \
	(L_SIGBIT(L_SIGSTOP) | L_SIGBIT(L_SIGTSTP) | L_SIGBIT(L_SIGTTIN) |     \
	 L_SIGBIT(L_SIGTTOU))

/* What a signal does when nobody handles it. */
enum dfl { D_TERM, D_IGN, D_STOP, D_CONT };

/* The kernel's struct sigaction: the same layout on both arches. */
struct l_sigaction {
	uint64_t handler, flags, restorer, mask;
};

static struct l_sigaction actions[L_NSIG];
static uint64_t blocked;
static struct l_stack altstack = { .flags = SS_DISABLE };
/* rt_sigsuspend's caller's mask, which its handler's sigreturn puts
 * back (and which goes back at once if no handler runs). */
static bool suspended;
static uint64_t suspend_mask;
/* rt_sigreturn loaded FP/SIMD registers that libexo's upcall exit
 * would overwrite with the ones it saved: resume through the kernel. */
static bool resume_direct;

static struct posix_procent *
me(void)
{
	return &proc.pool->procs[proc.slot];
}

static enum dfl
default_action(int sig)
{
	switch (sig) {
	case L_SIGCHLD:
	case L_SIGURG:
	case L_SIGWINCH:
		return D_IGN;
	case L_SIGCONT:
		return D_CONT;
	case L_SIGSTOP:
	case L_SIGTSTP:
	case L_SIGTTIN:
	case L_SIGTTOU:
		return D_STOP;
	default:
		return D_TERM;
	}
}

/* Would sig be thrown away if it came now? */
static bool
ignored(int sig)
{
	uint64_t h = actions[sig - 1].handler;

	return h == SIG_IGN ||
	       (h == SIG_DFL && (default_action(sig) == D_IGN ||
				 default_action(sig) == D_CONT));
}

bool
signal_would_act(int sig)
{
	return !ignored(sig) && !(blocked & L_SIGBIT(sig));
}

/* --- sending --------------------------------------------------------------- */

void
signal_send(struct posix_procent *p, int sig)
{
	if (sig == L_SIGCONT)
		__atomic_and_fetch(&p->sigpending, ~STOPS, __ATOMIC_RELAXED);
	else if (L_SIGBIT(sig) & STOPS)
		__atomic_and_fetch(&p->sigpending, ~L_SIGBIT(L_SIGCONT),
				   __ATOMIC_RELAXED);
	__atomic_or_fetch(&p->sigpending, L_SIGBIT(sig), __ATOMIC_RELEASE);
	if (p == me())
		return; /* acted on at the end of this call */
	/* Its wake word is its alert word: waiting or running, it hears. */
	__atomic_add_fetch(&p->wake, 1, __ATOMIC_SEQ_CST);
	exo_wake_word(&p->wake, 1);
}

void
signal_raise(int sig)
{
	signal_send(me(), sig);
}

void
signal_group(uint32_t pgid, int sig)
{
	for (unsigned i = 0; pgid && i < POSIX_NPROC; i++) {
		struct posix_procent *p = &proc.pool->procs[i];

		if (p->state == POSIX_PROC_RUNNING && p->pgid == pgid)
			signal_send(p, sig);
	}
}

void
signal_parent(struct posix_procent *p)
{
	for (unsigned i = 0; p->ppid && i < POSIX_NPROC; i++) {
		struct posix_procent *q = &proc.pool->procs[i];

		if (q->pid == p->ppid && q->state == POSIX_PROC_RUNNING) {
			signal_send(q, L_SIGCHLD);
			return;
		}
	}
}

/* Does entry p match kill's pid argument? */
static bool
kill_match(const struct posix_procent *p, int64_t pid)
{
	if (pid > 0)
		return p->pid == (uint64_t)pid;
	if (pid == 0)
		return p->pgid == me()->pgid;
	if (pid == -1)
		return p->pid != 1 && p->pid != proc.pid;
	return p->pgid == (uint64_t)-pid;
}

/* Send sig (0: only look) to every process pid names: 0 or -ESRCH.  An
 * exited process not yet waited for is found but gets nothing. */
static long
kill_some(int64_t pid, uint64_t sig, bool thread)
{
	long r = -L_ESRCH;

	if (sig > L_NSIG || (thread && pid <= 0))
		return -L_EINVAL;
	pool_lock();
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		struct posix_procent *p = &proc.pool->procs[i];

		if (p->state == POSIX_PROC_FREE || !kill_match(p, pid))
			continue;
		r = 0;
		if (sig && p->state == POSIX_PROC_RUNNING)
			signal_send(p, (int)sig);
	}
	pool_unlock();
	return r;
}

/* kill(pid, sig) */
POSIX_SYS(kill)
{
	return kill_some((int32_t)a[0], a[1], false);
}

/* tkill(tid, sig): one thread per process, so the tid is the pid. */
POSIX_SYS(tkill)
{
	return kill_some((int32_t)a[0], a[1], true);
}

/* tgkill(tgid, tid, sig) */
POSIX_SYS(tgkill)
{
	if ((int32_t)a[0] <= 0)
		return -L_EINVAL;
	if (a[0] != a[1])
		return (int32_t)a[1] <= 0 ? -L_EINVAL : -L_ESRCH;
	return kill_some((int32_t)a[1], a[2], true);
}

/* --- acting on what is pending --------------------------------------------- */

/* Take the lowest pending signal the mask lets through: it, or 0. */
static int
take(void)
{
	uint64_t pend =
		__atomic_load_n(&me()->sigpending, __ATOMIC_ACQUIRE) & ~blocked;
	int sig;

	if (!pend)
		return 0;
	sig = __builtin_ctzll(pend) + 1;
	__atomic_and_fetch(&me()->sigpending, ~L_SIGBIT(sig), __ATOMIC_RELAXED);
	return sig;
}

/* Stopped by sig: tell the parent, then wait for SIGCONT (or
 * SIGKILL), which stays pending and acts next. */
static void
stop(int sig)
{
	struct posix_procent *p = me();
	uint64_t resume = L_SIGBIT(L_SIGCONT) | L_SIGBIT(L_SIGKILL);

	pool_lock();
	p->jobstate = POSIX_JOB_STOPPED;
	p->stopsig = (uint8_t)sig;
	p->jobreport = 1;
	signal_parent(p);
	pool_unlock();
	for (;;) {
		uint32_t seq = posix_wake_seq();

		if (__atomic_load_n(&p->sigpending, __ATOMIC_ACQUIRE) & resume)
			break;
		posix_nap(seq, UINT64_MAX, 0);
	}
	pool_lock();
	p->jobstate = POSIX_JOB_CONTINUED;
	p->jobreport = 1;
	signal_parent(p);
	pool_unlock();
}

/* Take the default actions of the pending signals (ignore, stop,
 * continue, or end the process): the first one with a handler, or 0. */
static int
next_handled(void)
{
	int sig;

	while ((sig = take())) {
		uint64_t h = actions[sig - 1].handler;

		if (h == SIG_IGN)
			continue;
		if (h != SIG_DFL)
			return sig;
		switch (default_action(sig)) {
		case D_IGN:
		case D_CONT:
			break;
		case D_STOP:
			stop(sig);
			break;
		case D_TERM:
			posix_exit(sig);
		}
	}
	return 0;
}

bool
signal_interrupts(void)
{
	uint64_t pend;
	int sig;

	if (!(__atomic_load_n(&me()->sigpending, __ATOMIC_ACQUIRE) & ~blocked))
		return false;
	sig = next_handled();
	if (!sig)
		return false;
	/* Put it back for the way out of the call. */
	pend = L_SIGBIT(sig);
	__atomic_or_fetch(&me()->sigpending, pend, __ATOMIC_RELAXED);
	return true;
}

/* Start sig's handler on f: a frame on the program's stack (or the
 * alternate one), the mask widened while it runs. */
static void
deliver(struct exo_upcall_frame *f, int sig, int32_t code, uint64_t addr)
{
	struct l_sigaction *act = &actions[sig - 1];
	uint64_t sp = EXO_REGS_SP(&f->regs);
	struct sigdelivery d = {
		.sig = sig,
		.code = code,
		.addr = addr,
		.handler = act->handler,
		.restorer = act->flags & SA_RESTORER ? act->restorer : 0,
		.mask = suspended ? suspend_mask : blocked,
		.stack = altstack,
	};
	bool on_alt = !(altstack.flags & SS_DISABLE) && sp > altstack.sp &&
		      sp - altstack.sp <= altstack.size;

	if ((act->flags & SA_ONSTACK) && !(altstack.flags & SS_DISABLE) &&
	    !on_alt)
		sp = altstack.sp + altstack.size;
	d.sp = sp;
	d.stack.flags = on_alt ? SS_ONSTACK : altstack.flags;
	if (!arch_signal_frame(f, &d)) {
		posix_log("posix: pid %u: no room on the stack at 0x%lx for "
			  "the handler of signal %d\n",
			  proc.pid, (unsigned long)sp, sig);
		posix_exit(L_SIGSEGV);
	}
	suspended = false;
	blocked |= act->mask;
	if (!(act->flags & SA_NODEFER))
		blocked |= L_SIGBIT(sig);
	blocked &= ~UNBLOCKABLE;
	if (act->flags & SA_RESETHAND)
		memset(act, 0, sizeof(*act));
}

static void __attribute__((noinline))
syscall_exit_work(struct exo_upcall_frame *f, long r, uint64_t nr, uint64_t a0)
{
	int sig = 0;

	if (__atomic_load_n(&me()->sigpending, __ATOMIC_ACQUIRE) & ~blocked)
		sig = next_handled();
	if (r == -L_ERESTARTSYS && nr != POSIX_NR_RT_SIGRETURN) {
		if (sig && !(actions[sig - 1].flags & SA_RESTART))
			arch_set_ret(&f->regs, -L_EINTR);
		else
			arch_restart(f, nr, a0);
	}
	if (sig) {
		deliver(f, sig, SI_USER, 0);
	} else if (suspended) {
		blocked = suspend_mask;
		suspended = false;
	}
	if (resume_direct) {
		resume_direct = false;
		exo_upcall_return(f);
	}
}

/* The way out of every call: nothing to do (the common case, checked
 * first) unless a signal the mask lets through is pending, the call is
 * to restart, or sigsuspend's mask or a direct call's resume waits. */
void
signal_syscall_exit(struct exo_upcall_frame *f, long r, uint64_t nr,
		    uint64_t a0)
{
	if (r != -L_ERESTARTSYS && !suspended && !resume_direct &&
	    !(__atomic_load_n(&me()->sigpending, __ATOMIC_ACQUIRE) & ~blocked))
		return;
	syscall_exit_work(f, r, nr, a0);
}

void
signal_after_fault(struct exo_upcall_frame *f)
{
	int sig;

	if (!(__atomic_load_n(&me()->sigpending, __ATOMIC_ACQUIRE) & ~blocked))
		return;
	sig = next_handled();
	if (sig)
		deliver(f, sig, SI_USER, 0);
}

void
signal_fault(struct exo_upcall_frame *f, int sig, bool mapped)
{
	uint64_t h = actions[sig - 1].handler;

	if (h != SIG_DFL && h != SIG_IGN && !(blocked & L_SIGBIT(sig))) {
		deliver(f, sig, mapped ? SEGV_ACCERR : SEGV_MAPERR, f->addr);
		return;
	}
	/* Blocked or ignored, a fault still ends the process, as Linux's
	 * forced signals do. */
	posix_log("posix: pid %u: signal %d (fault %lu at 0x%lx, pc 0x%lx)\n",
		  proc.pid, sig, (unsigned long)f->fault,
		  (unsigned long)f->addr, (unsigned long)EXO_REGS_PC(&f->regs));
	posix_exit(sig);
}

/* --- the calls ------------------------------------------------------------- */

/* rt_sigaction(sig, act, oact, sigsetsize) */
POSIX_SYS(rt_sigaction)
{
	struct l_sigaction act;

	if (a[0] < 1 || a[0] > L_NSIG || a[3] != 8)
		return -L_EINVAL;
	if (a[1] && copy_in(&act, a[1], sizeof(act)) < 0)
		return -L_EFAULT;
	if (a[1] && (a[0] == L_SIGKILL || a[0] == L_SIGSTOP))
		return -L_EINVAL;
	if (a[2] && copy_out(a[2], &actions[a[0] - 1], sizeof(act)) < 0)
		return -L_EFAULT;
	if (!a[1])
		return 0;
	act.mask &= ~UNBLOCKABLE;
	actions[a[0] - 1] = act;
	/* An ignored signal that is pending is thrown away (POSIX). */
	if (ignored((int)a[0]))
		__atomic_and_fetch(&me()->sigpending, ~L_SIGBIT(a[0]),
				   __ATOMIC_RELAXED);
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
POSIX_SYS(rt_sigprocmask)
{
	uint64_t set;

	if (a[3] != 8 || (a[1] && a[0] > SIG_SETMASK))
		return -L_EINVAL;
	if (a[1] && copy_in(&set, a[1], sizeof(set)) < 0)
		return -L_EFAULT;
	if (a[2] && copy_out(a[2], &blocked, sizeof(blocked)) < 0)
		return -L_EFAULT;
	if (!a[1])
		return 0;
	if (a[0] == SIG_BLOCK)
		blocked |= set;
	else if (a[0] == SIG_UNBLOCK)
		blocked &= ~set;
	else
		blocked = set;
	blocked &= ~UNBLOCKABLE;
	return 0;
}

/* rt_sigpending(set, sigsetsize): the pending signals the mask holds. */
POSIX_SYS(rt_sigpending)
{
	uint64_t set =
		__atomic_load_n(&me()->sigpending, __ATOMIC_ACQUIRE) & blocked;

	if (a[1] != 8)
		return -L_EINVAL;
	return copy_out(a[0], &set, sizeof(set));
}

/* Wait until a handler is to run: -EINTR. */
static long
suspend(void)
{
	for (;;) {
		uint32_t seq = posix_wake_seq();

		if (posix_block(seq, UINT64_MAX, 0) == -L_ERESTARTSYS)
			return -L_EINTR;
	}
}

long
signal_wait_mask(uint64_t umask, uint64_t size)
{
	uint64_t mask;

	if (!umask)
		return 0;
	if (size != 8)
		return -L_EINVAL;
	if (copy_in(&mask, umask, sizeof(mask)) < 0)
		return -L_EFAULT;
	/* Until the way out, or the handler's sigreturn, puts ours back. */
	suspend_mask = blocked;
	blocked = mask & ~UNBLOCKABLE;
	suspended = true;
	return 0;
}

/* rt_sigsuspend(mask, sigsetsize) */
POSIX_SYS(rt_sigsuspend)
{
	long r = a[0] ? signal_wait_mask(a[0], a[1]) : -L_EFAULT;

	return r < 0 ? r : suspend();
}

POSIX_SYS(pause)
{
	return suspend();
}

#define L_MINSIGSTKSZ 2048

/* sigaltstack(ss, old_ss) */
POSIX_SYS(sigaltstack)
{
	uint64_t sp = EXO_REGS_SP(&f->regs);
	bool on = !(altstack.flags & SS_DISABLE) && sp > altstack.sp &&
		  sp - altstack.sp <= altstack.size;
	struct l_stack old = altstack, ss;

	if (on)
		old.flags = SS_ONSTACK;
	if (a[1] && copy_out(a[1], &old, sizeof(old)) < 0)
		return -L_EFAULT;
	if (!a[0])
		return 0;
	if (copy_in(&ss, a[0], sizeof(ss)) < 0)
		return -L_EFAULT;
	if (on)
		return -L_EPERM;
	if (ss.flags & ~(SS_DISABLE | SS_AUTODISARM))
		return -L_EINVAL;
	if (ss.flags & SS_DISABLE) {
		altstack = (struct l_stack){ .flags = SS_DISABLE };
		return 0;
	}
	if (ss.size < L_MINSIGSTKSZ)
		return -L_ENOMEM;
	altstack = ss;
	altstack.flags = 0;
	return 0;
}

POSIX_SYS(rt_sigreturn)
{
	uint64_t mask;

	if (arch_sigreturn(f, &mask) < 0) {
		posix_log("posix: pid %u: rt_sigreturn with no signal frame "
			  "at 0x%lx\n",
			  proc.pid, (unsigned long)EXO_REGS_SP(&f->regs));
		posix_exit(L_SIGSEGV);
	}
	blocked = mask & ~UNBLOCKABLE;
	resume_direct = true;
	return arch_ret(&f->regs);
}

void
signal_exec(void)
{
	for (unsigned i = 0; i < L_NSIG; i++)
		if (actions[i].handler != SIG_IGN)
			memset(&actions[i], 0, sizeof(actions[i]));
	altstack = (struct l_stack){ .flags = SS_DISABLE };
}
