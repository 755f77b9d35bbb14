/*
 * Upcalls: how the kernel hands an event to a library OS.
 *
 * An env registers one upcall entry point and the top of an upcall stack
 * (exo_env_set_upcall).  For each event the kernel pushes a struct
 * exo_upcall_frame on that stack (below the interrupted stack pointer if
 * the env is already running on it, so upcalls nest), then starts the
 * entry point with the stack pointer at the frame and the frame's address
 * as the first argument.  The frame holds the interrupted registers; the
 * library OS resumes them itself (x86_64: in user mode, without entering
 * the kernel; aarch64: through exo_upcall_return, because no AArch64
 * branch can restore every register).  If the frame cannot be written
 * (no entry point, stack unmapped or full), a fault destroys the env.
 */
#ifndef EXO_UPCALL_H
#define EXO_UPCALL_H

#include <exo/arch/regs.h>
#include <exo/types.h>

enum exo_upcall_type {
	EXO_UPCALL_FAULT = 1,	  /* an exception in the env's own code */
	EXO_UPCALL_SYSCALL = 2,	  /* a foreign (Linux) system call to emulate */
	EXO_UPCALL_IRQ = 3,	  /* a bound interrupt line fired (arg[0]) */
	EXO_UPCALL_SLICE_END = 4, /* slice of an owned slot ends: yield
				     within arg[0] ns or be preempted */
	EXO_UPCALL_REVOKE = 5,	  /* give back arg[0] frames within arg[1] ns */
	EXO_UPCALL_SLICE_START = 6, /* a slice of an owned slot (arg[0]) */
	EXO_UPCALL_ALERT = 7,	    /* a wake_word on the env's alert word */
};

/* Portable classes of exceptions (frame.fault). */
enum exo_fault {
	EXO_FAULT_PAGE = 1,    /* addr: the address; flags: EXO_PF_* */
	EXO_FAULT_ILLEGAL = 2, /* undefined or privileged instruction */
	EXO_FAULT_ALIGN = 3,   /* misaligned access (addr when known) */
	EXO_FAULT_ARITH = 4,   /* divide error, FP exception */
	EXO_FAULT_BREAK = 5,   /* breakpoint or single step */
	EXO_FAULT_OTHER = 6,   /* anything else; see code */
};

#define EXO_PF_WRITE 1u	  /* the access was a write */
#define EXO_PF_EXEC 2u	  /* an instruction fetch */
#define EXO_PF_PRESENT 4u /* a mapping exists: a protection fault */

/* Bytes below the interrupted stack pointer the kernel leaves alone when
 * it nests a frame on the upcall stack (the x86_64 red zone). */
#define EXO_UPCALL_REDZONE 128

struct exo_upcall_frame {
	uint64_t type;	/* enum exo_upcall_type */
	uint64_t fault; /* enum exo_fault, for EXO_UPCALL_FAULT */
	uint64_t flags; /* EXO_PF_* for page faults */
	uint64_t addr;	/* the faulting data address, if any */
	uint64_t code;	/* raw: x86_64 vector << 32 | error code; aarch64 ESR */
	uint64_t arg[3];      /* type-specific */
	struct exo_regs regs; /* the interrupted user state */
};

_Static_assert(sizeof(struct exo_upcall_frame) % 16 == 0,
	       "upcall frames keep the stack 16-byte aligned");

#endif
