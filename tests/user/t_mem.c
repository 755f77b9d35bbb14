/*
 * Cases: physical pages and mappings (page_alloc, page_free, map, unmap)
 * and the read-only self-map of the page tables at EXO_UVPT.
 */
#include "ut.h"

#define RW (EXO_PERM_R | EXO_PERM_W)
#define KERNEL_VA 0xffff800000000000ull
/* Far beyond the 256 MiB of RAM of either QEMU machine. */
#define NOT_RAM 0x00007f0000000000ull

static volatile uint64_t *
word(uint64_t va)
{
	return (volatile uint64_t *)(uintptr_t)va;
}

/* A new frame is zeroed, charged to the quota, and readable and
 * writable where it is mapped. */
UTEST(page_alloc_map)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t used = info->frames_used;
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	struct exo_mapping m = { UT_VA, (uint64_t)pa, RW };

	UT_ASSERT_EQ(pa % UT_PAGE, 0);
	UT_ASSERT_EQ(info->frames_used, used + 1);
	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	for (uint64_t off = 0; off < UT_PAGE; off += 8)
		UT_ASSERT_EQ(*word(UT_VA + off), 0);
	for (uint64_t off = 0; off < UT_PAGE; off += 8)
		*word(UT_VA + off) = off * 0x9e3779b97f4a7c15ull;
	for (uint64_t off = 0; off < UT_PAGE; off += 8)
		UT_ASSERT_EQ(*word(UT_VA + off), off * 0x9e3779b97f4a7c15ull);
	used = info->frames_used;
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
	UT_ASSERT_EQ(info->frames_used, used - 1);
}

/* The same frame mapped twice shows the same bytes. */
UTEST(map_alias)
{
	long pa = UT_OK(ut_page(UT_VA, RW));
	struct exo_mapping m = { UT_VA + 0x200000, (uint64_t)pa, EXO_PERM_R };
	uint64_t vas[2] = { UT_VA, UT_VA + 0x200000 };

	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	*word(UT_VA + 64) = 0xabcdef;
	UT_ASSERT_EQ(*word(UT_VA + 0x200000 + 64), 0xabcdef);
	UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, vas, 2), 2);
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
}

/* After unmap, a read faults as not present, at the address read. */
UTEST(unmapped_access_faults)
{
	uint64_t val = 0;
	long pa = UT_OK(ut_page(UT_VA, RW));

	UT_OK(ut_upcalls_on(NULL));
	UT_ASSERT_EQ(ut_try_load(UT_VA + 24, &val), 0);
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
	UT_ASSERT_EQ(ut_try_load(UT_VA + 24, &val), 1);
	UT_ASSERT_EQ(ut_fault.fault, EXO_FAULT_PAGE);
	UT_ASSERT_EQ(ut_fault.addr, UT_VA + 24);
	UT_ASSERT_EQ(ut_fault.flags & (EXO_PF_WRITE | EXO_PF_PRESENT), 0);
	UT_ASSERT_EQ(ut_try_store(UT_VA + 32, 1), 1);
	UT_ASSERT_EQ(ut_fault.flags & (EXO_PF_WRITE | EXO_PF_PRESENT),
		     EXO_PF_WRITE);
	/* Unmapping what is not mapped is no error. */
	UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, (uint64_t[]){ UT_VA }, 1), 1);
}

/* A read-only mapping faults on write; a mapping without X on fetch. */
UTEST(map_perms_enforced)
{
	long pa = UT_OK(ut_page(UT_VA, EXO_PERM_R));
	uint64_t val;

	UT_OK(ut_upcalls_on(NULL));
	UT_ASSERT_EQ(ut_try_load(UT_VA, &val), 0);
	UT_ASSERT_EQ(ut_try_store(UT_VA, 1), 1);
	UT_ASSERT_EQ(ut_fault.flags & (EXO_PF_WRITE | EXO_PF_PRESENT),
		     EXO_PF_WRITE | EXO_PF_PRESENT);
	UT_ASSERT_EQ(ut_fault.addr, UT_VA);
	UT_ASSERT_EQ(ut_try_call(UT_VA), 1);
	UT_ASSERT_EQ(ut_fault.fault, EXO_FAULT_PAGE);
	UT_ASSERT(ut_fault.flags & EXO_PF_EXEC);
	UT_ASSERT(ut_fault.flags & EXO_PF_PRESENT);
	UT_ASSERT_EQ(ut_fault.pc, UT_VA);
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}

/* A frame still mapped cannot be freed. */
UTEST(page_free_mapped)
{
	long pa = UT_OK(ut_page(UT_VA, RW));
	uint64_t va = UT_VA;

	UT_ASSERT_ERR(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa), EXO_EBUSY);
	UT_ASSERT_EQ(*word(UT_VA), 0);
	UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, &va, 1), 1);
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
}

UTEST(page_free_einval)
{
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));

	UT_ASSERT_ERR(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa + 8),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_free(EXO_ENVID_SELF, NOT_RAM), EXO_EINVAL);
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
}

