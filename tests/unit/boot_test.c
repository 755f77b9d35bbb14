/*
 * Host tests of boot_range_add (exo/boot.c): sorted, merged range lists.
 */
#include <check.h>
#include <string.h>
#include <exo/error.h>
#include <kernel/boot.h>

static struct boot_range r[BOOT_MAX_RANGES];
static unsigned n;

static void
add(uint64_t base, uint64_t size)
{
	ck_assert_int_eq(boot_range_add(r, &n, base, size), 0);
}

static void
expect(unsigned i, uint64_t base, uint64_t size)
{
	ck_assert_uint_gt(n, i);
	ck_assert_uint_eq(r[i].base, base);
	ck_assert_uint_eq(r[i].size, size);
}

static void
setup(void)
{
	memset(r, 0, sizeof(r));
	n = 0;
}

START_TEST(sorted_insert)
{
	add(0x3000, 0x1000);
	add(0x1000, 0x1000);
	add(0x5000, 0x1000);
	ck_assert_uint_eq(n, 3);
	expect(0, 0x1000, 0x1000);
	expect(1, 0x3000, 0x1000);
	expect(2, 0x5000, 0x1000);
}
END_TEST

START_TEST(merge_touching_and_overlapping)
{
	add(0x1000, 0x1000);
	add(0x2000, 0x1000); /* touches */
	ck_assert_uint_eq(n, 1);
	expect(0, 0x1000, 0x2000);
	add(0x5000, 0x1000);
	add(0x8000, 0x1000);
	add(0x2800, 0x6000); /* swallows the middle one, reaches the last */
	ck_assert_uint_eq(n, 1);
	expect(0, 0x1000, 0x8000);
	add(0x1800, 0x100); /* inside */
	ck_assert_uint_eq(n, 1);
	expect(0, 0x1000, 0x8000);
}
END_TEST

START_TEST(empty_and_wrapping)
{
	add(0x1000, 0);
	ck_assert_uint_eq(n, 0);
	add(0xfffffffffffff000ull, 0x2000); /* wraps: clamped */
	expect(0, 0xfffffffffffff000ull, 0xfff);
}
END_TEST

START_TEST(full_list)
{
	for (unsigned i = 0; i < BOOT_MAX_RANGES; i++)
		add(i * 0x10000ull, 0x1000);
	ck_assert_int_eq(boot_range_add(r, &n, 0x8000, 0x1000), -EXO_ENOMEM);
	ck_assert_uint_eq(n, BOOT_MAX_RANGES);
	/* Merging into an existing range still works when full. */
	add(0x1000, 0x1000);
	expect(0, 0, 0x2000);
}
END_TEST

Suite *
boot_suite(void)
{
	Suite *s = suite_create("boot");
	TCase *tc = tcase_create("ranges");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, sorted_insert);
	tcase_add_test(tc, merge_touching_and_overlapping);
	tcase_add_test(tc, empty_and_wrapping);
	tcase_add_test(tc, full_list);
	suite_add_tcase(s, tc);
	return s;
}
