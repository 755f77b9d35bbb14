/*
 * A validating reader for static ELF64 executables, shared by the kernel
 * (the root env) and library OSes (their own loaders).  Pure and
 * bounds-checked: safe on any bytes.
 */
#ifndef EXO_ELF_H
#define EXO_ELF_H

#include <stdint.h>

#define EXO_ELF_MAX_SEGS 16
#define EXO_EM_X86_64 62
#define EXO_EM_AARCH64 183

struct exo_elf_seg {
	uint64_t va; /* p_vaddr (not necessarily page-aligned) */
	uint64_t memsz;
	uint64_t filesz; /* <= memsz; the rest is zero-filled */
	uint64_t offset; /* p_offset, the bytes in the image */
	unsigned perms;	 /* EXO_PERM_R | _W | _X from p_flags */
};

struct exo_elf {
	uint64_t entry;
	uint64_t phdr_va; /* where the program headers are mapped, or 0 */
	uint16_t phnum;
	uint16_t phentsize;
	unsigned nsegs; /* PT_LOAD segments, in file order */
	struct exo_elf_seg seg[EXO_ELF_MAX_SEGS];
};

/*
 * Check that img[0..len) is an ELF64 little-endian executable (ET_EXEC, or
 * ET_DYN when a load bias is applied by the caller) for `machine`, and list
 * its PT_LOAD segments.  Every segment must lie inside the image
 * (offset + filesz), must not wrap, must have filesz <= memsz, must lie in
 * [lo, hi) (the caller's user range), and p_vaddr and p_offset must agree
 * modulo the page size; segments must not overlap; the entry point must be
 * inside an executable segment.  Returns 0, -EXO_EINVAL (malformed or out of
 * range) or -EXO_ENOTSUP (wrong class, machine or type; more than
 * EXO_ELF_MAX_SEGS segments).
 */
int exo_elf_parse(const void *img, uint64_t len, uint16_t machine, uint64_t lo,
		  uint64_t hi, struct exo_elf *out);

#endif
