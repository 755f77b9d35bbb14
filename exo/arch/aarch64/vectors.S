/*
 * The EL1 exception vectors and the trap frame save/restore around the C
 * handler, aarch64_trap().
 */
#define TF_SIZE (36 * 8)	/* struct trap_frame */

/* One vector: save x0/x1 and go to the common path with the slot in x1. */
.macro VECTOR kind
	.balign	0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	trap_common
.endm

	.text
	.balign	2048
	.globl	exception_vectors
exception_vectors:
	/* EL1 with SP_EL0, EL1 with SP_EL1, EL0 AArch64, EL0 AArch32. */
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	VECTOR	\kind
	.endr

/*
 * Save the rest of the frame, call aarch64_trap(frame, kind) and return
 * through the (possibly updated) ELR and SPSR in the frame.
 */
trap_common:
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
	add	x2, sp, #TF_SIZE
	stp	x30, x2, [sp, #(30 * 8)]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #(32 * 8)]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #(34 * 8)]
	mov	x0, sp
	bl	aarch64_trap
	ldp	x2, x3, [sp, #(32 * 8)]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp]
	ldp	x2, x3, [sp, #(2 * 8)]
	ldp	x4, x5, [sp, #(4 * 8)]
	ldp	x6, x7, [sp, #(6 * 8)]
	ldp	x8, x9, [sp, #(8 * 8)]
	ldp	x10, x11, [sp, #(10 * 8)]
	ldp	x12, x13, [sp, #(12 * 8)]
	ldp	x14, x15, [sp, #(14 * 8)]
	ldp	x16, x17, [sp, #(16 * 8)]
	ldp	x18, x19, [sp, #(18 * 8)]
	ldp	x20, x21, [sp, #(20 * 8)]
	ldp	x22, x23, [sp, #(22 * 8)]
	ldp	x24, x25, [sp, #(24 * 8)]
	ldp	x26, x27, [sp, #(26 * 8)]
	ldp	x28, x29, [sp, #(28 * 8)]
	ldr	x30, [sp, #(30 * 8)]
	add	sp, sp, #TF_SIZE
	eret
