/*
 * aarch64 probes for the test root env: single accesses whose fault the
 * tests' upcall handler catches by resuming at ut_probe_fixup (which
 * returns 1 to the probe's caller through the untouched x30), and
 * ut_regs_fault, which proves an upcall resumes every register.
 */
#include "../../probe.h"
#include "record.inc"

	.text
	/* int ut_probe_load(uint64_t addr, uint64_t *val) */
	.globl ut_probe_load
ut_probe_load:
	ldr x2, [x0]
	str x2, [x1]
	mov w0, #0
	ret

	/* int ut_probe_store(uint64_t addr, uint64_t val) */
	.globl ut_probe_store
ut_probe_store:
	str x1, [x0]
	mov w0, #0
	ret

	/* int ut_probe_call(uint64_t addr): branch there; the code there
	 * returns 0 itself if it runs. */
	.globl ut_probe_call
ut_probe_call:
	br x0

	.globl ut_probe_fixup
ut_probe_fixup:
	mov w0, #1
	ret

/*
 * void ut_regs_fault(uint64_t addr).  ut_regs_out afterwards: [0..30]
 * x0..x30 after the load (x0 holds the loaded word), [31] sp at the
 * load, [32] nzcv, [33] d0, [34] d31, [35] sp before the load, [36]
 * tpidr_el0.  Before the load xn holds UT_PATTERN(n) (n = 1..30), d0 and
 * d31 UT_PATTERN(33) and UT_PATTERN(34), tpidr_el0 UT_PATTERN(36), and
 * nzcv has N and C set.
 */
#define FRAME 112
#define SAVE (35 * 8) /* x0..x30, sp, nzcv, d0, d31 */

	.globl ut_regs_fault
ut_regs_fault:
	stp x29, x30, [sp, #-FRAME]!
	stp x19, x20, [sp, #16]
	stp x21, x22, [sp, #32]
	stp x23, x24, [sp, #48]
	stp x25, x26, [sp, #64]
	stp x27, x28, [sp, #80]
	mrs x9, tpidr_el0
	stp x18, x9, [sp, #96]

	adrp x9, ut_regs_out
	add x9, x9, :lo12:ut_regs_out
	mov x10, sp
	str x10, [x9, #35 * 8]
	ldr x10, =UT_PATTERN(36)
	msr tpidr_el0, x10
	ldr x10, =UT_PATTERN(33)
	fmov d0, x10
	ldr x10, =UT_PATTERN(34)
	fmov d31, x10
	mov x10, #0xa0000000	/* N and C */
	msr nzcv, x10
	ldr x1, =UT_PATTERN(1)
	ldr x2, =UT_PATTERN(2)
	ldr x3, =UT_PATTERN(3)
	ldr x4, =UT_PATTERN(4)
	ldr x5, =UT_PATTERN(5)
	ldr x6, =UT_PATTERN(6)
	ldr x7, =UT_PATTERN(7)
	ldr x8, =UT_PATTERN(8)
	ldr x9, =UT_PATTERN(9)
	ldr x10, =UT_PATTERN(10)
	ldr x11, =UT_PATTERN(11)
	ldr x12, =UT_PATTERN(12)
	ldr x13, =UT_PATTERN(13)
	ldr x14, =UT_PATTERN(14)
	ldr x15, =UT_PATTERN(15)
	ldr x16, =UT_PATTERN(16)
	ldr x17, =UT_PATTERN(17)
	ldr x18, =UT_PATTERN(18)
	ldr x19, =UT_PATTERN(19)
	ldr x20, =UT_PATTERN(20)
	ldr x21, =UT_PATTERN(21)
	ldr x22, =UT_PATTERN(22)
	ldr x23, =UT_PATTERN(23)
	ldr x24, =UT_PATTERN(24)
	ldr x25, =UT_PATTERN(25)
	ldr x26, =UT_PATTERN(26)
	ldr x27, =UT_PATTERN(27)
	ldr x28, =UT_PATTERN(28)
	ldr x29, =UT_PATTERN(29)
	ldr x30, =UT_PATTERN(30)
	ldr x0, [x0]		/* faults; the handler maps the page */

	RECORD_REGS_AND_RETURN SAVE, FRAME
	.ltorg

	.bss
	.balign 8
	.globl ut_regs_out
ut_regs_out:
	.skip UT_NREGS * 8

	.section .note.GNU-stack, "", %progbits
