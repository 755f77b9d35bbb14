/*
 * Exceptions taken to EL1.  From the kernel: IRQs go to the GIC, a fault
 * at an instruction with an exception-table entry resumes at its fixup,
 * and anything else is dumped in readable form before a panic.  From an
 * env (EL0): each exception is classified for trap_from_user(), and
 * nothing the env does prints or panics.
 */
#include <exo/error.h>
#include <exo/upcall.h>
#include <kernel/arch.h>
#include <kernel/env.h>
#include <kernel/printk.h>
#include <kernel/upcall.h>
#include <arch/aarch64.h>

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE");
_Static_assert(offsetof(struct trapframe, sp) == TF_SP, "TF_SP");
_Static_assert(offsetof(struct trapframe, elr) == TF_ELR, "TF_ELR");
_Static_assert(offsetof(struct trapframe, esr) == TF_ESR, "TF_ESR");
_Static_assert(offsetof(struct trapframe, tpidr) == TF_TPIDR, "TF_TPIDR");
_Static_assert(offsetof(struct arch_env_ctx, fpcr) == CTX_FPCR, "CTX_FPCR");
_Static_assert(offsetof(struct arch_env_ctx, fpsr) == CTX_FPSR, "CTX_FPSR");
_Static_assert(offsetof(struct arch_env_ctx, tpidrro) == CTX_TPIDRRO,
	       "CTX_TPIDRRO");

/* Vector slots (kind): group * 4 + type. */
#define VEC_SYNC 0
#define VEC_IRQ 1
#define VEC_SERROR 3
#define VEC_EL1H 1 /* group: EL1 using SP_EL1, the kernel's own */

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
#define ESR_FSC(esr) ((esr)&0x3f) /* aborts: fault status code */
#define ESR_WNR (1u << 6)	  /* data aborts: a write */
#define ESR_FNV (1u << 10)	  /* data aborts: FAR is not valid */
#define ESR_SVC_IMM(esr) ((esr)&0xffff)
#define A64_INSN_SIZE 4

/* Exception classes (ESR_EL1.EC) of exceptions from EL0. */
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_FP_ACCESS 0x07
#define EC_ILLEGAL_STATE 0x0e
#define EC_SVC64 0x15
#define EC_SYSREG 0x18
#define EC_SVE 0x19
#define EC_SME 0x1d
#define EC_IABT_LOW 0x20
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_FP_EXC64 0x2c
#define EC_BREAKPOINT_LOW 0x30
#define EC_STEP_LOW 0x32
#define EC_WATCHPOINT_LOW 0x34
#define EC_BRK64 0x3c

/* Fault status codes: the kind in bits [5:2] (the level in [1:0]). */
#define FSC_TRANSLATION 1
#define FSC_ACCESS_FLAG 2
#define FSC_PERMISSION 3
#define FSC_ALIGNMENT 0x21

#define BACKTRACE_DEPTH 8

/* The exception table (kernel.ld): instructions allowed to fault. */
struct ex_entry {
	uintptr_t insn;
	uintptr_t fixup;
};
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

struct fault_info arch_last_fault;

/*
 * Read 8 bytes at va; the load has an exception-table entry whose fixup
 * makes the function return -EXO_EFAULT.
 */
int
arch_probe_read(uintptr_t va, uint64_t *out)
{
	uint64_t v = 0;
	int err = 0;

	/* One instruction per line. */
	/* clang-format off */
	__asm__ volatile("1:	ldr	%0, [%2]\n"
			 "2:\n"
			 EX_TABLE("1b", "3f")
			 "	.pushsection .text.fixup, \"ax\"\n"
			 "3:	mov	%w1, %w3\n"
			 "	b	2b\n"
			 "	.popsection\n"
			 : "+r"(v), "+r"(err)
			 : "r"(va), "r"(-EXO_EFAULT)
			 : "memory");
	/* clang-format on */
	if (!err)
		*out = v;
	return err;
}

