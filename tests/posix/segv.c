/* A fault libos-posix cannot resolve ends the process with SIGSEGV. */
int
main(void)
{
	/* Through a volatile pointer: the compiler may not prove it bad. */
	int *volatile p = (int *)16;

	*p = 1;
	return 0;
}
