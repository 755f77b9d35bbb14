/*
 * aarch64 system call sequence for the calls whose results come back in
 * several registers (bindings/syscalls.tbl marks them with '@'; the
 * stubs are in exo/syscall.h).  The four message words
 * travel in x1..x4 both ways; x0 names the endpoint or the env to reply to
 * and carries the result.
 */
#ifndef EXO_ARCH_IPC_H
#define EXO_ARCH_IPC_H

#include <exo/arch/syscall.h>
#include <exo/ipc.h>
#include <exo/types.h>
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

#endif
