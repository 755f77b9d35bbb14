/*
 * aarch64 cases: an upcall resumes every register, the flags, the thread
 * pointer and the FP/SIMD state.
 */
#include "../../ut.h"

#define REGS_VA (UT_VA + 0x30000000)
#define MARK 0xfeedface12345678ull
#define NZCV_NC 0xa0000000ull

static volatile uint64_t regs_pa;
static volatile unsigned regs_faults;

/* Map the page, leave MARK where the load reads, and clobber what the
 * trampoline must restore: SIMD registers and flags. */
static int
regs_hook(struct exo_upcall_frame *f)
{
	long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	struct exo_mapping m = { f->addr & ~(UT_PAGE - 1), (uint64_t)pa,
				 EXO_PERM_R | EXO_PERM_W };

	if (f->fault != EXO_FAULT_PAGE || f->addr - REGS_VA >= UT_PAGE ||
	    pa < 0 || exo_map(EXO_ENVID_SELF, &m, 1) != 1)
		return 0;
	*(volatile uint64_t *)(uintptr_t)f->addr = MARK;
	regs_pa = (uint64_t)pa;
	regs_faults++;
	__asm__ volatile("movi v0.2d, #0\n\tmovi v31.2d, #0\n\tcmp xzr, xzr" ::
				 : "v0", "v31", "cc");
	return 1;
}

UTEST(upcall_regs_resumed)
{
	UT_OK(ut_upcalls_on(regs_hook));
	ut_regs_fault(REGS_VA + 0x40);
	UT_ASSERT_EQ(regs_faults, 1);
	for (unsigned n = 1; n <= 30; n++) {
		if (ut_regs_out[n] != (uint64_t)UT_PATTERN(n)) {
			utest_fail(__FILE__, __LINE__, "x%u = %#lx, want %#lx",
				   n, (unsigned long)ut_regs_out[n],
				   (unsigned long)UT_PATTERN(n));
			return;
		}
	}
	UT_ASSERT_EQ(ut_regs_out[0], MARK);		/* x0: the load */
	UT_ASSERT_EQ(ut_regs_out[31], ut_regs_out[35]); /* sp */
	UT_ASSERT_EQ(ut_regs_out[32] & 0xf0000000ull, NZCV_NC);
	UT_ASSERT_EQ(ut_regs_out[33], UT_PATTERN(33)); /* d0 */
	UT_ASSERT_EQ(ut_regs_out[34], UT_PATTERN(34)); /* d31 */
	UT_ASSERT_EQ(ut_regs_out[36], UT_PATTERN(36)); /* tpidr_el0 */
	UT_OK(ut_unpage(REGS_VA, regs_pa));
}

#define PSTATE_EL1H_MASKED 0x3c5ull /* EL1h with D, A, I and F masked */

static volatile int el_stage;

/* On the first fault, resume at the probe's fixup through the kernel,
 * asking for EL1 with interrupts masked. */
static int
el_hook(struct exo_upcall_frame *f)
{
	struct exo_upcall_frame copy;

	if (el_stage != 1)
		return 0;
	el_stage = 2;
	copy = *f;
	copy.regs.pstate = PSTATE_EL1H_MASKED;
	copy.regs.pc = (uint64_t)(uintptr_t)ut_probe_fixup;
	exo_upcall_return(&copy);
	return 0;
}

/* upcall_return keeps the env at EL0: resuming user code at EL1 would
 * stop the kernel (the page is PXN), so getting here is the proof. */
UTEST(upcall_return_no_privilege)
{
	uint64_t val;

	UT_OK(ut_upcalls_on(el_hook));
	el_stage = 1;
	UT_ASSERT_EQ(ut_try_load(REGS_VA, &val), 1);
	UT_ASSERT_EQ(el_stage, 2);
	/* Still preempted, so interrupts reach it: a sleep ends. */
	ut_sleep(10000000);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}
