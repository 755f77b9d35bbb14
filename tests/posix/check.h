/*
 * The checks the system-call test programs share: record the first that
 * failed (the program prints it), and "this call failed with errno e".
 */
#ifndef TESTS_POSIX_CHECK_H
#define TESTS_POSIX_CHECK_H

#include <errno.h>

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

#endif
