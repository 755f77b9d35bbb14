/*
 * Cases: alerts (exo_alert_word, and exo_wake_word alerting).  PEER_ALERT
 * peers name a word of a frame the root shares with them (at another
 * virtual address) as their alert word; the root or a PEER_REMOTE sibling
 * wakes it.  The adversarial cases (adv_alert_*) try bad addresses,
 * wakers without the frame, dying envs and storms.
 */
#include "prog.h"
#include "ut.h"

#define TIMEOUT (5 * UT_SECOND)
#define WORD_OFF 64 /* the word, inside the shared frame */
#define ROOT_WORD (UT_VA + WORD_OFF)
#define PEER_WORD_VA (PROG_SCRATCH_VA + WORD_OFF)
#define NPEERS 3
#define STORM 20000

/* The word as the root sees it. */
static volatile uint32_t *const rw = (volatile uint32_t *)(uintptr_t)ROOT_WORD;

/* The root's own alerts (alert_hook). */
static volatile uint64_t alerts;

static int
alert_hook(struct exo_upcall_frame *f)
{
	if (f->type != EXO_UPCALL_ALERT)
		return 0;
	alerts++;
	return 1;
}

/* Wait until *v >= want: whether it came. */
static int
reaches(const volatile uint64_t *v, uint64_t want)
{
	uint64_t end = (uint64_t)exo_clock_ns() + TIMEOUT;

	while (*v < want)
		if ((uint64_t)exo_clock_ns() > end)
			return 0;
		else
			exo_yield(0);
	return 1;
}

/* Wait until env is blocked (in an IPC or a wait): whether it came. */
static int
blocked(exo_envid_t env)
{
	return prog_blocked(env, TIMEOUT);
}

/* Give the other envs the CPU for a while. */
static void
let_run(void)
{
	for (unsigned i = 0; i < 20; i++)
		exo_yield(0);
}

/* The word's frame, mapped read-write at UT_VA in the root. */
static long
word_page(void)
{
	return ut_page(UT_VA, EXO_PERM_R | EXO_PERM_W);
}

/* Load a PEER_ALERT peer that will do `what`, catching alerts if handle,
 * with frame wpa (0: none) at PROG_SCRATCH_VA; its alert word is the
 * word there and its wait word buf[1] until the case changes arg[].  0 or
 * an error. */
static long
alert_load(struct prog *p, unsigned slot, uint64_t wpa, enum peer_alert what,
	   int handle)
{
	struct exo_mapping m = { PROG_SCRATCH_VA, wpa,
				 EXO_PERM_R | EXO_PERM_W };
	long r = prog_load(p, "peer", slot, PEER_ALERT, 64);

	if (r < 0)
		return r;
	p->sh->arg[0] = what;
	p->sh->arg[1] = (uint64_t)handle;
	p->sh->arg[2] = PEER_WORD_VA;
	p->sh->arg[4] = PROG_BUF(1);
	p->sh->buf[1] = 0;
	r = wpa ? exo_map(p->env, &m, 1) : 0;
	if (r < 0)
		prog_end(p);
	return r < 0 ? r : 0;
}

/* Start a loaded PEER_ALERT peer: its exo_alert_word's result, or an
 * error. */
static long
alert_go(struct prog *p)
{
	long r = prog_run(p);

	if (r < 0)
		return r;
	if (!prog_poll(&p->sh->done, PROG_MAGIC, TIMEOUT))
		return -EXO_EAGAIN;
	return p->sh->ret;
}

/* alert_load, then alert_go. */
static long
alert_peer(struct prog *p, unsigned slot, uint64_t wpa, enum peer_alert what,
	   int handle)
{
	long r = alert_load(p, slot, wpa, what, handle);

	return r < 0 ? r : alert_go(p);
}

/* A PEER_REMOTE sibling with frame wpa (0: none) at PROG_SCRATCH_VA. */
static long
remote_peer(struct prog *p, unsigned slot, uint64_t wpa)
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

/* An env computing without system calls gets an EXO_UPCALL_ALERT when a
 * sibling that shares the frame wakes the word, resumes where it was,
 * and gets one again at the next wake.  Alerts are not counted. */
