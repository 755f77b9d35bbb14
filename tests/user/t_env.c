/*
 * Cases: the caller's identity and its info page (env_self, env_info,
 * the read-only page at EXO_ENVINFO), and the console (cons_write).
 */
#include <exo/string.h>
#include "ut.h"

#define EMPTY_CAP 50 /* a slot the root env never fills */
#define KERNEL_VA 0xffff800000000000ull

/* The id is valid, the info page names it, and the root has no parent. */
UTEST(env_self)
{
	const volatile struct exo_envinfo *info = exo_info();
	long id = exo_env_self();

	UT_ASSERT(id > 0);
	UT_ASSERT_EQ(info->id, id);
	UT_ASSERT_EQ(info->parent, 0);
	UT_ASSERT_EQ(info->state, EXO_ENV_RUNNABLE);
	UT_ASSERT(info->frames_used > 0);
	UT_ASSERT(info->frames_used <= info->frames_quota);
	/* The root gets the kernel command line, NUL-terminated. */
	UT_ASSERT(strnlen((const char *)info->cmdline, EXO_CMDLINE_MAX) <
		  EXO_CMDLINE_MAX);
}

/* exo_env_info copies what the info page shows. */
UTEST(env_info_copy)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct exo_envinfo copy;
	long id = exo_env_self();

	memset(&copy, 0xa5, sizeof(copy));
	UT_OK(exo_env_info(EXO_ENVID_SELF, &copy));
	UT_ASSERT_EQ(copy.id, id);
	UT_ASSERT_EQ(copy.parent, info->parent);
	UT_ASSERT_EQ(copy.frames_quota, info->frames_quota);
	UT_ASSERT_EQ(copy.bootfs_size, info->bootfs_size);
	UT_ASSERT(copy.counters.syscalls > 0);
	memset(&copy, 0xa5, sizeof(copy));
	UT_OK(exo_env_info((exo_envid_t)id, &copy));
	UT_ASSERT_EQ(copy.id, id);
}

UTEST(env_info_errors)
{
	struct exo_envinfo out;
	long id = exo_env_self();

	UT_ASSERT_ERR(exo_env_info(EXO_ENVID_SELF, NULL), EXO_EFAULT);
	UT_ASSERT_ERR(
		exo_env_info(EXO_ENVID_SELF, (void *)(uintptr_t)KERNEL_VA),
		EXO_EFAULT);
	/* Read-only: the kernel must not write through it for the env. */
	UT_ASSERT_ERR(
		exo_env_info(EXO_ENVID_SELF, (void *)(uintptr_t)EXO_ENVINFO),
		EXO_EFAULT);
	UT_ASSERT_ERR(exo_env_info(EXO_ENVID_SELF, (void *)(uintptr_t)UT_VA),
		      EXO_EFAULT);
	/* A stale generation of this env's own slot names nobody. */
	UT_ASSERT_ERR(exo_env_info((exo_envid_t)id + 0x10000, &out),
		      EXO_ENOENT);
	UT_ASSERT_ERR(exo_env_info(0xffffffffu, &out), EXO_ENOENT);
}

/* Calls are counted in the info page as they happen. */
UTEST(envinfo_counters)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t before = info->counters.syscalls;

	for (int i = 0; i < 10; i++)
		exo_env_self();
	UT_ASSERT(info->counters.syscalls >= before + 10);
}

/* A write to the info page faults as a write to a present page, at the
 * address written, and changes nothing. */
UTEST(envinfo_readonly)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t target = EXO_ENVINFO + 8;
	uint64_t old = *(volatile uint64_t *)(uintptr_t)target;

	UT_OK(ut_upcalls_on(NULL));
	UT_ASSERT_EQ(ut_try_store(target, 0x1234), 1);
	UT_ASSERT_EQ(ut_fault.type, EXO_UPCALL_FAULT);
	UT_ASSERT_EQ(ut_fault.fault, EXO_FAULT_PAGE);
	UT_ASSERT_EQ(ut_fault.flags & (EXO_PF_WRITE | EXO_PF_PRESENT),
		     EXO_PF_WRITE | EXO_PF_PRESENT);
	UT_ASSERT_EQ(ut_fault.addr, target);
	UT_ASSERT_EQ(ut_fault.pc, (uint64_t)(uintptr_t)ut_probe_store);
	UT_ASSERT_EQ(*(volatile uint64_t *)(uintptr_t)target, old);
	UT_ASSERT(info->counters.faults >= 1);
}

