/*
 * Cases: libos-native's user-level threads, sleeping, and preemption
 * from the slice-start upcall.
 */
#include <exo/string.h>
#include "nt.h"

#define MS 1000000ull

struct trace {
	char log[64];
	unsigned n;
};

struct step {
	struct trace *t;
	char id;
};

static void
stepper(void *arg)
{
	struct step *s = arg;

	for (int i = 0; i < 3; i++) {
		s->t->log[s->t->n++] = s->id;
		nat_thread_yield();
	}
}

/* Yields go round-robin, in creation order, and join waits for the
 * end. */
UTEST(threads_interleave)
{
	struct trace t = { { 0 }, 0 };
	struct step a = { &t, 'a' }, b = { &t, 'b' }, c = { &t, 'c' };
	nat_thread_t *ta, *tb, *tc;

	UT_OK(nat_init());
	ta = nat_thread_create(stepper, &a);
	tb = nat_thread_create(stepper, &b);
	tc = nat_thread_create(stepper, &c);
	UT_ASSERT(ta && tb && tc);
	nat_thread_join(ta);
	nat_thread_join(tb);
	nat_thread_join(tc);
	t.log[t.n] = '\0';
	UT_ASSERT_EQ(t.n, 9);
	UT_ASSERT(!strcmp(t.log, "abcabcabc"));
}

static void
counter(void *arg)
{
	(*(volatile uint64_t *)arg)++;
}

/* Threads that have ended are joined at once; their stacks and records
 * are reused, so many generations cost no more memory than one. */
UTEST(threads_join_reuse)
{
	volatile uint64_t n = 0;
	nat_thread_t *t[8];
	uint64_t used = 0;

	UT_OK(nat_init());
	for (unsigned gen = 0; gen < 20; gen++) {
		for (unsigned i = 0; i < 8; i++)
			UT_ASSERT((
				t[i] = nat_thread_create(counter, (void *)&n)));
		nat_thread_yield(); /* every one runs and ends */
		for (unsigned i = 0; i < 8; i++)
			nat_thread_join(t[i]);
		if (gen == 0)
			used = exo_info()->frames_used;
	}
	UT_ASSERT_EQ(n, 160);
	UT_ASSERT_EQ(exo_info()->frames_used, used);
}

struct sleeper {
	uint64_t ns, woke;
};

static void
sleeper(void *arg)
{
	struct sleeper *s = arg;

	nat_sleep_ns(s->ns);
	s->woke = nat_now_ns();
}

/* Sleepers wake in deadline order, no earlier than asked, while another
 * thread keeps running. */
UTEST(sleep_order)
{
	struct sleeper s[3] = { { 30 * MS, 0 },
				{ 10 * MS, 0 },
				{ 20 * MS, 0 } };
	nat_thread_t *t[3];
	uint64_t t0, spins = 0;

	UT_OK(nat_init());
	t0 = nat_now_ns();
	for (unsigned i = 0; i < 3; i++)
		UT_ASSERT((t[i] = nat_thread_create(sleeper, &s[i])));
	while (!s[0].woke) {
		spins++;
		nat_thread_yield();
	}
	for (unsigned i = 0; i < 3; i++) {
		nat_thread_join(t[i]);
		UT_ASSERT(s[i].woke - t0 >= s[i].ns);
	}
	UT_ASSERT(s[1].woke <= s[2].woke && s[2].woke <= s[0].woke);
	UT_ASSERT(spins > 0);
}

/* With every thread asleep the env sleeps in the kernel. */
UTEST(sleep_idle)
{
	uint64_t t0, slices;

	UT_OK(nat_init());
	slices = exo_info()->counters.slices;
	t0 = nat_now_ns();
	nat_sleep_ns(50 * MS);
	UT_ASSERT(nat_now_ns() - t0 >= 50 * MS);
	/* Woken once (or a few times), not spinning through slices. */
	UT_ASSERT(exo_info()->counters.slices - slices < 10);
}

static void
waiter(void *arg)
{
	*(volatile uint64_t *)arg = nat_wait(1ull << 5 | 1ull << 6);
}

/* nat_wait blocks one thread until a notification bit arrives. */
UTEST(wait_bits)
{
	volatile uint64_t got = 0;
	nat_thread_t *t;
	long self;

	UT_OK(nat_init());
	self = UT_OK(exo_cap_env(EXO_ENVID_SELF, EXO_RIGHT_NOTIFY));
	t = nat_thread_create(waiter, (void *)&got);
	UT_ASSERT(t);
	nat_thread_yield();
	nat_thread_yield();
	UT_ASSERT_EQ(got, 0);
	UT_OK(exo_notify((exo_cap_t)self, 1ull << 6));
	nat_thread_join(t);
	UT_ASSERT_EQ(got, 1ull << 6);
	UT_OK(exo_cap_drop((exo_cap_t)self));
}

static void
spinner(void *arg)
{
	volatile uint64_t *c = arg;

	/* Never yields: only preemption lets the others run. */
	while (c[0] < 3)
		c[1]++;
}

/* An env that owns time-slice slots is preempted between its threads
 * at each slice start: two threads that never yield both progress. */
UTEST(threads_preempt)
{
	static volatile uint64_t a[2], b[2];
	nat_thread_t *ta, *tb;
	uint64_t t0 = nat_now_ns();

	UT_OK(nat_init());
	for (unsigned i = 0; i < EXO_NSLICE; i++)
		UT_OK(exo_slice_bind(EXO_CAP_SLICES + i, exo_env_self()));
	ta = nat_thread_create(spinner, (void *)a);
	tb = nat_thread_create(spinner, (void *)b);
	UT_ASSERT(ta && tb);
	/* The first thread watches: it runs only when preempted threads let
	 * it, and stops each spinner once it saw both move. */
	while (nat_now_ns() - t0 < 20000 * MS) {
		uint64_t a0 = a[1], b0 = b[1];
		nat_thread_yield();
		if (a[1] > a0 && b[1] > b0) {
			a[0]++;
			b[0]++;
		}
		if (a[0] >= 3)
			break;
	}
	UT_ASSERT(a[0] >= 3);
	nat_thread_join(ta);
	nat_thread_join(tb);
	UT_ASSERT(exo_info()->counters.upcalls > 0);
}
