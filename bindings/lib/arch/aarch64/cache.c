/*
 * Instruction-cache maintenance from EL0 (the kernel sets SCTLR_EL1.UCI):
 * clean each data-cache line to the point of unification, then invalidate
 * the instruction cache for it; line sizes from CTR_EL0.
 */
#include <exo/libexo.h>

void
exo_sync_icache(const void *va, uint64_t n)
{
	uint64_t ctr, p;
	uint64_t start = (uint64_t)(uintptr_t)va, end = start + n;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	uint64_t dline = 4ull << (ctr >> 16 & 0xf), iline = 4ull << (ctr & 0xf);

	for (p = start & ~(dline - 1); p < end; p += dline)
		__asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
	for (p = start & ~(iline - 1); p < end; p += iline)
		__asm__ volatile("ic ivau, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}
