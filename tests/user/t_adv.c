/*
 * Cases: the adversarial suite.  A hostile env (hostile.c) attacks the
 * kernel and a victim env (victim.c) next to it, one group of attacks per
 * case, so a failure names the attack.  Each attempt must be refused with
 * a clear error (hostile checks them and reports the first wrong one) or
 * end in the hostile env's own death; afterwards the victim must answer
 * with its pages intact and the kernel's invariants must hold.
 */
#include <exo/string.h>
#include "hostile_arch.h"
#include "prog.h"
#include "ut.h"

#define VICTIM_QUOTA 64
#define HOSTILE_QUOTA 160
#define TIMEOUT (10 * UT_SECOND)

struct arena {
	struct prog victim, hostile;
	long vcall; /* the root's CALL capability for the victim */
};

/* Start the victim and wait until its pages are filled: 0 or an error. */
static long
victim_up(struct arena *a)
{
	long r = prog_start(&a->victim, "victim", 0, 0, VICTIM_QUOTA);

	if (r < 0)
		return r;
	if (!prog_poll(&a->victim.sh->done, PROG_MAGIC, TIMEOUT))
		return -EXO_EAGAIN;
	a->vcall = exo_cap_env(a->victim.env, EXO_RIGHT_CALL);
	return a->vcall < 0 ? a->vcall : 0;
}

/* Load hostile in mode next to the victim, telling it what to attack,
 * with an ENV capability for the victim that carries no right. */
static long
hostile_load(struct arena *a, enum hostile_mode mode, uint64_t quota)
{
	volatile struct prog_shared *sh;
	long ep, r = prog_load_flags(&a->hostile, "hostile", 1, mode, quota,
				     mode == HOSTILE_FOREIGN ? EXO_ENV_LINUX
							     : 0);

	if (r < 0)
		return r;
	sh = a->hostile.sh;
	sh->arg[HA_VICTIM] = a->victim.env;
	sh->arg[HA_ROOT] = (uint64_t)exo_env_self();
	for (unsigned i = 0; i < VICTIM_PAGES; i++)
		sh->arg[HA_VICTIM_PA + i] = (uint64_t)a->victim.sh->out[i];
	ep = exo_cap_env(a->victim.env, EXO_RIGHT_GRANT);
	if (ep < 0)
		return ep;
	r = exo_cap_grant((exo_cap_t)ep, a->hostile.env, 0);
	exo_cap_drop((exo_cap_t)ep);
	if (r < 0)
		return r;
	sh->arg[HA_VICTIM_EP] = (uint64_t)r;
	return 0;
}

static long
arena_open(struct arena *a, enum hostile_mode mode, uint64_t quota)
{
	long r = victim_up(a);

	if (r < 0)
		return r;
	r = hostile_load(a, mode, quota);
	return r < 0 ? r : prog_run(&a->hostile);
}

/* Ask the victim to check its pages: 1 if it answered that they are
 * intact. */
static int
victim_intact(struct arena *a)
{
	struct exo_msg m = { { VICTIM_CHECK, 0, 0, 0 } };

	return exo_ipc_call((exo_cap_t)a->vcall, &m) == 0 && m.w[0] == 1;
}

/* The end of every case: the victim intact, the kernel consistent. */
#define ARENA_CLOSE(a)                                                         \
	do {                                                                   \
		UT_ASSERT(victim_intact(a));                                   \
		UT_OK(exo_kcheck(EXO_CAP_MACHINE));                            \
		UT_OK(prog_end(&(a)->hostile));                                \
		UT_ASSERT(victim_intact(a));                                   \
		UT_OK(prog_end(&(a)->victim));                                 \
		UT_OK(exo_kcheck(EXO_CAP_MACHINE));                            \
	} while (0)

