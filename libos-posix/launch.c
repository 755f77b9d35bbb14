/*
 * The launcher side of starting a Linux process (posix/launch.h): linked
 * into the env that starts processes (the image's root env), not into
 * the library OS itself.
 */
#include <exo/arch/pte.h>
#include <exo/libexo.h>
#include <exo/string.h>
#include <stdbool.h>
#include <posix/launch.h>

#define PAGE EXO_PAGE_SIZE

/* Unmap [va, va + n pages) in the caller and free the frames there. */
static void
drop_pages(uint64_t va, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t at = va + i * PAGE, pte = posix_pte(at);

		if (!pte)
			continue;
		exo_unmap(EXO_ENVID_SELF, &at, 1);
		exo_page_free(EXO_ENVID_SELF, exo_pte_addr(pte));
	}
}

/* n fresh frames of the caller's, mapped with perms at va. */
static int
alloc_pages(uint64_t va, uint64_t n, uint64_t perms)
{
	for (uint64_t i = 0; i < n; i++) {
		long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY), r;
		struct exo_mapping m = { va + i * PAGE, 0, perms };

		if (pa < 0) {
			drop_pages(va, i);
			return (int)pa;
		}
		m.pa = (uint64_t)pa;
		r = exo_map(EXO_ENVID_SELF, &m, 1);
		if (r < 0) {
			exo_page_free(EXO_ENVID_SELF, (uint64_t)pa);
			drop_pages(va, i);
			return (int)r;
		}
	}
	return 0;
}

/* Map the caller's pages [from, from + n pages) into env at to. */
static int
share_pages(exo_envid_t env, uint64_t from, uint64_t to, uint64_t n,
	    uint64_t perms)
{
	struct exo_mapping m[64];

	for (uint64_t done = 0; done < n;) {
		unsigned k = 0;
		long r;

		for (; k < 64 && done + k < n; k++) {
			m[k].va = to + (done + k) * PAGE;
			m[k].pa = exo_pte_addr(
				posix_pte(from + (done + k) * PAGE));
			m[k].perms = perms;
		}
		r = exo_map(env, m, k);
		if (r < 0)
			return (int)r;
		done += (uint64_t)r;
	}
	return 0;
}

int
posix_file_copy(const void *data, uint64_t size, uint64_t va,
		struct posix_file *f)
{
	uint64_t n = (size + PAGE - 1) / PAGE, at;
	int r;

	if (!size || size > POSIX_FILE_MAX)
		return -EXO_EINVAL;
	r = alloc_pages(va, n, EXO_PERM_R | EXO_PERM_W);
	if (r < 0)
		return r;
	memcpy((void *)(uintptr_t)va, data, size);
	/* Read-only from now on: every process shares these bytes. */
	for (at = va; at < va + n * PAGE; at += PAGE) {
		struct exo_mapping m = { at, exo_pte_addr(posix_pte(at)),
					 EXO_PERM_R };

		exo_map(EXO_ENVID_SELF, &m, 1);
	}
	f->va = va;
	f->size = size;
	return 0;
}

/* Append s and its NUL to blk->strings; false if it does not fit. */
static bool
put_string(struct posix_launch *blk, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > POSIX_STRINGS_MAX - blk->strings_len)
		return false;
	memcpy(blk->strings + blk->strings_len, s, n);
	blk->strings_len += (uint32_t)n;
	return true;
}

/* Fill the launch block from cmd: 0 or -EXO_EINVAL. */
static int
fill_block(struct posix_launch *blk, const struct posix_cmd *cmd)
{
	blk->magic = POSIX_LAUNCH_MAGIC;
	blk->flags = cmd->flags;
	blk->file_size = cmd->prog->size;
	blk->pid = cmd->pid;
	blk->ppid = cmd->ppid;
	if (!put_string(blk, cmd->path))
		return -EXO_EINVAL;
	for (; cmd->argv[blk->argc]; blk->argc++)
		if (!put_string(blk, cmd->argv[blk->argc]))
			return -EXO_EINVAL;
	for (; cmd->envp[blk->envc]; blk->envc++)
		if (!put_string(blk, cmd->envp[blk->envc]))
			return -EXO_EINVAL;
	return 0;
}

/* Map the block and the program into the new env, then start it. */
static int
start(const struct posix_cmd *cmd, uint64_t window, struct exo_spawn *sp)
{
	uint64_t npages = (cmd->prog->size + PAGE - 1) / PAGE;
	int r;

	r = share_pages(sp->env, window, POSIX_LAUNCH_VA, POSIX_LAUNCH_PAGES,
			EXO_PERM_R | EXO_PERM_W);
	if (!r)
		r = share_pages(sp->env, cmd->prog->va, POSIX_FILE_VA, npages,
				EXO_PERM_R);
	if (!r)
		r = (int)exo_env_start(sp->env, sp->entry, sp->sp,
				       POSIX_LAUNCH_VA);
	return r < 0 ? r : 0;
}

int
posix_launch(const struct posix_cmd *cmd, uint64_t window, struct posix_proc *p)
{
	struct exo_spawn sp;
	int r;

	r = alloc_pages(window, POSIX_LAUNCH_PAGES, EXO_PERM_R | EXO_PERM_W);
	if (r < 0)
		return r;
	p->blk = (struct posix_launch *)(uintptr_t)window;
	p->out = (const char *)(uintptr_t)(window + PAGE);
	r = fill_block(p->blk, cmd);
	if (!r)
		r = exo_spawn_load(cmd->libos, cmd->libos_size,
				   cmd->frame_quota, EXO_ENV_LINUX, &sp);
	if (r < 0) {
		drop_pages(window, POSIX_LAUNCH_PAGES);
		return r;
	}
	r = start(cmd, window, &sp);
	if (r < 0) {
		exo_env_destroy(sp.env);
		drop_pages(window, POSIX_LAUNCH_PAGES);
		return r;
	}
	p->env = sp.env;
	return 0;
}

void
posix_launch_release(struct posix_proc *p)
{
	drop_pages((uint64_t)(uintptr_t)p->blk, POSIX_LAUNCH_PAGES);
}
