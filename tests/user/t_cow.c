/*
 * Cases: map_cow, the kernel's half of a library OS's fork.  The root
 * shares pages with a child env it created (not started) and checks
 * what it sees of its own mappings and of the frames' use; the
 * adversarial cases (adv_cow_*) try bad envs and ranges, frames it may
 * not pass on, and a child without quota for its tables.
 */
#include <exo/memlayout.h>

#include "prog.h"
#include "ut.h"

#define NPAGES 3

/* A child env to share with: its id (the case fails on error). */
static long
cow_child(uint64_t quota)
{
	return exo_env_create(quota, 0);
}

/* Writable pages at UT_VA share into the child read-only, and the
 * root's own mappings lose write access: the frames stay in use until
 * the child is gone. */
UTEST(cow_share)
{
	long pa[NPAGES], child = UT_OK(cow_child(64));

	for (unsigned i = 0; i < NPAGES; i++)
		pa[i] = UT_OK(
			ut_page(UT_VA + i * UT_PAGE, EXO_PERM_R | EXO_PERM_W));
	UT_OK(ut_upcalls_on(NULL));
	UT_ASSERT_EQ(exo_map_cow((exo_envid_t)child, UT_VA,
				 UT_VA + NPAGES * UT_PAGE),
		     UT_VA + NPAGES * UT_PAGE);
	for (unsigned i = 0; i < NPAGES; i++) {
		uint64_t va = UT_VA + i * UT_PAGE, v;

		UT_ASSERT(!(exo_pte_perms(ut_leaf(va)) & EXO_PERM_W));
		UT_ASSERT_EQ(ut_try_load(va, &v), 0);
		UT_ASSERT_EQ(ut_try_store(va, 1), 1);
		UT_ASSERT_EQ(exo_pte_addr(ut_leaf(va)), (uint64_t)pa[i]);
	}
	/* Unmapped here, each frame is still the child's to use. */
	for (unsigned i = 0; i < NPAGES; i++) {
		uint64_t va = UT_VA + i * UT_PAGE;

		UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, &va, 1), 1);
		UT_ASSERT_ERR(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa[i]),
			      EXO_EBUSY);
	}
	UT_OK(exo_env_destroy((exo_envid_t)child));
	for (unsigned i = 0; i < NPAGES; i++)
		UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa[i]));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/* One call shares at most EXO_MAP_MAX pages and says where it stopped;
 * a range with no pages is done at once. */
