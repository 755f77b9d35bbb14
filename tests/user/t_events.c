/*
 * Cases: the kernel event ring (events_read with the MACHINE capability):
 * what a case just did shows up in it, in order, and bad buffers, counts
 * and capabilities are refused.
 */
#include <exo/event.h>
#include "prog.h"
#include "ut.h"

#define RING 1024
#define KERNEL_VA 0xffff800000000000ull
#define TIMEOUT (5 * UT_SECOND)

static struct exo_event evs[RING];

/* Read everything pending into evs: how many, or an error. */
static long
drain(void)
{
	long n = 0, r;

	while ((r = exo_events_read(EXO_CAP_MACHINE, evs, RING)) == RING)
		n += r;
	return r < 0 ? r : n + r;
}

/* The index in evs[0..n) of the first event of type for env at or after
 * from, whose a is a (if a != ~0), or -1. */
static long
find(long n, long from, uint32_t type, exo_envid_t env, uint64_t a)
{
	for (long i = from; i < n; i++)
		if (evs[i].type == type && evs[i].env == env &&
		    (a == ~0ull || evs[i].a == a))
			return i;
	return -1;
}

UTEST(events_env_lifecycle)
{
	exo_envid_t self = (exo_envid_t)exo_env_self();
	long n, c, d, e;

	UT_OK(drain());
	e = UT_OK(exo_env_create(16, 0));
	UT_OK(exo_env_destroy((exo_envid_t)e));
	n = UT_OK(exo_events_read(EXO_CAP_MACHINE, evs, RING));
	c = find(n, 0, EXO_EV_ENV_CREATE, (exo_envid_t)e, self);
	d = find(n, 0, EXO_EV_ENV_DESTROY, (exo_envid_t)e, self);
	UT_ASSERT(c >= 0);
	UT_ASSERT(d > c);
	UT_ASSERT(evs[d].time_ns >= evs[c].time_ns);
	/* Read once: nothing is left of it. */
	n = UT_OK(exo_events_read(EXO_CAP_MACHINE, evs, RING));
	UT_ASSERT_EQ(find(n, 0, EXO_EV_ENV_CREATE, (exo_envid_t)e, ~0ull), -1);
}

/* A fault, an upcall, an IPC call and a revocation request. */
UTEST(events_fault_ipc_revoke)
{
	exo_envid_t self = (exo_envid_t)exo_env_self();
	struct prog p, s;
	struct exo_msg m = { { 1, 2, 3, 4 } };
	uint64_t v;
	long n, ep;

	UT_OK(prog_start(&p, "peer", 0, PEER_REMOTE, 64));
	UT_ASSERT(prog_poll(&p.sh->done, PROG_MAGIC, TIMEOUT));
	UT_OK(prog_start(&s, "peer", 1, PEER_SERVE, 64));
	UT_ASSERT(prog_poll(&s.sh->done, PROG_MAGIC, TIMEOUT));
	ep = UT_OK(exo_cap_env(s.env, EXO_RIGHT_CALL));
	UT_OK(drain());
	UT_OK(exo_revoke_request(s.env, 1, UT_SECOND));
	UT_OK(exo_ipc_call((exo_cap_t)ep, &m));
	UT_ASSERT(!prog_remote_access(&p, PEER_LOAD, PROG_SCRATCH_VA, &v));
	UT_ASSERT(prog_wait_dead(&p, TIMEOUT));
	n = UT_OK(exo_events_read(EXO_CAP_MACHINE, evs, RING));
	UT_ASSERT(find(n, 0, EXO_EV_REVOKE, s.env, 1) >= 0);
	UT_ASSERT(find(n, 0, EXO_EV_IPC_CALL, self, s.env) >= 0);
	UT_ASSERT(find(n, 0, EXO_EV_FAULT, p.env, EXO_FAULT_PAGE) >= 0);
	UT_ASSERT_EQ(evs[find(n, 0, EXO_EV_FAULT, p.env, ~0ull)].b,
		     PROG_SCRATCH_VA);
	UT_ASSERT(find(n, 0, EXO_EV_UPCALL, p.env, EXO_UPCALL_FAULT) >= 0);
	UT_ASSERT(find(n, 0, EXO_EV_ENV_DESTROY, p.env, self) >= 0);
	UT_OK(prog_end(&p));
	UT_OK(prog_end(&s));
}

/* Bad buffers are EFAULT (docs/ABI.md), read-only ones included, and
 * nothing is written there; absurd counts and wrong capabilities are
 * refused. */
UTEST(events_read_errors)
{
	static const uint64_t bad[] = {
		0, KERNEL_VA, UT_VA, EXO_ENVINFO, EXO_UVPT, EXO_USER_TOP - 8
	};
	uint64_t before = *(volatile uint64_t *)(uintptr_t)EXO_ENVINFO;
	long c, r;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* An event is sure to be pending. */
		c = UT_OK(exo_env_create(16, 0));
		UT_OK(exo_env_destroy((exo_envid_t)c));
		r = exo_events_read(EXO_CAP_MACHINE, (void *)(uintptr_t)bad[i],
				    1);
		if (r != -EXO_EFAULT) {
			utest_fail(__FILE__, __LINE__,
				   "events_read(buf %#lx) = %ld (%s), want "
				   "EFAULT",
				   (unsigned long)bad[i], r,
				   r < 0 ? exo_strerror(r) : "success");
			return;
		}
	}
	UT_ASSERT_EQ(*(volatile uint64_t *)(uintptr_t)EXO_ENVINFO, before);
	UT_ASSERT_FAILS(exo_events_read(EXO_CAP_MACHINE, evs, RING + 1));
	UT_ASSERT_FAILS(exo_events_read(EXO_CAP_MACHINE, evs, ~0ull));
	UT_ASSERT_FAILS(exo_events_read(EXO_CAP_MACHINE, evs, 1ull << 60));
	UT_ASSERT_EQ(exo_events_read(EXO_CAP_MACHINE, evs, 0), 0);
	UT_ASSERT_ERR(exo_events_read(EXO_CAP_CONSOLE, evs, 1), EXO_ENOENT);
	UT_ASSERT_ERR(exo_events_read(50, evs, 1), EXO_ENOENT);
	c = UT_OK(exo_cap_derive(EXO_CAP_MACHINE, EXO_RIGHT_READ));
	UT_ASSERT_ERR(exo_events_read((exo_cap_t)c, evs, 1), EXO_EPERM);
	UT_OK(exo_cap_drop((exo_cap_t)c));
}

/* An env without the MACHINE capability reads nothing. */
UTEST(events_read_nonroot)
{
	struct prog p;

	UT_OK(prog_start(&p, "peer", 0, PEER_REMOTE, 64));
	UT_ASSERT(prog_poll(&p.sh->done, PROG_MAGIC, TIMEOUT));
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_EVENTS_READ, EXO_CAP_MACHINE,
				 PROG_BUF(0), 1, 0),
		     -EXO_ENOENT);
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_EVENTS_READ, 0, PROG_BUF(0), 1, 0),
		     -EXO_ENOENT);
	UT_ASSERT_EQ(
		prog_remote(&p, EXO_SYS_EVENTS_READ, 40, PROG_BUF(0), 1, 0),
		-EXO_ENOENT);
	UT_OK(prog_end(&p));
}
