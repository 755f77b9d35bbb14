/*
 * cpio "newc" reader (see exo/cpio.h).  An entry is a 110-byte ASCII
 * header (the magic "070701" or "070702", then thirteen 8-digit hex
 * fields), the NUL-terminated name, padding to a multiple of 4, the file
 * data and padding to a multiple of 4 again; offsets are from the start of
 * the archive.  Every length comes from the archive, so every one is
 * checked against len before a byte behind it is read.
 */
#include <stddef.h>
#include <stdint.h>
#include <exo/cpio.h>
#include <exo/error.h>
#include <exo/string.h>

#define CPIO_HDR_LEN 110u
#define CPIO_MAGIC_LEN 6u
#define CPIO_FIELD_LEN 8u
#define CPIO_TRAILER "TRAILER!!!"

/* Header fields, in archive order after the magic. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT
};

_Static_assert(CPIO_MAGIC_LEN + F_COUNT * CPIO_FIELD_LEN == CPIO_HDR_LEN,
	       "newc header layout");

/* Whether n bytes at off fit in an archive of len bytes, without wrap. */
static int
fits(uint64_t off, uint64_t n, uint64_t len)
{
	return off <= len && n <= len - off;
}

/* x rounded up to a multiple of 4, but at most len (x <= len): archives
 * may cut off the padding of their last entry.  Cannot wrap. */
static uint64_t
pad4(uint64_t x, uint64_t len)
{
	uint64_t pad = (0 - x) & 3;

	return pad <= len - x ? x + pad : len;
}

/* Parse 8 hex digits; -1 if any is not a hex digit. */
static int64_t
parse_hex8(const char *s)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < CPIO_FIELD_LEN; i++) {
		char c = s[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* Decode the header at hdr into fields[]: 0, or -EXO_EINVAL. */
static int
parse_header(const char *hdr, uint32_t fields[F_COUNT])
{
	if (memcmp(hdr, "07070", 5) != 0 || (hdr[5] != '1' && hdr[5] != '2'))
		return -EXO_EINVAL;
	for (unsigned i = 0; i < F_COUNT; i++) {
		int64_t v =
			parse_hex8(hdr + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN);

		if (v < 0)
			return -EXO_EINVAL;
		fields[i] = (uint32_t)v;
	}
	return 0;
}

int
exo_cpio_next(const void *archive, uint64_t len, uint64_t *off,
	      struct exo_cpio_file *f)
{
	const char *base = archive;
	uint64_t pos = *off, data_off;
	uint32_t fields[F_COUNT];
	const char *name;

	if (pos == len)
		return 0;
	if (!fits(pos, CPIO_HDR_LEN, len) ||
	    parse_header(base + pos, fields) < 0)
		return -EXO_EINVAL;

	/* The name: at least one character, its NUL last and only. */
	name = base + pos + CPIO_HDR_LEN;
	if (fields[F_NAMESIZE] < 2 ||
	    !fits(pos + CPIO_HDR_LEN, fields[F_NAMESIZE], len) ||
	    strnlen(name, fields[F_NAMESIZE]) != fields[F_NAMESIZE] - 1)
		return -EXO_EINVAL;
	if (!strcmp(name, CPIO_TRAILER))
		return 0;

	data_off = pad4(pos + CPIO_HDR_LEN + fields[F_NAMESIZE], len);
	if (!fits(data_off, fields[F_FILESIZE], len))
		return -EXO_EINVAL;

	f->name = name;
	f->data = base + data_off;
	f->size = fields[F_FILESIZE];
	f->mode = fields[F_MODE];
	*off = pad4(data_off + fields[F_FILESIZE], len);
	return 1;
}

int
exo_cpio_find(const void *archive, uint64_t len, const char *name,
	      struct exo_cpio_file *f)
{
	struct exo_cpio_file cur;
	uint64_t off = 0;
	int r;

	while ((r = exo_cpio_next(archive, len, &off, &cur)) > 0) {
		if (!strcmp(cur.name, name)) {
			*f = cur;
			return 0;
		}
	}
	return r < 0 ? r : -EXO_ENOENT;
}
