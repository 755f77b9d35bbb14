/*
 * Trap dispatch.  From kernel mode: interrupts, recoverable faults
 * (through the exception fixup table) and a full report of any other
 * exception before panic().  From user mode: interrupts, and exceptions
 * classified for the env's library OS, both handed to trap_from_user().
 */
#include <exo/upcall.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <x86/cpu.h>

#define BACKTRACE_DEPTH 8
#define PIC_SPURIOUS_MASTER (VEC_PIC_BASE + 7)
#define PIC_SPURIOUS_SLAVE (VEC_PIC_BASE + 15)

/*
 * The fixup table (section __ex_table): an instruction allowed to fault
 * and where to resume if it does.  The probes log what they recover;
 * x86_copy_user() is quiet, since a bad user pointer is no kernel event.
 */
struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
	uint64_t quiet;
};
extern const struct extable_entry __extable_start[], __extable_end[];

struct fault_info arch_last_fault;

static const char *const names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor segment overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
	"reserved 22",
	"reserved 23",
	"reserved 24",
	"reserved 25",
	"reserved 26",
	"reserved 27",
	"#HV hypervisor injection",
	"#VC VMM communication",
	"#SX security",
	"reserved 31",
};

const char *
x86_trap_name(uint64_t vector)
{
	if (vector < ARRAY_SIZE(names))
		return names[vector];
	if (vector == VEC_TIMER)
		return "LAPIC timer";
	if (vector == VEC_SPURIOUS)
		return "LAPIC spurious";
	return "external interrupt";
}

static const struct extable_entry *
extable_find(uint64_t rip)
{
	const struct extable_entry *e;

	for (e = __extable_start; e < __extable_end; e++)
		if (e->insn == rip)
			return e;
	return NULL;
}

/* Whether a frame pointer can be followed: inside the kernel image (all
 * kernel stacks are there for now) and aligned. */
static bool
frame_ok(uint64_t fp)
{
	return fp % 8 == 0 && fp >= (uint64_t)__kernel_start &&
	       fp + 16 <= (uint64_t)__kernel_end;
}

static void
backtrace(uint64_t rip, uint64_t fp)
{
	unsigned i;

	kprintf("  backtrace: 0x%lx", rip);
	for (i = 0; i < BACKTRACE_DEPTH && frame_ok(fp); i++) {
		const uint64_t *frame = (const uint64_t *)fp;

		kprintf(" 0x%lx", frame[1]);
		fp = frame[0];
	}
	kprintf("\n");
}

static __noreturn void
dump_and_panic(const struct trapframe *tf, uint64_t cr2)
{
	kprintf("\ntrap %lu (%s), error 0x%lx\n", tf->vector,
		x86_trap_name(tf->vector), tf->error);
	if (tf->vector == VEC_PF)
		kprintf("  cr2 0x%016lx (%s, %s, %s)\n", cr2,
			tf->error & 1 ? "protection" : "not present",
			tf->error & 2	 ? "write"
			: tf->error & 16 ? "fetch"
					 : "read",
			tf->error & 4 ? "user" : "kernel");
	kprintf("  rip 0x%016lx  rsp 0x%016lx  rflags 0x%lx\n", tf->rip,
		tf->rsp, tf->rflags);
	kprintf("  cs 0x%lx  ss 0x%lx  cr3 0x%lx\n", tf->cs, tf->ss,
		read_cr3());
	kprintf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx\n", tf->rax,
		tf->rbx, tf->rcx);
	kprintf("  rdx 0x%016lx  rsi 0x%016lx  rdi 0x%016lx\n", tf->rdx,
		tf->rsi, tf->rdi);
	kprintf("  rbp 0x%016lx  r8  0x%016lx  r9  0x%016lx\n", tf->rbp, tf->r8,
		tf->r9);
	kprintf("  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", tf->r10,
		tf->r11, tf->r12);
	kprintf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", tf->r13,
		tf->r14, tf->r15);
	backtrace(tf->rip, tf->rbp);
	panic("unexpected %s in the kernel", x86_trap_name(tf->vector));
}

/* A #PF or #GP at an instruction with a fixup: record it, report it in
 * one line and resume at the fixup.  Returns false if there is none. */
