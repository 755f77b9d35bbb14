/*
 * aarch64 program entry.  The creator's exo_env_start passes the argument
 * in x0 and a stack in sp; run main(arg) and exit with its result.
 */
	.text
	.globl _start
	.type _start, %function
_start:
	mov x29, xzr		/* the outermost frame: backtraces end */
	mov x30, xzr
	bl main			/* x0: the argument, as passed */
	sxtw x0, w0
	bl exo_terminate
	brk #0
	.size _start, . - _start

	.section .note.GNU-stack, "", %progbits
