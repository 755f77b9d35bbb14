/*
 * /proc: the /proc/self link, /proc/<pid>/stat, statm, status, cmdline
 * and exe of this process and of a child (running, then a zombie), the
 * listing of /proc and /proc/<pid>, /proc/meminfo and /proc/uptime, and
 * the errors (ENOENT, EACCES, EISDIR).  The image runs it as
 * "/bin/procfs one".  Prints "procfs ok" or the first failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* The text of the file at path into buf (NUL-terminated): its length,
 * or -1. */
static long
slurp(const char *path, char *buf, long size)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r = 0;

	if (fd < 0)
		return -1;
	while (n < size - 1 && (r = read(fd, buf + n, 1)) == 1)
		n++; /* a byte at a time, as ash's read does */
	close(fd);
	buf[n] = '\0';
	return r < 0 ? -1 : n;
}

/* Is name listed in the directory at path? */
static int
listed(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	closedir(d);
	return found;
}

static void
self(void)
{
	char buf[512], want[64], path[64];
	struct stat st;
	long n;

	n = readlink("/proc/self", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d", getpid());
	check(n == (long)strlen(want) && !memcmp(buf, want, (size_t)n),
	      "readlink /proc/self is the pid");
	n = readlink("/proc/self/exe", buf, sizeof(buf));
	check(n == 11 && !memcmp(buf, "/bin/procfs", 11), "/proc/self/exe");
	check(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode),
	      "lstat /proc/self: a link");
	check(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode),
	      "stat /proc/self: a directory");
	snprintf(want, sizeof(want), "%d (procfs) R %d ", getpid(), getppid());
	check(slurp("/proc/self/stat", buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, want, strlen(want)),
	      "/proc/self/stat");
	check(slurp("/proc/self/cmdline", buf, sizeof(buf)) == 11 &&
		      !memcmp(buf, "procfs\0one\0", 11),
	      "/proc/self/cmdline");
	check(slurp("/proc/self/statm", buf, sizeof(buf)) > 0 &&
		      strtoul(strchr(buf, ' ') + 1, NULL, 10) > 0,
	      "/proc/self/statm: resident frames");
	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	check(slurp(path, buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, "Name:\tprocfs\n", 13),
	      "/proc/<pid>/status");
	prctl(PR_SET_NAME, "renamed");
	check(slurp("/proc/self/stat", buf, sizeof(buf)) > 0 &&
		      strstr(buf, "(renamed)"),
	      "PR_SET_NAME shows in stat");
	prctl(PR_SET_NAME, "procfs");
}

static void
child(void)
{
	char buf[512], path[64], want[64];
	int fds[2], status;
	pid_t pid;

	check(pipe(fds) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		read(fds[0], buf, 1); /* until the parent closes */
		_exit(0);
	}
	close(fds[0]);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	snprintf(want, sizeof(want), "%d (procfs) ", pid);
	check(slurp(path, buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, want, strlen(want)),
	      "a child's stat");
	snprintf(want, sizeof(want), "%d", pid);
	check(listed("/proc", want), "/proc lists the child");
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	check(slurp(path, buf, sizeof(buf)) == 11, "a child's cmdline");
	close(fds[1]);
	usleep(100000);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	snprintf(want, sizeof(want), "%d (procfs) Z %d ", pid, getpid());
	check(slurp(path, buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, want, strlen(want)),
	      "a zombie's stat");
	check(waitpid(pid, &status, 0) == pid, "wait");
	check(fails(open(path, O_RDONLY), ENOENT), "a reaped pid: ENOENT");
}

static void
listings(void)
{
	char buf[512], want[16];

	snprintf(want, sizeof(want), "%d", getpid());
	check(listed("/proc", "self") && listed("/proc", want) &&
		      listed("/proc", "meminfo"),
	      "/proc lists self, meminfo and the pids");
	check(listed("/", "proc"), "/ lists proc");
	check(listed("/proc/self", "stat") && listed("/proc/self", "cmdline") &&
		      listed("/proc/self", "exe"),
	      "/proc/self lists its files");
	check(slurp("/proc/meminfo", buf, sizeof(buf)) > 0 &&
		      !strncmp(buf, "MemTotal:", 9) && strstr(buf, "MemFree:"),
	      "/proc/meminfo");
	check(slurp("/proc/uptime", buf, sizeof(buf)) > 0 && strchr(buf, '.') &&
		      strchr(buf, ' '),
	      "/proc/uptime");
	check(fails(open("/proc/self/stat", O_WRONLY), EACCES),
	      "writing /proc: EACCES");
	check(fails(open("/proc/self", O_WRONLY), EISDIR), "EISDIR");
	check(fails(open("/proc/99999/stat", O_RDONLY), ENOENT),
	      "no such pid: ENOENT");
	check(fails(open("/proc/self/nothing", O_RDONLY), ENOENT),
	      "no such file: ENOENT");
	check(fails(unlink("/proc/self/stat"), EPERM),
	      "unlink in /proc: EPERM");
	check(chdir("/proc/self") == 0 && slurp("stat", buf, sizeof(buf)) > 0 &&
		      chdir("/") == 0,
	      "a relative path in /proc/self");
}

int
main(void)
{
	self();
	child();
	listings();
	return report("procfs");
}
