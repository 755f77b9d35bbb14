/*
 * Host tests for the devicetree reader (exo/lib/fdt.c) on hostile input:
 * every header field out of range, malformed structure blocks and
 * reservation maps, every truncation of the QEMU blob, and a mutation
 * fuzz.  Each case checks that the reader returns an error, never reads
 * past the blob (which ASan would catch) and never returns a result
 * outside it.  The cases join fdt_test.c's suite.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <exo/error.h>
#include <kernel/fdt.h>
#include "fdt_writer.h"

/* ck_assert() reports every pass to the Check runner, which is slow in
 * loops run thousands of times; this reports only failures. */
#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			ck_abort_msg("%s", #c);                                \
	} while (0)

static bool
is_err(int r)
{
	return r == -EXO_EINVAL || r == -EXO_ENOENT;
}

/* Whether `node` is a valid result: a 4-aligned structure offset whose
 * name lies inside the blob. */
static void
assert_node(const struct fdt *fdt, int node)
{
	const char *name = fdt_node_name(fdt, node);

	CHECK(node >= 0 && node % 4 == 0);
	CHECK((uint32_t)node < fdt->struct_size);
	CHECK(name);
	CHECK((const uint8_t *)name + strlen(name) < fdt->blob + fdt->size);
}

/* Check the node's name and some properties lie inside the blob. */
static void
check_node(const struct fdt *fdt, int node)
{
	static const char *const props[] = {
		"compatible", "reg",	     "#address-cells",
		"interrupts", "stdout-path", "status",
	};
	const uint8_t *v;
	uint32_t len;
	unsigned i;

	assert_node(fdt, node);
	for (i = 0; i < ARRAY_SIZE(props); i++) {
		v = fdt_getprop(fdt, node, props[i], &len);
		if (v)
			CHECK(v >= fdt->blob &&
			      v + len <= fdt->blob + fdt->size);
	}
}

/* Walk every node, checking each; returns the walk's last result:
 * -EXO_ENOENT for a clean end, an error for a malformed blob.  The walk
 * decodes, and so checks, every token including each property. */
static int
check_walk(const struct fdt *fdt)
{
	int node = -1, depth = 0;

	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if (node < 0)
			break;
		CHECK(depth >= 0 && depth <= FDT_MAX_DEPTH);
		check_node(fdt, node);
	}
	CHECK(is_err(node));
	return node;
}

/*
 * check_walk(), plus every other call: path and compatible look-ups, the
 * reservation map, and the parent and reg entries of every node.  Each
 * gives a valid result or an error.  Returns what check_walk() returns.
 */
static int
exercise(const struct fdt *fdt)
{
	static const char *const paths[] = { "/memory", "/intc/its",
					     "/cpus/cpu@0", "/chosen" };
	uint64_t base, size;
	int node = -1, depth = 0, prev = -1, r;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		node = fdt_path_offset(fdt, paths[i]);
		CHECK(is_err(node) || fdt_node_name(fdt, node));
	}
	while ((node = fdt_node_by_compatible(fdt, prev, "arm,primecell")) >=
	       0) {
		CHECK(node > prev);
		prev = node;
	}
	CHECK(is_err(node));
	for (i = 0; (r = fdt_memreserve(fdt, i, &base, &size)) == 0; i++)
		;
	CHECK(is_err(r));
	for (node = -1; (node = fdt_next_node(fdt, node, &depth)) >= 0;) {
		r = fdt_parent(fdt, node);
		CHECK(is_err(r) || (r >= 0 && r < node));
		for (i = 0; (r = fdt_reg(fdt, node, i, &base, &size)) == 0; i++)
			;
		CHECK(is_err(r));
	}
	return check_walk(fdt);
}

/* A copy of b[0..n) in a heap block of exactly n bytes (one for n = 0,
 * which nothing reads). */
static uint8_t *
dup_exact(const uint8_t *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	CHECK(c);
	memcpy(c, b, n);
	return c;
}

