/*
 * Shared by the devicetree reader's host tests (fdt_test.c,
 * fdt_hostile_test.c): a minimal FDT writer, the sample board built with
 * it, and the QEMU virt blob from tests/unit/data/.  Every blob lives in a
 * heap block of exactly its size, so ASan catches any read past its end.
 */
#ifndef TESTS_UNIT_FDT_WRITER_H
#define TESTS_UNIT_FDT_WRITER_H

#include <check.h>
#include <stdint.h>

#include <kernel/fdt.h>

#define QEMU_DTB "tests/unit/data/qemu-virt-gicv3.dtb"

enum {
	TOK_BEGIN = 1,
	TOK_END_NODE = 2,
	TOK_PROP = 3,
	TOK_NOP = 4,
	TOK_END = 9
};

#define W_MAX_RSV 4

/* A blob being built: zero it, append with w_*(), then w_finish(). */
struct writer {
	uint8_t st[8192]; /* structure block */
	uint32_t st_len;
	char str[1024]; /* strings block */
	uint32_t str_len;
	uint64_t rsv[W_MAX_RSV][2]; /* reservation map, without terminator */
	unsigned nrsv;
};

/* Store v big-endian at p. */
void put32(uint8_t *p, uint32_t v);

/* Append n raw bytes to the structure block, then zero padding to a
 * 4-byte boundary. */
void w_bytes(struct writer *w, const void *p, size_t n);

void w_u32(struct writer *w, uint32_t v);
void w_begin(struct writer *w, const char *name);
void w_end_node(struct writer *w);

/* A property: its name goes to the strings block (no sharing needed). */
void w_prop(struct writer *w, const char *name, const void *val, uint32_t len);

/* A property of n big-endian cells. */
void w_cells(struct writer *w, const char *name, const uint32_t *cells,
	     size_t n);

/* A /memreserve/ entry; w_finish() adds the terminating zero entry. */
void w_rsv(struct writer *w, uint64_t base, uint64_t size);

#define W_CELLS(w, name, ...)                                                  \
	w_cells(w, name, (const uint32_t[]){ __VA_ARGS__ },                    \
		sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)
/* A string (list) literal, with its final NUL. */
#define W_STR(w, name, s) w_prop(w, name, s, sizeof(s))

/* Offsets of the blob layout the writer produces: header, reservation map,
 * the structure block (at W_STRUCT when the map is empty), the strings
 * block. */
#define W_RSV 40
#define W_STRUCT (W_RSV + 16)

/* Header, reservation map and both blocks, in a heap block of exactly
 * *size bytes (free() it). */
uint8_t *w_finish(const struct writer *w, uint32_t *size);

/* The sample board, parsed; `blob` must be freed. */
struct sample {
	uint8_t *blob;
	uint32_t size;
	struct fdt fdt;
};

/*
 * Build and parse a small board (empty reservation map) with FDT_NOPs
 * sprinkled where the specification allows them: before and after the
 * root, after names, between properties and between nodes.
 */
void sample_open(struct sample *s);

/* The QEMU blob in a heap block of exactly *size bytes (free() it). */
uint8_t *load_qemu(uint32_t *size);

/* Add fdt_hostile_test.c's cases to the fdt suite. */
void fdt_add_hostile_tcases(Suite *s);

#endif
