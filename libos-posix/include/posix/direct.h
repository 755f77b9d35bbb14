/*
 * Calling libos-posix directly.  An unmodified Linux binary makes its
 * system calls with `syscall` / `svc #0`, which the kernel reflects to
 * the library OS (one kernel entry and exit).  A program built for Exo
 * can instead call the library OS as a function, with no kernel entry
 * at all: the library OS runs in the same address space, and its entry
 * point is in the auxiliary vector, as AT_EXO_POSIX.
 *
 * The entry takes a system call exactly as the instruction would, so a
 * libc's system-call macro only changes the instruction:
 *
 *   x86_64   number in rax; arguments in rdi, rsi, rdx, r10, r8, r9;
 *            result in rax; rcx and r11 clobbered (as by `syscall`).
 *            The caller's red zone is its own: step over it before the
 *            call, as posix_direct does.
 *   aarch64  number in x8; arguments in x0-x5; result in x0; x16, x17
 *            and x30 clobbered (as by any call through x16).
 *
 * Everything else behaves as for a reflected call: fork returns twice,
 * signals are delivered on the way out, execve does not return.
 */
#ifndef POSIX_DIRECT_H
#define POSIX_DIRECT_H

#include <stdint.h>

/* The auxiliary vector key ('EX'): the entry's address, or absent when
 * the program does not run on libos-posix. */
#define AT_EXO_POSIX 0x4558

#if defined(__x86_64__)
static inline long
posix_direct(uint64_t entry, long nr, long a0, long a1, long a2, long a3,
	     long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	register uint64_t r11 __asm__("r11") = entry;
	long ret = nr;

	__asm__ volatile("sub $128, %%rsp\n\t"
			 "call *%%r11\n\t"
			 "add $128, %%rsp"
			 : "+a"(ret), "+r"(r11)
			 : "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "memory", "cc");
	return ret;
}
#elif defined(__aarch64__)
static inline long
posix_direct(uint64_t entry, long nr, long a0, long a1, long a2, long a3,
	     long a4, long a5)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;
	register long x5 __asm__("x5") = a5;
	register uint64_t x16 __asm__("x16") = entry;

	__asm__ volatile("blr x16"
			 : "+r"(x0), "+r"(x16)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "x17", "x30", "memory", "cc");
	return x0;
}
#endif

#endif
