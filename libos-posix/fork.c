/*
 * fork, vfork and the fork-like clones: a new env, made and controlled
 * by this libOS, whose address space is built from ours as read through
 * EXO_UVPT.
 *
 *   program area   shared by the kernel (exo_map_cow), writable pages
 *                  read-only in both and copied by whichever side
 *                  writes first (vm.c's cow; shared memory only gets
 *                  its write access back)
 *   libOS's pages  writable ones (data, bss, the upcall stack, the
 *                  start stack) are copied into frames of the child's;
 *                  text is shared
 *   the pool       its header mapped read-write; the child maps the
 *                  rest when it needs it (pool_map)
 *
 * exo_map lets us map only our own frames and the pool's (through its
 * capability); exo_map_cow also passes on the program's frames we have
 * from our own parents (their owners control the child), and a page it
 * refuses gets a copy in the child instead.  The child starts in main(), which
 * sees posix_fork_pid set and resumes the program from fork_frame.
 */
#include <exo/arch/pte.h>
#include <exo/string.h>

#include "posix.h"
#include "sysnr.h"

#define BATCH 64
#define CHILD_QUOTA_MIN 512
#define CHILD_QUOTA_MAX 16384

#define L_CLONE_VM 0x100
#define L_CLONE_VFORK 0x4000
#define L_CLONE_PARENT_SETTID 0x100000
#define L_CLONE_CHILD_CLEARTID 0x200000
#define L_CLONE_CHILD_SETTID 0x1000000
#define CLONE_OK                                                               \
	(0xff | L_CLONE_VM | L_CLONE_VFORK | L_CLONE_PARENT_SETTID |           \
	 L_CLONE_CHILD_CLEARTID | L_CLONE_CHILD_SETTID)

void _start(void); /* libexo's crt0: where a child starts */

/* What the child resumes with; set before the libOS's pages are copied,
 * so the child finds them in its own copy. */
uint32_t posix_fork_pid;
static struct exo_upcall_frame fork_frame;
static unsigned char fork_fp[ARCH_FP_BYTES] __attribute__((aligned(64)));
static uint64_t fork_flags, fork_ctid;

/* Give the child its own copy of the page at m->va with rights perms:
 * the kernel copies it (exo_page_copy). */
static int
copy_to_child(exo_envid_t child, const struct exo_mapping *m, uint64_t perms)
{
	long pa = exo_page_copy(child, m->va, perms);

	return pa < 0 ? (int)pa : 0;
}

/* The pages of the stack the libOS started on that a child maps: the
 * child starts afresh at its top and is back in the program within a
 * few frames. */
#define CHILD_START_PAGES 4

/* Is the page at va one whose contents the child needs no copy of: the
 * upcall stack below the part in use (fork runs on it), the top of the
 * start stack?  It gets a zeroed frame instead. */
static bool
fresh(uint64_t va)
{
	uint64_t stack = (uint64_t)(uintptr_t)upcall_stack;
	uint64_t in_use =
		page_down((uint64_t)(uintptr_t)__builtin_frame_address(0));

	return (va >= stack && va < in_use) ||
	       (va >= EXO_SPAWN_STACK_TOP - CHILD_START_PAGES * PAGE &&
		va < EXO_SPAWN_STACK_TOP);
}

/* Is it one the child gets no frame for at all: the rest of the start
 * stack, and execve's strings (execve maps them when it needs them)? */
static bool
left_out(uint64_t va)
{
	uint64_t strings = (uint64_t)(uintptr_t)posix_exec_strings;

	return (va >= EXO_SPAWN_STACK_TOP - EXO_SPAWN_STACK_PAGES * PAGE &&
		va < EXO_SPAWN_STACK_TOP - CHILD_START_PAGES * PAGE) ||
	       (va >= strings && va < strings + POSIX_ARG_MAX);
}

