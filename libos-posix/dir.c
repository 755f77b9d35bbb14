/*
 * Names in the ramfs: mkdir, rmdir, unlink, rename, umask and access.
 * An entry is a full path in the pool's file table, so removing one
 * frees its slot (a file still open keeps its slot and bytes until its
 * last description goes) and renaming a directory renames every path
 * below it.  The initrd's files are read-only, but their names are
 * names like any other: they may be unlinked and renamed.  /proc and
 * the devices cannot be changed.
 */
#include <exo/string.h>

#include "posix.h"

#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS 0x200
#define RENAME_NOREPLACE 1
#define F_OK 0
#define X_OK 1
#define W_OK 2

/* Is abs /proc's or a device's (names this file system does not own)? */
static bool
foreign(const char *abs)
{
	uint8_t kind;
	uint64_t rdev;

	return procfs_path(abs) || dev_find(abs, &kind, &rdev);
}

/* Does any entry lie below the directory abs? */
static bool
has_children(const char *abs)
{
	uint64_t n = strlen(abs);

	for (uint32_t i = 0; i < proc.pool->nfiles && i < POSIX_NFILES; i++) {
		const char *name = proc.pool->files[i].name;

		if (!strncmp(name, abs, n) && name[n] == '/')
			return true;
	}
	return false;
}

/* Before a name leaves the directory of abs: give that directory an
 * entry of its own if only its paths implied it, so it outlives its
 * last file.  0 or -ENOSPC. */
static long
keep_parent(const char *abs)
{
	char parent[POSIX_PATH_MAX];
	long r;

	fs_dirname(abs, parent);
	if (!strcmp(parent, "/"))
		return 0;
	r = ramfs_dir_entry(parent);
	return r < 0 ? r : 0;
}

/* Forget entry f (under the lock): its slot is free once no
 * description names it. */
static void
drop_entry(struct posix_rfile *f)
{
	if ((f->mode & L_S_IFMT) == L_S_IFLNK)
		proc.pool->nlinks--;
	f->name[0] = '\0';
	f->mode = 0;
}

/* mkdirat(dirfd, path, mode) */
static long
do_mkdir(int64_t dirfd, uint64_t upath, uint64_t mode)
{
	char abs[POSIX_PATH_MAX];
	struct kstat st;
	long r = fs_path_in_link(dirfd, upath, abs);

	if (r < 0)
		return r;
	if (!fs_stat(abs, &st))
		return -L_EEXIST;
	if (procfs_path(abs))
		return -L_ENOENT;
	r = ramfs_add(abs, L_S_IFDIR | ((uint32_t)mode & 0777 & ~proc.umask));
	return r < 0 ? r : 0;
}

POSIX_SYS(mkdir)
{
	return do_mkdir(L_AT_FDCWD, a[0], a[1]);
}

POSIX_SYS(mkdirat)
{
	return do_mkdir((int32_t)a[0], a[1], a[2]);
}

/* Remove the name abs: a file, or with dir an empty directory. */
static long
remove_name(const char *abs, bool dir)
{
	struct posix_rfile *f;
	uint32_t any;
	long r;

	if (foreign(abs))
		return -L_EPERM;
	if (!strcmp(abs, "/"))
		return dir ? -L_EBUSY : -L_EISDIR;
	f = (struct posix_rfile *)ramfs_find(abs);
	if (!f && !fs_is_dir(abs, &any))
		return fs_missing(abs);
	if (dir && f && !ramfs_is_dir(f))
		return -L_ENOTDIR;
	if (!dir && (!f || ramfs_is_dir(f)))
		return -L_EISDIR;
	if (dir && has_children(abs))
		return -L_ENOTEMPTY;
	r = keep_parent(abs);
	if (r < 0)
		return r;
	pool_lock();
	if (f)
		drop_entry(f);
	pool_unlock();
	return 0;
}

/* unlinkat(dirfd, path, flags): AT_REMOVEDIR makes it rmdir. */
static long
do_unlink(int64_t dirfd, uint64_t upath, uint64_t flags)
{
	char abs[POSIX_PATH_MAX];
	long r;

	if (flags & ~(uint64_t)AT_REMOVEDIR)
		return -L_EINVAL;
	r = fs_path_in_link(dirfd, upath, abs);
	return r < 0 ? r : remove_name(abs, flags & AT_REMOVEDIR);
}

