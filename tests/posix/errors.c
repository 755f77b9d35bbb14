/*
 * Error paths: a bad pointer is EFAULT, a closed fd EBADF, and a system
 * call libos-posix lacks is ENOSYS (logged once, however often made).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(void)
{
	/* Through a volatile pointer: the compiler may not prove it bad. */
	const void *volatile unmapped = (const void *)16;
	const char *bad = NULL;

	if (write(1, unmapped, 4) != -1 || errno != EFAULT)
		bad = "EFAULT";
	else if (write(7, "x", 1) != -1 || errno != EBADF)
		bad = "EBADF";
	else if (syscall(SYS_acct, 0) != -1 || errno != ENOSYS)
		bad = "ENOSYS";
	else if (syscall(SYS_acct, 0) != -1 || errno != ENOSYS)
		bad = "ENOSYS again";
	if (bad)
		printf("errors bad: %s (errno %d)\n", bad, errno);
	else
		printf("errors ok\n");
	return 0;
}
