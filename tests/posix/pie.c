/*
 * A static position-independent executable: loaded at a bias, it
 * relocates itself from AT_PHDR; errno (thread-local) must work.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static __thread int tls = 7;

int
main(void)
{
	if ((unsigned long)&main < 0x10000 || tls != 7)
		printf("pie bad: %p %d\n", (void *)&main, tls);
	else if (close(99) != -1 || errno != EBADF)
		printf("pie bad: errno %d\n", errno);
	else
		printf("pie ok\n");
	return 0;
}
