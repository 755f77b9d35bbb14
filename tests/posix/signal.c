/*
 * Signals: handlers (with siginfo), the mask and pending signals,
 * default actions (terminate, ignore, stop and continue), SIGCHLD,
 * SIGPIPE, SIGSEGV caught and left with siglongjmp, system calls a
 * handler interrupts (EINTR, SA_RESTART, the time a sleep had left),
 * the alternate stack, and the errors (EINVAL, ESRCH, EFAULT).  Prints
 * "signal ok" or the first failure.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t got, got_sig, chld;
static volatile uintptr_t got_addr, got_stack;
static sigjmp_buf jump;

static void
on_usr(int sig)
{
	got++;
	got_sig = sig;
}

static void
on_info(int sig, siginfo_t *si, void *uc)
{
	got++;
	got_sig = si->si_signo == sig && uc ? sig : -1;
}

static void
on_chld(int sig)
{
	(void)sig;
	chld++;
}

static void
on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_addr = (uintptr_t)si->si_addr;
	siglongjmp(jump, 1);
}

static void
on_alt(int sig)
{
	int here;

	got_sig = sig;
	got_stack = (uintptr_t)&here;
}

static void
handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void
handle_info(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

/* A handler runs before kill (of oneself) returns; raise too, with
 * siginfo. */
static void
self_signals(void)
{
	handle(SIGUSR1, on_usr, 0);
	got = 0;
	kill(getpid(), SIGUSR1);
	check(got == 1 && got_sig == SIGUSR1, "kill self: no handler");
	handle_info(SIGUSR2, on_info);
	got = 0;
	raise(SIGUSR2);
	check(got == 1 && got_sig == SIGUSR2, "raise: no siginfo handler");
	/* An ignored signal is thrown away, not kept for a later handler. */
	signal(SIGUSR1, SIG_IGN);
	got = 0;
	check(kill(getpid(), SIGUSR1) == 0, "kill ignored");
	signal(SIGUSR1, on_usr);
	check(got == 0, "an ignored signal was kept");
}

/* A blocked signal waits, shows in sigpending, and acts once
 * unblocked. */
static void
masked(void)
{
	sigset_t set, pend;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	got = 0;
	kill(getpid(), SIGUSR1);
	check(got == 0, "blocked signal ran");
	sigpending(&pend);
	check(sigismember(&pend, SIGUSR1), "sigpending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(got == 1, "unblocked signal did not run");
	sigpending(&pend);
	check(!sigismember(&pend, SIGUSR1), "still pending");
}

/* A child killed, stopped and continued, as wait reports it; SIGCHLD
 * comes each time it exits. */
static void
children(void)
{
	int st = 0;
	pid_t pid;

	handle(SIGCHLD, on_chld, SA_RESTART);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	check(kill(pid, SIGSTOP) == 0, "kill SIGSTOP");
	check(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) &&
		      WSTOPSIG(st) == SIGSTOP,
	      "WUNTRACED");
	check(kill(pid, SIGCONT) == 0, "kill SIGCONT");
	check(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	      "WCONTINUED");
	check(kill(pid, SIGTERM) == 0, "kill SIGTERM");
	check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		      WTERMSIG(st) == SIGTERM,
	      "killed by SIGTERM");
	check(chld >= 1, "no SIGCHLD");
	/* A child that computes without system calls hears it too. */
	pid = fork();
	if (pid == 0) {
		for (volatile unsigned long n = 0;; n++)
			;
	}
	check(kill(pid, SIGTERM) == 0, "kill a spinning child");
	check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		      WTERMSIG(st) == SIGTERM,
	      "a spinning child was not killed");
	/* kill -0 of a child: there while unwaited, then gone. */
	pid = fork();
	if (pid == 0)
		_exit(3);
	while (waitpid(pid, &st, WNOHANG) == 0)
		check(kill(pid, 0) == 0, "kill 0 of a live child");
	check(WIFEXITED(st) && WEXITSTATUS(st) == 3, "exit status");
	check(fails(kill(pid, 0), ESRCH), "kill 0 of a reaped child");
	signal(SIGCHLD, SIG_DFL);
}

/* Writing to a pipe nobody reads: SIGPIPE ends the writer; ignored, the
 * write fails with EPIPE. */
