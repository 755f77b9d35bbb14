/*
 * aarch64 system call instruction sequences.  An Exo call is
 * `svc #EXO_SVC_IMM` with the number in x8, arguments in x0..x5 and the
 * result in x0; every other register is preserved.  `svc #0` is a foreign
 * (Linux) system call: the kernel reflects it to the env's library OS, or
 * fails it with -ENOSYS.
 */
#ifndef EXO_ARCH_SYSCALL_H
#define EXO_ARCH_SYSCALL_H

#define EXO_SVC_IMM 0x4558 /* "EX" */

#ifndef __ASSEMBLY__
#include <stdint.h>

#define EXO__STR2(x) #x
#define EXO__STR(x) EXO__STR2(x)

#define EXO__SYSCALL(nr, ...)                                                  \
	({                                                                     \
		register uint64_t x8_ __asm__("x8") = (nr);                    \
		__asm__ volatile("svc #" EXO__STR(EXO_SVC_IMM)                 \
				 : "+r"(x0_)                                   \
				 : "r"(x8_), ##__VA_ARGS__                     \
				 : "memory");                                  \
		(long)x0_;                                                     \
	})

static inline long
exo_syscall0(uint64_t nr)
{
	register uint64_t x0_ __asm__("x0") = 0;
	return EXO__SYSCALL(nr);
}

static inline long
exo_syscall1(uint64_t nr, uint64_t a0)
{
	register uint64_t x0_ __asm__("x0") = a0;
	return EXO__SYSCALL(nr);
}

static inline long
exo_syscall2(uint64_t nr, uint64_t a0, uint64_t a1)
{
	register uint64_t x0_ __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	return EXO__SYSCALL(nr, "r"(x1));
}

static inline long
exo_syscall3(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t x0_ __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	return EXO__SYSCALL(nr, "r"(x1), "r"(x2));
}

static inline long
exo_syscall4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0_ __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	return EXO__SYSCALL(nr, "r"(x1), "r"(x2), "r"(x3));
}

static inline long
exo_syscall5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	     uint64_t a4)
{
	register uint64_t x0_ __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	return EXO__SYSCALL(nr, "r"(x1), "r"(x2), "r"(x3), "r"(x4));
}

static inline long
exo_syscall6(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	     uint64_t a4, uint64_t a5)
{
	register uint64_t x0_ __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;
	return EXO__SYSCALL(nr, "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5));
}

#endif /* __ASSEMBLY__ */
#endif
