/*
 * Processes: the instance's process table (in the pool), wait4, exit and
 * execve.  fork itself is in fork.c.
 *
 * A process's entry is made by its parent at fork and freed by whoever
 * reaps it: the parent's wait4, or, once the parent exited (ppid 0), the
 * process whose env created it.  An env dies with its creator, so a
 * process that exits while children it created still run stays as a
 * husk (its program's memory freed) until they are gone.
 */
#include <exo/string.h>

#include "posix.h"

#define L_WNOHANG 1
#define RUSAGE_BYTES 144
#define WAIT_POLL_NS 10000000ull /* a husk's exit is not an env death */

/* The envs this process created that may still be alive (an env stays
 * after its entry was reaped if it is a husk). */
static exo_envid_t kids[POSIX_NPROC];
static unsigned nkids;

void
proc_add_kid(exo_envid_t env)
{
	if (nkids == POSIX_NPROC)
		proc_prune_kids();
	if (nkids < POSIX_NPROC)
		kids[nkids++] = env;
}

void
proc_forget_kids(void)
{
	nkids = 0;
}

static bool
env_alive(exo_envid_t env)
{
	struct exo_envinfo info;

	return env && exo_env_info(env, &info) == 0 &&
	       info.state != EXO_ENV_DEAD;
}

/* Drop the dead from kids[]; true if any is left. */
bool
proc_prune_kids(void)
{
	unsigned left = 0;

	for (unsigned i = 0; i < nkids; i++)
		if (env_alive(kids[i]))
			kids[left++] = kids[i];
	nkids = left;
	return left > 0;
}

/* An entry still running whose env is gone died without a word (the
 * kernel killed it): it ends as if by SIGKILL.  Only the env's creator
 * can ask, and only about its own. */
static void
check_dead(struct posix_procent *p)
{
	if (p->state == POSIX_PROC_RUNNING && p->creator == proc.pid &&
	    !env_alive(p->env)) {
		p->state = POSIX_PROC_ZOMBIE;
		p->status = L_SIGKILL;
	}
}

#define L_WUNTRACED 2
#define L_WCONTINUED 8

/* Does child p match wait4's pid argument: one pid, any child (-1),
 * our group (0) or group -pid? */
static bool
wait_match(const struct posix_procent *p, int64_t pid)
{
	if (p->ppid != proc.pid || p->state == POSIX_PROC_FREE)
		return false;
	if (pid > 0)
		return p->pid == (uint64_t)pid;
	if (pid == 0)
		return p->pgid == proc.pool->procs[proc.slot].pgid;
	return pid == -1 || p->pgid == (uint64_t)-pid;
}

/* A stop or continue of running child p that options ask for and its
 * parent has not seen: its wait status, or 0 (pool locked). */
static int32_t
job_report(struct posix_procent *p, uint64_t options)
{
	if (p->state != POSIX_PROC_RUNNING || !p->jobreport)
		return 0;
	if (p->jobstate == POSIX_JOB_STOPPED && (options & L_WUNTRACED)) {
		p->jobreport = 0;
		return L_WSTOPPED_STATUS(p->stopsig);
	}
	if (p->jobstate == POSIX_JOB_CONTINUED && (options & L_WCONTINUED)) {
		p->jobreport = 0;
		return L_WCONTINUED_STATUS;
	}
	return 0;
}

/* Reap a matching zombie child (or report a stop or continue options
 * ask for): its pid and status, 0 if none is one yet, -ECHILD if there
 * is no matching child at all. */
static long
reap(int64_t pid, uint64_t options, int32_t *status)
{
	long r = -L_ECHILD;

	pool_lock();
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		struct posix_procent *p = &proc.pool->procs[i];

		if (!wait_match(p, pid))
			continue;
		check_dead(p);
		r = 0;
		if ((*status = job_report(p, options))) {
			r = p->pid;
			break;
		}
		if (p->state == POSIX_PROC_ZOMBIE) {
			*status = p->status;
			r = p->pid;
			memset(p, 0, sizeof(*p));
			break;
		}
	}
	pool_unlock();
	return r;
}

/* wait4(pid, wstatus, options, rusage) */
POSIX_SYS(wait4)
{
	static const char no_usage[RUSAGE_BYTES];
	int32_t status = 0;
	long r;

	if (a[2] & ~(uint64_t)0xe000000f) /* WNOHANG.. and __W* flags */
		return -L_EINVAL;
	for (;;) {
		uint32_t seq = posix_wake_seq();

		r = reap((int32_t)a[0], a[2], &status);
		if (r || (a[2] & L_WNOHANG))
			break;
		if (posix_block(seq, UINT64_MAX, EXO_NOTIFY_CHILD) ==
		    -L_ERESTARTSYS)
			return -L_ERESTARTSYS;
	}
	if (r <= 0)
		return r;
	vm_retry_drops();
	if ((a[1] && copy_out(a[1], &status, sizeof(status)) < 0) ||
	    (a[3] && copy_out(a[3], no_usage, sizeof(no_usage)) < 0))
		return -L_EFAULT;
	return r;
}