static const char *const ec_names[64] = {
	[0x00] = "unknown reason",
	[0x01] = "WFI/WFE trapped",
	[0x07] = "FP/SIMD access trapped",
	[0x0d] = "branch target exception",
	[0x0e] = "illegal execution state",
	[0x15] = "SVC from AArch64",
	[0x18] = "MSR/MRS/system instruction trapped",
	[0x19] = "SVE access trapped",
	[0x1c] = "pointer authentication failure",
	[0x20] = "instruction abort from EL0",
	[0x21] = "instruction abort from EL1",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort from EL0",
	[0x25] = "data abort from EL1",
	[0x26] = "SP alignment fault",
	[0x2c] = "FP exception",
	[0x2f] = "SError interrupt",
	[0x30] = "breakpoint from EL0",
	[0x31] = "breakpoint from EL1",
	[0x32] = "software step from EL0",
	[0x33] = "software step from EL1",
	[0x34] = "watchpoint from EL0",
	[0x35] = "watchpoint from EL1",
	[0x3c] = "BRK instruction",
};

static const char *const vector_names[16] = {
	"EL1t sync",   "EL1t IRQ",   "EL1t FIQ",   "EL1t SError",
	"EL1h sync",   "EL1h IRQ",   "EL1h FIQ",   "EL1h SError",
	"EL0/64 sync", "EL0/64 IRQ", "EL0/64 FIQ", "EL0/64 SError",
	"EL0/32 sync", "EL0/32 IRQ", "EL0/32 FIQ", "EL0/32 SError",
};

static const char *
ec_name(uint64_t esr)
{
	const char *name = ec_names[ESR_EC(esr)];

	return name ? name : "unallocated exception class";
}

/* For aborts: the fault status code of ISS[5:0], in words. */
static void
print_abort(uint64_t esr)
{
	uint64_t ec = ESR_EC(esr), fsc = esr & 0x3f;
	static const char *const kinds[] = { "address size", "translation",
					     "access flag", "permission" };
	const char *rw = (ec == 0x24 || ec == 0x25) && (esr & (1u << 6))
				 ? "write"
				 : "read";

	if (ec != 0x20 && ec != 0x21 && ec != 0x24 && ec != 0x25)
		return;
	if (fsc < 16)
		kprintf("  %s fault, level %llu, %s\n", kinds[fsc >> 2],
			(unsigned long long)(fsc & 3), rw);
	else if (fsc == 0x10)
		kprintf("  synchronous external abort, %s\n", rw);
	else if (fsc == 0x21)
		kprintf("  alignment fault, %s\n", rw);
	else
		kprintf("  fault status code 0x%llx, %s\n",
			(unsigned long long)fsc, rw);
}

/* Whether [fp, fp+16) is a frame record on the boot stack. */
static bool
frame_ok(uint64_t fp)
{
	return (fp & 15) == 0 && fp >= (uintptr_t)boot_stack &&
	       fp + 16 <= (uintptr_t)boot_stack_top;
}

static void
print_backtrace(const struct trapframe *tf)
{
	uint64_t fp = tf->x[29];

	kprintf("  backtrace: pc 0x%016llx lr 0x%016llx\n",
		(unsigned long long)tf->elr, (unsigned long long)tf->x[30]);
	for (int i = 0; i < BACKTRACE_DEPTH && frame_ok(fp); i++) {
		const uint64_t *rec = (const uint64_t *)fp;

		if (!rec[1])
			break;
		kprintf("    #%d 0x%016llx\n", i, (unsigned long long)rec[1]);
		fp = rec[0];
	}
}

static void
print_frame(const struct trapframe *tf)
{
	kprintf("  ESR 0x%08llx  FAR 0x%016llx\n", (unsigned long long)tf->esr,
		(unsigned long long)tf->far);
	kprintf("  ELR 0x%016llx  SPSR 0x%08llx\n", (unsigned long long)tf->elr,
		(unsigned long long)tf->spsr);
	for (int i = 0; i < 31; i += 3) {
		for (int j = i; j < i + 3 && j < 31; j++)
			kprintf("  x%-2d 0x%016llx", j,
				(unsigned long long)tf->x[j]);
		kprintf("\n");
	}
	kprintf("  sp  0x%016llx\n", (unsigned long long)tf->sp);
}

