/*
 * Waiting on a memory word: exo_wait_word blocks while a 32-bit word
 * holds an expected value, exo_wake_word wakes the envs blocked on it (a
 * futex).  No capability names the sleeper: the binding is the memory
 * itself.  A waiter is keyed by the physical address of its word, so envs
 * that map one frame at different virtual addresses meet, and only an env
 * that can map that frame can reach the waiter.
 *
 * Waiters hang off a small hash of FIFO queues keyed by that address,
 * linked through their struct env, so a wake looks at one bucket, never at
 * every env.  A queued env is always BLOCKED outside any IPC, and every
 * way out of the wait goes through env_unblock, which dequeues it.
 *
 * The key is only the address: a frame freed (or unmapped) while an env
 * waits on it leaves the waiter queued until its timeout, a notification,
 * or a wake on the same physical word by whoever maps the frame next.
 * That wake is spurious for the waiter, which the contract allows (every
 * caller rechecks its condition), and tells it nothing about the new
 * owner's memory.
 *
 * Alerts reach an env that is not waiting: each env may name one alert
 * word (exo_alert_word), and a wake of that physical word also alerts
 * it.  Registrations hang off the same buckets, in a second, unordered
 * list, so a wake of a word nobody alerts on costs one more load.  Their
 * keys go stale like a waiter's, with the same harmless outcome: a
 * spurious alert.
 */
#include <exo/error.h>
#include <exo/map.h>
#include <exo/memlayout.h>
#include <kernel/env.h>
#include <kernel/ipc.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#define WAKE_BUCKET_BITS 6
#define WAKE_BUCKETS (1u << WAKE_BUCKET_BITS)

struct wake_queue {
	struct env *head, *tail; /* waiters, oldest first */
	struct env *alerts;	 /* envs whose alert word hashes here */
};

static struct wake_queue queues[WAKE_BUCKETS];

/* Fibonacci hashing: neighbouring words land in different buckets. */
static struct wake_queue *
queue_of(uint64_t key)
{
	return &queues[(key >> 2) * 0x9e3779b97f4a7c15ull >>
		       (64 - WAKE_BUCKET_BITS)];
}

/*
 * The physical address of the 32-bit word at user address va, which must
 * be mapped in the caller: 0 and *key, -EXO_EINVAL (not 4-byte aligned)
 * or -EXO_EFAULT (outside [EXO_USER_MIN, EXO_USER_END) or unmapped).
 * Reading suffices: every user mapping is readable today, and the check
 * keeps an execute-only mapping, should one come, from being read here.
 */
static long
word_key(uint64_t va, uint64_t *key)
{
	struct env *e = curenv;
	uint64_t pa, page = va & ~(PAGE_SIZE - 1);
	unsigned perms;

	if (va % 4)
		return -EXO_EINVAL;
	if (va < EXO_USER_MIN || va >= EXO_USER_END)
		return -EXO_EFAULT;
	if (e->word_cache_gen != vm_gen || e->word_cache_va != page) {
		if (vm_lookup(e, va, &pa, &perms) || !(perms & EXO_PERM_R))
			return -EXO_EFAULT;
		e->word_cache_va = page;
		e->word_cache_pa = pa;
		e->word_cache_gen = vm_gen;
	}
	*key = e->word_cache_pa + va % PAGE_SIZE;
	return 0;
}

static void
enqueue(struct env *e, uint64_t key)
{
	struct wake_queue *q = queue_of(key);

	e->word_key = key;
	e->word_next = NULL;
	e->word_prev = q->tail;
	if (q->tail)
		q->tail->word_next = e;
	else
		q->head = e;
	q->tail = e;
	e->word_waiting = true;
}

/* Take e off its word's queue, if it is on one. */
void
wake_cancel(struct env *e)
{
	struct wake_queue *q;

	if (!e->word_waiting)
		return;
	q = queue_of(e->word_key);
	if (e->word_prev)
		e->word_prev->word_next = e->word_next;
	else
		q->head = e->word_next;
	if (e->word_next)
		e->word_next->word_prev = e->word_prev;
	else
		q->tail = e->word_prev;
	e->word_next = e->word_prev = NULL;
	e->word_waiting = false;
}

/*
 * If the word at va still holds `expect`, block until it is woken, a bit
 * of mask is notified, or timeout_ns passes; see docs/ABI.md.  Returns
 * the notification bits taken (> 0), 0 (woken, timed out, or timeout_ns
 * 0), -EXO_EAGAIN (the word differs), -EXO_EINVAL (misaligned va, bit 63
 * in mask) or -EXO_EFAULT (va not mapped in the caller).
 */
long
sys_wait_word(uintptr_t va, uint32_t expect, uint64_t mask, uint64_t timeout_ns)
{
	struct env *e = curenv;
	uint64_t key, got;
	long err;

	if (mask & EXO_NOTIFY_RESERVED)
		return -EXO_EINVAL;
	err = word_key(va, &key);
	if (err)
		return err;
	/* One CPU and no preemption in the kernel: nobody can change the
	 * word between this load and the enqueue below. */
	if (*(volatile uint32_t *)phys_to_virt(key) != expect)
		return -EXO_EAGAIN;
	got = e->info->notify_pending & mask;
	if (got || !timeout_ns) {
		e->info->notify_pending &= ~got;
		return (long)got;
	}
	env_block(e, mask, timeout_ns);
	enqueue(e, key);
	return SYSCALL_DONE;
}

