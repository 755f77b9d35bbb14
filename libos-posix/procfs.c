/*
 * /proc: the processes of the instance, from the pool's process table.
 * /proc/self is a link to the caller's /proc/<pid>; each /proc/<pid>
 * has stat, statm, status, cmdline and the link exe; /proc/meminfo and
 * /proc/uptime speak of the caller's env, /proc/mounts of the ramfs and
 * /proc.  A file's text is made at the
 * read from offset 0 and kept (one file per process) for the reads that
 * follow, so a program reading it byte by byte sees one snapshot.
 * Numbers nobody keeps (CPU times, faults, the virtual size) are 0, as
 * Linux shows for what it does not count.
 */
#include <exo/fmt.h>
#include <exo/string.h>

#include "posix.h"
#include "sysnr.h"

#define PROC_DEV 0x4
#define CLK_TCK 100 /* AT_CLKTCK: stat's times are in these ticks */
#define TEXT_MAX 2048

enum proc_node {
	P_ROOT,	   /* /proc */
	P_SELF,	   /* /proc/self: a link */
	P_MEMINFO, /* /proc/meminfo */
	P_UPTIME,  /* /proc/uptime */
	P_MOUNTS,  /* /proc/mounts */
	P_PIDDIR,  /* /proc/<pid> */
	P_EXE,	   /* /proc/<pid>/exe: a link */
	P_STAT,	   /* the files of /proc/<pid> from here on */
	P_STATM,
	P_STATUS,
	P_CMDLINE,
};

static const char *const top_names[] = {
	[P_SELF] = "self",
	[P_MEMINFO] = "meminfo",
	[P_UPTIME] = "uptime",
	[P_MOUNTS] = "mounts",
};
static const char *const pid_names[] = { [P_EXE] = "exe",
					 [P_STAT] = "stat",
					 [P_STATM] = "statm",
					 [P_STATUS] = "status",
					 [P_CMDLINE] = "cmdline" };
#define NTOP (sizeof(top_names) / sizeof(top_names[0]))
#define NPID (sizeof(pid_names) / sizeof(pid_names[0]))

/* The last text made: for which description, pid and node. */
static struct {
	uint32_t ofd, pid, node;
	bool valid;
	uint32_t len;
	char buf[TEXT_MAX];
} text;

bool
procfs_path(const char *abs)
{
	return !strncmp(abs, "/proc", 5) && (!abs[5] || abs[5] == '/');
}

/* The live entry of pid in the process table, or NULL. */
static const struct posix_procent *
entry_of(uint32_t pid)
{
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		const struct posix_procent *p = &proc.pool->procs[i];

		if (p->pid == pid && p->state != POSIX_PROC_FREE)
			return p;
	}
	return NULL;
}

/* A decimal pid of n bytes at s, or 0. */
static uint32_t
parse_pid(const char *s, uint64_t n)
{
	uint32_t v = 0;

	if (!n || n > 9)
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	return v;
}

/* Which node of a live process the /proc path abs is ("self" is the
 * caller's pid): 0 and *node, *pid, or -ENOENT. */
static long
lookup(const char *abs, enum proc_node *node, uint32_t *pid)
{
	const char *c = abs + 5, *end;
	uint64_t n;

	*pid = 0;
	*node = P_ROOT;
	if (!*c)
		return 0;
	c++;
	end = c;
	while (*end && *end != '/')
		end++;
	n = (uint64_t)(end - c);
	for (unsigned i = P_SELF; i < NTOP && !*end; i++)
		if (strlen(top_names[i]) == n && !strncmp(c, top_names[i], n)) {
			*node = (enum proc_node)i;
			*pid = i == P_SELF ? proc.pid : 0;
			return 0;
		}
	*pid = n == 4 && !strncmp(c, "self", 4) ? proc.pid : parse_pid(c, n);
	if (!*pid || !entry_of(*pid))
		return -L_ENOENT;
	*node = P_PIDDIR;
	if (!*end)
		return 0;
	for (unsigned i = P_EXE; i < NPID; i++)
		if (!strcmp(end + 1, pid_names[i])) {
			*node = (enum proc_node)i;
			return 0;
		}
	return -L_ENOENT;
}