UTEST(cow_batches)
{
	enum { N = EXO_MAP_MAX + 8 };
	long child = UT_OK(cow_child(64));
	uint64_t end = UT_VA + N * UT_PAGE;
	long r;

	for (unsigned i = 0; i < N; i++)
		UT_OK(ut_page(UT_VA + i * UT_PAGE, EXO_PERM_R));
	r = exo_map_cow((exo_envid_t)child, UT_VA, end);
	UT_ASSERT_EQ(r, UT_VA + EXO_MAP_MAX * UT_PAGE);
	UT_ASSERT_EQ(exo_map_cow((exo_envid_t)child, (uint64_t)r, end), end);
	UT_ASSERT_EQ(exo_map_cow((exo_envid_t)child, end, end + UT_PAGE),
		     end + UT_PAGE);
	UT_OK(exo_env_destroy((exo_envid_t)child));
	for (unsigned i = 0; i < N; i++) {
		uint64_t va = UT_VA + i * UT_PAGE;

		UT_OK(ut_unpage(va, exo_pte_addr(ut_leaf(va))));
	}
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/* Bad envs and ranges are refused and change nothing. */
UTEST(adv_cow_arguments)
{
	long child = UT_OK(cow_child(64));
	exo_envid_t c = (exo_envid_t)child;
	long pa = UT_OK(ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W));

	UT_ASSERT_ERR(exo_map_cow(EXO_ENVID_SELF, UT_VA, UT_VA + UT_PAGE),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(exo_env_self(), UT_VA, UT_VA + UT_PAGE),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(c, UT_VA + 1, UT_VA + UT_PAGE), EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(c, UT_VA, UT_VA + 12), EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(c, UT_VA + UT_PAGE, UT_VA), EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(c, 0, UT_VA), EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(c, UT_VA, EXO_USER_END + UT_PAGE),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(c, UT_VA, EXO_UVPT), EXO_EINVAL);
	UT_ASSERT_ERR(exo_map_cow(c, UT_VA, ~0ull << 12), EXO_EINVAL);
	UT_OK(exo_env_destroy(c));
	UT_ASSERT_ERR(exo_map_cow(c, UT_VA, UT_VA + UT_PAGE), EXO_ENOENT);
	/* Nothing was shared: the page is still writable here. */
	UT_ASSERT(exo_pte_perms(ut_leaf(UT_VA)) & EXO_PERM_W);
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/* The initrd's frames, mapped read-only in the root, are not the root's
 * to pass on: the call stops at the first one, at once. */
UTEST(adv_cow_refused)
{
	uint64_t boot = exo_info()->bootfs_addr;
	long child = UT_OK(cow_child(64));

	UT_ASSERT(boot != 0);
	UT_ASSERT_EQ(exo_map_cow((exo_envid_t)child, boot, boot + UT_PAGE),
		     boot);
	UT_OK(exo_env_destroy((exo_envid_t)child));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/* A child whose quota cannot pay for its page tables: -ENOMEM, the
 * root's page untouched. */
UTEST(adv_cow_no_quota)
{
	long child, pa = UT_OK(ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W));
	uint64_t quota = 1;

	/* The smallest quota a child can be made with. */
	while ((child = exo_env_create(quota, 0)) < 0 && quota < 64)
		quota++;
	UT_OK(child);
	UT_ASSERT_ERR(exo_map_cow((exo_envid_t)child, UT_VA, UT_VA + UT_PAGE),
		      EXO_ENOMEM);
	UT_ASSERT(exo_pte_perms(ut_leaf(UT_VA)) & EXO_PERM_W);
	UT_OK(exo_env_destroy((exo_envid_t)child));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/* exo_page_copy: the child gets its own frame with the page's contents,
 * at the same address; later writes on either side stay apart, and the
 * root may look at the child's frame (it controls the child). */
UTEST(page_copy)
{
	long child = UT_OK(cow_child(64));
	exo_envid_t c = (exo_envid_t)child;
	long pa = UT_OK(ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W)), copy;
	volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)UT_VA;
	volatile uint64_t *v =
		(volatile uint64_t *)(uintptr_t)(UT_VA + 16 * UT_PAGE);

	for (unsigned i = 0; i < UT_PAGE / 8; i++)
		w[i] = 0x5eed000000000000ull + i;
	copy = UT_OK(exo_page_copy(c, UT_VA, EXO_PERM_R));
	UT_ASSERT(copy != pa);
	UT_ASSERT_EQ(exo_pte_addr(ut_leaf(UT_VA)), (uint64_t)pa);
	w[0] = 1;
	{
		struct exo_mapping m = { UT_VA + 16 * UT_PAGE, (uint64_t)copy,
					 EXO_PERM_R };
		UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	}
	UT_ASSERT_EQ(v[0], 0x5eed000000000000ull);
	for (unsigned i = 1; i < UT_PAGE / 8; i++)
		UT_ASSERT_EQ(v[i], 0x5eed000000000000ull + i);
	{
		uint64_t va = UT_VA + 16 * UT_PAGE;
		UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, &va, 1), 1);
	}
	/* A second copy replaces the first in the child. */
	UT_OK(exo_page_copy(c, UT_VA, EXO_PERM_R | EXO_PERM_W));
	UT_OK(exo_env_destroy(c));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/* Every bad argument of exo_page_copy, and a child too poor to pay for
 * the frame: an error, nothing charged or mapped, the kernel consistent. */
