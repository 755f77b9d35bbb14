/*
 * aarch64 thread images for libos-native (the layout switch.S loads).
 */
#include "nat.h"

/* Loaded by nat__switch: x19-x30, d8-d15, fpcr, one pad word. */
struct new_stack {
	uint64_t x19_x28[10], x29, x30, d8_d15[8], fpcr, pad;
};
_Static_assert(sizeof(struct new_stack) == 176, "switch.S FRAME");

void *
nat__arch_new_stack(uint64_t top, void (*fn)(void *), void *arg)
{
	struct new_stack *s = (struct new_stack *)(uintptr_t)(top - sizeof(*s));

	*s = (struct new_stack){
		.x19_x28 = { (uint64_t)(uintptr_t)fn,
			     (uint64_t)(uintptr_t)arg },
		.x30 = (uint64_t)(uintptr_t)nat__thread_entry,
	};
	return s;
}

void
nat__arch_inject(struct exo_regs *r, uint64_t copy)
{
	r->pc = (uint64_t)(uintptr_t)nat__preempt;
	r->sp = copy;
	r->x[0] = copy;
}