/* Run one group of attacks that hostile checks itself. */
#define ATTACK_CASE(a, mode)                                                   \
	do {                                                                   \
		volatile struct prog_shared *sh_;                              \
		UT_OK(arena_open(a, mode, HOSTILE_QUOTA));                     \
		sh_ = (a)->hostile.sh;                                         \
		if (!prog_poll(&sh_->done, PROG_MAGIC, TIMEOUT)) {             \
			utest_fail(__FILE__, __LINE__,                         \
				   "hostile did not finish (alive: %d, %lu "   \
				   "attempts)",                                \
				   prog_alive(&(a)->hostile),                  \
				   (unsigned long)sh_->attempts);              \
			return;                                                \
		}                                                              \
		if (sh_->failures) {                                           \
			utest_fail(__FILE__, __LINE__,                         \
				   "%lu wrong answers; "                       \
				   "first: %s",                                \
				   (unsigned long)sh_->failures,               \
				   (const char *)sh_->why);                    \
			return;                                                \
		}                                                              \
		UT_ASSERT(sh_->attempts >= 10);                                \
		exo_printf("adv: %lu attacks refused\n",                       \
			   (unsigned long)sh_->attempts);                      \
		ARENA_CLOSE(a);                                                \
	} while (0)

/* Map, unmap, free, allocate and capture the victim's frames and
 * address space, and the kernel's frames. */
UTEST(adv_frames)
{
	struct arena a;

	ATTACK_CASE(&a, HOSTILE_FRAMES);
}

/* Forged slots, wrong types, escalated rights, grants without a channel,
 * revoked and stale capabilities. */
UTEST(adv_caps)
{
	struct arena a;

	ATTACK_CASE(&a, HOSTILE_CAPS);
}

/* Bad pointers and absurd lengths and counts to every call. */
UTEST(adv_pointers)
{
	struct arena a;

	ATTACK_CASE(&a, HOSTILE_POINTERS);
}

/* Undefined system call numbers, and foreign (Linux) ones. */
UTEST(adv_syscall_numbers)
{
	struct arena a;

	ATTACK_CASE(&a, HOSTILE_NUMBERS);
}

/* Linux calls of a Linux-ABI env whose upcall stack is unmapped,
 * read-only, half read-only or at the top of user space: the kernel
 * writes no frame where the env could not, answers -ENOSYS, and the env
 * goes on; with a good stack, the library OS answers. */
UTEST(adv_foreign_frames)
{
	struct arena a;

	ATTACK_CASE(&a, HOSTILE_FOREIGN);
}

/* Calls and notifications to the victim without the rights. */
UTEST(adv_ipc_endpoint)
{
	struct arena a;

	ATTACK_CASE(&a, HOSTILE_IPC);
}

/* Wait for a HOSTILE_FAULT run to end: dead, or done without faulting. */
static void
fault_settle(struct prog *h)
{
	uint64_t end = (uint64_t)exo_clock_ns() + TIMEOUT;

	while (prog_alive(h) && h->sh->done != PROG_MAGIC &&
	       (uint64_t)exo_clock_ns() < end)
		exo_wait(EXO_NOTIFY_CHILD, 1000000);
}

/* Judge one fault run: NULL if right, else why not. */
static const char *
fault_verdict(struct prog *h, int handled)
{
	volatile struct prog_shared *sh = h->sh;
	int dead = !prog_alive(h);

	if (sh->out[1] == FAULT_NONE)
		return sh->counter == 2 && !dead ? NULL : "no fault expected";
	if (sh->out[1] == FAULT_MAYBE && sh->counter == 2 && !dead)
		return NULL;
	if (!dead)
		return sh->counter == 2 ? "it did not fault"
					: "it neither died nor finished";
	if (!handled)
		return sh->out[2] ? "an upcall came without a handler" : NULL;
	if (!sh->out[2])
		return "it died without its upcall";
	if (sh->out[1] != FAULT_ANY && sh->out[1] != FAULT_MAYBE &&
	    sh->fault != (uint64_t)sh->out[1])
		return "wrong fault class";
	return NULL;
}

/* Every fault hostile knows, with or without a handler; each must reach
 * the handler with the right class, or kill only the hostile env. */
static void
fault_all(int handled)
{
	struct arena a;
	struct prog *h = &a.hostile;
	unsigned bad = 0, k;
	char name[64];

	UT_OK(victim_up(&a));
	for (k = 0;; k++) {
		const char *why;

		UT_OK(hostile_load(&a, HOSTILE_FAULT, HOSTILE_QUOTA));
		h->sh->arg[0] = k;
		h->sh->arg[1] = (uint64_t)handled;
		UT_OK(prog_run(h));
		fault_settle(h);
		if (k >= (uint64_t)h->sh->out[0])
			break;
		strlcpy(name, (const char *)h->sh->buf, sizeof(name));
		why = fault_verdict(h, handled);
		if (why) {
			bad++;
			exo_printf("adv: fault %s: %s (class %lu, want %ld, "
				   "addr %#lx)\n",
				   name, why, (unsigned long)h->sh->fault,
				   (long)h->sh->out[1],
				   (unsigned long)h->sh->fault_addr);
		}
		UT_OK(prog_end(h));
		UT_ASSERT(victim_intact(&a));
	}
	UT_ASSERT(k > 10);
	if (bad)
		utest_fail(__FILE__, __LINE__,
			   "%u of %u faults handled wrongly (see adv: lines)",
			   bad, k);
	ARENA_CLOSE(&a);
}

