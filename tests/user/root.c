/*
 * The test root env: the first env the kernel starts from the test
 * initrd.  It runs the case named by "test=NAME" on the kernel command
 * line (utest.h describes the protocol), checks the kernel's invariants
 * after it, and stops the machine with the result.
 */
#include <exo/fmt.h>
#include <exo/string.h>
#include "utest.h"

#define TEST_NAME_MAX 64

extern const struct utest __start_utest_cases[], __stop_utest_cases[];

static const struct utest *current;
static int failed;

void
utest_fail(const char *file, int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (failed)
		return;
	failed = 1;
	va_start(ap, fmt);
	exo_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* One write, so kernel log lines cannot split it. */
	exo_printf("FAIL %s: %s:%d: %s\n", current->name, file, line, why);
}

static __attribute__((noreturn)) void
finish(int status)
{
	long r;

	exo_printf("EXO-TEST-END\n");
	r = exo_halt(EXO_CAP_MACHINE, status);
	exo_panic("exo_halt failed: %s", exo_strerror(r));
}

void
utest_abort(void)
{
	finish(1);
}

/* Run one case, then the kernel's own consistency check. */
static int
run_case(const struct utest *t)
{
	long r;

	current = t;
	failed = 0;
	/* Cases start alike even in one boot: no notification left over. */
	exo_wait(~0ull, 0);
	exo_printf("RUN %s\n", t->name);
	t->fn();
	r = exo_kcheck(EXO_CAP_MACHINE);
	if (r != 0)
		utest_fail(__FILE__, __LINE__,
			   "kernel invariants: exo_kcheck = %ld (%s)", r,
			   exo_strerror(r));
	if (!failed)
		exo_printf("PASS %s\n", t->name);
	return !failed;
}

static void
run_all(void)
{
	unsigned pass = 0, fail = 0;

	for (const struct utest *t = __start_utest_cases;
	     t < __stop_utest_cases; t++) {
		if (run_case(t))
			pass++;
		else
			fail++;
	}
	exo_printf("%u passed, %u failed\n", pass, fail);
	finish(fail ? 1 : 0);
}

/* The value of "test=" on the command line into name; 0 if absent. */
static int
find_test_arg(char name[TEST_NAME_MAX])
{
	char cmd[EXO_CMDLINE_MAX];
	const volatile char *src = exo_info()->cmdline;
	const char *p = cmd;
	size_t i, n;

	for (i = 0; i < sizeof(cmd) - 1 && src[i]; i++)
		cmd[i] = src[i];
	cmd[i] = '\0';
	while (*p) {
		for (n = 0; p[n] && p[n] != ' '; n++)
			;
		if (n > 5 && !strncmp(p, "test=", 5)) {
			n -= 5;
			if (n >= TEST_NAME_MAX)
				n = TEST_NAME_MAX - 1;
			memcpy(name, p + 5, n);
			name[n] = '\0';
			return 1;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

int
main(uint64_t arg)
{
	char name[TEST_NAME_MAX];

	if (!find_test_arg(name)) {
		exo_printf("root: no test=NAME on the command line; running "
			   "every case\n");
		run_all();
	}
	if (!strcmp(name, "list")) {
		for (const struct utest *t = __start_utest_cases;
		     t < __stop_utest_cases; t++)
			exo_printf("CASE %s\n", t->name);
		finish(0);
	}
	if (!strcmp(name, "all"))
		run_all();
	for (const struct utest *t = __start_utest_cases;
	     t < __stop_utest_cases; t++)
		if (!strcmp(t->name, name))
			finish(run_case(t) ? 0 : 1);
	exo_printf("FAIL %s: no such test case in the test root env\n", name);
	finish(1);
}
