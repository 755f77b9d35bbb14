/*
 * The writable part of the ramfs: files the processes create.  The
 * initrd's files stay read-only (cap 0); a created file gets room in the
 * pool's spare pages, and more when it outgrows it: a new run twice as
 * large, the old one left behind (the pool's heap only grows; README.md).
 * Sizes and places change under the pool's lock.
 */
#include <exo/string.h>

#include "posix.h"

#define UMASK 022
#define WRITE_CHUNK 512

/* Take len bytes (page-rounded) of the pool's heap, mapped here: their
 * offset, or 0 if the pool is full.  Under the lock. */
static uint64_t
heap_take(uint64_t len)
{
	struct posix_pool *pool = proc.pool;
	uint64_t off = pool->heap;

	len = page_up(len);
	if (len > pool->npages * PAGE - off || !pool_map(off, len))
		return 0;
	pool->heap += len;
	return off;
}

/* Give f room for need bytes, moving it if it must: false if the pool
 * is full.  Under the lock. */
static bool
reserve_room(struct posix_rfile *f, uint64_t need)
{
	uint64_t cap = f->cap * 2, off;

	if (need <= f->cap)
		return pool_map(f->off, f->cap);
	if (cap < need)
		cap = need;
	off = heap_take(cap);
	if (!off || !pool_map(f->off, f->size))
		return false;
	memcpy((char *)proc.pool + off, (char *)proc.pool + f->off, f->size);
	f->off = off;
	f->cap = (uint32_t)page_up(cap);
	return true;
}

long
ramfs_create(const char *abs, uint64_t mode)
{
	struct posix_pool *pool = proc.pool;
	char parent[POSIX_PATH_MAX];
	uint64_t slash = strlen(abs);
	struct posix_rfile *f;
	uint32_t any;
	long r;

	if (slash >= POSIX_NAME_MAX)
		return -L_ENAMETOOLONG;
	while (slash > 0 && abs[slash] != '/')
		slash--;
	strlcpy(parent, abs, sizeof(parent));
	parent[slash ? slash : 1] = '\0';
	if (!fs_is_dir(parent, &any))
		return -L_ENOENT;
	pool_lock();
	r = -L_ENOSPC;
	if (ramfs_find(abs)) {
		r = -L_EEXIST; /* made meanwhile by another process */
	} else if (pool->nfiles < POSIX_NFILES) {
		f = &pool->files[pool->nfiles];
		memset(f, 0, sizeof(*f));
		strlcpy(f->name, abs, sizeof(f->name));
		f->mode = (uint32_t)(mode & 0777 & ~UMASK);
		f->off = heap_take(PAGE);
		f->cap = PAGE;
		if (f->off) {
			r = pool->nfiles;
			__atomic_store_n(&pool->nfiles, pool->nfiles + 1,
					 __ATOMIC_RELEASE);
		}
	}
	pool_unlock();
	return r;
}

void
ramfs_truncate(struct posix_rfile *f)
{
	pool_lock();
	f->size = 0;
	pool_unlock();
}

/* Put chunk[0..k) at the file's position (its end with O_APPEND):
 * false if the pool is full. */
static bool
put_bytes(struct posix_ofd *d, struct posix_rfile *f, const char *chunk,
	  uint64_t k)
{
	uint64_t pos;
	bool ok;

	pool_lock();
	pos = d->flags & L_O_APPEND ? f->size : d->off;
	ok = reserve_room(f, pos + k);
	if (ok) {
		char *data = (char *)proc.pool + f->off;

		if (pos > f->size)
			memset(data + f->size, 0, pos - f->size);
		memcpy(data + pos, chunk, k);
		if (pos + k > f->size)
			f->size = pos + k;
		d->off = pos + k;
	}
	pool_unlock();
	return ok;
}

long
file_write(struct posix_ofd *d, uint64_t ubuf, uint64_t n)
{
	struct posix_rfile *f = &proc.pool->files[d->obj % POSIX_NFILES];
	char chunk[WRITE_CHUNK];
	long done = 0;

	if (!f->cap)
		return -L_EBADF;
	while ((uint64_t)done < n) {
		uint64_t k = n - (uint64_t)done < WRITE_CHUNK
				     ? n - (uint64_t)done
				     : WRITE_CHUNK;

		if (copy_in(chunk, ubuf + (uint64_t)done, k) < 0)
			return done ? done : -L_EFAULT;
		if (!put_bytes(d, f, chunk, k))
			return done ? done : -L_ENOSPC;
		done += (long)k;
	}
	return done;
}
