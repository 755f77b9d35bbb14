/*
 * User-level threads, time and notification waits.
 *
 * Threads run round-robin from one ready queue.  A thread leaves the CPU
 * only in schedule(): when it yields, blocks (sleep, join, nat_wait) or is
 * preempted (the slice-start upcall makes it call nat__preempted).  When
 * no thread is ready the env sleeps in exo_wait until the earliest timer
 * or a notification bit some thread waits for.  Timers and bits are
 * checked at each scheduling point only while some thread waits for one,
 * so yielding among running threads never enters the kernel.
 */
#include "nat.h"

enum state { RUNNING, READY, SLEEPING, WAITING, JOINING, DEAD };

struct nat_thread {
	void *sp;	    /* saved by nat__switch while not running */
	nat_thread_t *next; /* the ready queue or the blocked list */
	enum state state;
	uint64_t wake_ns;   /* SLEEPING: when */
	uint64_t wait_mask; /* WAITING: which bits */
	uint64_t got;	    /* WAITING: the bits it was woken with */
	nat_thread_t *joiner;
	uint64_t stack; /* NAT_STACK_SIZE bytes, 0 for the first thread */
};

volatile unsigned nat__nopreempt;
volatile bool nat__resched;

static nat_thread_t first = { .state = RUNNING };
static nat_thread_t *cur = &first;
static nat_thread_t *ready_head, *ready_tail;
static nat_thread_t *blocked; /* SLEEPING and WAITING threads */
static nat_thread_t *spare;   /* joined threads, kept with their stacks */
static uint64_t notes;	      /* bits taken from the kernel, not yet claimed */
static uint64_t bits_used;

static void
make_ready(nat_thread_t *t)
{
	t->state = READY;
	t->next = NULL;
	if (ready_tail)
		ready_tail->next = t;
	else
		ready_head = t;
	ready_tail = t;
}

static nat_thread_t *
take_ready(void)
{
	nat_thread_t *t = ready_head;

	if (t) {
		ready_head = t->next;
		if (!ready_head)
			ready_tail = NULL;
	}
	return t;
}

/* Wake the blocked threads whose time has come or whose bits are in. */
static void
wake_blocked(uint64_t now)
{
	nat_thread_t **pp = &blocked, *t;

	while ((t = *pp)) {
		bool go = false;

		if (t->state == SLEEPING)
			go = now >= t->wake_ns;
		else if (notes & t->wait_mask) {
			t->got = notes & t->wait_mask;
			notes &= ~t->got;
			go = true;
		}
		if (go) {
			*pp = t->next;
			make_ready(t);
		} else {
			pp = &t->next;
		}
	}
}

/* What the blocked threads wait for: bits, and the earliest wake time. */
static uint64_t
blocked_wants(uint64_t *deadline)
{
	uint64_t mask = 0;

	*deadline = UINT64_MAX;
	for (nat_thread_t *t = blocked; t; t = t->next) {
		if (t->state == WAITING)
			mask |= t->wait_mask;
		else if (t->wake_ns < *deadline)
			*deadline = t->wake_ns;
	}
	return mask;
}

/* Take what is due without sleeping: the info page shows pending bits,
 * so only bits that are there cost a system call. */
static void
poll_blocked(void)
{
	uint64_t deadline, mask = blocked_wants(&deadline);
	uint64_t pending = exo_info()->notify_pending & mask;
	long got = pending ? exo_wait(pending, 0) : 0;

	if (got > 0)
		notes |= (uint64_t)got;
	wake_blocked(deadline == UINT64_MAX ? 0 : nat_now_ns());
}

/* Nothing is ready: sleep in the kernel until something is due. */
static void
idle(void)
{
	uint64_t deadline, mask = blocked_wants(&deadline), now;
	long got;

	if (!mask && deadline == UINT64_MAX)
		exo_panic("libos-native: every thread is blocked for good");
	now = nat_now_ns();
	got = exo_wait(mask, deadline == UINT64_MAX ? ~0ull
			     : deadline > now	    ? deadline - now
						    : 0);
	if (got > 0)
		notes |= (uint64_t)got;
	wake_blocked(nat_now_ns());
}

/* Run the next ready thread (cur unless it blocked), in a critical
 * section of depth one, which the next thread inherits and leaves. */
static void
schedule(void)
{
	nat_thread_t *prev = cur, *next;

	if (nat__nopreempt != 1)
		exo_panic("libos-native: schedule at depth %u", nat__nopreempt);
	nat__resched = false;
	if (blocked)
		poll_blocked();
	while (!(next = take_ready()))
		idle();
	next->state = RUNNING;
	if (next == prev)
		return;
	cur = next;
	nat__switch(&prev->sp, next->sp);
}

