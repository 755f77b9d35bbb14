/*
 * Shared memory and futexes: an anonymous MAP_SHARED mapping seen by a
 * child and a grandchild, kept across PROT_NONE, private again in a
 * child that unmaps it, reused after munmap (many rounds do not use the
 * pool up); FUTEX_WAIT and FUTEX_WAKE between two processes on it, and
 * the futex errors (EAGAIN, ETIMEDOUT, EINVAL, EFAULT).  Prints "shm ok"
 * or the first failure.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096
/* From <linux/futex.h>, which musl-gcc cannot see. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

static long
futex(volatile uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

/* The child's status, or -1. */
static int
wait_child(pid_t pid)
{
	int st = 0;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st)
							    : -1;
}

static void
sharing(void)
{
	volatile char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	check(p != MAP_FAILED, "mmap shared");
	if (p == MAP_FAILED)
		return;
	check(p[0] == 0 && p[2 * PAGE - 1] == 0, "not zero");
	pid = fork();
	if (pid == 0) {
		pid_t g;

		p[0] = 'c';
		g = fork();
		if (g == 0) {
			p[PAGE] = 'g';
			_exit(0);
		}
		_exit(wait_child(g) == 0 ? 0 : 1);
	}
	check(wait_child(pid) == 0, "child");
	check(p[0] == 'c', "the child's write is not seen");
	check(p[PAGE] == 'g', "the grandchild's write is not seen");
	check(mprotect((void *)p, 2 * PAGE, PROT_NONE) == 0 &&
		      mprotect((void *)p, 2 * PAGE, PROT_READ) == 0 &&
		      p[0] == 'c',
	      "lost across PROT_NONE");
	mprotect((void *)p, 2 * PAGE, PROT_READ | PROT_WRITE);
	/* A child that unmaps and maps private memory there is alone. */
	pid = fork();
	if (pid == 0) {
		munmap((void *)p, 2 * PAGE);
		mmap((void *)p, PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		p[0] = 'x';
		_exit(0);
	}
	check(wait_child(pid) == 0 && p[0] == 'c', "a private page shared");
	check(munmap((void *)p, 2 * PAGE) == 0, "munmap");
}

/* 2000 rounds of 16 pages: the pool's spare room (4 MiB) holds 1024. */
static void
reuse(void)
{
	for (int i = 0; i < 2000; i++) {
		char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			check(0, "shared memory is not reused");
			return;
		}
		check(p[0] == 0, "a reused run is not zero");
		p[0] = 1;
		munmap(p, 16 * PAGE);
	}
}

/* Ping-pong on a shared word: each side waits for its turn. */
static void
pingpong(void)
{
	volatile uint32_t *turn = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int rounds = 200;

	*turn = 0;
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < rounds; i++) {
			while (*turn != 1)
				futex(turn, FUTEX_WAIT, 0, NULL);
			*turn = 0;
			futex(turn, FUTEX_WAKE, 1, NULL);
		}
		_exit(0);
	}
	for (int i = 0; i < rounds; i++) {
		*turn = 1;
		futex(turn, FUTEX_WAKE, 1, NULL);
		while (*turn != 0)
			futex(turn, FUTEX_WAIT, 1, NULL);
	}
	check(wait_child(pid) == 0, "ping-pong");
	munmap((void *)turn, PAGE);
}

static void
errors(void)
{
	static uint32_t word = 5;
	struct timespec ts = { 0, 20000000 };

	check(fails(futex(&word, FUTEX_WAIT, 6, NULL), EAGAIN), "EAGAIN");
	check(fails(futex(&word, FUTEX_WAIT, 5, &ts), ETIMEDOUT), "ETIMEDOUT");
	check(fails(futex((uint32_t *)((char *)&word + 1), FUTEX_WAKE, 1, NULL),
		    EINVAL),
	      "EINVAL");
	check(fails(futex((uint32_t *)16, FUTEX_WAIT, 0, NULL), EFAULT),
	      "EFAULT");
	check(futex(&word, FUTEX_WAKE, 1, NULL) == 0, "wake nobody");
}

int
main(void)
{
	sharing();
	reuse();
	pingpong();
	errors();
	return report("shm");
}
