/*
 * Cases: synchronous IPC (ipc_call, ipc_reply_wait), notifications
 * (notify, wait) and yield, between the root and peer envs.
 */
#include "prog.h"
#include "ut.h"

#define TIMEOUT (5 * UT_SECOND)
#define BIT(n) (1ull << (n))

/* Wait until env is blocked (in an IPC or a wait): whether it came. */
static int
blocked(exo_envid_t env)
{
	return prog_blocked(env, TIMEOUT);
}

/* A PEER_SERVE echo server waiting for calls; *ep a CALL capability. */
static long
server_up(struct prog *s, unsigned slot, uint64_t wait_bit, long *ep)
{
	long r = prog_load(s, "peer", slot, PEER_SERVE, 64);

	if (r < 0)
		return r;
	s->sh->arg[0] = wait_bit;
	r = prog_run(s);
	if (r < 0)
		return r;
	if (!blocked(s->env))
		return -EXO_EAGAIN;
	*ep = exo_cap_env(s->env, EXO_RIGHT_CALL | EXO_RIGHT_GRANT);
	return *ep < 0 ? *ep : 0;
}

/* Four words go, four come back changed, and each side learns who the
 * other is; many times over. */
UTEST(ipc_call_words)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t calls = info->counters.ipc_calls;
	struct prog s;
	long ep;

	UT_OK(server_up(&s, 0, 0, &ep));
	for (uint64_t i = 0; i < 100; i++) {
		struct exo_msg m = { { i, ~i, i << 32, 0x77 } };

		UT_ASSERT_EQ(exo_ipc_call((exo_cap_t)ep, &m), 0);
		UT_ASSERT_EQ(m.w[0], PEER_REPLY(i, 0));
		UT_ASSERT_EQ(m.w[1], PEER_REPLY(~i, 1));
		UT_ASSERT_EQ(m.w[2], PEER_REPLY(i << 32, 2));
		UT_ASSERT_EQ(m.w[3], exo_env_self());
	}
	UT_ASSERT_EQ(s.sh->out[0], exo_env_self());
	UT_ASSERT_EQ(s.sh->out[PROG_NOUT / 2 + 5], 5);
	UT_ASSERT_EQ(s.sh->counter, 100);
	UT_ASSERT(info->counters.ipc_calls >= calls + 100);
	UT_OK(prog_end(&s));
}

/* Callers queued on a busy server are served in the order they came. */
UTEST(ipc_queue_order)
{
	struct prog s, c[3];
	long ep, nt;

	UT_OK(server_up(&s, 0, BIT(1), &ep));
	for (unsigned i = 0; i < 3; i++) {
		long g;

		UT_OK(prog_load(&c[i], "peer", 1 + i, PEER_CALL, 64));
		g = UT_OK(
			exo_cap_grant((exo_cap_t)ep, c[i].env, EXO_RIGHT_CALL));
		c[i].sh->arg[0] = (uint64_t)g;
		c[i].sh->arg[1] = 1;
		UT_OK(prog_run(&c[i]));
		UT_ASSERT(blocked(c[i].env));
	}
	nt = UT_OK(exo_cap_env(s.env, EXO_RIGHT_NOTIFY));
	UT_OK(exo_notify((exo_cap_t)nt, BIT(1)));
	for (unsigned i = 0; i < 3; i++) {
		UT_ASSERT(prog_poll(&c[i].sh->done, PROG_MAGIC, TIMEOUT));
		UT_ASSERT_EQ(c[i].sh->out[0], 0);
		UT_ASSERT_EQ(s.sh->out[i], c[i].env);
	}
	for (unsigned i = 0; i < 3; i++)
		UT_OK(prog_end(&c[i]));
	UT_OK(prog_end(&s));
}

/* A callee that dies before replying wakes its caller with ENOENT; a
 * dead callee takes no calls. */
UTEST(ipc_callee_dies)
{
	struct prog s;
	struct exo_msg m = { { PEER_QUIT, 0, 0, 0 } };
	long ep;

	UT_OK(server_up(&s, 0, 0, &ep));
	UT_ASSERT_ERR(exo_ipc_call((exo_cap_t)ep, &m), EXO_ENOENT);
	UT_ASSERT(prog_wait_dead(&s, TIMEOUT));
	UT_ASSERT_ERR(exo_ipc_call((exo_cap_t)ep, &m), EXO_ENOENT);
	UT_OK(prog_end(&s));
}

/* A caller queued on a server that dies is woken too. */
UTEST(ipc_queued_caller_wakes)
{
	struct prog s, c;
	long ep, g;

	UT_OK(server_up(&s, 0, BIT(1), &ep));
	UT_OK(prog_load(&c, "peer", 1, PEER_CALL, 64));
	g = UT_OK(exo_cap_grant((exo_cap_t)ep, c.env, EXO_RIGHT_CALL));
	c.sh->arg[0] = (uint64_t)g;
	c.sh->arg[1] = 1;
	UT_OK(prog_run(&c));
	UT_ASSERT(blocked(c.env));
	UT_OK(exo_env_destroy(s.env));
	UT_ASSERT(prog_poll(&c.sh->done, PROG_MAGIC, TIMEOUT));
	UT_ASSERT_EQ(c.sh->out[0], -EXO_ENOENT);
	UT_OK(prog_end(&c));
	UT_OK(prog_end(&s));
}