UTEST(adv_page_copy)
{
	long child = UT_OK(cow_child(64)), poor;
	exo_envid_t c = (exo_envid_t)child;
	long pa = UT_OK(ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W));
	uint64_t quota = 1;
	struct exo_envinfo before, after;

	UT_OK(exo_env_info(c, &before));
	UT_ASSERT_ERR(exo_page_copy(EXO_ENVID_SELF, UT_VA, EXO_PERM_R),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(exo_env_self(), UT_VA, EXO_PERM_R),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(c, UT_VA + 8, EXO_PERM_R), EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(c, 0, EXO_PERM_R), EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(c, EXO_USER_END, EXO_PERM_R), EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(c, EXO_UVPT, EXO_PERM_R), EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(c, ~0ull << 12, EXO_PERM_R), EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(c, UT_VA, EXO_PERM_W), EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_copy(c, UT_VA, EXO_PERM_R | (1ull << 40)),
		      EXO_EINVAL);
	/* Nothing mapped there; the initrd, which is not an env's RAM. */
	UT_ASSERT_ERR(exo_page_copy(c, UT_VA + UT_PAGE, EXO_PERM_R),
		      EXO_EFAULT);
	UT_ASSERT_ERR(exo_page_copy(c, exo_info()->bootfs_addr, EXO_PERM_R),
		      EXO_EFAULT);
	UT_ASSERT_ERR(exo_page_copy(0x7fff, UT_VA, EXO_PERM_R), EXO_ENOENT);
	UT_OK(exo_env_info(c, &after));
	UT_ASSERT_EQ(after.frames_used, before.frames_used);
	while ((poor = exo_env_create(quota, 0)) < 0 && quota < 64)
		quota++;
	UT_OK(poor);
	UT_ASSERT_ERR(exo_page_copy((exo_envid_t)poor, UT_VA, EXO_PERM_R),
		      EXO_ENOMEM);
	UT_OK(exo_env_destroy((exo_envid_t)poor));
	UT_OK(exo_env_destroy(c));
	UT_ASSERT_ERR(exo_page_copy(c, UT_VA, EXO_PERM_R), EXO_ENOENT);
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/* A page a peer has from the root (the frame's owner, which controls the
 * peer's own child) goes on to that child; a page of a sibling's frame,
 * whose owner does not control the child, does not. */
UTEST(cow_from_parent)
{
	struct prog p;
	long mine = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	long sib = UT_OK(exo_env_create(8, 0));
	long theirs = UT_OK(exo_page_alloc((exo_envid_t)sib, EXO_PA_ANY));
	struct exo_mapping m[2] = {
		{ PROG_SCRATCH_VA, (uint64_t)mine, EXO_PERM_R | EXO_PERM_W },
		{ PROG_SCRATCH_VA + UT_PAGE, (uint64_t)theirs, EXO_PERM_R },
	};
	long kid;

	UT_OK(prog_start(&p, "peer", 0, PEER_REMOTE, 64));
	UT_ASSERT_EQ(exo_map(p.env, m, 2), 2);
	kid = prog_remote(&p, EXO_SYS_ENV_CREATE, 16, 0, 0, 0);
	UT_ASSERT(kid > 0);
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_MAP_COW, (uint64_t)kid,
				 PROG_SCRATCH_VA, PROG_SCRATCH_VA + UT_PAGE, 0),
		     PROG_SCRATCH_VA + UT_PAGE);
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_MAP_COW, (uint64_t)kid,
				 PROG_SCRATCH_VA + UT_PAGE,
				 PROG_SCRATCH_VA + 2 * UT_PAGE, 0),
		     PROG_SCRATCH_VA + UT_PAGE);
	/* The root's frame is mapped by the peer and its child now. */
	UT_ASSERT_ERR(exo_page_free(EXO_ENVID_SELF, (uint64_t)mine), EXO_EBUSY);
	UT_OK(prog_end(&p));
	UT_OK(exo_env_destroy((exo_envid_t)sib));
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)mine));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}
