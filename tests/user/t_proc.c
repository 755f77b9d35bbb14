/*
 * Cases: env lifecycle (env_create, env_start, env_destroy, exit, wait),
 * quota accounting, and isolation: a child's fault, endless loop or
 * hostile calls harm nobody else.
 */
#include <exo/arch/elf.h>
#include "ut.h"

#define CHILD_QUOTA 96
#define KERNEL_VA 0xffff800000000000ull
#define SOME_PC 0x400000ull
#define SOME_SP 0x500000ull

static uint64_t
available(void)
{
	const volatile struct exo_envinfo *info = exo_info();

	return info->frames_quota - info->frames_used;
}

/* Spin until *p is nonzero, up to timeout_ns: whether it became so. */
static int
poll_nonzero(volatile uint64_t *p, uint64_t timeout_ns)
{
	uint64_t end = (uint64_t)exo_clock_ns() + timeout_ns;

	while (!*p)
		if ((uint64_t)exo_clock_ns() > end)
			return 0;
	return 1;
}

/* Run one CHILD_EXIT child to the end, so the page tables behind the
 * shared page and exo_spawn's scratch page exist before a case counts
 * frames. */
static long
warm_up(void)
{
	struct ut_child c;
	long r = ut_child_start(&c, CHILD_EXIT, CHILD_QUOTA);

	if (r < 0)
		return r;
	if (ut_wait_child(5 * UT_SECOND) != EXO_NOTIFY_CHILD)
		return -EXO_EAGAIN;
	return ut_child_release(&c);
}

/* A spawned program runs, exits, is reaped, and its quota comes back. */
UTEST(spawn_exit)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct exo_envinfo gone;
	struct ut_child c;
	uint64_t quota, used;

	UT_OK(warm_up());
	quota = info->frames_quota;
	used = info->frames_used;
	UT_OK(ut_child_start(&c, CHILD_EXIT, CHILD_QUOTA));
	UT_ASSERT_EQ(ut_wait_child(5 * UT_SECOND), EXO_NOTIFY_CHILD);
	UT_ASSERT_EQ(c.sh->started, CHILD_MAGIC);
	UT_ASSERT_EQ(c.sh->done, CHILD_MAGIC);
	UT_ASSERT_ERR(exo_env_info(c.env, &gone), EXO_ENOENT);
	UT_OK(ut_child_release(&c));
	UT_ASSERT_EQ(info->frames_quota, quota);
	UT_ASSERT_EQ(info->frames_used, used);
}

/* A created env: its info, as its parent sees it. */
UTEST(env_info_child)
{
	struct exo_envinfo ci;
	long e = UT_OK(exo_env_create(CHILD_QUOTA, 0));

	UT_OK(exo_env_info((exo_envid_t)e, &ci));
	UT_ASSERT_EQ(ci.id, e);
	UT_ASSERT_EQ(ci.parent, exo_env_self());
	UT_ASSERT_EQ(ci.state, EXO_ENV_EMBRYO);
	UT_ASSERT_EQ(ci.frames_quota, CHILD_QUOTA);
	UT_ASSERT(ci.frames_used >= 1 && ci.frames_used <= CHILD_QUOTA);
	UT_ASSERT_EQ(ci.bootfs_size, 0);
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_ERR(exo_env_info((exo_envid_t)e, &ci), EXO_ENOENT);
}

UTEST(env_create_errors)
{
	UT_ASSERT_ERR(exo_env_create(CHILD_QUOTA, 0x80), EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_create(CHILD_QUOTA, ~0ull), EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_create(available() + 1, 0), EXO_ENOMEM);
	UT_ASSERT_ERR(exo_env_create(~0ull, 0), EXO_ENOMEM);
}

