/*
 * Reading the calling env's own page table through EXO_UVPT: shared by
 * the library OS and the launcher.
 */
#include <exo/arch/pte.h>
#include <exo/memlayout.h>
#include <posix/launch.h>

uint64_t
posix_pte(uint64_t va)
{
	uint64_t e = 0;

	/* An entry is only readable once the table above it is present. */
	for (unsigned level = 0; level <= 3; level++) {
		e = *(const volatile uint64_t *)(uintptr_t)exo_uvpt_pte(va,
									level);
		if (!exo_pte_valid(e))
			return 0;
	}
	return e;
}
