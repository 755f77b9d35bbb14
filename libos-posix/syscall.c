/*
 * The Linux system call upcall: dispatch by the arch's numbers
 * (arch/<arch>/sysnr.h), and the calls about the process itself.  A call
 * without a handler fails with -ENOSYS and is logged once per number.
 */
#include <exo/string.h>

#include "posix.h"
#include "sysnr.h"

typedef long sys_fn(struct exo_upcall_frame *f, const uint64_t *a);

#define ENTRY(nr, name) [nr] = sys_##name,
static sys_fn *const table[POSIX_NSYSCALLS] = { POSIX_SYSCALLS(ENTRY) };
#undef ENTRY

static uint8_t logged[POSIX_NSYSCALLS / 8];

static long
nosys(uint64_t nr)
{
	if (nr >= POSIX_NSYSCALLS || !(logged[nr / 8] & (1u << (nr % 8)))) {
		posix_log("posix: pid %u: Linux system call %lu (%s) is not "
			  "supported: -ENOSYS\n",
			  proc.pid, (unsigned long)nr, arch_machine);
		if (nr < POSIX_NSYSCALLS)
			logged[nr / 8] |= (uint8_t)(1u << (nr % 8));
	}
	return -L_ENOSYS;
}

void
posix_syscall(struct exo_upcall_frame *f)
{
	uint64_t nr = arch_sysnr(&f->regs), a[6];
	sys_fn *fn = nr < POSIX_NSYSCALLS ? table[nr] : NULL;

	long r;

	arch_sysargs(&f->regs, a);
	r = fn ? fn(f, a) : nosys(nr);
	arch_set_ret(&f->regs, r);
	signal_syscall_exit(f, r, nr, a[0]);
}

/* --- identity ------------------------------------------------------------ */

POSIX_SYS(getpid)
{
	return proc.pid;
}

/* The parent at fork, until it exits: then init's pid, 1, as after
 * Linux reparents an orphan. */
POSIX_SYS(getppid)
{
	const volatile struct posix_procent *p = &proc.pool->procs[proc.slot];

	if (p->pid != proc.pid || p->ppid)
		return p->pid == proc.pid ? p->ppid : proc.ppid;
	return proc.pid == 1 ? 0 : 1;
}

POSIX_SYS(sched_yield)
{
	exo_yield(0);
	return 0;
}

/* One thread per process so far: its id is the pid. */
POSIX_SYS(gettid)
{
	return proc.pid;
}

/* Every process runs as root until there are users to be. */
POSIX_SYS(getuid)
{
	return 0;
}

POSIX_SYS(geteuid)
{
	return 0;
}

POSIX_SYS(getgid)
{
	return 0;
}

POSIX_SYS(getegid)
{
	return 0;
}

POSIX_SYS(uname)
{
	struct l_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Exo", sizeof(u.sysname));
	strlcpy(u.nodename, "exo", sizeof(u.nodename));
	strlcpy(u.release, POSIX_RELEASE, sizeof(u.release));
	strlcpy(u.version, "libos-posix", sizeof(u.version));
	strlcpy(u.machine, arch_machine, sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_out(a[0], &u, sizeof(u));
}

/* --- threads and their bookkeeping ----------------------------------------- */

/* Kept for the thread's exit (clone and futexes come later). */
POSIX_SYS(set_tid_address)
{
	proc.clear_child_tid = a[0];
	return proc.pid;
}

POSIX_SYS(set_robust_list)
{
	if (a[1] != 24) /* sizeof(struct robust_list_head) */
		return -L_EINVAL;
	proc.robust_list = a[0];
	proc.robust_len = a[1];
	return 0;
}

#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* prctl: the thread's name; any other option is -EINVAL, which is also
 * what Linux says to options it does not know (logged once each). */
POSIX_SYS(prctl)
{
	static uint64_t logged_options;
	char name[sizeof(proc.comm)];
	long r;

	switch (a[0]) {
	case PR_SET_NAME:
		r = copy_in_str(name, a[1], sizeof(name));
		if (r == -L_EFAULT)
			return r;
		/* Linux keeps the first 15 bytes of a longer name. */
		if (r < 0 && copy_in(name, a[1], sizeof(name) - 1) < 0)
			return -L_EFAULT;
		name[sizeof(name) - 1] = '\0';
		memcpy(proc.comm, name, sizeof(name));
		procfs_comm();
		return 0;
	case PR_GET_NAME:
		return copy_out(a[1], proc.comm, sizeof(proc.comm));
	}
	if (a[0] < 64 && !(logged_options & (1ull << a[0]))) {
		logged_options |= 1ull << a[0];
		posix_log("posix: pid %u: prctl option %lu is not supported: "
			  "-EINVAL\n",
			  proc.pid, (unsigned long)a[0]);
	}
	return -L_EINVAL;
}

/* What Linux says when restartable sequences are not configured. */
POSIX_SYS(rseq)
{
	return -L_ENOSYS;
}

/* --- limits, time, randomness -------------------------------------------- */

/* prlimit64(pid, resource, new, old): this process only. */
POSIX_SYS(prlimit64)
{
	struct l_rlimit n;

	if (a[0] && a[0] != proc.pid)
		return -L_ESRCH;
	if (a[1] >= L_RLIM_NLIMITS)
		return -L_EINVAL;
	if (a[2] && copy_in(&n, a[2], sizeof(n)) < 0)
		return -L_EFAULT;
	if (a[2] && (n.cur > n.max || n.max > proc.rlim[a[1]].max))
		return n.cur > n.max ? -L_EINVAL : -L_EPERM;
	if (a[3] && copy_out(a[3], &proc.rlim[a[1]], sizeof(n)) < 0)
		return -L_EFAULT;
	if (a[2])
		proc.rlim[a[1]] = n;
	return 0;
}

/* There is no battery-backed clock yet: the realtime clock starts at the
 * epoch when the machine boots. */
POSIX_SYS(clock_gettime)
{
	uint64_t ns = (uint64_t)exo_clock_ns();
	struct l_timespec ts = { (int64_t)(ns / 1000000000),
				 (int64_t)(ns % 1000000000) };

	if (a[0] > L_CLOCK_BOOTTIME)
		return -L_EINVAL;
	return copy_out(a[1], &ts, sizeof(ts));
}

/* time(tloc): the seconds of the realtime clock (x86_64 only). */
POSIX_SYS(time)
{
	int64_t s = (int64_t)((uint64_t)exo_clock_ns() / 1000000000);

	if (a[0] && copy_out(a[0], &s, sizeof(s)) < 0)
		return -L_EFAULT;
	return s;
}

/* sysinfo: uptime, this process's memory (its env's frame quota and
 * what is left of it) and the instance's process count; no swap, no
 * load average. */
POSIX_SYS(sysinfo)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct l_sysinfo si = {
		.uptime = exo_clock_ns() / 1000000000,
		.totalram = info->frames_quota * PAGE,
		.freeram = (info->frames_quota - info->frames_used) * PAGE,
		.mem_unit = 1,
	};

	for (unsigned i = 0; i < POSIX_NPROC; i++)
		si.procs += proc.pool->procs[i].state != POSIX_PROC_FREE;
	return copy_out(a[0], &si, sizeof(si));
}

