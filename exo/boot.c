/*
 * Helpers the arch boot code uses to describe the machine.
 */
#include <exo/error.h>
#include <kernel/boot.h>
#include <kernel/lib.h>

int
boot_range_add(struct boot_range *list, unsigned *n, uint64_t base,
	       uint64_t size)
{
	uint64_t end = base + size;
	unsigned i, j;

	if (size == 0)
		return 0;
	if (end < base) /* wraps: clamp to the top of the address space */
		end = UINT64_MAX;

	/* Find the first range that ends at or after base. */
	for (i = 0; i < *n && list[i].base + list[i].size < base; i++)
		;
	/* Merge every range that overlaps or touches [base, end). */
	for (j = i; j < *n && list[j].base <= end; j++) {
		uint64_t jend = list[j].base + list[j].size;
		base = MIN(base, list[j].base);
		end = MAX(end, jend);
	}
	if (j == i) { /* nothing merged: insert at i */
		if (*n == BOOT_MAX_RANGES)
			return -EXO_ENOMEM;
		memmove(&list[i + 1], &list[i], (*n - i) * sizeof(*list));
		(*n)++;
	} else if (j > i + 1) { /* ranges i..j-1 collapse into i */
		memmove(&list[i + 1], &list[j], (*n - j) * sizeof(*list));
		*n -= j - i - 1;
	}
	list[i].base = base;
	list[i].size = end - base;
	return 0;
}