static void
broken_pipe(void)
{
	int fds[2], st = 0;
	pid_t pid;

	pipe(fds);
	close(fds[0]);
	pid = fork();
	if (pid == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "SIGPIPE");
	signal(SIGPIPE, SIG_IGN);
	check(fails(write(fds[1], "x", 1), EPIPE), "EPIPE");
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);
}

/* A fault caught: the handler sees the address and jumps out. */
static void
segv(void)
{
	int *volatile p = (int *)0x1000;

	handle_info(SIGSEGV, on_segv);
	got_sig = 0;
	if (sigsetjmp(jump, 1) == 0) {
		*p = 1;
		check(0, "the bad store went on");
	}
	check(got_sig == SIGSEGV, "SIGSEGV handler");
	check(got_addr == 0x1000, "si_addr");
	signal(SIGSEGV, SIG_DFL);
}

/* A child signals its parent (after a moment) while it blocks. */
static pid_t
poke_later(int sig, int fd, const char *msg)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { 0, 30000000 };

		nanosleep(&ts, NULL);
		kill(getppid(), sig);
		nanosleep(&ts, NULL);
		if (fd >= 0)
			write(fd, msg, strlen(msg));
		_exit(0);
	}
	return pid;
}

/* A read a handler interrupts: EINTR, or with SA_RESTART the data that
 * came after; a sleep says what was left. */
static void
interrupted(void)
{
	struct timespec ts = { 20, 0 }, rem = { 0, 0 };
	int fds[2];
	char c = 0;
	pid_t pid;

	pipe(fds);
	handle(SIGUSR1, on_usr, 0);
	pid = poke_later(SIGUSR1, fds[1], "a");
	check(fails(read(fds[0], &c, 1), EINTR), "read not interrupted");
	waitpid(pid, NULL, 0);
	check(read(fds[0], &c, 1) == 1 && c == 'a', "read after EINTR");
	handle(SIGUSR1, on_usr, SA_RESTART);
	got = 0;
	pid = poke_later(SIGUSR1, fds[1], "b");
	check(read(fds[0], &c, 1) == 1 && c == 'b' && got == 1,
	      "SA_RESTART read");
	waitpid(pid, NULL, 0);
	pid = poke_later(SIGUSR1, -1, NULL);
	check(fails(nanosleep(&ts, &rem), EINTR), "sleep not interrupted");
	check(rem.tv_sec >= 18 && rem.tv_sec < 20, "time left");
	waitpid(pid, NULL, 0);
	close(fds[0]);
	close(fds[1]);
}

/* sigaltstack: a SA_ONSTACK handler runs on it. */
static void
altstack(void)
{
	static char mem[64 * 1024];
	stack_t ss = { .ss_sp = mem, .ss_size = sizeof(mem) }, old;
	struct sigaction sa;

	check(sigaltstack(&ss, &old) == 0 && (old.ss_flags & SS_DISABLE),
	      "sigaltstack");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	got_stack = 0;
	raise(SIGUSR2);
	check(got_stack > (uintptr_t)mem &&
		      got_stack < (uintptr_t)mem + sizeof(mem),
	      "handler not on the alternate stack");
	ss.ss_size = 100;
	check(fails(sigaltstack(&ss, NULL), ENOMEM), "small alt stack");
	ss.ss_flags = SS_DISABLE;
	check(sigaltstack(&ss, NULL) == 0, "disable alt stack");
}

static void
errors(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr;
	check(fails(sigaction(SIGKILL, &sa, NULL), EINVAL), "catch SIGKILL");
	check(fails(syscall(SYS_rt_sigaction, 65, &sa, NULL, 8), EINVAL),
	      "signal 65");
	check(fails(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8),
		    EFAULT),
	      "sigaction EFAULT");
	check(fails(kill(getpid(), 65), EINVAL), "kill 65");
	check(fails(kill(99999, SIGTERM), ESRCH), "kill ESRCH");
	check(fails(syscall(SYS_tgkill, 0, getpid(), SIGUSR1), EINVAL),
	      "tgkill 0");
	check(fails(syscall(SYS_tgkill, getpid(), 99999, SIGUSR1), ESRCH),
	      "tgkill ESRCH");
	sigemptyset(&set);
	check(fails(sigprocmask(7, &set, NULL), EINVAL), "sigprocmask how");
}

int
main(void)
{
	self_signals();
	masked();
	children();
	broken_pipe();
	segv();
	interrupted();
	altstack();
	errors();
	return report("signal");
}