/* Each header field set out of range, as (field offset, value). */
START_TEST(test_bad_header)
{
	struct sample s;
	struct fdt fdt;
	uint32_t st, str_len, i;
	uint8_t *c;

	sample_open(&s);
	st = fdt32(s.blob + 36);
	str_len = fdt32(s.blob + 32);
	const uint32_t bad[][2] = {
		{ 0, 0xd00dfeee },  { 0, 0xedfe0dd0 },
		{ 4, s.size + 4 },  { 4, 39 },
		{ 4, 0xffffffff },  { 4, 0x80000000 },
		{ 8, s.size },	    { 8, 58 },
		{ 8, 0 },	    { 8, 0xfffffffc },
		{ 12, s.size + 1 }, { 12, 0 },
		{ 12, 0xffffffff }, { 16, s.size - 8 },
		{ 16, 44 },	    { 16, 0 },
		{ 16, 0xfffffff8 }, { 20, 15 },
		{ 20, 0 },	    { 24, 18 },
		{ 24, 0xffffffff }, { 32, str_len + 1 },
		{ 32, 0xffffffff }, { 36, st + str_len + 1 },
		{ 36, 0xffffffff },
	};

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		c = dup_exact(s.blob, s.size);
		put32(c + bad[i][0], bad[i][1]);
		ck_assert_msg(fdt_init(&fdt, c, s.size) == -EXO_EINVAL,
			      "header field %u = %#x accepted", bad[i][0],
			      bad[i][1]);
		free(c);
	}
	/* Too large for int node offsets, even with room to spare. */
	c = dup_exact(s.blob, s.size);
	put32(c + 4, 0x80000000);
	ck_assert_int_eq(fdt_init(&fdt, c, SIZE_MAX), -EXO_EINVAL);
	free(c);
	/* Version 16 older than its last compatible version 17. */
	put32(s.blob + 20, 16);
	put32(s.blob + 24, 17);
	ck_assert_int_eq(fdt_init(&fdt, s.blob, s.size), -EXO_EINVAL);
	free(s.blob);
}
END_TEST

/* The QEMU blob rearranged with its strings block first, so that prefixes
 * cut into the structure block instead. */
static uint8_t *
strings_first(const uint8_t *b, uint32_t *size)
{
	uint32_t str_len = fdt32(b + 32), st_len = fdt32(b + 36);
	uint32_t st_off = W_STRUCT + ALIGN_UP(str_len, 4u);
	uint8_t *c;

	*size = st_off + st_len;
	c = calloc(1, *size); /* an empty reservation map at W_RSV */
	ck_assert_ptr_nonnull(c);
	memcpy(c, b, 40);
	put32(c + 4, *size);
	put32(c + 8, st_off);
	put32(c + 12, W_STRUCT);
	put32(c + 16, W_RSV);
	memcpy(c + W_STRUCT, b + fdt32(b + 12), str_len);
	memcpy(c + st_off, b + fdt32(b + 8), st_len);
	return c;
}

/* Shrink the header of a prefix of n bytes to fit: totalsize, and each
 * block clipped to what is left of it. */
static void
shrink_header(uint8_t *c, uint32_t n)
{
	static const uint32_t fields[][2] = { { 8, 36 }, { 12, 32 } };
	uint32_t i, off;

	put32(c + 4, n);
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		off = fdt32(c + fields[i][0]);
		if (off <= n && fdt32(c + fields[i][1]) > n - off)
			put32(c + fields[i][1], n - off);
	}
}

/*
 * Every proper prefix of the QEMU blob (as dumped, then with its strings
 * first), in a block of exactly its length: with the header as is,
 * fdt_init() must refuse it; with the header shrunk to the prefix, the
 * walk must report the damage.
 */
START_TEST(test_truncation)
{
	uint32_t size, n;
	uint8_t *q = load_qemu(&size), *b = q, *c;
	unsigned walked = 0;
	struct fdt fdt;

	if (_i == 1)
		b = strings_first(q, &size);
	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
	ck_assert_int_eq(exercise(&fdt), -EXO_ENOENT);
	for (n = 0; n < size; n++) {
		c = dup_exact(b, n);
		CHECK(fdt_init(&fdt, c, n) == -EXO_EINVAL);
		if (n >= 40) {
			shrink_header(c, n);
			if (fdt_init(&fdt, c, n) == 0) {
				walked++;
				ck_assert_msg(check_walk(&fdt) == -EXO_EINVAL,
					      "prefix of %u bytes accepted", n);
			}
		}
		free(c);
	}
	/* The dump has its strings last: only their cuts get walked. */
	ck_assert_uint_ge(walked, _i == 1 ? fdt32(b + 36) : fdt32(b + 32));
	if (b != q)
		free(b);
	free(q);
}
END_TEST