void
nat_thread_yield(void)
{
	nat__lock();
	make_ready(cur);
	schedule();
	nat__unlock();
}

void
nat__preempted(void)
{
	nat_thread_yield();
}

/* Block cur (state already set) on the blocked list and run others. */
static void
block(void)
{
	cur->next = blocked;
	blocked = cur;
	schedule();
}

uint64_t
nat_now_ns(void)
{
	return (uint64_t)exo_clock_ns();
}

void
nat_sleep_ns(uint64_t ns)
{
	nat__lock();
	cur->state = SLEEPING;
	cur->wake_ns = nat_now_ns() + ns;
	block();
	nat__unlock();
}

uint64_t
nat_wait(uint64_t mask)
{
	uint64_t got;

	nat__lock();
	if (exo_info()->notify_pending & mask) {
		long r = exo_wait(mask, 0);
		if (r > 0)
			notes |= (uint64_t)r;
	}
	got = notes & mask;
	notes &= ~got;
	if (!got) {
		cur->state = WAITING;
		cur->wait_mask = mask;
		block();
		got = cur->got;
	}
	nat__unlock();
	return got;
}

int
nat_bit_alloc(void)
{
	int bit = -EXO_ENOMEM;

	nat__lock();
	for (int b = 0; b < NAT_NBITS; b++) {
		if (!(bits_used & 1ull << b)) {
			bits_used |= 1ull << b;
			bit = b;
			break;
		}
	}
	nat__unlock();
	return bit;
}

void
nat_bit_free(int bit)
{
	if (bit < 0 || bit >= NAT_NBITS)
		return;
	nat__lock();
	bits_used &= ~(1ull << bit);
	notes &= ~(1ull << bit);
	nat__unlock();
}

/* --- creating and ending threads ----------------------------------------- */

nat_thread_t *
nat_thread_create(void (*fn)(void *), void *arg)
{
	nat_thread_t *t;

	nat__lock();
	t = spare;
	if (t)
		spare = t->next;
	nat__unlock();
	if (!t) {
		t = nat_calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		t->stack = (uint64_t)(uintptr_t)nat_dz_reserve(NAT_STACK_SIZE);
		if (!t->stack) {
			nat_free(t);
			return NULL;
		}
	}
	t->joiner = NULL;
	t->sp = nat__arch_new_stack(t->stack + NAT_STACK_SIZE, fn, arg);
	nat__lock();
	make_ready(t);
	nat__unlock();
	return t;
}

void
nat__thread_main(void (*fn)(void *), void *arg)
{
	nat__unlock(); /* the critical section schedule() handed over */
	fn(arg);
	nat__lock();
	cur->state = DEAD;
	if (cur->joiner)
		make_ready(cur->joiner);
	schedule();
	exo_panic("libos-native: a dead thread ran");
}

void
nat_thread_join(nat_thread_t *t)
{
	nat__lock();
	if (t->state != DEAD) {
		t->joiner = cur;
		cur->state = JOINING;
		schedule();
	}
	nat__unlock();
	/* Its stack goes back to zero-on-touch; the thread is kept for the
	 * next nat_thread_create. */
	nat_dz_release((void *)(uintptr_t)t->stack, NAT_STACK_SIZE);
	nat__lock();
	t->next = spare;
	spare = t;
	nat__unlock();
}

/* --- preemption ------------------------------------------------------------ */

static bool
on_upcall_stack(uint64_t sp)
{
	return sp <= NAT_UPCALL_TOP && sp > NAT_UPCALL_TOP - 64 * 1024;
}

/*
 * A slice of the env's own slot starts: time to run the next thread.  The
 * handler cannot switch threads itself (it runs on the upcall stack), so
 * it saves the interrupted registers on the thread's own stack and makes
 * the thread resume in nat__preempt, which yields and then resumes them.
 * Inside the library's critical sections, or nested in another upcall,
 * it only asks for a yield at the end of the critical section.
 */
void
nat__slice_start(struct exo_upcall_frame *f)
{
	uint64_t sp = EXO_REGS_SP(&f->regs), copy;

	if (!ready_head)
		return;
	if (nat__nopreempt || on_upcall_stack(sp)) {
		nat__resched = true;
		return;
	}
	copy = (sp - EXO_UPCALL_REDZONE - sizeof(*f)) & ~15ull;
	*(struct exo_upcall_frame *)(uintptr_t)copy = *f;
	nat__arch_inject(&f->regs, copy);
}
