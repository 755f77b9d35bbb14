/*
 * Every entry from user mode: Exo system calls, foreign (Linux) system
 * calls, exceptions and interrupts.  The arch code has saved the user
 * registers; this saves them in the env and decides what runs next.
 */
#include <exo/error.h>
#include <exo/upcall.h>
#include <kernel/env.h>
#include <kernel/event.h>
#include <kernel/ipc.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <kernel/upcall.h>

#define LINUX_ENOSYS 38
#define FOREIGN_LOGGED 1024

static uint8_t foreign_logged[FOREIGN_LOGGED / 8];

static const char *const fault_names[] = {
	[EXO_FAULT_PAGE] = "page fault",
	[EXO_FAULT_ILLEGAL] = "illegal instruction",
	[EXO_FAULT_ALIGN] = "alignment fault",
	[EXO_FAULT_ARITH] = "arithmetic fault",
	[EXO_FAULT_BREAK] = "breakpoint",
	[EXO_FAULT_OTHER] = "exception",
};

/* An exception in user code: the env's upcall, or its death. */
static void
user_fault(struct env *e, const struct trap_info *ti)
{
	struct exo_upcall_frame f = {
		.type = EXO_UPCALL_FAULT,
		.fault = ti->fault,
		.flags = ti->flags,
		.addr = ti->addr,
		.code = ti->code,
	};
	const char *name =
		ti->fault < ARRAY_SIZE(fault_names) && fault_names[ti->fault]
			? fault_names[ti->fault]
			: "exception";

	e->info->counters.faults++;
	event_log(EXO_EV_FAULT, e->id, ti->fault, ti->addr);
	if (upcall_deliver(e, &f) == 0)
		return;
	kprintf("exo: env %x: unhandled %s at 0x%lx, pc 0x%lx (code 0x%lx); "
		"destroyed\n",
		e->id, name, (unsigned long)ti->addr,
		(unsigned long)arch_tf_pc(env_tf(e)), (unsigned long)ti->code);
	env_destroy(e);
}

/*
 * A Linux system call: reflected to the library OS of an env created
 * with EXO_ENV_LINUX, otherwise -ENOSYS, logged once per number.
 */
static void
foreign_syscall(struct env *e)
{
	struct exo_upcall_frame f = { .type = EXO_UPCALL_SYSCALL };
	uint64_t nr, a[6];

	arch_tf_syscall(env_tf(e), &nr, a);
	if (e->linux_abi && upcall_deliver(e, &f) == 0) {
		e->info->counters.foreign++;
		return;
	}
	if (nr >= FOREIGN_LOGGED ||
	    !(foreign_logged[nr / 8] & (1u << (nr % 8)))) {
		kprintf("exo: env %x: foreign system call %lu not supported "
			"(-ENOSYS)\n",
			e->id, (unsigned long)nr);
		if (nr < FOREIGN_LOGGED)
			foreign_logged[nr / 8] |= 1u << (nr % 8);
	}
	arch_tf_set_ret(env_tf(e), (uint64_t)-LINUX_ENOSYS);
}

void
trap_from_user(struct trapframe *tf, const struct trap_info *ti)
{
	struct env *e = curenv;

	assert(e && !e->live);
	e->live = tf;
	if (ti->kind == TRAP_SYSCALL) {
		struct env *to = ipc_fast(e, tf);
		if (to) {
			sched_donate();
			arch_return_to_user(&to->tf);
		}
	}
	switch (ti->kind) {
	case TRAP_SYSCALL:
		syscall_handle(e);
		break;
	case TRAP_FOREIGN_SYSCALL:
		foreign_syscall(e);
		break;
	case TRAP_FAULT:
		user_fault(e, ti);
		break;
	case TRAP_IRQ:
		break;
	}
	sched_resume();
}