/*
 * Interrupt e, whose alert word was woken: end its exo_wait or
 * exo_wait_word (it returns 0, a spurious wake), or else, if it has an
 * upcall entry, leave it one EXO_UPCALL_ALERT for its next return to user
 * mode (a flag: alerts do not queue).  An env blocked in IPC stays
 * blocked; its upcall waits for the call to end.
 */
static void
alert(struct env *e)
{
	if (e->state == EXO_ENV_BLOCKED && e->ipc_state == IPC_NONE) {
		env_unblock(e, 0);
	} else if (e->upcall_entry) {
		e->pending |= PENDING_ALERT;
		if (e == curenv)
			syscall_upcall_due();
	}
}

/* Alert the envs on q's alert list whose alert word is key. */
static void
alert_all(struct wake_queue *q, uint64_t key)
{
	for (struct env *e = q->alerts; e; e = e->alert_next)
		if (e->alert_key == key)
			alert(e);
}

/* Take e off its alert word's list, if it has one. */
void
alert_clear(struct env *e)
{
	struct wake_queue *q;

	if (!e->alerting)
		return;
	q = queue_of(e->alert_key);
	if (e->alert_prev)
		e->alert_prev->alert_next = e->alert_next;
	else
		q->alerts = e->alert_next;
	if (e->alert_next)
		e->alert_next->alert_prev = e->alert_prev;
	e->alert_next = e->alert_prev = NULL;
	e->alerting = false;
}

/*
 * Make the word at va the caller's alert word, replacing the one it had;
 * va 0 leaves it none.  See docs/ABI.md.  Returns 0, -EXO_EINVAL
 * (misaligned va) or -EXO_EFAULT (va not mapped in the caller).
 */
long
sys_alert_word(uintptr_t va)
{
	struct env *e = curenv;
	struct wake_queue *q;
	uint64_t key;
	long err = va ? word_key(va, &key) : 0;

	if (err)
		return err;
	alert_clear(e);
	if (!va)
		return 0;
	q = queue_of(key);
	e->alert_key = key;
	e->alert_prev = NULL;
	e->alert_next = q->alerts;
	if (q->alerts)
		q->alerts->alert_prev = e;
	q->alerts = e;
	e->alerting = true;
	return 0;
}

/*
 * Alert every env whose alert word is the word at va, then wake up to n
 * envs still waiting on it, oldest first; each one's exo_wait_word
 * returns 0.  Returns how many waiters it woke (alerted envs are not
 * counted, nor limited by n), -EXO_EINVAL (misaligned va) or -EXO_EFAULT
 * (va not mapped in the caller).
 */
long
sys_wake_word(uintptr_t va, uint64_t n)
{
	struct wake_queue *q;
	struct env *e, *next;
	uint64_t key;
	long woken = 0, err = word_key(va, &key);

	if (err)
		return err;
	q = queue_of(key);
	if (unlikely(q->alerts))
		alert_all(q, key);
	for (e = q->head; e && (uint64_t)woken < n; e = next) {
		next = e->word_next;
		if (e->word_key != key)
			continue;
		env_unblock(e, 0);
		woken++;
	}
	return woken;
}

/* Whether one queue is well linked and holds only blocked waiters that
 * hash to it; counts them into *n. */
static bool
queue_ok(const struct wake_queue *q, unsigned *n)
{
	const struct env *prev = NULL;

	for (const struct env *e = q->head; e; prev = e, e = e->word_next) {
		if (e->word_prev != prev || !e->word_waiting ||
		    queue_of(e->word_key) != q || e->state != EXO_ENV_BLOCKED ||
		    e->ipc_state != 0 || ++*n > NENV)
			return false;
	}
	return q->tail == prev;
}

/* Whether one bucket's alert list is well linked and holds only live
 * envs that hash to it; counts them into *n. */
static bool
alerts_ok(const struct wake_queue *q, unsigned *n)
{
	const struct env *prev = NULL;

	for (const struct env *e = q->alerts; e; prev = e, e = e->alert_next) {
		if (e->alert_prev != prev || !e->alerting ||
		    queue_of(e->alert_key) != q || e->state == EXO_ENV_FREE ||
		    ++*n > NENV)
			return false;
	}
	return true;
}

/* The word wait queues' and alert lists' invariants: 0, or -EXO_EINVAL
 * if broken.  Every env that says it waits on a word is on exactly one
 * queue, every env with an alert word on exactly one list. */
int
wake_check(void)
{
	unsigned queued = 0, waiting = 0, listed = 0, alerting = 0;

	for (unsigned i = 0; i < WAKE_BUCKETS; i++)
		if (!queue_ok(&queues[i], &queued) ||
		    !alerts_ok(&queues[i], &listed))
			return -EXO_EINVAL;
	for (unsigned i = 0; i < NENV; i++) {
		waiting += envs[i].word_waiting;
		alerting += envs[i].alerting;
	}
	return queued == waiting && listed == alerting ? 0 : -EXO_EINVAL;
}
