/*
 * Host tests for the devicetree reader (exo/lib/fdt.c) on well-formed
 * input: blobs built by fdt_writer.c and the QEMU aarch64 "virt"
 * devicetree from tests/unit/data/.  Malformed input is in
 * fdt_hostile_test.c, whose cases join the same suite.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <exo/error.h>
#include <kernel/fdt.h>
#include "fdt_writer.h"

/* --- well-formed blobs ---------------------------------------------------- */

START_TEST(test_init_header)
{
	struct sample s;

	sample_open(&s);
	ck_assert_ptr_eq(s.fdt.blob, s.blob);
	ck_assert_uint_eq(s.fdt.size, s.size);
	ck_assert_uint_eq(s.fdt.struct_off, W_STRUCT);
	ck_assert_uint_eq(s.fdt.struct_size, fdt32(s.blob + 36));
	ck_assert_uint_eq(s.fdt.strings_off, fdt32(s.blob + 12));
	ck_assert_uint_eq(s.fdt.strings_size, fdt32(s.blob + 32));
	/* A larger limit than the blob is fine; a smaller one is not. */
	ck_assert_int_eq(fdt_init(&s.fdt, s.blob, s.size + 100), 0);
	ck_assert_int_eq(fdt_init(&s.fdt, s.blob, s.size - 1), -EXO_EINVAL);
	ck_assert_int_eq(fdt_init(&s.fdt, NULL, 100), -EXO_EINVAL);
	free(s.blob);
}
END_TEST

/* The name of the node at `path`, which must exist. */
static const char *
name_at(const struct fdt *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	ck_assert_msg(node >= 0, "%s: %s", path, exo_strerror(node));
	return fdt_node_name(fdt, node);
}

START_TEST(test_path_lookup)
{
	struct sample s;

	sample_open(&s);
	ck_assert_str_eq(name_at(&s.fdt, "/"), "");
	ck_assert_str_eq(name_at(&s.fdt, "/chosen"), "chosen");
	ck_assert_str_eq(name_at(&s.fdt, "/memory@40000000"),
			 "memory@40000000");
	ck_assert_str_eq(name_at(&s.fdt, "/memory"), "memory@40000000");
	ck_assert_str_eq(name_at(&s.fdt, "/soc/uart"), "uart@9000000");
	ck_assert_str_eq(name_at(&s.fdt, "/soc/intc@8000000"), "intc@8000000");
	ck_assert_str_eq(name_at(&s.fdt, "//soc//rtc/"), "rtc@9010000");
	ck_assert_str_eq(name_at(&s.fdt, "/cpus/cpu@1"), "cpu@1");
	/* The first match wins when only the unit address differs. */
	ck_assert_str_eq(name_at(&s.fdt, "/cpus/cpu"), "cpu@0");

	ck_assert_int_eq(fdt_path_offset(&s.fdt, "/mem"), -EXO_ENOENT);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, "/memory@4"), -EXO_ENOENT);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, "/soc/uart@"), -EXO_ENOENT);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, "/uart"), -EXO_ENOENT);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, "/chosen/x"), -EXO_ENOENT);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, "/nope"), -EXO_ENOENT);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, "chosen"), -EXO_EINVAL);
	ck_assert_int_eq(fdt_path_offset(&s.fdt, ""), -EXO_EINVAL);
	free(s.blob);
}
END_TEST