UTEST(adv_faults_handled)
{
	fault_all(1);
}

UTEST(adv_faults_unhandled)
{
	fault_all(0);
}

/* A handler that faults again at once overflows its upcall stack: the
 * hostile env dies, nobody else notices. */
UTEST(adv_upcall_stack_overflow)
{
	struct arena a;

	UT_OK(arena_open(&a, HOSTILE_UPCALL_OVERFLOW, HOSTILE_QUOTA));
	UT_ASSERT(prog_wait_dead(&a.hostile, TIMEOUT));
	UT_ASSERT(a.hostile.sh->counter > 1);
	UT_ASSERT(a.hostile.sh->out[0] != -1);
	ARENA_CLOSE(&a);
}

/* An env that spins forever: the victim still answers, the root still
 * runs, and the spinner is preempted, again and again. */
UTEST(adv_spin_forever)
{
	struct arena a;
	struct exo_envinfo hi;
	uint64_t n;

	UT_OK(arena_open(&a, HOSTILE_SPIN, HOSTILE_QUOTA));
	UT_ASSERT(prog_poll(&a.hostile.sh->started, PROG_MAGIC, TIMEOUT));
	for (unsigned i = 0; i < 20; i++) {
		uint64_t end = (uint64_t)exo_clock_ns() + TIMEOUT;

		n = a.hostile.sh->counter;
		UT_ASSERT(victim_intact(&a));
		do
			ut_sleep(2000000);
		while (a.hostile.sh->counter == n &&
		       (uint64_t)exo_clock_ns() < end);
		UT_ASSERT(a.hostile.sh->counter > n);
	}
	UT_OK(exo_env_info(a.hostile.env, &hi));
	UT_ASSERT(hi.counters.preemptions >= 5);
	ARENA_CLOSE(&a);
}

/* An env that takes every env slot and every frame of its quota. */
UTEST(adv_exhaust)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct arena a;
	uint64_t quota = info->frames_quota;
	long e;

	UT_OK(arena_open(&a, HOSTILE_EXHAUST, 4096));
	UT_ASSERT(prog_poll(&a.hostile.sh->done, PROG_MAGIC, TIMEOUT));
	if (a.hostile.sh->failures) {
		utest_fail(__FILE__, __LINE__, "%s",
			   (const char *)a.hostile.sh->why);
		return;
	}
	exo_printf("adv: hostile made %ld envs and took %ld frames\n",
		   (long)a.hostile.sh->out[0], (long)a.hostile.sh->out[1]);
	UT_ASSERT(a.hostile.sh->out[0] > 8);
	UT_ASSERT(a.hostile.sh->out[1] > 0);
	UT_ASSERT(victim_intact(&a));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&a.hostile));
	/* Every slot and frame came back. */
	e = UT_OK(exo_env_create(8, 0));
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT(victim_intact(&a));
	UT_OK(prog_end(&a.victim));
	UT_ASSERT_EQ(info->frames_quota, quota);
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
}

/*
 * A child revokes the console capability exo_spawn gave it.  Whatever
 * that does to the child's own copies, the root's console must survive:
 * a child must not be able to silence its parent.
 */
UTEST(adv_console_revoke)
{
	struct arena a;
	struct exo_cap_info ci;

	UT_OK(arena_open(&a, HOSTILE_CONSOLE, HOSTILE_QUOTA));
	UT_ASSERT(prog_poll(&a.hostile.sh->done, PROG_MAGIC, TIMEOUT));
	/* Check before printing: a revoked console cannot say FAIL. */
	if (exo_cap_info(EXO_CAP_CONSOLE, &ci) < 0)
		exo_halt(EXO_CAP_MACHINE, 1);
	UT_ASSERT_EQ(exo_cons_write(EXO_CAP_CONSOLE, "adv: console ok\n", 16),
		     16);
	ARENA_CLOSE(&a);
}
