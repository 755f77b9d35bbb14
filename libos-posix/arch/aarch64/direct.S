/*
 * aarch64 direct-call entry (include/posix/direct.h): a program built for
 * Exo branches here (blr x16) instead of executing `svc #0`.  It builds
 * the upcall frame the kernel would have built for the reflected call,
 * at the top of the upcall stack, runs the call, and resumes the frame
 * itself: x16 carries the resume address and x17 the stack pointer,
 * which a caller through x16 expects to lose, as does a signal handler
 * that starts instead.  No kernel entry on the way in or out (libexo's
 * own exit must go through exo_upcall_return, which restores every
 * register).  No FP/SIMD register is saved: the libOS is built with
 * general registers only.
 */
#include <exo/arch/syscall.h>
#include <exo/syscall_nr.h>

#include "upcall.h"

#define R(n) (POSIX_FRAME_REGS + (n) * 8)
#define EXO_UPCALL_SYSCALL 2
#define POSIX_DIRECT_MARK 1 /* frame.arg[0]: made here (signal.c) */
#define TOP (upcall_stack + POSIX_UPCALL_STACK - POSIX_FRAME_SIZE)

	.text
	.globl posix_direct_entry
	.type posix_direct_entry, %function
	.p2align 2
posix_direct_entry:
	adrp x16, TOP
	add x16, x16, :lo12:TOP
	mov x17, sp
	mov sp, x16
	stp x0, x1, [sp, #R(0)]
	stp x2, x3, [sp, #R(2)]
	stp x4, x5, [sp, #R(4)]
	stp x6, x7, [sp, #R(6)]
	stp x8, x9, [sp, #R(8)]
	stp x10, x11, [sp, #R(10)]
	stp x12, x13, [sp, #R(12)]
	stp x14, x15, [sp, #R(14)]
	stp x16, x17, [sp, #R(16)]
	stp x18, x19, [sp, #R(18)]
	stp x20, x21, [sp, #R(20)]
	stp x22, x23, [sp, #R(22)]
	stp x24, x25, [sp, #R(24)]
	stp x26, x27, [sp, #R(26)]
	stp x28, x29, [sp, #R(28)]
	stp x30, x17, [sp, #R(30)]	/* x30, sp */
	mrs x16, nzcv
	stp x30, x16, [sp, #R(32)]	/* pc: the return address; pstate */
	mrs x16, tpidr_el0
	stp x16, xzr, [sp, #R(34)]
	mov x16, #EXO_UPCALL_SYSCALL
	mov x17, #POSIX_DIRECT_MARK
	stp x16, xzr, [sp, #0]		/* type, fault */
	stp xzr, xzr, [sp, #16]		/* flags, addr */
	stp xzr, x17, [sp, #32]		/* code, arg[0] */
	stp xzr, xzr, [sp, #48]		/* arg[1], arg[2] */
	mov x29, xzr			/* backtraces end here */
	mov x0, sp
	bl posix_syscall

	ldr x16, [sp, #R(33)]
	msr nzcv, x16
	ldr x16, [sp, #R(34)]
	msr tpidr_el0, x16
	ldp x0, x1, [sp, #R(0)]
	ldp x2, x3, [sp, #R(2)]
	ldp x4, x5, [sp, #R(4)]
	ldp x6, x7, [sp, #R(6)]
	ldp x8, x9, [sp, #R(8)]
	ldp x10, x11, [sp, #R(10)]
	ldp x12, x13, [sp, #R(12)]
	ldp x14, x15, [sp, #R(14)]
	ldp x18, x19, [sp, #R(18)]
	ldp x20, x21, [sp, #R(20)]
	ldp x22, x23, [sp, #R(22)]
	ldp x24, x25, [sp, #R(24)]
	ldp x26, x27, [sp, #R(26)]
	ldp x28, x29, [sp, #R(28)]
	ldr x30, [sp, #R(30)]
	ldp x17, x16, [sp, #R(31)]	/* sp, pc */
	mov sp, x17
	br x16
	.size posix_direct_entry, . - posix_direct_entry

/*
 * The upcall entry (arch.c installs it): the kernel starts it with sp and
 * x0 at the frame.  It runs posix_upcall and resumes the frame through
 * exo_upcall_return.  Unlike libexo's entry it leaves the FP/SIMD
 * registers alone: the libOS, built with general registers only, never
 * touches them, so they are the program's throughout.
 */
	.globl posix_upcall_entry
	.type posix_upcall_entry, %function
	.p2align 2
posix_upcall_entry:
	mov x19, x0			/* callee-saved: the frame */
	mov x29, xzr			/* backtraces end here */
	mov x30, xzr
	bl posix_upcall
	mov x0, x19
	mov x8, #EXO_SYS_UPCALL_RETURN
	svc #EXO_SVC_IMM
	udf #0				/* a bad frame: a fault, so SIGILL */
	.size posix_upcall_entry, . - posix_upcall_entry

	.section .note.GNU-stack, "", @progbits
