/*
 * The EL1 exception vectors, the trap frame save/restore around the C
 * handlers, and the way out to EL0.
 *
 * Entries from EL1 (the kernel, idle or in a fault fixup) save a frame on
 * the current stack, call aarch64_trap() and return with eret.  Entries
 * from EL0 find SP_EL1 at the top of this CPU's kernel stack (set by
 * aarch64_return_to_user on the way out), save the user registers there
 * and call aarch64_user_trap(), which never returns: every way back to EL0
 * goes through aarch64_return_to_user with some env's frame.  The one
 * exception is an Exo system call that syscall_try_fast() completes: it
 * saves only what C may clobber and returns to EL0 on its own (exo_svc).
 */
#include <exo/arch/syscall.h>
#include <exo/syscall_nr.h>
#include <arch/trapframe.h>

/* ESR_EL1 of exactly `svc #EXO_SVC_IMM`: EC 0x15 (SVC from AArch64), IL
 * (a 32-bit instruction) and the immediate as the whole ISS; and of a
 * Linux `svc #0`. */
#define ESR_EXO_SVC ((0x15 << 26) | (1 << 25) | EXO_SVC_IMM)
#define ESR_LINUX_SVC ((0x15 << 26) | (1 << 25))
#define VEC_EL0_SYNC 8
/* Where syscall_try_fast() leaves the result: the SP slot, which the fast
 * path never fills, so one ldp reloads x30 and the result together. */
#define TF_FAST_RET TF_SP

/* One vector: save x0/x1 and go to a common path with the slot in x1. */
.macro VECTOR kind, path
	.balign	0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	\path
.endm

/*
 * Synchronous exceptions from EL0: an Exo call goes to exo_svc, anything
 * else to user_entry like the other vectors (x0, x1 are in the frame).
 */
.macro EL0_SYNC_VECTOR
	.balign	0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp]
	mrs	x0, esr_el1
	mov	x1, #(ESR_EXO_SVC & 0xffff)
	movk	x1, #(ESR_EXO_SVC >> 16), lsl #16
	cmp	x0, x1
	b.eq	exo_svc
	movz	x1, #(ESR_LINUX_SVC >> 16), lsl #16
	cmp	x0, x1
	b.eq	linux_svc
	mov	x1, #VEC_EL0_SYNC
	b	user_entry
.endm