static __noreturn void
unexpected(const struct trapframe *tf, unsigned kind)
{
	bool sync = (kind & 3) == VEC_SYNC;

	kprintf("\nexo: unexpected exception (%s): %s (EC 0x%02llx)\n",
		vector_names[kind], sync ? ec_name(tf->esr) : "interrupt",
		(unsigned long long)ESR_EC(tf->esr));
	if (sync)
		print_abort(tf->esr);
	print_frame(tf);
	print_backtrace(tf);
	panic("unexpected %s at 0x%llx", vector_names[kind],
	      (unsigned long long)tf->elr);
}

/*
 * If the faulting instruction has an exception-table entry, record the
 * fault, report it in one line and resume at the fixup; else false.  A
 * user copy's fault is the env's doing and goes unreported.
 */
static bool
fixup_fault(struct trapframe *tf)
{
	const struct ex_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == tf->elr)
			break;
	if (e == __ex_table_end)
		return false;
	arch_last_fault.addr = tf->far;
	arch_last_fault.pc = tf->elr;
	arch_last_fault.code = tf->esr;
	arch_last_fault.count++;
	if (tf->elr >= (uintptr_t)usercopy_start &&
	    tf->elr < (uintptr_t)usercopy_end)
		goto out;
	kprintf("fault: caught %s at 0x%llx (pc 0x%llx, ESR 0x%llx)\n",
		ec_name(tf->esr), (unsigned long long)tf->far,
		(unsigned long long)tf->elr, (unsigned long long)tf->esr);
out:
	tf->elr = e->fixup;
	return true;
}

void
aarch64_trap(struct trapframe *tf, unsigned kind)
{
	if (kind == VEC_EL1H * 4 + VEC_IRQ) {
		gic_handle_irq();
		return;
	}
	if (kind == VEC_EL1H * 4 + VEC_SYNC && ESR_EC(tf->esr) == EC_DABT_CUR &&
	    fixup_fault(tf))
		return;
	unexpected(tf, kind);
}

/* An instruction or data abort: a page fault (or an alignment fault, or
 * OTHER for external aborts and the like). */
static void
classify_abort(const struct trapframe *tf, bool exec, struct trap_info *ti)
{
	uint64_t fsc = ESR_FSC(tf->esr);

	ti->fault = EXO_FAULT_PAGE;
	ti->addr = exec || !(tf->esr & ESR_FNV) ? tf->far : 0;
	if (exec)
		ti->flags = EXO_PF_EXEC;
	else if (tf->esr & ESR_WNR)
		ti->flags = EXO_PF_WRITE;
	if (fsc == FSC_ALIGNMENT)
		ti->fault = EXO_FAULT_ALIGN;
	else if (fsc >> 2 == FSC_ACCESS_FLAG || fsc >> 2 == FSC_PERMISSION)
		ti->flags |= EXO_PF_PRESENT;
	else if (fsc >> 2 != FSC_TRANSLATION)
		ti->fault = EXO_FAULT_OTHER;
}

/*
 * svc #0 is a Linux system call; any other immediate is an illegal
 * instruction, reported like every fault with the pc at the instruction
 * itself (ELR points past an svc).  svc #EXO_SVC_IMM never gets here: its
 * ESR is fixed (the ISS is the immediate alone), so the vector sends it
 * to the system call path in vectors.S and on to aarch64_svc_trap().
 */
static void
classify_svc(struct trapframe *tf, struct trap_info *ti)
{
	if (ESR_SVC_IMM(tf->esr) == 0) {
		ti->kind = TRAP_FOREIGN_SYSCALL;
	} else {
		ti->fault = EXO_FAULT_ILLEGAL;
		tf->elr -= A64_INSN_SIZE;
	}
}

