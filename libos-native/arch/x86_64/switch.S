/*
 * x86_64 thread switching for libos-native (see nat.h).
 *
 * nat__switch pushes the callee-saved registers and the SSE/x87 control
 * words (the SysV ABI makes them callee-saved too) on the current stack,
 * saves rsp, and pops the same image off the next thread's stack.  A new
 * thread's image is built by nat__arch_new_stack (ctx.c) to "return" into
 * nat__thread_entry.
 */
#include <exo/arch/syscall.h>
#include <exo/syscall_nr.h>

	.text
	.globl nat__switch
	.type nat__switch, @function
nat__switch:			/* rdi: where to save rsp, rsi: rsp to load */
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	sub $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	add $8, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size nat__switch, . - nat__switch

	.globl nat__thread_entry
	.type nat__thread_entry, @function
nat__thread_entry:		/* r12: fn, r13: arg; rsp 16-aligned */
	mov %r12, %rdi
	mov %r13, %rsi
	xor %ebp, %ebp		/* backtraces end here */
	call nat__thread_main
	ud2
	.size nat__thread_entry, . - nat__thread_entry

/*
 * A preempted thread resumes here with rsp and rdi at a copy of the
 * upcall frame that interrupted it (16-aligned, on its own stack, below
 * its red zone).  Keep its SSE/x87 state, yield, and resume the frame.
 */
	.globl nat__preempt
	.type nat__preempt, @function
nat__preempt:
	mov %rdi, %rbx		/* callee-saved: the frame */
	sub $512, %rsp
	fxsave64 (%rsp)
	call nat__preempted
	fxrstor64 (%rsp)
	mov %rbx, %rdi
	mov $(EXO_SYSCALL_BASE + EXO_SYS_UPCALL_RETURN), %eax
	syscall
	ud2			/* only an unreadable frame comes back */
	.size nat__preempt, . - nat__preempt

	.section .note.GNU-stack, "", @progbits
