/*
 * Reading and writing descriptors by what they refer to: the console
 * (or, for a process launched with POSIX_LAUNCH_CAPTURE, output pages
 * its launcher reads; fd 0 then reads nothing), pipes, ramfs files,
 * /dev/null and /dev/zero, /proc's files.  Also ioctl, fstat and
 * readlink.  The console's terminal is tty.c's.
 */
#include <exo/string.h>

#include "posix.h"

#define IO_CHUNK 512
#define IOV_MAX 1024
#define CONSOLE_RDEV (5 << 8 | 1) /* /dev/console, char 5:1 */
#define NULL_RDEV (1 << 8 | 3)	  /* /dev/null, char 1:3 */
#define ZERO_RDEV (1 << 8 | 5)	  /* /dev/zero, char 1:5 */

static bool
capturing(void)
{
	return proc.pool->flags & POSIX_LAUNCH_CAPTURE;
}

/* Write buf[0..n) (libOS memory) to the console's output: bytes
 * written. */
static long
out_bytes(const char *buf, uint64_t n)
{
	if (capturing())
		return posix_capture(buf, n);
	return tty_write(buf, n);
}

/* Write the program's bytes [ubuf, ubuf + n) to the console. */
static long
console_write(uint64_t ubuf, uint64_t n)
{
	char chunk[IO_CHUNK];
	long done = 0;

	while (n) {
		uint64_t k = n < IO_CHUNK ? n : IO_CHUNK;
		long r;

		if (copy_in(chunk, ubuf, k) < 0)
			return done ? done : -L_EFAULT;
		r = out_bytes(chunk, k);
		if (r <= 0)
			return done ? done : r;
		done += r;
		ubuf += (uint64_t)r;
		n -= (uint64_t)r;
		if ((uint64_t)r < k)
			break;
	}
	return done;
}

/* Read the console through its line discipline (nothing when
 * capturing). */
static long
console_read(uint64_t ubuf, uint64_t n, bool nonblock)
{
	if (capturing())
		return 0;
	return tty_read(ubuf, n, nonblock);
}

/* Fill the program's [ubuf, ubuf + n) with zeros. */
static long
zero_read(uint64_t ubuf, uint64_t n)
{
	if (!vm_user_ok(ubuf, n, L_PROT_WRITE))
		return -L_EFAULT;
	memset((void *)(uintptr_t)ubuf, 0, n);
	return (long)n;
}

static bool
readable(const struct posix_ofd *d)
{
	return (d->flags & L_O_ACCMODE) != L_O_WRONLY;
}

static bool
writable(const struct posix_ofd *d)
{
	return (d->flags & L_O_ACCMODE) != L_O_RDONLY;
}

static long
do_write(uint64_t fd, uint64_t ubuf, uint64_t n)
{
	struct posix_ofd *d = fd_get(fd);

	if (!d || !writable(d))
		return -L_EBADF;
	switch (d->kind) {
	case FD_CONSOLE:
		return console_write(ubuf, n);
	case FD_PIPE_W:
		return pipe_write(d->obj, ubuf, n, d->flags & L_O_NONBLOCK);
	case FD_NULL:
	case FD_ZERO:
		return (long)n;
	case FD_FILE:
		return file_write(d, ubuf, n);
	default:
		return -L_EBADF;
	}
}

static long
do_read(uint64_t fd, uint64_t ubuf, uint64_t n)
{
	struct posix_ofd *d = fd_get(fd);

	if (!d || !readable(d))
		return -L_EBADF;
	switch (d->kind) {
	case FD_CONSOLE:
		return console_read(ubuf, n, d->flags & L_O_NONBLOCK);
	case FD_PIPE_R:
		return pipe_read(d->obj, ubuf, n, d->flags & L_O_NONBLOCK);
	case FD_NULL:
		return 0;
	case FD_ZERO:
		return zero_read(ubuf, n);
	case FD_FILE:
	case FD_DIR:
	case FD_PROC:
		return file_read(d, ubuf, n);
	default:
		return -L_EBADF;
	}
}

POSIX_SYS(write)
{
	return do_write(a[0], a[1], a[2]);
}

POSIX_SYS(read)
{
	return do_read(a[0], a[1], a[2]);
}

/* readv / writev: one iovec at a time, stopping at a short transfer. */
static long
do_iov(uint64_t fd, uint64_t uiov, uint64_t cnt, bool write)
{
	long done = 0;

	if (cnt > IOV_MAX)
		return -L_EINVAL;
	if (!fd_get(fd))
		return -L_EBADF;
	for (uint64_t i = 0; i < cnt; i++) {
		struct l_iovec v;
		long r;

		if (copy_in(&v, uiov + i * sizeof(v), sizeof(v)) < 0)
			return done ? done : -L_EFAULT;
		r = write ? do_write(fd, v.base, v.len)
			  : do_read(fd, v.base, v.len);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((uint64_t)r < v.len)
			break;
	}
	return done;
}

POSIX_SYS(writev)
{
	return do_iov(a[0], a[1], a[2], true);
}

POSIX_SYS(readv)
{
	return do_iov(a[0], a[1], a[2], false);
}

/* Files and directories seek; /dev/null and /dev/zero stay at 0; the
 * console and pipes cannot seek. */