UTEST(alert_running)
{
	long wpa = UT_OK(word_page());
	struct prog p, s;
	uint64_t c;

	UT_OK(alert_peer(&p, 0, (uint64_t)wpa, PEER_ALERT_SPIN, 1));
	UT_OK(remote_peer(&s, 1, (uint64_t)wpa));
	UT_ASSERT(reaches(&p.sh->counter, 1));
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 0);
	UT_ASSERT_EQ(prog_remote(&s, EXO_SYS_WAKE_WORD, PEER_WORD_VA, 1, 0, 0),
		     0);
	UT_ASSERT(reaches(&p.sh->upcalls[EXO_UPCALL_ALERT], 1));
	UT_ASSERT(p.sh->fault_pc >= EXO_USER_MIN &&
		  p.sh->fault_pc < EXO_USER_END);
	c = p.sh->counter;
	UT_ASSERT(reaches(&p.sh->counter, c + 1000));
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_ASSERT(reaches(&p.sh->upcalls[EXO_UPCALL_ALERT], 2));
	UT_ASSERT(prog_alive(&p) && prog_alive(&s));
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_FAULT], 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&s));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* An alert that comes while the env is in its alert handler nests: the
 * second frame holds a pc in the handler, the first one's in the spin
 * loop, and both unwind. */
UTEST(alert_nests)
{
	long wpa = UT_OK(word_page());
	struct prog p;
	uint64_t c;

	UT_OK(alert_load(&p, 0, (uint64_t)wpa, PEER_ALERT_SPIN, 1));
	p.sh->arg[5] = 1;
	UT_OK(alert_go(&p));
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT(reaches(&p.sh->upcalls[EXO_UPCALL_ALERT], 1));
	c = p.sh->counter;
	UT_ASSERT(reaches(&p.sh->counter, c + 1000)); /* in the handler */
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 1);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT(reaches(&p.sh->upcalls[EXO_UPCALL_ALERT], 2));
	UT_ASSERT(p.sh->out[8] != p.sh->out[9]);
	c = p.sh->counter;
	UT_ASSERT(reaches(&p.sh->counter, c + 1000));
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 2);
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_FAULT], 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* Have a peer block in `what` and alert it: its wait returns 0, without
 * an upcall (the wake is the news), and it waits again. */
static void
alert_waiter(enum peer_alert what, int handle)
{
	long wpa = UT_OK(word_page());
	struct prog p;

	UT_OK(alert_peer(&p, 0, (uint64_t)wpa, what, handle));
	UT_ASSERT(blocked(p.env));
	UT_ASSERT_EQ(p.sh->counter, 0);
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_ASSERT(reaches(&p.sh->counter, 1));
	UT_ASSERT_EQ(p.sh->out[0], 0);
	UT_ASSERT(blocked(p.env));
	UT_ASSERT_EQ(p.sh->counter, 1);
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 0);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* exo_wait with no mask and no timeout ends. */
UTEST(alert_ends_wait)
{
	alert_waiter(PEER_ALERT_WAIT, 1);
}

/* exo_wait_word on another word ends. */
UTEST(alert_ends_wait_word)
{
	alert_waiter(PEER_ALERT_WAIT_WORD, 1);
}

/* Without an upcall entry an env is only woken: a waiter's wait ends, a
 * spinner goes on, neither is killed. */
UTEST(alert_no_upcall_entry)
{
	struct prog p;
	uint64_t c;
	long wpa;

	alert_waiter(PEER_ALERT_WAIT, 0);
	wpa = UT_OK(word_page());
	UT_OK(alert_peer(&p, 0, (uint64_t)wpa, PEER_ALERT_SPIN, 0));
	UT_ASSERT(reaches(&p.sh->counter, 1));
	for (unsigned i = 0; i < 100; i++)
		UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	let_run();
	c = p.sh->counter;
	UT_ASSERT(reaches(&p.sh->counter, c + 1000));
	UT_ASSERT(prog_alive(&p));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* Alerting oneself: the upcall comes on the way out of exo_wake_word,
 * whose result survives it (with a waiter woken too).  Another alert word
 * replaces the first; NULL clears it. */
UTEST(alert_self)
{
	long wpa = UT_OK(word_page());
	volatile uint32_t *other = rw + 1;
	struct prog p;

	alerts = 0;
	UT_OK(ut_upcalls_on(alert_hook));
	UT_OK(exo_alert_word(rw));
	UT_ASSERT_EQ(exo_wake_word(other, 1), 0);
	UT_ASSERT_EQ(alerts, 0);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT_EQ(alerts, 1);
	UT_ASSERT_EQ(exo_wake_word(rw, 0), 0);
	UT_ASSERT_EQ(alerts, 2);

	UT_OK(exo_alert_word(other));
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT_EQ(alerts, 2);
	UT_ASSERT_EQ(exo_wake_word(other, 1), 0);
	UT_ASSERT_EQ(alerts, 3);
	UT_OK(exo_alert_word(NULL));
	UT_OK(exo_alert_word(NULL));
	UT_ASSERT_EQ(exo_wake_word(other, 1), 0);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT_EQ(alerts, 3);

	*rw = 0;
	UT_OK(exo_alert_word(rw));
	UT_OK(alert_load(&p, 0, (uint64_t)wpa, PEER_ALERT_WAIT_WORD, 1));
	p.sh->arg[2] = 0; /* no alert word */
	p.sh->arg[4] = PEER_WORD_VA;
	UT_OK(alert_go(&p));
	UT_ASSERT(blocked(p.env));
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 1);
	UT_ASSERT_EQ(alerts, 4);
	UT_ASSERT(reaches(&p.sh->counter, 1));
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 0);
	UT_OK(exo_alert_word(NULL));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* An env blocked in IPC stays blocked; its alert upcall comes once the
 * call has returned. */
