/*
 * A child that exits before its own child: the grandchild goes on
 * running (its creator's env stays as a husk), and getppid says 1, as
 * after Linux reparents it to init.
 */
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		pid_t me = getpid();

		if (fork() == 0) {
			/* Wait (bounded) for the parent to be gone. */
			for (long i = 0; i < 1000000 && getppid() == me; i++)
				sched_yield();
			if (getppid() == 1)
				write(1, "orphan ok\n", 10);
			else
				write(1, "orphan bad\n", 11);
			_exit(0);
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	return 0;
}
