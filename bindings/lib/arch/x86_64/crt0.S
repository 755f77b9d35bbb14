/*
 * x86_64 program entry.  The creator's exo_env_start passes the argument
 * in rdi and a stack in rsp; run main(arg) and exit with its result.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp		/* the outermost frame: backtraces end */
	and $-16, %rsp		/* the ABI's alignment at a call */
	call main		/* rdi: the argument, as passed */
	movslq %eax, %rdi
	call exo_terminate
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
