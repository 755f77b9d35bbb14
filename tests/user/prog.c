/*
 * The test root env's side of the helper programs (prog.h): loading them
 * with a shared page, watching them, and driving a PEER_REMOTE peer.
 */
#include <exo/string.h>
#include "prog.h"
#include "ut.h"

#define REMOTE_TIMEOUT UT_SECOND

long
prog_load(struct prog *p, const char *name, unsigned slot, uint64_t mode,
	  uint64_t frame_quota)
{
	return prog_load_flags(p, name, slot, mode, frame_quota, 0);
}

long
prog_load_flags(struct prog *p, const char *name, unsigned slot, uint64_t mode,
		uint64_t frame_quota, uint64_t flags)
{
	struct exo_cpio_file f;
	struct exo_spawn s;
	struct exo_mapping m;
	long r = exo_bootfs_find(name, &f);

	if (r < 0)
		return r;
	exo_wait(EXO_NOTIFY_CHILD, 0);
	p->va = PROG_ROOT_VA(slot);
	r = ut_page(p->va, EXO_PERM_R | EXO_PERM_W);
	if (r < 0)
		return r;
	p->pa = (uint64_t)r;
	p->sh = (volatile struct prog_shared *)(uintptr_t)p->va;
	p->sh->mode = mode;
	r = exo_spawn_load(f.data, f.size, frame_quota, flags, &s);
	if (r < 0)
		goto out_page;
	m = (struct exo_mapping){ PROG_VA, p->pa, EXO_PERM_R | EXO_PERM_W };
	r = exo_map(s.env, &m, 1);
	if (r < 0) {
		exo_env_destroy(s.env);
		exo_wait(EXO_NOTIFY_CHILD, 0);
		goto out_page;
	}
	p->env = s.env;
	p->entry = s.entry;
	p->sp = s.sp;
	return 0;

out_page:
	ut_unpage(p->va, p->pa);
	return r;
}

long
prog_run(struct prog *p)
{
	long r = exo_env_start(p->env, p->entry, p->sp, PROG_VA);

	if (r < 0) {
		exo_env_destroy(p->env);
		exo_wait(EXO_NOTIFY_CHILD, 0);
		ut_unpage(p->va, p->pa);
	}
	return r;
}

long
prog_start(struct prog *p, const char *name, unsigned slot, uint64_t mode,
	   uint64_t frame_quota)
{
	long r = prog_load(p, name, slot, mode, frame_quota);

	return r < 0 ? r : prog_run(p);
}

int
prog_alive(const struct prog *p)
{
	struct exo_envinfo info;

	return exo_env_info(p->env, &info) == 0;
}

int
prog_wait_dead(const struct prog *p, uint64_t timeout_ns)
{
	uint64_t end = (uint64_t)exo_clock_ns() + timeout_ns;

	while (prog_alive(p)) {
		if ((uint64_t)exo_clock_ns() > end)
			return 0;
		exo_wait(EXO_NOTIFY_CHILD, 1000000);
	}
	return 1;
}

int
prog_poll(const volatile uint64_t *w, uint64_t want, uint64_t timeout_ns)
{
	uint64_t end = (uint64_t)exo_clock_ns() + timeout_ns;

	while (*w != want) {
		if ((uint64_t)exo_clock_ns() > end)
			return 0;
		exo_yield(0);
	}
	return 1;
}

long
prog_end(struct prog *p)
{
	if (prog_alive(p))
		exo_env_destroy(p->env);
	exo_wait(EXO_NOTIFY_CHILD, 0);
	return ut_unpage(p->va, p->pa);
}

/* Post the command already in arg[] and wait for the answer. */
static int
remote_go(struct prog *p)
{
	uint64_t req = p->sh->req + 1;
	uint64_t end = (uint64_t)exo_clock_ns() + REMOTE_TIMEOUT;

	p->sh->req = req;
	while (p->sh->ack != req) {
		if ((uint64_t)exo_clock_ns() > end || !prog_alive(p))
			return 0;
		exo_yield(p->env);
	}
	return 1;
}

long
prog_remote(struct prog *p, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
	    uint64_t a3)
{
	p->sh->arg[0] = PEER_SYSCALL;
	p->sh->arg[1] = nr;
	p->sh->arg[2] = a0;
	p->sh->arg[3] = a1;
	p->sh->arg[4] = a2;
	p->sh->arg[5] = a3;
	return remote_go(p) ? p->sh->ret : -EXO_EAGAIN;
}

int
prog_remote_access(struct prog *p, enum peer_cmd cmd, uint64_t va,
		   uint64_t *val)
{
	p->sh->arg[0] = cmd;
	p->sh->arg[1] = va;
	p->sh->arg[2] = *val;
	if (!remote_go(p))
		return 0;
	*val = (uint64_t)p->sh->ret;
	return 1;
}

int
prog_blocked(exo_envid_t env, uint64_t timeout_ns)
{
	uint64_t end = (uint64_t)exo_clock_ns() + timeout_ns;
	struct exo_envinfo info;

	while (exo_env_info(env, &info) == 0 && info.state != EXO_ENV_BLOCKED)
		if ((uint64_t)exo_clock_ns() > end)
			return 0;
		else
			exo_yield(env);
	return info.state == EXO_ENV_BLOCKED;
}
