/*
 * Every way into and out of the kernel.
 *
 * Traps: one 16-byte stub per vector (x86_vectors + 16 * n), each pushing
 * a dummy error code where the CPU pushes none, then its vector, then
 * joining trap_common, which saves the general registers as a struct
 * trapframe.  A trap from kernel mode goes to x86_trap() and returns with
 * iretq; one from user mode arrives at the top of the kernel stack
 * (TSS.rsp0), swaps in the kernel GS base and goes to x86_trap_user(),
 * which never returns: the way out is arch_return_to_user().
 *
 * The syscall entry first offers an Exo call to the fast path, and
 * otherwise builds the same frame by hand.  Between swapgs and the switch
 * to the kernel stack, and on the way out between swapgs and
 * sysretq/iretq, interrupts are off; an NMI or #DF there runs on its own
 * IST stack and (for now) only ever panics, so it never needs GS.
 */
#include <exo/arch/syscall.h>
#include <x86/asm.h>

#define EXO_EFAULT 4

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

/* A fixup-table entry (trap.c): if the instruction at \insn faults with a
 * #PF or #GP, resume at \fixup; \quiet entries are not logged. */
.macro extable insn, fixup, quiet=0
	.pushsection __ex_table, "a"
	.balign 8
	.quad \insn, \fixup, \quiet
	.popsection
.endm

/* struct trapframe order: r15 ends up at the lowest address. */
.macro push_gprs
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
.endm

.macro pop_gprs
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
.endm

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
	testb $3, TF_CS - TF_VECTOR(%rsp)
	jz 1f
	swapgs
1:	push_gprs
	/* Clear every flag the interrupted code may have left, AC above all:
	 * user code can set it, and it would turn SMAP off in the kernel. */
	pushq $2
	popfq
	movq %rsp, %rdi         /* 22 words pushed: %rsp is 16-byte aligned */
	testb $3, TF_CS(%rsp)
	jnz from_user
	call x86_trap
	pop_gprs
	addq $16, %rsp          /* vector and error code */
	iretq
from_user:
	xorl %ebp, %ebp         /* the backtrace ends here */
	call x86_trap_user
	ud2

/*
 * syscall from user mode: %rcx = user rip, %r11 = user rflags, and
 * SFMASK has cleared IF, DF, TF, AC and NT.  Interrupts stay off until
 * sysretq or the full path's return.
 *
 * The fast path: an Exo call whose bit is set in x86_fast_calls goes to
 * syscall_try_fast(nr, a, &ret) without a trap frame.  (The mask is
 * syscall_is_fast() precomputed, so that the calls that take the full
 * path pay a few instructions for the test, not a C call.)  The entry
 * saves only the registers the ABI promises the user and the C code may
 * clobber: the six arguments, pushed so that they form the array a[0..5]
 * (rdi, rsi, rdx, r10, r8, r9), rax, whose slot receives ret, and r11;
 * rip and rsp wait in per-CPU slots.  rbx, rbp and r12-r15 stay in the
 * CPU, preserved by the C code itself (so rbp is the user's: a backtrace
 * taken here stops at it, as frame_ok() refuses any address outside the
 * kernel image).  syscall_try_fast() writes ret only when it returns
 * true, so if it declines, every saved register comes back as the user
 * left it and the full path builds its frame from them.
 *
 * sysretq to a non-canonical rip would fault in kernel mode with the
 * user's rsp.  A user rip is at most 2^47 (the end of a syscall
 * instruction in the last user page), so bit 47 alone tells; such a call
 * takes the full path, whose way out turns it into the env's #GP.
 * rflags go back exactly as the user had them: r11 holds only flags CPL 3
 * can set.
 */
#define FAST_RAX 48             /* the rax (result) slot, above a[0..5] */

.macro pop_fast
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	popq %rax
	popq %r11
.endm

	.globl x86_syscall_entry