/* Sleep until the clock reads deadline (ns since boot): 0, or
 * -EINTR if a signal's handler is to run. */
static long
sleep_until(uint64_t deadline)
{
	for (;;) {
		long r = posix_block(posix_wake_seq(), deadline, 0);

		if (r == -L_ETIMEDOUT)
			return 0;
		if (r == -L_ERESTARTSYS)
			return -L_EINTR;
	}
}

/* Sleep for the program's timespec at ureq, or until it, as a time of
 * the clock, if absolute; interrupted, a relative sleep writes the time
 * left at urem (if not NULL). */
long
copy_in_timespec(uint64_t uts, uint64_t *ns)
{
	struct l_timespec ts;

	if (copy_in(&ts, uts, sizeof(ts)) < 0)
		return -L_EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -L_EINVAL;
	*ns = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	return 0;
}

static long
do_sleep(uint64_t ureq, uint64_t urem, bool absolute)
{
	struct l_timespec ts;
	uint64_t ns, deadline, now;
	long r = copy_in_timespec(ureq, &ns);

	if (r < 0)
		return r;
	deadline = absolute ? ns : (uint64_t)exo_clock_ns() + ns;
	r = sleep_until(deadline);
	if (r == 0 || absolute || !urem)
		return r;
	now = (uint64_t)exo_clock_ns();
	ns = now < deadline ? deadline - now : 0;
	ts.tv_sec = (int64_t)(ns / 1000000000);
	ts.tv_nsec = (int64_t)(ns % 1000000000);
	return copy_out(urem, &ts, sizeof(ts)) < 0 ? -L_EFAULT : r;
}

POSIX_SYS(nanosleep)
{
	return do_sleep(a[0], a[1], false);
}

/* clock_nanosleep(clock, flags, req, rem): TIMER_ABSTIME is flag 1. */
POSIX_SYS(clock_nanosleep)
{
	if (a[0] > L_CLOCK_BOOTTIME)
		return -L_EINVAL;
	return do_sleep(a[2], a[3], a[1] & 1);
}

/*
 * Random bytes from the CPU's generator (RDRAND, RNDR) when it has one;
 * otherwise a SplitMix64 stream seeded from the clock, which is not fit
 * for keys (README.md says so).  false if the fallback was used.
 */
bool
posix_random(void *buf, uint64_t len)
{
	static uint64_t state;
	unsigned char *p = buf;
	bool hw = true;

	while (len) {
		uint64_t v, n = len < 8 ? len : 8;

		if (!arch_random(&v)) {
			hw = false;
			state += 0x9e3779b97f4a7c15ull ^
				 (uint64_t)exo_clock_ns();
			v = state;
			v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ull;
			v = (v ^ (v >> 27)) * 0x94d049bb133111ebull;
			v ^= v >> 31;
		}
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	return hw;
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4
#define GETRANDOM_MAX 256

POSIX_SYS(getrandom)
{
	unsigned char buf[GETRANDOM_MAX];
	uint64_t n = a[1] < GETRANDOM_MAX ? a[1] : GETRANDOM_MAX;

	if (a[2] & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -L_EINVAL;
	posix_random(buf, n);
	if (copy_out(a[0], buf, n) < 0)
		return -L_EFAULT;
	return (long)n;
}
