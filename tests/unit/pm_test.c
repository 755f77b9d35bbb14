/*
 * Host tests of the frame allocator (exo/pm.c) on fake memory maps.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <exo/error.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include "physmem.h"

#define OWNER PM_FIRST_ENV
#define MIB (1ull << 20)

static struct boot_info bi;

static void
map_reset(void)
{
	memset(&bi, 0, sizeof(bi));
}

static void
ram(uint64_t base, uint64_t size)
{
	ck_assert_int_eq(boot_range_add(bi.ram, &bi.nram, base, size), 0);
}

static void
reserve(uint64_t base, uint64_t size)
{
	ck_assert_int_eq(boot_range_add(bi.reserved, &bi.nreserved, base, size),
			 0);
}

/* Frames the table itself needs for a span of n frames. */
static uint64_t
table_frames(uint64_t n)
{
	return (n * 24 + PAGE_SIZE - 1) / PAGE_SIZE; /* sizeof(struct frame) */
}

START_TEST(init_single_range)
{
	struct pm_stats st;

	map_reset();
	ram(ARENA_BASE, 16 * MIB);
	ck_assert_int_eq(pm_init(&bi), 0);
	pm_get_stats(&st);
	ck_assert_uint_eq(st.frames, 4096);
	ck_assert_uint_eq(st.ram, 4096);
	ck_assert_uint_eq(st.free, 4096 - table_frames(4096));
	ck_assert_int_eq(pm_check(), 0);
	/* The table sits at the bottom and belongs to the kernel. */
	ck_assert_uint_eq(pm_owner(ARENA_BASE), PM_KERNEL);
}
END_TEST

START_TEST(init_rejects_bad_maps)
{
	map_reset();
	ck_assert_int_eq(pm_init(&bi), -EXO_EINVAL);
	/* RAM smaller than a page */
	ram(ARENA_BASE + 100, 200);
	ck_assert_int_eq(pm_init(&bi), -EXO_EINVAL);
	/* All of RAM reserved: the table fits nowhere. */
	map_reset();
	ram(ARENA_BASE, 1 * MIB);
	reserve(ARENA_BASE, 1 * MIB);
	ck_assert_int_eq(pm_init(&bi), -EXO_ENOMEM);
}
END_TEST

START_TEST(reserved_and_holes_never_handed_out)
{
	struct pm_stats st;
	uint64_t pa, n = 0;

	map_reset();
	ram(ARENA_BASE, 8 * MIB);
	ram(ARENA_BASE + 16 * MIB, 8 * MIB); /* hole of 8 MiB between */
	reserve(ARENA_BASE, 2 * MIB);	     /* e.g. the kernel image */
	reserve(ARENA_BASE + 17 * MIB + 5,
		10); /* unaligned: taints one frame */
	ck_assert_int_eq(pm_init(&bi), 0);
	pm_get_stats(&st);
	ck_assert_uint_eq(st.frames, 6144);
	ck_assert_uint_eq(st.ram, 4096);
	while (pm_alloc(OWNER, &pa) == 0) {
		ck_assert(pa >= ARENA_BASE + 2 * MIB);
		ck_assert(pa < ARENA_BASE + 8 * MIB ||
			  pa >= ARENA_BASE + 16 * MIB);
		ck_assert(pa != ARENA_BASE + 17 * MIB);
		n++;
	}
	ck_assert_uint_eq(n, st.free);
	ck_assert_uint_eq(pm_owner(ARENA_BASE), PM_RESERVED);
	ck_assert_uint_eq(pm_owner(ARENA_BASE + 10 * MIB), PM_RESERVED);
	ck_assert_uint_eq(pm_owner(ARENA_BASE + 17 * MIB), PM_RESERVED);
	ck_assert_int_eq(pm_alloc_at(OWNER, ARENA_BASE + 10 * MIB),
			 -EXO_EINVAL);
	ck_assert_int_eq(pm_check(), 0);
}
END_TEST

START_TEST(every_frame_exactly_once)
{
	struct pm_stats st;
	uint64_t pa, n = 0, prev = 0;
	uint8_t *seen = calloc(4096, 1);

	map_reset();
	ram(ARENA_BASE, 16 * MIB);
	ck_assert_int_eq(pm_init(&bi), 0);
	pm_get_stats(&st);
	while (pm_alloc(OWNER, &pa) == 0) {
		uint64_t i = (pa - ARENA_BASE) / PAGE_SIZE;
		ck_assert_uint_lt(i, 4096);
		ck_assert(!seen[i]);
		ck_assert(pa > prev); /* low addresses first */
		seen[i] = 1;
		prev = pa;
		n++;
	}
	ck_assert_uint_eq(n, st.free);
	ck_assert_int_eq(pm_alloc(OWNER, &pa), -EXO_ENOMEM);
	for (uint64_t i = 0; i < 4096; i++)
		if (seen[i])
			ck_assert_int_eq(
				pm_free(OWNER, ARENA_BASE + i * PAGE_SIZE), 0);
	pm_get_stats(&st);
	ck_assert_uint_eq(st.free, n);
	ck_assert_int_eq(pm_check(), 0);
	free(seen);
}
END_TEST

