/*
 * Paths over the ramfs: the working directory, name resolution, and
 * what stat says.  The ramfs holds entries by full path; a directory is
 * an entry of its own (mkdir's, or one made when it is opened) or any
 * proper prefix of an entry's path (the initrd's), and the root.
 */
#include <exo/string.h>

#include "posix.h"

#define RAMFS_DEV 0x2a

/* Append the component c[0..n) to the normalised path p (length *len);
 * "." and ".." are taken care of.  false if it does not fit. */
static bool
push_component(char *p, uint64_t *len, const char *c, uint64_t n)
{
	if (n == 1 && c[0] == '.')
		return true;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 1 && p[*len - 1] != '/')
			(*len)--;
		if (*len > 1)
			(*len)--;
		p[*len] = '\0';
		return true;
	}
	if (*len + 1 + n >= POSIX_PATH_MAX)
		return false;
	if (*len > 1)
		p[(*len)++] = '/';
	memcpy(p + *len, c, n);
	*len += n;
	p[*len] = '\0';
	return true;
}

#define LINK_HOPS 40 /* Linux's MAXSYMLINKS */

/* The ramfs's symbolic link at the normalised path abs, or NULL. */
static const struct posix_rfile *
link_at(const char *abs)
{
	const struct posix_rfile *f = ramfs_find(abs);

	return f && (f->mode & L_S_IFMT) == L_S_IFLNK ? f : NULL;
}

/* Replace the link f, which the first n bytes of abs name, by its
 * target (relative to the link's directory unless absolute), keeping
 * the rest of abs: 0, -ENAMETOOLONG or -EIO (its bytes cannot be
 * mapped). */
static long
splice(char *abs, uint64_t n, const struct posix_rfile *f)
{
	char path[POSIX_PATH_MAX], rest[POSIX_PATH_MAX];
	const char *target = ramfs_data(f);
	uint64_t len = 0;

	if (!target)
		return -L_EIO;
	strlcpy(rest, abs + n, sizeof(rest));
	if (target[0] != '/') {
		while (n > 1 && abs[n - 1] != '/')
			n--;
		len = n;
		memcpy(path, abs, len);
	}
	if (len + f->size + strlen(rest) + 2 >= POSIX_PATH_MAX)
		return -L_ENAMETOOLONG;
	memcpy(path + len, target, f->size);
	len += f->size;
	path[len] = '/';
	strlcpy(path + len + 1, rest, sizeof(path) - len - 1);
	return fs_normalise(path, abs);
}

/*
 * Follow the symbolic links along the normalised path abs, in place:
 * every component's, and the last one's if last.  0, -ELOOP after
 * LINK_HOPS links, or an error of splice.  Free when the ramfs holds no
 * link, which is the common case (the lookups are linear).
 */
static long
follow(char *abs, bool last)
{
	unsigned hops = 0;

	while (proc.pool->nlinks) {
		uint64_t n = strlen(abs), i;
		const struct posix_rfile *f = NULL;

		for (i = 2; i <= n && !f; i++) {
			char c = abs[i];

			if ((c && c != '/') || (!c && !last))
				continue;
			abs[i] = '\0';
			f = link_at(abs);
			abs[i] = c;
		}
		if (!f)
			return 0;
		if (++hops > LINK_HOPS)
			return -L_ELOOP;
		if (splice(abs, i - 1, f) < 0)
			return -L_ENAMETOOLONG;
	}
	return 0;
}

/* Append path's components to the normalised path out: 0 or
 * -ENAMETOOLONG. */
static long
push_path(char *out, const char *path)
{
	uint64_t len = strlen(out);

	while (*path) {
		const char *end = path;

		while (*end && *end != '/')
			end++;
		if (end > path &&
		    !push_component(out, &len, path, (uint64_t)(end - path)))
			return -L_ENAMETOOLONG;
		path = *end ? end + 1 : end;
	}
	return 0;
}

long
fs_normalise(const char *path, char *out)
{
	strlcpy(out, "/", POSIX_PATH_MAX);
	return push_path(out, path);
}

/* fs_resolve, the last component not followed. */
static long
resolve(int64_t dirfd, const char *path, char *out, bool last)
{
	long r = fs_resolve_at(dirfd, path, out);

	return r < 0 ? r : follow(out, last);
}

long
fs_resolve(int64_t dirfd, const char *path, char *out)
{
	return resolve(dirfd, path, out, true);
}

long
fs_resolve_link(int64_t dirfd, const char *path, char *out)
{
	return resolve(dirfd, path, out, false);
}

long
fs_resolve_at(int64_t dirfd, const char *path, char *out)
{
	if (!path[0])
		return -L_ENOENT;
	if (path[0] == '/') {
		strlcpy(out, "/", POSIX_PATH_MAX);
	} else if (dirfd == L_AT_FDCWD) {
		strlcpy(out, proc.cwd, POSIX_PATH_MAX);
	} else {
		const struct posix_ofd *d = fd_get((uint64_t)dirfd);

		if (!d)
			return -L_EBADF;
		if (d->kind == FD_PROCDIR)
			procfs_dir_path(d, out);
		else if (d->kind != FD_DIR)
			return -L_ENOTDIR;
		else if (!file_dir_path(d, out))
			return -L_ENOENT;
	}
	return push_path(out, path);
}

