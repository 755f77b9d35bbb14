/*
 * x86_64 system call sequence for the calls whose results come back in
 * several registers (bindings/syscalls.tbl marks them with '@'; the
 * stubs are in exo/syscall.h).  The four message words
 * travel in rsi, rdx, r10 and r8 both ways (system call argument registers
 * 1..4); rdi names the endpoint or the env to reply to.
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
	register uint64_t r10 __asm__("r10") = m->w[2];
	register uint64_t r8 __asm__("r8") = m->w[3];
	uint64_t rsi = m->w[0], rdx = m->w[1];
	long ret = (long)(EXO_SYSCALL_BASE + nr);

	__asm__ volatile("syscall"
			 : "+a"(ret), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8)
			 : "D"(a0)
			 : "rcx", "r11", "memory");
	m->w[0] = rsi;
	m->w[1] = rdx;
	m->w[2] = r10;
	m->w[3] = r8;
	return ret;
}

#endif
