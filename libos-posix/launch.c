/*
 * The launcher side of a libos-posix instance (posix/launch.h): linked
 * into the env that starts processes (the image's root env), not into
 * the library OS itself.
 */
#include <exo/arch/pte.h>
#include <exo/libexo.h>
#include <exo/string.h>
#include <posix/launch.h>

#define PAGE EXO_PAGE_SIZE
#define BATCH 256

/* The console's terminal as a process 1 finds it: what Linux gives a
 * serial console in cooked mode (38400 8N1, echo, signals, canonical
 * input), 80x24, process 1's group in the foreground. */
static const struct posix_tty console_tty = {
	.iflag = 0x0500, /* ICRNL | IXON */
	.oflag = 0x0005, /* OPOST | ONLCR */
	.cflag = 0x04bf, /* B38400 | CS8 | CREAD | HUPCL */
	.lflag = 0x8a3b, /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE
			    IEXTEN */
	.cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 },
	.rows = 24,
	.cols = 80,
	.pgrp = 1,
};

/* Free the frames [pa, pa + n pages) of the caller. */
static void
free_run(uint64_t pa, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		exo_page_free(EXO_ENVID_SELF, pa + i * PAGE);
}

/*
 * n physically contiguous frames of the caller's: its first address, or
 * an error.  Frames come low addresses first, so once the early
 * allocations are past, a run is found by naming the frames after any
 * free one.
 */
static long
alloc_run(uint64_t n)
{
	long first = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	uint64_t got = 1;

	if (first < 0)
		return first;
	while (got < n) {
		uint64_t pa = (uint64_t)first + got * PAGE;
		long r = exo_page_alloc(EXO_ENVID_SELF, pa);

		if (r == -EXO_EBUSY) {
			/* Taken: start again after it. */
			free_run((uint64_t)first, got);
			first = (long)(pa + PAGE);
			got = 0;
			continue;
		}
		if (r < 0) {
			free_run((uint64_t)first, got);
			return r == -EXO_EINVAL ? -EXO_ENOMEM : r;
		}
		got++;
	}
	return first;
}

/* Map [pa, pa + n pages) read-write at va in env. */
static int
map_run(exo_envid_t env, uint64_t pa, uint64_t va, uint64_t n)
{
	struct exo_mapping m[BATCH];

	for (uint64_t done = 0; done < n;) {
		unsigned k = 0;
		long r;

		for (; k < BATCH && done + k < n; k++)
			m[k] = (struct exo_mapping){ va + (done + k) * PAGE,
						     pa + (done + k) * PAGE,
						     EXO_PERM_R | EXO_PERM_W };
		r = exo_map(env, m, k);
		if (r < 0)
			return (int)r;
		done += (uint64_t)r;
	}
	return 0;
}

/* The bytes the initrd's files take in the pool, page-rounded each. */
static int
files_size(uint64_t *bytes)
{
	const volatile struct exo_envinfo *info = exo_info();
	const void *rd = (const void *)(uintptr_t)info->bootfs_addr;
	struct exo_cpio_file f;
	uint64_t off = 0;
	unsigned n = 0;
	int r;

	*bytes = 0;
	while ((r = exo_cpio_next(rd, info->bootfs_size, &off, &f)) > 0) {
		*bytes += (f.size + PAGE - 1) & ~(PAGE - 1);
		n++;
	}
	return r < 0 ? r : n > POSIX_NFILES ? -EXO_EINVAL : 0;
}

/* Copy every initrd file into the ramfs as prefix + name. */
static int
fill_files(struct posix_pool *pool, const char *prefix)
{
	const volatile struct exo_envinfo *info = exo_info();
	const void *rd = (const void *)(uintptr_t)info->bootfs_addr;
	struct exo_cpio_file f;
	uint64_t off = 0;
	int r;

	while ((r = exo_cpio_next(rd, info->bootfs_size, &off, &f)) > 0) {
		struct posix_rfile *rf = &pool->files[pool->nfiles++];

		if (strlen(prefix) + strlen(f.name) >= POSIX_NAME_MAX)
			return -EXO_EINVAL;
		strlcpy(rf->name, prefix, sizeof(rf->name));
		strlcpy(rf->name + strlen(prefix), f.name,
			sizeof(rf->name) - strlen(prefix));
		rf->off = pool->heap;
		rf->size = f.size;
		rf->mode = f.mode;
		rf->cap = 0;
		memcpy((char *)pool + rf->off, f.data, f.size);
		pool->heap += (f.size + PAGE - 1) & ~(PAGE - 1);
	}
	return r;
}

int
posix_instance_create(const char *prefix, uint64_t window,
		      struct posix_instance *in)
{
	uint64_t bytes, n;
	long pa, cap;
	int r = files_size(&bytes);

	if (r < 0)
		return r;
	n = (POSIX_POOL_HDR + bytes + POSIX_POOL_SPARE) / PAGE;
	if (n * PAGE > POSIX_POOL_MAX)
		return -EXO_ENOMEM;
	pa = alloc_run(n);
	if (pa < 0)
		return (int)pa;
	r = map_run(EXO_ENVID_SELF, (uint64_t)pa, window, n);
	cap = r < 0 ? r
		    : exo_page_cap((uint64_t)pa, n,
				   EXO_RIGHT_READ | EXO_RIGHT_WRITE |
					   EXO_RIGHT_GRANT);
	if (cap < 0) {
		for (uint64_t i = 0; i < n; i++) {
			uint64_t va = window + i * PAGE;

			exo_unmap(EXO_ENVID_SELF, &va, 1);
		}
		free_run((uint64_t)pa, n);
		return (int)cap;
	}
	in->pool = (struct posix_pool *)(uintptr_t)window;
	in->cap = (exo_cap_t)cap;
	in->pool->pa = (uint64_t)pa;
	in->pool->npages = n;
	in->pool->heap = POSIX_POOL_HDR;
	return fill_files(in->pool, prefix);
}

