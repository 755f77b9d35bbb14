/*
 * What the hostile program needs from its arch file
 * (tests/user/arch/<arch>/hostile/faults.c): the ways an env can fault
 * that only an instruction of that arch makes, and a foreign (Linux)
 * system call.
 */
#ifndef TESTS_USER_HOSTILE_ARCH_H
#define TESTS_USER_HOSTILE_ARCH_H

#include <stdint.h>

/* hostile_fault.want: the fault class the kernel must report
 * (enum exo_fault), or one of these. */
#define FAULT_NONE 0	/* the arch does not fault here: it must run on */
#define FAULT_ANY 0xffu /* any class: the arch has no single right one */
/* The CPU may not raise it at all (QEMU's TCG before 8.0 raises no SSE
 * exceptions); if it does, it must be handled like any fault. */
#define FAULT_MAYBE 0xfeu

struct hostile_fault {
	const char *name;
	unsigned want;
	void (*fn)(void);
};

extern const struct hostile_fault hostile_arch_faults[];
extern const unsigned hostile_arch_nfaults;

/* A foreign system call number nr: the kernel must answer -38 (ENOSYS)
 * to an env not created with EXO_ENV_LINUX. */
long hostile_foreign(uint64_t nr, uint64_t a0);

#endif
