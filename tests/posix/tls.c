/* Thread-local storage: the thread pointer the C library sets up at
 * start (arch_prctl on x86_64, TPIDR_EL0 on aarch64). */
#include <stdio.h>

static __thread int t = 42;
static __thread int u;

int
main(void)
{
	u = t + 1;
	printf("tls %d %d\n", t, u);
	return 0;
}
