/*
 * brk, mmap, munmap, mprotect: private memory, anonymous or a copy of a
 * ramfs file, on the regions of vm.c.  Anonymous pages get frames when
 * first touched.
 */
#include "posix.h"

#define PROT_ALL (L_PROT_READ | L_PROT_WRITE | L_PROT_EXEC)

/* [addr, addr + len) inside the program's part of the address space. */
static bool
in_area(uint64_t addr, uint64_t len)
{
	return addr >= EXO_USER_MIN && addr <= POSIX_AREA_END &&
	       len <= POSIX_AREA_END - addr;
}

/* brk(addr): move the end of the heap, which grows until it meets
 * another region; returns the (new or unchanged) end, as Linux does. */
POSIX_SYS(brk)
{
	uint64_t want = a[0], old_top = page_up(proc.brk_cur), top;

	if (want < proc.brk_start || want >= POSIX_MMAP_TOP)
		return (long)proc.brk_cur;
	top = page_up(want);
	if (top > old_top &&
	    (vm_any(old_top, top) ||
	     vm_protect(old_top, top, L_PROT_READ | L_PROT_WRITE) < 0))
		return (long)proc.brk_cur;
	if (top < old_top && vm_unmap(top, old_top) < 0)
		return (long)proc.brk_cur;
	proc.brk_cur = want;
	return (long)want;
}

/* Where a new mapping of len bytes goes: 0 if nowhere. */
static uint64_t
place(uint64_t hint, uint64_t len, uint64_t flags)
{
	if (flags & (L_MAP_FIXED | L_MAP_FIXED_NOREPLACE))
		return in_area(hint, len) ? hint : 0;
	hint = page_down(hint);
	if (hint && in_area(hint, len) && !vm_any(hint, hint + len))
		return hint;
	return vm_find_free(len);
}

/* The ramfs file a private file mapping of fd at off copies: it, or
 * NULL and *err (-EBADF, -ENODEV, -EACCES, -EINVAL). */
static const struct posix_rfile *
map_file(uint64_t fd, uint64_t off, long *err)
{
	const struct posix_ofd *d = fd_get(fd);

	*err = -L_EBADF;
	if (!d)
		return NULL;
	*err = -L_ENODEV;
	if (d->kind != FD_FILE)
		return NULL;
	*err = -L_EACCES;
	if ((d->flags & L_O_ACCMODE) == L_O_WRONLY)
		return NULL;
	*err = -L_EINVAL;
	if (off & (PAGE - 1))
		return NULL;
	return &proc.pool->files[d->obj % POSIX_NFILES];
}

/* Fill the new mapping [at, at + len) with file f's bytes from off (the
 * rest of the last page stays zero), then give it prot. */
static int
map_fill(uint64_t at, uint64_t len, const struct posix_rfile *f, uint64_t off,
	 unsigned prot)
{
	uint64_t n = off < f->size ? f->size - off : 0;
	const char *data = n ? ramfs_data(f) : NULL;
	int r = vm_protect(at, at + len, L_PROT_READ | L_PROT_WRITE);

	if (n > len)
		n = len;
	if (!r && n && (!data || copy_out(at, data + off, n) < 0))
		r = -L_ENOMEM;
	if (!r && n && (prot & L_PROT_EXEC))
		exo_sync_icache((const void *)(uintptr_t)at, n);
	if (!r)
		r = vm_protect(at, at + len, prot);
	if (r)
		vm_unmap(at, at + len);
	return r;
}

/* Where a new mapping of len bytes goes (*at), emptied of what was
 * there: 0, -ENOMEM or -EEXIST (MAP_FIXED_NOREPLACE over a mapping). */
static int
make_room(uint64_t hint, uint64_t len, uint64_t flags, uint64_t *at)
{
	*at = place(hint, len, flags);
	if (!*at)
		return -L_ENOMEM;
	if ((flags & L_MAP_FIXED_NOREPLACE) && !(flags & L_MAP_FIXED) &&
	    vm_any(*at, *at + len))
		return -L_EEXIST;
	return vm_unmap(*at, *at + len);
}

/* mmap of shared memory: anonymous only (the ramfs keeps no pages a
 * file mapping could share: -ENODEV). */
static long
map_shared(uint64_t hint, uint64_t len, uint64_t prot, uint64_t flags,
	   uint64_t fd)
{
	uint64_t at, off;
	long shm;
	int r;

	if (!(flags & L_MAP_ANONYMOUS))
		return fd_get(fd) ? -L_ENODEV : -L_EBADF;
	r = make_room(hint, len, flags, &at);
	if (r < 0)
		return r;
	shm = shm_create(len / PAGE, &off);
	if (shm < 0)
		return shm;
	r = vm_map_shared(at, at + len, (unsigned)prot, (int)shm, off);
	if (r < 0) {
		vm_unmap(at, at + len); /* and lets go of the run */
		return r;
	}
	return (long)at;
}

/*
 * mmap(addr, len, prot, flags, fd, off): private mappings, anonymous or
 * of a ramfs file, and shared anonymous ones.  A file's bytes are copied in at once: a private
 * mapping never sees later writes to the file, which POSIX allows, and
 * the ramfs has no page cache to share frames from.
 */
POSIX_SYS(mmap)
{
	uint64_t len = page_up(a[1]), prot = a[2], flags = a[3], at;
	const struct posix_rfile *file = NULL;
	long err;
	int r;

	if (!a[1] || !len || (prot & ~(uint64_t)PROT_ALL) ||
	    (a[0] & (PAGE - 1) &&
	     flags & (L_MAP_FIXED | L_MAP_FIXED_NOREPLACE)))
		return -L_EINVAL;
	if ((flags & L_MAP_TYPE) == L_MAP_SHARED ||
	    (flags & L_MAP_TYPE) == L_MAP_SHARED_VALIDATE)
		return map_shared(a[0], len, prot, flags, a[4]);
	if ((flags & L_MAP_TYPE) != L_MAP_PRIVATE)
		return -L_EINVAL;
	if (!(flags & L_MAP_ANONYMOUS) && !(file = map_file(a[4], a[5], &err)))
		return err;
	r = make_room(a[0], len, flags, &at);
	if (!r && file)
		r = map_fill(at, len, file, a[5], (unsigned)prot);
	else if (!r)
		r = vm_protect(at, at + len, (unsigned)prot);
	return r < 0 ? r : (long)at;
}

POSIX_SYS(munmap)
{
	uint64_t len = page_up(a[1]);

	if ((a[0] & (PAGE - 1)) || !a[1] || !len || !in_area(a[0], len))
		return -L_EINVAL;
	return vm_unmap(a[0], a[0] + len);
}

POSIX_SYS(mprotect)
{
	uint64_t len = page_up(a[1]);

	if ((a[0] & (PAGE - 1)) || (a[2] & ~(uint64_t)PROT_ALL) ||
	    (a[1] && !len))
		return -L_EINVAL;
	if (!len)
		return 0;
	if (!in_area(a[0], len) || !vm_all(a[0], a[0] + len))
		return -L_ENOMEM;
	return vm_protect(a[0], a[0] + len, (unsigned)a[2]);
}
