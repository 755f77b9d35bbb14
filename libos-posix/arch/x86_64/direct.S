/*
 * x86_64 direct-call entry (include/posix/direct.h): a program built for
 * Exo calls here instead of executing `syscall`.  It builds the upcall
 * frame the kernel would have built for the reflected call, at the top
 * of the upcall stack, and joins libexo's upcall entry, which runs the
 * handler and resumes the frame in user mode: no kernel entry on the
 * way in or out.  rcx and r11 are ours, as `syscall` clobbers them; the
 * frame's rip and rsp are the return address and the caller's stack
 * above it, so fork's child and a signal's handler resume from there.
 */
#include "upcall.h"

#define R(n) (POSIX_FRAME_REGS + (n) * 8)
#define EXO_UPCALL_SYSCALL 2
#define POSIX_DIRECT_MARK 1 /* frame.arg[0]: made here (signal.c) */

	.text
	.globl posix_direct_entry
	.type posix_direct_entry, @function
posix_direct_entry:
	pop %rcx			/* the return address */
	mov %rsp, %r11			/* the caller's stack */
	lea upcall_stack + POSIX_UPCALL_STACK - POSIX_FRAME_SIZE(%rip), %rsp
	mov %rax, R(0)(%rsp)
	mov %rbx, R(1)(%rsp)
	mov %rcx, R(2)(%rsp)
	mov %rdx, R(3)(%rsp)
	mov %rsi, R(4)(%rsp)
	mov %rdi, R(5)(%rsp)
	mov %rbp, R(6)(%rsp)
	mov %r11, R(7)(%rsp)
	mov %r8, R(8)(%rsp)
	mov %r9, R(9)(%rsp)
	mov %r10, R(10)(%rsp)
	mov %r11, R(11)(%rsp)
	mov %r12, R(12)(%rsp)
	mov %r13, R(13)(%rsp)
	mov %r14, R(14)(%rsp)
	mov %r15, R(15)(%rsp)
	mov %rcx, R(16)(%rsp)		/* rip */
	pushfq
	popq R(17)(%rsp)		/* rflags */
	mov posix_fs_base(%rip), %rcx
	mov %rcx, R(18)(%rsp)
	mov posix_gs_base(%rip), %rcx
	mov %rcx, R(19)(%rsp)
	movq $EXO_UPCALL_SYSCALL, 0(%rsp)
	xor %ecx, %ecx
	mov %rcx, 8(%rsp)		/* fault, flags, addr, code */
	mov %rcx, 16(%rsp)
	mov %rcx, 24(%rsp)
	mov %rcx, 32(%rsp)
	movq $POSIX_DIRECT_MARK, 40(%rsp) /* arg[0] */
	mov %rcx, 48(%rsp)
	mov %rcx, 56(%rsp)
	mov %rsp, %rdi
	jmp posix_upcall_entry
	.size posix_direct_entry, . - posix_direct_entry

/*
 * The upcall entry (arch.c installs it): the kernel starts it with rsp
 * and rdi at the frame.  It runs posix_upcall and resumes the frame in
 * user mode through libexo's exo__upcall_resume, like libexo's own
 * entry but without the FP/SIMD save around the handler: the libOS,
 * built with general registers only, never touches them, so they are
 * the program's throughout.
 */

	.globl posix_upcall_entry
	.type posix_upcall_entry, @function
posix_upcall_entry:
	cld				/* the C ABI wants DF clear */
	mov %rdi, %rbx			/* callee-saved: the frame */
	xor %ebp, %ebp			/* backtraces end here */
	call posix_upcall
	jmp exo__upcall_resume		/* libexo's way out, from the frame */
	.size posix_upcall_entry, . - posix_upcall_entry

	.section .note.GNU-stack, "", @progbits
