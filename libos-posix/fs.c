/*
 * Paths over the ramfs: the working directory, name resolution, and
 * what stat says.  The ramfs holds files by full path; a directory is
 * any proper prefix of a file's path (and the root), until mkdir makes
 * empty ones possible.
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

long
fs_resolve(int64_t dirfd, const char *path, char *out)
{
	uint64_t len = 1;

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
		if (d->kind != FD_DIR)
			return -L_ENOTDIR;
		file_dir_path(d, out);
	}
	len = strlen(out);
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

bool
fs_is_dir(const char *abs, uint32_t *file)
{
	uint64_t n = strlen(abs);

	*file = 0;
	if (n == 1)
		return true;
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
fs_stat(const char *abs, struct kstat *st)
{
	const struct posix_rfile *f = ramfs_find(abs);
	uint32_t any;
	uint8_t kind;

	memset(st, 0, sizeof(*st));
	if (dev_find(abs, &kind, &st->rdev)) {
		st->dev = 5;
		st->ino = 1000 + kind;
		st->mode = L_S_IFCHR | 0666;
		st->nlink = 1;
		st->blksize = 1024;
		return 0;
	}
	st->dev = RAMFS_DEV;
	st->nlink = 1;
	st->blksize = PAGE;
	if (f) {
		st->ino = 2 + (uint64_t)(f - proc.pool->files);
		st->mode = L_S_IFREG | (f->mode & 07777);
		st->size = (int64_t)f->size;
		st->blocks = (int64_t)((f->size + 511) / 512);
		return 0;
	}
	if (!fs_is_dir(abs, &any))
		return -L_ENOENT;
	st->ino = 1;
	st->mode = L_S_IFDIR | 0755;
	st->nlink = 2;
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
	char path[POSIX_PATH_MAX], abs[POSIX_PATH_MAX];
	long r = copy_in_str(path, a[0], sizeof(path));
	uint32_t any;

	if (r < 0)
		return r == -L_ERANGE ? -L_ENAMETOOLONG : r;
	r = fs_resolve(L_AT_FDCWD, path, abs);
	if (r < 0)
		return r;
	if (!fs_is_dir(abs, &any))
		return ramfs_find(abs) ? -L_ENOTDIR : -L_ENOENT;
	strlcpy(proc.cwd, abs, sizeof(proc.cwd));
	return 0;
}
