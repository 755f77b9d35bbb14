/*
 * x86_64 probes for the test root env: single accesses whose fault the
 * tests' upcall handler catches by resuming at ut_probe_fixup (which
 * returns 1 to the probe's caller), and ut_regs_fault, which proves an
 * upcall resumes every register.  None of them touches the stack before
 * the access, so the fixup's `ret` finds the caller's return address.
 */
#include "../../probe.h"

	.text
	/* int ut_probe_load(uint64_t addr, uint64_t *val) */
	.globl ut_probe_load
ut_probe_load:
	mov (%rdi), %rax
	mov %rax, (%rsi)
	xor %eax, %eax
	ret

	/* int ut_probe_store(uint64_t addr, uint64_t val) */
	.globl ut_probe_store
ut_probe_store:
	mov %rsi, (%rdi)
	xor %eax, %eax
	ret

	/* int ut_probe_call(uint64_t addr): jump there; the code there
	 * returns 0 itself if it runs. */
	.globl ut_probe_call
ut_probe_call:
	jmp *%rdi

	/* int ut_probe_cli(void): a privileged instruction, for
	 * ut_try_call. */
	.globl ut_probe_cli
ut_probe_cli:
	cli
	sti
	xor %eax, %eax
	ret

	/* uint64_t ut_read_flags(void) */
	.globl ut_read_flags
ut_read_flags:
	pushfq
	pop %rax
	ret

	.globl ut_probe_fixup
ut_probe_fixup:
	mov $1, %eax
	ret

/*
 * void ut_regs_fault(uint64_t addr).  ut_regs_out afterwards: [0..15]
 * rax rbx rcx rdx rsi rdi rbp rsp r8..r15 after the load (rdi holds the
 * loaded word, rsp its value at the load), [16] rflags, [17] xmm0 and
 * [18] xmm15 (low halves), [19] rsp before the load.  Before the load
 * register n holds UT_PATTERN(n), the xmm registers UT_PATTERN(17) and
 * UT_PATTERN(18), and CF is set.
 */
#define OUT(n) ut_regs_out + (n) * 8(%rip)

	.globl ut_regs_fault
ut_regs_fault:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, OUT(19)
	movabs $UT_PATTERN(17), %rax
	movq %rax, %xmm0
	movabs $UT_PATTERN(18), %rax
	movq %rax, %xmm15
	movabs $UT_PATTERN(0), %rax
	movabs $UT_PATTERN(1), %rbx
	movabs $UT_PATTERN(2), %rcx
	movabs $UT_PATTERN(3), %rdx
	movabs $UT_PATTERN(4), %rsi
	movabs $UT_PATTERN(6), %rbp
	movabs $UT_PATTERN(8), %r8
	movabs $UT_PATTERN(9), %r9
	movabs $UT_PATTERN(10), %r10
	movabs $UT_PATTERN(11), %r11
	movabs $UT_PATTERN(12), %r12
	movabs $UT_PATTERN(13), %r13
	movabs $UT_PATTERN(14), %r14
	movabs $UT_PATTERN(15), %r15
	stc
	mov (%rdi), %rdi	/* faults; the handler maps the page */
	mov %rsp, OUT(7)
	pushfq
	mov %rax, OUT(0)
	mov %rbx, OUT(1)
	mov %rcx, OUT(2)
	mov %rdx, OUT(3)
	mov %rsi, OUT(4)
	mov %rdi, OUT(5)
	mov %rbp, OUT(6)
	mov %r8, OUT(8)
	mov %r9, OUT(9)
	mov %r10, OUT(10)
	mov %r11, OUT(11)
	mov %r12, OUT(12)
	mov %r13, OUT(13)
	mov %r14, OUT(14)
	mov %r15, OUT(15)
	pop %rax
	mov %rax, OUT(16)
	movq %xmm0, %rax
	mov %rax, OUT(17)
	movq %xmm15, %rax
	mov %rax, OUT(18)
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

	.bss
	.balign 8
	.globl ut_regs_out
ut_regs_out:
	.skip UT_NREGS * 8

	.section .note.GNU-stack, "", @progbits