/* pc must be a user address. */
UTEST(env_start_bad_pc)
{
	long e = UT_OK(exo_env_create(CHILD_QUOTA, 0));

	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, 0, SOME_SP, 0), EXO_EINVAL);
	UT_ASSERT_ERR(
		exo_env_start((exo_envid_t)e, EXO_USER_MIN - 4, SOME_SP, 0),
		EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, KERNEL_VA, SOME_SP, 0),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, EXO_UVPT, SOME_SP, 0),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, EXO_ENVINFO, SOME_SP, 0),
		      EXO_EINVAL);
	UT_OK(exo_env_destroy((exo_envid_t)e));
}

/* sp must be a user address. */
UTEST(env_start_bad_sp)
{
	long e = UT_OK(exo_env_create(CHILD_QUOTA, 0));

	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, SOME_PC, KERNEL_VA, 0),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, SOME_PC, 0x1000, 0),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, SOME_PC, EXO_UVPT, 0),
		      EXO_EINVAL);
	UT_OK(exo_env_destroy((exo_envid_t)e));
}

/* Only a created, unstarted env starts; a dead one is gone. */
UTEST(env_start_busy_or_gone)
{
	long e = UT_OK(exo_env_create(CHILD_QUOTA, 0));

	UT_ASSERT_ERR(exo_env_start(0xffffffffu, SOME_PC, SOME_SP, 0),
		      EXO_ENOENT);
	/* The caller is running already. */
	UT_ASSERT_ERR(exo_env_start(EXO_ENVID_SELF, SOME_PC, SOME_SP, 0),
		      EXO_EBUSY);
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_ERR(exo_env_start((exo_envid_t)e, SOME_PC, SOME_SP, 0),
		      EXO_ENOENT);
}

UTEST(env_destroy_errors)
{
	long e = UT_OK(exo_env_create(CHILD_QUOTA, 0));

	UT_ASSERT_ERR(exo_env_destroy(0xffffffffu), EXO_ENOENT);
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_ERR(exo_env_destroy((exo_envid_t)e), EXO_ENOENT);
	/* Its parent (the caller) was told. */
	UT_ASSERT_EQ(exo_wait(EXO_NOTIFY_CHILD, 0), EXO_NOTIFY_CHILD);
	UT_ASSERT_EQ(exo_wait(EXO_NOTIFY_CHILD, 0), 0);
}

/* A slot's next env gets a new id; the old one stays dead. */
UTEST(env_id_generation)
{
	struct exo_envinfo ci;
	long a = UT_OK(exo_env_create(CHILD_QUOTA, 0)), b;

	UT_OK(exo_env_destroy((exo_envid_t)a));
	b = UT_OK(exo_env_create(CHILD_QUOTA, 0));
	UT_ASSERT(a != b);
	UT_ASSERT_ERR(exo_env_info((exo_envid_t)a, &ci), EXO_ENOENT);
	UT_ASSERT_ERR(exo_env_destroy((exo_envid_t)a), EXO_ENOENT);
	UT_OK(exo_env_info((exo_envid_t)b, &ci));
	UT_OK(exo_env_destroy((exo_envid_t)b));
}

/* wait: a poll returns nothing pending; a timeout sleeps that long. */
UTEST(wait_timeout)
{
	uint64_t t0;

	UT_ASSERT_EQ(exo_wait(EXO_NOTIFY_CHILD, 0), 0);
	t0 = (uint64_t)exo_clock_ns();
	UT_ASSERT_EQ(exo_wait(EXO_NOTIFY_CHILD, 20000000), 0);
	UT_ASSERT((uint64_t)exo_clock_ns() - t0 >= 20000000);
}

/* With no bit to wait for, wait sleeps until the timeout. */
UTEST(wait_empty_mask_sleeps)
{
	uint64_t t0 = (uint64_t)exo_clock_ns();

	UT_ASSERT_EQ(exo_wait(0, 20000000), 0);
	UT_ASSERT((uint64_t)exo_clock_ns() - t0 >= 20000000);
}