START_TEST(test_getprop)
{
	struct sample s;
	const char *v;
	uint32_t len = 0;
	int root, mem;

	sample_open(&s);
	root = fdt_path_offset(&s.fdt, "/");
	mem = fdt_path_offset(&s.fdt, "/memory");
	v = fdt_getprop(&s.fdt, root, "model", &len);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(len, sizeof("exo test board"));
	ck_assert_str_eq(v, "exo test board");
	/* Found past an FDT_NOP, and with no length wanted. */
	v = fdt_getprop(&s.fdt, mem, "reg", NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(fdt32(v + 4), 0x40000000);
	ck_assert_uint_eq(fdt64(v + 8), 0x10000000);
	/* A child's property is not its parent's. */
	ck_assert_ptr_null(fdt_getprop(&s.fdt, root, "bootargs", &len));
	ck_assert_ptr_null(fdt_getprop(&s.fdt, root, "mode", &len));
	ck_assert_ptr_null(fdt_getprop(&s.fdt, root, "modelx", &len));
	/* Offsets that are not nodes. */
	ck_assert_ptr_null(fdt_getprop(&s.fdt, -1, "model", &len));
	ck_assert_ptr_null(fdt_getprop(&s.fdt, root + 1, "model", &len));
	ck_assert_ptr_null(fdt_getprop(&s.fdt, 0, "model", &len));
	ck_assert_ptr_null(fdt_getprop(&s.fdt, 0x7fffffff, "model", &len));
	ck_assert_ptr_null(fdt_node_name(&s.fdt, 0x7ffffffc));
	ck_assert_ptr_null(fdt_node_name(&s.fdt, -4));
	free(s.blob);
}
END_TEST

START_TEST(test_compatible)
{
	struct sample s;
	int uart, rtc;

	sample_open(&s);
	uart = fdt_path_offset(&s.fdt, "/soc/uart");
	rtc = fdt_path_offset(&s.fdt, "/soc/rtc");
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "vendor,uart"),
			 uart);
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "arm,pl011"), uart);
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "exo,board"),
			 fdt_path_offset(&s.fdt, "/"));
	/* Iterating over every node with a compatible string. */
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "arm,primecell"),
			 uart);
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, uart, "arm,primecell"),
			 rtc);
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, rtc, "arm,primecell"),
			 -EXO_ENOENT);
	/* Whole strings only. */
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "arm"),
			 -EXO_ENOENT);
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "arm,pl01"),
			 -EXO_ENOENT);
	ck_assert_int_eq(fdt_node_by_compatible(&s.fdt, -1, "arm,pl011x"),
			 -EXO_ENOENT);
	free(s.blob);
}
END_TEST

/* fdt_reg() of the node at `path`, which must succeed. */
static void
check_reg(const struct fdt *fdt, const char *path, unsigned idx, uint64_t base,
	  uint64_t size)
{
	uint64_t b = 0, sz = 0;
	int err = fdt_reg(fdt, fdt_path_offset(fdt, path), idx, &b, &sz);

	ck_assert_msg(err == 0, "%s[%u]: %s", path, idx, exo_strerror(err));
	ck_assert_msg(b == base && sz == size, "%s[%u]: %#lx+%#lx", path, idx,
		      (unsigned long)b, (unsigned long)sz);
}

static int
reg_err(const struct fdt *fdt, const char *path, unsigned idx)
{
	uint64_t b, sz;

	return fdt_reg(fdt, fdt_path_offset(fdt, path), idx, &b, &sz);
}

START_TEST(test_reg_cells)
{
	struct sample s;

	sample_open(&s);
	/* #address-cells = #size-cells = 2 (the root's). */
	check_reg(&s.fdt, "/memory", 0, 0x40000000, 0x10000000);
	check_reg(&s.fdt, "/memory", 1, 0x100000000ull, 0x1000);
	ck_assert_int_eq(reg_err(&s.fdt, "/memory", 2), -EXO_ENOENT);
	/* 1 and 1. */
	check_reg(&s.fdt, "/soc/uart", 0, 0x09000000, 0x1000);
	check_reg(&s.fdt, "/soc/intc", 0, 0x08000000, 0x10000);
	check_reg(&s.fdt, "/soc/intc", 1, 0x080a0000, 0xf60000);
	/* 1 and 0. */
	check_reg(&s.fdt, "/cpus/cpu@1", 0, 1, 0);
	ck_assert_int_eq(reg_err(&s.fdt, "/cpus/cpu@1", 1), -EXO_ENOENT);
	/* Parent without the properties: defaults 2 and 1. */
	check_reg(&s.fdt, "/defaults/leaf", 0, 0x10, 0x20);
	/* No reg, a reg not a whole number of entries, 3 address cells. */
	ck_assert_int_eq(reg_err(&s.fdt, "/chosen", 0), -EXO_ENOENT);
	ck_assert_int_eq(reg_err(&s.fdt, "/soc/rtc", 0), -EXO_EINVAL);
	ck_assert_int_eq(reg_err(&s.fdt, "/wide/dev", 0), -EXO_EINVAL);
	free(s.blob);
}
END_TEST

