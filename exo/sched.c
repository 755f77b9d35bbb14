/*
 * CPU multiplexing.  Time is cut into slices of SLICE_TICKS timer ticks.
 * The CPU has a vector of NSLICE slots; a slot bound to a runnable env
 * (exo_slice_bind) runs that env, an unbound slot goes round-robin to the
 * runnable envs, so a naive library OS still gets its share.  A slice ends
 * by the clock or by exo_yield; an env that spins is preempted at the end
 * of its slice like any other.
 *
 * An env running in a slot it owns is told: an EXO_UPCALL_SLICE_START when
 * its slice begins (so its library OS can schedule its own threads) and an
 * EXO_UPCALL_SLICE_END when the slice is over, after which it has
 * GRACE_TICKS to save what it wants and yield before it is preempted.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/env.h>
#include <kernel/event.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/timer.h>

exo_envid_t slice_owner[NSLICE];
uint32_t slice_epoch[NSLICE];
static unsigned slot;	    /* the current slot */
static unsigned ticks_left; /* of the current slice */
static bool need_resched;
static unsigned rr_next; /* round-robin cursor over env slots */
/* The runnable envs, a bit per slot (env_set_state), so round-robin
 * finds the next one in a few words, not a walk over every slot. */
uint64_t sched_runnable[SCHED_RUN_WORDS];
static struct env *owner_running; /* running in its own slot */
static bool in_grace;

#define GRACE_TICKS 1

/* The slice is used up: preempt, or first warn an env in its own slot. */
static void
slice_over(void)
{
	struct env *e = owner_running;

	if (e == curenv && e && e->upcall_entry && !in_grace &&
	    e->state == EXO_ENV_RUNNABLE) {
		e->pending |= PENDING_SLICE_END;
		in_grace = true;
		ticks_left = GRACE_TICKS;
		return;
	}
	need_resched = true;
	if (curenv && curenv->state == EXO_ENV_RUNNABLE) {
		curenv->info->counters.preemptions++;
		event_log(EXO_EV_PREEMPT, curenv->id, 0, 0);
	}
}

/* Wake envs whose exo_wait or exo_wait_word timed out; end the slice when
 * it is used up. */
void
sched_tick(void)
{
	uint64_t now = arch_clock_ns();

	for (unsigned i = 0; i < NENV; i++) {
		struct env *e = &envs[i];
		if (e->state != EXO_ENV_BLOCKED || e->wait_deadline > now)
			continue;
		env_unblock(e, 0);
	}
	revoke_tick(now);
	if (ticks_left && --ticks_left == 0)
		slice_over();
}

static struct env *
round_robin(void)
{
	unsigned start = rr_next % NENV, first = start / 64;

	/* The first word from start on, the others, then the first word's
	 * bits below start. */
	for (unsigned k = 0; k <= SCHED_RUN_WORDS; k++) {
		unsigned w = (first + k) % SCHED_RUN_WORDS;
		uint64_t bits = sched_runnable[w];

		if (k == 0)
			bits &= ~0ull << (start % 64);
		else if (k == SCHED_RUN_WORDS)
			bits &= (1ull << (start % 64)) - 1;
		if (bits) {
			unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);

			rr_next = i + 1;
			return &envs[i];
		}
	}
	return NULL;
}

/* Whether the runnable set is exactly the runnable envs (kcheck). */
int
sched_check(void)
{
	for (unsigned i = 0; i < NENV; i++)
		if (!(sched_runnable[i / 64] & (1ull << (i % 64))) !=
		    (envs[i].state != EXO_ENV_RUNNABLE))
			return -1;
	return 0;
}

/* Who runs the next slice: the slot's owner, else round-robin. */
static struct env *
pick(void)
{
	struct env *e;

	slot = (slot + 1) % NSLICE;
	e = slice_owner[slot] ? env_lookup(slice_owner[slot]) : NULL;
	owner_running = NULL;
	if (e && e->state == EXO_ENV_RUNNABLE) {
		owner_running = e;
		if (e->upcall_entry) {
			e->pending |= PENDING_SLICE_START;
			e->slice = slot;
		}
		return e;
	}
	return round_robin();
}

static __noreturn void
run_slice(struct env *e)
{
	ticks_left = SLICE_TICKS;
	need_resched = false;
	in_grace = false;
	env_run(e);
}

/* Idle until some env is runnable, then run it.  Never returns. */
void
sched_run(void)
{
	for (;;) {
		struct env *e = pick();
		if (e)
			run_slice(e);
		arch_wait_for_interrupt();
		arch_irq_disable();
	}
}

/* After a trap: go on with the current env unless its slice is over or
 * it cannot run. */
void
sched_resume(void)
{
	if (curenv && curenv->state == EXO_ENV_RUNNABLE && !need_resched)
		env_run(curenv);
	sched_run();
}

bool
sched_resumes_current(void)
{
	return curenv && curenv->state == EXO_ENV_RUNNABLE && !need_resched &&
	       !curenv->pending;
}

/* The current env gave its slice to the env now current (IPC). */
void
sched_donate(void)
{
	need_resched = false;
	owner_running = NULL;
}

/* Give the rest of the slice to e if it can run, else end the slice. */
void
sched_yield_to(struct env *e)
{
	if (e && e != curenv && e->state == EXO_ENV_RUNNABLE) {
		need_resched = false;
		owner_running = NULL;
		env_run(e);
	}
	need_resched = true;
}
