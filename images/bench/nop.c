/*
 * nop: the program env_create_destroy starts in each new env; it exits at
 * once.  It links nothing but libexo's start and exit.
 */
#include <stdint.h>

int
main(uint64_t arg)
{
	return 0;
}
