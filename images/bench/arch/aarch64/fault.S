/*
 * bench_fault: load from address 0 (never mapped); the upcall handler
 * resumes at bench_fault_done.
 */
	.text
	.globl bench_fault, bench_fault_insn, bench_fault_done
bench_fault:
	mov x0, #0
bench_fault_insn:
	ldrb w0, [x0]
bench_fault_done:
	ret
	.section .note.GNU-stack, "", %progbits
