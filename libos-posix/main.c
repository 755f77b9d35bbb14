/*
 * libos-posix's entry.  The launcher started this env with the address
 * of the launch block (posix/launch.h); check it, take upcalls, and run
 * the program.  From then on this code only runs in upcalls: the
 * program's system calls and its faults.
 */
#include <exo/string.h>

#include "posix.h"

#define UPCALL_STACK (64 * 1024)

struct process proc;

static char upcall_stack[UPCALL_STACK] __attribute__((aligned(16)));

/* A fault demand paging cannot resolve ends the process as Linux's
 * signal would. */
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

	if (f->fault == EXO_FAULT_PAGE && vm_fault(f->addr, f->flags))
		return;
	posix_log("posix: pid %u: signal %d (fault %lu at 0x%lx, pc 0x%lx)\n",
		  proc.pid, s, (unsigned long)f->fault, (unsigned long)f->addr,
		  (unsigned long)EXO_REGS_PC(&f->regs));
	posix_exit(s);
}

static void
upcall(struct exo_upcall_frame *f)
{
	switch (f->type) {
	case EXO_UPCALL_SYSCALL:
		posix_syscall(f);
		break;
	case EXO_UPCALL_FAULT:
		fault(f);
		break;
	default:
		/* Slices, IRQs and revocations are not asked for. */
		break;
	}
}

/* The launch block, if it is one: the path, argv and envp all inside
 * strings[], the file size in range. */
static bool
block_ok(const struct posix_launch *blk)
{
	uint64_t nuls = 0;

	if (blk->magic != POSIX_LAUNCH_MAGIC || !blk->strings_len ||
	    blk->strings_len > POSIX_STRINGS_MAX ||
	    blk->strings[blk->strings_len - 1] != '\0')
		return false;
	for (uint32_t i = 0; i < blk->strings_len; i++)
		nuls += blk->strings[i] == '\0';
	return nuls == 1ull + blk->argc + blk->envc && blk->file_size &&
	       blk->file_size <= POSIX_FILE_MAX;
}

int
main(uint64_t arg)
{
	struct posix_launch *blk = (struct posix_launch *)(uintptr_t)arg;
	const char *base;
	int r;

	if (arg != POSIX_LAUNCH_VA || !block_ok(blk)) {
		exo_printf("posix: no launch block at 0x%lx\n",
			   (unsigned long)arg);
		return 1;
	}
	proc.blk = blk;
	proc.exe = blk->strings;
	proc.pid = blk->pid;
	proc.ppid = blk->ppid;
	/* Linux names a thread after the last part of its program's path. */
	base = proc.exe;
	for (const char *s = proc.exe; *s; s++)
		if (*s == '/')
			base = s + 1;
	strlcpy(proc.comm, base, sizeof(proc.comm));
	for (unsigned i = 0; i < POSIX_NFD; i++)
		proc.fd_open[i] = true;
	for (unsigned i = 0; i < L_RLIM_NLIMITS; i++)
		proc.rlim[i] =
			(struct l_rlimit){ L_RLIM_INFINITY, L_RLIM_INFINITY };
	proc.rlim[L_RLIMIT_STACK].cur = POSIX_STACK_MAX;
	proc.rlim[L_RLIMIT_NOFILE] = (struct l_rlimit){ 1024, 4096 };
	r = exo_upcall_init(upcall, upcall_stack, sizeof(upcall_stack));
	if (r < 0) {
		posix_log("posix: cannot take upcalls: %s\n", exo_strerror(r));
		posix_exit(127 << 8);
	}
	posix_exec((const void *)(uintptr_t)POSIX_FILE_VA, blk->file_size);
}
