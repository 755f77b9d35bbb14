/*
 * Copies to and from user memory.
 *
 * They use LDTR/STTR, which check EL0's permissions (and ignore
 * PSTATE.PAN), so the kernel reads and writes user memory exactly as the
 * env itself could: never a page the env may only read, such as its page
 * tables through EXO_UVPT.  Each of them has an exception-table entry
 * whose fixup returns 1; the C callers turn that into -EXO_EFAULT.
 */

/* A fault at \insn resumes at \fixup (see EX_TABLE in <arch/aarch64.h>). */
.macro EX insn, fixup
	.pushsection __ex_table, "a"
	.balign	8
	.quad	\insn, \fixup
	.popsection
.endm

	.text
	.globl	usercopy_start, usercopy_end
usercopy_start:

/*
 * aarch64_copy_from_user(dst x0, usrc x1, n x2): sixteen bytes at a time
 * while at least sixteen remain, then eight, then bytes (LDTR allows
 * unaligned Normal memory).  Returns 0, or 1 after a fault with the copy partly done.
 */
	.globl	aarch64_copy_from_user
aarch64_copy_from_user:
	cmp	x2, #16
	b.lo	5f
6:	ldtr	x3, [x1]
	EX	6b, usercopy_fault
7:	ldtr	x4, [x1, #8]
	EX	7b, usercopy_fault
	stp	x3, x4, [x0], #16
	add	x1, x1, #16
	sub	x2, x2, #16
	cmp	x2, #16
	b.hs	6b
5:	cmp	x2, #8
	b.lo	2f
1:	ldtr	x3, [x1]
	EX	1b, usercopy_fault
	str	x3, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
2:	cbz	x2, 4f
3:	ldtrb	w3, [x1]
	EX	3b, usercopy_fault
	strb	w3, [x0], #1
	add	x1, x1, #1
	subs	x2, x2, #1
	b.ne	3b
4:	mov	x0, #0
	ret

/* aarch64_copy_to_user(udst x0, src x1, n x2): the same, storing. */
	.globl	aarch64_copy_to_user
aarch64_copy_to_user:
	cmp	x2, #16
	b.lo	5f
6:	ldp	x3, x4, [x1], #16
	sttr	x3, [x0]
	EX	6b + 4, usercopy_fault
7:	sttr	x4, [x0, #8]
	EX	7b, usercopy_fault
	add	x0, x0, #16
	sub	x2, x2, #16
	cmp	x2, #16
	b.hs	6b
5:	cmp	x2, #8
	b.lo	2f
1:	ldr	x3, [x1], #8
	sttr	x3, [x0]
	EX	1b + 4, usercopy_fault
	add	x0, x0, #8
	sub	x2, x2, #8
2:	cbz	x2, 4f
3:	ldrb	w3, [x1], #1
	sttrb	w3, [x0]
	EX	3b + 4, usercopy_fault
	add	x0, x0, #1
	subs	x2, x2, #1
	b.ne	3b
4:	mov	x0, #0
	ret

usercopy_fault:
	mov	x0, #1
	ret
usercopy_end:
