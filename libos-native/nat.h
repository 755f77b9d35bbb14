/*
 * libos-native internals shared between its files.  Not for programs.
 *
 * Concurrency model: one CPU's worth of user-level threads in one env.
 * A thread switch happens only inside nat__schedule(), which a thread
 * calls itself (yield, block) or is made to call by the slice-start
 * upcall (nat__preempt, injected into the interrupted thread).  The
 * library's own data is guarded by nat__nopreempt: while it is non-zero,
 * a slice start only sets nat__resched and the thread yields when it
 * leaves the critical section.  The fault handler runs on the upcall
 * stack, never switches threads, and touches only the region and
 * copy-on-write tables, which no thread changes while it could fault.
 */
#ifndef NATIVE_NAT_H
#define NATIVE_NAT_H

#include <stdbool.h>
#include <native/native.h>

#define NAT_PAGE EXO_PAGE_SIZE

/* --- critical sections (thread.c) ---------------------------------------- */
extern volatile unsigned nat__nopreempt;
extern volatile bool nat__resched;

static inline void
nat__lock(void)
{
	nat__nopreempt++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void
nat__unlock(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (--nat__nopreempt == 0 && nat__resched)
		nat_thread_yield();
}

/* --- pages (page.c) ------------------------------------------------------ */
/* n pages of fresh address space in the pages window; 0 if none left. */
uint64_t nat__va_alloc(uint64_t n);
/* Allocate and map n zeroed frames at va (writable): 0 or an error. */
int nat__map_fresh(uint64_t va, uint64_t n);
/* n physically contiguous frames of the env's: 0 and *pa, or an
 * error. */
int nat__frames_contig(uint64_t n, uint64_t *pa);
/* Give back frames [pa, + n pages) (unmapped). */
void nat__frames_free(uint64_t pa, uint64_t n);

/* The leaf entry mapping va, 0 if none (walks EXO_UVPT). */
uint64_t nat__pte(uint64_t va);

/* --- faults and threads (vm.c, thread.c) -------------------------------- */
/* Handle a page fault: whether it was the library's to resolve. */
bool nat__vm_fault(const struct exo_upcall_frame *f);
/* The slice-start upcall: inject a yield into the interrupted thread if
 * it may be preempted. */
void nat__slice_start(struct exo_upcall_frame *f);
/* Set up the thread system with the calling thread as the first. */
int nat__threads_init(void);

/* Arch (arch/<arch>/switch.S): save the callee-saved state on the
 * current stack, store the stack pointer in *save, and resume the thread
 * whose stack pointer is load. */
void nat__switch(void **save, void *load);
/* Where a new thread starts (its first nat__switch returns here). */
void nat__thread_entry(void);
/* Where a preempted thread resumes: saves the FP/SIMD state, calls
 * nat__preempted(), then resumes the upcall frame at its stack pointer. */
void nat__preempt(void);
void nat__preempted(void);
/* The stack image nat__switch pops for a new thread running
 * nat__thread_main(fn, arg) on a stack ending at top (16-aligned). */
void *nat__arch_new_stack(uint64_t top, void (*fn)(void *), void *arg);
/* Make the interrupted registers call nat__preempt with sp and the first
 * argument at copy (the saved frame). */
void nat__arch_inject(struct exo_regs *r, uint64_t copy);
__attribute__((noreturn)) void nat__thread_main(void (*fn)(void *), void *arg);

#endif
