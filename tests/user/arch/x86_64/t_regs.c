/*
 * x86_64 cases: an upcall resumes every register, the flags and the SSE
 * state, and it does so without entering the kernel.
 */
#include "../../ut.h"

#define REGS_VA (UT_VA + 0x30000000)
#define MARK 0xfeedface12345678ull
#define RFLAGS_CF 1ull

static const char *const names[] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
static volatile uint64_t regs_pa;
static volatile unsigned regs_faults;

/* Map the page, leave MARK where the load reads, and clobber what the
 * trampoline must restore: SSE registers and flags. */
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
	__asm__ volatile("pxor %%xmm0, %%xmm0\n\tpxor %%xmm15, %%xmm15\n\t"
			 "clc" ::
				 : "xmm0", "xmm15", "cc");
	return 1;
}

UTEST(upcall_regs_resumed)
{
	UT_OK(ut_upcalls_on(regs_hook));
	ut_regs_fault(REGS_VA + 0x40);
	UT_ASSERT_EQ(regs_faults, 1);
	for (unsigned n = 0; n < 16; n++) {
		if (n == 5 || n == 7)
			continue;
		if (ut_regs_out[n] != (uint64_t)UT_PATTERN(n)) {
			utest_fail(__FILE__, __LINE__, "%s = %#lx, want %#lx",
				   names[n], (unsigned long)ut_regs_out[n],
				   (unsigned long)UT_PATTERN(n));
			return;
		}
	}
	UT_ASSERT_EQ(ut_regs_out[5], MARK);	       /* rdi: the load */
	UT_ASSERT_EQ(ut_regs_out[7], ut_regs_out[19]); /* rsp */
	UT_ASSERT(ut_regs_out[16] & RFLAGS_CF);
	UT_ASSERT_EQ(ut_regs_out[17], UT_PATTERN(17)); /* xmm0 */
	UT_ASSERT_EQ(ut_regs_out[18], UT_PATTERN(18)); /* xmm15 */
	UT_OK(ut_unpage(REGS_VA, regs_pa));
}

/* The probes' handler makes no call, so a caught fault costs no system
 * call at all: the resume is done in user mode. */
UTEST(upcall_resume_no_kernel_entry)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t val, before;

	UT_OK(ut_upcalls_on(NULL));
	before = info->counters.syscalls;
	UT_ASSERT_EQ(ut_try_load(REGS_VA, &val), 1);
	UT_ASSERT_EQ(info->counters.syscalls, before);
	UT_ASSERT_EQ(ut_fault.count, 1);
}

#define RFLAGS_IF 0x200ull
#define RFLAGS_IOPL 0x3000ull

/* From probe.S. */
uint64_t ut_read_flags(void);
int ut_probe_cli(void);

static volatile int iopl_stage;

/* On the first fault, resume at the probe's fixup through the kernel,
 * asking for I/O privilege and interrupts off. */
static int
iopl_hook(struct exo_upcall_frame *f)
{
	struct exo_upcall_frame copy;

	if (iopl_stage != 1)
		return 0;
	iopl_stage = 2;
	copy = *f;
	copy.regs.rflags = (copy.regs.rflags | RFLAGS_IOPL) & ~RFLAGS_IF;
	copy.regs.rip = (uint64_t)(uintptr_t)ut_probe_fixup;
	exo_upcall_return(&copy);
	return 0;
}

/* upcall_return keeps the env in its place: no IOPL, interrupts on, and
 * a privileged instruction still faults. */
UTEST(upcall_return_no_privilege)
{
	uint64_t val, flags;

	UT_OK(ut_upcalls_on(iopl_hook));
	iopl_stage = 1;
	UT_ASSERT_EQ(ut_try_load(REGS_VA, &val), 1);
	UT_ASSERT_EQ(iopl_stage, 2);
	flags = ut_read_flags();
	UT_ASSERT_EQ(flags & RFLAGS_IOPL, 0);
	UT_ASSERT(flags & RFLAGS_IF);
	UT_ASSERT_EQ(ut_try_call((uint64_t)(uintptr_t)ut_probe_cli), 1);
	UT_ASSERT_EQ(ut_fault.type, EXO_UPCALL_FAULT);
}
