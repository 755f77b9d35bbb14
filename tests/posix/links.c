/*
 * Symbolic links: made with symlink and symlinkat, followed by open,
 * stat and chdir along a path and at its end, relative targets taken
 * from the link's directory, not followed by lstat, readlink, unlink and
 * rename; a dangling link, a loop (ELOOP), and the errors (EEXIST,
 * EINVAL for readlink of a file, ENOENT).  Prints "links ok" or the first
 * failure.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h> /* rename */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

/* Whether directory d lists name as a link. */
static int
listed_as_link(const char *d, const char *name)
{
	DIR *dir = opendir(d);
	struct dirent *e;
	int found = 0;

	while (dir && (e = readdir(dir)))
		if (!strcmp(e->d_name, name))
			found = e->d_type == DT_LNK;
	if (dir)
		closedir(dir);
	return found;
}

int
main(void)
{
	char buf[64], cwd[64];
	struct stat st;
	int fd;

	mkdir("/ld", 0755);
	fd = open("/ld/f", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check(write(fd, "data", 4) == 4, "write");
	close(fd);
	check(symlink("/ld/f", "/ld/abs") == 0, "symlink");
	check(symlinkat("f", AT_FDCWD, "/ld/rel") == 0, "symlinkat");
	check(symlink("/ld", "/dl") == 0, "symlink to a directory");
	fd = open("/ld/rel", O_RDONLY);
	check(fd >= 0 && read(fd, buf, sizeof(buf)) == 4 &&
		      !memcmp(buf, "data", 4),
	      "open through a relative link");
	close(fd);
	check(stat("/dl/abs", &st) == 0 && S_ISREG(st.st_mode) &&
		      st.st_size == 4,
	      "stat through two links");
	check(lstat("/ld/abs", &st) == 0 && S_ISLNK(st.st_mode) &&
		      st.st_size == 5,
	      "lstat");
	check(readlink("/ld/rel", buf, sizeof(buf)) == 1 && buf[0] == 'f',
	      "readlink");
	check(listed_as_link("/ld", "abs"), "getdents type");
	check(chdir("/dl") == 0 && getcwd(cwd, sizeof(cwd)) &&
		      !strcmp(cwd, "/ld"),
	      "chdir through a link");
	chdir("/");
	check(rename("/ld/rel", "/ld/rel2") == 0 &&
		      readlink("/ld/rel2", buf, sizeof(buf)) == 1,
	      "rename a link");
	check(unlink("/ld/rel2") == 0 && stat("/ld/f", &st) == 0,
	      "unlink a link, not its target");
	check(symlink("/nonesuch", "/ld/dangling") == 0 &&
		      fails(stat("/ld/dangling", &st), ENOENT) &&
		      lstat("/ld/dangling", &st) == 0,
	      "a dangling link");
	check(symlink("/ld/b", "/ld/a") == 0 &&
		      symlink("/ld/a", "/ld/b") == 0 &&
		      fails(open("/ld/a", O_RDONLY), ELOOP),
	      "ELOOP");
	check(fails(symlink("x", "/ld/f"), EEXIST), "EEXIST");
	check(fails(readlink("/ld/f", buf, sizeof(buf)), EINVAL),
	      "readlink of a file");
	check(fails(symlink("x", "/nonesuch/l"), ENOENT), "ENOENT");
	return report("links");
}
