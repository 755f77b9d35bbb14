/*
 * The descriptor table: close, dup, dup2, dup3, fcntl (F_DUPFD,
 * F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL), EMFILE, open
 * file descriptions shared by dup and fork, and close-on-exec across
 * execve.  Prints "fds ok" (through a dup of fd 1)
 * or the first failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* Run in the program execve'd by exec_check: fd 10 must be open, fd 11
 * (close-on-exec) closed. */
static int
after_exec(void)
{
	return fcntl(10, F_GETFD) == 0 && fails(fcntl(11, F_GETFD), EBADF) ? 0
									   : 1;
}

/* fd 10 stays open across execve, fd 11 is closed by it. */
static void
exec_check(void)
{
	char *const argv[] = { "fds", "after-exec", NULL };
	int status = -1;
	pid_t pid;

	check(dup2(1, 10) == 10, "dup2 for exec");
	check(dup3(1, 11, O_CLOEXEC) == 11, "dup3 O_CLOEXEC");
	pid = fork();
	if (pid == 0) {
		execve("/proc/self/exe", argv, NULL);
		_exit(2);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait");
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "close-on-exec");
	close(10);
	close(11);
}

static void
dups(void)
{
	int fd = dup(1);

	check(fd == 3, "dup: lowest free");
	check(close(fd) == 0, "close");
	check(fails(close(fd), EBADF), "close twice: EBADF");
	check(fails(close(-1), EBADF), "close(-1): EBADF");
	check(fails(dup(77), EBADF), "dup of closed: EBADF");
	check(dup2(1, 1) == 1, "dup2 to itself");
	check(fails(dup2(77, 5), EBADF), "dup2 of closed: EBADF");
	check(fails(dup2(1, 100000), EBADF), "dup2 past limit: EBADF");
	check(fails(dup3(1, 1, 0), EINVAL), "dup3 same fd: EINVAL");
	/* musl's dup3 takes unknown flags to dup2: ask the kernel itself. */
	check(fails(syscall(SYS_dup3, 1, 12, 0x40), EINVAL),
	      "dup3 flags: EINVAL");
	check(dup2(1, 12) == 12 && fcntl(12, F_GETFD) == 0, "dup2 no cloexec");
	check(dup2(2, 12) == 12, "dup2 over an open fd");
	check(close(12) == 0, "close 12");
}

static void
fcntls(void)
{
	int p[2];

	check(fcntl(1, F_DUPFD, 20) == 20, "F_DUPFD");
	check(fcntl(1, F_DUPFD, 20) == 21, "F_DUPFD next");
	check(fcntl(20, F_GETFD) == 0, "F_GETFD");
	check(fcntl(20, F_SETFD, FD_CLOEXEC) == 0 &&
		      fcntl(20, F_GETFD) == FD_CLOEXEC,
	      "F_SETFD");
	check(fcntl(1, F_DUPFD_CLOEXEC, 20) == 22 &&
		      fcntl(22, F_GETFD) == FD_CLOEXEC,
	      "F_DUPFD_CLOEXEC");
	check(fails(fcntl(1, F_DUPFD, 100000), EINVAL), "F_DUPFD: EINVAL");
	check(fails(fcntl(50, F_GETFD), EBADF), "F_GETFD closed: EBADF");
	check(fails(fcntl(1, 9999), EINVAL), "bad command: EINVAL");
	close(20);
	close(21);
	close(22);
	check(pipe(p) == 0, "pipe");
	check((fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY, "F_GETFL r");
	check((fcntl(p[1], F_GETFL) & O_ACCMODE) == O_WRONLY, "F_GETFL w");
	check(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 &&
		      (fcntl(p[0], F_GETFL) & O_NONBLOCK),
	      "F_SETFL O_NONBLOCK");
	close(p[0]);
	close(p[1]);
}

/* dup and fork share the open file description: its offset and its
 * status flags. */
static void
shared(void)
{
	int fd = open("/bin/fds", O_RDONLY), copy = dup(fd), status = -1;
	pid_t pid;

	check(fd >= 0 && copy >= 0, "open and dup");
	check(lseek(fd, 10, SEEK_SET) == 10 && lseek(copy, 0, SEEK_CUR) == 10,
	      "dup shares the offset");
	check(fcntl(fd, F_SETFL, O_NONBLOCK) == 0 &&
		      (fcntl(copy, F_GETFL) & O_NONBLOCK),
	      "dup shares the status flags");
	check(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(copy, F_GETFD) == 0,
	      "close-on-exec is the descriptor's");
	pid = fork();
	if (pid == 0)
		_exit(lseek(fd, 100, SEEK_SET) == 100 ? 0 : 1);
	check(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0,
	      "child's lseek");
	check(lseek(copy, 0, SEEK_CUR) == 100, "fork shares the offset");
	close(fd);
	check(lseek(copy, 0, SEEK_CUR) == 100, "the copy outlives close");
	close(copy);
}

/* Fill the table: EMFILE, then free it again. */
static void
emfile(void)
{
	int last = -1, fd;

	while ((fd = dup(0)) >= 0)
		last = fd;
	check(errno == EMFILE, "EMFILE");
	check(last > 20, "many descriptors");
	for (fd = 3; fd <= last; fd++)
		close(fd);
	check(dup(0) == 3, "table freed");
	close(3);
}

int
main(int argc, char **argv)
{
	int out;

	if (argc > 1 && !strcmp(argv[1], "after-exec"))
		return after_exec();
	dups();
	fcntls();
	emfile();
	shared();
	exec_check();
	out = dup(1);
	close(1);
	if (bad) {
		write(out, "fds bad: ", 9);
		write(out, bad, strlen(bad));
		write(out, "\n", 1);
	} else {
		write(out, "fds ok\n", 7);
	}
	return 0;
}
