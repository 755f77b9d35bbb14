/*
 * uint64_t ut_sys_regs(uint64_t rax, uint64_t rflags, uint64_t a0,
 *                      uint64_t a1)
 * A `syscall` with rax, rdi = a0, rsi = a1, rflags as given (what user
 * mode may set of them) and every other register but rsp holding
 * UT_PATTERN(n).  Afterwards ut_sys_out[0..15] holds rax rbx rcx rdx rsi
 * rdi rbp rsp r8..r15, [16] rflags after, [17] rflags before, [18] rsp
 * before, [19] the address after the syscall.
 */
#include "../../probe.h"

#define OUT(n) ut_sys_out + (n) * 8(%rip)

	.text
	.globl ut_sys_regs
ut_sys_regs:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rdi, %rax
	mov %rdx, %rdi
	mov %rcx, %r11
	push %rsi
	popfq
	mov %r11, %rsi
	movabs $UT_PATTERN(1), %rbx
	movabs $UT_PATTERN(2), %rcx
	movabs $UT_PATTERN(3), %rdx
	movabs $UT_PATTERN(6), %rbp
	movabs $UT_PATTERN(8), %r8
	movabs $UT_PATTERN(9), %r9
	movabs $UT_PATTERN(10), %r10
	movabs $UT_PATTERN(11), %r11
	movabs $UT_PATTERN(12), %r12
	movabs $UT_PATTERN(13), %r13
	movabs $UT_PATTERN(14), %r14
	movabs $UT_PATTERN(15), %r15
	mov %rsp, OUT(18)
	pushfq
	popq OUT(17)
	syscall
1:	mov %rax, OUT(0)
	mov %rbx, OUT(1)
	mov %rcx, OUT(2)
	mov %rdx, OUT(3)
	mov %rsi, OUT(4)
	mov %rdi, OUT(5)
	mov %rbp, OUT(6)
	mov %rsp, OUT(7)
	mov %r8, OUT(8)
	mov %r9, OUT(9)
	mov %r10, OUT(10)
	mov %r11, OUT(11)
	mov %r12, OUT(12)
	mov %r13, OUT(13)
	mov %r14, OUT(14)
	mov %r15, OUT(15)
	pushfq
	popq OUT(16)
	lea 1b(%rip), %rax
	mov %rax, OUT(19)
	cld
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	mov OUT(0), %rax
	ret

	.section .note.GNU-stack, "", @progbits
