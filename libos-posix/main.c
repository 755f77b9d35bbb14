/*
 * libos-posix's entry.  The launcher started this env with the address
 * of the instance's pool (posix/launch.h): check it, take upcalls, and
 * run the program; a forked child starts here too (fork.c).  From then
 * on this code only runs in upcalls: the program's system calls and its
 * faults.
 */
#include <exo/string.h>

#include "posix.h"
#include "upcall.h"

struct process proc;

/* Upcalls start at its top, as do direct calls (arch/<arch>/direct.S). */
char upcall_stack[POSIX_UPCALL_STACK] __attribute__((aligned(16)));

_Static_assert(sizeof(struct exo_upcall_frame) == POSIX_FRAME_SIZE &&
		       offsetof(struct exo_upcall_frame, regs) ==
			       POSIX_FRAME_REGS,
	       "upcall.h describes the frame");

/* A fault demand paging cannot resolve raises the signal Linux would:
 * its handler runs, or the process ends. */
static void
fault(struct exo_upcall_frame *f)
{
	static const int sig[] = {
		[EXO_FAULT_PAGE] = L_SIGSEGV,  [EXO_FAULT_ILLEGAL] = L_SIGILL,
		[EXO_FAULT_ALIGN] = L_SIGBUS,  [EXO_FAULT_ARITH] = L_SIGFPE,
		[EXO_FAULT_BREAK] = L_SIGTRAP, [EXO_FAULT_OTHER] = L_SIGSEGV,
	};
	int s = f->fault < sizeof(sig) / sizeof(sig[0]) && sig[f->fault]
			? sig[f->fault]
			: L_SIGSEGV;

	if (f->fault == EXO_FAULT_PAGE && vm_fault(f->addr, f->flags)) {
		signal_after_fault(f);
		return;
	}
	signal_fault(f, s, f->fault == EXO_FAULT_PAGE && posix_pte(f->addr));
}

void
posix_upcall(struct exo_upcall_frame *f)
{
	switch (f->type) {
	case EXO_UPCALL_SYSCALL:
		posix_syscall(f);
		break;
	case EXO_UPCALL_FAULT:
		fault(f);
		break;
	case EXO_UPCALL_ALERT:
		/* A signal was sent while the program ran.  If the libOS
		 * itself was interrupted (a call, a fault), it looks at
		 * its signals on its own way out. */
		if (EXO_REGS_PC(&f->regs) < POSIX_AREA_END)
			signal_after_fault(f);
		break;
	default:
		/* Slices, IRQs and revocations are not asked for. */
		break;
	}
}

/* The pool, if it is one: magic, size, and the first process's strings
 * (path, argv, envp) all inside strings[]. */
static bool
pool_ok(const struct posix_pool *pool)
{
	uint64_t nuls = 0;

	if (pool->magic != POSIX_POOL_MAGIC || !pool->strings_len ||
	    pool->strings_len > POSIX_STRINGS_MAX ||
	    pool->npages * PAGE > POSIX_POOL_MAX ||
	    pool->strings[pool->strings_len - 1] != '\0')
		return false;
	for (uint32_t i = 0; i < pool->strings_len; i++)
		nuls += pool->strings[i] == '\0';
	return nuls == 1ull + pool->argc + pool->envc;
}

/* Upcalls, and alerts on our wake word (wait.c: a signal's sender
 * wakes it, which interrupts us even while we run). */
int
posix_upcall_init(void)
{
	int r = arch_upcall_init(upcall_stack, sizeof(upcall_stack));

	if (!r)
		r = (int)exo_alert_word(&proc.pool->procs[proc.slot].wake);
	return r;
}

/* Process 1: what the launcher asked for. */
static void __attribute__((noreturn)) first_process(void)
{
	struct posix_pool *pool = proc.pool;
	uint64_t path_len = strlen(pool->strings) + 1;
	struct exec_args args = { pool->strings + path_len,
				  (uint32_t)(pool->strings_len - path_len),
				  pool->argc, pool->envc };
	const struct posix_rfile *f;

	proc.pool_cap = pool->pool_cap;
	exo_set_console(pool->console_cap);
	proc.pid = 1;
	strlcpy(proc.exe, pool->strings, sizeof(proc.exe));
	strlcpy(proc.cwd, "/", sizeof(proc.cwd));
	for (unsigned i = 0; i < L_RLIM_NLIMITS; i++)
		proc.rlim[i] =
			(struct l_rlimit){ L_RLIM_INFINITY, L_RLIM_INFINITY };
	proc.rlim[L_RLIMIT_STACK].cur = POSIX_STACK_MAX;
	proc.rlim[L_RLIMIT_NOFILE] = (struct l_rlimit){ POSIX_NFD, POSIX_NFD };
	for (unsigned i = 0; i < 3; i++) {
		struct posix_ofd console = { .kind = FD_CONSOLE,
					     .flags = L_O_RDWR };

		/* The table is empty: descriptor i it is. */
		fd_install(&console, i, false);
	}
	if (posix_upcall_init() < 0) {
		posix_log("posix: cannot take upcalls\n");
		posix_exit(127 << 8);
	}
	f = ramfs_find(proc.exe);
	if (!f || !ramfs_data(f)) {
		posix_log("posix: pid 1: no file %s\n", proc.exe);
		posix_exit(127 << 8);
	}
	procfs_first(&args);
	posix_exec(ramfs_data(f), f->size, &args);
}

int
main(uint64_t arg)
{
	if (posix_fork_pid)
		posix_fork_resume(arg);
	if (arg != POSIX_POOL_VA ||
	    !pool_ok((const struct posix_pool *)(uintptr_t)arg)) {
		exo_printf("posix: no instance pool at 0x%lx\n",
			   (unsigned long)arg);
		return 1;
	}
	proc.pool = (struct posix_pool *)(uintptr_t)arg;
	first_process();
}
