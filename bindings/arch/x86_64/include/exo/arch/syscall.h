/*
 * x86_64 system call instruction sequences.  An Exo call is `syscall`
 * with rax = EXO_SYSCALL_BASE + number; arguments in rdi, rsi, rdx, r10,
 * r8, r9 (the Linux registers); the result in rax.  rcx and r11 are
 * clobbered by the instruction itself.  A `syscall` whose rax is below
 * EXO_SYSCALL_BASE is a foreign (Linux) system call: the kernel reflects it
 * to the env's library OS, or fails it with -ENOSYS.
 */
#ifndef EXO_ARCH_SYSCALL_H
#define EXO_ARCH_SYSCALL_H

#define EXO_SYSCALL_BASE 0x45580000 /* "EX" */

#ifndef __ASSEMBLY__
#include <stdint.h>

#define EXO__SYSCALL(nr, ...)                                                  \
	({                                                                     \
		long ret_;                                                     \
		__asm__ volatile("syscall"                                     \
				 : "=a"(ret_)                                  \
				 : "a"(EXO_SYSCALL_BASE + (uint64_t)(nr)),     \
				   ##__VA_ARGS__                               \
				 : "rcx", "r11", "memory");                    \
		ret_;                                                          \
	})

static inline long
exo_syscall0(uint64_t nr)
{
	return EXO__SYSCALL(nr);
}

static inline long
exo_syscall1(uint64_t nr, uint64_t a0)
{
	return EXO__SYSCALL(nr, "D"(a0));
}

static inline long
exo_syscall2(uint64_t nr, uint64_t a0, uint64_t a1)
{
	return EXO__SYSCALL(nr, "D"(a0), "S"(a1));
}

static inline long
exo_syscall3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return EXO__SYSCALL(nr, "D"(a0), "S"(a1), "d"(a2));
}

static inline long
exo_syscall4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t r10 __asm__("r10") = a3;
	return EXO__SYSCALL(nr, "D"(a0), "S"(a1), "d"(a2), "r"(r10));
}

static inline long
exo_syscall5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	     uint64_t a4)
{
	register uint64_t r10 __asm__("r10") = a3;
	register uint64_t r8 __asm__("r8") = a4;
	return EXO__SYSCALL(nr, "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8));
}

static inline long
exo_syscall6(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	     uint64_t a4, uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a3;
	register uint64_t r8 __asm__("r8") = a4;
	register uint64_t r9 __asm__("r9") = a5;
	return EXO__SYSCALL(nr, "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8),
			    "r"(r9));
}

#endif /* __ASSEMBLY__ */
#endif