/* A synchronous exception from EL0 in portable terms. */
static void
classify_sync(struct trapframe *tf, struct trap_info *ti)
{
	uint64_t ec = ESR_EC(tf->esr);

	ti->kind = TRAP_FAULT;
	switch (ec) {
	case EC_SVC64:
		classify_svc(tf, ti);
		break;
	case EC_IABT_LOW:
	case EC_DABT_LOW:
		classify_abort(tf, ec == EC_IABT_LOW, ti);
		break;
	case EC_PC_ALIGN:
		ti->fault = EXO_FAULT_ALIGN;
		ti->addr = tf->far;
		break;
	case EC_SP_ALIGN:
		ti->fault = EXO_FAULT_ALIGN;
		ti->addr = tf->sp;
		break;
	case EC_UNKNOWN:
	case EC_WFX:
	case EC_FP_ACCESS:
	case EC_ILLEGAL_STATE:
	case EC_SYSREG:
	case EC_SVE:
	case EC_SME:
		ti->fault = EXO_FAULT_ILLEGAL;
		break;
	case EC_FP_EXC64:
		ti->fault = EXO_FAULT_ARITH;
		break;
	case EC_WATCHPOINT_LOW:
		ti->addr = tf->far;
		/* fall through */
	case EC_BREAKPOINT_LOW:
	case EC_STEP_LOW:
	case EC_BRK64:
		ti->fault = EXO_FAULT_BREAK;
		break;
	default:
		ti->fault = EXO_FAULT_OTHER;
		break;
	}
}

/*
 * Every entry from EL0, on an empty kernel stack with interrupts masked.
 * An interrupt is handled (the timer's tick counted, the GIC told) before
 * the portable code decides whether to preempt; an SError is the env's
 * fault, like an external abort; an FIQ is not routed anywhere, so one is
 * a kernel bug.
 */
void
aarch64_user_trap(struct trapframe *tf, unsigned kind)
{
	struct trap_info ti = { .code = tf->esr };

	switch (kind & 3) {
	case VEC_SYNC:
		classify_sync(tf, &ti);
		break;
	case VEC_IRQ:
		gic_handle_irq();
		ti.kind = TRAP_IRQ;
		ti.code = 0;
		break;
	case VEC_SERROR:
		ti.kind = TRAP_FAULT;
		ti.fault = EXO_FAULT_OTHER;
		break;
	default:
		unexpected(tf, kind);
	}
	trap_from_user(tf, &ti);
}

/*
 * An Exo system call that syscall_try_fast() declined, its frame complete
 * (vectors.S decoded the ESR already).
 */
void
aarch64_svc_trap(struct trapframe *tf)
{
	struct trap_info ti = { .kind = TRAP_SYSCALL, .code = tf->esr };

	trap_from_user(tf, &ti);
}

/*
 * exo_upcall_return off the full path (vectors.S, exo_svc): the
 * registers in the upcall frame at x0 become tf's, to be resumed at once,
 * if the env goes on as it is (nothing due, no reschedule).  true if so;
 * false leaves tf as it was, for the full path (which reports a bad
 * frame).  On aarch64 every reflected Linux call comes back this way.
 */
bool
aarch64_upcall_return(struct trapframe *tf)
{
	if (!sched_resumes_current() ||
	    aarch64_upcall_frame_load(
		    tf, tf->x[0] + offsetof(struct exo_upcall_frame, regs)))
		return false;
	curenv->info->counters.syscalls++;
	/* Page-table writes before the env's next walks, as in
	 * arch_return_to_user. */
	__asm__ volatile("dsb ishst" ::: "memory");
	return true;
}

/*
 * A Linux svc #0 (vectors.S, linux_svc): if the env's library OS can take
 * it now, tf becomes the start of its upcall entry, the frame written
 * straight from tf, and true; false leaves tf as it was, for the full
 * path.  No event is logged here (upcall_syscall_frame()).
 */
bool
aarch64_linux_svc(struct trapframe *tf)
{
	uint64_t at = upcall_syscall_frame(tf->sp);

	if (!at || aarch64_upcall_frame_store(at, tf))
		return false;
	tf->x[0] = at;
	tf->sp = at;
	tf->elr = curenv->upcall_entry;
	tf->spsr = SPSR_EL0T;
	curenv->info->counters.foreign++;
	curenv->info->counters.upcalls++;
	__asm__ volatile("dsb ishst" ::: "memory"); /* as above */
	return true;
}