START_TEST(free_checks_owner_and_double_free)
{
	uint64_t pa;

	map_reset();
	ram(ARENA_BASE, 4 * MIB);
	ck_assert_int_eq(pm_init(&bi), 0);
	ck_assert_int_eq(pm_alloc(OWNER, &pa), 0);
	ck_assert_int_eq(pm_free(OWNER + 1, pa), -EXO_EPERM);
	ck_assert_int_eq(pm_free(PM_KERNEL, pa), -EXO_EPERM);
	ck_assert_int_eq(pm_free(OWNER, pa + 1), -EXO_EINVAL);
	ck_assert_int_eq(pm_free(OWNER, pa), 0);
	ck_assert_int_eq(pm_free(OWNER, pa), -EXO_ENOENT);
	ck_assert_int_eq(pm_free(OWNER, ARENA_BASE - PAGE_SIZE), -EXO_EINVAL);
	ck_assert_int_eq(pm_free(OWNER, ARENA_BASE + 4 * MIB), -EXO_EINVAL);
	/* The kernel's table frame cannot be freed by an env. */
	ck_assert_int_eq(pm_free(OWNER, ARENA_BASE), -EXO_EPERM);
	ck_assert_int_eq(pm_check(), 0);
}
END_TEST

START_TEST(owner_must_be_real)
{
	uint64_t pa;

	map_reset();
	ram(ARENA_BASE, 4 * MIB);
	ck_assert_int_eq(pm_init(&bi), 0);
	ck_assert_int_eq(pm_alloc(PM_FREE, &pa), -EXO_EINVAL);
	ck_assert_int_eq(pm_alloc(PM_RESERVED, &pa), -EXO_EINVAL);
	ck_assert_int_eq(pm_alloc(PM_FIRST_ENV - 1, &pa), -EXO_EINVAL);
	ck_assert_int_eq(pm_alloc(PM_KERNEL, &pa), 0);
	ck_assert_int_eq(pm_free(PM_RESERVED, ARENA_BASE), -EXO_EPERM);
}
END_TEST

START_TEST(named_frames)
{
	uint64_t want = ARENA_BASE + 3 * MIB, pa;
	struct pm_stats st;

	map_reset();
	ram(ARENA_BASE, 4 * MIB);
	ck_assert_int_eq(pm_init(&bi), 0);
	pm_get_stats(&st);
	ck_assert_int_eq(pm_alloc_at(OWNER, want), 0);
	ck_assert_int_eq(pm_alloc_at(OWNER, want), -EXO_EBUSY);
	ck_assert_int_eq(pm_alloc_at(OWNER, want + 12), -EXO_EINVAL);
	ck_assert_int_eq(pm_alloc_at(OWNER, ARENA_BASE), -EXO_EBUSY);
	ck_assert_uint_eq(pm_owner(want), OWNER);
	/* Taking a frame out of the middle keeps the list whole. */
	ck_assert_int_eq(pm_check(), 0);
	for (uint64_t n = 1; n < st.free; n++) {
		ck_assert_int_eq(pm_alloc(OWNER, &pa), 0);
		ck_assert(pa != want);
	}
	ck_assert_int_eq(pm_alloc(OWNER, &pa), -EXO_ENOMEM);
	ck_assert_int_eq(pm_free(OWNER, want), 0);
	ck_assert_int_eq(pm_alloc(OWNER, &pa), 0);
	ck_assert_uint_eq(pa, want);
}
END_TEST

/* An env's death: its unmapped frames are freed, its mapped ones
 * orphaned until their last mapping goes; other owners keep theirs. */
START_TEST(release_owner)
{
	uint64_t a[8], b, pa;
	struct pm_stats st0, st;

	map_reset();
	ram(ARENA_BASE, 4 * MIB);
	ck_assert_int_eq(pm_init(&bi), 0);
	pm_get_stats(&st0);
	for (unsigned i = 0; i < 8; i++)
		ck_assert_int_eq(pm_alloc(OWNER, &a[i]), 0);
	ck_assert_int_eq(pm_alloc(OWNER + 1, &b), 0);
	pm_map_count(a[3], 1);
	pm_release_owner(OWNER);
	pm_get_stats(&st);
	ck_assert_uint_eq(st.free, st0.free - 2); /* a[3] and b remain */
	ck_assert_uint_eq(pm_owner(a[3]), PM_ORPHAN);
	ck_assert_uint_eq(pm_owner(a[0]), PM_FREE);
	ck_assert_uint_eq(pm_owner(b), OWNER + 1);
	ck_assert_int_eq(pm_take_unmapped(OWNER, &pa), -EXO_ENOENT);
	pm_map_count(a[3], -1); /* the last mapping: freed */
	ck_assert_uint_eq(pm_owner(a[3]), PM_FREE);
	ck_assert_int_eq(pm_take_unmapped(OWNER + 1, &pa), 0);
	ck_assert_uint_eq(pa, b);
	pm_get_stats(&st);
	ck_assert_uint_eq(st.free, st0.free);
	ck_assert_int_eq(pm_check(), 0);
}
END_TEST

Suite *
pm_suite(void)
{
	Suite *s = suite_create("pm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, init_single_range);
	tcase_add_test(tc, init_rejects_bad_maps);
	tcase_add_test(tc, reserved_and_holes_never_handed_out);
	tcase_add_test(tc, every_frame_exactly_once);
	tcase_add_test(tc, free_checks_owner_and_double_free);
	tcase_add_test(tc, owner_must_be_real);
	tcase_add_test(tc, named_frames);
	tcase_add_test(tc, release_owner);
	suite_add_tcase(s, tc);
	return s;
}
