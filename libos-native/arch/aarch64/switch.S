/*
 * aarch64 thread switching for libos-native (see nat.h).
 *
 * nat__switch stores the callee-saved registers (x19-x30, d8-d15) and
 * FPCR on the current stack, saves sp, and loads the same image from the
 * next thread's stack.  A new thread's image is built by
 * nat__arch_new_stack (ctx.c) to "return" into nat__thread_entry.
 */
#include <exo/arch/syscall.h>
#include <exo/syscall_nr.h>

#define FRAME 176
#define FPSAVE (16 + 32 * 16) /* fpsr, fpcr, q0-q31 */

	.text
	.globl nat__switch
	.type nat__switch, %function
nat__switch:			/* x0: where to save sp, x1: sp to load */
	sub sp, sp, #FRAME
	stp x19, x20, [sp, #0]
	stp x21, x22, [sp, #16]
	stp x23, x24, [sp, #32]
	stp x25, x26, [sp, #48]
	stp x27, x28, [sp, #64]
	stp x29, x30, [sp, #80]
	stp d8, d9, [sp, #96]
	stp d10, d11, [sp, #112]
	stp d12, d13, [sp, #128]
	stp d14, d15, [sp, #144]
	mrs x9, fpcr
	str x9, [sp, #160]
	mov x9, sp
	str x9, [x0]
	mov sp, x1
	ldp x19, x20, [sp, #0]
	ldp x21, x22, [sp, #16]
	ldp x23, x24, [sp, #32]
	ldp x25, x26, [sp, #48]
	ldp x27, x28, [sp, #64]
	ldp x29, x30, [sp, #80]
	ldp d8, d9, [sp, #96]
	ldp d10, d11, [sp, #112]
	ldp d12, d13, [sp, #128]
	ldp d14, d15, [sp, #144]
	ldr x9, [sp, #160]
	msr fpcr, x9
	add sp, sp, #FRAME
	ret
	.size nat__switch, . - nat__switch

	.globl nat__thread_entry
	.type nat__thread_entry, %function
nat__thread_entry:		/* x19: fn, x20: arg */
	mov x0, x19
	mov x1, x20
	mov x29, xzr		/* backtraces end here */
	bl nat__thread_main
	brk #0
	.size nat__thread_entry, . - nat__thread_entry

/*
 * A preempted thread resumes here with sp and x0 at a copy of the upcall
 * frame that interrupted it (16-aligned, on its own stack).  Keep its
 * FP/SIMD state, yield, and resume the frame through the kernel: no
 * AArch64 branch restores every register.
 */
	.globl nat__preempt
	.type nat__preempt, %function
nat__preempt:
	mov x19, x0
	sub sp, sp, #FPSAVE
	mrs x1, fpsr
	mrs x2, fpcr
	stp x1, x2, [sp, #0]
	add x3, sp, #16
	stp q0, q1, [x3], #32
	stp q2, q3, [x3], #32
	stp q4, q5, [x3], #32
	stp q6, q7, [x3], #32
	stp q8, q9, [x3], #32
	stp q10, q11, [x3], #32
	stp q12, q13, [x3], #32
	stp q14, q15, [x3], #32
	stp q16, q17, [x3], #32
	stp q18, q19, [x3], #32
	stp q20, q21, [x3], #32
	stp q22, q23, [x3], #32
	stp q24, q25, [x3], #32
	stp q26, q27, [x3], #32
	stp q28, q29, [x3], #32
	stp q30, q31, [x3], #32
	bl nat__preempted
	ldp x1, x2, [sp, #0]
	msr fpsr, x1
	msr fpcr, x2
	add x3, sp, #16
	ldp q0, q1, [x3], #32
	ldp q2, q3, [x3], #32
	ldp q4, q5, [x3], #32
	ldp q6, q7, [x3], #32
	ldp q8, q9, [x3], #32
	ldp q10, q11, [x3], #32
	ldp q12, q13, [x3], #32
	ldp q14, q15, [x3], #32
	ldp q16, q17, [x3], #32
	ldp q18, q19, [x3], #32
	ldp q20, q21, [x3], #32
	ldp q22, q23, [x3], #32
	ldp q24, q25, [x3], #32
	ldp q26, q27, [x3], #32
	ldp q28, q29, [x3], #32
	ldp q30, q31, [x3], #32
	mov x0, x19
	mov x8, #EXO_SYS_UPCALL_RETURN
	svc #EXO_SVC_IMM
	brk #0			/* only an unreadable frame comes back */
	.size nat__preempt, . - nat__preempt

	.section .note.GNU-stack, "", %progbits
