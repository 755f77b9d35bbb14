/*
 * Pipes: within a process and between processes, EOF once every writer
 * closed, EPIPE once no reader is left, blocking reads and writes past
 * the pipe's capacity, O_NONBLOCK (EAGAIN), and the error paths (EBADF,
 * EINVAL, EFAULT).  Prints "pipe ok" or the first failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG 20000 /* more than a pipe holds */

#include "check.h"

static void
one_process(void)
{
	/* Through a volatile pointer: the compiler may not prove it bad. */
	int *volatile unmapped = (int *)16;
	struct stat st;
	char buf[8];
	int p[2];

	check(pipe(p) == 0, "pipe");
	check(write(p[1], "abc", 3) == 3, "write");
	check(read(p[0], buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3),
	      "read");
	check(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat: FIFO");
	check(fails(read(p[1], buf, 1), EBADF), "read write end: EBADF");
	check(fails(write(p[0], "x", 1), EBADF), "write read end: EBADF");
	check(fails(lseek(p[0], 0, SEEK_SET), ESPIPE), "lseek: ESPIPE");
	close(p[1]);
	check(read(p[0], buf, sizeof(buf)) == 0, "EOF without writers");
	close(p[0]);
	check(pipe(p) == 0, "pipe 2");
	close(p[0]);
	check(fails(write(p[1], "x", 1), EPIPE), "EPIPE without readers");
	close(p[1]);
	check(fails(pipe2(p, 0x40), EINVAL), "pipe2 flags: EINVAL");
	check(fails(pipe(unmapped), EFAULT), "pipe bad pointer: EFAULT");
}

static void
nonblocking(void)
{
	char buf[512];
	int p[2];
	long n = 0, r;

	check(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2");
	check(fcntl(p[0], F_GETFD) == FD_CLOEXEC, "pipe2 O_CLOEXEC");
	check(fails(read(p[0], buf, 1), EAGAIN), "empty: EAGAIN");
	memset(buf, 'x', sizeof(buf));
	while ((r = write(p[1], buf, sizeof(buf))) > 0)
		n += r;
	check(fails(r, EAGAIN) && n >= 4096, "full: EAGAIN");
	close(p[0]);
	close(p[1]);
}

/* A child writes BIG bytes and exits; the parent reads them to EOF. */
static void
two_processes(void)
{
	static char buf[BIG];
	int p[2], status = -1;
	long got = 0, r;
	pid_t pid;

	check(pipe(p) == 0, "pipe 3");
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		memset(buf, 'y', sizeof(buf));
		_exit(write(p[1], buf, sizeof(buf)) == BIG ? 0 : 1);
	}
	close(p[1]);
	memset(buf, 0, sizeof(buf));
	while ((r = read(p[0], buf + got, sizeof(buf) - got)) > 0)
		got += r;
	check(r == 0 && got == BIG && buf[0] == 'y' && buf[BIG - 1] == 'y',
	      "read to EOF from a child");
	check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0,
	      "child's write");
	close(p[0]);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	one_process();
	nonblocking();
	two_processes();
	if (bad) {
		write(1, "pipe bad: ", 10);
		write(1, bad, strlen(bad));
		write(1, "\n", 1);
	} else {
		write(1, "pipe ok\n", 8);
	}
	return 0;
}
