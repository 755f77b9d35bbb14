/*
 * Descriptors of user translation tables (TTBR0: 4 levels of 512 entries,
 * 4 KiB pages only), for the portable walker in exo/vm.c.  Levels 0-2
 * hold table descriptors, level 3 page descriptors; there are no blocks.
 *
 * The self-map: level-0 slot EXO_UVPT_SLOT points at the root itself, so
 * a walk through it stops one level early and takes a table descriptor
 * for a page descriptor.  Every table descriptor therefore also carries
 * the attributes of a read-only, user-readable, never-executable Normal
 * page in its IGNORED bits (Arm ARM DDI 0487, "VMSAv8-64 Table descriptor
 * format": bits [11:2] and [58:52] are ignored in a table descriptor;
 * bits [63:59] are its hierarchical controls and stay 0, which restricts
 * nothing).  The only exception to "ignored" is bit 10 under FEAT_HAFT,
 * which the kernel does not enable (TCR2_EL1.HAFT stays 0).
 */
#ifndef EXO_ARCH_PTE_H
#define EXO_ARCH_PTE_H

#include <exo/perm.h>
#include <kernel/compiler.h>
#include <arch/mmu.h>

typedef uint64_t pte_t;

#define PTE_AP_EL0 (1UL << 6) /* AP[1]: EL0 has the same access as EL1 */
#define PTE_NG (1UL << 11)    /* not global: tagged with the ASID */

/* Bits every user descriptor has, as a page: Normal write-back memory,
 * inner shareable, access flag set, ASID-tagged, never run by the kernel
 * (PXN: the aarch64 SMEP). */
#define PTE_USER_PAGE                                                          \
	(PTE_PAGE | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG |     \
	 PTE_AP_EL0 | PTE_PXN)
/* A table descriptor, also a read-only user page through the self-map. */
#define PTE_USER_TABLE (PTE_TABLE | PTE_USER_PAGE | PTE_AP_RO | PTE_UXN)

/* Valid: bits [1:0] = 0b11, the only kind of entry user tables hold. */
static inline bool
pte_valid(pte_t e)
{
	return (e & PTE_TYPE_MASK) == PTE_PAGE;
}

static inline uint64_t
pte_addr(pte_t e)
{
	return e & PTE_ADDR_MASK;
}

static inline pte_t
pte_table(uint64_t pa)
{
	return (pa & PTE_ADDR_MASK) | PTE_USER_TABLE;
}

/* A user page: always readable, writable with EXO_PERM_W, executable by
 * the user with EXO_PERM_X. */
static inline pte_t
pte_page(uint64_t pa, unsigned perms)
{
	pte_t e = (pa & PTE_ADDR_MASK) | PTE_USER_PAGE;

	if (!(perms & EXO_PERM_W))
		e |= PTE_AP_RO;
	if (!(perms & EXO_PERM_X))
		e |= PTE_UXN;
	return e;
}

static inline unsigned
pte_perms(pte_t e)
{
	unsigned perms = EXO_PERM_R;

	if (!(e & PTE_AP_RO))
		perms |= EXO_PERM_W;
	if (!(e & PTE_UXN))
		perms |= EXO_PERM_X;
	return perms;
}

/* Slot EXO_UVPT_SLOT of the root at root_pa: the root as a table. */
static inline pte_t
pte_selfmap(uint64_t root_pa)
{
	return pte_table(root_pa);
}

#endif