POSIX_SYS(lseek)
{
	struct posix_ofd *d = fd_get(a[0]);

	if (!d)
		return -L_EBADF;
	if (d->kind == FD_FILE || d->kind == FD_DIR || d->kind == FD_PROC ||
	    d->kind == FD_PROCDIR)
		return file_lseek(d, (int64_t)a[1], a[2]);
	if (d->kind == FD_NULL || d->kind == FD_ZERO)
		return 0;
	return -L_ESPIPE;
}

/* sendfile cannot be done between these descriptors: -EINVAL, which
 * programs answer by copying with read and write. */
POSIX_SYS(sendfile)
{
	if (!fd_get(a[0]) || !fd_get(a[1]))
		return -L_EBADF;
	return -L_EINVAL;
}

/* The console answers the terminal's requests; nothing else is a
 * terminal (nor is the console when capturing). */
POSIX_SYS(ioctl)
{
	const struct posix_ofd *d = fd_get(a[0]);

	if (!d)
		return -L_EBADF;
	if (d->kind != FD_CONSOLE || capturing())
		return -L_ENOTTY;
	return tty_ioctl(a[1], a[2]);
}

/* What fstat says about fd: a file (unlinked ones too), a directory,
 * the console (a pipe when capturing), a pipe, a device, /proc's. */
static long
stat_fd(uint64_t fd, uint64_t ubuf)
{
	const struct posix_ofd *d = fd_get(fd);
	struct kstat st = {
		.dev = 5,
		.nlink = 1,
		.blksize = 1024,
	};

	char path[POSIX_PATH_MAX];
	long r;

	if (!d)
		return -L_EBADF;
	st.ino = 1 + d->obj;
	switch (d->kind) {
	case FD_FILE:
		ramfs_stat(&proc.pool->files[d->obj % POSIX_NFILES], &st);
		break;
	case FD_DIR:
		if (!file_dir_path(d, path)) {
			ramfs_stat(&proc.pool->files[d->obj % POSIX_NFILES],
				   &st);
			break;
		}
		r = fs_stat(path, &st);
		if (r < 0)
			return r;
		break;
	case FD_PROC:
	case FD_PROCDIR:
		procfs_fstat(d, &st);
		break;
	case FD_CONSOLE:
		st.mode = capturing() ? L_S_IFIFO | 0600 : L_S_IFCHR | 0620;
		st.rdev = capturing() ? 0 : CONSOLE_RDEV;
		break;
	case FD_PIPE_R:
	case FD_PIPE_W:
		st.dev = 0xc;
		st.ino = 100 + d->obj;
		st.mode = L_S_IFIFO | 0600;
		st.blksize = PAGE;
		break;
	default:
		st.mode = L_S_IFCHR | 0666;
		st.rdev = d->kind == FD_NULL ? NULL_RDEV : ZERO_RDEV;
		break;
	}
	return arch_stat_out(ubuf, &st);
}

POSIX_SYS(fstat)
{
	return stat_fd(a[0], a[1]);
}

#define AT_SYMLINK_NOFOLLOW 0x100

/* newfstatat(dirfd, path, buf, flags): an fd with AT_EMPTY_PATH, or a
 * path (/proc's links as links with AT_SYMLINK_NOFOLLOW, unless the
 * path ends in a slash). */
static long
do_stat(int64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t flags)
{
	char path[POSIX_PATH_MAX], abs[POSIX_PATH_MAX];
	struct kstat st;
	long r = copy_in_str(path, upath, sizeof(path));

	if (r < 0)
		return r == -L_ERANGE ? -L_ENAMETOOLONG : r;
	if (r == 0 && (flags & L_AT_EMPTY_PATH))
		return stat_fd((uint64_t)dirfd, ubuf);
	r = flags & AT_SYMLINK_NOFOLLOW ? fs_resolve_link(dirfd, path, abs)
					: fs_resolve(dirfd, path, abs);
	if (!r && procfs_path(abs))
		r = procfs_stat(abs,
				!(flags & AT_SYMLINK_NOFOLLOW) ||
					path[strlen(path) - 1] == '/',
				&st);
	else if (!r)
		r = fs_stat(abs, &st);
	return r < 0 ? r : arch_stat_out(ubuf, &st);
}

POSIX_SYS(newfstatat)
{
	return do_stat((int32_t)a[0], a[1], a[2], a[3]);
}

/* stat and lstat (x86_64 only). */
POSIX_SYS(stat)
{
	return do_stat(L_AT_FDCWD, a[0], a[1], 0);
}

POSIX_SYS(lstat)
{
	return do_stat(L_AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
}

/* readlink of path (relative to dirfd) into the program's
 * buf[0..size): /proc's links; anything else that exists is not a
 * link (-EINVAL). */
static long
do_readlink(int64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t size)
{
	char abs[POSIX_PATH_MAX], target[POSIX_PATH_MAX];
	struct kstat st;
	long r = fs_path_in_link(dirfd, upath, abs);

	if (r < 0)
		return r;
	if (procfs_path(abs))
		r = procfs_readlink(abs, target);
	else if (!(r = fs_stat(abs, &st)))
		r = ramfs_readlink(abs, target);
	if (r < 0)
		return r;
	if ((int64_t)size <= 0)
		return -L_EINVAL;
	if ((uint64_t)r > size)
		r = (long)size;
	return copy_out(ubuf, target, (uint64_t)r) < 0 ? -L_EFAULT : r;
}

POSIX_SYS(readlink)
{
	return do_readlink(L_AT_FDCWD, a[0], a[1], a[2]);
}

POSIX_SYS(readlinkat)
{
	return do_readlink((int32_t)a[0], a[1], a[2], a[3]);
}