/* Malformed structure blocks; most break a node /child of a valid root. */
enum bad_struct {
	BAD_NAME_UNTERMINATED,	 /* node name runs to the end of the block */
	BAD_STRING_UNTERMINATED, /* property name runs off the strings */
	BAD_PROP_LEN,		 /* property value past the end */
	BAD_PROP_LEN_WRAP,	 /* a length that wraps a 32-bit offset */
	BAD_PROP_HEADER,	 /* property header cut by the block end */
	BAD_NAMEOFF,		 /* name offset one past the strings */
	BAD_NAMEOFF_HUGE,
	BAD_NO_END,    /* no FDT_END */
	BAD_EARLY_END, /* FDT_END inside the root */
	BAD_EXTRA_END_NODE,
	BAD_TWO_ROOTS,
	BAD_UNKNOWN_TOKEN,
	BAD_PROP_OUTSIDE, /* a property after the root closes */
	BAD_NO_ROOT,	  /* FDT_END only */
	BAD_PROP_FIRST,	  /* a property before the root */
	BAD_COUNT
};

static uint8_t *
build_bad(enum bad_struct which, uint32_t *size)
{
	static struct writer w;

	memset(&w, 0, sizeof(w));
	if (which == BAD_PROP_FIRST)
		W_STR(&w, "model", "x");
	if (which == BAD_NO_ROOT) {
		w_u32(&w, TOK_END);
		return w_finish(&w, size);
	}
	w_begin(&w, "");
	W_STR(&w, "model", "x");
	w_begin(&w, "child");
	switch (which) {
	case BAD_NAME_UNTERMINATED:
		w_u32(&w, TOK_BEGIN);
		w_bytes(&w, "abcd", 4);
		return w_finish(&w, size);
	case BAD_STRING_UNTERMINATED:
		W_STR(&w, "last", "y");
		w.str_len--;
		break;
	case BAD_PROP_LEN:
	case BAD_PROP_LEN_WRAP:
	case BAD_NAMEOFF:
	case BAD_NAMEOFF_HUGE:
		w_u32(&w, TOK_PROP);
		w_u32(&w, which == BAD_PROP_LEN	       ? 0x100
			  : which == BAD_PROP_LEN_WRAP ? 0xfffffff8
						       : 0);
		w_u32(&w, which == BAD_NAMEOFF	      ? w.str_len
			  : which == BAD_NAMEOFF_HUGE ? 0xffffffff
						      : 0);
		break;
	case BAD_PROP_HEADER:
		w_u32(&w, TOK_PROP);
		w_u32(&w, 0);
		return w_finish(&w, size);
	case BAD_EARLY_END:
		w_u32(&w, TOK_END);
		break;
	case BAD_UNKNOWN_TOKEN:
		w_u32(&w, 5);
		break;
	default:
		break;
	}
	w_end_node(&w);
	w_end_node(&w);
	if (which == BAD_EXTRA_END_NODE)
		w_end_node(&w);
	if (which == BAD_TWO_ROOTS) {
		w_begin(&w, "");
		w_end_node(&w);
	}
	if (which == BAD_PROP_OUTSIDE)
		W_STR(&w, "model", "x");
	if (which != BAD_NO_END)
		w_u32(&w, TOK_END);
	return w_finish(&w, size);
}

START_TEST(test_bad_struct)
{
	struct fdt fdt;
	uint32_t size;
	uint8_t *b = build_bad(_i, &size);

	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
	ck_assert_msg(exercise(&fdt) == -EXO_EINVAL, "case %d accepted", _i);
	free(b);
}
END_TEST

/* An empty structure block has no root. */
START_TEST(test_empty_struct)
{
	struct sample s;
	int depth;

	sample_open(&s);
	put32(s.blob + 36, 0);
	ck_assert_int_eq(fdt_init(&s.fdt, s.blob, s.size), 0);
	ck_assert_int_eq(fdt_next_node(&s.fdt, -1, &depth), -EXO_EINVAL);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, "/"), -EXO_EINVAL);
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "x"), -EXO_EINVAL);
	free(s.blob);
}
END_TEST

/* The sample blob with its reservation map moved to its last `tail` bytes,
 * each 0xa5 (so no entry is the terminator) if `fill`, in a heap block of
 * exactly *size bytes. */
