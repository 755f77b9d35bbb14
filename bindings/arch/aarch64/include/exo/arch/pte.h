/*
 * Decoding aarch64 translation-table descriptors as an env reads them
 * through EXO_UVPT (exo/memlayout.h): the hardware's own VMSAv8-64
 * format, 4 KiB granule, 48-bit addresses (Arm ARM DDI 0487, "VMSAv8-64
 * translation table format descriptors").  User tables hold only page
 * and table descriptors (bits [1:0] = 0b11); a table descriptor also
 * carries read-only page attributes in its ignored bits, which is what
 * makes the self-map readable, so the same decoding serves every level.
 */
#ifndef EXO_ARCH_PTE_H
#define EXO_ARCH_PTE_H

#include <stdint.h>
#include <exo/perm.h>

#define EXO_PTE_TYPE_MASK 3ull
#define EXO_PTE_PAGE 3ull	   /* a page or table descriptor */
#define EXO_PTE_AP_EL0 (1ull << 6) /* AP[1]: EL0 may access */
#define EXO_PTE_AP_RO (1ull << 7)  /* AP[2]: read-only */
#define EXO_PTE_UXN (1ull << 54)   /* EL0 may not execute */
#define EXO_PTE_ADDR 0x0000fffffffff000ull

/* Whether the entry maps something (a frame, or a next-level table). */
static inline int
exo_pte_valid(uint64_t e)
{
	return (e & EXO_PTE_TYPE_MASK) == EXO_PTE_PAGE;
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
	if (!exo_pte_valid(e) || !(e & EXO_PTE_AP_EL0))
		return 0;
	return EXO_PERM_R | (e & EXO_PTE_AP_RO ? 0 : EXO_PERM_W) |
	       (e & EXO_PTE_UXN ? 0 : EXO_PERM_X);
}

#endif
