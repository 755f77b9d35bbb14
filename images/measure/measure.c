/*
 * measure: the first figures for the exokernel core, in nanoseconds of
 * guest time per operation (guest instructions in icount mode): a null
 * system call, an IPC round trip to another env, and a fault-upcall round
 * trip (a fault, the library OS's handler, and the resumption).
 */
#include <exo/libexo.h>
#include <exo/syscall.h>

#define ITERS 10000

static uint8_t upcall_stack[16384] __attribute__((aligned(16)));

/* The instruction that faults, and the label the handler resumes at. */
extern char measure_fault_insn[], measure_fault_done[];
void measure_fault(void);

static void
handler(struct exo_upcall_frame *f)
{
	if (f->type != EXO_UPCALL_FAULT ||
	    EXO_REGS_PC(&f->regs) != (uint64_t)measure_fault_insn)
		exo_panic("measure: unexpected upcall %lu at %#lx",
			  (unsigned long)f->type,
			  (unsigned long)EXO_REGS_PC(&f->regs));
	EXO_REGS_PC(&f->regs) = (uint64_t)measure_fault_done;
}

static uint64_t
per_op(uint64_t t0)
{
	return ((uint64_t)exo_clock_ns() - t0) / ITERS;
}

int
main(uint64_t arg)
{
	struct exo_msg m = { { 0 } };
	uint64_t t0, syscall_ns, ipc_ns, fault_ns;

	t0 = (uint64_t)exo_clock_ns();
	for (int i = 0; i < ITERS; i++)
		exo_env_self();
	syscall_ns = per_op(t0);

	t0 = (uint64_t)exo_clock_ns();
	for (int i = 0; i < ITERS; i++)
		if (exo_ipc_call((exo_cap_t)arg, &m) < 0)
			exo_panic("measure: the echo env is gone");
	ipc_ns = per_op(t0);

	if (exo_upcall_init(handler, upcall_stack, sizeof(upcall_stack)))
		exo_panic("measure: cannot set an upcall handler");
	t0 = (uint64_t)exo_clock_ns();
	for (int i = 0; i < ITERS; i++)
		measure_fault();
	fault_ns = per_op(t0);

	exo_printf("MEASURE null_syscall %lu\n", (unsigned long)syscall_ns);
	exo_printf("MEASURE ipc_round_trip %lu\n", (unsigned long)ipc_ns);
	exo_printf("MEASURE fault_upcall_round_trip %lu\n",
		   (unsigned long)fault_ns);
	return 0;
}
