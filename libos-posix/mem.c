/*
 * brk, mmap, munmap, mprotect: anonymous private memory, on the regions
 * of vm.c.  Pages get frames when first touched.
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

/* mmap(addr, len, prot, flags, fd, off): anonymous, private. */
POSIX_SYS(mmap)
{
	uint64_t len = page_up(a[1]), prot = a[2], flags = a[3], at;
	int r;

	if (!a[1] || !len || (prot & ~(uint64_t)PROT_ALL) ||
	    (a[0] & (PAGE - 1) &&
	     flags & (L_MAP_FIXED | L_MAP_FIXED_NOREPLACE)))
		return -L_EINVAL;
	if ((flags & L_MAP_TYPE) != L_MAP_PRIVATE)
		return -L_EINVAL; /* shared memory comes with fork */
	if (!(flags & L_MAP_ANONYMOUS))
		return fd_get(a[4]) ? -L_ENODEV : -L_EBADF;
	at = place(a[0], len, flags);
	if (!at)
		return -L_ENOMEM;
	if ((flags & L_MAP_FIXED_NOREPLACE) && !(flags & L_MAP_FIXED) &&
	    vm_any(at, at + len))
		return -L_EEXIST;
	r = vm_unmap(at, at + len);
	if (!r)
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
