/*
 * Cases: waiting on memory words (wait_word, wake_word) between the root
 * and peer envs that share a frame at different virtual addresses, and
 * the adversarial cases (adv_word_*): bad addresses, freed frames, dead
 * waiters and wakers that do not map the word.
 */
#include "prog.h"
#include "ut.h"

#define TIMEOUT (5 * UT_SECOND)
#define BIT(n) (1ull << (n))
#define WORD_OFF 64 /* the word, inside the shared frame */
#define ROOT_WORD (UT_VA + WORD_OFF)
#define PEER_WORD_VA (PROG_SCRATCH_VA + WORD_OFF)
#define NPEERS 3
#define ROUNDS 1000

/* The word as the root sees it. */
static volatile uint32_t *const rw = (volatile uint32_t *)(uintptr_t)ROOT_WORD;

/* Wait until env is blocked (in an IPC or a wait): whether it came. */
static int
blocked(exo_envid_t env)
{
	return prog_blocked(env, TIMEOUT);
}

/* Have the PEER_REMOTE peer start system call nr without waiting for it:
 * the request whose ack says the call returned. */
static uint64_t
post(struct prog *p, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
     uint64_t a3)
{
	volatile uint64_t *a = p->sh->arg;

	a[0] = PEER_SYSCALL;
	a[1] = nr;
	a[2] = a0;
	a[3] = a1;
	a[4] = a2;
	a[5] = a3;
	a[6] = a[7] = 0;
	return ++p->sh->req;
}

/* Whether the answer to request req came within timeout_ns. */
static int
answered(struct prog *p, uint64_t req, uint64_t timeout_ns)
{
	return prog_poll(&p->sh->ack, req, timeout_ns);
}

/* Have the peer wait on its view of the word for `expect`, with mask,
 * forever, and see it blocked: the request, or 0 if it did not block. */
static uint64_t
peer_waits(struct prog *p, uint32_t expect, uint64_t mask)
{
	uint64_t req =
		post(p, EXO_SYS_WAIT_WORD, PEER_WORD_VA, expect, mask, ~0ull);

	return blocked(p->env) && p->sh->ack != req ? req : 0;
}

/* A PEER_REMOTE peer with frame wpa at PROG_SCRATCH_VA: 0 or an error. */
static long
word_peer(struct prog *p, unsigned slot, uint64_t wpa)
{
	struct exo_mapping m = { PROG_SCRATCH_VA, wpa,
				 EXO_PERM_R | EXO_PERM_W };
	long r = prog_start(p, "peer", slot, PEER_REMOTE, 64);

	if (r < 0)
		return r;
	if (!prog_poll(&p->sh->done, PROG_MAGIC, TIMEOUT))
		return -EXO_EAGAIN;
	return wpa ? exo_map(p->env, &m, 1) : 0;
}

/* The word's frame, mapped read-write at UT_VA in the root. */
static long
word_page(void)
{
	return ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W);
}

/* A peer blocks on the word; the root, which maps the frame elsewhere,
 * wakes it; the call returns 0 and nobody is left to wake. */
UTEST(word_wake_one)
{
	long wpa = UT_OK(word_page());
	struct prog p;
	uint64_t req;

	*rw = 7;
	UT_OK(word_peer(&p, 0, (uint64_t)wpa));
	req = peer_waits(&p, 7, 0);
	UT_ASSERT(req);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 1);
	UT_ASSERT(answered(&p, req, TIMEOUT));
	UT_ASSERT_EQ(p.sh->ret, 0);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* A word that no longer holds the value is -EXO_EAGAIN at once; one that
 * does, with timeout 0, is 0 at once. */
