/*
 * ut_regs_svc(nr, a0): like ut_regs_fault, but an Exo call (x8 = nr, x0 =
 * a0, svc) instead of the faulting load.  ut_regs_out gets the same layout.
 */
#include <exo/arch/syscall.h>
#include "../../probe.h"
#include "record.inc"

#define FRAME 144
#define SAVE (35 * 8)

	.text
	.globl ut_regs_svc
ut_regs_svc:
	stp x29, x30, [sp, #-FRAME]!
	stp x19, x20, [sp, #16]
	stp x21, x22, [sp, #32]
	stp x23, x24, [sp, #48]
	stp x25, x26, [sp, #64]
	stp x27, x28, [sp, #80]
	mrs x9, tpidr_el0
	stp x18, x9, [sp, #96]
	stp x0, x1, [sp, #112]
	str x2, [sp, #128]

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
	ldr x2, =UT_PATTERN(2)
	ldr x3, =UT_PATTERN(3)
	ldr x4, =UT_PATTERN(4)
	ldr x5, =UT_PATTERN(5)
	ldr x6, =UT_PATTERN(6)
	ldr x7, =UT_PATTERN(7)
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
	ldp x8, x0, [sp, #112]
	ldr x1, [sp, #128]
	svc #EXO_SVC_IMM

	RECORD_REGS_AND_RETURN SAVE, FRAME
	.ltorg
