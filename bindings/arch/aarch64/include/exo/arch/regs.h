/*
 * aarch64 user register state as the kernel saves it in an upcall frame
 * and takes it back in exo_upcall_return().  Order is the ABI; 8-byte
 * slots.  pstate holds only the user-visible NZCV flags.
 */
#ifndef EXO_ARCH_REGS_H
#define EXO_ARCH_REGS_H

#include <stdint.h>

struct exo_regs {
	uint64_t x[31]; /* x0..x30 (x30 is the link register) */
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint64_t tpidr; /* TPIDR_EL0, the thread pointer */
	uint64_t pad;
};

_Static_assert(sizeof(struct exo_regs) == 36 * 8, "exo_regs layout");

#define EXO_REGS_PC(r) ((r)->pc)
#define EXO_REGS_SP(r) ((r)->sp)

#endif
