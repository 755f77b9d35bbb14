/*
 * Exceptions taken to EL1: IRQs go to the GIC, a fault at an instruction
 * with an exception-table entry resumes at its fixup, and anything else is
 * dumped in readable form before a panic.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <arch/aarch64.h>

_Static_assert(sizeof(struct trap_frame) == 36 * 8, "vectors.S TF_SIZE");

/* Vector slots (kind): group * 4 + type. */
#define VEC_SYNC 0
#define VEC_IRQ 1
#define VEC_EL1H 1 /* group: EL1 using SP_EL1, the kernel's own */

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
#define EC_DABT_CUR 0x25
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
print_backtrace(const struct trap_frame *tf)
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
print_frame(const struct trap_frame *tf)
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
unexpected(const struct trap_frame *tf, unsigned kind)
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
 * fault, report it in one line and resume at the fixup; else false.
 */
static bool
fixup_fault(struct trap_frame *tf)
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
	kprintf("fault: caught %s at 0x%llx (pc 0x%llx, ESR 0x%llx)\n",
		ec_name(tf->esr), (unsigned long long)tf->far,
		(unsigned long long)tf->elr, (unsigned long long)tf->esr);
	tf->elr = e->fixup;
	return true;
}

void
aarch64_trap(struct trap_frame *tf, unsigned kind)
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