UTEST(alert_ipc_blocked)
{
	long wpa = UT_OK(word_page());
	struct prog s, p;
	long ep, nt, g;

	UT_OK(prog_load(&s, "peer", 1, PEER_SERVE, 64));
	s.sh->arg[0] = 1ull << 5;
	UT_OK(prog_run(&s));
	UT_ASSERT(blocked(s.env));
	ep = UT_OK(exo_cap_env(s.env, EXO_RIGHT_CALL | EXO_RIGHT_GRANT));
	nt = UT_OK(exo_cap_env(s.env, EXO_RIGHT_NOTIFY));
	UT_OK(alert_load(&p, 0, (uint64_t)wpa, PEER_ALERT_CALL, 1));
	g = UT_OK(exo_cap_grant((exo_cap_t)ep, p.env, EXO_RIGHT_CALL));
	p.sh->arg[3] = (uint64_t)g;
	UT_OK(alert_go(&p));
	UT_ASSERT(blocked(p.env));
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	let_run();
	UT_ASSERT(blocked(p.env));
	UT_ASSERT_EQ(p.sh->counter, 0);
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 0);
	UT_OK(exo_notify((exo_cap_t)nt, 1ull << 5));
	UT_ASSERT(reaches(&p.sh->counter, 1));
	UT_ASSERT_EQ(p.sh->out[0], 0);
	UT_ASSERT(reaches(&p.sh->upcalls[EXO_UPCALL_ALERT], 1));
	let_run();
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 1);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(prog_end(&s));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* Misaligned, unmapped, kernel and non-canonical addresses are refused
 * and leave the alert word as it was; a read-only mapping suffices. */
UTEST(adv_alert_addresses)
{
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	struct exo_mapping m = { UT_VA, (uint64_t)pa, EXO_PERM_R };

	alerts = 0;
	UT_OK(ut_upcalls_on(alert_hook));
	UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	UT_OK(exo_alert_word(rw));
	for (unsigned i = 0; i < UT_NBAD_WORDS; i++)
		UT_ASSERT_ERR(exo_alert_word(ut_word(ut_bad_words[i])),
			      EXO_EFAULT);
	for (unsigned i = 0; i < UT_NMISALIGNED_WORDS; i++)
		UT_ASSERT_ERR(exo_alert_word(ut_word(ut_misaligned_words[i])),
			      EXO_EINVAL);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT_EQ(alerts, 1);
	UT_OK(exo_alert_word(NULL));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}

/* An env that does not map the frame can neither alert its alerters nor
 * name the word: not at their address (its own frame there, or
 * nothing), nor at the root's.  Its own alert word on its own frame is
 * not the root's word either (an alert would kill it: PEER_REMOTE takes
 * every upcall as a fault). */
UTEST(adv_alert_foreign_waker)
{
	long wpa = UT_OK(word_page());
	long other;
	struct prog a, b;
	struct exo_mapping m;

	UT_OK(alert_peer(&a, 0, (uint64_t)wpa, PEER_ALERT_SPIN, 1));
	UT_OK(remote_peer(&b, 1, 0));
	UT_ASSERT_ERR(
		prog_remote(&b, EXO_SYS_WAKE_WORD, PEER_WORD_VA, ~0ull, 0, 0),
		EXO_EFAULT);
	UT_ASSERT_ERR(prog_remote(&b, EXO_SYS_WAKE_WORD, ROOT_WORD, 1, 0, 0),
		      EXO_EFAULT);
	UT_ASSERT_ERR(
		prog_remote(&b, EXO_SYS_ALERT_WORD, PEER_WORD_VA, 0, 0, 0),
		EXO_EFAULT);
	other = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	m = (struct exo_mapping){ PROG_SCRATCH_VA, (uint64_t)other,
				  EXO_PERM_R | EXO_PERM_W };
	UT_ASSERT_EQ(exo_map(b.env, &m, 1), 1);
	UT_ASSERT_EQ(
		prog_remote(&b, EXO_SYS_WAKE_WORD, PEER_WORD_VA, ~0ull, 0, 0),
		0);
	UT_ASSERT_EQ(prog_remote(&b, EXO_SYS_ALERT_WORD, PEER_WORD_VA, 0, 0, 0),
		     0);
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT(reaches(&a.sh->upcalls[EXO_UPCALL_ALERT], 1));
	let_run();
	UT_ASSERT_EQ(a.sh->upcalls[EXO_UPCALL_ALERT], 1);
	UT_ASSERT(prog_alive(&b));
	UT_ASSERT_EQ(prog_remote(&b, EXO_SYS_ENV_SELF, 0, 0, 0, 0), b.env);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&b));
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)other));
	UT_OK(prog_end(&a));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* Envs destroyed with an alert due, or while blocked and alerting, leave
 * nothing behind: the next env in the slot gets no alert, and a wake of
 * the word finds nobody.  So does a freed frame: its next owner's wakes
 * are at worst a spurious alert. */
