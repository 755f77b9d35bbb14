/*
 * Blocking and waking.  Every wait of the libOS (a pipe, the console,
 * a child, a sleep, poll) is the same loop:
 *
 *	seq = posix_wake_seq();
 *	if (what we wait for is there) break;
 *	r = posix_block(seq, deadline, mask);   (-ERESTARTSYS: a signal)
 *
 * and whoever changes what another process may be waiting for calls
 * posix_wake on it (or posix_wake_set on the set of processes an object
 * keeps).  The count is a word of the process's table entry, in the
 * pool every process maps: the sleeper blocks in exo_wait_word on it and
 * the waker, holding no capability for the sleeper's env, wakes it with
 * exo_wake_word.  Reading the count before looking means a wake that
 * comes between the look and the block is not lost.
 *
 * While it waits, a process also takes the console's input if the
 * terminal makes signals of it (tty_pull_foreground): the kernel keeps
 * no terminal and raises no interrupt for typed bytes, so ^C and ^Z
 * reach the line discipline only if someone looks.
 */
#include "posix.h"

/* How long a waiter sleeps at most before it looks again: typed input
 * raises nothing (above), and a wake lost to a process the kernel
 * killed mid-way costs at most this. */
#define WAIT_NAP_NS 10000000ull /* 10 ms */

static struct posix_procent *
me(void)
{
	return &proc.pool->procs[proc.slot];
}

uint32_t
posix_wake_seq(void)
{
	return __atomic_load_n(&me()->wake, __ATOMIC_SEQ_CST);
}

/*
 * The waker bumps the count, then looks whether the process sleeps; the
 * sleeper says it sleeps, then has the kernel compare the count with
 * what it read.  Either the waker sees `waiting` and wakes the word, or
 * the kernel sees the new count and does not block: no wake is lost,
 * and a process that is not asleep costs its waker no system call.
 */
void
posix_wake(struct posix_procent *p)
{
	__atomic_add_fetch(&p->wake, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&p->waiting, __ATOMIC_SEQ_CST))
		exo_wake_word(&p->wake, 1);
}

void
posix_wake_set(uint64_t set[POSIX_NPROC / 64])
{
	for (unsigned w = 0; w < POSIX_NPROC / 64; w++) {
		uint64_t bits = set[w];

		set[w] = 0;
		while (bits) {
			unsigned slot =
				w * 64 + (unsigned)__builtin_ctzll(bits);

			bits &= bits - 1;
			posix_wake(&proc.pool->procs[slot]);
		}
	}
}

void
posix_wait_on(uint64_t set[POSIX_NPROC / 64])
{
	set[proc.slot / 64] |= 1ull << (proc.slot % 64);
}

/* posix_nap with the clock read already (it is a system call). */
static void
nap(uint32_t seq, uint64_t deadline, uint64_t mask, uint64_t now)
{
	struct posix_procent *p = me();

	if (now >= deadline || posix_wake_seq() != seq)
		return;
	tty_pull_foreground(now);
	__atomic_store_n(&p->waiting, 1, __ATOMIC_SEQ_CST);
	exo_wait_word(&p->wake, seq, mask,
		      deadline - now < WAIT_NAP_NS ? deadline - now
						   : WAIT_NAP_NS);
	__atomic_store_n(&p->waiting, 0, __ATOMIC_SEQ_CST);
}

void
posix_nap(uint32_t seq, uint64_t deadline, uint64_t mask)
{
	nap(seq, deadline, mask, (uint64_t)exo_clock_ns());
}

long
posix_block(uint32_t seq, uint64_t deadline, uint64_t mask)
{
	uint64_t now;

	if (signal_interrupts())
		return -L_ERESTARTSYS;
	now = (uint64_t)exo_clock_ns();
	if (now >= deadline)
		return -L_ETIMEDOUT;
	nap(seq, deadline, mask, now);
	return signal_interrupts() ? -L_ERESTARTSYS : 0;
}