/* A freed frame is no longer the caller's: a second free is refused
 * (ENOENT: the frame is free), and so is freeing a frame someone else now
 * owns (EPERM). */
UTEST(page_free_twice)
{
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));

	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
	UT_ASSERT_ERR(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa), EXO_ENOENT);
}

/* A library OS may ask for a specific frame. */
UTEST(page_alloc_named)
{
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));

	UT_ASSERT_ERR(exo_page_alloc(EXO_ENVID_SELF, (uint64_t)pa), EXO_EBUSY);
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
	UT_ASSERT_EQ(exo_page_alloc(EXO_ENVID_SELF, (uint64_t)pa), pa);
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
	UT_ASSERT_ERR(exo_page_alloc(EXO_ENVID_SELF, (uint64_t)pa + 0x10),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_alloc(EXO_ENVID_SELF, NOT_RAM), EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_alloc(0xffffffffu, EXO_PA_ANY), EXO_ENOENT);
}

/* Every malformed mapping is refused and maps nothing. */
UTEST(map_einval)
{
	static const uint64_t bad_va[] = {
		UT_VA + 8,
		0,
		EXO_USER_MIN - UT_PAGE,
		EXO_USER_END,
		EXO_ENVINFO,
		EXO_UVPT,
		EXO_UVPT + 0x1000,
		EXO_USER_TOP,
		KERNEL_VA,
		~0ull & ~0xfffull,
	};
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	struct exo_mapping m;

	for (unsigned i = 0; i < sizeof(bad_va) / sizeof(bad_va[0]); i++) {
		m = (struct exo_mapping){ bad_va[i], (uint64_t)pa, EXO_PERM_R };
		UT_ASSERT_ERR(exo_map(EXO_ENVID_SELF, &m, 1), EXO_EINVAL);
	}
	for (uint64_t perms = 0; perms < 16; perms++) {
		if ((perms & EXO_PERM_R) && !(perms & ~EXO_PERM_MASK))
			continue;
		m = (struct exo_mapping){ UT_VA, (uint64_t)pa, perms };
		UT_ASSERT_ERR(exo_map(EXO_ENVID_SELF, &m, 1), EXO_EINVAL);
	}
	m = (struct exo_mapping){ UT_VA, (uint64_t)pa + 0x800, EXO_PERM_R };
	UT_ASSERT_ERR(exo_map(EXO_ENVID_SELF, &m, 1), EXO_EINVAL);
	m = (struct exo_mapping){ UT_VA, (uint64_t)pa, EXO_PERM_R };
	UT_ASSERT_ERR(exo_map(EXO_ENVID_SELF, &m, EXO_MAP_MAX + 1), EXO_EINVAL);
	UT_ASSERT_ERR(exo_map(EXO_ENVID_SELF, NULL, 1), EXO_EFAULT);
	UT_ASSERT_ERR(exo_map(EXO_ENVID_SELF,
			      (const struct exo_mapping *)(uintptr_t)KERNEL_VA,
			      1),
		      EXO_EFAULT);
	UT_ASSERT_EQ(ut_leaf(UT_VA), 0);
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
}

UTEST(unmap_errors)
{
	uint64_t va;

	va = UT_VA + 1;
	UT_ASSERT_ERR(exo_unmap(EXO_ENVID_SELF, &va, 1), EXO_EINVAL);
	va = EXO_ENVINFO;
	UT_ASSERT_ERR(exo_unmap(EXO_ENVID_SELF, &va, 1), EXO_EINVAL);
	va = EXO_UVPT;
	UT_ASSERT_ERR(exo_unmap(EXO_ENVID_SELF, &va, 1), EXO_EINVAL);
	va = KERNEL_VA;
	UT_ASSERT_ERR(exo_unmap(EXO_ENVID_SELF, &va, 1), EXO_EINVAL);
	UT_ASSERT_ERR(exo_unmap(EXO_ENVID_SELF, NULL, 1), EXO_EFAULT);
	UT_ASSERT_ERR(exo_unmap(0xffffffffu, &va, 1), EXO_ENOENT);
	/* The info page is still there. */
	UT_ASSERT_EQ(exo_info()->id, exo_env_self());
}

/* A vector stops at its first bad entry and reports how far it got. */
UTEST(map_vector_partial)
{
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	struct exo_mapping v[3] = {
		{ UT_VA, (uint64_t)pa, RW },
		{ UT_VA + 0x1001, (uint64_t)pa, RW },
		{ UT_VA + 0x2000, (uint64_t)pa, RW },
	};
	uint64_t vas[3] = { UT_VA, UT_VA + 0x1000, UT_VA + 0x2000 };

	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, v, 3), 1);
	UT_ASSERT(exo_pte_valid(ut_leaf(UT_VA)));
	UT_ASSERT(!exo_pte_valid(ut_leaf(UT_VA + 0x2000)));
	UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, vas, 3), 3);
	UT_ASSERT(!exo_pte_valid(ut_leaf(UT_VA)));
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
}

