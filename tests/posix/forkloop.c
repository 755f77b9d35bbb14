/*
 * Fifty fork+exit+wait rounds leave this process owning as many frames
 * as one round did: copy-on-write frames given up while a child still
 * mapped them are freed once it is gone.  The frame count is the
 * kernel's, read from the env info page Exo maps in every env.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define ENVINFO 0x00007f7ffffff000ull
#define FRAMES_USED_OFF 32 /* struct exo_envinfo.frames_used */
#define ROUNDS 50

static uint64_t
frames_used(void)
{
	return *(volatile uint64_t *)(uintptr_t)(ENVINFO + FRAMES_USED_OFF);
}

/* One round: 0, or -1 if the child did not exit with 5. */
static int
round_trip(void)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(5);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 5)
		return -1;
	return 0;
}

int
main(void)
{
	uint64_t before, after;

	if (round_trip() < 0)
		return 1;
	before = frames_used();
	for (int i = 0; i < ROUNDS; i++)
		if (round_trip() < 0)
			return 2;
	after = frames_used();
	if (after != before) {
		printf("forkloop bad: %llu frames before, %llu after\n",
		       (unsigned long long)before, (unsigned long long)after);
		return 3;
	}
	printf("forkloop ok\n");
	return 0;
}
