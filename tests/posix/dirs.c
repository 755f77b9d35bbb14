/*
 * Names in the ramfs: mkdir, rmdir, unlink, rename (renameat2 with
 * RENAME_NOREPLACE), umask (inherited by fork) and access, with their
 * errors (EEXIST, ENOENT, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL, EFAULT,
 * ENAMETOOLONG, EROFS), and a file unlinked while open.  The image puts
 * this program at /bin/dirs.  Prints "dirs ok" or the first failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* rename */
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* A new file at path holding text: 0 or -1. */
static int
put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (long)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* Does the file at path hold exactly text? */
static int
holds(const char *path, const char *text)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == (long)strlen(text) && !memcmp(buf, text, (size_t)n);
}

/* How many entries the directory at path lists (. and .. included). */
static int
entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void
make_dirs(void)
{
	struct stat st;
	char longname[80];

	check(mkdir("/d", 0777) == 0, "mkdir");
	check(stat("/d", &st) == 0 && S_ISDIR(st.st_mode) &&
		      (st.st_mode & 0777) == 0755,
	      "stat of a new directory (umask 022)");
	check(entries("/d") == 2, "an empty directory lists . and ..");
	check(fails(mkdir("/d", 0777), EEXIST), "mkdir again: EEXIST");
	check(fails(mkdir("/bin/dirs", 0777), EEXIST), "mkdir a file: EEXIST");
	check(fails(mkdir("/none/x", 0777), ENOENT), "no parent: ENOENT");
	check(fails(mkdir("/bin/dirs/x", 0777), ENOTDIR), "ENOTDIR");
	check(fails(mkdir((const char *)8, 0777), EFAULT), "EFAULT");
	memset(longname, 'n', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	check(fails(mkdir(longname, 0777), ENAMETOOLONG), "ENAMETOOLONG");
	check(mkdir("/d/e", 0700) == 0 && chdir("/d/e") == 0 &&
		      put("f", "x") == 0 && exists("/d/e/f") && chdir("/") == 0,
	      "a directory in a directory, a file in it");
}

static void
remove_names(void)
{
	char buf[8];
	struct stat st;
	int fd;

	check(fails(rmdir("/d"), ENOTEMPTY), "rmdir non-empty: ENOTEMPTY");
	check(fails(unlink("/d"), EISDIR), "unlink a directory: EISDIR");
	check(fails(rmdir("/d/e/f"), ENOTDIR), "rmdir a file: ENOTDIR");
	check(fails(unlink("/d/nothing"), ENOENT), "unlink: ENOENT");
	check(fails(unlinkat(AT_FDCWD, "/d/e/f", 0x1), EINVAL),
	      "unlinkat flags: EINVAL");
	fd = open("/d/e/f", O_RDONLY);
	check(fd >= 0 && unlink("/d/e/f") == 0, "unlink an open file");
	check(!exists("/d/e/f"), "its name is gone");
	check(read(fd, buf, sizeof(buf)) == 1 && buf[0] == 'x',
	      "still readable through its description");
	check(fstat(fd, &st) == 0 && st.st_nlink == 0, "fstat: nlink 0");
	close(fd);
	check(unlinkat(AT_FDCWD, "/d/e", AT_REMOVEDIR) == 0 && !exists("/d/e"),
	      "unlinkat(AT_REMOVEDIR)");
	check(entries("/d") == 2, "the directory is empty again");
	check(rmdir("/d") == 0 && !exists("/d"), "rmdir");
	check(fails(rmdir("/d"), ENOENT), "rmdir again: ENOENT");
}

static void
rename_names(void)
{
	check(mkdir("/r", 0755) == 0 && put("/r/a", "one") == 0 &&
		      put("/r/c", "two") == 0,
	      "set up /r");
	check(rename("/r/a", "/r/b") == 0 && !exists("/r/a") &&
		      holds("/r/b", "one"),
	      "rename a file");
	check(fails(syscall(SYS_renameat2, AT_FDCWD, "/r/b", AT_FDCWD, "/r/c",
			    RENAME_NOREPLACE),
		    EEXIST),
	      "RENAME_NOREPLACE: EEXIST");
	check(fails(syscall(SYS_renameat2, AT_FDCWD, "/r/b", AT_FDCWD, "/r/x",
			    4),
		    EINVAL),
	      "RENAME_WHITEOUT: EINVAL");
	check(rename("/r/b", "/r/c") == 0 && holds("/r/c", "one") &&
		      !exists("/r/b"),
	      "rename over a file replaces it");
	check(fails(rename("/r/nothing", "/r/y"), ENOENT), "rename: ENOENT");
	check(mkdir("/r/s", 0755) == 0 && put("/r/s/f", "three") == 0,
	      "set up /r/s");
	check(fails(rename("/r", "/r/s/in"), EINVAL),
	      "a directory into itself: EINVAL");
	check(fails(rename("/r/s", "/r/c"), ENOTDIR), "dir over file: ENOTDIR");
	check(fails(rename("/r/c", "/r/s"), EISDIR), "file over dir: EISDIR");
	check(mkdir("/r/t", 0755) == 0 && put("/r/t/g", "") == 0 &&
		      fails(rename("/r/s", "/r/t"), ENOTEMPTY),
	      "over a non-empty directory: ENOTEMPTY");
	check(fails(rename("/r/c", "/nodir/c"), ENOENT), "no parent: ENOENT");
	check(rename("/r", "/q") == 0 && !exists("/r") &&
		      holds("/q/s/f", "three") && holds("/q/c", "one"),
	      "rename a directory: everything below moves");
	check(rename("/bin/hello", "/bin/hello2") == 0 &&
		      rename("/bin/hello2", "/bin/hello") == 0 &&
		      exists("/bin/hello"),
	      "the initrd's names can be renamed");
	check(unlink("/q/s/f") == 0 && rmdir("/q/s") == 0 &&
		      unlink("/q/t/g") == 0 && rmdir("/q/t") == 0 &&
		      unlink("/q/c") == 0 && rmdir("/q") == 0,
	      "clean up");
}

static void
masks_and_access(void)
{
	struct stat st;
	pid_t pid;
	int status;

	check(umask(027) == 022, "umask starts at 022");
	check(put("/m", "") == 0 && stat("/m", &st) == 0 &&
		      (st.st_mode & 0777) == 0640,
	      "a new file's mode less the umask");
	pid = fork();
	if (pid == 0)
		_exit(umask(0) == 027 ? 0 : 1);
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0,
	      "umask inherited by fork");
	check(umask(022) == 027, "umask returns the old mask");
	check(access("/m", R_OK | W_OK) == 0, "access R_OK|W_OK");
	check(fails(access("/m", X_OK), EACCES), "X_OK without x: EACCES");
	check(access("/bin/dirs", X_OK) == 0, "X_OK of a program");
	check(fails(access("/bin/dirs", W_OK), EROFS), "initrd W_OK: EROFS");
	check(access("/bin", X_OK) == 0, "X_OK of a directory");
	check(fails(access("/nothing", F_OK), ENOENT), "access: ENOENT");
	check(fails(access("/m", 8), EINVAL), "access mode: EINVAL");
	check(faccessat(AT_FDCWD, "/m", R_OK, 0) == 0, "faccessat");
	check(unlink("/m") == 0, "clean up /m");
}

int
main(void)
{
	make_dirs();
	remove_names();
	rename_names();
	masks_and_access();
	return report("dirs");
}