/* A child's quota is all it can own; the kernel survives the attempt. */
UTEST(quota_exhaust)
{
	const unsigned quota = 16;
	long e = UT_OK(exo_env_create(quota, 0)), pa = 0;
	struct exo_envinfo ci;
	unsigned n;

	for (n = 0; n < 2 * quota; n++) {
		pa = exo_page_alloc((exo_envid_t)e, EXO_PA_ANY);
		if (pa < 0)
			break;
	}
	UT_ASSERT_ERR(pa, EXO_ENOMEM);
	UT_ASSERT(n > 0 && n < quota);
	UT_OK(exo_env_info((exo_envid_t)e, &ci));
	UT_ASSERT_EQ(ci.frames_used, quota);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(exo_env_destroy((exo_envid_t)e));
}

/* Physical memory itself runs out: ENOMEM, and all of it comes back. */
UTEST(memory_exhaust)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t quota = info->frames_quota, used = info->frames_used;
	long e = UT_OK(exo_env_create(available(), 0)), pa;
	unsigned long n = 0;

	while ((pa = exo_page_alloc((exo_envid_t)e, EXO_PA_ANY)) >= 0)
		n++;
	UT_ASSERT_ERR(pa, EXO_ENOMEM);
	UT_ASSERT(n > 1000);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_EQ(info->frames_quota, quota);
	UT_ASSERT_EQ(info->frames_used, used);
	pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
}

/* A fault with no upcall handler kills that env only. */
UTEST(fault_kills_child)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct exo_envinfo gone;
	struct ut_child c;
	uint64_t quota;

	UT_OK(warm_up());
	quota = info->frames_quota;
	UT_OK(ut_child_start(&c, CHILD_FAULT, CHILD_QUOTA));
	UT_ASSERT_EQ(ut_wait_child(5 * UT_SECOND), EXO_NOTIFY_CHILD);
	UT_ASSERT_EQ(c.sh->done, CHILD_MAGIC);
	UT_ASSERT_ERR(exo_env_info(c.env, &gone), EXO_ENOENT);
	UT_OK(ut_child_release(&c));
	UT_ASSERT_EQ(info->frames_quota, quota);
}

/* So does a fault whose upcall frame cannot be pushed. */
UTEST(fault_unmapped_upcall_stack)
{
	struct ut_child c;

	UT_OK(ut_child_start(&c, CHILD_FAULT_NO_STACK, CHILD_QUOTA));
	UT_ASSERT_EQ(ut_wait_child(5 * UT_SECOND), EXO_NOTIFY_CHILD);
	UT_ASSERT_EQ(c.sh->results[0], 0);
	UT_ASSERT_EQ(c.sh->done, CHILD_MAGIC);
	UT_OK(ut_child_release(&c));
}

/*
 * A child that never yields is preempted: the root, which spins too,
 * sees it run, sleeps and still wakes, destroys it, and the child stops.
 */
UTEST(spin_preempted)
{
	uint64_t avail = available(), n;
	struct ut_child c;

	UT_OK(ut_child_start(&c, CHILD_SPIN, CHILD_QUOTA));
	/* Its quota is carved out of the root's. */
	UT_ASSERT(available() + CHILD_QUOTA <= avail);
	UT_ASSERT(poll_nonzero(&c.sh->counter, 10 * UT_SECOND));
	n = c.sh->counter;
	ut_sleep(50000000);
	UT_ASSERT(c.sh->counter > n);
	UT_ASSERT_ERR(exo_env_start(c.env, c.entry, c.sp, SHARED_VA),
		      EXO_EBUSY);
	UT_OK(exo_env_destroy(c.env));
	UT_ASSERT_EQ(ut_wait_child(UT_SECOND), EXO_NOTIFY_CHILD);
	n = c.sh->counter;
	ut_sleep(50000000);
	UT_ASSERT_EQ(c.sh->counter, n);
	UT_OK(ut_child_release(&c));
}

/* Destroying an env destroys its descendants, which the root controls
 * too. */