POSIX_SYS(unlink)
{
	return do_unlink(L_AT_FDCWD, a[0], 0);
}

POSIX_SYS(unlinkat)
{
	return do_unlink((int32_t)a[0], a[1], a[2]);
}

POSIX_SYS(rmdir)
{
	return do_unlink(L_AT_FDCWD, a[0], AT_REMOVEDIR);
}

/* Rename every path at or below from to start with to instead, if
 * move (under the lock); else only check that they would fit: 0 or
 * -ENAMETOOLONG. */
static long
move_tree(const char *from, const char *to, bool move)
{
	uint64_t n = strlen(from), m = strlen(to);
	struct posix_rfile *files = proc.pool->files;

	for (uint32_t i = 0; i < proc.pool->nfiles && i < POSIX_NFILES; i++) {
		char *name = files[i].name;

		if (strncmp(name, from, n) || (name[n] != '/' && name[n]))
			continue;
		if (strlen(name) - n + m >= POSIX_NAME_MAX)
			return -L_ENAMETOOLONG;
		if (!move)
			continue;
		memmove(name + m, name + n, strlen(name) - n + 1);
		memcpy(name, to, m);
	}
	return 0;
}

/* Check that from may become to (both existing names' kinds known):
 * 0, or the error rename returns; *replace says to goes first. */
static long
check_rename(const char *from, const char *to, bool from_dir, uint64_t flags,
	     bool *replace)
{
	char parent[POSIX_PATH_MAX];
	struct kstat st;
	uint64_t n = strlen(from);
	bool to_dir;

	*replace = false;
	if (!strcmp(from, "/") || !strcmp(to, "/"))
		return -L_EBUSY;
	if (from_dir && !strncmp(to, from, n) && to[n] == '/')
		return -L_EINVAL; /* a directory into itself */
	fs_dirname(to, parent);
	if (fs_stat(parent, &st) < 0)
		return fs_missing(to);
	if ((st.mode & L_S_IFMT) != L_S_IFDIR)
		return -L_ENOTDIR;
	if (strlen(to) >= POSIX_NAME_MAX)
		return -L_ENAMETOOLONG;
	if (fs_stat(to, &st) < 0)
		return 0;
	if (flags & RENAME_NOREPLACE)
		return -L_EEXIST;
	to_dir = (st.mode & L_S_IFMT) == L_S_IFDIR;
	if (from_dir && !to_dir)
		return -L_ENOTDIR;
	if (!from_dir && to_dir)
		return -L_EISDIR;
	if (to_dir && has_children(to))
		return -L_ENOTEMPTY;
	*replace = true;
	return 0;
}

/* renameat2(olddirfd, oldpath, newdirfd, newpath, flags) */
static long
do_rename(int64_t odirfd, uint64_t uold, int64_t ndirfd, uint64_t unew,
	  uint64_t flags)
{
	char from[POSIX_PATH_MAX], to[POSIX_PATH_MAX];
	struct posix_rfile *f;
	bool replace;
	struct kstat st;
	long r;

	if (flags & ~(uint64_t)RENAME_NOREPLACE)
		return -L_EINVAL;
	r = fs_path_in_link(odirfd, uold, from);
	if (!r)
		r = fs_path_in_link(ndirfd, unew, to);
	if (!r)
		r = fs_stat(from, &st);
	if (r < 0)
		return r;
	if (foreign(from) || foreign(to))
		return -L_EXDEV;
	if (!strcmp(from, to))
		return flags & RENAME_NOREPLACE ? -L_EEXIST : 0;
	r = check_rename(from, to, (st.mode & L_S_IFMT) == L_S_IFDIR, flags,
			 &replace);
	if (!r)
		r = keep_parent(from);
	if (r < 0)
		return r;
	pool_lock();
	r = move_tree(from, to, false);
	f = (struct posix_rfile *)ramfs_find(to);
	if (!r && replace && f)
		drop_entry(f);
	if (!r)
		move_tree(from, to, true);
	pool_unlock();
	return r;
}

POSIX_SYS(rename)
{
	return do_rename(L_AT_FDCWD, a[0], L_AT_FDCWD, a[1], 0);
}

POSIX_SYS(renameat)
{
	return do_rename((int32_t)a[0], a[1], (int32_t)a[2], a[3], 0);
}

