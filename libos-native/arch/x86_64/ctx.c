/*
 * x86_64 thread images for libos-native (the layout switch.S pops).
 */
#include "nat.h"

#define MXCSR_DEFAULT 0x1f80ull
#define FCW_DEFAULT 0x037full

/* Popped by nat__switch: control words, r15, r14, r13, r12, rbx, rbp,
 * the return address; one pad word keeps rsp 16-aligned at the entry. */
struct new_stack {
	uint64_t ctl, r15, r14, r13, r12, rbx, rbp, ret, pad[2];
};

void *
nat__arch_new_stack(uint64_t top, void (*fn)(void *), void *arg)
{
	struct new_stack *s = (struct new_stack *)(uintptr_t)(top - sizeof(*s));

	*s = (struct new_stack){
		.ctl = MXCSR_DEFAULT | FCW_DEFAULT << 32,
		.r12 = (uint64_t)(uintptr_t)fn,
		.r13 = (uint64_t)(uintptr_t)arg,
		.ret = (uint64_t)(uintptr_t)nat__thread_entry,
	};
	return s;
}

void
nat__arch_inject(struct exo_regs *r, uint64_t copy)
{
	r->rip = (uint64_t)(uintptr_t)nat__preempt;
	r->rsp = copy;
	r->rdi = copy;
}