/* Zeroed frames of the child's, mapped a batch at a time. */
struct fresh {
	exo_envid_t child;
	unsigned n;
	struct exo_mapping m[BATCH];
};

static int
fresh_flush(struct fresh *f)
{
	long r = f->n ? exo_map(f->child, f->m, f->n) : 0;

	f->n = 0;
	return r < 0 ? (int)r : 0;
}

/* A zeroed frame of the child's at m->va (mapped by fresh_flush). */
static int
fresh_to_child(struct fresh *f, const struct exo_mapping *m)
{
	long pa = exo_page_alloc(f->child, EXO_PA_ANY);

	if (pa < 0)
		return (int)pa;
	f->m[f->n++] = (struct exo_mapping){ m->va, (uint64_t)pa, m->perms };
	return f->n == BATCH ? fresh_flush(f) : 0;
}

/*
 * The program area: the kernel shares our pages with the child,
 * writable ones read-only in both (exo_map_cow), frames we have from our
 * own parents too; a page it may not pass on gets a copy in the child.
 * Shared memory (the pool's pages) goes read-only too, and its first
 * write on either side maps it writable again (vm.c).  Region by region:
 * every page of the program is in one, and the kernel then reads only
 * the tables over them, not the empty ones that unmapped memory left.
 */
static int
share_region(uint64_t va, uint64_t end, void *ctx)
{
	exo_envid_t child = *(const exo_envid_t *)ctx;

	while (va < end) {
		long r = exo_map_cow(child, va, end);
		uint64_t pte;
		int c;

		if (r < 0)
			return (int)r;
		if ((uint64_t)r != va) {
			va = (uint64_t)r;
			continue;
		}
		pte = posix_pte(va);
		c = copy_to_child(child,
				  &(struct exo_mapping){ va, exo_pte_addr(pte),
							 exo_pte_perms(pte) },
				  exo_pte_perms(pte));
		if (c < 0)
			return c;
		va += PAGE;
	}
	return 0;
}

static int
share_program(exo_envid_t child)
{
	vm_gen++; /* our writable pages become read-only */
	return vm_for_each_region(share_region, &child);
}

/* Give the child the present pages of the libOS's [lo, hi): copies of
 * the writable ones (zeroed frames where the contents do not matter,
 * none where they are not needed), the others shared as they are, a run
 * at a time through exo_map_cow (their frames are the launcher's, or a
 * parent's: exo_map would refuse them, and the child would get copies
 * of the libOS's text). */
static int
copy_range(exo_envid_t child, uint64_t lo, uint64_t hi)
{
	static struct fresh f;
	uint64_t run = 0, run_end = 0, va = vm_next_present(lo, hi);

	f.child = child;
	f.n = 0;
	while (va < hi) {
		/* The rest of this leaf table, one load a page. */
		const volatile uint64_t *leaf =
			(const volatile uint64_t *)(uintptr_t)exo_uvpt_pte(va,
									   3);
		uint64_t table_end = (va | (512 * PAGE - 1)) + 1;

		for (; va < hi && va < table_end; va += PAGE, leaf++) {
			uint64_t pte = *leaf;
			struct exo_mapping m = { va, exo_pte_addr(pte),
						 exo_pte_perms(pte) };
			int r = 0;

			if (!exo_pte_valid(pte) ||
			    ((m.perms & EXO_PERM_W) && left_out(va)))
				continue;
			if (!(m.perms & EXO_PERM_W)) {
				if (va != run_end) {
					if (run_end > run)
						r = share_region(run, run_end,
								 &child);
					run = va;
				}
				run_end = va + PAGE;
			} else if (fresh(va)) {
				r = fresh_to_child(&f, &m);
			} else {
				r = copy_to_child(child, &m, m.perms);
			}
			if (r < 0)
				return r;
		}
		va = vm_next_present(va, hi);
	}
	if (run_end > run) {
		int r = share_region(run, run_end, &child);

		if (r < 0)
			return r;
	}
	return fresh_flush(&f);
}