x86_syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KSTACK, %rsp
	movq %rcx, %gs:PERCPU_USER_RIP
	leaq -EXO_SYSCALL_BASE(%rax), %rcx
	cmpq $64, %rcx
	jae syscall_foreign
	btq %rcx, x86_fast_calls(%rip)
	jnc syscall_full
	btq $47, %gs:PERCPU_USER_RIP
	jc syscall_full
	pushq %r11
	pushq %rax
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi              /* 8 words pushed: %rsp is 16-byte aligned */
	movq %rcx, %rdi
	movq %rsp, %rsi
	leaq FAST_RAX(%rsp), %rdx
	call syscall_try_fast
	testb %al, %al
	jz syscall_declined
	pop_fast
	movq %gs:PERCPU_USER_RIP, %rcx
	movq %gs:PERCPU_USER_RSP, %rsp
	swapgs
	sysretq

/*
 * A foreign (Linux) call, or an Exo call above the fast mask's range.
 * x86_foreign_frame(user rsp) says where the upcall frame goes, or 0 for
 * the full path.  The frame is written here, straight from the live
 * registers (the caller-saved ones from the pushes, as on the Exo fast
 * path; rcx is the user rip, as in every syscall frame), and sysretq
 * starts the upcall entry with rsp and rdi at it.  A store to the frame
 * that faults (the stack unmapped or read-only under the kernel's
 * write protection) leaves everything as the user left it and takes the
 * full path, which finds the same fault and answers -ENOSYS.  Registers
 * the C code may have left kernel data in are cleared on the way out.
 */
#define FRAME_REG(n) (UPCALL_REGS + (n) * 8)

/* A store to the user's frame at (%rdi): on a fault, foreign_fault. */
.macro ustore src, off
.Lustore\@:
	movq \src, \off(%rdi)
	extable .Lustore\@, foreign_fault, 1
.endm

/* A register saved on the kernel stack, through %rcx, to the frame. */
.macro ustore_saved slot, off
	movq \slot(%rsp), %rcx
	ustore %rcx, \off
.endm

.macro smap_open
	testb $1, x86_features+X86_FEATURE_SMAP(%rip)
	jz .Lopen\@
	stac
.Lopen\@:
.endm

.macro smap_close
	testb $1, x86_features+X86_FEATURE_SMAP(%rip)
	jz .Lclose\@
	clac
.Lclose\@:
.endm

/* Kernel stack slots of the pushes (pop_fast order). */
#define K_RDI 0
#define K_RSI 8
#define K_RDX 16
#define K_R10 24
#define K_R8 32
#define K_R9 40
#define K_RAX 48
#define K_R11 56

syscall_foreign:
	cmpq $X86_EXO_CALLS, %rcx
	jb syscall_full
	pushq %r11
	pushq %rax
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
	movq %gs:PERCPU_USER_RSP, %rdi
	call x86_foreign_frame
	testq %rax, %rax
	jz syscall_declined
	movq %rax, %rdi
	smap_open
	ustore $UPCALL_TYPE_SYSCALL, 0
	ustore $0, 8            /* fault */
	ustore $0, 16           /* flags */
	ustore $0, 24           /* addr */
	ustore $0, 32           /* code */
	ustore $0, 40           /* arg[0..2] */
	ustore $0, 48
	ustore $0, 56
	ustore_saved K_RAX, FRAME_REG(0)
	ustore %rbx, FRAME_REG(1)
	movq %gs:PERCPU_USER_RIP, %rcx
	ustore %rcx, FRAME_REG(2) /* rcx: the rip, as syscall left it */
	ustore %rcx, FRAME_REG(16) /* rip */
	ustore_saved K_RDX, FRAME_REG(3)
	ustore_saved K_RSI, FRAME_REG(4)
	ustore_saved K_RDI, FRAME_REG(5)
	ustore %rbp, FRAME_REG(6)
	movq %gs:PERCPU_USER_RSP, %rcx
	ustore %rcx, FRAME_REG(7)
	ustore_saved K_R8, FRAME_REG(8)
	ustore_saved K_R9, FRAME_REG(9)
	ustore_saved K_R10, FRAME_REG(10)
	ustore_saved K_R11, FRAME_REG(11)
	ustore %rcx, FRAME_REG(17) /* rflags: r11, as syscall left it */
	ustore %r12, FRAME_REG(12)
	ustore %r13, FRAME_REG(13)
	ustore %r14, FRAME_REG(14)
	ustore %r15, FRAME_REG(15)
	movl $MSR_FS_BASE, %ecx
	rdmsr
	shlq $32, %rdx
	orq %rdx, %rax
	ustore %rax, FRAME_REG(18)
	movl $MSR_KERNEL_GS_BASE, %ecx /* the user's, while swapped */
	rdmsr
	shlq $32, %rdx
	orq %rdx, %rax
	ustore %rax, FRAME_REG(19)
	smap_close
	movq %gs:PERCPU_COUNTERS, %rax
	incq COUNTERS_FOREIGN(%rax)
	incq COUNTERS_UPCALLS(%rax)
	movq %gs:PERCPU_UPCALL_ENTRY, %rcx
	movl $UPCALL_RFLAGS, %r11d
	movq %rdi, %rsp
	xorl %eax, %eax
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	swapgs
	sysretq

