/*
 * Upcall set-up.  The kernel starts arch/<arch>/upcall.S's entry on the
 * upcall stack; it saves the FP/SIMD registers, calls the handler kept
 * here, and resumes the interrupted registers from the frame.
 */
#include <stddef.h>
#include <exo/libexo.h>

/* The entry's assembly relies on these. */
_Static_assert(offsetof(struct exo_upcall_frame, regs) == 64,
	       "upcall.S: frame->regs offset");
_Static_assert(EXO_UPCALL_REDZONE == 128, "upcall.S: red zone size");

void exo__upcall_entry(void);

/* Read by upcall.S. */
exo_upcall_fn *exo__upcall_handler;

int
exo_upcall_init(exo_upcall_fn *fn, void *stack, uint64_t size)
{
	uint64_t top = ((uint64_t)(uintptr_t)stack + size) & ~15ull;
	long r;

	if (!fn)
		return (int)exo_env_set_upcall(EXO_ENVID_SELF, 0, 0);
	if (size < EXO_UPCALL_STACK_MIN)
		return -EXO_EINVAL;
	/* Set before the kernel can deliver anything to the entry. */
	exo__upcall_handler = fn;
	r = exo_env_set_upcall(EXO_ENVID_SELF,
			       (uint64_t)(uintptr_t)exo__upcall_entry, top);
	return r < 0 ? (int)r : 0;
}