POSIX_SYS(renameat2)
{
	return do_rename((int32_t)a[0], a[1], (int32_t)a[2], a[3], a[4]);
}

/* umask(mask): the old mask. */
POSIX_SYS(umask)
{
	uint32_t old = proc.umask;

	proc.umask = (uint32_t)a[0] & 0777;
	return old;
}

/* faccessat2(dirfd, path, mode, flags) for root: reading and writing
 * are allowed but for writing the initrd's files (-EROFS) and /proc's
 * (-EACCES); executing needs an x bit on a file. */
static long
do_access(int64_t dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
	char abs[POSIX_PATH_MAX];
	const struct posix_rfile *f;
	struct kstat st;
	long r;

	if (mode & ~(uint64_t)(X_OK | W_OK | 4) ||
	    flags & ~(uint64_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW |
				L_AT_EMPTY_PATH))
		return -L_EINVAL;
	r = fs_path_in(dirfd, upath, abs);
	if (!r)
		r = fs_stat(abs, &st);
	if (r < 0 || mode == F_OK)
		return r;
	f = ramfs_find(abs);
	if ((mode & W_OK) && f && !f->cap && !ramfs_is_dir(f))
		return -L_EROFS;
	if ((mode & W_OK) && procfs_path(abs))
		return -L_EACCES;
	if ((mode & X_OK) && (st.mode & L_S_IFMT) != L_S_IFDIR &&
	    !(st.mode & 0111))
		return -L_EACCES;
	return 0;
}

POSIX_SYS(access)
{
	return do_access(L_AT_FDCWD, a[0], a[1], 0);
}

POSIX_SYS(faccessat)
{
	return do_access((int32_t)a[0], a[1], a[2], 0);
}

POSIX_SYS(faccessat2)
{
	return do_access((int32_t)a[0], a[1], a[2], a[3]);
}

/* The ramfs entry fd names (a file, or a directory's own entry), for
 * fchmod and fchown: it, or NULL with *err. */
static struct posix_rfile *
entry_of_fd(uint64_t fd, long *err)
{
	const struct posix_ofd *d = fd_get(fd);
	char abs[POSIX_PATH_MAX];

	*err = -L_EBADF;
	if (!d)
		return NULL;
	*err = -L_EPERM;
	if (d->kind == FD_FILE)
		return &proc.pool->files[d->obj % POSIX_NFILES];
	if (d->kind != FD_DIR || !file_dir_path(d, abs) || !strcmp(abs, "/"))
		return NULL;
	return (struct posix_rfile *)ramfs_find(abs);
}

/* The ramfs entry of the path (relative to dirfd), for chmod and
 * chown: a directory only implied by its paths gets one.  NULL with
 * *err if there is none. */
static struct posix_rfile *
entry_of_path(int64_t dirfd, uint64_t upath, long *err)
{
	char abs[POSIX_PATH_MAX];
	struct posix_rfile *f;
	struct kstat st;
	long i;

	*err = fs_path_in(dirfd, upath, abs);
	if (!*err)
		*err = fs_stat(abs, &st);
	if (*err < 0)
		return NULL;
	*err = -L_EPERM;
	f = (struct posix_rfile *)ramfs_find(abs);
	if (f || foreign(abs) || !strcmp(abs, "/"))
		return f;
	i = ramfs_dir_entry(abs);
	*err = i;
	return i < 0 ? NULL : &proc.pool->files[i];
}

/* Set f's permission bits (the type stays). */
static long
set_mode(struct posix_rfile *f, long err, uint64_t mode)
{
	if (!f)
		return err;
	pool_lock();
	f->mode = (f->mode & ~07777u) | ((uint32_t)mode & 07777);
	pool_unlock();
	return 0;
}

POSIX_SYS(fchmod)
{
	long err;
	struct posix_rfile *e = entry_of_fd(a[0], &err);

	return set_mode(e, err, a[1]);
}

POSIX_SYS(chmod)
{
	long err;
	struct posix_rfile *e = entry_of_path(L_AT_FDCWD, a[0], &err);

	return set_mode(e, err, a[1]);
}

/* fchmodat(dirfd, path, mode) */
POSIX_SYS(fchmodat)
{
	long err;
	struct posix_rfile *e = entry_of_path((int32_t)a[0], a[1], &err);

	return set_mode(e, err, a[2]);
}