UTEST(adv_alert_dying)
{
	long wpa = UT_OK(word_page());
	uint64_t va = PROG_SCRATCH_VA;
	struct prog p, q;

	UT_OK(alert_peer(&p, 0, (uint64_t)wpa, PEER_ALERT_SPIN, 1));
	UT_OK(alert_peer(&q, 1, (uint64_t)wpa, PEER_ALERT_WAIT, 1));
	UT_ASSERT(blocked(q.env));
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_OK(exo_env_destroy(p.env));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_ASSERT(blocked(q.env));
	UT_OK(exo_env_destroy(q.env));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_OK(prog_end(&p));
	UT_OK(prog_end(&q));

	UT_OK(alert_load(&p, 0, (uint64_t)wpa, PEER_ALERT_SPIN, 1));
	p.sh->arg[2] = 0;
	UT_OK(alert_go(&p));
	UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	UT_ASSERT(reaches(&p.sh->counter, 100000));
	UT_ASSERT_EQ(p.sh->upcalls[EXO_UPCALL_ALERT], 0);
	UT_OK(prog_end(&p));

	UT_OK(alert_peer(&p, 0, (uint64_t)wpa, PEER_ALERT_SPIN, 1));
	UT_ASSERT_EQ(exo_unmap(p.env, &va, 1), 1);
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_ASSERT_EQ(exo_page_alloc(EXO_ENVID_SELF, (uint64_t)wpa), wpa);
	{
		struct exo_mapping m = { UT_VA, (uint64_t)wpa, EXO_PERM_R };
		UT_ASSERT_EQ(exo_map(EXO_ENVID_SELF, &m, 1), 1);
	}
	UT_ASSERT_EQ(exo_wake_word(rw, 1), 0);
	UT_ASSERT(reaches(&p.sh->upcalls[EXO_UPCALL_ALERT], 1));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}

/* STORM wakes of a word NPEERS spinners alert on: alerts do not queue
 * (each gets at most one per time it is switched in), every spinner
 * survives and goes on, and the kernel stays consistent. */
UTEST(adv_alert_storm)
{
	long wpa = UT_OK(word_page());
	struct prog p[NPEERS];
	struct exo_envinfo info;
	uint64_t slices[NPEERS], c;

	for (unsigned i = 0; i < NPEERS; i++) {
		UT_OK(alert_peer(&p[i], i, (uint64_t)wpa, PEER_ALERT_SPIN, 1));
		UT_OK(exo_env_info(p[i].env, &info));
		slices[i] = info.counters.slices;
	}
	for (unsigned n = 0; n < STORM; n++)
		UT_ASSERT_EQ(exo_wake_word(rw, ~0ull), 0);
	let_run();
	for (unsigned i = 0; i < NPEERS; i++) {
		UT_ASSERT(reaches(&p[i].sh->upcalls[EXO_UPCALL_ALERT], 1));
		UT_OK(exo_env_info(p[i].env, &info));
		UT_ASSERT(p[i].sh->upcalls[EXO_UPCALL_ALERT] <=
			  info.counters.slices - slices[i]);
		UT_ASSERT_EQ(p[i].sh->upcalls[EXO_UPCALL_FAULT], 0);
		c = p[i].sh->counter;
		UT_ASSERT(reaches(&p[i].sh->counter, c + 1000));
	}
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	for (unsigned i = 0; i < NPEERS; i++)
		UT_OK(prog_end(&p[i]));
	UT_OK(ut_unpage(UT_VA, (uint64_t)wpa));
}
