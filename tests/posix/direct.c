/*
 * Calling libos-posix directly (posix/direct.h): system calls made as
 * function calls through the entry in the auxiliary vector give the same
 * results as the instruction, fork returns twice through it, a signal
 * raised by one is delivered on its way out, a call a handler interrupts
 * with SA_RESTART is made again — and the kernel's counters of the env
 * (read from its info page) show that none of them entered the kernel.
 * Prints "direct ok" or the first failure.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <exo/envinfo.h>
#include <exo/memlayout.h>
#include <posix/direct.h>

#include "check.h"

static uint64_t entry;
static volatile int got;

static long
call(long nr, long a0, long a1, long a2)
{
	return posix_direct(entry, nr, a0, a1, a2, 0, 0, 0);
}

static void
on_usr1(int sig)
{
	got = sig;
}

static void
restart_on(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(sig, &sa, NULL);
}

/* Kernel entries of this env so far: Exo calls and reflected Linux ones. */
static uint64_t
kernel_entries(void)
{
	const volatile struct exo_envinfo *info =
		(const volatile struct exo_envinfo *)EXO_ENVINFO;

	return info->counters.syscalls + info->counters.foreign;
}

int
main(void)
{
	static const char msg[] = "direct write\n";
	uint64_t before, after;
	long pid, self, parent, ok = 0;
	int st = 0, fds[2];
	char c = 0;

	entry = getauxval(AT_EXO_POSIX);
	check(entry != 0, "no AT_EXO_POSIX");
	if (!entry)
		goto out;
	self = getpid();
	parent = getppid();
	before = kernel_entries();
	for (int i = 0; i < 100; i++)
		ok += call(SYS_getpid, 0, 0, 0) == self;
	ok += call(SYS_getppid, 0, 0, 0) == parent;
	ok += call(SYS_close, 999, 0, 0) == -EBADF;
	ok += call(SYS_write, 1, 16, 5) == -EFAULT;
	ok += call(999, 0, 0, 0) == -ENOSYS;
	after = kernel_entries();
	check(ok == 104, "a direct call's result");
	check(after == before, "a direct call entered the kernel");
	check(call(SYS_write, 1, (long)msg, sizeof(msg) - 1) ==
		      (long)sizeof(msg) - 1,
	      "write");
	/* fork (clone) through the entry: the child returns 0 there. */
	pid = call(SYS_clone, SIGCHLD, 0, 0);
	if (pid == 0)
		_exit(7);
	check(pid > 0 && waitpid((pid_t)pid, &st, 0) == pid && WIFEXITED(st) &&
		      WEXITSTATUS(st) == 7,
	      "fork");
	/* A kill of oneself: the handler runs before the call returns. */
	signal(SIGUSR1, on_usr1);
	check(call(SYS_kill, getpid(), SIGUSR1, 0) == 0 && got == SIGUSR1,
	      "signal on the way out");
	/* A read a handler interrupts, made again (SA_RESTART). */
	restart_on(SIGUSR1);
	got = 0;
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 30000000 };

		nanosleep(&ts, NULL);
		kill(getppid(), SIGUSR1);
		nanosleep(&ts, NULL);
		write(fds[1], "r", 1);
		_exit(0);
	}
	check(call(SYS_read, fds[0], (long)&c, 1) == 1 && c == 'r' &&
		      got == SIGUSR1,
	      "restarted read");
	waitpid((pid_t)pid, NULL, 0);
out:
	return report("direct");
}
