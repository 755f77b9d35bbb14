/*
 * x86_64 upcall entry.  The kernel starts it with rsp and rdi at a
 * struct exo_upcall_frame (16-byte aligned) on the upcall stack.  It
 * saves the SSE/x87 state (the handler is ordinary C and may use it),
 * calls the handler, and resumes the interrupted registers in user mode
 * without entering the kernel: the resume rip goes on the interrupted
 * stack just below its red zone, every register is loaded from the frame,
 * popfq restores the flags, and `ret $128` jumps to the rip and lifts rsp
 * back over the red zone.  That slot is the 8 bytes below the red zone,
 * which a nested frame's last field (gs_base, never restored from here)
 * may share; nothing else is overwritten.
 */

/* struct exo_upcall_frame: regs at 64 (checked in upcall.c); struct
 * exo_regs's order is the ABI (exo/arch/regs.h). */
#define REGS 64
#define R_RSP (REGS + 7 * 8)
#define R_RIP (REGS + 16 * 8)
#define R_RFLAGS (REGS + 17 * 8)
#define REDZONE 128 /* EXO_UPCALL_REDZONE, checked in upcall.c */
#define FXSAVE_SIZE 512

	.text
	.globl exo__upcall_entry
	.type exo__upcall_entry, @function
exo__upcall_entry:
	cld			/* the C ABI wants DF clear */
	mov %rdi, %rbx		/* callee-saved: the frame */
	sub $FXSAVE_SIZE, %rsp
	and $-16, %rsp
	fxsave64 (%rsp)
	xor %ebp, %ebp
	call *exo__upcall_handler(%rip)
	fxrstor64 (%rsp)

/*
 * exo__upcall_resume: resume the frame at %rbx in user mode.  Also the
 * way out of an entry of a library OS's own that saves no FP/SIMD state
 * (libos-posix's posix_upcall_entry).
 */
	.globl exo__upcall_resume
exo__upcall_resume:
	/* The resume rip, just below the interrupted red zone. */
	mov R_RSP(%rbx), %rax
	sub $(REDZONE + 8), %rax
	mov R_RIP(%rbx), %rcx
	mov %rcx, (%rax)
	mov %rax, R_RSP(%rbx)

	lea REGS(%rbx), %rsp
	pop %rax
	pop %rbx
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
	pop %rbp
	add $8, %rsp		/* rsp: loaded last */
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	add $8, %rsp		/* rip: already on the target stack */
	popfq
	/* rsp now points past rflags; the saved rsp is 11 slots back. */
	mov (R_RSP - R_RFLAGS - 8)(%rsp), %rsp
	ret $REDZONE
	.size exo__upcall_entry, . - exo__upcall_entry

	.section .note.GNU-stack, "", @progbits
