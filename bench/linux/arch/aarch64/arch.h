/* The aarch64 pieces of bench.c: a counter and a store a handler can skip. */
#ifndef BENCH_ARCH_H
#define BENCH_ARCH_H

#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

/* The virtual count: 0 at reset under QEMU (EL1 boot, CNTVOFF is 0). */
static inline uint64_t
arch_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

/* Store to p with one instruction, as every A64 instruction: 4 bytes. */
static inline void
arch_faulting_store(volatile char *p)
{
	__asm__ volatile("strb wzr, [%0]" : : "r"(p) : "memory");
}

/* Resume after the store arch_faulting_store made fault. */
static inline void
arch_skip_store(void *uc)
{
	((ucontext_t *)uc)->uc_mcontext.pc += 4;
}

#endif
