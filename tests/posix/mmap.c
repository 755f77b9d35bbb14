/*
 * Private file mappings: a ramfs file's bytes at any page offset, a
 * writable private copy that leaves the file alone, the tail of the
 * last page zero, and the errors (EBADF, ENODEV, EACCES, EINVAL).
 * Prints "mmap ok" or the first failure.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096

static char buf[2 * PAGE + 100];

int
main(void)
{
	int fd = open("/mm", O_RDWR | O_CREAT | O_TRUNC, 0644), fds[2], wr;
	char *p, *q, c = 0;

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	check(write(fd, buf, sizeof(buf)) == (long)sizeof(buf), "write");
	p = mmap(NULL, sizeof(buf), PROT_READ, MAP_PRIVATE, fd, 0);
	check(p != MAP_FAILED && !memcmp(p, buf, sizeof(buf)), "whole file");
	check(p != MAP_FAILED && p[sizeof(buf)] == 0 && p[3 * PAGE - 1] == 0,
	      "tail not zero");
	q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);
	check(q != MAP_FAILED && !memcmp(q, buf + PAGE, PAGE), "offset");
	if (q != MAP_FAILED)
		q[0] = '!';
	check(lseek(fd, PAGE, SEEK_SET) == PAGE && read(fd, &c, 1) == 1 &&
		      c == buf[PAGE],
	      "a private write reached the file");
	check(munmap(p, sizeof(buf)) == 0 && munmap(q, PAGE) == 0, "munmap");
	check(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED &&
		      errno == EBADF,
	      "EBADF");
	pipe(fds);
	check(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fds[0], 0) ==
			      MAP_FAILED &&
		      errno == ENODEV,
	      "ENODEV");
	wr = open("/mm", O_WRONLY);
	check(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wr, 0) == MAP_FAILED &&
		      errno == EACCES,
	      "EACCES");
	check(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED &&
		      errno == EINVAL,
	      "EINVAL");
	return report("mmap");
}