UTEST(destroy_tree)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct exo_envinfo gi;
	struct ut_child c;
	uint64_t quota;
	long g;

	UT_OK(warm_up());
	quota = info->frames_quota;
	UT_OK(ut_child_start(&c, CHILD_GRANDCHILD, CHILD_QUOTA));
	UT_ASSERT(poll_nonzero(&c.sh->done, 10 * UT_SECOND));
	g = (long)c.sh->grandchild;
	UT_ASSERT(g > 0);
	UT_OK(exo_env_info((exo_envid_t)g, &gi));
	UT_ASSERT_EQ(gi.parent, c.env);
	UT_OK(exo_env_destroy(c.env));
	UT_ASSERT_EQ(ut_wait_child(UT_SECOND), EXO_NOTIFY_CHILD);
	UT_ASSERT_ERR(exo_env_info((exo_envid_t)g, &gi), EXO_ENOENT);
	UT_OK(ut_child_release(&c));
	UT_ASSERT_EQ(info->frames_quota, quota);
}

/* A child can do nothing to its parent. */
UTEST(child_cannot_touch_parent)
{
	static const int want[PROBE_COUNT] = {
		[PROBE_ENV_INFO] = EXO_EPERM,
		[PROBE_ENV_DESTROY] = EXO_EPERM,
		[PROBE_ENV_START] = EXO_EPERM,
		[PROBE_SET_UPCALL] = EXO_EPERM,
		[PROBE_PAGE_ALLOC] = EXO_EPERM,
		[PROBE_PAGE_FREE_OWN] = EXO_EPERM,
		[PROBE_PAGE_FREE_PARENT] = EXO_EPERM,
		[PROBE_MAP_FRAME] = EXO_EPERM,
		[PROBE_MAP_PARENT] = EXO_EPERM,
		[PROBE_UNMAP_PARENT] = EXO_EPERM,
		[PROBE_CAP_ENV] = EXO_EPERM,
		[PROBE_CONS_EMPTY_CAP] = EXO_ENOENT,
		[PROBE_HALT] = EXO_ENOENT,
		[PROBE_KCHECK] = EXO_ENOENT,
	};
	struct ut_child c;
	long pa = UT_OK(ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W));

	*(volatile uint64_t *)(uintptr_t)UT_VA = 0x5a5a;
	UT_OK(ut_child_load(&c, CHILD_PROBE_PARENT, CHILD_QUOTA));
	c.sh->parent_pa = (uint64_t)pa;
	c.sh->parent_va = UT_VA;
	UT_OK(ut_child_run(&c));
	UT_ASSERT_EQ(ut_wait_child(5 * UT_SECOND), EXO_NOTIFY_CHILD);
	UT_ASSERT_EQ(c.sh->done, CHILD_MAGIC);
	for (unsigned i = 0; i < PROBE_COUNT; i++)
		if (c.sh->results[i] != -want[i]) {
			utest_fail(__FILE__, __LINE__,
				   "child's probe %u returned %ld, want -%s", i,
				   (long)c.sh->results[i],
				   exo_strerror(want[i]));
			return;
		}
	/* The parent's page is intact and still mapped. */
	UT_ASSERT_EQ(*(volatile uint64_t *)(uintptr_t)UT_VA, 0x5a5a);
	UT_OK(ut_child_release(&c));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}

/* exo_spawn passes the console on: the child prints. */
UTEST(child_console)
{
	struct ut_child c;

	UT_OK(ut_child_start(&c, CHILD_PRINT, CHILD_QUOTA));
	UT_ASSERT_EQ(ut_wait_child(5 * UT_SECOND), EXO_NOTIFY_CHILD);
	UT_ASSERT_EQ(c.sh->done, CHILD_MAGIC);
	UT_ASSERT_EQ(c.sh->results[0], sizeof(CHILD_PRINT_MSG) - 1);
	UT_OK(ut_child_release(&c));
}

