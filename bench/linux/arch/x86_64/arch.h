/* The x86_64 pieces of bench.c: a counter and a store a handler can skip. */
#ifndef BENCH_ARCH_H
#define BENCH_ARCH_H

#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

/* The TSC: QEMU starts it at 0 at reset and runs it at a constant rate. */
static inline uint64_t
arch_counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Store to p with one instruction of known length: movb $0,(%rax). */
static inline void
arch_faulting_store(volatile char *p)
{
	__asm__ volatile("movb $0, (%0)" : : "a"(p) : "memory");
}

/* Resume after the store arch_faulting_store made fault. */
static inline void
arch_skip_store(void *uc)
{
	((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] += 3;
}

#endif
