/*
 * Process groups and sessions: bookkeeping in the process table, enough
 * for a shell's job control to agree with itself (fork inherits both;
 * no signal goes to a group yet).
 */
#include "posix.h"

/* The entry of process pid (0: ourselves) if it is alive (pool
 * locked), or NULL. */
static struct posix_procent *
entry(int32_t pid)
{
	if (pid < 0)
		return NULL;
	if (!pid)
		pid = (int32_t)proc.pid;
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		struct posix_procent *p = &proc.pool->procs[i];

		if (p->pid == (uint32_t)pid && p->state != POSIX_PROC_FREE)
			return p;
	}
	return NULL;
}

/* Is there a process in group pgid of session sid (pool locked)? */
static bool
group_in(uint32_t pgid, uint32_t sid)
{
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		const struct posix_procent *p = &proc.pool->procs[i];

		if (p->state != POSIX_PROC_FREE && p->pgid == pgid &&
		    p->sid == sid)
			return true;
	}
	return false;
}

/* setpgid(pid, pgid): ourselves or a child of ours, into a group of our
 * session (a new one named after it if pgid is 0 or its pid).  Both are
 * pid_t, 32 bits. */
POSIX_SYS(setpgid)
{
	struct posix_procent *p, *self;
	long r = 0;

	if ((int32_t)a[1] < 0)
		return -L_EINVAL;
	pool_lock();
	self = entry(0);
	p = entry((int32_t)a[0]);
	if (!p || !self || (p != self && p->ppid != proc.pid)) {
		r = -L_ESRCH;
	} else {
		uint32_t pgid = (uint32_t)a[1] ? (uint32_t)a[1] : p->pid;

		if (p->sid != self->sid ||
		    (p->sid == p->pid && pgid != p->pgid))
			r = -L_EPERM;
		else if (pgid != p->pid && !group_in(pgid, self->sid))
			r = -L_EPERM;
		else
			p->pgid = pgid;
	}
	pool_unlock();
	return r;
}

/* getpgid(pid) and getsid(pid): 0 means ourselves. */
static long
ids(int32_t pid, bool session)
{
	const struct posix_procent *p;
	long r;

	pool_lock();
	p = entry(pid);
	r = !p ? -L_ESRCH : session ? (long)p->sid : (long)p->pgid;
	pool_unlock();
	return r;
}

POSIX_SYS(getpgid)
{
	return ids((int32_t)a[0], false);
}

POSIX_SYS(getpgrp)
{
	return ids(0, false);
}

POSIX_SYS(getsid)
{
	return ids((int32_t)a[0], true);
}

/* setsid: a new session and group named after us, unless we already
 * lead a group. */
POSIX_SYS(setsid)
{
	struct posix_procent *p;
	long r;

	pool_lock();
	p = entry(0);
	if (!p || group_in(proc.pid, p->sid) || p->pgid == proc.pid) {
		r = -L_EPERM;
	} else {
		p->pgid = p->sid = proc.pid;
		r = proc.pid;
	}
	pool_unlock();
	return r;
}
