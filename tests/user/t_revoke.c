/*
 * Cases: visible revocation.  revoke_request asks a child for frames by
 * upcall; one that complies gives them back itself, one that ignores the
 * request loses them at the deadline, and its info page says which.
 */
#include "prog.h"
#include "ut.h"

#define TIMEOUT (5 * UT_SECOND)
#define FRAMES 8
#define ASKED 4
#define MS 1000000ull

static long
holder_up(struct prog *p, uint64_t comply)
{
	long r = prog_load(p, "peer", 0, PEER_REVOKE, 64);

	if (r < 0)
		return r;
	p->sh->arg[0] = FRAMES;
	p->sh->arg[1] = comply;
	r = prog_run(p);
	if (r < 0)
		return r;
	return prog_poll(&p->sh->done, PROG_MAGIC, TIMEOUT) ? 0 : -EXO_EAGAIN;
}

UTEST(revoke_comply)
{
	struct prog p;
	struct exo_envinfo pi;
	uint64_t used;

	UT_OK(holder_up(&p, 1));
	UT_OK(exo_env_info(p.env, &pi));
	used = pi.frames_used;
	UT_OK(exo_revoke_request(p.env, ASKED, 100 * MS));
	UT_ASSERT(
		prog_poll((volatile uint64_t *)&p.sh->out[2], ASKED, TIMEOUT));
	UT_ASSERT_EQ(p.sh->out[0], ASKED);
	UT_ASSERT(p.sh->out[1] > 0 && p.sh->out[1] <= (int64_t)(100 * MS));
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_REVOKE], 1);
	ut_sleep(200 * MS);
	UT_OK(exo_env_info(p.env, &pi));
	UT_ASSERT_EQ(pi.repossess_count, 0);
	UT_ASSERT_EQ(pi.counters.repossessed, 0);
	UT_ASSERT_EQ(pi.frames_used, used - ASKED);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
}

UTEST(revoke_ignored_repossessed)
{
	struct prog p;
	struct exo_envinfo pi;
	uint64_t used;

	UT_OK(holder_up(&p, 0));
	UT_OK(exo_env_info(p.env, &pi));
	used = pi.frames_used;
	UT_OK(exo_revoke_request(p.env, ASKED, 50 * MS));
	ut_sleep(250 * MS);
	UT_ASSERT_EQ(p.sh->out[0], ASKED); /* it was asked */
	UT_OK(exo_env_info(p.env, &pi));
	UT_ASSERT_EQ(pi.repossess_count, ASKED);
	UT_ASSERT_EQ(pi.counters.repossessed, ASKED);
	UT_ASSERT_EQ(pi.frames_used, used - ASKED);
	/* Its lowest mappings went first: the frames at PROG_LOW_VA. */
	for (unsigned i = 0; i < ASKED; i++)
		UT_ASSERT_EQ(pi.repossessed_va[i], PROG_LOW_VA + i * UT_PAGE);
	/* It lives on, and sees the same in its own info page. */
	UT_ASSERT(
		prog_poll((volatile uint64_t *)&p.sh->out[3], ASKED, TIMEOUT));
	UT_ASSERT(prog_alive(&p));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

UTEST(revoke_errors)
{
	struct prog p;
	long e = UT_OK(exo_env_create(16, 0));

	UT_ASSERT_ERR(exo_revoke_request(EXO_ENVID_SELF, 1, MS), EXO_EPERM);
	UT_ASSERT_ERR(exo_revoke_request((exo_envid_t)e, 0, MS), EXO_EINVAL);
	UT_ASSERT_ERR(exo_revoke_request((exo_envid_t)e, 1, 0), EXO_EINVAL);
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_ERR(exo_revoke_request((exo_envid_t)e, 1, MS), EXO_ENOENT);
	/* A child may not ask its parent. */
	UT_OK(prog_start(&p, "peer", 0, PEER_REMOTE, 64));
	UT_ASSERT(prog_poll(&p.sh->done, PROG_MAGIC, TIMEOUT));
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_REVOKE_REQUEST, exo_env_self(), 1,
				 MS, 0),
		     -EXO_EPERM);
	UT_OK(prog_end(&p));
}
