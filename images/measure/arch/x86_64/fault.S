/*
 * measure_fault: read from address 0 (never mapped); the upcall handler
 * resumes at measure_fault_done.
 */
	.text
	.globl measure_fault, measure_fault_insn, measure_fault_done
measure_fault:
	xorl %eax, %eax
measure_fault_insn:
	movb (%rax), %al
measure_fault_done:
	ret
	.section .note.GNU-stack, "", @progbits
