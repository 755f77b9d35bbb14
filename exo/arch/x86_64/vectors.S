/*
 * Trap entry: one 16-byte stub per vector (x86_vectors + 16 * n), each
 * pushing a dummy error code where the CPU pushes none, then its vector,
 * then joining trap_common, which saves the general registers as a
 * struct trapframe (x86/cpu.h) and calls x86_trap().
 *
 * No user mode yet, so no swapgs: every trap comes from the kernel.
 */

#define EXO_EFAULT 4

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
	.globl x86_vectors
x86_vectors:
	.set vec, 0
	.rept 256
1:	.if !HAS_ERROR(vec)
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.org 1b + 16            /* fails to assemble if a stub outgrows 16 */
	.set vec, vec + 1
	.endr

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi         /* 22 words pushed: %rsp is 16-byte aligned */
	call x86_trap
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp          /* vector and error code */
	iretq

/*
 * int arch_probe_read(uintptr_t va, uint64_t *out)
 * The load at 1: has a fixup: if it faults, x86_trap() records the fault
 * and resumes at 2:, which returns -EXO_EFAULT.
 */
	.globl arch_probe_read
arch_probe_read:
1:	movq (%rdi), %rax
	movq %rax, (%rsi)
	xorl %eax, %eax
	ret
2:	movl $-EXO_EFAULT, %eax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.previous

/*
 * int x86_probe_write(uintptr_t va, uint64_t v)
 * The store counterpart, with the same recovery: the shape copyout will
 * take.  Returns 0 or -EXO_EFAULT.
 */
	.globl x86_probe_write
x86_probe_write:
1:	movq %rsi, (%rdi)
	xorl %eax, %eax
	ret
2:	movl $-EXO_EFAULT, %eax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.previous

	.section .note.GNU-stack, "", @progbits