START_TEST(test_parent)
{
	struct sample s;
	int root, soc, uart;

	sample_open(&s);
	root = fdt_path_offset(&s.fdt, "/");
	soc = fdt_path_offset(&s.fdt, "/soc");
	uart = fdt_path_offset(&s.fdt, "/soc/uart");
	ck_assert_int_eq(fdt_parent(&s.fdt, uart), soc);
	ck_assert_int_eq(
		fdt_parent(&s.fdt, fdt_path_offset(&s.fdt, "/soc/rtc")), soc);
	ck_assert_int_eq(fdt_parent(&s.fdt, soc), root);
	ck_assert_int_eq(fdt_parent(&s.fdt, fdt_path_offset(&s.fdt, "/cpus")),
			 root);
	ck_assert_int_eq(fdt_parent(&s.fdt, root), -EXO_ENOENT);
	/* Offsets that are not nodes. */
	ck_assert_int_eq(fdt_parent(&s.fdt, uart + 4), -EXO_EINVAL);
	ck_assert_int_eq(fdt_parent(&s.fdt, -1), -EXO_EINVAL);
	ck_assert_int_eq(fdt_parent(&s.fdt, 0x7ffffffc), -EXO_EINVAL);
	free(s.blob);
}
END_TEST

START_TEST(test_next_node_depth)
{
	static const struct {
		const char *name;
		int depth;
	} want[] = {
		{ "", 0 },
		{ "chosen", 1 },
		{ "memory@40000000", 1 },
		{ "soc", 1 },
		{ "uart@9000000", 2 },
		{ "intc@8000000", 2 },
		{ "rtc@9010000", 2 },
		{ "cpus", 1 },
		{ "cpu@0", 2 },
		{ "cpu@1", 2 },
		{ "defaults", 1 },
		{ "leaf@10", 2 },
		{ "wide", 1 },
		{ "dev@0", 2 },
	};
	struct sample s;
	int node = -1, depth = 42;
	size_t i;

	sample_open(&s);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		node = fdt_next_node(&s.fdt, node, &depth);
		ck_assert_int_ge(node, 0);
		ck_assert_str_eq(fdt_node_name(&s.fdt, node), want[i].name);
		ck_assert_int_eq(depth, want[i].depth);
	}
	ck_assert_int_eq(fdt_next_node(&s.fdt, node, &depth), -EXO_ENOENT);
	/* A depth the walk cannot have produced. */
	depth = -1;
	ck_assert_int_eq(fdt_next_node(&s.fdt, node, &depth), -EXO_EINVAL);
	free(s.blob);
}
END_TEST

/* A chain of `levels` nested nodes under the root. */
static uint8_t *
build_deep(int levels, uint32_t *size)
{
	static struct writer w;
	int i;

	memset(&w, 0, sizeof(w));
	w_begin(&w, "");
	for (i = 0; i < levels; i++)
		w_begin(&w, "n");
	for (i = 0; i <= levels; i++)
		w_end_node(&w);
	w_u32(&w, TOK_END);
	return w_finish(&w, size);
}

/* Walk the whole tree; returns the last result (-EXO_ENOENT when clean)
 * and the deepest depth seen. */