static bool
is_dir(enum proc_node node)
{
	return node == P_ROOT || node == P_PIDDIR;
}

long
procfs_readlink(const char *abs, char *out)
{
	enum proc_node node;
	uint32_t pid;
	long r = lookup(abs, &node, &pid);

	if (r < 0)
		return r;
	if (node == P_SELF)
		return exo_snprintf(out, POSIX_PATH_MAX, "%u", pid);
	if (node != P_EXE)
		return -L_EINVAL;
	if (pid != proc.pid)
		return -L_EACCES; /* only a process's own program is known */
	strlcpy(out, proc.exe, POSIX_PATH_MAX);
	return (long)strlen(out);
}

long
procfs_open(const char *abs, uint64_t flags, struct posix_ofd *d)
{
	enum proc_node node;
	uint32_t pid;
	long r = lookup(abs, &node, &pid);

	if (r < 0)
		return (flags & L_O_CREAT) && r == -L_ENOENT ? -L_EACCES : r;
	if (node == P_SELF)
		node = P_PIDDIR;
	if (is_dir(node)) {
		if ((flags & L_O_ACCMODE) != L_O_RDONLY)
			return -L_EISDIR;
		d->kind = FD_PROCDIR;
		d->obj = pid;
		return 0;
	}
	if (flags & POSIX_O_DIRECTORY)
		return -L_ENOTDIR;
	if ((flags & L_O_ACCMODE) != L_O_RDONLY || (flags & L_O_TRUNC) ||
	    node == P_EXE)
		return -L_EACCES; /* the caller's own exe opened its file */
	d->kind = FD_PROC;
	d->obj = pid;
	d->dirlen = node;
	return 0;
}

/* stat of node of pid, a link not followed. */
static void
node_stat(enum proc_node node, uint32_t pid, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = PROC_DEV;
	st->ino = (uint64_t)pid << 8 | (uint64_t)node;
	st->nlink = 1;
	st->blksize = 1024;
	if (is_dir(node)) {
		st->mode = L_S_IFDIR | 0555;
		st->nlink = 2;
	} else if (node == P_SELF || node == P_EXE) {
		st->mode = L_S_IFLNK | 0777;
	} else {
		st->mode = L_S_IFREG | 0444;
	}
}

long
procfs_stat(const char *abs, bool follow, struct kstat *st)
{
	enum proc_node node;
	uint32_t pid;
	long r = lookup(abs, &node, &pid);

	if (r < 0)
		return r;
	if (follow && node == P_SELF)
		node = P_PIDDIR;
	if (follow && node == P_EXE) {
		if (pid != proc.pid)
			return -L_EACCES;
		return fs_stat(proc.exe, st);
	}
	node_stat(node, pid, st);
	return 0;
}

void
procfs_fstat(const struct posix_ofd *d, struct kstat *st)
{
	if (d->kind == FD_PROCDIR)
		node_stat(d->obj ? P_PIDDIR : P_ROOT, d->obj, st);
	else
		node_stat((enum proc_node)d->dirlen, d->obj, st);
}

void
procfs_dir_path(const struct posix_ofd *d, char *out)
{
	if (d->obj)
		exo_snprintf(out, POSIX_PATH_MAX, "/proc/%u", d->obj);
	else
		strlcpy(out, "/proc", POSIX_PATH_MAX);
}

/* --- the files' text ------------------------------------------------------ */

/* What is known of pid's env: its frames in use (the kernel's counter)
 * and its state, for the caller's own env and the envs it controls.
 * false if the kernel will not say. */
static bool
env_of(const struct posix_procent *p, uint64_t *frames, uint32_t *state)
{
	struct exo_envinfo info;

	if (p->pid == proc.pid) {
		*frames = exo_info()->frames_used;
		*state = EXO_ENV_RUNNABLE;
		return true;
	}
	if (exo_env_info(p->env, &info) < 0)
		return false;
	*frames = info.frames_used;
	*state = info.state;
	return true;
}

/* Linux's state letter: Z for a zombie, S for an env blocked in the
 * kernel, R otherwise (running or runnable, or not known). */
static char
state_of(const struct posix_procent *p, uint64_t *frames)
{
	uint32_t state = EXO_ENV_RUNNABLE;

	*frames = 0;
	if (p->state == POSIX_PROC_ZOMBIE)
		return 'Z';
	env_of(p, frames, &state);
	return state == EXO_ENV_BLOCKED ? 'S' : 'R';
}

