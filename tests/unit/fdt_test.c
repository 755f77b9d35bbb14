/*
 * Host tests for the devicetree reader (exo/lib/fdt.c): blobs built by a
 * tiny writer below, the QEMU aarch64 "virt" devicetree from
 * tests/unit/data/, malformed and truncated blobs, and a mutation fuzz.
 * Every blob lives in a heap block of exactly its size, so ASan catches any
 * read past its end.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <exo/error.h>
#include <kernel/fdt.h>

/* ck_assert() reports every pass to the Check runner, which is slow in
 * loops run thousands of times; this reports only failures. */
#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			ck_abort_msg("%s", #c);                                \
	} while (0)

#define QEMU_DTB "tests/unit/data/qemu-virt-gicv3.dtb"

/* Mirrors FDT_MAX_DEPTH in exo/lib/fdt.c: the deepest depth accepted. */
#define MAX_DEPTH 63

enum {
	TOK_BEGIN = 1,
	TOK_END_NODE = 2,
	TOK_PROP = 3,
	TOK_NOP = 4,
	TOK_END = 9
};

/* --- a minimal FDT writer ------------------------------------------------ */

struct writer {
	uint8_t st[8192]; /* structure block */
	uint32_t st_len;
	char str[1024]; /* strings block */
	uint32_t str_len;
};

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Append n raw bytes, then zero padding to a 4-byte boundary. */
static void
w_bytes(struct writer *w, const void *p, size_t n)
{
	ck_assert_uint_le(w->st_len + n + 3, sizeof(w->st));
	memcpy(w->st + w->st_len, p, n);
	w->st_len += n;
	while (w->st_len % 4)
		w->st[w->st_len++] = 0;
}

static void
w_u32(struct writer *w, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	w_bytes(w, b, 4);
}

static void
w_begin(struct writer *w, const char *name)
{
	w_u32(w, TOK_BEGIN);
	w_bytes(w, name, strlen(name) + 1);
}

static void
w_end_node(struct writer *w)
{
	w_u32(w, TOK_END_NODE);
}

/* A property: its name goes to the strings block (no sharing needed). */
static void
w_prop(struct writer *w, const char *name, const void *val, uint32_t len)
{
	size_t n = strlen(name) + 1;

	ck_assert_uint_le(w->str_len + n, sizeof(w->str));
	w_u32(w, TOK_PROP);
	w_u32(w, len);
	w_u32(w, w->str_len);
	memcpy(w->str + w->str_len, name, n);
	w->str_len += n;
	w_bytes(w, val, len);
}

static void
w_cells(struct writer *w, const char *name, const uint32_t *cells, size_t n)
{
	uint8_t buf[64];
	size_t i;

	ck_assert_uint_le(n * 4, sizeof(buf));
	for (i = 0; i < n; i++)
		put32(buf + 4 * i, cells[i]);
	w_prop(w, name, buf, n * 4);
}

#define W_CELLS(w, name, ...)                                                  \
	w_cells(w, name, (const uint32_t[]){ __VA_ARGS__ },                    \
		sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)
/* A string (list) literal, with its final NUL. */
#define W_STR(w, name, s) w_prop(w, name, s, sizeof(s))

/* Offsets of the blob layout the writer produces: header, an empty
 * reservation map, the structure block, the strings block. */
#define W_RSV 40
#define W_STRUCT 56

/* Header, reservation map and both blocks, in a heap block of exactly
 * *size bytes (free() it). */
static uint8_t *
w_finish(const struct writer *w, uint32_t *size)
{
	uint32_t str_off = W_STRUCT + w->st_len;
	uint8_t *b;

	*size = str_off + w->str_len;
	b = calloc(1, *size);
	ck_assert_ptr_nonnull(b);
	put32(b + 0, 0xd00dfeed);
	put32(b + 4, *size);
	put32(b + 8, W_STRUCT);
	put32(b + 12, str_off);
	put32(b + 16, W_RSV);
	put32(b + 20, 17);
	put32(b + 24, 16);
	put32(b + 28, 0);
	put32(b + 32, w->str_len);
	put32(b + 36, w->st_len);
	memcpy(b + W_STRUCT, w->st, w->st_len);
	memcpy(b + str_off, w->str, w->str_len);
	return b;
}

/* --- fixtures ------------------------------------------------------------ */

/*
 * A small board with FDT_NOPs sprinkled where the specification allows
 * them: before and after the root, after names, between properties and
 * between nodes.
 */
