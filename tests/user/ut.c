/*
 * Helpers shared by the test root env's cases (see ut.h).
 */
#include <exo/string.h>
#include "ut.h"

volatile struct ut_fault ut_fault;

static ut_hook_fn *hook;
static volatile int probe_armed;
static unsigned char upcall_stack[32768] __attribute__((aligned(16)));

/* Every upcall of the root env comes here. */
static void
handler(struct exo_upcall_frame *f)
{
	ut_fault.count++;
	ut_fault.type = f->type;
	ut_fault.fault = f->fault;
	ut_fault.flags = f->flags;
	ut_fault.addr = f->addr;
	ut_fault.pc = EXO_REGS_PC(&f->regs);
	if (hook && hook(f))
		return;
	if (probe_armed && f->type == EXO_UPCALL_FAULT) {
		/* Resume in the probe's fixup, which returns 1. */
		probe_armed = 0;
		EXO_REGS_PC(&f->regs) = (uint64_t)(uintptr_t)ut_probe_fixup;
		return;
	}
	utest_fail(__FILE__, __LINE__,
		   "unexpected upcall: type %lu fault %lu flags %#lx addr %#lx "
		   "pc %#lx",
		   (unsigned long)f->type, (unsigned long)f->fault,
		   (unsigned long)f->flags, (unsigned long)f->addr,
		   (unsigned long)EXO_REGS_PC(&f->regs));
	utest_abort();
}

int
ut_upcalls_on(ut_hook_fn *fn)
{
	hook = fn;
	memset((void *)&ut_fault, 0, sizeof(ut_fault));
	return exo_upcall_init(handler, upcall_stack, sizeof(upcall_stack));
}

int
ut_try_load(uint64_t addr, uint64_t *val)
{
	int r;

	probe_armed = 1;
	r = ut_probe_load(addr, val);
	probe_armed = 0;
	return r;
}

int
ut_try_store(uint64_t addr, uint64_t val)
{
	int r;

	probe_armed = 1;
	r = ut_probe_store(addr, val);
	probe_armed = 0;
	return r;
}

int
ut_try_call(uint64_t addr)
{
	int r;

	probe_armed = 1;
	r = ut_probe_call(addr);
	probe_armed = 0;
	return r;
}

uint64_t
ut_leaf(uint64_t va)
{
	for (unsigned level = 0; level < 3; level++) {
		uint64_t e = *(volatile uint64_t *)(uintptr_t)exo_uvpt_pte(
			va, level);

		if (!exo_pte_valid(e))
			return 0;
	}
	return *(volatile uint64_t *)(uintptr_t)exo_uvpt_pte(va, 3);
}

long
ut_page(uint64_t va, unsigned perms)
{
	long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	struct exo_mapping m = { va, (uint64_t)pa, perms };
	long r;

	if (pa < 0)
		return pa;
	r = exo_map(EXO_ENVID_SELF, &m, 1);
	if (r < 0) {
		exo_page_free(EXO_ENVID_SELF, (uint64_t)pa);
		return r;
	}
	return pa;
}

long
ut_unpage(uint64_t va, uint64_t pa)
{
	long r = exo_unmap(EXO_ENVID_SELF, &va, 1);

	return r < 0 ? r : exo_page_free(EXO_ENVID_SELF, pa);
}

long
ut_child_load(struct ut_child *c, enum child_mode mode, uint64_t frame_quota)
{
	struct exo_cpio_file f;
	struct exo_spawn s;
	struct exo_mapping m;
	long r = exo_bootfs_find("child", &f);

	if (r < 0)
		return r;
	exo_wait(EXO_NOTIFY_CHILD, 0);
	r = ut_page(SHARED_VA, EXO_PERM_R | EXO_PERM_W);
	if (r < 0)
		return r;
	c->shared_pa = (uint64_t)r;
	c->sh = (volatile struct shared *)(uintptr_t)SHARED_VA;
	c->sh->mode = mode;
	c->sh->parent = (uint64_t)exo_env_self();

	r = exo_spawn_load(f.data, f.size, frame_quota, 0, &s);
	if (r < 0)
		goto out_page;
	m = (struct exo_mapping){ SHARED_VA, c->shared_pa,
				  EXO_PERM_R | EXO_PERM_W };
	r = exo_map(s.env, &m, 1);
	if (r < 0) {
		exo_env_destroy(s.env);
		exo_wait(EXO_NOTIFY_CHILD, 0);
		goto out_page;
	}
	c->env = s.env;
	c->entry = s.entry;
	c->sp = s.sp;
	return 0;

out_page:
	ut_unpage(SHARED_VA, c->shared_pa);
	return r;
}

long
ut_child_run(struct ut_child *c)
{
	long r = exo_env_start(c->env, c->entry, c->sp, SHARED_VA);

	if (r < 0) {
		exo_env_destroy(c->env);
		exo_wait(EXO_NOTIFY_CHILD, 0);
		ut_unpage(SHARED_VA, c->shared_pa);
	}
	return r;
}

long
ut_child_start(struct ut_child *c, enum child_mode mode, uint64_t frame_quota)
{
	long r = ut_child_load(c, mode, frame_quota);

	return r < 0 ? r : ut_child_run(c);
}

uint64_t
ut_wait_child(uint64_t timeout_ns)
{
	return (uint64_t)exo_wait(EXO_NOTIFY_CHILD, timeout_ns);
}

void
ut_sleep(uint64_t ns)
{
	exo_wait(1, ns);
}

long
ut_child_release(struct ut_child *c)
{
	return ut_unpage(SHARED_VA, c->shared_pa);
}

const uint64_t ut_bad_words[UT_NBAD_WORDS] = {
	4,
	EXO_USER_MIN - 4,
	UT_VA + 16 * UT_PAGE,
	EXO_ENVINFO,
	EXO_UVPT,
	EXO_USER_TOP - 4,
	EXO_USER_TOP,
	0x0000900000000000ull,
	0xffff800000000000ull,
	0xffffffff80000000ull,
	~0ull - 3,
};

const uint64_t ut_misaligned_words[UT_NMISALIGNED_WORDS] = {
	UT_VA + 1, UT_VA + 2, UT_VA + 3, UT_VA + 4094, ~0ull,
};
