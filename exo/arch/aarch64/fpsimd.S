/*
 * The FP/SIMD state of an env (struct arch_env_ctx): the kernel never uses
 * these registers, so they are saved and loaded only when envs switch.
 */
#include <arch/trapframe.h>

	.text
/* fpsimd_save(ctx x0): q0-q31, FPCR, FPSR and TPIDRRO_EL0 into *ctx. */
	.globl	fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #(0 * 16)]
	stp	q2, q3, [x0, #(2 * 16)]
	stp	q4, q5, [x0, #(4 * 16)]
	stp	q6, q7, [x0, #(6 * 16)]
	stp	q8, q9, [x0, #(8 * 16)]
	stp	q10, q11, [x0, #(10 * 16)]
	stp	q12, q13, [x0, #(12 * 16)]
	stp	q14, q15, [x0, #(14 * 16)]
	stp	q16, q17, [x0, #(16 * 16)]
	stp	q18, q19, [x0, #(18 * 16)]
	stp	q20, q21, [x0, #(20 * 16)]
	stp	q22, q23, [x0, #(22 * 16)]
	stp	q24, q25, [x0, #(24 * 16)]
	stp	q26, q27, [x0, #(26 * 16)]
	stp	q28, q29, [x0, #(28 * 16)]
	stp	q30, q31, [x0, #(30 * 16)]
	mrs	x1, fpcr
	str	x1, [x0, #CTX_FPCR]
	mrs	x1, fpsr
	str	x1, [x0, #CTX_FPSR]
	mrs	x1, tpidrro_el0
	str	x1, [x0, #CTX_TPIDRRO]
	ret

/* fpsimd_load(ctx x0): the reverse. */
	.globl	fpsimd_load
fpsimd_load:
	ldp	q0, q1, [x0, #(0 * 16)]
	ldp	q2, q3, [x0, #(2 * 16)]
	ldp	q4, q5, [x0, #(4 * 16)]
	ldp	q6, q7, [x0, #(6 * 16)]
	ldp	q8, q9, [x0, #(8 * 16)]
	ldp	q10, q11, [x0, #(10 * 16)]
	ldp	q12, q13, [x0, #(12 * 16)]
	ldp	q14, q15, [x0, #(14 * 16)]
	ldp	q16, q17, [x0, #(16 * 16)]
	ldp	q18, q19, [x0, #(18 * 16)]
	ldp	q20, q21, [x0, #(20 * 16)]
	ldp	q22, q23, [x0, #(22 * 16)]
	ldp	q24, q25, [x0, #(24 * 16)]
	ldp	q26, q27, [x0, #(26 * 16)]
	ldp	q28, q29, [x0, #(28 * 16)]
	ldp	q30, q31, [x0, #(30 * 16)]
	ldr	x1, [x0, #CTX_FPCR]
	msr	fpcr, x1
	ldr	x1, [x0, #CTX_FPSR]
	msr	fpsr, x1
	ldr	x1, [x0, #CTX_TPIDRRO]
	msr	tpidrro_el0, x1
	ret
