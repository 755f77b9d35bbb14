/*
 * The instance's shared pool (posix/launch.h): its lock, the ramfs
 * lookup, and the captured output.  Every process of the instance maps
 * the pool at the same address, so pointers into it work everywhere.
 */
#include <exo/fmt.h>
#include <exo/string.h>

#include "posix.h"

/* One CPU: a process that finds the lock taken gives its slice to the
 * holder's turn rather than spin through it. */
void
pool_lock(void)
{
	while (__atomic_exchange_n(&proc.pool->lock, 1, __ATOMIC_ACQUIRE))
		exo_yield(0);
}

void
pool_unlock(void)
{
	__atomic_store_n(&proc.pool->lock, 0, __ATOMIC_RELEASE);
}

/*
 * Map the pool's pages [off, off + len) here if they are not yet: a
 * forked child gets only the pool's header from its parent (mapping
 * all of it would cost every fork thousands of mappings), and the rest
 * as it needs it, through its capability.  false if the range is not
 * the pool's or the kernel refused.
 */
bool
pool_map(uint64_t off, uint64_t len)
{
	/* The last few single pages found mapped here (a pipe's two rings,
	 * a file): a pool page stays mapped, and vm_gen changes at fork,
	 * whose child starts with less. */
	static struct {
		uint64_t page, gen;
	} seen[4];
	static unsigned next;
	struct exo_mapping m[64];
	uint64_t end = off + len;
	unsigned n = 0;

	if (end < off || end > proc.pool->npages * PAGE)
		return false;
	if (len && page_down(off) == page_down(end - 1))
		for (unsigned i = 0; i < 4; i++)
			if (seen[i].page == page_down(off) + 1 &&
			    seen[i].gen == vm_gen)
				return true;
	for (uint64_t at = page_down(off); at < end; at += PAGE) {
		if (posix_pte(POSIX_POOL_VA + at))
			continue;
		m[n++] = (struct exo_mapping){ POSIX_POOL_VA + at,
					       proc.pool->pa + at,
					       EXO_PERM_R | EXO_PERM_W };
		if (n < 64)
			continue;
		if (exo_map(EXO_ENVID_SELF, m, n) != (long)n)
			return false;
		n = 0;
	}
	if (n && exo_map(EXO_ENVID_SELF, m, n) != (long)n)
		return false;
	if (len && page_down(off) == page_down(end - 1)) {
		seen[next % 4].page = page_down(off) + 1; /* 0: empty */
		seen[next % 4].gen = vm_gen;
		next++;
	}
	return true;
}

const struct posix_rfile *
ramfs_find(const char *path)
{
	const struct posix_pool *pool = proc.pool;

	for (uint32_t i = 0; i < pool->nfiles && i < POSIX_NFILES; i++)
		if (!strncmp(pool->files[i].name, path, POSIX_NAME_MAX))
			return &pool->files[i];
	return NULL;
}

/* Reserve n bytes of an area of max bytes whose fill is *len: where
 * they go, with *n cut to what fits. */
static uint32_t
reserve(uint32_t *len, uint32_t max, uint64_t *n)
{
	uint32_t at = __atomic_load_n(len, __ATOMIC_RELAXED), want;

	do {
		if (at >= max) {
			*n = 0;
			return max;
		}
		want = *n < max - at ? (uint32_t)*n : max - at;
	} while (!__atomic_compare_exchange_n(len, &at, at + want, false,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	*n = want;
	return at;
}

long
posix_capture(const char *buf, uint64_t n)
{
	struct posix_pool *pool = proc.pool;
	uint32_t at = reserve(&pool->out_len, POSIX_OUT_MAX, &n);

	if (!n)
		return -L_ENOSPC;
	memcpy(pool->out + at, buf, n);
	return (long)n;
}

void
posix_log(const char *fmt, ...)
{
	struct posix_pool *pool = proc.pool;
	char line[256];
	uint64_t len;
	uint32_t at;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = exo_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = n < (int)sizeof(line) ? (uint64_t)n : sizeof(line) - 1;
	if (!pool || !(pool->flags & POSIX_LAUNCH_CAPTURE)) {
		exo_cons_write(exo_console(), line, len);
		return;
	}
	at = reserve(&pool->log_len, POSIX_LOG_MAX, &len);
	memcpy(pool->log + at, line, len);
}