/* A store to the frame faulted: every user register is as it was. */
foreign_fault:
	smap_close
	jmp syscall_declined

/*
 * The full path.  Every user register is as the syscall left it but rcx
 * (its value, the user rip, is in PERCPU_USER_RIP) and rsp (in
 * PERCPU_USER_RSP).  The frame goes at the top of the kernel stack,
 * tagged VEC_SYSCALL; x86_syscall() never returns.
 */
syscall_declined:
	pop_fast
syscall_full:
	movq %gs:PERCPU_USER_RIP, %rcx
	pushq $USER_SS
	pushq %gs:PERCPU_USER_RSP
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq $0
	pushq $VEC_SYSCALL
	push_gprs
	movq %rsp, %rdi
	xorl %ebp, %ebp
	call x86_syscall
	ud2

/*
 * void x86_return_iret(struct trapframe *tf)
 * void x86_return_sysret(struct trapframe *tf)
 * Back to user mode with every register from tf, which is at the top of
 * the kernel stack (so the stack is empty again) and already sanitised:
 * user selectors, safe rflags, a canonical rip.  The sysret path puts rip
 * and rflags in %rcx and %r11, which a VEC_SYSCALL frame holds anyway.
 */
	.globl x86_return_iret
x86_return_iret:
	movq %rdi, %rsp
	pop_gprs
	addq $16, %rsp
	swapgs
	iretq

	.globl x86_return_sysret
x86_return_sysret:
	movq %rdi, %rsp
	pop_gprs
	movq TF_RIP - TF_VECTOR(%rsp), %rcx
	movq TF_RFLAGS - TF_VECTOR(%rsp), %r11
	movq TF_RSP - TF_VECTOR(%rsp), %rsp
	swapgs
	sysretq

/*
 * void x86_reenter_user_trap(struct trapframe *tf)
 * Handle tf (at the top of the kernel stack) as if the CPU had just
 * trapped from user mode with it: the way arch_return_to_user() turns a
 * frame the CPU cannot return to into a fault of the env.
 */
	.globl x86_reenter_user_trap
x86_reenter_user_trap:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	call x86_trap_user
	ud2

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
	extable 1b, 2b

/*
 * int x86_probe_write(uintptr_t va, uint64_t v)
 * The store counterpart, with the same recovery.  Returns 0 or
 * -EXO_EFAULT.
 */
	.globl x86_probe_write
x86_probe_write:
1:	movq %rsi, (%rdi)
	xorl %eax, %eax
	ret
2:	movl $-EXO_EFAULT, %eax
	ret
	extable 1b, 2b

/*
 * int x86_copy_user(void *dst, const void *src, size_t n)
 * memcpy that returns -EXO_EFAULT instead of faulting (quietly: a bad user
 * pointer is the user's business), having copied a prefix.  The caller
 * checks the range and opens SMAP around it.  Eight bytes at a time, then
 * the rest: a rep iteration is an instruction to icount, so this keeps
 * the deterministic figures honest about the work done.
 */
	.globl x86_copy_user
x86_copy_user:
	movq %rdx, %rcx
	shrq $3, %rcx
1:	rep movsq
	movq %rdx, %rcx
	andq $7, %rcx
3:	rep movsb
	xorl %eax, %eax
	ret
2:	movl $-EXO_EFAULT, %eax
	ret
	extable 1b, 2b, 1
	extable 3b, 2b, 1

	.section .note.GNU-stack, "", @progbits