/* Record our end and orphan our children. */
static void
leave(int32_t status)
{
	pool_lock();
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		struct posix_procent *p = &proc.pool->procs[i];

		if (p->state == POSIX_PROC_FREE)
			continue;
		if (p->pid == proc.pid) {
			p->status = status;
			p->state = POSIX_PROC_ZOMBIE;
			signal_parent(p);
		} else if (p->ppid == proc.pid) {
			p->ppid = 0;
		}
	}
	pool_unlock();
}

/* Free the entries of our orphans that ended; true while any of the
 * envs we created is alive. */
static bool
reap_orphans(void)
{
	pool_lock();
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		struct posix_procent *p = &proc.pool->procs[i];

		if (p->state == POSIX_PROC_FREE || p->creator != proc.pid)
			continue;
		check_dead(p);
		if (p->ppid == 0 && p->state == POSIX_PROC_ZOMBIE)
			memset(p, 0, sizeof(*p));
	}
	pool_unlock();
	return proc_prune_kids();
}

void
posix_exit(int32_t wait_status)
{
	if (proc.pool) {
		fd_close_all();
		leave(wait_status);
		shm_exit();
	}
	if (proc_prune_kids()) {
		/* A husk: nothing of the program is left but its children. */
		vm_reset();
		while (reap_orphans())
			exo_wait(EXO_NOTIFY_CHILD, WAIT_POLL_NS);
	}
	exo_exit(wait_status);
	for (;;)
		;
}

POSIX_SYS(exit)
{
	posix_exit((int32_t)((a[0] & 0xff) << 8));
}

POSIX_SYS(exit_group)
{
	posix_exit((int32_t)((a[0] & 0xff) << 8));
}

/* --- execve ------------------------------------------------------------- */

/* Page-aligned: a forked child starts without its pages (fork.c), and
 * execve maps them first. */
char posix_exec_strings[POSIX_ARG_MAX] __attribute__((aligned(4096)));

/* Append the program's NULL-terminated string vector at uvec to
 * posix_exec_strings[*len..]: how many strings, or an error. */
static long
copy_vector(uint64_t uvec, uint32_t *len)
{
	long n = 0;

	for (;; n++) {
		uint64_t s;
		long k;

		if (!uvec)
			return 0; /* Linux takes NULL as empty */
		if (copy_in(&s, uvec + (uint64_t)n * 8, 8) < 0)
			return -L_EFAULT;
		if (!s)
			return n;
		k = copy_in_str(posix_exec_strings + *len, s,
				POSIX_ARG_MAX - *len);
		if (k < 0)
			return k == -L_ERANGE ? -L_E2BIG : k;
		*len += (uint32_t)k + 1;
	}
}

/* The ramfs file a path names: /proc/self/exe is the running program. */
static const struct posix_rfile *
exec_lookup(const char *path)
{
	char abs[POSIX_PATH_MAX];

	if (!strcmp(path, "/proc/self/exe"))
		return ramfs_find(proc.exe);
	return fs_resolve(L_AT_FDCWD, path, abs) < 0 ? NULL : ramfs_find(abs);
}

/* execve(path, argv, envp): the new program replaces this one in the
 * same env, under the same pid. */
POSIX_SYS(execve)
{
	static const unsigned char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };
	char path[POSIX_PATH_MAX];
	const struct posix_rfile *file;
	struct exec_args args = { posix_exec_strings, 0, 0, 0 };
	long r = copy_in_str(path, a[0], sizeof(path));

	if (r < 0)
		return r == -L_ERANGE ? -L_ENAMETOOLONG : r;
	file = exec_lookup(path);
	if (!file)
		return -L_ENOENT;
	if (!ramfs_data(file))
		return -L_ENOMEM;
	if (file->size < 4 || memcmp(ramfs_data(file), elf_magic, 4))
		return -L_ENOEXEC;
	if (vm_own_pages((uint64_t)(uintptr_t)posix_exec_strings,
			 POSIX_ARG_MAX) < 0)
		return -L_ENOMEM;
	r = copy_vector(a[1], &args.len);
	if (r < 0)
		return r;
	args.argc = (uint32_t)r;
	r = copy_vector(a[2], &args.len);
	if (r < 0)
		return r;
	args.envc = (uint32_t)r;
	/* No way back from here. */
	strlcpy(proc.exe, file->name, sizeof(proc.exe));
	fd_exec();
	signal_exec();
	vm_reset();
	procfs_exec(&args);
	posix_exec(ramfs_data(file), file->size, &args);
}