/* Append s and its NUL to the pool's strings; false if it does not fit. */
static bool
put_string(struct posix_pool *pool, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > POSIX_STRINGS_MAX - pool->strings_len)
		return false;
	memcpy(pool->strings + pool->strings_len, s, n);
	pool->strings_len += (uint32_t)n;
	return true;
}

/* Reset the pool for a new launch and put cmd's arguments in: 0 or
 * -EXO_EINVAL. */
static int
reset(struct posix_pool *pool, const struct posix_cmd *cmd)
{
	memset(pool->procs, 0, sizeof(pool->procs));
	memset(pool->ofds, 0, sizeof(pool->ofds));
	for (unsigned i = 0; i < POSIX_NPIPES; i++) {
		/* A killed process's ends die with the launch; the rings stay. */
		uint64_t off = pool->pipes[i].off;

		pool->pipes[i] = (struct posix_pipe){ .off = off };
	}
	pool->magic = POSIX_POOL_MAGIC;
	pool->flags = cmd->flags;
	pool->lock = 0;
	pool->next_pid = 2;
	pool->argc = pool->envc = pool->strings_len = 0;
	pool->out_len = pool->log_len = 0;
	pool->tty = console_tty;
	if (!put_string(pool, cmd->path))
		return -EXO_EINVAL;
	for (; cmd->argv[pool->argc]; pool->argc++)
		if (!put_string(pool, cmd->argv[pool->argc]))
			return -EXO_EINVAL;
	for (; cmd->envp[pool->envc]; pool->envc++)
		if (!put_string(pool, cmd->envp[pool->envc]))
			return -EXO_EINVAL;
	return 0;
}

/* Give the new env the pool and the capabilities it passes on. */
static int
share(struct posix_instance *in, exo_envid_t env)
{
	struct posix_pool *pool = in->pool;
	long pc, cc;
	int r = map_run(env, pool->pa, POSIX_POOL_VA, pool->npages);

	if (r < 0)
		return r;
	pc = exo_cap_grant(in->cap, env,
			   EXO_RIGHT_READ | EXO_RIGHT_WRITE | EXO_RIGHT_GRANT);
	if (pc < 0)
		return (int)pc;
	cc = exo_cap_grant(exo_console(), env,
			   EXO_RIGHT_READ | EXO_RIGHT_WRITE | EXO_RIGHT_GRANT);
	if (cc < 0)
		return (int)cc;
	pool->pool_cap = (uint32_t)pc;
	pool->console_cap = (uint32_t)cc;
	return 0;
}

long
posix_launch(struct posix_instance *in, const struct posix_cmd *cmd)
{
	struct posix_pool *pool = in->pool;
	struct exo_spawn sp;
	int r = reset(pool, cmd);

	if (!r)
		r = exo_spawn_load(cmd->libos, cmd->libos_size,
				   cmd->frame_quota, EXO_ENV_LINUX, &sp);
	if (r < 0)
		return r;
	pool->procs[0] = (struct posix_procent){ .pid = 1,
						 .env = sp.env,
						 .state = POSIX_PROC_RUNNING,
						 .pgid = 1,
						 .sid = 1 };
	r = share(in, sp.env);
	if (!r)
		r = (int)exo_env_start(sp.env, sp.entry, sp.sp, POSIX_POOL_VA);
	if (r < 0) {
		exo_env_destroy(sp.env);
		return r;
	}
	return sp.env;
}

bool
posix_instance_status(const struct posix_instance *in, int32_t *status)
{
	const volatile struct posix_procent *p = &in->pool->procs[0];

	if (p->pid != 1 || p->state != POSIX_PROC_ZOMBIE)
		return false;
	*status = p->status;
	return true;
}

/* Add entry e under the name path to the instance's ramfs: 0,
 * -EXO_EINVAL (not absolute, too long), -EXO_EBUSY (path exists) or
 * -EXO_ENOMEM (the file table is full). */
static int
add_entry(struct posix_pool *pool, const char *path,
	  const struct posix_rfile *e)
{
	struct posix_rfile *rf;

	if (strlen(path) >= POSIX_NAME_MAX || path[0] != '/')
		return -EXO_EINVAL;
	for (uint32_t i = 0; i < pool->nfiles; i++)
		if (!strcmp(pool->files[i].name, path))
			return -EXO_EBUSY;
	if (pool->nfiles >= POSIX_NFILES)
		return -EXO_ENOMEM;
	rf = &pool->files[pool->nfiles];
	*rf = *e;
	strlcpy(rf->name, path, sizeof(rf->name));
	pool->nfiles++;
	return 0;
}

int
posix_instance_link(struct posix_instance *in, const char *path,
		    const char *target)
{
	struct posix_pool *pool = in->pool;

	for (uint32_t i = 0; i < pool->nfiles; i++)
		if (!strcmp(pool->files[i].name, target))
			return pool->files[i].cap
				       ? -EXO_ENOENT
				       : add_entry(pool, path, &pool->files[i]);
	return -EXO_ENOENT;
}

int
posix_instance_mkdir(struct posix_instance *in, const char *path)
{
	const struct posix_rfile dir = { .mode = POSIX_S_IFDIR | 0755 };

	return add_entry(in->pool, path, &dir);
}
