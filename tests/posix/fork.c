/*
 * Processes: fork with copy-on-write memory, getpid/getppid across it,
 * wait4's statuses (exit codes, signals), a grandchild, execve, and the
 * error paths (ECHILD, EINVAL, ENOENT, EFAULT).  Prints "fork ok" or the
 * first failure.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int shared_value = 1;

/* Unbuffered, so a child never repeats what its parent had buffered. */
static void
say(const char *s)
{
	write(1, s, strlen(s));
}

static int
fail(const char *what)
{
	say("fork bad: ");
	say(what);
	say("\n");
	return 1;
}

/* fork, let the child run fn, and return the wait status (-1 on error). */
static int
run_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static pid_t parent_pid;

/* The child sees its parent, a pid of its own, and its own copy of the
 * data the parent had. */
static int
child_identity(void)
{
	if (getppid() != parent_pid || getpid() == parent_pid)
		return 10;
	if (shared_value != 1)
		return 11;
	shared_value = 2;
	return 7;
}

static int
child_segv(void)
{
	/* Through a volatile pointer: the compiler may not prove it bad. */
	int *volatile bad = (int *)16;

	*bad = 1;
	return 0;
}

static int
grandchild(void)
{
	return 3;
}

/* Fork again from a child: the grandchild's pages come from two
 * generations. */
static int
child_forks(void)
{
	int st = run_child(grandchild);

	return WIFEXITED(st) ? WEXITSTATUS(st) + 1 : 20;
}

static int
child_exec(void)
{
	char *argv[] = { "status", NULL };

	execve("/bin/status", argv, NULL);
	return 30;
}

int
main(void)
{
	char *argv[] = { "x", NULL };
	const char *volatile bad_path = (const char *)16;
	int st;

	parent_pid = getpid();
	st = run_child(child_identity);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
		return fail("exit status");
	if (shared_value != 1)
		return fail("copy-on-write");
	st = run_child(child_segv);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != 11)
		return fail("signal status");
	st = run_child(child_forks);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 4)
		return fail("grandchild");
	st = run_child(child_exec);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 42)
		return fail("execve");
	if (wait(&st) != -1 || errno != ECHILD)
		return fail("ECHILD");
	if (waitpid(-1, &st, 0x40000) != -1 || errno != EINVAL)
		return fail("wait EINVAL");
	if (execve("/bin/none", argv, NULL) != -1 || errno != ENOENT)
		return fail("execve ENOENT");
	if (execve(bad_path, argv, NULL) != -1 || errno != EFAULT)
		return fail("execve EFAULT");
	if (getpid() != parent_pid)
		return fail("getpid");
	say("fork ok\n");
	return 0;
}
