/*
 * Memory system calls: brk, anonymous mmap, munmap, mprotect, and the
 * error paths of each.  Prints "mem ok" or the first failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MB (1024 * 1024)

static int
fail(const char *what)
{
	printf("mem bad: %s (errno %d)\n", what, errno);
	return 1;
}

/* Every byte of p[0..n) is c. */
static int
all(const unsigned char *p, size_t n, int c)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* The raw system call: musl's sbrk only reads the break. */
static char *
sys_brk(char *to)
{
	return (char *)syscall(SYS_brk, to);
}

static int
check_brk(void)
{
	char *a = sys_brk(NULL);

	if (sys_brk(a + 256 * 1024) != a + 256 * 1024)
		return fail("brk grow");
	memset(a, 0x5a, 256 * 1024);
	if (sys_brk(a) != a || sys_brk(NULL) != a)
		return fail("brk shrink");
	if (sys_brk(a + 4096) != a + 4096 || !all((unsigned char *)a, 4096, 0))
		return fail("brk zeroed again");
	if (sys_brk(a - 1024 * 1024 * 1024) != a + 4096)
		return fail("brk below its start");
	return 0;
}

static int
check_mmap(void)
{
	unsigned char *p = mmap(NULL, 4 * MB, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		      *q;

	if (p == MAP_FAILED || !all(p, 4 * MB, 0))
		return fail("mmap");
	memset(p, 0xa5, 4 * MB);
	/* A fixed mapping over the middle replaces it with zeroes. */
	q = mmap(p + MB, MB, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (q != p + MB || !all(q, MB, 0) || !all(p, MB, 0xa5) ||
	    !all(p + 2 * MB, 2 * MB, 0xa5))
		return fail("MAP_FIXED");
	if (munmap(p, 4 * MB) != 0)
		return fail("munmap");
	if (munmap(p + 1, 4096) != -1 || errno != EINVAL)
		return fail("munmap EINVAL");
	if (mprotect(p, 4096, PROT_READ) != -1 || errno != ENOMEM)
		return fail("mprotect ENOMEM");
	if (mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
		    MAP_FAILED ||
	    errno != EINVAL)
		return fail("mmap EINVAL");
	return 0;
}

static int
check_mprotect(void)
{
	unsigned char *p = mmap(NULL, 65536, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *big;

	if (p == MAP_FAILED || mprotect(p, 65536, PROT_READ | PROT_WRITE))
		return fail("mprotect");
	memset(p, 7, 65536);
	if (mprotect(p, 4096, PROT_READ) || p[0] != 7 || munmap(p, 65536))
		return fail("mprotect read-only");
	big = malloc(16 * MB);
	if (!big)
		return fail("malloc");
	memset(big, 1, 16 * MB);
	free(big);
	return 0;
}

int
main(void)
{
	if (check_brk() || check_mmap() || check_mprotect())
		return 1;
	printf("mem ok\n");
	return 0;
}
