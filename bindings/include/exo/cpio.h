/*
 * A reader for cpio "newc" archives (the initrd format; man 5 cpio).
 * Pure and bounds-checked: safe on any bytes.  Shared by the kernel (which
 * finds the root env in the initrd) and library OSes.
 */
#ifndef EXO_CPIO_H
#define EXO_CPIO_H

#include <stdint.h>

struct exo_cpio_file {
	const char *name; /* NUL-terminated, inside the archive */
	const void *data;
	uint64_t size;
	uint32_t mode; /* st_mode bits as archived */
};

/*
 * The entry at *off (start with *off = 0); advances *off past it.  Returns
 * 1 and fills *f, 0 at the "TRAILER!!!" entry (or the end of the
 * archive), -EXO_EINVAL if the entry is malformed or runs past len.
 */
int exo_cpio_next(const void *archive, uint64_t len, uint64_t *off,
		  struct exo_cpio_file *f);

/* The entry called name: 0, -EXO_ENOENT, or -EXO_EINVAL (malformed). */
int exo_cpio_find(const void *archive, uint64_t len, const char *name,
		  struct exo_cpio_file *f);

#endif
