/*
 * Upcalls: push a frame holding the interrupted registers on the env's
 * upcall stack and start its upcall entry point with the frame's address
 * as argument (see bindings/include/exo/upcall.h).  If the env is already
 * on its upcall stack, the frame goes below the interrupted stack pointer
 * (past the red zone), so a fault inside the handler nests.
 *
 * e must be the current env: the frame is written through its mappings.
 */
#include <exo/error.h>
#include <exo/memlayout.h>
#include <kernel/env.h>
#include <kernel/event.h>
#include <kernel/upcall.h>
#include <kernel/vm.h>

/*
 * Deliver f (type, fault fields and args filled in by the caller) to e.
 * Returns 0, -EXO_ENOENT if e has no upcall entry, -EXO_EFAULT if the
 * frame cannot be written (stack unmapped, read-only or overflowing).
 */
int
upcall_deliver(struct env *e, struct exo_upcall_frame *f)
{
	uint64_t sp = arch_tf_sp(env_tf(e)), top = e->upcall_stack, at;

	if (!e->upcall_entry)
		return -EXO_ENOENT;
	if (sp <= top && sp > top - UPCALL_STACK_SPAN)
		at = sp - EXO_UPCALL_REDZONE - sizeof(*f);
	else
		at = top - sizeof(*f);
	at &= ~15ull;
	if (at < top - UPCALL_STACK_SPAN || !vm_user_range(at, sizeof(*f)))
		return -EXO_EFAULT;
	if (arch_upcall_frame_out(at, f, env_tf(e)))
		return -EXO_EFAULT;
	arch_tf_init(env_tf(e), e->upcall_entry, at, at);
	e->info->counters.upcalls++;
	event_log(EXO_EV_UPCALL, e->id, f->type, 0);
	return 0;
}
