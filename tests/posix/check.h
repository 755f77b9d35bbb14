/*
 * The checks the system-call test programs share: record the first that
 * failed, "this call failed with errno e", and the report at the end.
 */
#ifndef TESTS_POSIX_CHECK_H
#define TESTS_POSIX_CHECK_H

#include <errno.h>
#include <string.h>
#include <unistd.h>

static const char *bad;

static inline void
check(int ok, const char *what)
{
	if (!ok && !bad)
		bad = what;
}

static inline int
fails(long r, int e)
{
	return r == -1 && errno == e;
}

/* The program's last words: "NAME ok", or "NAME bad: " and the first
 * failed check; its exit status. */
static inline int
report(const char *name)
{
	write(1, name, strlen(name));
	if (!bad) {
		write(1, " ok\n", 4);
		return 0;
	}
	write(1, " bad: ", 6);
	write(1, bad, strlen(bad));
	write(1, "\n", 1);
	return 1;
}

#endif