UTEST(ipc_errors)
{
	struct prog s;
	struct exo_msg m = { { 1, 2, 3, 4 } };
	long ep, nt, self;

	UT_OK(server_up(&s, 0, 0, &ep));
	nt = UT_OK(exo_cap_env(s.env, EXO_RIGHT_NOTIFY));
	UT_ASSERT_ERR(exo_ipc_call((exo_cap_t)nt, &m), EXO_EPERM);
	self = UT_OK(exo_cap_env(EXO_ENVID_SELF, EXO_RIGHTS_ALL));
	UT_ASSERT_ERR(exo_ipc_call((exo_cap_t)self, &m), EXO_EINVAL);
	UT_ASSERT_ERR(exo_ipc_call(50, &m), EXO_ENOENT);
	UT_ASSERT_ERR(exo_ipc_call(EXO_CAP_CONSOLE, &m), EXO_ENOENT);
	/* Nobody is waiting for a reply from the root. */
	UT_ASSERT_ERR(exo_ipc_reply_wait(s.env, &m), EXO_ENOENT);
	UT_ASSERT_ERR(exo_ipc_reply_wait(0xffffffffu, &m), EXO_ENOENT);
	/* The words were left alone. */
	UT_ASSERT_EQ(m.w[0], 1);
	UT_ASSERT_EQ(m.w[3], 4);
	UT_ASSERT_EQ(s.sh->counter, 0);
	UT_OK(prog_end(&s));
}

/* Bits pile up; a waiter wakes for the bits of its mask only, and takes
 * just those. */
UTEST(notify_wait_bits)
{
	struct prog w;
	struct exo_envinfo wi;
	long nt;

	UT_OK(prog_load(&w, "peer", 0, PEER_WAIT, 64));
	w.sh->arg[0] = BIT(1) | BIT(2) | BIT(3);
	w.sh->arg[1] = ~0ull;
	UT_OK(prog_run(&w));
	UT_ASSERT(blocked(w.env));
	nt = UT_OK(exo_cap_env(w.env, EXO_RIGHT_NOTIFY));
	UT_OK(exo_notify((exo_cap_t)nt, BIT(1) | BIT(2)));
	UT_ASSERT(prog_poll(&w.sh->counter, 1, TIMEOUT));
	UT_ASSERT_EQ(w.sh->out[0], BIT(1) | BIT(2));
	UT_ASSERT(blocked(w.env));
	/* Not in its mask: pending, but it sleeps on. */
	UT_OK(exo_notify((exo_cap_t)nt, BIT(0)));
	ut_sleep(20000000);
	UT_ASSERT_EQ(w.sh->counter, 1);
	UT_OK(exo_env_info(w.env, &wi));
	UT_ASSERT_EQ(wi.notify_pending & BIT(0), BIT(0));
	UT_OK(exo_notify((exo_cap_t)nt, BIT(3)));
	UT_ASSERT(prog_poll(&w.sh->counter, 2, TIMEOUT));
	UT_ASSERT_EQ(w.sh->out[1], BIT(3));
	UT_OK(exo_env_info(w.env, &wi));
	UT_ASSERT_EQ(wi.notify_pending, BIT(0));
	UT_ASSERT(wi.counters.notifications >= 3);
	UT_OK(prog_end(&w));
}

/* A child notifies the root through a capability the root gave it. */
UTEST(notify_parent)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct prog p;
	long nt, g;

	UT_OK(prog_start(&p, "peer", 0, PEER_REMOTE, 64));
	UT_ASSERT(prog_poll(&p.sh->done, PROG_MAGIC, TIMEOUT));
	nt = UT_OK(exo_cap_env(EXO_ENVID_SELF,
			       EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT));
	g = UT_OK(exo_cap_grant((exo_cap_t)nt, p.env, EXO_RIGHT_NOTIFY));
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_NOTIFY, (uint64_t)g, BIT(5), 0, 0),
		     0);
	UT_ASSERT_EQ(info->notify_pending & BIT(5), BIT(5));
	UT_ASSERT_EQ(exo_wait(BIT(5) | BIT(6), 0), BIT(5));
	UT_ASSERT_EQ(info->notify_pending & BIT(5), 0);
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_NOTIFY, (uint64_t)g,
				 EXO_NOTIFY_RESERVED, 0, 0),
		     -EXO_EINVAL);
	/* Without the right. */
	g = UT_OK(exo_cap_grant((exo_cap_t)nt, p.env, EXO_RIGHT_CALL));
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_NOTIFY, (uint64_t)g, BIT(5), 0, 0),
		     -EXO_EPERM);
	UT_ASSERT_EQ(exo_wait(BIT(5), 0), 0);
	UT_OK(prog_end(&p));
}

