/*
 * Opening paths: the ramfs's files and directories, and the
 * devices /dev/null, /dev/zero, /dev/console and /dev/tty.  Reading and
 * seeking files, and listing directories with getdents64.  The ramfs
 * keeps entries by full path; a directory's entries are the next
 * components of the paths below it.  /proc is procfs.c's.
 */
#include <exo/string.h>

#include "posix.h"
#include "sysnr.h"

#define DIRENT_HDR 19 /* d_ino, d_off, d_reclen, d_type */
/* getdents' cursor: ".", "..", "proc" (in the root), then the files */
#define DOT_ENTRIES 3

static const struct dev {
	const char *path;
	uint8_t kind;
	uint64_t rdev;
} devs[] = {
	{ "/dev/null", FD_NULL, 1 << 8 | 3 },
	{ "/dev/zero", FD_ZERO, 1 << 8 | 5 },
	{ "/dev/console", FD_CONSOLE, 5 << 8 | 1 },
	{ "/dev/tty", FD_CONSOLE, 5 << 8 | 0 },
};

bool
dev_find(const char *abs, uint8_t *kind, uint64_t *rdev)
{
	for (unsigned i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		if (strcmp(abs, devs[i].path))
			continue;
		*kind = devs[i].kind;
		*rdev = devs[i].rdev;
		return true;
	}
	return false;
}

bool
file_dir_path(const struct posix_ofd *d, char *out)
{
	const struct posix_rfile *f = &proc.pool->files[d->obj % POSIX_NFILES];
	uint32_t n = d->dirlen < POSIX_NAME_MAX ? d->dirlen : 0;

	if (!n) {
		strlcpy(out, "/", POSIX_PATH_MAX);
		return true;
	}
	if (!f->name[0])
		return false;
	if (ramfs_is_dir(f)) {
		strlcpy(out, f->name, POSIX_PATH_MAX);
		return true;
	}
	memcpy(out, f->name, n);
	out[n] = '\0';
	return true;
}

/* Open the directory abs into d: through its own entry, made now if
 * only the paths below it implied it, so the descriptor follows a
 * rename and sees the directory go; through a file below it if the
 * table is full. */
static long
open_dir(const char *abs, uint64_t flags, uint32_t file, struct posix_ofd *d)
{
	long i;

	if ((flags & L_O_ACCMODE) != L_O_RDONLY)
		return -L_EISDIR;
	i = strlen(abs) > 1 ? ramfs_dir_entry(abs) : -L_ENOSPC;
	d->kind = FD_DIR;
	d->obj = i >= 0 ? (uint32_t)i : file;
	d->dirlen = strlen(abs) > 1 ? (uint32_t)strlen(abs) : 0;
	return 0;
}

/* The descriptor for the normalised path abs opened with flags (mode
 * for a new file): 0 or an error.  The initrd's files cannot be
 * written. */
static long
open_path(const char *abs, uint64_t flags, uint64_t mode, struct posix_ofd *d)
{
	struct posix_rfile *f = (struct posix_rfile *)ramfs_find(abs);
	uint64_t acc = flags & L_O_ACCMODE, rdev;
	uint32_t file;
	long r;

	*d = (struct posix_ofd){ .flags = (uint32_t)flags &
					  (L_O_ACCMODE | L_O_APPEND |
					   L_O_NONBLOCK) };
	if (dev_find(abs, &d->kind, &rdev))
		return 0;
	if (procfs_path(abs))
		return procfs_open(abs, flags, d);
	if (fs_is_dir(abs, &file)) {
		if (flags & L_O_CREAT)
			return flags & L_O_EXCL ? -L_EEXIST : -L_EISDIR;
		return open_dir(abs, flags, file, d);
	}
	if (f) {
		if (flags & POSIX_O_DIRECTORY)
			return -L_ENOTDIR;
		if ((flags & L_O_CREAT) && (flags & L_O_EXCL))
			return -L_EEXIST;
		if ((acc != L_O_RDONLY || (flags & L_O_TRUNC)) && !f->cap)
			return -L_EROFS;
		if (flags & L_O_TRUNC)
			ramfs_truncate(f);
		d->kind = FD_FILE;
		d->obj = (uint32_t)(f - proc.pool->files);
		return 0;
	}
	if (!(flags & L_O_CREAT))
		return fs_missing(abs);
	r = ramfs_create(abs, mode);
	if (r < 0)
		return r;
	d->kind = FD_FILE;
	d->obj = (uint32_t)r;
	return 0;
}

/* openat(dirfd, path, flags, mode); /proc/<pid>/exe opens the
 * program's file. */
static long
do_open(int64_t dirfd, uint64_t upath, uint64_t flags, uint64_t mode)
{
	char abs[POSIX_PATH_MAX], target[POSIX_PATH_MAX];
	long r = fs_path_in(dirfd, upath, abs);
	struct posix_ofd d;

	if (!r && procfs_path(abs) && procfs_readlink(abs, target) > 0 &&
	    target[0] == '/')
		strlcpy(abs, target, sizeof(abs));
	if (!r)
		r = open_path(abs, flags, mode, &d);
	return r < 0 ? r : fd_install(&d, 0, flags & L_O_CLOEXEC);
}

POSIX_SYS(open)
{
	return do_open(L_AT_FDCWD, a[0], a[1], a[2]);
}

POSIX_SYS(openat)
{
	return do_open((int32_t)a[0], a[1], a[2], a[3]);
}