/* The name stat and status show: the caller's own, or the table's. */
static const char *
comm_of(const struct posix_procent *p)
{
	return p->pid == proc.pid ? proc.comm : p->comm;
}

/* /proc/<pid>/stat: Linux's 52 fields, 0 for what is not counted. */
static int
make_stat(const struct posix_procent *p, char *buf)
{
	uint64_t frames;
	char state = state_of(p, &frames);

	return exo_snprintf(
		buf, TEXT_MAX,
		"%u (%s) %c %u %u %u 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 %lu 0 "
		"%lu 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 "
		"0 0 0 0 0 0 0 0 0 0\n",
		p->pid, comm_of(p), state, p->ppid, p->pgid, p->sid,
		(unsigned long)(p->start_ns / (1000000000 / CLK_TCK)),
		(unsigned long)frames);
}

/* /proc/<pid>/statm: only resident (the env's frames) is known. */
static int
make_statm(const struct posix_procent *p, char *buf)
{
	uint64_t frames;

	state_of(p, &frames);
	return exo_snprintf(buf, TEXT_MAX, "0 %lu 0 0 0 0 0\n",
			    (unsigned long)frames);
}

static int
make_status(const struct posix_procent *p, char *buf)
{
	uint64_t frames;
	char state = state_of(p, &frames);
	const char *what = state == 'Z'	  ? "zombie"
			   : state == 'S' ? "sleeping"
					  : "running";

	return exo_snprintf(buf, TEXT_MAX,
			    "Name:\t%s\nState:\t%c (%s)\nTgid:\t%u\nPid:\t%u\n"
			    "PPid:\t%u\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
			    "VmRSS:\t%lu kB\nThreads:\t1\n",
			    comm_of(p), state, what, p->pid, p->pid, p->ppid,
			    (unsigned long)(frames * 4));
}

/* /proc/meminfo: the caller's env, whose quota is all it may have. */
static int
make_meminfo(char *buf)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t total = info->frames_quota * (PAGE / 1024);
	uint64_t free = total - info->frames_used * (PAGE / 1024);

	return exo_snprintf(buf, TEXT_MAX,
			    "MemTotal:       %8lu kB\nMemFree:        %8lu kB\n"
			    "MemAvailable:   %8lu kB\n",
			    (unsigned long)total, (unsigned long)free,
			    (unsigned long)free);
}

/* Make node's text for pid into text.buf: 0 or -ESRCH (it is gone). */
static long
make_text(enum proc_node node, uint32_t pid)
{
	const struct posix_procent *p = entry_of(pid);
	uint64_t ns = (uint64_t)exo_clock_ns();
	int n = 0;

	if (node >= P_STAT && !p)
		return -L_ESRCH;
	if (node == P_STAT)
		n = make_stat(p, text.buf);
	else if (node == P_STATM)
		n = make_statm(p, text.buf);
	else if (node == P_STATUS)
		n = make_status(p, text.buf);
	else if (node == P_MEMINFO)
		n = make_meminfo(text.buf);
	else if (node == P_UPTIME) /* idle time is not counted */
		n = exo_snprintf(text.buf, TEXT_MAX, "%lu.%02lu 0.00\n",
				 (unsigned long)(ns / 1000000000),
				 (unsigned long)(ns / 10000000 % 100));
	else if (node == P_MOUNTS) /* what statfs says of each */
		n = exo_snprintf(text.buf, TEXT_MAX,
				 "ramfs / ramfs rw 0 0\n"
				 "proc /proc proc rw 0 0\n");
	else if (node == P_CMDLINE) {
		n = (int)(p->cmdline_len < POSIX_CMDLINE_MAX
				  ? p->cmdline_len
				  : POSIX_CMDLINE_MAX);
		memcpy(text.buf, p->cmdline, (uint64_t)n);
	}
	text.len = n < TEXT_MAX ? (uint32_t)n : TEXT_MAX - 1;
	return 0;
}