static int
walk(const struct fdt *fdt, int *deepest)
{
	int node = -1, depth = 0;

	*deepest = -1;
	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if (node < 0)
			return node;
		*deepest = MAX(*deepest, depth);
	}
}

START_TEST(test_depth_limit)
{
	struct fdt fdt;
	uint32_t size;
	uint8_t *b;
	int deepest;

	b = build_deep(FDT_MAX_DEPTH, &size);
	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
	ck_assert_int_eq(walk(&fdt, &deepest), -EXO_ENOENT);
	ck_assert_int_eq(deepest, FDT_MAX_DEPTH);
	free(b);

	b = build_deep(FDT_MAX_DEPTH + 1, &size);
	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
	ck_assert_int_eq(walk(&fdt, &deepest), -EXO_EINVAL);
	ck_assert_int_eq(deepest, FDT_MAX_DEPTH);
	ck_assert_int_eq(fdt_path_offset(&fdt, "/n/n"), 0x10);
	free(b);
}
END_TEST

/* Fields a reader must accept: any boot CPU, version 16 (no structure
 * size), a newer version that is still compatible with 16. */
START_TEST(test_header_variants)
{
	struct sample s;
	int deepest;

	sample_open(&s);
	put32(s.blob + 28, 0xffffffff);
	ck_assert_int_eq(fdt_init(&s.fdt, s.blob, s.size), 0);
	put32(s.blob + 20, 20);
	ck_assert_int_eq(fdt_init(&s.fdt, s.blob, s.size), 0);
	put32(s.blob + 20, 16);
	put32(s.blob + 36, 0xffffffff); /* no such field in version 16 */
	ck_assert_int_eq(fdt_init(&s.fdt, s.blob, s.size), 0);
	ck_assert_uint_eq(s.fdt.struct_size, s.size - W_STRUCT);
	ck_assert_int_eq(walk(&s.fdt, &deepest), -EXO_ENOENT);
	ck_assert_int_eq(deepest, 2);
	check_reg(&s.fdt, "/soc/intc", 1, 0x080a0000, 0xf60000);
	free(s.blob);
}
END_TEST

/* A root node behind three reservations, none of them the terminator. */
static uint8_t *
build_memreserve(uint32_t *size)
{
	static struct writer w;

	memset(&w, 0, sizeof(w));
	w_rsv(&w, 0x48000000, 0x10000);
	w_rsv(&w, 0, 0x1000);
	w_rsv(&w, 0xfffff000ffff0000ull, 0);
	w_begin(&w, "");
	w_end_node(&w);
	w_u32(&w, TOK_END);
	return w_finish(&w, size);
}

/* fdt_memreserve() entry `idx`, which must exist. */
static void
check_rsv(const struct fdt *fdt, unsigned idx, uint64_t base, uint64_t size)
{
	uint64_t b = 0, sz = 0;
	int err = fdt_memreserve(fdt, idx, &b, &sz);

	ck_assert_msg(err == 0, "memreserve[%u]: %s", idx, exo_strerror(err));
	ck_assert_msg(b == base && sz == size, "memreserve[%u]: %#lx+%#lx", idx,
		      (unsigned long)b, (unsigned long)sz);
}

START_TEST(test_memreserve)
{
	struct sample s;
	struct fdt fdt;
	uint64_t base, size;
	uint32_t bsize;
	uint8_t *b = build_memreserve(&bsize);

	ck_assert_int_eq(fdt_init(&fdt, b, bsize), 0);
	ck_assert_uint_eq(fdt.rsvmap_off, W_RSV);
	check_rsv(&fdt, 0, 0x48000000, 0x10000);
	check_rsv(&fdt, 1, 0, 0x1000);
	check_rsv(&fdt, 2, 0xfffff000ffff0000ull, 0);
	ck_assert_int_eq(fdt_memreserve(&fdt, 3, &base, &size), -EXO_ENOENT);
	ck_assert_int_eq(fdt_memreserve(&fdt, 1000, &base, &size), -EXO_ENOENT);
	ck_assert_int_eq(fdt_memreserve(&fdt, ~0u, &base, &size), -EXO_ENOENT);
	/* The structure block behind the map is found. */
	ck_assert_str_eq(name_at(&fdt, "/"), "");
	free(b);

	sample_open(&s);
	ck_assert_int_eq(fdt_memreserve(&s.fdt, 0, &base, &size), -EXO_ENOENT);
	free(s.blob);
}
END_TEST

