/*
 * x86_64 constants shared by the assembly and C: segment selectors, the
 * struct trapframe and per-CPU offsets the entry code uses, and the
 * pseudo-vectors that tag frames no interrupt made.  user.c checks the
 * offsets against the structs.
 */
#ifndef EXO_X86_ASM_H
#define EXO_X86_ASM_H

/* GDT selectors.  User data sits just below user code so that SYSRET
 * (STAR[63:48] = GDT_KDATA) finds SS at +8 and CS at +16. */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x18
#define GDT_UCODE 0x20
#define GDT_TSS 0x28
#define USER_CS (GDT_UCODE | 3)
#define USER_SS (GDT_UDATA | 3)

/*
 * struct trapframe.vector beyond the 256 real vectors: VEC_SYSCALL marks
 * a frame whose rcx and r11 equal rip and rflags (made by `syscall` or
 * arch_tf_init()), so SYSRET can return to it; VEC_RESTORE one whose
 * every register must come back exactly (arch_tf_from_regs()): IRET.
 */
#define VEC_SYSCALL 0x100
#define VEC_RESTORE 0x101

/* Exo calls are `syscall` with rax in [EXO_SYSCALL_BASE, EXO_SYSCALL_BASE +
 * X86_EXO_CALLS); any other rax is a foreign (Linux) call. */
#define X86_EXO_CALLS 0x10000

/* Offsets in struct trapframe (arch/trapframe.h). */
#define TF_VECTOR (15 * 8)
#define TF_RIP (17 * 8)
#define TF_CS (18 * 8)
#define TF_RFLAGS (19 * 8)
#define TF_RSP (20 * 8)
#define TF_SIZE (22 * 8)

/* Offsets in struct x86_percpu (x86/cpu.h), reached through %gs. */
#define PERCPU_KSTACK 0
#define PERCPU_USER_RSP 8
#define PERCPU_USER_RIP 16
#define PERCPU_UPCALL_ENTRY 24
#define PERCPU_COUNTERS 32

/* For the foreign-call fast path (vectors.S), checked in user.c: the
 * SMAP flag in struct x86_features, the env counters it bumps, and the
 * upcall frame (bindings: exo/upcall.h, exo/arch/regs.h). */
#define X86_FEATURE_SMAP 3
#define COUNTERS_FOREIGN 8
#define COUNTERS_UPCALLS 24
#define UPCALL_FRAME_SIZE 224
#define UPCALL_REGS 64
#define UPCALL_TYPE_SYSCALL 2
#define UPCALL_RFLAGS 0x202 /* RFLAGS_IF | RFLAGS_FIXED */

/* The user's segment bases (the GS one while the kernel's is swapped
 * in); the other MSRs are in x86/cpu.h. */
#define MSR_FS_BASE 0xc0000100
#define MSR_KERNEL_GS_BASE 0xc0000102

#endif