/* map replaces what was mapped at va. */
UTEST(map_replaces)
{
	long a = UT_OK(ut_page(UT_VA, RW));
	long b = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	struct exo_mapping m = { UT_VA, (uint64_t)b, RW };

	*word(UT_VA) = 0x1111;
	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	UT_ASSERT_EQ(*word(UT_VA), 0);
	UT_ASSERT_EQ(exo_pte_addr(ut_leaf(UT_VA)), b);
	/* a is mapped nowhere now. */
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)a));
	UT_OK(ut_unpage(UT_VA, (uint64_t)b));
}

/* The leaf entry of a mapping, read through EXO_UVPT, names its frame
 * and permissions; each level above is valid. */
UTEST(uvpt_selfmap)
{
	long pa = UT_OK(ut_page(UT_VA, RW));
	struct exo_mapping m = { UT_VA, (uint64_t)pa, EXO_PERM_R | EXO_PERM_X };
	uint64_t e;

	for (unsigned level = 0; level < 3; level++)
		UT_ASSERT(exo_pte_valid(*word(exo_uvpt_pte(UT_VA, level))));
	e = ut_leaf(UT_VA);
	UT_ASSERT(exo_pte_valid(e));
	UT_ASSERT_EQ(exo_pte_addr(e), pa);
	UT_ASSERT_EQ(exo_pte_perms(e), RW);
	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	e = ut_leaf(UT_VA);
	UT_ASSERT_EQ(exo_pte_addr(e), pa);
	UT_ASSERT_EQ(exo_pte_perms(e), EXO_PERM_R | EXO_PERM_X);
	/* The neighbouring page is not mapped. */
	UT_ASSERT(!exo_pte_valid(ut_leaf(UT_VA + UT_PAGE)));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
	UT_ASSERT(!exo_pte_valid(ut_leaf(UT_VA)));
}

/* The self-map is read-only. */
UTEST(uvpt_readonly)
{
	long pa = UT_OK(ut_page(UT_VA, RW));
	uint64_t pte = exo_uvpt_pte(UT_VA, 3), before = *word(pte);

	UT_OK(ut_upcalls_on(NULL));
	UT_ASSERT_EQ(ut_try_store(pte, 0), 1);
	UT_ASSERT_EQ(ut_fault.fault, EXO_FAULT_PAGE);
	UT_ASSERT_EQ(ut_fault.addr, pte);
	UT_ASSERT_EQ(ut_fault.flags & (EXO_PF_WRITE | EXO_PF_PRESENT),
		     EXO_PF_WRITE | EXO_PF_PRESENT);
	UT_ASSERT_EQ(*word(pte), before);
	UT_ASSERT_EQ(ut_try_store(exo_uvpt_pte(UT_VA, 0), 0), 1);
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}

/* A batch of 64 mappings in one call, and back. */
UTEST(map_batch)
{
	static struct exo_mapping v[64];
	static uint64_t vas[64];
	const unsigned n = 64;

	for (unsigned i = 0; i < n; i++) {
		long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));

		v[i] = (struct exo_mapping){ UT_VA + i * UT_PAGE, (uint64_t)pa,
					     RW };
		vas[i] = v[i].va;
	}
	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, v, n), n);
	for (unsigned i = 0; i < n; i++)
		*word(vas[i]) = i;
	for (unsigned i = 0; i < n; i++) {
		UT_ASSERT_EQ(*word(vas[i]), i);
		UT_ASSERT_EQ(exo_pte_addr(ut_leaf(vas[i])), v[i].pa);
	}
	UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, vas, n), n);
	for (unsigned i = 0; i < n; i++)
		UT_OK(exo_page_free(EXO_ENVID_SELF, v[i].pa));
}

/* Frames the kernel uses for the env (a page table, the root table, the
 * info page, the bootfs) can be neither mapped writable nor freed nor
 * taken by name. */
UTEST(kernel_frames_refused)
{
	long pa = UT_OK(ut_page(UT_VA, RW));
	const uint64_t frames[] = {
		exo_pte_addr(*word(exo_uvpt_pte(UT_VA, 2))), /* a leaf table */
		exo_pte_addr(*word(exo_uvpt_pte(EXO_UVPT, 0))), /* the root */
		exo_pte_addr(ut_leaf(EXO_ENVINFO)),
		exo_pte_addr(ut_leaf(exo_info()->bootfs_addr)),
	};

	for (unsigned i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		struct exo_mapping m = { UT_VA + UT_PAGE, frames[i], RW };

		UT_ASSERT(frames[i] != 0);
		UT_ASSERT_FAILS(exo_map(EXO_ENVID_SELF, &m, 1));
		UT_ASSERT_FAILS(exo_page_free(EXO_ENVID_SELF, frames[i]));
		UT_ASSERT_ERR(exo_page_alloc(EXO_ENVID_SELF, frames[i]),
			      EXO_EBUSY);
	}
	UT_ASSERT(!exo_pte_valid(ut_leaf(UT_VA + UT_PAGE)));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}