/* A malformed image is refused before any env exists. */
UTEST(spawn_bad_image)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t quota = info->frames_quota, used = info->frames_used;
	struct exo_cpio_file f;
	struct exo_elf e;
	uint64_t end = 0;

	UT_OK(exo_bootfs_find("child", &f));
	UT_OK(exo_elf_parse(f.data, f.size, EXO_ELF_MACHINE, EXO_USER_MIN,
			    EXO_SPAWN_STACK_BOTTOM, &e));
	for (unsigned i = 0; i < e.nsegs; i++)
		if (e.seg[i].offset + e.seg[i].filesz > end)
			end = e.seg[i].offset + e.seg[i].filesz;
	/* The last byte of the last segment cut off. */
	UT_ASSERT_ERR(exo_spawn(f.data, end - 1, CHILD_QUOTA, 0, 0),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_spawn(f.data, 63, CHILD_QUOTA, 0, 0), EXO_EINVAL);
	UT_ASSERT_ERR(exo_spawn("\177ELF", 4, CHILD_QUOTA, 0, 0), EXO_EINVAL);
	UT_ASSERT_ERR(exo_bootfs_find("no-such-file", &f), EXO_ENOENT);
	UT_ASSERT_EQ(info->frames_quota, quota);
	UT_ASSERT_EQ(info->frames_used, used);
	UT_ASSERT_EQ(exo_wait(EXO_NOTIFY_CHILD, 0), 0);
}

/* A child too small for its image is refused, and leaves nothing. */
UTEST(spawn_quota_too_small)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct exo_cpio_file f;
	uint64_t quota;

	UT_OK(warm_up());
	quota = info->frames_quota;
	UT_OK(exo_bootfs_find("child", &f));
	UT_ASSERT_ERR(exo_spawn(f.data, f.size, 8, 0, 0), EXO_ENOMEM);
	UT_ASSERT_EQ(info->frames_quota, quota);
	exo_wait(EXO_NOTIFY_CHILD, 0);
}

/* Env slots run out: ENOMEM, and every slot comes back. */
UTEST(env_slots_exhaust)
{
	static long ids[1024];
	unsigned n = 0;
	long e;

	while (n < 1024 && (e = exo_env_create(8, 0)) >= 0)
		ids[n++] = e;
	UT_ASSERT_ERR(e, EXO_ENOMEM);
	UT_ASSERT(n >= 8);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	for (unsigned i = 0; i < n; i++)
		UT_OK(exo_env_destroy((exo_envid_t)ids[i]));
	e = UT_OK(exo_env_create(8, 0));
	UT_OK(exo_env_destroy((exo_envid_t)e));
}

/* The capability table fills up: ENOMEM, then every slot comes back. */
UTEST(cap_table_full)
{
	static long caps[EXO_NCAPS + 1];
	unsigned n = 0;
	long c;

	while (n <= EXO_NCAPS &&
	       (c = exo_cap_derive(EXO_CAP_CONSOLE, EXO_RIGHTS_ALL)) >= 0)
		caps[n++] = c;
	UT_ASSERT_ERR(c, EXO_ENOMEM);
	UT_ASSERT(n > 0 && n < EXO_NCAPS);
	for (unsigned i = 0; i < n; i++)
		UT_OK(exo_cap_drop((exo_cap_t)caps[i]));
	c = UT_OK(exo_cap_derive(EXO_CAP_CONSOLE, EXO_RIGHTS_ALL));
	UT_OK(exo_cap_drop((exo_cap_t)c));
}

UTEST(cap_errors)
{
	struct exo_cap_info ci;
	long c;

	UT_ASSERT_ERR(exo_cap_drop(50), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_drop(EXO_NCAPS), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_derive(50, EXO_RIGHTS_ALL), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_info(50, &ci), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_info(EXO_CAP_CONSOLE, NULL), EXO_EFAULT);
	/* Derived rights are at most the original's. */
	c = UT_OK(exo_cap_derive(EXO_CAP_CONSOLE, EXO_RIGHT_WRITE));
	UT_OK(exo_cap_info((exo_cap_t)c, &ci));
	UT_ASSERT_EQ(ci.type, EXO_CT_CONSOLE);
	UT_ASSERT_EQ(ci.rights, EXO_RIGHT_WRITE);
	UT_OK(exo_cap_drop((exo_cap_t)c));
	UT_ASSERT_ERR(exo_cap_info((exo_cap_t)c, &ci), EXO_ENOENT);
}