/* The program's path at upath, resolved (the last link followed if
 * last). */
static long
path_in(int64_t dirfd, uint64_t upath, char *abs, bool last)
{
	char path[POSIX_PATH_MAX];
	long r = copy_in_str(path, upath, sizeof(path));

	if (r < 0)
		return r == -L_ERANGE ? -L_ENAMETOOLONG : r;
	return resolve(dirfd, path, abs, last);
}

long
fs_path_in(int64_t dirfd, uint64_t upath, char *abs)
{
	return path_in(dirfd, upath, abs, true);
}

long
fs_path_in_link(int64_t dirfd, uint64_t upath, char *abs)
{
	return path_in(dirfd, upath, abs, false);
}

void
fs_dirname(const char *abs, char *out)
{
	uint64_t slash = strlen(abs);

	while (slash > 0 && abs[slash] != '/')
		slash--;
	strlcpy(out, abs, POSIX_PATH_MAX);
	out[slash ? slash : 1] = '\0';
}

bool
fs_is_dir(const char *abs, uint32_t *file)
{
	const struct posix_rfile *f = ramfs_find(abs);
	uint64_t n = strlen(abs);

	*file = 0;
	if (n == 1)
		return true;
	if (f) {
		*file = (uint32_t)(f - proc.pool->files);
		return ramfs_is_dir(f);
	}
	for (uint32_t i = 0; i < proc.pool->nfiles && i < POSIX_NFILES; i++) {
		const char *name = proc.pool->files[i].name;

		if (!strncmp(name, abs, n) && name[n] == '/') {
			*file = i;
			return true;
		}
	}
	return false;
}

long
fs_missing(const char *abs)
{
	char pre[POSIX_PATH_MAX];

	strlcpy(pre, abs, sizeof(pre));
	for (uint64_t n = strlen(pre); n > 1; n--) {
		const struct posix_rfile *f;

		if (pre[n - 1] != '/')
			continue;
		pre[n - 1] = '\0';
		f = ramfs_find(pre);
		if (f && !ramfs_is_dir(f))
			return -L_ENOTDIR;
	}
	return -L_ENOENT;
}

void
ramfs_stat(const struct posix_rfile *f, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = RAMFS_DEV;
	st->ino = 2 + (uint64_t)(f - proc.pool->files);
	st->blksize = PAGE;
	st->mtime = f->mtime;
	st->nlink = f->name[0] ? 1 : 0; /* 0: unlinked, still open */
	if (ramfs_is_dir(f)) {
		st->mode = f->mode;
		st->nlink = f->name[0] ? 2 : 0;
		return;
	}
	st->mode = (f->mode & L_S_IFMT) == L_S_IFLNK
			   ? L_S_IFLNK | 0777
			   : L_S_IFREG | (f->mode & 07777);
	st->size = (int64_t)f->size;
	st->blocks = (int64_t)((f->size + 511) / 512);
}

long
fs_stat(const char *abs, struct kstat *st)
{
	const struct posix_rfile *f = ramfs_find(abs);
	uint32_t any;
	uint8_t kind;

	if (procfs_path(abs))
		return procfs_stat(abs, true, st);
	memset(st, 0, sizeof(*st));
	if (dev_find(abs, &kind, &st->rdev)) {
		st->dev = 5;
		st->ino = 1000 + kind;
		st->mode = L_S_IFCHR | 0666;
		st->nlink = 1;
		st->blksize = 1024;
		return 0;
	}
	if (f) {
		ramfs_stat(f, st);
		return 0;
	}
	if (!fs_is_dir(abs, &any))
		return fs_missing(abs);
	st->dev = RAMFS_DEV;
	st->ino = 1;
	st->mode = L_S_IFDIR | 0755;
	st->nlink = 2;
	st->blksize = PAGE;
	return 0;
}

/* getcwd(buf, size): the length with the NUL, as the kernel returns. */
POSIX_SYS(getcwd)
{
	uint64_t n = strlen(proc.cwd) + 1;

	if (a[1] < n)
		return -L_ERANGE;
	return copy_out(a[0], proc.cwd, n) < 0 ? -L_EFAULT : (long)n;
}

POSIX_SYS(chdir)
{
	char abs[POSIX_PATH_MAX];
	struct kstat st;
	long r = fs_path_in(L_AT_FDCWD, a[0], abs);

	if (!r)
		r = fs_stat(abs, &st);
	if (r < 0)
		return r;
	if ((st.mode & L_S_IFMT) != L_S_IFDIR)
		return -L_ENOTDIR;
	strlcpy(proc.cwd, abs, sizeof(proc.cwd));
	return 0;
}
