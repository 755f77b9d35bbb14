/*
 * Copies to and from user memory.
 *
 * They use LDTR/STTR, which check EL0's permissions (and ignore
 * PSTATE.PAN), so the kernel reads and writes user memory exactly as the
 * env itself could: never a page the env may only read, such as its page
 * tables through EXO_UVPT.  Each of them has an exception-table entry
 * whose fixup returns 1; the C callers turn that into -EXO_EFAULT.
 */

#include <arch/trapframe.h>

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

/*
 * The foreign-call fast path's copies (trap.c): a frame's worth of
 * registers between a trap frame and an upcall frame in user memory,
 * unrolled.  Each access has its fixup; the load also probes the frame's
 * first and last words before it writes anything to the trap frame (the
 * frame spans at most two pages, and nothing can unmap one in between),
 * so a fault leaves the trap frame as it was.
 */
#define UF_REGS 64	  /* struct exo_upcall_frame: regs (user.c) */
#define UF_TYPE_SYSCALL 2 /* EXO_UPCALL_SYSCALL (user.c) */
#define NZCV_MASK 0xf0000000

/* sttr \reg, [\base, #\off], with its fixup. */
.macro UST reg, base, off
9:	sttr	\reg, [\base, #\off]
	EX	9b, usercopy_fault
.endm

/* ldtr \reg, [\base, #\off], with its fixup. */
.macro ULD reg, base, off
9:	ldtr	\reg, [\base, #\off]
	EX	9b, usercopy_fault
.endm

/*
 * aarch64_upcall_frame_store(udst x0, tf x1): the upcall frame of a
 * foreign system call at udst: type EXO_UPCALL_SYSCALL and the rest of
 * the header 0, then tf's x0..x30, sp and pc, the flags of its pstate,
 * its tpidr and a zero pad.  Returns 0, or 1 after a fault.
 */
	.globl	aarch64_upcall_frame_store
aarch64_upcall_frame_store:
	add	x5, x0, #256		/* sttr reaches 255 bytes on */
	mov	x2, #UF_TYPE_SYSCALL
	UST	x2, x0, 0
	UST	xzr, x5, 88		/* the pad, the frame's last word */
	.irp	off, 8, 16, 24, 32, 40, 48, 56
	UST	xzr, x0, \off
	.endr
	/* x0..x23: pairs at frame offsets 64..255 */
	.irp	n, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22
	ldp	x3, x4, [x1, #(\n * 8)]
	UST	x3, x0, (UF_REGS + \n * 8)
	UST	x4, x0, (UF_REGS + \n * 8 + 8)
	.endr
	ldp	x3, x4, [x1, #(24 * 8)]	/* x24, x25: offsets 256, 264 */
	UST	x3, x5, 0
	UST	x4, x5, 8
	.irp	n, 26, 28, 30
	ldp	x3, x4, [x1, #(\n * 8)]	/* x26..x30, sp */
	UST	x3, x5, (UF_REGS + \n * 8 - 256)
	UST	x4, x5, (UF_REGS + \n * 8 + 8 - 256)
	.endr
	ldp	x3, x4, [x1, #(32 * 8)]	/* elr (pc), spsr */
	and	x4, x4, #NZCV_MASK
	UST	x3, x5, (UF_REGS + 32 * 8 - 256)
	UST	x4, x5, (UF_REGS + 33 * 8 - 256)
	ldr	x3, [x1, #TF_TPIDR]
	UST	x3, x5, (UF_REGS + 34 * 8 - 256)
	mov	x0, #0
	ret

/*
 * aarch64_upcall_frame_load(tf x0, uregs x1): the struct exo_regs at
 * uregs becomes tf's x0..x30, sp, pc (elr), pstate (its flags only:
 * EL0t, nothing masked) and tpidr.  Returns 0, or 1 after a fault, with
 * tf untouched.
 */
	.globl	aarch64_upcall_frame_load
aarch64_upcall_frame_load:
	add	x5, x1, #256
	ULD	x2, x1, 0		/* probe both ends first */
	ULD	x2, x5, 24		/* the pad, at 280 */
	.irp	n, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28
	ULD	x3, x1, (\n * 8)
	ULD	x4, x1, (\n * 8 + 8)
	stp	x3, x4, [x0, #(\n * 8)]
	.endr
	.irp	n, 30, 32
	ULD	x3, x5, (\n * 8 - 256)	/* x30, sp; pc, pstate */
	ULD	x4, x5, (\n * 8 + 8 - 256)
	.if	\n == 32
	and	x4, x4, #NZCV_MASK
	.endif
	stp	x3, x4, [x0, #(\n * 8)]
	.endr
	ULD	x3, x5, (34 * 8 - 256)	/* tpidr */
	str	x3, [x0, #TF_TPIDR]
	mov	x0, #0
	ret

usercopy_fault:
	mov	x0, #1
	ret
usercopy_end:
