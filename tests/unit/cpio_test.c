/*
 * Host tests for the cpio newc reader (bindings/lib/cpio.c): archives
 * built here, every malformed header field, every truncation, and a
 * seeded mutation fuzz.  On hostile input the reader must return an error
 * and never hand out a name or data outside the archive (ASan catches any
 * read past it: archives live in exactly-sized heap copies).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <exo/cpio.h>
#include <exo/error.h>

/* Only failures reach the Check runner: loops run thousands of times. */
#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			ck_abort_msg("%s", #c);                                \
	} while (0)

#define HDR_LEN 110
#define MODE_FILE 0100644u

/* Where each entry's parts end, recorded as it is added. */
struct ent {
	uint64_t start, name_end, data_end, end;
	int trailer;
};

struct ar {
	unsigned char buf[4096];
	size_t len;
	struct ent ent[8];
	unsigned n;
};

static void
pad4(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/* Append an entry whose name size field is namesize (normally
 * strlen(name) + 1) and whose data is size bytes of data. */
static void
ar_add_raw(struct ar *a, const char *name, unsigned namesize, const void *data,
	   unsigned size, unsigned mode)
{
	char hdr[HDR_LEN + 1];
	struct ent *e = &a->ent[a->n++];

	e->start = a->len;
	e->trailer = !strcmp(name, "TRAILER!!!");
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(a->buf + a->len, hdr, HDR_LEN);
	a->len += HDR_LEN;
	memcpy(a->buf + a->len, name, strlen(name) + 1);
	a->len += strlen(name) + 1;
	e->name_end = a->len;
	pad4(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	/* An empty file needs no padding after its name. */
	e->data_end = size ? a->len : e->name_end;
	pad4(a);
	e->end = a->len;
}

static void
ar_add(struct ar *a, const char *name, const char *data)
{
	ar_add_raw(a, name, (unsigned)strlen(name) + 1, data,
		   (unsigned)strlen(data), MODE_FILE);
}

static void
ar_trailer(struct ar *a)
{
	ar_add_raw(a, "TRAILER!!!", 11, "", 0, 0);
}

/* Three files and a trailer. */
static void
ar_sample(struct ar *a)
{
	memset(a, 0, sizeof(*a));
	ar_add(a, "root", "\177ELF root program");
	ar_add(a, "child", "child!");
	ar_add(a, "etc/motd", "");
	ar_trailer(a);
}

/* An exactly-sized heap copy of the first len bytes, so ASan sees any
 * read past the end. */
static unsigned char *
copy(const struct ar *a, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	memcpy(p, a->buf, len);
	return p;
}

/* Walk the archive checking every entry lies inside it; the walk's
 * result (0 or an error) and the entry count. */
static int
walk(const unsigned char *p, uint64_t len, unsigned *count)
{
	struct exo_cpio_file f;
	uint64_t off = 0, prev;
	int r;

	*count = 0;
	for (;;) {
		prev = off;
		r = exo_cpio_next(p, len, &off, &f);
		if (r <= 0)
			return r;
		CHECK(off > prev && off <= len);
		CHECK((const unsigned char *)f.name > p);
		CHECK((const unsigned char *)f.name + strlen(f.name) < p + len);
		CHECK((const unsigned char *)f.data >= p);
		CHECK(f.size <= len);
		CHECK((const unsigned char *)f.data + f.size <= p + len);
		(*count)++;
	}
}

START_TEST(test_empty)
{
	struct exo_cpio_file f;
	uint64_t off = 0;

	ck_assert_int_eq(exo_cpio_next("", 0, &off, &f), 0);
	ck_assert_int_eq(exo_cpio_find("", 0, "root", &f), -EXO_ENOENT);
}
END_TEST

START_TEST(test_walk)
{
	struct ar a;
	struct exo_cpio_file f;
	uint64_t off = 0;

	ar_sample(&a);
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 1);
	ck_assert_str_eq(f.name, "root");
	ck_assert_uint_eq(f.size, 17);
	ck_assert_int_eq(memcmp(f.data, "\177ELF root program", 17), 0);
	ck_assert_uint_eq(f.mode, MODE_FILE);
	ck_assert_uint_eq((uintptr_t)f.data % 4, (uintptr_t)a.buf % 4);

	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 1);
	ck_assert_str_eq(f.name, "child");
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 1);
	ck_assert_str_eq(f.name, "etc/motd");
	ck_assert_uint_eq(f.size, 0);
	/* The trailer ends the walk and keeps ending it. */
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 0);
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 0);
}
END_TEST

START_TEST(test_find)
{
	struct ar a;
	struct exo_cpio_file f;

	ar_sample(&a);
	ck_assert_int_eq(exo_cpio_find(a.buf, a.len, "child", &f), 0);
	ck_assert_uint_eq(f.size, 6);
	ck_assert_int_eq(memcmp(f.data, "child!", 6), 0);
	ck_assert_int_eq(exo_cpio_find(a.buf, a.len, "etc/motd", &f), 0);
	ck_assert_int_eq(exo_cpio_find(a.buf, a.len, "roo", &f), -EXO_ENOENT);
	ck_assert_int_eq(exo_cpio_find(a.buf, a.len, "roots", &f), -EXO_ENOENT);
	ck_assert_int_eq(exo_cpio_find(a.buf, a.len, "TRAILER!!!", &f),
			 -EXO_ENOENT);
}
END_TEST

/* Entries after the trailer (or the zero blocks cpio pads with) are not
 * part of the archive. */
START_TEST(test_after_trailer)
{
	struct ar a;
	struct exo_cpio_file f;

	ar_sample(&a);
	ar_add(&a, "hidden", "x");
	memset(a.buf + a.len, 0, 512);
	a.len += 512;
	ck_assert_int_eq(exo_cpio_find(a.buf, a.len, "hidden", &f),
			 -EXO_ENOENT);
}
END_TEST

/* Without a trailer, the end of the buffer ends the archive. */
START_TEST(test_no_trailer)
{
	struct ar a;
	unsigned n;

	memset(&a, 0, sizeof(a));
	ar_add(&a, "a", "12345");
	ar_add(&a, "b", "");
	ck_assert_int_eq(walk(a.buf, a.len, &n), 0);
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_old_magic)
{
	static const char *const magics[] = { "070707", "070700", "070703",
					      "170701", "07070 " };
	struct ar a;
	struct exo_cpio_file f;
	uint64_t off = 0;

	for (unsigned i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		ar_sample(&a);
		memcpy(a.buf, magics[i], 6);
		ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f),
				 -EXO_EINVAL);
		ck_assert_uint_eq(off, 0);
	}
	/* The CRC variant is read the same way. */
	ar_sample(&a);
	a.buf[5] = '2';
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 1);
}
END_TEST

/* A non-hex character anywhere in any of the 13 fields. */
START_TEST(test_bad_hex)
{
	static const char bad[] = { 'g', 'G', ' ', 'x', '\0', '-', '+' };
	struct exo_cpio_file f;
	struct ar a;

	for (unsigned pos = 6; pos < HDR_LEN; pos++) {
		for (unsigned i = 0; i < sizeof(bad); i++) {
			uint64_t off = 0;

			ar_sample(&a);
			a.buf[pos] = (unsigned char)bad[i];
			ck_assert_msg(exo_cpio_next(a.buf, a.len, &off, &f) ==
					      -EXO_EINVAL,
				      "byte %u = %#x accepted", pos, bad[i]);
		}
	}
}
END_TEST

/* Lower-case hex digits are valid too. */
START_TEST(test_lower_hex)
{
	struct exo_cpio_file f;
	struct ar a;
	uint64_t off = 0;

	memset(&a, 0, sizeof(a));
	ar_add_raw(&a, "f", 2, "0123456789a", 11, MODE_FILE);
	memcpy(a.buf + 6 + 6 * 8, "0000000b", 8); /* filesize */
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 1);
	ck_assert_uint_eq(f.size, 11);
}
END_TEST

START_TEST(test_bad_namesize)
{
	/* 0, 1 (an empty name), too small (the NUL falls outside), too big
	 * (an embedded NUL), past the end of the archive. */
	static const unsigned sizes[] = { 0, 1, 4, 6, 0xffffffffu, 200 };
	struct exo_cpio_file f;
	struct ar a;

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t off = 0;
		unsigned char *p;

		memset(&a, 0, sizeof(a));
		ar_add_raw(&a, "name", sizes[i], "data", 4, MODE_FILE);
		p = copy(&a, a.len);
		ck_assert_msg(exo_cpio_next(p, a.len, &off, &f) == -EXO_EINVAL,
			      "namesize %u accepted", sizes[i]);
		free(p);
	}
}
END_TEST

/* An empty name, consistently encoded, is still refused. */
START_TEST(test_empty_name)
{
	struct exo_cpio_file f;
	struct ar a;
	uint64_t off = 0;

	memset(&a, 0, sizeof(a));
	ar_add_raw(&a, "", 1, "data", 4, MODE_FILE);
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), -EXO_EINVAL);
}
END_TEST

