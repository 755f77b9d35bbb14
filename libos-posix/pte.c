/*
 * Reading the calling env's own page table through EXO_UVPT: shared by
 * the library OS and the launcher.
 */
#include <exo/arch/pte.h>
#include <exo/memlayout.h>
#include <posix/launch.h>

/* The entry at level (constant, so the self-map arithmetic folds). */
static inline uint64_t
entry(uint64_t va, unsigned level)
{
	return *(const volatile uint64_t *)(uintptr_t)exo_uvpt_pte(va, level);
}

uint64_t
posix_pte(uint64_t va)
{
	uint64_t e;

	/* An entry is only readable once the table above it is present;
	 * unrolled, as every user copy asks. */
	if (!exo_pte_valid(e = entry(va, 0)) ||
	    !exo_pte_valid(e = entry(va, 1)) ||
	    !exo_pte_valid(e = entry(va, 2)) ||
	    !exo_pte_valid(e = entry(va, 3)))
		return 0;
	return e;
}
