/*
 * Cases: time slices.  A slot bound to an env (slice_bind with a SLICE
 * capability; the root holds EXO_CAP_SLICES + i) runs it with slice-start
 * and slice-end upcalls and preempts it after the grace if it does not
 * yield; an env that spins forever starves nobody.
 */
#include "prog.h"
#include "ut.h"

#define TIMEOUT (5 * UT_SECOND)
#define SLOT 3

/* Wait up to TIMEOUT (sleeping) until *c passes from: whether it did.
 * Polling rather than a fixed sleep keeps the cases true on a loaded
 * host, where QEMU's guest sees fewer timer ticks per second. */
static int
grows(const volatile uint64_t *c, uint64_t from)
{
	uint64_t end = (uint64_t)exo_clock_ns() + TIMEOUT;

	while (*c <= from && (uint64_t)exo_clock_ns() < end)
		ut_sleep(5000000);
	return *c > from;
}

static long
slicer_up(struct prog *p, unsigned slot, uint64_t yield_at_end)
{
	long r = prog_load(p, "peer", slot, PEER_SLICE, 64);

	if (r < 0)
		return r;
	p->sh->arg[0] = yield_at_end;
	r = prog_run(p);
	if (r < 0)
		return r;
	return prog_poll(&p->sh->started, PROG_MAGIC, TIMEOUT) ? 0
							       : -EXO_EAGAIN;
}

/* An env that owns a slot is told when its slices start and end, and is
 * preempted when it ignores the end. */
UTEST(slice_bind_upcalls)
{
	struct prog p;
	struct exo_envinfo pi;
	uint64_t t0;

	UT_OK(slicer_up(&p, 0, 0));
	UT_OK(exo_slice_bind(EXO_CAP_SLICES + SLOT, p.env));
	t0 = (uint64_t)exo_clock_ns();
	ut_sleep(50000000);
	/* The root still gets the CPU back. */
	UT_ASSERT((uint64_t)exo_clock_ns() - t0 < TIMEOUT);
	UT_ASSERT(grows(&p.sh->upcalls[EXO_UPCALL_SLICE_START], 0));
	UT_ASSERT(grows(&p.sh->upcalls[EXO_UPCALL_SLICE_END], 0));
	UT_ASSERT_EQ(p.sh->out[0], SLOT);
	UT_ASSERT(p.sh->out[1] > 0); /* the grace, in ns */
	UT_OK(exo_env_info(p.env, &pi));
	UT_ASSERT(pi.counters.preemptions > 0);
	UT_ASSERT(pi.counters.upcalls >= 2);
	UT_OK(prog_end(&p));
}

/* One that yields within its grace gets its slices all the same. */
UTEST(slice_end_yield)
{
	struct prog p;
	uint64_t n;

	UT_OK(slicer_up(&p, 0, 1));
	UT_OK(exo_slice_bind(EXO_CAP_SLICES + SLOT, p.env));
	UT_ASSERT(grows(&p.sh->upcalls[EXO_UPCALL_SLICE_END], 0));
	n = p.sh->upcalls[EXO_UPCALL_SLICE_END];
	UT_ASSERT(grows(&p.sh->upcalls[EXO_UPCALL_SLICE_END], n));
	UT_ASSERT(p.sh->counter > 0);
	UT_OK(prog_end(&p));
}

/*
 * Two envs spin forever, one owning half the slots: both make progress
 * in every window, and the root, sleeping, still wakes on time.
 */
UTEST(slice_spinners_share)
{
	struct prog a, b;
	uint64_t na, nb, t0;

	UT_OK(slicer_up(&a, 0, 0));
	UT_OK(prog_start(&b, "peer", 1, PEER_SPIN, 64));
	for (unsigned i = 0; i < 8; i++)
		UT_OK(exo_slice_bind(EXO_CAP_SLICES + 2 * i, a.env));
	for (unsigned w = 0; w < 5; w++) {
		na = a.sh->counter;
		nb = b.sh->counter;
		t0 = (uint64_t)exo_clock_ns();
		ut_sleep(20000000);
		UT_ASSERT((uint64_t)exo_clock_ns() - t0 < TIMEOUT);
		UT_ASSERT(grows(&a.sh->counter, na));
		UT_ASSERT(grows(&b.sh->counter, nb));
	}
	UT_OK(prog_end(&a));
	UT_OK(prog_end(&b));
}

UTEST(slice_bind_errors)
{
	struct exo_cap_info ci;
	long e = UT_OK(exo_env_create(16, 0));
	long c;

	UT_OK(exo_cap_info(EXO_CAP_SLICES, &ci));
	UT_ASSERT_EQ(ci.type, EXO_CT_SLICE);
	UT_ASSERT_EQ(ci.obj, 0);
	UT_ASSERT_ERR(exo_slice_bind(50, (exo_envid_t)e), EXO_ENOENT);
	UT_ASSERT_ERR(exo_slice_bind(EXO_CAP_MACHINE, (exo_envid_t)e),
		      EXO_ENOENT);
	c = UT_OK(exo_cap_derive(EXO_CAP_SLICES, EXO_RIGHT_GRANT));
	UT_ASSERT_ERR(exo_slice_bind((exo_cap_t)c, (exo_envid_t)e), EXO_EPERM);
	UT_OK(exo_cap_drop((exo_cap_t)c));
	UT_ASSERT_ERR(exo_slice_bind(EXO_CAP_SLICES, 0xffffffffu), EXO_ENOENT);
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_ERR(exo_slice_bind(EXO_CAP_SLICES, (exo_envid_t)e),
		      EXO_ENOENT);
}
