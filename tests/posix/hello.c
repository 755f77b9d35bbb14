/* The smallest Linux program: stdio on fd 1. */
#include <stdio.h>

int
main(void)
{
	printf("hello, world\n");
	return 0;
}
