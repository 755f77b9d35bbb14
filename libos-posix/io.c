/*
 * File descriptors 0, 1 and 2: the console, or, for a process launched
 * with POSIX_LAUNCH_CAPTURE, output pages its launcher reads (fd 0 then
 * reads nothing).  There is no file system yet: paths name nothing but
 * /proc/self/exe.
 */
#include <exo/string.h>

#include "posix.h"

#define L_ESPIPE 29
#define IO_CHUNK 512
#define IOV_MAX 1024
#define CONSOLE_RDEV (5 << 8 | 1) /* /dev/console, char 5:1 */

static bool
capturing(void)
{
	return proc.pool->flags & POSIX_LAUNCH_CAPTURE;
}

static bool
fd_ok(uint64_t fd)
{
	return fd < POSIX_NFD && proc.fd_open[fd];
}

/* Write buf[0..n) (libOS memory) to fd's output: bytes written. */
static long
out_bytes(const char *buf, uint64_t n)
{
	long r;

	if (capturing())
		return posix_capture(buf, n);
	r = exo_cons_write(exo_console(), buf, n);
	return r < 0 ? -L_EIO : r;
}

/* Write the program's bytes [ubuf, ubuf + n) to fd: bytes, or error. */
static long
do_write(uint64_t fd, uint64_t ubuf, uint64_t n)
{
	char chunk[IO_CHUNK];
	long done = 0;

	if (!fd_ok(fd) || fd == 0)
		return -L_EBADF;
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

/* Read what the console has waiting, without blocking (a line
 * discipline comes with the TTY). */
static long
do_read(uint64_t fd, uint64_t ubuf, uint64_t n)
{
	char chunk[IO_CHUNK];
	long r;

	if (!fd_ok(fd) || fd != 0)
		return -L_EBADF;
	if (capturing() || !n)
		return 0;
	if (!vm_user_ok(ubuf, n, L_PROT_WRITE))
		return -L_EFAULT;
	r = exo_cons_read(exo_console(), chunk, n < IO_CHUNK ? n : IO_CHUNK);
	if (r < 0)
		return -L_EIO;
	memcpy((void *)(uintptr_t)ubuf, chunk, (uint64_t)r);
	return r;
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
	if (!fd_ok(fd))
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

POSIX_SYS(close)
{
	if (!fd_ok(a[0]))
		return -L_EBADF;
	proc.fd_open[a[0]] = false;
	return 0;
}

POSIX_SYS(lseek)
{
	return fd_ok(a[0]) ? -L_ESPIPE : -L_EBADF;
}

/* The console's termios: what Linux gives a serial console in cooked
 * mode (38400 8N1, echo, signals, canonical input). */
static const struct l_termios console_termios = {
	.c_iflag = 0x0500, /* ICRNL | IXON */
	.c_oflag = 0x0005, /* OPOST | ONLCR */
	.c_cflag = 0x04bf, /* B38400 | CS8 | CREAD | HUPCL */
	.c_lflag = 0x8a3b, /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE
			      IEXTEN */
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22,
		  0 },
};

POSIX_SYS(ioctl)
{
	static const struct l_winsize unknown_size; /* a serial line's */

	if (!fd_ok(a[0]))
		return -L_EBADF;
	if (capturing())
		return -L_ENOTTY;
	switch (a[1]) {
	case L_TCGETS:
		return copy_out(a[2], &console_termios,
				sizeof(console_termios));
	case L_TIOCGWINSZ:
		return copy_out(a[2], &unknown_size, sizeof(unknown_size));
	default:
		return -L_ENOTTY;
	}
}

/* What fstat says about fd: the console, or a pipe when capturing. */
static long
stat_fd(uint64_t fd, uint64_t ubuf)
{
	struct kstat st = {
		.dev = 5,
		.ino = 1 + fd,
		.nlink = 1,
		.blksize = 1024,
	};

	if (!fd_ok(fd))
		return -L_EBADF;
	if (capturing()) {
		st.mode = L_S_IFIFO | 0600;
	} else {
		st.mode = L_S_IFCHR | 0620;
		st.rdev = CONSOLE_RDEV;
	}
	return arch_stat_out(ubuf, &st);
}

POSIX_SYS(fstat)
{
	return stat_fd(a[0], a[1]);
}

/* newfstatat(dirfd, path, buf, flags): an fd with AT_EMPTY_PATH, or a
 * path of the ramfs. */
POSIX_SYS(newfstatat)
{
	char path[POSIX_PATH_MAX], abs[POSIX_PATH_MAX];
	struct kstat st;
	long r = copy_in_str(path, a[1], sizeof(path));

	if (r < 0)
		return r == -L_ERANGE ? -L_ENAMETOOLONG : r;
	if (r == 0 && (a[3] & L_AT_EMPTY_PATH))
		return stat_fd(a[0], a[2]);
	r = fs_resolve((int64_t)a[0], path, abs);
	if (!r)
		r = fs_stat(abs, &st);
	return r < 0 ? r : arch_stat_out(a[2], &st);
}

/* readlink of path into the program's buf[0..size): only
 * /proc/self/exe exists. */
static long
do_readlink(uint64_t upath, uint64_t ubuf, uint64_t size)
{
	static const char self_exe[] = "/proc/self/exe";
	char path[sizeof(self_exe) + 1];
	long r = copy_in_str(path, upath, sizeof(path));
	uint64_t n = strlen(proc.exe);

	if (r == -L_EFAULT)
		return r;
	if (r < 0 || strcmp(path, self_exe))
		return -L_ENOENT;
	if ((int64_t)size <= 0)
		return -L_EINVAL;
	if (n > size)
		n = size;
	return copy_out(ubuf, proc.exe, n) < 0 ? -L_EFAULT : (long)n;
}

POSIX_SYS(readlink)
{
	return do_readlink(a[0], a[1], a[2]);
}

POSIX_SYS(readlinkat)
{
	return do_readlink(a[1], a[2], a[3]);
}
