/* aarch64 parts of the bench image. */
#ifndef BENCH_ARCH_H
#define BENCH_ARCH_H

#include <stdint.h>

/* The virtual counter, which counts from reset (Exo lets EL0 read it). */
static inline uint64_t
bench_counter(void)
{
	uint64_t c;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c)::"memory");
	return c;
}

#endif
