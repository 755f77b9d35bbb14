/*
 * x86_64 register state the kernel keeps per entry (struct trapframe,
 * built by vectors.S) and per env (struct arch_env_ctx, switched by
 * arch_env_ctx_switch()).  Offsets the assembly uses are in x86/asm.h.
 */
#ifndef EXO_ARCH_TRAPFRAME_H
#define EXO_ARCH_TRAPFRAME_H

#include <kernel/compiler.h>

/* ASIDs handed to arch_as_activate() are 1..EXO_MAX_ASID, used as PCIDs
 * where the CPU has them (12 bits); PCID 0 tags the kernel's own tables. */
#define EXO_MAX_ASID 4095

/*
 * Saved on every kernel entry, lowest address first.  The last five words
 * are the hardware's interrupt frame; `syscall` entries build the same
 * shape by hand.  vector is the interrupt vector, or VEC_SYSCALL /
 * VEC_RESTORE (x86/asm.h) for frames no interrupt made; error is the
 * CPU's error code or 0.
 */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* The FXSAVE64 image: x87, MMX and SSE state (Intel SDM vol. 1, 10.5.1). */
struct x86_fxsave {
	uint16_t fcw, fsw;
	uint8_t ftw, reserved0;
	uint16_t fop;
	uint64_t fip, fdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t regs[480]; /* st0-7, xmm0-15, reserved */
};

/*
 * User state the kernel itself never uses (it is built with
 * -mgeneral-regs-only), switched only when the env changes.  While an
 * env runs (and while the kernel runs on its behalf) its FS base is in
 * MSR_FS_BASE and its GS base in MSR_KERNEL_GS_BASE (swapped by swapgs),
 * so arch_tf_to_regs() and arch_tf_from_regs() read and write those live
 * registers: call them only for the env whose context is loaded.  XSAVE
 * state (AVX and up) is never enabled, so FXSAVE covers everything.
 */
struct arch_env_ctx {
	struct x86_fxsave fx __aligned(16);
	uint64_t fs_base;
	uint64_t gs_base;
};

_Static_assert(sizeof(struct x86_fxsave) == 512, "FXSAVE image size");

#endif
