/*
 * Flattened devicetree reader (devicetree specification v0.4, chapter 5).
 *
 * Every access to the structure block goes through fdt_token(), which
 * checks that a token and its payload (node name, property header and
 * value, property name in the strings block) lie inside the blocks
 * fdt_init() checked against the caller's limit; fdt_memreserve() checks
 * each reservation entry against the blob's size.  Nothing is cached and
 * nothing is trusted, so a corrupt blob yields an error, never a read
 * outside it.  Walks are iterative and keep a few integers of state
 * (fdt_parent() one per level); depth is bounded by FDT_MAX_DEPTH.
 */
#include <exo/error.h>
#include <kernel/compiler.h>
#include <kernel/fdt.h>
#include <kernel/lib.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 0x1
#define FDT_END_NODE 0x2
#define FDT_PROP 0x3
#define FDT_NOP 0x4
#define FDT_END 0x9

/* Header fields (byte offsets); version 17 adds size_dt_struct. */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP 16
#define HDR_VERSION 20
#define HDR_LAST_COMP 24
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT 36
#define HDR_V16_SIZE 36
#define HDR_V17_SIZE 40

/* A reservation entry: 64-bit address and size; both 0 ends the block. */
#define RSV_ENTRY_SIZE 16

#define FDT_FIRST_VERSION 16
#define FDT_LAST_VERSION 17

/* Node offsets are ints, so no blob may be larger than this. */
#define FDT_MAX_SIZE 0x7fffffffu

/* Whether [off, off + size) fits in a blob of `total` bytes after its
 * header of `hdr` bytes. */
static bool
block_fits(uint32_t off, uint32_t size, uint32_t hdr, uint32_t total)
{
	return off >= hdr && off <= total && size <= total - off;
}

int
fdt_init(struct fdt *fdt, const void *blob, size_t limit)
{
	const uint8_t *h = blob;
	uint32_t version, hdr, total, st_off, st_size, str_off, str_size, rsv;

	if (!blob || limit < HDR_V16_SIZE || fdt32(h + HDR_MAGIC) != FDT_MAGIC)
		return -EXO_EINVAL;
	version = fdt32(h + HDR_VERSION);
	if (version < FDT_FIRST_VERSION ||
	    fdt32(h + HDR_LAST_COMP) > FDT_LAST_VERSION ||
	    fdt32(h + HDR_LAST_COMP) > version)
		return -EXO_EINVAL;
	hdr = version >= 17 ? HDR_V17_SIZE : HDR_V16_SIZE;
	total = fdt32(h + HDR_TOTALSIZE);
	if (total < hdr || total > limit || total > FDT_MAX_SIZE)
		return -EXO_EINVAL;

	st_off = fdt32(h + HDR_OFF_STRUCT);
	str_off = fdt32(h + HDR_OFF_STRINGS);
	str_size = fdt32(h + HDR_SIZE_STRINGS);
	rsv = fdt32(h + HDR_OFF_RSVMAP);
	/* Version 16 has no structure size: the block runs to the end. */
	if (version >= 17)
		st_size = fdt32(h + HDR_SIZE_STRUCT);
	else
		st_size = st_off <= total ? total - st_off : 0;
	/* The reservation map's length is only known by walking it
	 * (fdt_memreserve() does), but it has room for one entry at least. */
	if (st_off % 4 || !block_fits(st_off, st_size, hdr, total) ||
	    !block_fits(str_off, str_size, hdr, total) || rsv % 8 ||
	    !block_fits(rsv, RSV_ENTRY_SIZE, hdr, total))
		return -EXO_EINVAL;

	fdt->blob = h;
	fdt->size = total;
	fdt->rsvmap_off = rsv;
	fdt->struct_off = st_off;
	fdt->struct_size = st_size;
	fdt->strings_off = str_off;
	fdt->strings_size = str_size;
	return 0;
}

/* Each walk starts at the first entry, so an entry is only returned if all
 * the ones before it are there, none of them the terminator. */
int
fdt_memreserve(const struct fdt *fdt, unsigned index, uint64_t *base,
	       uint64_t *size)
{
	const uint8_t *e;
	uint32_t off = fdt->rsvmap_off;
	unsigned i;

	for (i = 0;; i++, off += RSV_ENTRY_SIZE) {
		/* Cannot wrap: off <= size < 2^31. */
		if (off > fdt->size || fdt->size - off < RSV_ENTRY_SIZE)
			return -EXO_EINVAL;
		e = fdt->blob + off;
		if (!fdt64(e) && !fdt64(e + 8))
			return -EXO_ENOENT;
		if (i == index) {
			*base = fdt64(e);
			*size = fdt64(e + 8);
			return 0;
		}
	}
}