UTEST(cons_write)
{
	static const char msg[] = "cons_write: hello from the root env\n";

	UT_ASSERT_EQ(exo_cons_write(EXO_CAP_CONSOLE, msg, sizeof(msg) - 1),
		     sizeof(msg) - 1);
	UT_ASSERT_EQ(exo_cons_write(EXO_CAP_CONSOLE, msg, 0), 0);
}

UTEST(cons_write_efault)
{
	const char *end = (const char *)(uintptr_t)EXO_USER_TOP;

	UT_ASSERT_ERR(exo_cons_write(EXO_CAP_CONSOLE, NULL, 4), EXO_EFAULT);
	UT_ASSERT_ERR(exo_cons_write(EXO_CAP_CONSOLE,
				     (const char *)(uintptr_t)KERNEL_VA, 4),
		      EXO_EFAULT);
	UT_ASSERT_ERR(exo_cons_write(EXO_CAP_CONSOLE,
				     (const char *)(uintptr_t)UT_VA, 4),
		      EXO_EFAULT);
	/* Runs past the end of the user half, or wraps. */
	UT_ASSERT_ERR(exo_cons_write(EXO_CAP_CONSOLE, end - 8, 16), EXO_EFAULT);
	UT_ASSERT_ERR(exo_cons_write(EXO_CAP_CONSOLE, "abc", ~0ull),
		      EXO_EFAULT);
	UT_ASSERT_ERR(exo_cons_write(EXO_CAP_CONSOLE, "abc", 1ull << 47),
		      EXO_EFAULT);
}

UTEST(cons_write_bad_cap)
{
	long cap;

	UT_ASSERT_ERR(exo_cons_write(EMPTY_CAP, "x", 1), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cons_write(EXO_NCAPS, "x", 1), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cons_write(0xffffffffu, "x", 1), EXO_ENOENT);
	/* A capability of another type names no console. */
	UT_ASSERT_ERR(exo_cons_write(EXO_CAP_MACHINE, "x", 1), EXO_ENOENT);
	/* A console capability without the write right. */
	cap = UT_OK(exo_cap_derive(EXO_CAP_CONSOLE, EXO_RIGHT_READ));
	UT_ASSERT_ERR(exo_cons_write((exo_cap_t)cap, "x", 1), EXO_EPERM);
	UT_OK(exo_cap_drop((exo_cap_t)cap));
	UT_ASSERT_ERR(exo_cons_write((exo_cap_t)cap, "x", 1), EXO_ENOENT);
}

/* kcheck and halt need the MACHINE capability; one of another type
 * names no machine. */
UTEST(machine_cap_errors)
{
	long cap;

	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_ASSERT_ERR(exo_kcheck(EMPTY_CAP), EXO_ENOENT);
	UT_ASSERT_ERR(exo_kcheck(EXO_CAP_CONSOLE), EXO_ENOENT);
	/* A wrong halt would stop the machine without a PASS line. */
	UT_ASSERT_ERR(exo_halt(EMPTY_CAP, 1), EXO_ENOENT);
	UT_ASSERT_ERR(exo_halt(EXO_CAP_CONSOLE, 1), EXO_ENOENT);
	/* Without the use right. */
	cap = UT_OK(exo_cap_derive(EXO_CAP_MACHINE, EXO_RIGHT_READ));
	UT_ASSERT_ERR(exo_halt((exo_cap_t)cap, 1), EXO_EPERM);
	UT_ASSERT_ERR(exo_kcheck((exo_cap_t)cap), EXO_EPERM);
	UT_OK(exo_cap_drop((exo_cap_t)cap));
}

/* libexo's console output follows exo_set_console, errors included. */
UTEST(libexo_console)
{
	long ro = UT_OK(exo_cap_derive(EXO_CAP_CONSOLE, EXO_RIGHT_READ));

	UT_ASSERT_EQ(exo_console(), EXO_CAP_CONSOLE);
	UT_ASSERT_EQ(exo_printf("libexo: %s %d\n", "printf", 42), 18);
	UT_ASSERT_EQ(exo_puts("libexo: puts"), 0);
	exo_set_console((exo_cap_t)ro);
	UT_ASSERT_ERR(exo_printf("not printed\n"), EXO_EPERM);
	UT_ASSERT_ERR(exo_puts("not printed"), EXO_EPERM);
	exo_set_console(EXO_CAP_CONSOLE);
	UT_OK(exo_cap_drop((exo_cap_t)ro));
}