/* Every file belongs to root and nothing records another owner: a
 * change to root (or -1, no change) succeeds, any other is -EPERM. */
static long
set_owner(long err, uint64_t uid, uint64_t gid)
{
	if (err < 0)
		return err;
	if (((uint32_t)uid && (uint32_t)uid != ~0u) ||
	    ((uint32_t)gid && (uint32_t)gid != ~0u))
		return -L_EPERM;
	return 0;
}

/* Whether the path (relative to dirfd) exists: 0 or its error. */
static long
path_err(int64_t dirfd, uint64_t upath)
{
	char abs[POSIX_PATH_MAX];
	struct kstat st;
	long r = fs_path_in(dirfd, upath, abs);

	return r < 0 ? r : fs_stat(abs, &st);
}

POSIX_SYS(fchown)
{
	return set_owner(fd_get(a[0]) ? 0 : -L_EBADF, a[1], a[2]);
}

POSIX_SYS(chown)
{
	return set_owner(path_err(L_AT_FDCWD, a[0]), a[1], a[2]);
}

POSIX_SYS(lchown)
{
	return set_owner(path_err(L_AT_FDCWD, a[0]), a[1], a[2]);
}

/* fchownat(dirfd, path, uid, gid, flags) */
POSIX_SYS(fchownat)
{
	if (a[4] & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH))
		return -L_EINVAL;
	if ((a[4] & L_AT_EMPTY_PATH) && fd_get(a[0]))
		return set_owner(0, a[2], a[3]);
	return set_owner(path_err((int32_t)a[0], a[1]), a[2], a[3]);
}

#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)

/* The entry a path (or, with no path, descriptor dirfd) names, made for
 * a directory only its files' paths imply: its index, or an error. */
static long
entry_of(int64_t dirfd, uint64_t upath)
{
	char abs[POSIX_PATH_MAX];
	const struct posix_rfile *f;
	const struct posix_ofd *d;
	uint32_t any;
	long r;

	if (!upath) {
		d = fd_get((uint64_t)dirfd);
		if (!d)
			return -L_EBADF;
		if (d->kind == FD_FILE)
			return d->obj % POSIX_NFILES;
		if (d->kind != FD_DIR)
			return -L_EROFS;
		file_dir_path(d, abs);
	} else if ((r = fs_path_in(dirfd, upath, abs)) < 0) {
		return r;
	}
	if (foreign(abs))
		return -L_EROFS;
	f = ramfs_find(abs);
	if (f)
		return f - proc.pool->files;
	if (!strcmp(abs, "/") || !fs_is_dir(abs, &any))
		return !strcmp(abs, "/") ? -L_EROFS : fs_missing(abs);
	return ramfs_dir_entry(abs);
}

/*
 * utimensat(dirfd, path or NULL, times[2] or NULL, flags).  The ramfs
 * keeps one time per file, its last change, which stat reports as all
 * three: the modification time given (times[1]) sets it and the access
 * time is not kept.  The root directory has no entry to keep one in
 * (-EROFS), as /proc and the devices do not.
 */
POSIX_SYS(utimensat)
{
	struct l_timespec ts[2];
	uint64_t mtime = (uint64_t)exo_clock_ns();
	bool omit = false;
	long i;

	if (a[3] & ~(uint64_t)AT_SYMLINK_NOFOLLOW)
		return -L_EINVAL;
	if (a[2]) {
		if (copy_in(ts, a[2], sizeof(ts)) < 0)
			return -L_EFAULT;
		for (int k = 0; k < 2; k++)
			if (ts[k].tv_nsec != UTIME_NOW &&
			    ts[k].tv_nsec != UTIME_OMIT &&
			    (ts[k].tv_nsec < 0 || ts[k].tv_nsec >= 1000000000))
				return -L_EINVAL;
		omit = ts[1].tv_nsec == UTIME_OMIT;
		if (!omit && ts[1].tv_nsec != UTIME_NOW)
			mtime = ts[1].tv_sec < 0
					? 0
					: (uint64_t)ts[1].tv_sec * 1000000000 +
						  (uint64_t)ts[1].tv_nsec;
	}
	i = entry_of((int32_t)a[0], a[1]);
	if (i < 0 || omit)
		return i < 0 ? i : 0;
	pool_lock();
	proc.pool->files[i].mtime = mtime;
	pool_unlock();
	return 0;
}

