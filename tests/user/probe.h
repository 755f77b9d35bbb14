/*
 * Constants shared by the cases in C and probe.S (so macros only).
 */
#ifndef TESTS_USER_PROBE_H
#define TESTS_USER_PROBE_H

/* Words ut_regs_fault stores (layout per arch: see its probe.S). */
#define UT_NREGS 40
/* The value it puts in register or slot n before the faulting load. */
#define UT_PATTERN(n) (0x0123456789ab0000 + (n)*0x1111)

#endif