static uint8_t *
rsv_at_end(uint32_t tail, bool fill, uint32_t *size)
{
	struct sample s;
	uint8_t *c;

	sample_open(&s);
	*size = ALIGN_UP(s.size, 8u) + tail;
	c = calloc(1, *size);
	ck_assert_ptr_nonnull(c);
	memcpy(c, s.blob, s.size);
	put32(c + 4, *size);
	put32(c + 16, *size - tail);
	if (fill)
		memset(c + *size - tail, 0xa5, tail);
	free(s.blob);
	return c;
}

/* A reservation map without its terminator, or cut by the end of the blob,
 * ends in an error after the entries that are there. */
START_TEST(test_bad_memreserve)
{
	const uint64_t a5 = 0xa5a5a5a5a5a5a5a5ull;
	uint64_t base, size;
	uint32_t n;
	struct fdt fdt;
	uint8_t *c;

	/* Two whole entries, then the end of the blob. */
	c = rsv_at_end(32, true, &n);
	ck_assert_int_eq(fdt_init(&fdt, c, n), 0);
	ck_assert_int_eq(fdt_memreserve(&fdt, 1, &base, &size), 0);
	ck_assert(base == a5 && size == a5);
	ck_assert_int_eq(fdt_memreserve(&fdt, 2, &base, &size), -EXO_EINVAL);
	ck_assert_int_eq(fdt_memreserve(&fdt, ~0u, &base, &size), -EXO_EINVAL);
	free(c);

	/* One whole entry and half of the next. */
	c = rsv_at_end(24, true, &n);
	ck_assert_int_eq(fdt_init(&fdt, c, n), 0);
	ck_assert_int_eq(fdt_memreserve(&fdt, 0, &base, &size), 0);
	ck_assert_int_eq(fdt_memreserve(&fdt, 1, &base, &size), -EXO_EINVAL);
	free(c);

	/* Just the terminator, in the blob's last bytes. */
	c = rsv_at_end(16, false, &n);
	ck_assert_int_eq(fdt_init(&fdt, c, n), 0);
	ck_assert_int_eq(fdt_memreserve(&fdt, 0, &base, &size), -EXO_ENOENT);
	ck_assert_int_eq(fdt_memreserve(&fdt, 1, &base, &size), -EXO_ENOENT);
	free(c);
}
END_TEST

/* xorshift64: a fixed sequence, so a failure reproduces. */
static uint64_t
next_rand(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#define FUZZ_ROUNDS 2000

/*
 * Flip one to four random bytes of the QEMU blob per round (a quarter of
 * the flips in the header, where they matter most) and exercise every
 * call on every node.  Passes when nothing reads out of bounds and every
 * result is valid or an error.
 */
START_TEST(test_mutation_fuzz)
{
	uint64_t seed = 0x5eed0fd7ull, r;
	uint32_t size, pos, i, flips;
	uint8_t *b = load_qemu(&size);
	struct fdt fdt;
	unsigned accepted = 0, clean = 0;
	uint8_t *c;
	int round;

	for (round = 0; round < FUZZ_ROUNDS; round++) {
		c = dup_exact(b, size);
		flips = 1 + next_rand(&seed) % 4;
		for (i = 0; i < flips; i++) {
			r = next_rand(&seed);
			pos = (r & 3) ? (r >> 8) % size : (r >> 8) % 40;
			c[pos] ^= 1 + (r >> 40) % 255;
		}
		if (fdt_init(&fdt, c, size) == 0) {
			accepted++;
			clean += exercise(&fdt) == -EXO_ENOENT;
		}
		free(c);
	}
	/* The fuzz must reach the walkers, not stop at the header. */
	ck_assert_uint_gt(accepted, FUZZ_ROUNDS / 2);
	ck_assert_uint_gt(clean, 0);
	free(b);
}
END_TEST

void
fdt_add_hostile_tcases(Suite *s)
{
	TCase *tc;

#define ADD(name)                                                              \
	tc = tcase_create(#name);                                              \
	tcase_add_test(tc, name);                                              \
	suite_add_tcase(s, tc)
	ADD(test_bad_header);
	ADD(test_empty_struct);
	ADD(test_bad_memreserve);
	tc = tcase_create("test_truncation");
	tcase_add_loop_test(tc, test_truncation, 0, 2);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	ADD(test_mutation_fuzz);
	tcase_set_timeout(tc, 30);
#undef ADD
	tc = tcase_create("test_bad_struct");
	tcase_add_loop_test(tc, test_bad_struct, 0, BAD_COUNT);
	suite_add_tcase(s, tc);
}
