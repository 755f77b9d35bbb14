/*
 * Decoding x86_64 page-table entries as an env reads them through
 * EXO_UVPT (exo/memlayout.h): the hardware's own 4-level, 4 KiB-page
 * format (Intel SDM vol. 3, "4-Level Paging").  The kernel maps only
 * 4 KiB pages for envs, so no large-page bit is interpreted.
 */
#ifndef EXO_ARCH_PTE_H
#define EXO_ARCH_PTE_H

#include <stdint.h>
#include <exo/perm.h>

#define EXO_PTE_P (1ull << 0)	/* present */
#define EXO_PTE_W (1ull << 1)	/* writable */
#define EXO_PTE_U (1ull << 2)	/* user-accessible */
#define EXO_PTE_NX (1ull << 63) /* no instruction fetch */
#define EXO_PTE_ADDR 0x000ffffffffff000ull

/* Whether the entry maps something (a frame, or a next-level table). */
static inline int
exo_pte_valid(uint64_t e)
{
	return (e & EXO_PTE_P) != 0;
}

/* The physical address of the frame or table the entry points to. */
static inline uint64_t
exo_pte_addr(uint64_t e)
{
	return e & EXO_PTE_ADDR;
}

/* The env's access through a valid entry as EXO_PERM_* bits; 0 if the
 * entry is invalid or kernel-only. */
static inline unsigned
exo_pte_perms(uint64_t e)
{
	if (!exo_pte_valid(e) || !(e & EXO_PTE_U))
		return 0;
	return EXO_PERM_R | (e & EXO_PTE_W ? EXO_PERM_W : 0) |
	       (e & EXO_PTE_NX ? 0 : EXO_PERM_X);
}

#endif
