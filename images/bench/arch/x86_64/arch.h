/* x86_64 parts of the bench image. */
#ifndef BENCH_ARCH_H
#define BENCH_ARCH_H

#include <stdint.h>

/* The TSC, which counts from reset (user mode may read it on Exo). */
static inline uint64_t
bench_counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

#endif
