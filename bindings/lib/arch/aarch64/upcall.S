/*
 * aarch64 upcall entry.  The kernel starts it with sp and x0 at a struct
 * exo_upcall_frame (16-byte aligned) on the upcall stack.  It saves the
 * FP/SIMD registers (the handler is ordinary C and may use them), calls
 * the handler, restores them, and resumes the frame's registers through
 * exo_upcall_return: no AArch64 branch can restore every register.
 */
#include <exo/syscall_nr.h>

#define FPSAVE_SIZE (16 + 32 * 16) /* fpsr, fpcr, q0-q31 */
#include <exo/arch/syscall.h>
#define SVC_IMM EXO_SVC_IMM

	.text
	.globl exo__upcall_entry
	.type exo__upcall_entry, %function
exo__upcall_entry:
	mov x19, x0		/* callee-saved: the frame */
	sub sp, sp, #FPSAVE_SIZE
	mrs x1, fpsr
	mrs x2, fpcr
	stp x1, x2, [sp, #0]
	stp q0, q1, [sp, #16]
	stp q2, q3, [sp, #48]
	stp q4, q5, [sp, #80]
	stp q6, q7, [sp, #112]
	stp q8, q9, [sp, #144]
	stp q10, q11, [sp, #176]
	stp q12, q13, [sp, #208]
	stp q14, q15, [sp, #240]
	stp q16, q17, [sp, #272]
	stp q18, q19, [sp, #304]
	stp q20, q21, [sp, #336]
	stp q22, q23, [sp, #368]
	stp q24, q25, [sp, #400]
	stp q26, q27, [sp, #432]
	stp q28, q29, [sp, #464]
	stp q30, q31, [sp, #496]

	mov x29, xzr		/* backtraces end here */
	mov x30, xzr
	adrp x1, exo__upcall_handler
	ldr x1, [x1, :lo12:exo__upcall_handler]
	blr x1

	ldp x1, x2, [sp, #0]
	msr fpsr, x1
	msr fpcr, x2
	ldp q0, q1, [sp, #16]
	ldp q2, q3, [sp, #48]
	ldp q4, q5, [sp, #80]
	ldp q6, q7, [sp, #112]
	ldp q8, q9, [sp, #144]
	ldp q10, q11, [sp, #176]
	ldp q12, q13, [sp, #208]
	ldp q14, q15, [sp, #240]
	ldp q16, q17, [sp, #272]
	ldp q18, q19, [sp, #304]
	ldp q20, q21, [sp, #336]
	ldp q22, q23, [sp, #368]
	ldp q24, q25, [sp, #400]
	ldp q26, q27, [sp, #432]
	ldp q28, q29, [sp, #464]
	ldp q30, q31, [sp, #496]

	mov x0, x19
	mov x8, #EXO_SYS_UPCALL_RETURN
	svc #SVC_IMM
	/* Only an unreadable frame comes back here. */
	mov x1, x0
	adrp x0, .Lfailed
	add x0, x0, :lo12:.Lfailed
	bl exo_panic
	.size exo__upcall_entry, . - exo__upcall_entry

	.section .rodata.str1.1, "aMS", %progbits, 1
.Lfailed:
	.asciz "libexo: exo_upcall_return failed (%ld)"

	.section .note.GNU-stack, "", %progbits