static uint8_t *
build_sample(uint32_t *size)
{
	static struct writer w;

	memset(&w, 0, sizeof(w));
	w_u32(&w, TOK_NOP);
	w_begin(&w, "");
	w_u32(&w, TOK_NOP);
	W_CELLS(&w, "#address-cells", 2);
	W_CELLS(&w, "#size-cells", 2);
	W_STR(&w, "compatible", "exo,test\0exo,board");
	W_STR(&w, "model", "exo test board");

	w_begin(&w, "chosen");
	W_STR(&w, "bootargs", "console=ttyAMA0");
	w_end_node(&w);

	w_begin(&w, "memory@40000000");
	W_STR(&w, "device_type", "memory");
	w_u32(&w, TOK_NOP);
	W_CELLS(&w, "reg", 0, 0x40000000, 0, 0x10000000, 1, 0, 0, 0x1000);
	w_end_node(&w);
	w_u32(&w, TOK_NOP);

	w_begin(&w, "soc");
	W_CELLS(&w, "#address-cells", 1);
	W_CELLS(&w, "#size-cells", 1);
	W_STR(&w, "compatible", "simple-bus");
	w_begin(&w, "uart@9000000");
	W_STR(&w, "compatible", "vendor,uart\0arm,pl011\0arm,primecell");
	W_CELLS(&w, "reg", 0x09000000, 0x1000);
	w_end_node(&w);
	w_begin(&w, "intc@8000000");
	W_STR(&w, "compatible", "arm,gic-v3");
	W_CELLS(&w, "reg", 0x08000000, 0x10000, 0x080a0000, 0xf60000);
	w_end_node(&w);
	w_begin(&w, "rtc@9010000");
	W_STR(&w, "compatible", "arm,pl031\0arm,primecell");
	W_CELLS(&w, "reg", 0x09010000, 0x1000, 0x5);
	w_end_node(&w);
	w_end_node(&w);

	w_begin(&w, "cpus");
	W_CELLS(&w, "#address-cells", 1);
	W_CELLS(&w, "#size-cells", 0);
	w_begin(&w, "cpu@0");
	W_CELLS(&w, "reg", 0);
	w_end_node(&w);
	w_begin(&w, "cpu@1");
	W_CELLS(&w, "reg", 1);
	w_end_node(&w);
	w_end_node(&w);

	w_begin(&w, "defaults");
	w_begin(&w, "leaf@10");
	W_CELLS(&w, "reg", 0, 0x10, 0x20);
	w_end_node(&w);
	w_end_node(&w);

	w_begin(&w, "wide");
	W_CELLS(&w, "#address-cells", 3);
	w_begin(&w, "dev@0");
	W_CELLS(&w, "reg", 0, 0, 0, 0);
	w_end_node(&w);
	w_end_node(&w);
	w_u32(&w, TOK_NOP);
	w_end_node(&w);
	w_u32(&w, TOK_NOP);
	w_u32(&w, TOK_END);
	return w_finish(&w, size);
}

/* The sample board, parsed; `blob` must be freed. */
struct sample {
	uint8_t *blob;
	uint32_t size;
	struct fdt fdt;
};

static void
sample_open(struct sample *s)
{
	s->blob = build_sample(&s->size);
	ck_assert_int_eq(fdt_init(&s->fdt, s->blob, s->size), 0);
}

/* The QEMU blob in a heap block of exactly *size bytes (free() it). */
static uint8_t *
load_qemu(uint32_t *size)
{
	FILE *f = fopen(QEMU_DTB, "rb");
	uint8_t *b;
	long n;

	ck_assert_msg(f, "cannot open %s (run from the repository root)",
		      QEMU_DTB);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_gt(n, 0);
	rewind(f);
	b = malloc(n);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(fread(b, 1, n, f), n);
	fclose(f);
	*size = n;
	return b;
}

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

	b = build_deep(MAX_DEPTH, &size);
	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
	ck_assert_int_eq(walk(&fdt, &deepest), -EXO_ENOENT);
	ck_assert_int_eq(deepest, MAX_DEPTH);
	free(b);

	b = build_deep(MAX_DEPTH + 1, &size);
	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
	ck_assert_int_eq(walk(&fdt, &deepest), -EXO_EINVAL);
	ck_assert_int_eq(deepest, MAX_DEPTH);
	ck_assert_int_eq(fdt_path_offset(&fdt, "/n/n"), 0x10);
	free(b);
}
END_TEST

/* --- the QEMU virt devicetree --------------------------------------------- */

START_TEST(test_qemu_virt)
{
	struct fdt fdt;
	const char *out;
	uint32_t size, len;
	uint8_t *b = load_qemu(&size);
	int node, timer, chosen;

	ck_assert_int_eq(fdt_init(&fdt, b, size), 0);
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

/* --- hostile input -------------------------------------------------------- */

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
		CHECK(depth >= 0 && depth <= MAX_DEPTH);
		check_node(fdt, node);
	}
	CHECK(is_err(node));
	return node;
}

/*
 * check_walk(), plus every other call: path and compatible look-ups, and
 * the parent and reg entries of every node.  Each gives a valid result or
 * an error.  Returns what check_walk() returns.
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
	ADD(test_qemu_virt);
	ADD(test_bad_header);
	ADD(test_header_variants);
	ADD(test_empty_struct);
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
	return s;
}
