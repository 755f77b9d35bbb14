/*
 * The frame allocator inside the running kernel, on the real memory map.
 */
#include <exo/error.h>
#include <kernel/ktest.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>

#define TEST_OWNER PM_FIRST_ENV
#define MAX_FRAMES (2u << 20) /* 8 GiB: more than the test machine has */

static uint8_t seen[MAX_FRAMES / 8];

/* Hand out every free frame; each must come exactly once, then ENOMEM. */
KTEST(pm_alloc_every_frame_once)
{
	struct pm_stats before, after;
	uint64_t pa, lo = UINT64_MAX, n = 0;

	pm_get_stats(&before);
	KT_ASSERT(before.free > 0 && before.frames <= MAX_FRAMES);
	memset(seen, 0, sizeof(seen));
	while (pm_alloc(TEST_OWNER, &pa) == 0) {
		uint64_t i = pa / PAGE_SIZE % MAX_FRAMES;
		KT_ASSERT(!(seen[i / 8] & (1u << (i % 8))));
		KT_ASSERT_EQ(pm_owner(pa), TEST_OWNER);
		seen[i / 8] |= 1u << (i % 8);
		lo = MIN(lo, pa);
		n++;
	}
	KT_ASSERT_EQ(n, before.free);
	KT_ASSERT_EQ(pm_alloc(TEST_OWNER, &pa), -EXO_ENOMEM);
	KT_ASSERT_EQ(pm_check(), 0);

	/* Give them all back by walking the bitmap. */
	for (uint64_t i = 0; i < MAX_FRAMES; i++)
		if (seen[i / 8] & (1u << (i % 8)))
			KT_ASSERT_EQ(pm_free(TEST_OWNER, i * PAGE_SIZE), 0);
	pm_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free);
	KT_ASSERT_EQ(pm_check(), 0);
}

KTEST(pm_double_free_refused)
{
	uint64_t pa;

	KT_ASSERT_EQ(pm_alloc(TEST_OWNER, &pa), 0);
	KT_ASSERT_EQ(pm_free(TEST_OWNER + 1, pa), -EXO_EPERM);
	KT_ASSERT_EQ(pm_free(TEST_OWNER, pa), 0);
	KT_ASSERT_EQ(pm_free(TEST_OWNER, pa), -EXO_ENOENT);
	KT_ASSERT_EQ(pm_owner(pa), PM_FREE);
	KT_ASSERT_EQ(pm_check(), 0);
}

KTEST(pm_named_frame)
{
	uint64_t pa;

	KT_ASSERT_EQ(pm_alloc(TEST_OWNER, &pa), 0);
	KT_ASSERT_EQ(pm_free(TEST_OWNER, pa), 0);
	KT_ASSERT_EQ(pm_alloc_at(TEST_OWNER, pa + 8), -EXO_EINVAL);
	KT_ASSERT_EQ(pm_alloc_at(TEST_OWNER, pa), 0);
	KT_ASSERT_EQ(pm_alloc_at(TEST_OWNER + 1, pa), -EXO_EBUSY);
	KT_ASSERT_EQ(pm_owner(pa), TEST_OWNER);
	KT_ASSERT_EQ(pm_free(TEST_OWNER, pa), 0);
	KT_ASSERT_EQ(pm_check(), 0);
}

/* The kernel's own image and frame table can never be handed out. */
KTEST(pm_kernel_frames_protected)
{
	static int marker;
	uint64_t image = virt_to_phys(&marker);
	uint32_t owner = pm_owner(image);

	KT_ASSERT(owner == PM_RESERVED || owner == PM_KERNEL);
	KT_ASSERT(pm_alloc_at(TEST_OWNER, ALIGN_DOWN(image, PAGE_SIZE)) < 0);
	KT_ASSERT_EQ(pm_free(TEST_OWNER, ALIGN_DOWN(image, PAGE_SIZE)),
		     -EXO_EPERM);
	KT_ASSERT_EQ(pm_free(PM_KERNEL, 0xfffffffffffff000ull), -EXO_EINVAL);
}
