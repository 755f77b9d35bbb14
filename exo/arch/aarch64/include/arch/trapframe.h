/*
 * aarch64 register state the kernel keeps per entry (struct trapframe,
 * built by vectors.S) and per env (struct arch_env_ctx, switched by
 * arch_env_ctx_switch).  The TF_* offsets are shared with the assembly;
 * trap.c checks them against the struct.
 */
#ifndef EXO_ARCH_TRAPFRAME_H
#define EXO_ARCH_TRAPFRAME_H

/* ASIDs handed to arch_as_activate() are 1..EXO_MAX_ASID: 8-bit ASIDs,
 * which every CPU has; ASID 0 tags the empty space used when no env runs. */
#define EXO_MAX_ASID 255

#define TF_X30 (30 * 8)
#define TF_SP (31 * 8)
#define TF_ELR (32 * 8)
#define TF_SPSR (33 * 8)
#define TF_ESR (34 * 8)
#define TF_FAR (35 * 8)
#define TF_TPIDR (36 * 8)
#define TF_SIZE (38 * 8)

#define CTX_FPCR (32 * 16)
#define CTX_FPSR (CTX_FPCR + 8)
#define CTX_TPIDRRO (CTX_FPCR + 16)

#ifndef __ASSEMBLY__
#include <kernel/compiler.h>

/*
 * Saved on every exception entry.  For an entry from EL0, sp is SP_EL0 and
 * tpidr is TPIDR_EL0, both restored on the way back: the thread pointer
 * is part of the user register block (struct exo_regs), so it lives here
 * rather than in arch_env_ctx.  For an entry from EL1, sp is the kernel
 * stack pointer before the exception and tpidr is not saved.
 */
struct trapframe {
	uint64_t x[31]; /* x30 is the link register */
	uint64_t sp;
	uint64_t elr;  /* the pc to resume at */
	uint64_t spsr; /* the PSTATE to resume with */
	uint64_t esr;  /* syndrome and fault address of this entry */
	uint64_t far;
	uint64_t tpidr;
	uint64_t pad; /* keeps the frame a multiple of 16 bytes */
};

/*
 * User state the kernel itself never uses (it is built with
 * -mgeneral-regs-only), so it is switched only when the env changes:
 * the FP/SIMD registers and TPIDRRO_EL0, the thread register user code
 * can read but not write.
 */
struct arch_env_ctx {
	uint64_t q[32][2] __aligned(16); /* q0..q31, low half first */
	uint64_t fpcr;
	uint64_t fpsr;
	uint64_t tpidrro;
	uint64_t pad;
};
#endif

#endif
