/*
 * File times and file systems: a file's modification time moves when it
 * is written, utimensat sets it (a given time, UTIME_NOW, UTIME_OMIT,
 * through a descriptor with no path), statfs and fstatfs tell the ramfs
 * from /proc, getgroups has none; with the errors (EINVAL, ENOENT,
 * EFAULT, EBADF).  Prints "times ok" or the first failure.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define RAMFS_MAGIC 0x858458f6
#define PROC_SUPER_MAGIC 0x9fa0

static long long
mtime_ns(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	return (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

int
main(void)
{
	struct timespec nap = { 0, 20000000 }, ts[2];
	struct statfs sf;
	long long t0, t1;
	gid_t groups[4];
	int fd = open("/tf", O_RDWR | O_CREAT | O_TRUNC, 0644), pfd;

	t0 = mtime_ns("/tf");
	nanosleep(&nap, NULL);
	check(write(fd, "x", 1) == 1, "write");
	t1 = mtime_ns("/tf");
	check(t0 > 0 && t1 > t0, "a write did not move the time");
	ts[0] = (struct timespec){ 5, 0 };
	ts[1] = (struct timespec){ 1000, 500 };
	check(utimensat(AT_FDCWD, "/tf", ts, 0) == 0, "utimensat");
	check(mtime_ns("/tf") == 1000000000500ll, "the time given");
	ts[1].tv_nsec = UTIME_OMIT;
	check(utimensat(AT_FDCWD, "/tf", ts, 0) == 0 &&
		      mtime_ns("/tf") == 1000000000500ll,
	      "UTIME_OMIT");
	check(futimens(fd, NULL) == 0 && mtime_ns("/tf") >= t1, "futimens now");
	ts[1] = (struct timespec){ 0, 1000000000 };
	check(fails(utimensat(AT_FDCWD, "/tf", ts, 0), EINVAL), "EINVAL");
	check(fails(utimensat(AT_FDCWD, "/nonesuch", NULL, 0), ENOENT),
	      "ENOENT");
	check(fails(syscall(SYS_utimensat, AT_FDCWD, "/tf", 16, 0), EFAULT),
	      "EFAULT");
	check(fails(futimens(99, NULL), EBADF), "EBADF");
	check(statfs("/", &sf) == 0 && sf.f_type == RAMFS_MAGIC &&
		      sf.f_blocks > 0 && sf.f_bfree <= sf.f_blocks &&
		      sf.f_bsize == 4096,
	      "statfs /");
	pfd = open("/proc/self/stat", O_RDONLY);
	check(pfd >= 0 && fstatfs(pfd, &sf) == 0 &&
		      sf.f_type == PROC_SUPER_MAGIC,
	      "fstatfs /proc");
	check(fails(statfs("/nonesuch", &sf), ENOENT), "statfs ENOENT");
	check(getgroups(4, groups) == 0, "getgroups");
	return report("times");
}
