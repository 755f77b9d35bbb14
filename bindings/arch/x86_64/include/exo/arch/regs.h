/*
 * x86_64 user register state as the kernel saves it in an upcall frame and
 * takes it back in exo_upcall_return().  Order is the ABI; 8-byte slots.
 */
#ifndef EXO_ARCH_REGS_H
#define EXO_ARCH_REGS_H

#include <stdint.h>

struct exo_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t fs_base, gs_base;
};

_Static_assert(sizeof(struct exo_regs) == 20 * 8, "exo_regs layout");

#define EXO_REGS_PC(r) ((r)->rip)
#define EXO_REGS_SP(r) ((r)->rsp)

#endif