/* The pool's header (the process table, the ramfs's names), read-write,
 * through its capability; the child maps the rest as it needs it. */
static int
map_pool(exo_envid_t child)
{
	uint64_t n = POSIX_POOL_HDR / PAGE, pa = proc.pool->pa;
	struct exo_mapping m[BATCH];

	for (uint64_t done = 0; done < n;) {
		unsigned k = 0;
		long r;

		for (; k < BATCH && done + k < n; k++)
			m[k] = (struct exo_mapping){ POSIX_POOL_VA +
							     (done + k) * PAGE,
						     pa + (done + k) * PAGE,
						     EXO_PERM_R | EXO_PERM_W };
		r = exo_map(child, m, k);
		if (r < 0)
			return (int)r;
		done += (uint64_t)r;
	}
	return 0;
}

/* Build the child's address space and give it the capabilities it
 * passes on; the start argument through *arg. */
static int
build(exo_envid_t child, uint64_t *arg)
{
	uint64_t pool_end = POSIX_POOL_VA + proc.pool->npages * PAGE;
	long pc, cc;
	int r;

	r = share_program(child);
	if (!r)
		r = copy_range(child, POSIX_AREA_END, POSIX_POOL_VA);
	if (!r)
		r = copy_range(child, pool_end, EXO_USER_END);
	if (!r)
		r = map_pool(child);
	if (r < 0)
		return r;
	pc = exo_cap_grant(proc.pool_cap, child,
			   EXO_RIGHT_READ | EXO_RIGHT_WRITE | EXO_RIGHT_GRANT);
	cc = exo_cap_grant(exo_console(), child,
			   EXO_RIGHT_READ | EXO_RIGHT_WRITE | EXO_RIGHT_GRANT);
	if (pc < 0 || cc < 0)
		return pc < 0 ? (int)pc : (int)cc;
	*arg = (uint64_t)pc | (uint64_t)cc << 32;
	return 0;
}

/* A new entry in the process table for a child of ours: its pid, or 0
 * if the table is full. */
static uint32_t
new_entry(void)
{
	const struct posix_procent *self = &proc.pool->procs[proc.slot];
	uint32_t pid = 0;

	pool_lock();
	for (unsigned i = 0; i < POSIX_NPROC; i++) {
		struct posix_procent *p = &proc.pool->procs[i];

		if (p->state != POSIX_PROC_FREE)
			continue;
		pid = proc.pool->next_pid++;
		*p = (struct posix_procent){ .pid = pid,
					     .ppid = proc.pid,
					     .creator = proc.pid,
					     .state = POSIX_PROC_RUNNING,
					     .pgid = self->pgid,
					     .sid = self->sid };
		procfs_fork(p, self);
		break;
	}
	pool_unlock();
	return pid;
}

/* Our child's entry, by pid: its index (the pool is locked or the
 * entry is ours to fill). */
static unsigned
entry_of(uint32_t pid)
{
	unsigned i = 0;

	while (i < POSIX_NPROC - 1 && proc.pool->procs[i].pid != pid)
		i++;
	return i;
}

static void
drop_entry(uint32_t pid)
{
	pool_lock();
	memset(&proc.pool->procs[entry_of(pid)], 0,
	       sizeof(proc.pool->procs[0]));
	pool_unlock();
}

/* Half of what we may still allocate, within bounds; 0 if too little. */
static uint64_t
child_quota(void)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t q = (info->frames_quota - info->frames_used) / 2;

	if (q < CHILD_QUOTA_MIN)
		return 0;
	return q < CHILD_QUOTA_MAX ? q : CHILD_QUOTA_MAX;
}

/* Fork: the child's pid, or -EAGAIN (no process slot, no quota) or
 * -ENOMEM; the child resumes f with 0 and stack sp (if not 0). */
