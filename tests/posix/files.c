/*
 * Files: open/openat of the ramfs and of /dev/null and /dev/zero, files
 * made with O_CREAT, read, write, lseek, fstat, getdents64, and the
 * error paths (ENOENT, EROFS, EEXIST, ENOTDIR, EISDIR, EBADF, EINVAL).
 * The image puts this program at /bin/files.  Prints "files ok" or the
 * first failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

static void
regular(void)
{
	struct stat st;
	char buf[8];
	int fd = open("/bin/files", O_RDONLY | O_CLOEXEC);

	check(fd >= 3, "open");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC");
	check(read(fd, buf, 4) == 4 && !memcmp(buf, "\177ELF", 4), "read");
	check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 4,
	      "fstat");
	check(lseek(fd, 0, SEEK_END) == st.st_size, "SEEK_END");
	check(read(fd, buf, 1) == 0, "read at the end");
	check(lseek(fd, 1, SEEK_SET) == 1 && read(fd, buf, 3) == 3 &&
		      !memcmp(buf, "ELF", 3),
	      "SEEK_SET");
	check(lseek(fd, -1, SEEK_CUR) == 3, "SEEK_CUR");
	check(fails(lseek(fd, -1, SEEK_SET), EINVAL), "negative: EINVAL");
	check(fails(lseek(fd, 0, 9), EINVAL), "whence: EINVAL");
	check(fails(write(fd, "x", 1), EBADF), "write read-only: EBADF");
	check(fails(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR),
	      "getdents64 of a file: ENOTDIR");
	close(fd);
	check(fails(read(fd, buf, 1), EBADF), "read closed: EBADF");
	check(fails(open("/bin/nothing", O_RDONLY), ENOENT), "ENOENT");
	check(fails(open("/bin/files", O_WRONLY), EROFS), "EROFS");
	check(fails(open("/bin/files", O_RDONLY | O_DIRECTORY), ENOTDIR),
	      "O_DIRECTORY: ENOTDIR");
	check(fails(open("/bin", O_WRONLY), EISDIR), "EISDIR");
}

/* Does the getdents64 buffer buf[0..n) list name with type? */
static int
listed(const char *buf, long n, const char *name, unsigned char type)
{
	for (long at = 0; at < n;) {
		unsigned short reclen;

		memcpy(&reclen, buf + at + 16, 2);
		if (!strcmp(buf + at + 19, name) &&
		    (unsigned char)buf[at + 18] == type)
			return 1;
		at += reclen;
	}
	return 0;
}

static void
directories(void)
{
	static char buf[4096];
	int dir = open("/bin", O_RDONLY | O_DIRECTORY), fd;
	long n;

	check(dir >= 3, "open a directory");
	n = syscall(SYS_getdents64, dir, buf, sizeof(buf));
	check(n > 0 && listed(buf, n, "files", 8) && listed(buf, n, ".", 4),
	      "getdents64");
	check(syscall(SYS_getdents64, dir, buf, sizeof(buf)) == 0,
	      "getdents64 at the end");
	check(fails(read(dir, buf, 1), EISDIR), "read a directory: EISDIR");
	fd = openat(dir, "files", O_RDONLY);
	check(fd >= 0, "openat");
	close(fd);
	check(fails(openat(1, "files", O_RDONLY), ENOTDIR), "openat ENOTDIR");
	check(fails(openat(99, "files", O_RDONLY), EBADF), "openat EBADF");
	close(dir);
	dir = open("/", O_RDONLY);
	n = syscall(SYS_getdents64, dir, buf, sizeof(buf));
	check(n > 0 && listed(buf, n, "bin", 4), "getdents64 of /");
	close(dir);
	check(fails(syscall(SYS_getdents64, 77, buf, sizeof(buf)), EBADF),
	      "getdents64: EBADF");
}

/* Files made with O_CREAT: written, appended to, grown past a page,
 * truncated, and read back. */
static void
writable(void)
{
	static char big[10000], back[10000];
	struct stat st;
	char buf[16];
	int fd = open("/made", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	check(fd >= 0 && write(fd, "hello", 5) == 5, "create and write");
	check(fails(read(fd, buf, 1), EBADF), "read write-only: EBADF");
	close(fd);
	fd = open("/made", O_WRONLY | O_APPEND);
	check(fd >= 0 && write(fd, " world", 6) == 6, "O_APPEND");
	close(fd);
	fd = open("/made", O_RDONLY);
	check(fd >= 0 && read(fd, buf, sizeof(buf)) == 11 &&
		      !memcmp(buf, "hello world", 11),
	      "read back");
	check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 11 &&
		      (st.st_mode & 0777) == 0644,
	      "fstat a made file");
	close(fd);
	check(fails(open("/made", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST),
	      "O_EXCL: EEXIST");
	check(fails(open("/nodir/x", O_CREAT | O_WRONLY, 0644), ENOENT),
	      "no directory: ENOENT");
	memset(big, 'z', sizeof(big));
	fd = open("/made", O_RDWR | O_TRUNC);
	check(fd >= 0 && write(fd, big, sizeof(big)) == sizeof(big),
	      "grow past a page");
	check(lseek(fd, 0, SEEK_SET) == 0 &&
		      read(fd, back, sizeof(back)) == sizeof(back) &&
		      !memcmp(big, back, sizeof(big)),
	      "read a grown file");
	close(fd);
}

static void
devices(void)
{
	char buf[4] = "abc";
	int null = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666);
	int zero = open("/dev/zero", O_RDONLY);

	check(null >= 0 && write(null, "xyz", 3) == 3, "write /dev/null");
	check(read(null, buf, 1) == -1, "read a write-only fd");
	close(null);
	null = open("/dev/null", O_RDONLY);
	check(read(null, buf, sizeof(buf)) == 0, "read /dev/null");
	check(zero >= 0 && read(zero, buf, sizeof(buf)) == 4 && !buf[0] &&
		      !buf[3],
	      "read /dev/zero");
	close(null);
	close(zero);
}

int
main(void)
{
	regular();
	directories();
	writable();
	devices();
	if (bad) {
		write(1, "files bad: ", 11);
		write(1, bad, strlen(bad));
		write(1, "\n", 1);
	} else {
		write(1, "files ok\n", 9);
	}
	return 0;
}
