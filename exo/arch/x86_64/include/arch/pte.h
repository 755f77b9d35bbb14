/*
 * Page-table entries (Intel SDM vol. 3, 4.5), and the helpers the portable
 * walker in exo/vm.c uses on user page tables: 4 levels of 512 entries,
 * 4 KiB leaves only.  Tables above a leaf are user-accessible and
 * writable, so the leaf alone decides what the user may do.  Leaves are
 * not global (tagged by PCID where the CPU has it), and A/D are left to
 * the CPU, so a library OS can read them through the self-map.
 */
#ifndef EXO_ARCH_PTE_H
#define EXO_ARCH_PTE_H

#include <exo/perm.h>
#include <kernel/compiler.h>

typedef uint64_t pte_t;

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_A (1UL << 5)
#define PTE_D (1UL << 6)
#define PTE_PS (1UL << 7)
#define PTE_G (1UL << 8)
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL

static inline bool
pte_valid(pte_t e)
{
	return e & PTE_P;
}

static inline uint64_t
pte_addr(pte_t e)
{
	return e & PTE_ADDR;
}

/* Levels 0-2: an entry pointing at the table at pa. */
static inline pte_t
pte_table(uint64_t pa)
{
	return (pa & PTE_ADDR) | PTE_P | PTE_W | PTE_U;
}

/* Level 3: a user page, always readable, writable with EXO_PERM_W and
 * executable with EXO_PERM_X (never by the kernel: SMEP). */
static inline pte_t
pte_page(uint64_t pa, unsigned perms)
{
	pte_t e = (pa & PTE_ADDR) | PTE_P | PTE_U;

	if (perms & EXO_PERM_W)
		e |= PTE_W;
	if (!(perms & EXO_PERM_X))
		e |= PTE_NX;
	return e;
}

static inline unsigned
pte_perms(pte_t e)
{
	unsigned perms = EXO_PERM_R;

	if (e & PTE_W)
		perms |= EXO_PERM_W;
	if (!(e & PTE_NX))
		perms |= EXO_PERM_X;
	return perms;
}

/*
 * Slot EXO_UVPT_SLOT of the root at root_pa: the root again, so a walk
 * through it stops one level early and shows the tables as pages.  RW=0
 * and NX here apply to everything reached through the slot, whatever the
 * entries below say: the tables are readable by the user, never writable
 * or executable.  The kernel's slots (256-511) have U=0, so the user
 * cannot read the kernel's tables this way.
 */
static inline pte_t
pte_selfmap(uint64_t root_pa)
{
	return (root_pa & PTE_ADDR) | PTE_P | PTE_U | PTE_NX;
}

#endif
