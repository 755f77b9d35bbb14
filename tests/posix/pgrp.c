/*
 * Process groups and sessions: getpgrp, getpgid, getsid, setpgid and
 * setsid agree with each other across fork, with their errors (EPERM,
 * ESRCH, EINVAL).  Runs as process 1, which leads group and session 1.
 * Prints "pgrp ok" or the first failure.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void
say(const char *s)
{
	write(1, s, strlen(s));
}

static int
fail(const char *what)
{
	say("pgrp bad: ");
	say(what);
	say("\n");
	return 1;
}

/* A child its parent moves into a group of its own: it sees the move
 * and, leading a group, may not start a session. */
static int
moved_child(void)
{
	while (getpgid(0) != getpid())
		sched_yield();
	if (getsid(0) != 1)
		return 2;
	if (setsid() != -1 || errno != EPERM)
		return 3;
	return 0;
}

/* A child that starts its own session, and may then not join a group
 * of another session. */
static int
session_child(void)
{
	pid_t me = getpid();

	if (getpgid(0) != 1 || getsid(0) != 1)
		return 2;
	if (setsid() != me)
		return 3;
	if (getsid(0) != me || getpgid(0) != me || getpgrp() != me)
		return 4;
	if (setpgid(0, 1) != -1 || errno != EPERM)
		return 5;
	return 0;
}

/* fork a child running fn: its pid, or -1. */
static pid_t
spawn(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	return pid;
}

static int
exited_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

int
main(void)
{
	pid_t a, b;

	if (getpgrp() != 1 || getpgid(0) != 1 || getsid(0) != 1)
		return fail("process 1 is not in group and session 1");
	if (setsid() != -1 || errno != EPERM)
		return fail("a group leader started a session");
	if (getpgid(99999) != -1 || errno != ESRCH)
		return fail("getpgid of no process");
	if (setpgid(0, -1) != -1 || errno != EINVAL)
		return fail("setpgid to a negative group");
	a = spawn(moved_child);
	if (a < 0)
		return fail("fork");
	if (getpgid(a) != 1 || getsid(a) != 1)
		return fail("a child is not in its parent's group");
	if (setpgid(a, a) != 0 || getpgid(a) != a)
		return fail("setpgid of a child");
	if (!exited_ok(a))
		return fail("the moved child");
	b = spawn(session_child);
	if (b < 0 || !exited_ok(b))
		return fail("the session child");
	if (setpgid(99999, 0) != -1 || errno != ESRCH)
		return fail("setpgid of no process");
	say("pgrp ok\n");
	return 0;
}