START_TEST(test_bad_filesize)
{
	static const unsigned sizes[] = { 5, 8, 9, 0x7fffffffu, 0xffffffffu };
	struct exo_cpio_file f;
	struct ar a;

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t off = 0;
		char field[9];
		unsigned char *p;

		memset(&a, 0, sizeof(a));
		ar_add(&a, "name", "data");
		snprintf(field, sizeof(field), "%08X", sizes[i]);
		memcpy(a.buf + 6 + 6 * 8, field, 8);
		p = copy(&a, a.len);
		ck_assert_msg(exo_cpio_next(p, a.len, &off, &f) == -EXO_EINVAL,
			      "filesize %#x accepted", sizes[i]);
		free(p);
	}
}
END_TEST

/* An offset past the end is an error; at the end, the archive ends. */
START_TEST(test_bad_offset)
{
	struct exo_cpio_file f;
	struct ar a;
	uint64_t off;

	ar_sample(&a);
	off = a.len;
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), 0);
	off = a.len + 1;
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), -EXO_EINVAL);
	off = ~0ull;
	ck_assert_int_eq(exo_cpio_next(a.buf, a.len, &off, &f), -EXO_EINVAL);
	off = ~0ull - 50;
	ck_assert_int_eq(exo_cpio_next(a.buf, ~0ull, &off, &f), -EXO_EINVAL);
}
END_TEST

/*
 * The result a prefix of len bytes must give, from the entry layout
 * recorded while building: entries fully inside are returned, the walk
 * ends cleanly at an entry boundary (or inside the padding after an
 * entry's data, which may be cut off), and fails anywhere else.  A
 * trailer counts once its name is complete.
 */
static int
expect(const struct ar *a, uint64_t len, unsigned *count)
{
	for (unsigned i = 0; i < a->n; i++) {
		const struct ent *e = &a->ent[i];

		*count = i;
		if (len == e->start)
			return 0;
		if (e->trailer)
			return len >= e->name_end ? 0 : -EXO_EINVAL;
		if (len < e->name_end || len < e->data_end)
			return -EXO_EINVAL;
		if (len < e->end) {
			*count = i + 1;
			return 0;
		}
	}
	*count = a->n;
	return 0;
}

START_TEST(test_truncation)
{
	struct ar a;
	unsigned n, want_n;

	ar_sample(&a);
	for (uint64_t len = 0; len < a.len; len++) {
		unsigned char *p = copy(&a, len);
		int r = walk(p, len, &n), want = expect(&a, len, &want_n);

		free(p);
		ck_assert_msg(r == want && (r < 0 || n == want_n),
			      "len %lu: %d with %u entries, want %d with %u",
			      (unsigned long)len, r, n, want, want_n);
	}
}
END_TEST

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random byte changes, insertions of hex digits and truncations: the
 * walk must end and everything it returns must lie inside the archive. */
START_TEST(test_fuzz)
{
	uint64_t seed = 0x5eed0001;
	struct ar base, a;
	unsigned n;

	ar_sample(&base);
	for (unsigned iter = 0; iter < 20000; iter++) {
		unsigned changes = 1 + xorshift(&seed) % 4;
		size_t len = base.len;
		unsigned char *p;

		a = base;
		for (unsigned c = 0; c < changes; c++) {
			size_t pos = xorshift(&seed) % len;
			uint64_t v = xorshift(&seed);

			a.buf[pos] = v & 1 ? "0123456789abcdefF"[v >> 1 & 15]
					   : (unsigned char)(v >> 8);
		}
		if (xorshift(&seed) % 4 == 0)
			len = xorshift(&seed) % len;
		p = copy(&a, len);
		(void)walk(p, len, &n);
		free(p);
	}
}
END_TEST

Suite *
cpio_suite(void)
{
	Suite *s = suite_create("cpio");
	TCase *tc;

#define ADD(name)                                                              \
	tc = tcase_create(#name);                                              \
	tcase_add_test(tc, name);                                              \
	suite_add_tcase(s, tc)

	ADD(test_empty);
	ADD(test_walk);
	ADD(test_find);
	ADD(test_after_trailer);
	ADD(test_no_trailer);
	ADD(test_old_magic);
	ADD(test_bad_hex);
	ADD(test_lower_hex);
	ADD(test_bad_namesize);
	ADD(test_empty_name);
	ADD(test_bad_filesize);
	ADD(test_bad_offset);
	ADD(test_truncation);
	ADD(test_fuzz);
	tcase_set_timeout(tc, 60);
#undef ADD
	return s;
}