/* The NUL-terminated string at `off` in the strings block, or NULL. */
static const char *
fdt_string(const struct fdt *fdt, uint32_t off)
{
	const char *s;
	uint32_t room;

	if (off >= fdt->strings_size)
		return NULL;
	s = (const char *)fdt->blob + fdt->strings_off + off;
	room = fdt->strings_size - off;
	return strnlen(s, room) < room ? s : NULL;
}

/*
 * Decode the token at structure offset `off` and set *next to the offset
 * of the token after it.  Returns the token, or -EXO_EINVAL if the token is
 * misaligned, unknown, or it or its payload leaves the structure block.
 */
static int
fdt_token(const struct fdt *fdt, uint32_t off, uint32_t *next)
{
	const uint8_t *p;
	uint32_t room, len, tok;

	if (off % 4 || off > fdt->struct_size || fdt->struct_size - off < 4)
		return -EXO_EINVAL;
	p = fdt->blob + fdt->struct_off + off;
	room = fdt->struct_size - off - 4;
	tok = fdt32(p);
	switch (tok) {
	case FDT_BEGIN_NODE:
		len = (uint32_t)strnlen((const char *)p + 4, room);
		if (len == room)
			return -EXO_EINVAL;
		/* Cannot wrap: off + room < 2^31. */
		*next = off + 4 + ALIGN_UP(len + 1, 4u);
		return FDT_BEGIN_NODE;
	case FDT_PROP:
		if (room < 8)
			return -EXO_EINVAL;
		len = fdt32(p + 4);
		if (len > room - 8 || !fdt_string(fdt, fdt32(p + 8)))
			return -EXO_EINVAL;
		*next = off + 12 + ALIGN_UP(len, 4u);
		return FDT_PROP;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		*next = off + 4;
		return (int)tok;
	default:
		return -EXO_EINVAL;
	}
}

/* Whether `node` is the offset of a well-formed FDT_BEGIN_NODE token; if so
 * *next gets the offset of the token after its name. */
static bool
fdt_is_node(const struct fdt *fdt, int node, uint32_t *next)
{
	return node >= 0 &&
	       fdt_token(fdt, (uint32_t)node, next) == FDT_BEGIN_NODE;
}

/*
 * Taking the absolute depth from the caller, rather than a depth relative
 * to `node`, is what lets the walk check the nesting: one root, every node
 * closed, FDT_END right after the root closes, nothing deeper than
 * FDT_MAX_DEPTH.
 */
int
fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	uint32_t off, next;
	int tok;

	if (node < 0) {
		off = 0;
		*depth = -1;
	} else if (*depth < 0 || !fdt_is_node(fdt, node, &off)) {
		return -EXO_EINVAL;
	}
	for (;; off = next) {
		tok = fdt_token(fdt, off, &next);
		if (tok < 0)
			return tok;
		if (tok == FDT_BEGIN_NODE) {
			/* After the root closes only FDT_END may follow. */
			if (*depth < 0 && node >= 0)
				return -EXO_EINVAL;
			if (++*depth > FDT_MAX_DEPTH)
				return -EXO_EINVAL;
			return (int)off;
		}
		if (tok == FDT_END_NODE && --*depth < -1)
			return -EXO_EINVAL;
		if (tok == FDT_PROP && *depth < 0)
			return -EXO_EINVAL;
		if (tok == FDT_END)
			return *depth == -1 && node >= 0 ? -EXO_ENOENT
							 : -EXO_EINVAL;
	}
}

const char *
fdt_node_name(const struct fdt *fdt, int node)
{
	uint32_t next;

	if (!fdt_is_node(fdt, node, &next))
		return NULL;
	return (const char *)fdt->blob + fdt->struct_off + (uint32_t)node + 4;
}

/* Whether node name `name` matches path component comp[0..n): exactly, or
 * up to its '@' when the component has no unit address. */
static bool
name_matches(const char *name, const char *comp, size_t n)
{
	size_t i;

	if (strncmp(name, comp, n) != 0)
		return false;
	if (name[n] == '\0')
		return true;
	if (name[n] != '@')
		return false;
	for (i = 0; i < n; i++) {
		if (comp[i] == '@')
			return false;
	}
	return true;
}

/* The first child of `parent` (at depth `pdepth`) whose name matches
 * comp[0..n).  Returns its offset, -EXO_ENOENT or -EXO_EINVAL. */
static int
fdt_child(const struct fdt *fdt, int parent, int pdepth, const char *comp,
	  size_t n)
{
	int node = parent, depth = pdepth;

	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if (node < 0)
			return node;
		if (depth <= pdepth)
			return -EXO_ENOENT;
		if (depth == pdepth + 1 &&
		    name_matches(fdt_node_name(fdt, node), comp, n))
			return node;
	}
}