UTEST(word_value_differs)
{
	long wpa = UT_OK(word_page());

	*rw = 5;
	UT_ASSERT_ERR(exo_wait_word(rw, 6, 0, ~0ull), EXO_EAGAIN);
	UT_ASSERT_ERR(exo_wait_word(rw, 0xffffffffu, BIT(1), ~0ull),
		      EXO_EAGAIN);
	UT_ASSERT_EQ(exo_wait_word(rw, 5, 0, 0), 0);
	UT_ASSERT_EQ(exo_wait_word(rw, 5, BIT(1), 0), 0);
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* Nobody wakes: the wait ends after its timeout, with 0. */
UTEST(word_timeout)
{
	long wpa = UT_OK(word_page());
	uint64_t t0, dt;

	*rw = 1;
	t0 = (uint64_t)exo_clock_ns();
	UT_ASSERT_EQ(exo_wait_word(rw, 1, BIT(2), 3000000), 0);
	dt = (uint64_t)exo_clock_ns() - t0;
	UT_ASSERT(dt >= 3000000);
	UT_ASSERT(dt < TIMEOUT);
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* Notification bits in mask: taken at once if pending (the word check
 * comes first), or they end a wait, like exo_wait; bits outside mask
 * stay pending and a notified waiter is no longer on the word. */
UTEST(word_notify)
{
	long wpa = UT_OK(word_page());
	long self = UT_OK(exo_cap_env(EXO_ENVID_SELF, EXO_RIGHT_NOTIFY));
	long ep;
	struct prog p;
	struct exo_envinfo info;
	uint64_t req;

	*rw = 9;
	UT_OK(exo_notify((exo_cap_t)self, BIT(4) | BIT(5)));
	UT_ASSERT_ERR(exo_wait_word(rw, 8, BIT(4), ~0ull), EXO_EAGAIN);
	UT_ASSERT_EQ(exo_wait_word(rw, 9, BIT(4), ~0ull), BIT(4));
	UT_ASSERT_EQ(exo_wait(BIT(4) | BIT(5), 0), BIT(5));

	UT_OK(word_peer(&p, 0, (uint64_t)wpa));
	ep = UT_OK(exo_cap_env(p.env, EXO_RIGHT_NOTIFY));
	req = peer_waits(&p, 9, BIT(3));
	UT_ASSERT(req);
	UT_OK(exo_notify((exo_cap_t)ep, BIT(7)));
	UT_ASSERT(blocked(p.env));
	UT_OK(exo_notify((exo_cap_t)ep, BIT(3) | BIT(9)));
	UT_ASSERT(answered(&p, req, TIMEOUT));
	UT_ASSERT_EQ(p.sh->ret, BIT(3));
	UT_OK(exo_env_info(p.env, &info));
	UT_ASSERT_EQ(info.notify_pending, BIT(7) | BIT(9));
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* Start NPEERS peers, each blocked on the word in turn: 0 or an error. */
static long
peers_wait(struct prog *p, uint64_t *req, uint64_t wpa)
{
	for (unsigned i = 0; i < NPEERS; i++) {
		long r = word_peer(&p[i], i, wpa);

		if (r < 0)
			return r;
		req[i] = peer_waits(&p[i], 3, 0);
		if (!req[i])
			return -EXO_EAGAIN;
	}
	return 0;
}

/* wake_word's n: 0 wakes nobody, 1 the oldest waiter, a huge n the rest;
 * it returns how many it woke. */
UTEST(word_wake_count)
{
	long wpa = UT_OK(word_page());
	struct prog p[NPEERS];
	uint64_t req[NPEERS];

	*rw = 3;
	UT_OK(peers_wait(p, req, (uint64_t)wpa));
	UT_ASSERT_EQ(exo_wake_word(rw, 0), 0);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 1);
	UT_ASSERT(answered(&p[0], req[0], TIMEOUT));
	UT_ASSERT(blocked(p[1].env) && blocked(p[2].env));
	UT_ASSERT(p[1].sh->ack != req[1] && p[2].sh->ack != req[2]);
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 2);
	UT_ASSERT(answered(&p[1], req[1], TIMEOUT));
	UT_ASSERT(answered(&p[2], req[2], TIMEOUT));
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	for (unsigned i = 0; i < NPEERS; i++)
		UT_OK(prog_end(&p[i]));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* A wake of any other word of the frame, including those that share the
 * waiter's hash bucket, wakes nobody. */
UTEST(word_other_words)
{
	long wpa = UT_OK(word_page());
	struct prog p;
	uint64_t req;

	*rw = 2;
	UT_OK(word_peer(&p, 0, (uint64_t)wpa));
	req = peer_waits(&p, 2, 0);
	UT_ASSERT(req);
	for (uint64_t off = 0; off < UT_PAGE; off += 4) {
		volatile uint32_t *w =
			(volatile uint32_t *)(uintptr_t)(UT_VA + off);
		if (off != WORD_OFF)
			UT_ASSERT_EQ(exo_wake_word(w, ~0ull), 0);
	}
	UT_ASSERT(blocked(p.env) && p.sh->ack != req);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 1);
	UT_ASSERT(answered(&p, req, TIMEOUT));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* The cost of a wake + wait round trip between two envs: ROUNDS rounds
 * of ping-pong (peer.c's word_pong).  A lost wake-up would show as a
 * round that lasts the peer's one-second timeout. */
UTEST(word_pingpong)
{
	struct prog p;
	volatile uint32_t *w;
	uint64_t t0, start, worst = 0;

	UT_OK(prog_load(&p, "peer", 0, PEER_WORD, 64));
	p.sh->arg[0] = ROUNDS;
	w = (volatile uint32_t *)&p.sh->buf[0];
	UT_OK(prog_run(&p));
	start = (uint64_t)exo_clock_ns();
	for (uint32_t i = 0; i < ROUNDS; i++) {
		t0 = (uint64_t)exo_clock_ns();
		*w = 2 * i + 1;
		exo_wake_word(w, 1);
		while (*w != 2 * i + 2) {
			/* -EXO_EAGAIN if the peer got in first (a slice
			 * may end between the check and the call). */
			long r = exo_wait_word(w, 2 * i + 1, 0, UT_SECOND);
			UT_ASSERT(r == 0 || r == -EXO_EAGAIN);
		}
		t0 = (uint64_t)exo_clock_ns() - t0;
		worst = t0 > worst ? t0 : worst;
	}
	t0 = (uint64_t)exo_clock_ns() - start;
	UT_ASSERT(prog_poll(&p.sh->done, PROG_MAGIC, TIMEOUT));
	UT_ASSERT(worst < UT_SECOND);
	exo_printf("word: %u round trips, %lu ns each, worst %lu ns\n", ROUNDS,
		   (unsigned long)(t0 / ROUNDS), (unsigned long)worst);
	UT_OK(prog_end(&p));
}

/* Misaligned, unmapped, kernel, kernel-window and non-canonical
 * addresses, bit 63 in mask, and any n: refused cleanly, or nothing to
 * wake. */
UTEST(adv_word_addresses)
{
	long wpa = UT_OK(word_page());

	UT_ASSERT_ERR(exo_wait_word(NULL, 0, 0, ~0ull), EXO_EFAULT);
	UT_ASSERT_ERR(exo_wake_word(NULL, 1), EXO_EFAULT);
	for (unsigned i = 0; i < UT_NBAD_WORDS; i++) {
		volatile uint32_t *w = ut_word(ut_bad_words[i]);
		UT_ASSERT_ERR(exo_wait_word(w, 0, 0, ~0ull), EXO_EFAULT);
		UT_ASSERT_ERR(exo_wake_word(w, 1), EXO_EFAULT);
	}
	for (unsigned i = 0; i < UT_NMISALIGNED_WORDS; i++) {
		volatile uint32_t *w = ut_word(ut_misaligned_words[i]);
		UT_ASSERT_ERR(exo_wait_word(w, 0, 0, ~0ull), EXO_EINVAL);
		UT_ASSERT_ERR(exo_wake_word(w, 1), EXO_EINVAL);
	}
	*rw = 0;
	UT_ASSERT_ERR(exo_wait_word(rw, 0, BIT(63), ~0ull), EXO_EINVAL);
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_ASSERT_EQ(exo_wake_word(rw, 1ull << 63), 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* A read-only mapping is enough for both calls. */
UTEST(adv_word_read_only)
{
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	struct exo_mapping m = { UT_VA, (uint64_t)pa, EXO_PERM_R };

	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	UT_ASSERT_EQ(exo_wait_word(rw, 0, 0, 1000), 0);
	UT_ASSERT_ERR(exo_wait_word(rw, 1, 0, 1000), EXO_EAGAIN);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}

/* The frame a peer waits on is unmapped everywhere and freed: the waiter
 * stays blocked, the kernel stays consistent, and a wake on the same
 * physical word by its next owner ends the wait (a spurious wake-up). */
UTEST(adv_word_frame_freed)
{
	long wpa = UT_OK(word_page());
	uint64_t va = PROG_SCRATCH_VA, req;
	struct prog p;

	*rw = 4;
	UT_OK(word_peer(&p, 0, (uint64_t)wpa));
	req = peer_waits(&p, 4, 0);
	UT_ASSERT(req);
	UT_ASSERT_EQ(exo_unmap(p.env, &va, 1), 1);
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_ASSERT(blocked(p.env) && p.sh->ack != req);
	UT_ASSERT_EQ(exo_page_alloc(EXO_ENVID_SELF, (uint64_t)wpa), wpa);
	{
		struct exo_mapping m = { UT_VA, (uint64_t)wpa, EXO_PERM_R };
		UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	}
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 1);
	UT_ASSERT(answered(&p, req, TIMEOUT));
	UT_ASSERT_EQ(p.sh->ret, 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* The root names its word (the kernel remembers the translation), then
 * unmaps the page, then maps another frame there: each call sees the
 * mapping as it is now.  A wake through the new frame never reaches a
 * peer that waits on the old one; a wake through the old one does. */
UTEST(adv_word_remapped)
{
	long a = UT_OK(word_page()), b;
	uint64_t req;
	struct prog p;

	*rw = 5;
	UT_OK(word_peer(&p, 0, (uint64_t)a));
	req = peer_waits(&p, 5, 0);
	UT_ASSERT(req);
	UT_ASSERT_ERR(exo_wait_word(rw, 4, 0, 1000), EXO_EAGAIN);
	UT_ASSERT_EQ(exo_wake_word(rw, 0), 0);
	{
		uint64_t va = UT_VA;
		UT_ASSERT_EQ(exo_unmap(EXO_ENVID_SELF, &va, 1), 1);
	}
	UT_ASSERT_ERR(exo_wake_word(rw, ~0ull), EXO_EFAULT);
	UT_ASSERT_ERR(exo_wait_word(rw, 5, 0, 1000), EXO_EFAULT);
	b = UT_OK(ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W));
	UT_ASSERT(b != a);
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_ASSERT(blocked(p.env) && p.sh->ack != req);
	UT_OK(ut_unpage(UT_VA, (uint64_t)b));
	{
		struct exo_mapping m = { UT_VA, (uint64_t)a,
					 EXO_PERM_R | EXO_PERM_W };
		UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	}
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 1);
	UT_ASSERT(answered(&p, req, TIMEOUT));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)a));
}

/* Waiters destroyed while they wait leave no trace: the one in the
 * middle of the queue, then the oldest; a wake finds only the living. */
UTEST(adv_word_dead_waiter)
{
	long wpa = UT_OK(word_page());
	struct prog p[NPEERS];
	uint64_t req[NPEERS];

	*rw = 3;
	UT_OK(peers_wait(p, req, (uint64_t)wpa));
	UT_OK(exo_env_destroy(p[1].env));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(exo_env_destroy(p[0].env));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 1);
	UT_ASSERT(answered(&p[2], req[2], TIMEOUT));
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	for (unsigned i = 0; i < NPEERS; i++)
		UT_OK(prog_end(&p[i]));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* An env that does not map the frame cannot wake its waiter: not at the
 * waiter's address (its own frame there, or nothing), nor at the root's. */
UTEST(adv_word_foreign_waker)
{
	long wpa = UT_OK(word_page());
	long other;
	struct prog a, b;
	struct exo_mapping m;
	uint64_t req;

	*rw = 6;
	UT_OK(word_peer(&a, 0, (uint64_t)wpa));
	UT_OK(word_peer(&b, 1, 0));
	req = peer_waits(&a, 6, 0);
	UT_ASSERT(req);
	UT_ASSERT_ERR(
		prog_remote(&b, EXO_SYS_WAKE_WORD, PEER_WORD_VA, ~0ull, 0, 0),
		EXO_EFAULT);
	UT_ASSERT_ERR(
		prog_remote(&b, EXO_SYS_WAKE_WORD, ROOT_WORD, ~0ull, 0, 0),
		EXO_EFAULT);
	other = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	m = (struct exo_mapping){ PROG_SCRATCH_VA, (uint64_t)other,
				  EXO_PERM_R | EXO_PERM_W };
	UT_ASSERT_EQ(exo_map(b.env, &m, 1), 1);
	UT_ASSERT_EQ(
		prog_remote(&b, EXO_SYS_WAKE_WORD, PEER_WORD_VA, ~0ull, 0, 0),
		0);
	UT_ASSERT(blocked(a.env) && a.sh->ack != req);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 1);
	UT_ASSERT(answered(&a, req, TIMEOUT));
	UT_OK(prog_end(&b));
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)other));
	UT_OK(prog_end(&a));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