/* x2..x29 into the frame at sp. */
.macro SAVE_X2_X29
	stp	x2, x3, [sp, #(2 * 8)]
	stp	x4, x5, [sp, #(4 * 8)]
	stp	x6, x7, [sp, #(6 * 8)]
	stp	x8, x9, [sp, #(8 * 8)]
	stp	x10, x11, [sp, #(10 * 8)]
	stp	x12, x13, [sp, #(12 * 8)]
	stp	x14, x15, [sp, #(14 * 8)]
	stp	x16, x17, [sp, #(16 * 8)]
	stp	x18, x19, [sp, #(18 * 8)]
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	stp	x28, x29, [sp, #(28 * 8)]
.endm

/* ELR, SPSR, ESR and FAR into the frame at sp (clobbers x2, x3). */
.macro SAVE_SYSREGS
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #TF_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #TF_ESR]
.endm

/* x2..x30 from the frame at \tf. */
.macro LOAD_X2_X30 tf
	ldp	x2, x3, [\tf, #(2 * 8)]
	ldp	x4, x5, [\tf, #(4 * 8)]
	ldp	x6, x7, [\tf, #(6 * 8)]
	ldp	x8, x9, [\tf, #(8 * 8)]
	ldp	x10, x11, [\tf, #(10 * 8)]
	ldp	x12, x13, [\tf, #(12 * 8)]
	ldp	x14, x15, [\tf, #(14 * 8)]
	ldp	x16, x17, [\tf, #(16 * 8)]
	ldp	x18, x19, [\tf, #(18 * 8)]
	ldp	x20, x21, [\tf, #(20 * 8)]
	ldp	x22, x23, [\tf, #(22 * 8)]
	ldp	x24, x25, [\tf, #(24 * 8)]
	ldp	x26, x27, [\tf, #(26 * 8)]
	ldp	x28, x29, [\tf, #(28 * 8)]
	ldr	x30, [\tf, #TF_X30]
.endm

	.text
	.balign	2048
	.globl	exception_vectors
exception_vectors:
	/* EL1 with SP_EL0, EL1 with SP_EL1: the kernel. */
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7
	VECTOR	\kind, trap_common
	.endr
	/* EL0 in AArch64: an env. */
	EL0_SYNC_VECTOR
	.irp	kind, 9, 10, 11
	VECTOR	\kind, user_entry
	.endr
	/* EL0 in AArch32: never entered (SPSR.M[4] is always 0), so an
	 * entry here is a kernel bug that trap_common reports. */
	.irp	kind, 12, 13, 14, 15
	VECTOR	\kind, trap_common
	.endr

/*
 * Save the rest of the frame, call aarch64_trap(frame, kind) and return
 * through the (possibly updated) ELR and SPSR in the frame.
 */
trap_common:
	SAVE_X2_X29
	add	x2, sp, #TF_SIZE
	stp	x30, x2, [sp, #TF_X30]
	SAVE_SYSREGS
	mov	x0, sp
	bl	aarch64_trap
	ldp	x2, x3, [sp, #TF_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	LOAD_X2_X30 sp
	ldp	x0, x1, [sp]
	add	sp, sp, #TF_SIZE
	eret

/*
 * From EL0, x0 and x1 already in the frame: the rest of it, the user's
 * stack pointer and thread pointer included, and the frame-pointer chain
 * starts afresh for kernel backtraces.
 */
.macro SAVE_USER_FRAME
	SAVE_X2_X29
	mrs	x2, sp_el0
	stp	x30, x2, [sp, #TF_X30]
	SAVE_SYSREGS
	mrs	x2, tpidr_el0
	str	x2, [sp, #TF_TPIDR]
	mov	x29, xzr
	mov	x30, xzr
.endm

user_entry:
	SAVE_USER_FRAME
	mov	x0, sp
	bl	aarch64_user_trap
	/* aarch64_user_trap() never returns. */

/*
 * A Linux system call: the whole frame, as user_entry saves it; then
 * aarch64_linux_svc() reflects it to the env's library OS and the env
 * resumes at once in its upcall entry, or, if it declines, the usual
 * way (aarch64_user_trap, the full path).
 */
linux_svc:
	SAVE_USER_FRAME
	mov	x0, sp
	bl	aarch64_linux_svc
	cbz	w0, 1f
	mov	x0, sp
	add	x1, sp, #TF_SIZE
	b	aarch64_return_to_user
1:	mov	x0, sp
	mov	x1, #VEC_EL0_SYNC
	bl	aarch64_user_trap
	/* aarch64_user_trap() never returns. */

/*
 * An Exo system call, x0 and x1 already in the frame.  The frame's first
 * six words are the argument array syscall_try_fast() reads.  The C code
 * preserves x19..x28 and may clobber the rest; it may also take and fix
 * up a fault on a user copy, which overwrites ELR, SPSR, ESR and FAR, so
 * ELR and SPSR are saved too (ESR and FAR mean nothing to EL0).  Nothing
 * else changes: SP_EL0 and TPIDR_EL0 stay live in their registers,
 * interrupts stay masked until the eret, and the env is the same one (so
 * no clrex, unlike aarch64_return_to_user).  x29 starts kernel backtraces
 * afresh, as in user_entry.
 */
exo_svc:
	stp	x2, x3, [sp, #(2 * 8)]
	stp	x4, x5, [sp, #(4 * 8)]
	stp	x6, x7, [sp, #(6 * 8)]
	stp	x8, x9, [sp, #(8 * 8)]
	stp	x10, x11, [sp, #(10 * 8)]
	stp	x12, x13, [sp, #(12 * 8)]
	stp	x14, x15, [sp, #(14 * 8)]
	stp	x16, x17, [sp, #(16 * 8)]
	stp	x18, x19, [sp, #(18 * 8)]
	stp	x29, x30, [sp, #(29 * 8)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #TF_ELR]
	mov	x29, xzr
	cmp	x8, #EXO_SYS_UPCALL_RETURN
	b.eq	exo_upcall_ret
exo_svc_call:
	mov	x0, x8
	mov	x1, sp
	add	x2, sp, #TF_FAST_RET
	bl	syscall_try_fast
	cbz	w0, exo_svc_slow
	ldp	x2, x3, [sp, #TF_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	/* Page-table writes of this call before the env's next walks, as
	 * in arch_return_to_user. */
	dsb	ishst
	ldp	x1, x2, [sp, #(1 * 8)]
	ldp	x3, x4, [sp, #(3 * 8)]
	ldp	x5, x6, [sp, #(5 * 8)]
	ldp	x7, x8, [sp, #(7 * 8)]
	ldp	x9, x10, [sp, #(9 * 8)]
	ldp	x11, x12, [sp, #(11 * 8)]
	ldp	x13, x14, [sp, #(13 * 8)]
	ldp	x15, x16, [sp, #(15 * 8)]
	ldp	x17, x18, [sp, #(17 * 8)]
	ldr	x29, [sp, #(29 * 8)]
	ldp	x30, x0, [sp, #TF_X30]
	add	sp, sp, #TF_SIZE
	eret

/*
 * exo_upcall_return: aarch64_upcall_return() makes the frame at sp the
 * upcall frame's registers (all of them: x19..x28 too), and the way out
 * loads every one, as for an env switch; if it declines, the frame is as
 * it was and the call takes the usual way (the full path).
 */
exo_upcall_ret:
	mov	x0, sp
	bl	aarch64_upcall_return
	cbz	w0, 1f
	mov	x0, sp
	add	x1, sp, #TF_SIZE
	b	aarch64_return_to_user
1:	ldr	x8, [sp, #(8 * 8)]
	b	exo_svc_call

/*
 * The call needs the full path: complete the frame (x19..x28 are still
 * the user's; ESR is known, FAR is meaningless for an svc) and hand it to
 * aarch64_svc_trap(), which skips the decoding the vector did already.
 */
exo_svc_slow:
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	str	x28, [sp, #(28 * 8)]
	mrs	x2, sp_el0
	str	x2, [sp, #TF_SP]
	mov	x2, #(ESR_EXO_SVC & 0xffff)
	movk	x2, #(ESR_EXO_SVC >> 16), lsl #16
	stp	x2, xzr, [sp, #TF_ESR]
	mrs	x2, tpidr_el0
	str	x2, [sp, #TF_TPIDR]
	mov	x30, xzr
	mov	x0, sp
	bl	aarch64_svc_trap
	/* aarch64_svc_trap() never returns. */

/*
 * aarch64_return_to_user(tf, kstack_top): load the user registers from
 * *tf (anywhere in kernel memory, the kernel stack included) and eret to
 * EL0.  SP_EL1 is reset to kstack_top first, so the next entry from EL0
 * starts on an empty kernel stack; nothing is pushed after that, and every
 * exception is masked until the eret, so *tf is only read, never
 * overwritten.  The caller has sanitised tf->spsr.
 */
	.globl	aarch64_return_to_user
aarch64_return_to_user:
	msr	daifset, #0xf
	mov	sp, x1
	ldp	x2, x3, [x0, #TF_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldr	x2, [x0, #TF_SP]
	msr	sp_el0, x2
	ldr	x2, [x0, #TF_TPIDR]
	msr	tpidr_el0, x2
	/* An exclusive load from before the switch must not let a
	 * store-exclusive after it succeed: the local monitor may not see
	 * the plain stores another env made in between. */
	clrex
	LOAD_X2_X30 x0
	ldp	x0, x1, [x0]
	eret
