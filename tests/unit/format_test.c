/*
 * Host tests of the kernel's exo_vsnprintf (exo/lib/format.c) and command-line
 * parsing (exo/lib/cmdline.c).
 */
#include <check.h>
#include <string.h>
#include <exo/fmt.h>
#include <kernel/lib.h>

static char buf[128];

#define EXPECT(want, ...)                                                      \
	do {                                                                   \
		int n_ = exo_snprintf(buf, sizeof(buf), __VA_ARGS__);          \
		ck_assert_str_eq(buf, want);                                   \
		ck_assert_int_eq(n_, (int)strlen(want));                       \
	} while (0)

START_TEST(integers)
{
	EXPECT("0", "%d", 0);
	EXPECT("-42 42", "%d %u", -42, 42u);
	EXPECT("-2147483648", "%d", (int)0x80000000u);
	EXPECT("-9223372036854775808", "%lld", (long long)(1ull << 63));
	EXPECT("18446744073709551615", "%llu", ~0ull);
	EXPECT("ff FF 17", "%x %X %o", 255u, 255u, 15u);
	EXPECT("deadbeefcafe", "%lx", 0xdeadbeefcafeul);
	EXPECT("255 -1", "%hhu %hhd", 0x1ff, 0xff);
	EXPECT("65535", "%hu", 0x1ffff);
	EXPECT("12345", "%zu", (size_t)12345);
}
END_TEST

START_TEST(widths_and_padding)
{
	EXPECT("   42", "%5d", 42);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT("00042", "%05d", 42);
	EXPECT("-0042", "%05d", -42);
	EXPECT("0000beef", "%08x", 0xbeef);
	EXPECT("   ab", "%*s", 5, "ab");
	EXPECT("abc", "%2s", "abc");
	EXPECT("x  |", "%-3c|", 'x');
	EXPECT("0x1f 0X1F 017 0", "%#x %#X %#o %#x", 31u, 31u, 15u, 0u);
	EXPECT("0x0000ff", "%#08x", 255u);
}
END_TEST

/* Formats the compiler would reject at compile time, checked at run time. */
static int
unchecked(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = exo_vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n;
}

START_TEST(strings_pointers_percent)
{
	char *volatile null = NULL;

	EXPECT("hi (null)", "%s %s", "hi", null);
	EXPECT("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
	EXPECT("100%", "%d%%", 100);
	ck_assert_int_eq(unchecked(buf, sizeof(buf), "%q"), 2);
	ck_assert_str_eq(buf, "%q");
	ck_assert_int_eq(unchecked(buf, sizeof(buf), "end%"), 3);
	ck_assert_str_eq(buf, "end");
}
END_TEST

START_TEST(truncation)
{
	char small[6];
	int n = exo_snprintf(small, sizeof(small), "%s", "hello world");

	ck_assert_int_eq(n, 11);
	ck_assert_str_eq(small, "hello");
	n = exo_snprintf(small, 1, "%d", 12345);
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(small, "");
	n = exo_snprintf(NULL, 0, "%d", 123);
	ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(cmdline)
{
	const char *v;

	ck_assert_int_eq(cmdline_get("test=pm_alloc quiet", "test", &v), 8);
	ck_assert(!strncmp(v, "pm_alloc ", 9));
	ck_assert_int_eq(cmdline_get("a=1  test=xy", "test", &v), 2);
	ck_assert(!strncmp(v, "xy", 2));
	ck_assert_int_eq(cmdline_get("testing=1 test=", "test", &v), 0);
	ck_assert_int_eq(cmdline_get("atest=1", "test", &v), -1);
	ck_assert_int_eq(cmdline_get("test", "test", &v), -1);
	ck_assert_int_eq(cmdline_get("", "test", &v), -1);
}
END_TEST

Suite *
format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("printf");

	tcase_add_test(tc, integers);
	tcase_add_test(tc, widths_and_padding);
	tcase_add_test(tc, strings_pointers_percent);
	tcase_add_test(tc, truncation);
	tcase_add_test(tc, cmdline);
	suite_add_tcase(s, tc);
	return s;
}