long
procfs_read(struct posix_ofd *d, uint64_t ubuf, uint64_t n)
{
	uint32_t ofd = (uint32_t)(d - proc.pool->ofds);

	if (!d->off || !text.valid || text.ofd != ofd || text.pid != d->obj ||
	    text.node != d->dirlen) {
		long r = make_text((enum proc_node)d->dirlen, d->obj);

		if (r < 0)
			return r;
		text.ofd = ofd;
		text.pid = d->obj;
		text.node = d->dirlen;
		text.valid = true;
	}
	if (d->off >= text.len)
		return 0;
	if (n > text.len - d->off)
		n = text.len - d->off;
	if (copy_out(ubuf, text.buf + d->off, n) < 0)
		return -L_EFAULT;
	d->off += n;
	return (long)n;
}

/* --- directories ---------------------------------------------------------- */

/* The name and type of entry i of the directory of pid (0: /proc):
 * false past the end; an empty name for a slot with no process. */
static bool
dir_entry(uint32_t pid, uint64_t i, char *name, uint8_t *type)
{
	uint64_t first = pid ? P_EXE : P_SELF, fixed = 2 + (pid ? NPID : NTOP);
	uint64_t node = first + i - 2;

	name[0] = '\0';
	*type = L_DT_DIR;
	if (i < 2) {
		strlcpy(name, i ? ".." : ".", POSIX_NAME_MAX);
		return true;
	}
	fixed -= first;
	if (i < fixed) {
		strlcpy(name, pid ? pid_names[node] : top_names[node],
			POSIX_NAME_MAX);
		*type = node == P_SELF || node == P_EXE ? L_DT_LNK : L_DT_REG;
		return true;
	}
	if (pid || i >= fixed + POSIX_NPROC)
		return false;
	if (proc.pool->procs[i - fixed].state != POSIX_PROC_FREE)
		exo_snprintf(name, POSIX_NAME_MAX, "%u",
			     proc.pool->procs[i - fixed].pid);
	return true;
}

long
procfs_getdents(struct posix_ofd *d, uint64_t ubuf, uint64_t size)
{
	static char buf[4096];
	char name[POSIX_NAME_MAX];
	uint64_t at = 0;
	uint8_t type;

	if (size > sizeof(buf))
		size = sizeof(buf);
	if (d->obj && !entry_of(d->obj))
		return 0; /* the process is gone */
	for (; dir_entry(d->obj, d->off, name, &type); d->off++) {
		if (!name[0])
			continue;
		if (!put_dirent(buf, size, &at,
				(uint64_t)d->obj << 8 | (d->off + 1),
				d->off + 1, name, type))
			break;
	}
	if (!at && dir_entry(d->obj, d->off, name, &type))
		return -L_EINVAL; /* the buffer cannot hold one entry */
	return copy_out(ubuf, buf, at) < 0 ? -L_EFAULT : (long)at;
}

/* --- what the process table keeps for /proc ------------------------------- */

void
procfs_exec(const struct exec_args *args)
{
	struct posix_procent *p = &proc.pool->procs[proc.slot];
	const char *base = proc.exe;
	uint32_t len = 0;

	for (const char *s = proc.exe; *s; s++)
		if (*s == '/')
			base = s + 1;
	for (uint32_t i = 0; i < args->argc && len < args->len; i++)
		len += (uint32_t)strlen(args->strings + len) + 1;
	if (len > POSIX_CMDLINE_MAX)
		len = POSIX_CMDLINE_MAX;
	pool_lock();
	strlcpy(p->comm, base, sizeof(p->comm));
	memcpy(p->cmdline, args->strings, len);
	p->cmdline_len = len;
	pool_unlock();
}

void
procfs_first(const struct exec_args *args)
{
	proc.umask = 022;
	proc.pool->procs[proc.slot].start_ns = (uint64_t)exo_clock_ns();
	procfs_exec(args);
}

void
procfs_fork(struct posix_procent *child, const struct posix_procent *parent)
{
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	memcpy(child->cmdline, parent->cmdline, sizeof(child->cmdline));
	child->cmdline_len = parent->cmdline_len;
	child->start_ns = (uint64_t)exo_clock_ns();
}

void
procfs_comm(void)
{
	pool_lock();
	memcpy(proc.pool->procs[proc.slot].comm, proc.comm, sizeof(proc.comm));
	pool_unlock();
}
