/*
 * The devicetree tests' blob writer and fixtures (see fdt_writer.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/fdt.h>
#include "fdt_writer.h"

void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, (uint32_t)v);
}

void
w_bytes(struct writer *w, const void *p, size_t n)
{
	ck_assert_uint_le(w->st_len + n + 3, sizeof(w->st));
	memcpy(w->st + w->st_len, p, n);
	w->st_len += n;
	while (w->st_len % 4)
		w->st[w->st_len++] = 0;
}

void
w_u32(struct writer *w, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	w_bytes(w, b, 4);
}

void
w_begin(struct writer *w, const char *name)
{
	w_u32(w, TOK_BEGIN);
	w_bytes(w, name, strlen(name) + 1);
}

void
w_end_node(struct writer *w)
{
	w_u32(w, TOK_END_NODE);
}

void
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

void
w_cells(struct writer *w, const char *name, const uint32_t *cells, size_t n)
{
	uint8_t buf[64];
	size_t i;

	ck_assert_uint_le(n * 4, sizeof(buf));
	for (i = 0; i < n; i++)
		put32(buf + 4 * i, cells[i]);
	w_prop(w, name, buf, n * 4);
}

void
w_rsv(struct writer *w, uint64_t base, uint64_t size)
{
	ck_assert_uint_lt(w->nrsv, W_MAX_RSV);
	w->rsv[w->nrsv][0] = base;
	w->rsv[w->nrsv][1] = size;
	w->nrsv++;
}

uint8_t *
w_finish(const struct writer *w, uint32_t *size)
{
	uint32_t st_off = W_STRUCT + 16 * w->nrsv;
	uint32_t str_off = st_off + w->st_len;
	uint8_t *b;
	unsigned i;

	*size = str_off + w->str_len;
	b = calloc(1, *size); /* the map's terminator is left zero */
	ck_assert_ptr_nonnull(b);
	put32(b + 0, 0xd00dfeed);
	put32(b + 4, *size);
	put32(b + 8, st_off);
	put32(b + 12, str_off);
	put32(b + 16, W_RSV);
	put32(b + 20, 17);
	put32(b + 24, 16);
	put32(b + 28, 0);
	put32(b + 32, w->str_len);
	put32(b + 36, w->st_len);
	for (i = 0; i < w->nrsv; i++) {
		put64(b + W_RSV + 16 * i, w->rsv[i][0]);
		put64(b + W_RSV + 16 * i + 8, w->rsv[i][1]);
	}
	memcpy(b + st_off, w->st, w->st_len);
	memcpy(b + str_off, w->str, w->str_len);
	return b;
}

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

void
sample_open(struct sample *s)
{
	s->blob = build_sample(&s->size);
	ck_assert_int_eq(fdt_init(&s->fdt, s->blob, s->size), 0);
}

uint8_t *
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