long
file_read(struct posix_ofd *d, uint64_t ubuf, uint64_t n)
{
	const struct posix_rfile *f = &proc.pool->files[d->obj % POSIX_NFILES];
	const char *data;

	if (d->kind == FD_DIR)
		return -L_EISDIR;
	if (d->kind == FD_PROC)
		return procfs_read(d, ubuf, n);
	if (d->off >= f->size)
		return 0;
	if (n > f->size - d->off)
		n = f->size - d->off;
	data = ramfs_data(f);
	if (!data)
		return -L_EIO;
	if (copy_out(ubuf, data + d->off, n) < 0)
		return -L_EFAULT;
	d->off += n;
	return (long)n;
}

long
file_lseek(struct posix_ofd *d, int64_t off, uint64_t whence)
{
	const struct posix_rfile *f = &proc.pool->files[d->obj % POSIX_NFILES];
	int64_t base;

	if (d->kind == FD_DIR || d->kind == FD_PROCDIR)
		return whence == L_SEEK_SET && !off ? (long)(d->off = 0)
						    : -L_EINVAL;
	if (d->kind == FD_PROC && whence == L_SEEK_END)
		return -L_EINVAL; /* its text has no size until read */
	switch (whence) {
	case L_SEEK_SET:
		base = 0;
		break;
	case L_SEEK_CUR:
		base = (int64_t)d->off;
		break;
	case L_SEEK_END:
		base = (int64_t)f->size;
		break;
	default:
		return -L_EINVAL;
	}
	if (base + off < 0)
		return -L_EINVAL;
	d->off = (uint64_t)(base + off);
	return (long)d->off;
}

/* The entry of the directory prefix[0..plen) that file i gives (its
 * next path component into name): false if i is not below it, or an
 * earlier file gave the same entry.  *dir says if it is a directory
 * (implied by a longer path, or an entry of its own). */
static bool
entry_of(const char *prefix, uint64_t plen, uint32_t i, char *name, bool *dir,
	 bool *link)
{
	const char *p = proc.pool->files[i].name;
	uint64_t n = 0;

	if (strncmp(p, prefix, plen) || p[plen] != '/')
		return false;
	p += plen + 1;
	while (p[n] && p[n] != '/')
		n++;
	memcpy(name, p, n);
	name[n] = '\0';
	*dir = p[n] == '/' || ramfs_is_dir(&proc.pool->files[i]);
	*link = p[n] != '/' &&
		(proc.pool->files[i].mode & L_S_IFMT) == L_S_IFLNK;
	for (uint32_t j = 0; j < i; j++) {
		const char *q = proc.pool->files[j].name;

		if (!strncmp(q, prefix, plen) && q[plen] == '/' &&
		    !strncmp(q + plen + 1, name, n) &&
		    (q[plen + 1 + n] == '/' || !q[plen + 1 + n]))
			return false;
	}
	return true;
}

bool
put_dirent(char *buf, uint64_t size, uint64_t *at, uint64_t ino, uint64_t next,
	   const char *name, uint8_t type)
{
	uint64_t len = strlen(name);
	uint16_t reclen = (uint16_t)((DIRENT_HDR + len + 1 + 7) & ~7ull);

	if (*at + reclen > size)
		return false;
	memset(buf + *at, 0, reclen);
	memcpy(buf + *at, &ino, 8);
	memcpy(buf + *at + 8, &next, 8);
	memcpy(buf + *at + 16, &reclen, 2);
	buf[*at + 18] = (char)type;
	memcpy(buf + *at + DIRENT_HDR, name, len);
	*at += reclen;
	return true;
}

/* getdents64(fd, buf, size): entries from the cursor on. */
POSIX_SYS(getdents64)
{
	static const char *const fixed[DOT_ENTRIES] = { ".", "..", "proc" };
	static char buf[4096];
	struct posix_ofd *d = fd_get(a[0]);
	char prefix[POSIX_PATH_MAX], name[POSIX_NAME_MAX];
	uint64_t size = a[2] < sizeof(buf) ? a[2] : sizeof(buf), at = 0;
	uint64_t plen;
	bool dir, link = false;

	if (!d)
		return -L_EBADF;
	if (d->kind == FD_PROCDIR)
		return procfs_getdents(d, a[1], a[2]);
	if (d->kind != FD_DIR)
		return -L_ENOTDIR;
	if (!file_dir_path(d, prefix))
		return 0; /* removed: no entries, not even . and .. */
	plen = strlen(prefix) > 1 ? strlen(prefix) : 0;
	for (; d->off < DOT_ENTRIES + proc.pool->nfiles &&
	       d->off < DOT_ENTRIES + POSIX_NFILES;
	     d->off++) {
		uint64_t i = d->off;

		if (i < DOT_ENTRIES) {
			if (i == 2 && plen)
				continue; /* /proc is only in the root */
			strlcpy(name, fixed[i], sizeof(name));
			dir = true;
		} else if (!entry_of(prefix, plen, (uint32_t)(i - DOT_ENTRIES),
				     name, &dir, &link)) {
			continue;
		}
		if (!put_dirent(buf, size, &at, 2 + i, i + 1, name,
				dir    ? L_DT_DIR
				: link ? L_DT_LNK
				       : L_DT_REG))
			break;
	}
	if (!at && d->off < DOT_ENTRIES + proc.pool->nfiles)
		return -L_EINVAL; /* the buffer cannot hold one entry */
	return copy_out(a[1], buf, at) < 0 ? -L_EFAULT : (long)at;
}
