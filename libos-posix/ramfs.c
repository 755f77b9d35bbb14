/*
 * The writable part of the ramfs: the entries the processes make (files
 * and directories) and the files' bytes.  The initrd's files stay
 * read-only (cap 0); a created file gets room in the pool's spare pages,
 * and more when it outgrows it: a new run twice as large, the old one
 * left behind (the pool's heap only grows; README.md).  A slot freed by
 * unlink (dir.c) is taken again, with its room, once no open file
 * description names it.  Names, sizes and places change under the
 * pool's lock.
 */
#include <exo/string.h>

#include "posix.h"

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

bool
ramfs_is_dir(const struct posix_rfile *f)
{
	return (f->mode & L_S_IFMT) == L_S_IFDIR;
}

bool
ramfs_in_use(uint32_t i)
{
	for (uint32_t o = 0; o < POSIX_NOFD; o++) {
		const struct posix_ofd *d = &proc.pool->ofds[o];

		if (d->refs && d->obj == i &&
		    (d->kind == FD_FILE || d->kind == FD_DIR))
			return true;
	}
	return false;
}

/* A slot for a new entry: a free one no description still names (its
 * room kept), or the next unused one; NULL if the table is full.
 * Under the lock. */
static struct posix_rfile *
slot_take(void)
{
	struct posix_pool *pool = proc.pool;
	uint32_t n = pool->nfiles < POSIX_NFILES ? pool->nfiles : POSIX_NFILES;

	for (uint32_t i = 0; i < n; i++)
		if (!pool->files[i].name[0] && !ramfs_in_use(i))
			return &pool->files[i];
	if (n == POSIX_NFILES)
		return NULL;
	memset(&pool->files[n], 0, sizeof(pool->files[n]));
	return &pool->files[n];
}

/* Enter slot f as abs with mode; a file gets a page of room unless the
 * slot kept some.  Its index, or -ENOSPC.  Under the lock. */
static long
slot_fill(struct posix_rfile *f, const char *abs, uint32_t mode)
{
	struct posix_pool *pool = proc.pool;
	uint32_t i = (uint32_t)(f - pool->files);

	if ((mode & L_S_IFMT) != L_S_IFDIR && !f->cap) {
		f->off = heap_take(PAGE);
		if (!f->off)
			return -L_ENOSPC;
		f->cap = PAGE;
	}
	strlcpy(f->name, abs, sizeof(f->name));
	f->size = 0;
	f->mode = mode;
	f->mtime = (uint64_t)exo_clock_ns();
	if (i == pool->nfiles)
		__atomic_store_n(&pool->nfiles, i + 1, __ATOMIC_RELEASE);
	return i;
}

long
ramfs_add(const char *abs, uint32_t mode)
{
	char parent[POSIX_PATH_MAX];
	struct posix_rfile *f;
	uint32_t any;
	long r;

	if (strlen(abs) >= POSIX_NAME_MAX)
		return -L_ENAMETOOLONG;
	fs_dirname(abs, parent);
	if (!fs_is_dir(parent, &any))
		return fs_missing(abs);
	pool_lock();
	r = -L_EEXIST; /* made meanwhile by another process */
	if (!ramfs_find(abs) && !fs_is_dir(abs, &any)) {
		f = slot_take();
		r = f ? slot_fill(f, abs, mode) : -L_ENOSPC;
	}
	pool_unlock();
	return r;
}

long
ramfs_create(const char *abs, uint64_t mode)
{
	return ramfs_add(abs,
			 L_S_IFREG | ((uint32_t)mode & 0777 & ~proc.umask));
}

long
ramfs_dir_entry(const char *abs)
{
	const struct posix_rfile *f;
	struct posix_rfile *slot;
	long r;

	pool_lock();
	f = ramfs_find(abs);
	if (f) {
		r = ramfs_is_dir(f) ? f - proc.pool->files : -L_ENOTDIR;
	} else {
		slot = slot_take();
		r = slot ? slot_fill(slot, abs, L_S_IFDIR | 0755) : -L_ENOSPC;
	}
	pool_unlock();
	return r;
}

void
ramfs_truncate(struct posix_rfile *f)
{
	pool_lock();
	f->size = 0;
	f->mtime = (uint64_t)exo_clock_ns();
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
		f->mtime = (uint64_t)exo_clock_ns();
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

	if (!f->cap || ramfs_is_dir(f))
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
