/*
 * The in-kernel test runner, linked only into exo-test.elf.  See ktest.h
 * for the protocol tests/run.sh speaks with it over the console.
 */
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/lib.h>
#include <kernel/printk.h>

extern const struct ktest __ktest_start[], __ktest_end[];

static const struct ktest *current;
static bool failed;

void
ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (failed)
		return;
	failed = true;
	kprintf("FAIL %s: %s:%d: ", current->name, file, line);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}

bool
ktest_failed(void)
{
	return failed;
}

/* Run one case with interrupts off and the timer stopped around it. */
static bool
run_case(const struct ktest *t)
{
	current = t;
	failed = false;
	kprintf("RUN %s\n", t->name);
	t->fn();
	arch_timer_stop();
	arch_irq_disable();
	if (!failed)
		kprintf("PASS %s\n", t->name);
	return !failed;
}

static __noreturn void
finish(int status)
{
	kprintf("EXO-TEST-END\n");
	arch_halt(status);
}

static void
list_cases(void)
{
	for (const struct ktest *t = __ktest_start; t < __ktest_end; t++)
		kprintf("CASE %s %s%s\n", t->name,
			t->flags & KTEST_F_PANICS ? "panics" : "pass",
			t->flags & KTEST_F_ICOUNT ? " icount" : "");
	finish(HALT_SUCCESS);
}

/* Every case that does not end in a panic, in one boot. */
static void
run_all(void)
{
	unsigned pass = 0, fail = 0;

	for (const struct ktest *t = __ktest_start; t < __ktest_end; t++) {
		if (t->flags & KTEST_F_PANICS)
			continue;
		if (run_case(t))
			pass++;
		else
			fail++;
	}
	kprintf("%u passed, %u failed\n", pass, fail);
	finish(fail ? HALT_FAILURE : HALT_SUCCESS);
}

void
ktest_boot(const char *cmdline)
{
	const char *val;
	char name[64];
	int len = cmdline_get(cmdline, "test", &val);

	if (len < 0)
		return;
	if (len >= (int)sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, val, (size_t)len);
	name[len] = '\0';

	if (!strcmp(name, "list"))
		list_cases();
	if (!strcmp(name, "all"))
		run_all();
	for (const struct ktest *t = __ktest_start; t < __ktest_end; t++)
		if (!strcmp(t->name, name))
			finish(run_case(t) ? HALT_SUCCESS : HALT_FAILURE);
	kprintf("FAIL %s: no such test case in this kernel\n", name);
	finish(HALT_FAILURE);
}