/* --- the QEMU virt devicetree --------------------------------------------- */

START_TEST(test_qemu_virt)
{
	struct fdt fdt;
	const char *out;
	uint64_t base, rsize;
	uint32_t size, len;
	uint8_t *b = load_qemu(&size);
	int node, timer, chosen;

	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
	/* QEMU reserves nothing with /memreserve/. */
	ck_assert_int_eq(fdt_memreserve(&fdt, 0, &base, &rsize), -EXO_ENOENT);
	check_reg(&fdt, "/memory", 0, 0x40000000, 256 << 20);
	check_reg(&fdt, "/memory@40000000", 0, 0x40000000, 256 << 20);

	node = fdt_node_by_compatible(&fdt, -1, "arm,pl011");
	ck_assert_int_ge(node, 0);
	ck_assert_str_eq(fdt_node_name(&fdt, node), "pl011@9000000");
	check_reg(&fdt, "/pl011", 0, 0x09000000, 0x1000);
	ck_assert_int_eq(fdt_node_by_compatible(&fdt, node, "arm,pl011"),
			 -EXO_ENOENT);

	node = fdt_node_by_compatible(&fdt, -1, "arm,gic-v3");
	ck_assert_int_eq(node, fdt_path_offset(&fdt, "/intc"));
	check_reg(&fdt, "/intc", 0, 0x08000000, 0x10000);
	check_reg(&fdt, "/intc", 1, 0x080a0000, 0xf60000);
	ck_assert_int_eq(reg_err(&fdt, "/intc", 2), -EXO_ENOENT);
	check_reg(&fdt, "/intc/its", 0, 0x08080000, 0x20000);
	ck_assert_int_eq(fdt_parent(&fdt, fdt_path_offset(&fdt, "/intc/its")),
			 node);

	timer = fdt_path_offset(&fdt, "/timer");
	ck_assert_int_eq(fdt_node_by_compatible(&fdt, -1, "arm,armv7-timer"),
			 timer);
	ck_assert_ptr_nonnull(fdt_getprop(&fdt, timer, "interrupts", &len));
	ck_assert_uint_eq(len, 4 * 3 * 4); /* four PPIs of three cells */

	check_reg(&fdt, "/cpus/cpu@0", 0, 0, 0);

	chosen = fdt_path_offset(&fdt, "/chosen");
	ck_assert_int_ge(chosen, 0);
	out = fdt_getprop(&fdt, chosen, "stdout-path", &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(len, strlen(out) + 1);
	ck_assert_int_eq(fdt_path_offset(&fdt, out),
			 fdt_node_by_compatible(&fdt, -1, "arm,pl011"));
	free(b);
}
END_TEST

Suite *
fdt_suite(void)
{
	Suite *s = suite_create("fdt");
	TCase *tc;

#define ADD(name)                                                              \
	tc = tcase_create(#name);                                              \
	tcase_add_test(tc, name);                                              \
	suite_add_tcase(s, tc)
	ADD(test_init_header);
	ADD(test_path_lookup);
	ADD(test_getprop);
	ADD(test_compatible);
	ADD(test_reg_cells);
	ADD(test_parent);
	ADD(test_next_node_depth);
	ADD(test_depth_limit);
	ADD(test_header_variants);
	ADD(test_memreserve);
	ADD(test_qemu_virt);
#undef ADD
	fdt_add_hostile_tcases(s);
	return s;
}