static long
do_fork(struct exo_upcall_frame *f, uint64_t flags, uint64_t sp, uint64_t ctid)
{
	uint64_t quota = child_quota(), arg = 0;
	uint32_t pid;
	long child;
	int r;

	vm_retry_drops();
	if (!quota || !(pid = new_entry()))
		return -L_EAGAIN;
	child = exo_env_create(quota, EXO_ENV_LINUX);
	if (child < 0) {
		drop_entry(pid);
		return -L_EAGAIN;
	}
	proc.pool->procs[entry_of(pid)].env = (exo_envid_t)child;
	fork_frame = *f;
	arch_set_ret(&fork_frame.regs, 0);
	if (sp)
		EXO_REGS_SP(&fork_frame.regs) = sp;
	posix_fork_pid = pid;
	fork_flags = flags;
	fork_ctid = ctid;
	arch_fp_save(fork_fp);
	fd_fork(true);
	shm_fork(true);
	r = build((exo_envid_t)child, &arg);
	if (!r)
		r = (int)exo_env_start((exo_envid_t)child,
				       (uint64_t)(uintptr_t)_start,
				       EXO_SPAWN_STACK_TOP - 16, arg);
	if (r < 0) {
		exo_env_destroy((exo_envid_t)child);
		fd_fork(false);
		shm_fork(false);
		drop_entry(pid);
		vm_retry_drops();
		return -L_ENOMEM;
	}
	proc_add_kid((exo_envid_t)child);
	/* The child runs first, for the rest of our slice: a shell's child
	 * sets its signals and execs before the shell goes on (so a kill
	 * right after `cmd &` finds the program's dispositions, not the
	 * shell's), and fewer shared pages are copied on the way. */
	exo_yield((exo_envid_t)child);
	return pid;
}

void
posix_fork_resume(uint64_t arg)
{
	uint32_t tid = posix_fork_pid;

	proc.pool_cap = (exo_cap_t)(arg & 0xffffffffu);
	exo_set_console((exo_cap_t)(arg >> 32));
	proc.ppid = proc.pid;
	proc.pid = posix_fork_pid;
	proc.slot = entry_of(proc.pid);
	vm_forget_drops();
	proc_forget_kids();
	if (posix_upcall_init() < 0)
		posix_exit(127 << 8);
	if (fork_flags & L_CLONE_CHILD_SETTID)
		copy_out(fork_ctid, &tid, sizeof(tid));
	if (fork_flags & L_CLONE_CHILD_CLEARTID)
		proc.clear_child_tid = fork_ctid;
	arch_fp_load(fork_fp);
	exo_upcall_return(&fork_frame);
	posix_exit(127 << 8);
}

POSIX_SYS(fork)
{
	return do_fork(f, 0, 0, 0);
}

/* vfork is a fork: the parent need not wait for the child's exec. */
POSIX_SYS(vfork)
{
	return do_fork(f, 0, 0, 0);
}

/*
 * clone(flags, stack, ptid, ...): the fork-like ones (what fork, vfork
 * and posix_spawn make, CLONE_VM|CLONE_VFORK done as a fork); threads
 * come later.  The child tid pointer is argument POSIX_CLONE_CTID.
 */
POSIX_SYS(clone)
{
	static bool logged;
	uint64_t flags = a[0];
	long pid;

	if ((flags & ~(uint64_t)CLONE_OK) ||
	    ((flags & L_CLONE_VM) && !(flags & L_CLONE_VFORK))) {
		if (!logged)
			posix_log("posix: pid %u: clone flags 0x%lx are not "
				  "supported: -EINVAL\n",
				  proc.pid, (unsigned long)flags);
		logged = true;
		return -L_EINVAL;
	}
	pid = do_fork(f, flags, a[1], a[POSIX_CLONE_CTID]);
	if (pid > 0 && (flags & L_CLONE_PARENT_SETTID)) {
		uint32_t tid = (uint32_t)pid;

		copy_out(a[2], &tid, sizeof(tid));
	}
	return pid;
}