#define RAMFS_MAGIC 0x858458f6u
#define PROC_SUPER_MAGIC 0x9fa0u

/* struct statfs: the same 64-bit layout on both arches. */
struct l_statfs {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};

_Static_assert(sizeof(struct l_statfs) == 120, "struct statfs");

/* What statfs says of the file system abs is on: the ramfs (the pool's
 * pages and file slots, with what is left of them) or /proc. */
static long
statfs_out(const char *abs, uint64_t ubuf)
{
	const struct posix_pool *pool = proc.pool;
	struct l_statfs sf = { .bsize = PAGE, .frsize = PAGE };
	uint32_t used = 0;

	if (procfs_path(abs)) {
		sf.type = PROC_SUPER_MAGIC;
		sf.namelen = 255;
		return copy_out(ubuf, &sf, sizeof(sf));
	}
	for (uint32_t i = 0; i < pool->nfiles && i < POSIX_NFILES; i++)
		used += pool->files[i].name[0] != '\0';
	sf.type = RAMFS_MAGIC;
	sf.blocks = pool->npages;
	sf.bfree = sf.bavail = pool->npages - page_up(pool->heap) / PAGE;
	sf.files = POSIX_NFILES;
	sf.ffree = POSIX_NFILES - used;
	sf.namelen = POSIX_NAME_MAX - 1;
	return copy_out(ubuf, &sf, sizeof(sf));
}

/* statfs(path, buf) */
POSIX_SYS(statfs)
{
	char abs[POSIX_PATH_MAX];
	struct kstat st;
	long r = fs_path_in(L_AT_FDCWD, a[0], abs);

	if (r < 0)
		return r;
	r = fs_stat(abs, &st);
	if (r < 0 && procfs_stat(abs, true, &st) < 0)
		return r;
	return statfs_out(abs, a[1]);
}

/* fstatfs(fd, buf) */
POSIX_SYS(fstatfs)
{
	const struct posix_ofd *d = fd_get(a[0]);

	if (!d)
		return -L_EBADF;
	return statfs_out(d->kind == FD_PROC || d->kind == FD_PROCDIR ? "/proc"
								      : "/",
			  a[1]);
}

/* getgroups(size, list): nobody has supplementary groups. */
POSIX_SYS(getgroups)
{
	return (int32_t)a[0] < 0 ? -L_EINVAL : 0;
}

/* symlinkat(target, dirfd, path): a ramfs entry of its own holding
 * target as it is given (resolved only when followed). */
static long
do_symlink(uint64_t utarget, int64_t dirfd, uint64_t upath)
{
	char target[POSIX_PATH_MAX], abs[POSIX_PATH_MAX];
	struct posix_rfile *f;
	struct kstat st;
	long len = copy_in_str(target, utarget, sizeof(target)), i;

	if (len < 0)
		return len == -L_ERANGE ? -L_ENAMETOOLONG : len;
	if (!len)
		return -L_ENOENT;
	i = fs_path_in_link(dirfd, upath, abs);
	if (i < 0)
		return i;
	if (!fs_stat(abs, &st) || foreign(abs))
		return -L_EEXIST;
	i = ramfs_add(abs, L_S_IFLNK | 0777);
	if (i < 0)
		return i;
	f = &proc.pool->files[i];
	pool_lock();
	proc.pool->nlinks++;
	if (pool_map(f->off, f->cap)) {
		memcpy((char *)proc.pool + f->off, target, (uint64_t)len);
		f->size = (uint64_t)len;
	} else {
		drop_entry(f);
		i = -L_ENOSPC;
	}
	pool_unlock();
	return i < 0 ? i : 0;
}

POSIX_SYS(symlinkat)
{
	return do_symlink(a[0], (int32_t)a[1], a[2]);
}

POSIX_SYS(symlink)
{
	return do_symlink(a[0], L_AT_FDCWD, a[1]);
}

long
ramfs_readlink(const char *abs, char *target)
{
	const struct posix_rfile *f = ramfs_find(abs);
	const char *data;

	if (!f || (f->mode & L_S_IFMT) != L_S_IFLNK)
		return -L_EINVAL;
	data = ramfs_data(f);
	if (!data)
		return -L_EIO;
	memcpy(target, data, f->size);
	target[f->size] = '\0';
	return (long)f->size;
}
