/*
 * Start and end of a libos-native program, and its upcall handler: every
 * upcall of the env comes here first.
 */
#include "nat.h"

static nat_fault_fn *fault_hook;
static bool ready;

/* A fault nobody resolved: say where, and end the env. */
static __attribute__((noreturn)) void
fatal_fault(const struct exo_upcall_frame *f)
{
	exo_panic("libos-native: unhandled fault %lu (flags %#lx) at %#lx, "
		  "pc %#lx",
		  (unsigned long)f->fault, (unsigned long)f->flags,
		  (unsigned long)f->addr, (unsigned long)EXO_REGS_PC(&f->regs));
}

static void
upcall(struct exo_upcall_frame *f)
{
	switch (f->type) {
	case EXO_UPCALL_FAULT:
		if (nat__vm_fault(f) || (fault_hook && fault_hook(f)))
			return;
		fatal_fault(f);
	case EXO_UPCALL_SLICE_START:
		nat__slice_start(f);
		return;
	default:
		/* Slice end: nothing to save, the kernel preempts after the
		 * grace.  Revocation: the kernel takes frames by force. */
		return;
	}
}

void
nat_set_fault_hook(nat_fault_fn *fn)
{
	fault_hook = fn;
}

int
nat_init(void)
{
	uint64_t stack = NAT_UPCALL_TOP - NAT_UPCALL_STACK;
	int r;

	if (ready)
		return 0;
	/* Mapped up front: a fault on the upcall stack cannot be handled. */
	r = nat__map_fresh(stack, NAT_UPCALL_STACK / NAT_PAGE);
	if (r < 0)
		return r;
	r = exo_upcall_init(upcall, (void *)(uintptr_t)stack, NAT_UPCALL_STACK);
	if (r < 0)
		return r;
	ready = true;
	return 0;
}

void
nat_exit(int status)
{
	/* The kernel takes back every frame, mapping and capability. */
	exo_terminate(status);
}
