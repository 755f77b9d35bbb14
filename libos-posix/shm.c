/*
 * Shared memory (mmap with MAP_SHARED|MAP_ANONYMOUS): runs of the pool's
 * pages, which every process of the instance may map through the pool's
 * capability.  A process's own frames would do for its children, but
 * exo_map lets it map only its own frames into a child, so a grandchild
 * would get a copy; the pool's pages stay shared however far down the
 * fork tree they go.
 *
 * The pool's table (posix_shm) counts the processes holding each run.
 * A process keeps which runs its regions use (held, in its bss: fork's
 * copy is the child's, and the child counts itself in); once its regions
 * use a run no more (munmap, execve, exit) it lets go, and the last one
 * to let go leaves the run free for the next mapping of at most its
 * size.  The pool's heap only grows, so freed runs are all there is to
 * reuse.
 */
#include "posix.h"

static uint64_t held; /* bit i: our regions use run i */

/* A free run of at least pages pages, or a new one from the pool's heap
 * (pool locked): its index, or -ENOMEM. */
static long
take_run(uint64_t pages)
{
	struct posix_pool *pool = proc.pool;
	long unused = -1;

	for (unsigned i = 0; i < POSIX_NSHM; i++) {
		struct posix_shm *r = &pool->shm[i];

		if (!r->pages && unused < 0)
			unused = i;
		if (r->pages >= pages && !r->refs)
			return i;
	}
	if (unused < 0)
		return -L_ENOMEM;
	pool->heap = page_up(pool->heap);
	if (pool->heap + pages * PAGE > pool->npages * PAGE)
		return -L_ENOMEM;
	pool->shm[unused] =
		(struct posix_shm){ pool->heap, (uint32_t)pages, 0 };
	pool->heap += pages * PAGE;
	return unused;
}

long
shm_create(uint64_t pages, uint64_t *off)
{
	long i;

	if (pages > POSIX_POOL_SPARE / PAGE)
		return -L_ENOMEM;
	pool_lock();
	i = take_run(pages);
	if (i >= 0) {
		proc.pool->shm[i].refs = 1;
		*off = proc.pool->shm[i].off;
	}
	pool_unlock();
	if (i >= 0)
		held |= 1ull << i;
	return i;
}

/* Count us in (delta 1) or out (-1) of every run in set. */
static void
count(uint64_t set, int delta)
{
	if (!set)
		return;
	pool_lock();
	for (unsigned i = 0; i < POSIX_NSHM; i++)
		if (set >> i & 1)
			proc.pool->shm[i].refs += (uint32_t)delta;
	pool_unlock();
}

void
shm_fork(bool hold)
{
	count(held, hold ? 1 : -1);
}

void
shm_sync(void)
{
	uint64_t now;

	if (!held)
		return; /* the common case: no shared memory */
	now = vm_shm_held();

	if (held & ~now)
		count(held & ~now, -1);
	held = now;
}

void
shm_exit(void)
{
	count(held, -1);
	held = 0;
}
