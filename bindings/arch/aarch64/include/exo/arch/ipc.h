/*
 * aarch64 stubs for the calls whose results come back in several registers
 * (bindings/syscalls.tbl marks them with '@').  The four message words
 * travel in x1..x4 both ways; x0 names the endpoint or the env to reply to
 * and carries the result.
 */
#ifndef EXO_ARCH_IPC_H
#define EXO_ARCH_IPC_H

#include <exo/arch/syscall.h>
#include <exo/ipc.h>
#include <exo/syscall_nr.h>

static inline long
exo__ipc(uint64_t nr, uint64_t a0, struct exo_msg *m)
{
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = m->w[0];
	register uint64_t x2 __asm__("x2") = m->w[1];
	register uint64_t x3 __asm__("x3") = m->w[2];
	register uint64_t x4 __asm__("x4") = m->w[3];
	register uint64_t x8 __asm__("x8") = nr;

	__asm__ volatile("svc #" EXO__STR(EXO_SVC_IMM)
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
			 : "r"(x8)
			 : "memory");
	m->w[0] = x1;
	m->w[1] = x2;
	m->w[2] = x3;
	m->w[3] = x4;
	return (long)x0;
}

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
