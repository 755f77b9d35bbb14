/*
 * A small, defensive reader for flattened devicetree blobs (DTB, devicetree
 * specification v0.4, "Flattened Devicetree Format").  It never writes the
 * blob and never reads outside the size given to fdt_init(), whatever the
 * blob contains, so it is safe on untrusted input.
 *
 * Nodes are named by their offset in the structure block (an int >= 0).
 */
#ifndef EXO_KERNEL_FDT_H
#define EXO_KERNEL_FDT_H

#include <kernel/compiler.h>

/* Deepest node accepted (the root is depth 0); real trees stay below 10. */
#define FDT_MAX_DEPTH 63

struct fdt {
	const uint8_t *blob;
	uint32_t size;	     /* totalsize, checked against the caller's limit */
	uint32_t rsvmap_off; /* memory reservation block */
	uint32_t struct_off; /* structure block */
	uint32_t struct_size;
	uint32_t strings_off; /* strings block */
	uint32_t strings_size;
};

/*
 * Check the header of the blob at `blob` (at most `limit` bytes readable)
 * and fill *fdt.  Returns 0, or -EXO_EINVAL for a bad magic, an unsupported
 * version or any block that does not fit inside the blob.
 */
int fdt_init(struct fdt *fdt, const void *blob, size_t limit);

/*
 * Entry `index` of the memory reservation block (/memreserve/): *base and
 * *size of a range the OS must not use.  Returns 0, -EXO_ENOENT at or past
 * the terminating zero entry, or -EXO_EINVAL if the block runs off the end
 * of the blob before that.
 */
int fdt_memreserve(const struct fdt *fdt, unsigned index, uint64_t *base,
		   uint64_t *size);

/*
 * The node after `node` in document order; node -1 starts at the root.
 * *depth must be the value the previous call returned with `node` (the
 * absolute depth; it is ignored for node -1) and gets the new node's depth,
 * the root being 0.  Returns the offset, or -EXO_ENOENT at the end, or
 * -EXO_EINVAL if `node` is not a node, *depth is negative or the structure
 * block is malformed (nesting deeper than FDT_MAX_DEPTH included).
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);

/* The node's name ("memory@40000000"; "" for the root), or NULL if `node`
 * is not a node. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/*
 * The node at an absolute path ("/", "/chosen", "/memory@40000000").  A
 * path component without '@' also matches a name with a unit address; the
 * first match wins.  Returns the offset, -EXO_ENOENT if there is no such
 * node, or -EXO_EINVAL if the path does not start with '/' or the blob is
 * malformed.
 */
int fdt_path_offset(const struct fdt *fdt, const char *path);

/*
 * The value of property `name` of `node`; *len gets its length unless len
 * is NULL.  Returns NULL if the node has no such property, `node` is not a
 * node or the blob is malformed.
 */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			uint32_t *len);

/*
 * The first node at an offset greater than `after` (-1: from the start)
 * whose "compatible" list contains `compat`.  Returns its offset,
 * -EXO_ENOENT if there is none, or -EXO_EINVAL if the blob is malformed.
 */
int fdt_node_by_compatible(const struct fdt *fdt, int after,
			   const char *compat);

/* The parent of a node.  Returns its offset, -EXO_ENOENT for the root, or
 * -EXO_EINVAL if `node` is not a node or the blob is malformed. */
int fdt_parent(const struct fdt *fdt, int node);

/*
 * Entry `index` of the node's "reg" property, decoded with the parent's
 * #address-cells (1 or 2) and #size-cells (0, 1 or 2); a parent without
 * them, and the root, use the defaults 2 and 1.  A size of 0 cells reads
 * as 0.  Returns 0, -EXO_ENOENT if there is no "reg" or `index` is past its
 * last entry, or -EXO_EINVAL for other cell counts, a "reg" that is not a
 * whole number of entries, an offset that is not a node or a malformed
 * blob.
 */
int fdt_reg(const struct fdt *fdt, int node, unsigned index, uint64_t *base,
	    uint64_t *size);

/* Big-endian cell readers for property values. */
static inline uint32_t
fdt32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t
fdt64(const void *p)
{
	return (uint64_t)fdt32(p) << 32 | fdt32((const uint8_t *)p + 4);
}

#endif
