/*
 * The benchmarks of the kernel's own operations, made straight through
 * libexo: system calls, IPC, notifications, page bindings, fault upcalls
 * and env lifetimes.
 */
#include "driver.h"

#define MAP_VA 0x0000004000000000ull /* where page_map_unmap maps its page */
#define PEER_QUOTA 128		     /* frames: stack, image, page tables */
#define NOP_QUOTA 32

/* The instruction that faults, and where the handler resumes. */
extern char bench_fault_insn[], bench_fault_done[];
void bench_fault(void);

static uint8_t upcall_stack[16384] __attribute__((aligned(16)));

uint64_t
bench_null_syscall(long n)
{
	uint64_t t0 = bench_now();

	for (long i = 0; i < n; i++)
		exo_env_self();
	return bench_now() - t0;
}

uint64_t
bench_ipc_rtt(long n)
{
	struct exo_msg m = { { 0 } };
	struct peer p;
	uint64_t t0, t;
	long err = peer_start(ROLE_ECHO, PEER_QUOTA, &p);

	if (err)
		return bench_fail("starting the echo peer", err);
	t0 = bench_now();
	for (long i = 0; i < n && !err; i++)
		err = exo_ipc_call(p.cap, &m);
	t = bench_now() - t0;
	peer_stop(&p);
	return err ? bench_fail("exo_ipc_call", err) : t;
}

/* Each operation: notify the peer, wait for its answer. */
uint64_t
bench_notify_rtt(long n)
{
	struct peer p;
	uint64_t t0, t;
	long err = peer_start(ROLE_NOTIFY, PEER_QUOTA, &p);

	if (err)
		return bench_fail("starting the notify peer", err);
	t0 = bench_now();
	for (long i = 0; i < n && err >= 0; i++) {
		err = exo_notify(p.cap, BIT_PING);
		if (err >= 0)
			err = exo_wait(BIT_PONG, UINT64_MAX);
	}
	t = bench_now() - t0;
	peer_stop(&p);
	return err < 0 ? bench_fail("exo_notify/exo_wait", err) : t;
}

/* A notification to a peer that waits on other bits: no wake-up. */
uint64_t
bench_notify_one_way(long n)
{
	struct peer p;
	uint64_t t0, t;
	long err = peer_start(ROLE_NOTIFY, PEER_QUOTA, &p);

	if (err)
		return bench_fail("starting the notify peer", err);
	exo_yield(p.env); /* let it reach its wait */
	t0 = bench_now();
	for (long i = 0; i < n && !err; i++)
		err = exo_notify(p.cap, BIT_SINK);
	t = bench_now() - t0;
	peer_stop(&p);
	return err ? bench_fail("exo_notify", err) : t;
}

/* Allocate a frame, map it, write it, unmap it, free it. */
uint64_t
bench_page_map_unmap(long n)
{
	struct exo_mapping m = { MAP_VA, 0, EXO_PERM_R | EXO_PERM_W };
	uint64_t va = MAP_VA, t0 = bench_now();
	long err = 0;

	for (long i = 0; i < n && err >= 0; i++) {
		err = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
		if (err < 0)
			break;
		m.pa = (uint64_t)err;
		err = exo_map(EXO_ENVID_SELF, &m, 1);
		if (err < 0)
			break;
		*(volatile char *)MAP_VA = 1;
		err = exo_unmap(EXO_ENVID_SELF, &va, 1);
		if (err >= 0)
			err = exo_page_free(EXO_ENVID_SELF, m.pa);
	}
	return err < 0 ? bench_fail("page alloc/map/unmap/free", err)
		       : bench_now() - t0;
}

/* Step over the faulting load; anything else is a real crash. */
static void
skip_fault(struct exo_upcall_frame *f)
{
	if (f->type != EXO_UPCALL_FAULT ||
	    EXO_REGS_PC(&f->regs) != (uint64_t)bench_fault_insn)
		exo_panic("bench: unexpected upcall %lu at %#lx",
			  (unsigned long)f->type,
			  (unsigned long)EXO_REGS_PC(&f->regs));
	EXO_REGS_PC(&f->regs) = (uint64_t)bench_fault_done;
}

/* A load from address 0, libexo's upcall entry, the handler, the resume. */
uint64_t
bench_fault_upcall_rtt(long n)
{
	uint64_t t0, t;
	long err =
		exo_upcall_init(skip_fault, upcall_stack, sizeof(upcall_stack));

	if (err)
		return bench_fail("exo_upcall_init", err);
	t0 = bench_now();
	for (long i = 0; i < n; i++)
		bench_fault();
	t = bench_now() - t0;
	exo_upcall_init(NULL, NULL, 0);
	return t;
}

/* Create an env, load nop into it, start it; it exits; wait for that. */
uint64_t
bench_env_create_destroy(long n)
{
	uint64_t t0;
	long err = 0;

	exo_wait(EXO_NOTIFY_CHILD, 0); /* forget earlier peers' deaths */
	t0 = bench_now();
	for (long i = 0; i < n && err >= 0; i++) {
		err = exo_spawn(bench_nop_elf.data, bench_nop_elf.size,
				NOP_QUOTA, 0, 0);
		if (err >= 0)
			err = exo_wait(EXO_NOTIFY_CHILD, UINT64_MAX);
	}
	return err < 0 ? bench_fail("exo_spawn", err) : bench_now() - t0;
}
