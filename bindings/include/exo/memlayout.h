/*
 * The user half of every env's address space, the same on both arches.
 * The library OS owns all of it except the two kernel-provided windows at
 * the top:
 *
 *   0x0000800000000000 +--------------------------------------+
 *                      | EXO_UVPT: this env's page tables,    |  read-only
 *                      | self-mapped (512 GiB window)         |
 *   0x00007f8000000000 +--------------------------------------+
 *                      | EXO_ENVINFO: struct exo_envinfo      |  read-only
 *   0x00007f7ffffff000 +--------------------------------------+
 *                      |                                      |
 *                      |   free for the library OS: program,  |
 *                      |   heap, stacks, upcall stack, shared |
 *                      |   pages, ...                         |
 *                      |                                      |
 *   0x0000000000010000 +--------------------------------------+
 *                      | never mapped (null-pointer guard)    |
 *   0x0000000000000000 +--------------------------------------+
 *
 * Page tables through EXO_UVPT: top-level slot 255 of the env's page table
 * points at the table itself, read-only and user-readable, so the leaf
 * entry that maps address va is the 64-bit word at
 * exo_uvpt_pte(va, 3), and the entry at level L (0 = top, 3 = leaf) at
 * exo_uvpt_pte(va, L).  An entry's format is the hardware's own (x86_64 PTE,
 * or aarch64 VMSAv8-64 descriptor); bindings/arch/<arch>/include/exo/arch/
 * pte.h decodes it.  An entry is only readable if the table above it is
 * present, so walk from level 0 down.
 */
#ifndef EXO_MEMLAYOUT_H
#define EXO_MEMLAYOUT_H

#include <exo/types.h>

#define EXO_USER_MIN 0x0000000000010000ull
#define EXO_USER_END 0x00007f7ffffff000ull /* first byte not free */
#define EXO_ENVINFO 0x00007f7ffffff000ull
#define EXO_UVPT 0x00007f8000000000ull
#define EXO_UVPT_SLOT 255u
#define EXO_USER_TOP 0x0000800000000000ull

/* Address, inside EXO_UVPT, of the level-`level` entry translating va. */
static inline uint64_t
exo_uvpt_pte(uint64_t va, unsigned level)
{
	/* Each extra pass through the self-map slot moves one level up. */
	uint64_t idx = (va & (EXO_USER_TOP - 1)) >> 12; /* 36-bit leaf index */

	for (unsigned l = 3; l > level; l--)
		idx = idx >> 9 | (uint64_t)EXO_UVPT_SLOT << 27;
	return EXO_UVPT + idx * 8;
}

#endif
