/*
 * Everything a library OS needs to make system calls: the generated
 * numbers and stubs (from bindings/syscalls.tbl) and the hand-written IPC
 * stubs.
 */
#ifndef EXO_SYSCALL_H
#define EXO_SYSCALL_H

#include <exo/arch/ipc.h>
#include <exo/syscall_stubs.h>

/* Call the env named by ep with m; the reply replaces m.  Returns 0 or an
 * error (-EXO_ENOENT if the callee died). */
static inline long
exo_ipc_call(exo_cap_t ep, struct exo_msg *m)
{
	return exo__ipc(EXO_SYS_IPC_CALL, ep, m);
}

/* Reply m to env `to` (0: nobody), then wait for the next call, whose
 * words replace m.  Returns the caller's env id, or an error. */
static inline long
exo_ipc_reply_wait(exo_envid_t to, struct exo_msg *m)
{
	return exo__ipc(EXO_SYS_IPC_REPLY_WAIT, to, m);
}

/* Resume the registers saved in an upcall frame (never returns unless
 * the frame cannot be read). */
static inline long
exo_upcall_return(const void *frame)
{
	return exo_syscall1(EXO_SYS_UPCALL_RETURN, (uint64_t)(uintptr_t)frame);
}

#endif