static bool
fixup(struct trapframe *tf, uint64_t cr2)
{
	const struct extable_entry *e;

	if ((tf->vector != VEC_PF && tf->vector != VEC_GP) ||
	    !(e = extable_find(tf->rip)))
		return false;
	/* A #GP (non-canonical address) leaves no address behind. */
	arch_last_fault.addr = tf->vector == VEC_PF ? cr2 : 0;
	arch_last_fault.pc = tf->rip;
	arch_last_fault.code = tf->error;
	arch_last_fault.count++;
	if (!e->quiet)
		kprintf("fault: %s at 0x%lx, pc 0x%lx, error 0x%lx: "
			"recovered\n",
			tf->vector == VEC_PF ? "#PF" : "#GP",
			arch_last_fault.addr, tf->rip, tf->error);
	tf->rip = e->fixup;
	return true;
}

/* Handle an interrupt the kernel knows.  Returns false for a vector it
 * does not expect, true otherwise; *tick is set if the timer ticked or an
 * env's line fired (either may change who runs next). */
static bool
interrupt(uint64_t vector, bool *tick)
{
	*tick = false;
	if (vector >= VEC_IOAPIC_BASE &&
	    vector < VEC_IOAPIC_BASE + arch_irq_lines()) {
		x86_irq_interrupt((unsigned)(vector - VEC_IOAPIC_BASE));
		*tick = true;
		return true;
	}
	switch (vector) {
	case VEC_TIMER:
		x86_timer_interrupt();
		*tick = true;
		return true;
	case VEC_SPURIOUS:
	case PIC_SPURIOUS_MASTER:
		return true; /* no EOI for a spurious interrupt */
	case PIC_SPURIOUS_SLAVE:
		outb(0x20, 0x20); /* the master did see the cascade line */
		return true;
	}
	return false;
}

void
x86_trap(struct trapframe *tf)
{
	/* Read first: nothing below may fault, but keep CR2 exact anyway. */
	uint64_t cr2 = read_cr2();
	bool tick;

	if (interrupt(tf->vector, &tick) || fixup(tf, cr2))
		return;
	dump_and_panic(tf, cr2);
}

/* The portable class of exception `vector` taken in user mode. */
static unsigned
fault_class(uint64_t vector)
{
	switch (vector) {
	case VEC_PF:
		return EXO_FAULT_PAGE;
	case VEC_UD:
		return EXO_FAULT_ILLEGAL;
	case VEC_DE:
	case VEC_MF:
	case VEC_XM:
		return EXO_FAULT_ARITH;
	case VEC_AC:
		return EXO_FAULT_ALIGN;
	case VEC_DB:
	case VEC_BP:
		return EXO_FAULT_BREAK;
	default:
		return EXO_FAULT_OTHER;
	}
}

/* EXO_PF_* from a #PF error code (present, write, instruction fetch). */
static unsigned
pf_flags(uint64_t error)
{
	return (error & 1 ? EXO_PF_PRESENT : 0) |
	       (error & 2 ? EXO_PF_WRITE : 0) | (error & 16 ? EXO_PF_EXEC : 0);
}

/*
 * Every trap from user mode, on an otherwise empty kernel stack.  An
 * exception is the env's own: classified and handed over, never dumped.
 * NMI, #MC and #DF are the machine's, and an interrupt the kernel does
 * not expect is a kernel bug: those still panic.
 */
void
x86_trap_user(struct trapframe *tf)
{
	uint64_t cr2 = read_cr2();
	struct trap_info ti = { .kind = TRAP_FAULT };
	bool tick;

	if (tf->vector >= VEC_EXCEPTIONS) {
		if (!interrupt(tf->vector, &tick))
			dump_and_panic(tf, cr2);
		if (!tick)
			arch_return_to_user(tf);
		ti.kind = TRAP_IRQ;
		trap_from_user(tf, &ti);
	}
	if (tf->vector == VEC_NMI || tf->vector == VEC_MC ||
	    tf->vector == VEC_DF)
		dump_and_panic(tf, cr2);
	ti.fault = fault_class(tf->vector);
	ti.code = tf->vector << 32 | (tf->error & 0xffffffff);
	if (tf->vector == VEC_PF) {
		ti.flags = pf_flags(tf->error);
		ti.addr = cr2;
	}
	trap_from_user(tf, &ti);
}

/* A `syscall` from user mode: an Exo call if rax is in Exo's range.  The
 * trap_info structs are constants: this is on every slow system call. */
void
x86_syscall(struct trapframe *tf)
{
	static const struct trap_info exo = { .kind = TRAP_SYSCALL };
	static const struct trap_info foreign = {
		.kind = TRAP_FOREIGN_SYSCALL,
	};

	trap_from_user(tf, x86_exo_call(tf->rax) ? &exo : &foreign);
}
