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
 * Where e's next upcall frame goes if e's user stack pointer is sp: below
 * sp's red zone if e is on its upcall stack already, else at the top; 0
 * if e takes no upcalls or the frame would leave the stack or user space.
 */
static uint64_t
upcall_frame_at(const struct env *e, uint64_t sp)
{
	uint64_t top = e->upcall_stack, size = sizeof(struct exo_upcall_frame);
	uint64_t at;

	if (!e->upcall_entry)
		return 0;
	if (sp <= top && sp > top - UPCALL_STACK_SPAN)
		at = sp - EXO_UPCALL_REDZONE - size;
	else
		at = top - size;
	at &= ~15ull;
	if (at < top - UPCALL_STACK_SPAN || !vm_user_range(at, size))
		return 0;
	return at;
}

/*
 * Deliver f (type, fault fields and args filled in by the caller) to e.
 * Returns 0, -EXO_ENOENT if e has no upcall entry, -EXO_EFAULT if the
 * frame cannot be written (stack unmapped, read-only or overflowing).
 */
int
upcall_deliver(struct env *e, struct exo_upcall_frame *f)
{
	uint64_t at;

	if (!e->upcall_entry)
		return -EXO_ENOENT;
	at = upcall_frame_at(e, arch_tf_sp(env_tf(e)));
	if (!at || arch_upcall_frame_out(at, f, env_tf(e)))
		return -EXO_EFAULT;
	arch_tf_init(env_tf(e), e->upcall_entry, at, at);
	e->info->counters.upcalls++;
	event_log(EXO_EV_UPCALL, e->id, f->type, 0);
	return 0;
}

/*
 * The foreign-call fast path (x86_64 vectors.S, aarch64 trap.c): if the
 * current env's library OS can take a Linux call now, where its upcall
 * frame goes for user stack pointer sp; 0 sends the call down the full
 * path.  The arch code writes the frame from the registers as the entry
 * saved them, starts the upcall entry, and counts the call and the
 * upcall once the frame is written.  Upcalls on this path are not
 * logged as events: a busy program makes a million a second.
 */
uint64_t
upcall_syscall_frame(uint64_t sp)
{
	struct env *e = curenv;

	if (!e->linux_abi || !sched_resumes_current())
		return 0;
	return upcall_frame_at(e, sp);
}