#define IRQ_LINE 10 /* as in t_irq.c: no device of the test machines */

static volatile uint64_t irq_count;

static int
irq_hook(struct exo_upcall_frame *f)
{
	if (f->type != EXO_UPCALL_IRQ)
		return 0;
	irq_count++;
	return 1;
}

/* An IRQ ends a word wait early, like an exo_wait (it returns 0 and the
 * upcall runs), and takes the waiter off the word: a child holding the
 * MACHINE capability raises the line while the root waits. */
UTEST(word_irq_ends_wait)
{
	long wpa = UT_OK(word_page());
	struct ut_child c;
	long slot;
	uint64_t t0;

	irq_count = 0;
	*rw = 1;
	UT_OK(ut_upcalls_on(irq_hook));
	UT_OK(exo_irq_bind(EXO_CAP_IRQ, IRQ_LINE));
	UT_OK(ut_child_load(&c, CHILD_IRQ_RAISE, 64));
	slot = UT_OK(exo_cap_grant(EXO_CAP_MACHINE, c.env, EXO_RIGHT_USE));
	c.sh->results[0] = slot;
	c.sh->results[1] = IRQ_LINE;
	c.sh->results[2] = 50 * 1000000; /* ns: the root is asleep by then */
	UT_OK(ut_child_run(&c));
	t0 = (uint64_t)exo_clock_ns();
	UT_ASSERT_EQ(exo_wait_word(rw, 1, 0, 10 * UT_SECOND), 0);
	UT_ASSERT((uint64_t)exo_clock_ns() - t0 < 5 * UT_SECOND);
	UT_ASSERT_EQ(irq_count, 1);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT_EQ(ut_wait_child(UT_SECOND), EXO_NOTIFY_CHILD);
	UT_OK(ut_child_release(&c));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}
