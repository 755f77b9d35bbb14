/*
 * The descriptor table and the open file descriptions it names.  The
 * table is in the libOS's own memory, so a forked child inherits a copy;
 * the descriptions are in the instance's pool, so the copy shares them
 * (offsets, status flags) as POSIX says, and fork counts one more
 * reference to each.  A description's last reference gives up its pipe
 * end.  execve keeps the table but for the close-on-exec entries.
 * close, dup, dup2, dup3 and fcntl.
 */
#include <exo/string.h>

#include "posix.h"

/* How many descriptors the process may have: RLIMIT_NOFILE, at most the
 * table's size. */
static uint64_t
fd_limit(void)
{
	uint64_t n = proc.rlim[L_RLIMIT_NOFILE].cur;

	return n < POSIX_NFD ? n : POSIX_NFD;
}

struct posix_ofd *
fd_get(uint64_t fd)
{
	if (fd >= POSIX_NFD || !proc.fds[fd].open)
		return NULL;
	return &proc.pool->ofds[proc.fds[fd].ofd % POSIX_NOFD];
}

/* Add delta to description i's references; the last one gone gives up
 * its pipe end. */
static void
ofd_ref(uint32_t i, int delta)
{
	struct posix_ofd *d = &proc.pool->ofds[i % POSIX_NOFD];
	uint8_t kind;
	uint32_t obj;
	bool last;

	/* Once free, the description may be another's at once. */
	pool_lock();
	d->refs += (uint32_t)delta;
	last = !d->refs;
	kind = d->kind;
	obj = d->obj;
	pool_unlock();
	if (last && (kind == FD_PIPE_R || kind == FD_PIPE_W))
		pipe_ref(obj, kind == FD_PIPE_W, -1);
}

/* A free description set to d with one reference: its index, or
 * -ENFILE. */
static long
ofd_new(const struct posix_ofd *d)
{
	long r = -L_ENFILE;

	pool_lock();
	for (uint32_t i = 0; i < POSIX_NOFD; i++) {
		struct posix_ofd *o = &proc.pool->ofds[i];

		if (o->refs)
			continue;
		*o = *d;
		o->refs = 1;
		r = i;
		break;
	}
	pool_unlock();
	return r;
}

/* The lowest free descriptor >= min: it, -EMFILE, or -EINVAL. */
static long
fd_free_slot(uint64_t min)
{
	uint64_t lim = fd_limit();

	if (min >= lim)
		return -L_EINVAL;
	for (uint64_t i = min; i < lim; i++)
		if (!proc.fds[i].open)
			return (long)i;
	return -L_EMFILE;
}

long
fd_install(const struct posix_ofd *d, uint64_t min, bool cloexec)
{
	long fd = fd_free_slot(min), o;

	if (fd < 0)
		return fd;
	o = ofd_new(d);
	if (o < 0)
		return o;
	proc.fds[fd] = (struct fd_slot){ (uint16_t)o, true, cloexec };
	return fd;
}

long
fd_close(uint64_t fd)
{
	if (!fd_get(fd))
		return -L_EBADF;
	proc.fds[fd].open = false;
	ofd_ref(proc.fds[fd].ofd, -1);
	return 0;
}

void
fd_fork(bool hold)
{
	for (unsigned i = 0; i < POSIX_NFD; i++)
		if (proc.fds[i].open)
			ofd_ref(proc.fds[i].ofd, hold ? 1 : -1);
}

void
fd_exec(void)
{
	for (unsigned i = 0; i < POSIX_NFD; i++)
		if (proc.fds[i].open && proc.fds[i].cloexec)
			fd_close(i);
}

void
fd_close_all(void)
{
	for (unsigned i = 0; i < POSIX_NFD; i++)
		if (proc.fds[i].open)
			fd_close(i);
}

POSIX_SYS(close)
{
	return fd_close(a[0]);
}

/* A new descriptor >= min for old's description: it, or an error. */
static long
dup_from(uint64_t old, uint64_t min, bool cloexec)
{
	long r;

	if (!fd_get(old))
		return -L_EBADF;
	r = fd_free_slot(min);
	if (r < 0)
		return r;
	ofd_ref(proc.fds[old].ofd, 1);
	proc.fds[r] = (struct fd_slot){ proc.fds[old].ofd, true, cloexec };
	return r;
}

POSIX_SYS(dup)
{
	return dup_from(a[0], 0, false);
}

/* dup3(old, new, flags): new names old's description, closed first if
 * open. */
static long
dup_to(uint64_t old, uint64_t new, uint64_t flags)
{
	if (!fd_get(old) || new >= fd_limit())
		return -L_EBADF;
	if (old == new)
		return (long)new;
	ofd_ref(proc.fds[old].ofd, 1);
	if (proc.fds[new].open)
		fd_close(new);
	proc.fds[new] = (struct fd_slot){ proc.fds[old].ofd, true,
					  flags & L_O_CLOEXEC };
	return (long)new;
}

POSIX_SYS(dup2)
{
	return dup_to(a[0], a[1], 0);
}

POSIX_SYS(dup3)
{
	if (a[2] & ~(uint64_t)L_O_CLOEXEC || a[0] == a[1])
		return -L_EINVAL;
	return dup_to(a[0], a[1], a[2]);
}

/* The status flags F_SETFL may change. */
#define SETFL_MASK (L_O_APPEND | L_O_NONBLOCK)

POSIX_SYS(fcntl)
{
	struct posix_ofd *d = fd_get(a[0]);

	if (!d)
		return -L_EBADF;
	switch (a[1]) {
	case L_F_DUPFD:
	case L_F_DUPFD_CLOEXEC:
		return dup_from(a[0], a[2], a[1] == L_F_DUPFD_CLOEXEC);
	case L_F_GETFD:
		return proc.fds[a[0]].cloexec ? L_FD_CLOEXEC : 0;
	case L_F_SETFD:
		proc.fds[a[0]].cloexec = a[2] & L_FD_CLOEXEC;
		return 0;
	case L_F_GETFL:
		return d->flags;
	case L_F_SETFL:
		d->flags = (d->flags & ~(uint32_t)SETFL_MASK) |
			   ((uint32_t)a[2] & SETFL_MASK);
		return 0;
	default:
		return -L_EINVAL;
	}
}