/* One component at a time, each searched among the children of the last. */
int
fdt_path_offset(const struct fdt *fdt, const char *path)
{
	int node, depth;
	size_t n;

	if (path[0] != '/')
		return -EXO_EINVAL;
	node = fdt_next_node(fdt, -1, &depth);
	while (node >= 0) {
		while (*path == '/')
			path++;
		if (*path == '\0')
			return node;
		for (n = 0; path[n] != '\0' && path[n] != '/'; n++)
			;
		node = fdt_child(fdt, node, depth, path, n);
		depth++;
		path += n;
	}
	return node;
}

const void *
fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
	const uint8_t *p;
	uint32_t off, next;
	int tok;

	if (!fdt_is_node(fdt, node, &off))
		return NULL;
	/* Properties come before subnodes, so stop at the first non-PROP. */
	for (;; off = next) {
		tok = fdt_token(fdt, off, &next);
		if (tok == FDT_NOP)
			continue;
		if (tok != FDT_PROP)
			return NULL;
		p = fdt->blob + fdt->struct_off + off;
		/* fdt_token() checked that the name is terminated. */
		if (strcmp(fdt_string(fdt, fdt32(p + 8)), name) != 0)
			continue;
		if (len)
			*len = fdt32(p + 4);
		return p + 12;
	}
}

/* Whether the NUL-separated string list val[0..len) holds `s`.  An
 * unterminated last entry never matches. */
static bool
strlist_contains(const char *val, uint32_t len, const char *s)
{
	size_t n = strlen(s), i = 0, l;

	while (i < len) {
		l = strnlen(val + i, len - i);
		if (l == len - i)
			return false;
		if (l == n && memcmp(val + i, s, n) == 0)
			return true;
		i += l + 1;
	}
	return false;
}

/* Offsets grow in document order, so "after `after`" is "offset > after";
 * walking from the root keeps the nesting checks of fdt_next_node(). */
int
fdt_node_by_compatible(const struct fdt *fdt, int after, const char *compat)
{
	const char *val;
	uint32_t len;
	int node = -1, depth;

	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if (node < 0)
			return node;
		if (node <= after)
			continue;
		val = fdt_getprop(fdt, node, "compatible", &len);
		if (val && strlist_contains(val, len, compat))
			return node;
	}
}

/* One walk from the root, remembering the last node seen at each depth:
 * when `node` comes up at depth d, its parent is the one kept for d - 1.
 * Returns -EXO_EINVAL if `node` is not a node. */
int
fdt_parent(const struct fdt *fdt, int node)
{
	int last[FDT_MAX_DEPTH + 1];
	int cur = -1, depth;

	for (;;) {
		cur = fdt_next_node(fdt, cur, &depth);
		if (cur < 0 || cur > node)
			return -EXO_EINVAL;
		if (cur == node)
			return depth == 0 ? -EXO_ENOENT : last[depth - 1];
		last[depth] = cur;
	}
}

/* Read the one-cell property `name` of `node` into *val if it exists.
 * Returns 0, or -EXO_EINVAL if it is not one cell. */
static int
fdt_cells(const struct fdt *fdt, int node, const char *name, uint32_t *val)
{
	const void *p;
	uint32_t len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return 0;
	if (len != 4)
		return -EXO_EINVAL;
	*val = fdt32(p);
	return 0;
}

/* A number of 0, 1 or 2 big-endian cells. */
static uint64_t
read_cells(const uint8_t *p, uint32_t cells)
{
	if (cells == 0)
		return 0;
	return cells == 1 ? fdt32(p) : fdt64(p);
}

/* The root has no parent to take cell counts from: it uses the defaults.
 * #size-cells may be 0 (cpu nodes); #address-cells may not. */
int
fdt_reg(const struct fdt *fdt, int node, unsigned index, uint64_t *base,
	uint64_t *size)
{
	const uint8_t *reg;
	uint32_t ac = 2, sc = 1, len, entry;
	int parent, err;

	parent = fdt_parent(fdt, node);
	if (parent < 0 && parent != -EXO_ENOENT)
		return parent;
	if (parent >= 0) {
		err = fdt_cells(fdt, parent, "#address-cells", &ac);
		if (!err)
			err = fdt_cells(fdt, parent, "#size-cells", &sc);
		if (err)
			return err;
	}
	if (ac == 0 || ac > 2 || sc > 2)
		return -EXO_EINVAL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return -EXO_ENOENT;
	entry = 4 * (ac + sc);
	if (len % entry)
		return -EXO_EINVAL;
	if (index >= len / entry)
		return -EXO_ENOENT;
	reg += index * entry;
	*base = read_cells(reg, ac);
	*size = read_cells(reg + 4 * ac, sc);
	return 0;
}