/* A notification cuts a timed wait short; bit 63 is refused. */
UTEST(notify_wakes_timed_wait)
{
	struct prog w;
	long nt;
	uint64_t t0;

	UT_OK(prog_load(&w, "peer", 0, PEER_WAIT, 64));
	w.sh->arg[0] = BIT(7);
	w.sh->arg[1] = 30 * UT_SECOND;
	UT_OK(prog_run(&w));
	UT_ASSERT(blocked(w.env));
	nt = UT_OK(exo_cap_env(w.env, EXO_RIGHT_NOTIFY));
	UT_ASSERT_ERR(exo_notify((exo_cap_t)nt, EXO_NOTIFY_RESERVED),
		      EXO_EINVAL);
	t0 = (uint64_t)exo_clock_ns();
	UT_OK(exo_notify((exo_cap_t)nt, BIT(7)));
	UT_ASSERT(prog_poll(&w.sh->counter, 1, TIMEOUT));
	UT_ASSERT((uint64_t)exo_clock_ns() - t0 < 10 * UT_SECOND);
	UT_ASSERT_EQ(w.sh->out[0], BIT(7));
	UT_ASSERT_ERR(exo_wait(EXO_NOTIFY_RESERVED | 1, 0), EXO_EINVAL);
	UT_OK(prog_end(&w));
}

/* A waiter whose time runs out gets 0. */
UTEST(wait_times_out_in_child)
{
	struct prog w;
	uint64_t t0 = (uint64_t)exo_clock_ns();

	UT_OK(prog_load(&w, "peer", 0, PEER_WAIT, 64));
	w.sh->arg[0] = BIT(9);
	w.sh->arg[1] = 20000000;
	UT_OK(prog_run(&w));
	while (w.sh->counter < 2 && (uint64_t)exo_clock_ns() - t0 < TIMEOUT)
		ut_sleep(1000000);
	UT_ASSERT(w.sh->counter >= 2);
	UT_ASSERT_EQ(w.sh->out[0], 0);
	UT_ASSERT_EQ(w.sh->out[1], 0);
	UT_ASSERT((uint64_t)exo_clock_ns() - t0 >= 40000000);
	UT_OK(prog_end(&w));
}

/* A child's death, by exit or by fault, is EXO_NOTIFY_CHILD. */
UTEST(notify_child_death)
{
	struct prog p;
	uint64_t v = 0;

	UT_OK(prog_start(&p, "peer", 0, PEER_REMOTE, 64));
	UT_ASSERT(prog_poll(&p.sh->done, PROG_MAGIC, TIMEOUT));
	UT_ASSERT_EQ(exo_wait(EXO_NOTIFY_CHILD, 0), 0);
	UT_ASSERT(!prog_remote_access(&p, PEER_LOAD, PROG_SCRATCH_VA, &v));
	UT_ASSERT_EQ((uint64_t)exo_wait(EXO_NOTIFY_CHILD, TIMEOUT),
		     EXO_NOTIFY_CHILD);
	UT_ASSERT(!prog_alive(&p));
	UT_OK(prog_end(&p));
}

/*
 * Directed yield: the named env runs next, not whoever else is runnable.
 * Two spinners copy the root's sequence number; after each yield to B,
 * B must have seen the latest.
 */
UTEST(yield_directed)
{
	struct prog a, b;
	unsigned hits = 0;

	UT_OK(prog_start(&a, "peer", 0, PEER_SPIN, 64));
	UT_OK(prog_start(&b, "peer", 1, PEER_SPIN, 64));
	UT_ASSERT(prog_poll(&a.sh->started, PROG_MAGIC, TIMEOUT));
	UT_ASSERT(prog_poll(&b.sh->started, PROG_MAGIC, TIMEOUT));
	for (uint64_t seq = 1; seq <= 20; seq++) {
		a.sh->arg[0] = seq;
		b.sh->arg[0] = seq;
		exo_yield(b.env);
		hits += b.sh->seen == seq;
	}
	UT_ASSERT(hits >= 18);
	UT_OK(prog_end(&a));
	UT_OK(prog_end(&b));
}

/* An undirected yield lets the other runnable env run. */
UTEST(yield_any)
{
	struct prog a;
	unsigned hits = 0;

	UT_OK(prog_start(&a, "peer", 0, PEER_SPIN, 64));
	UT_ASSERT(prog_poll(&a.sh->started, PROG_MAGIC, TIMEOUT));
	for (uint64_t seq = 1; seq <= 20; seq++) {
		a.sh->arg[0] = seq;
		UT_ASSERT_EQ(exo_yield(0), 0);
		hits += a.sh->seen == seq;
	}
	UT_ASSERT(hits >= 15);
	/* A yield to nobody in particular, or to a dead env, is a yield. */
	UT_ASSERT_EQ(exo_yield(0xffffffffu), 0);
	UT_OK(prog_end(&a));
}
