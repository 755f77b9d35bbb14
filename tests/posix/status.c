/* The exit status reaches whoever waits. */
int
main(void)
{
	return 42;
}
