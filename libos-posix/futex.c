/*
 * futex: the kernel's word waits (exo_wait_word, exo_wake_word) are
 * futexes already, keyed by the physical word, so FUTEX_WAIT and
 * FUTEX_WAKE map onto them one to one and work across processes on
 * shared memory (shm.c) as within one.  A signal's sender wakes the
 * receiver's wake word, its alert word too, which ends any wait of the
 * receiver; it also looks at the console every WAIT_SLICE_NS (wait.c).
 */
#include "posix.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define WAIT_SLICE_NS 10000000ull

/* The deadline a timespec at uts gives (absolute, or from now): 0 and
 * *deadline, or -EFAULT / -EINVAL. */
static long
deadline_of(uint64_t uts, bool absolute, uint64_t *deadline)
{
	uint64_t ns;
	long r;

	*deadline = UINT64_MAX;
	if (!uts)
		return 0;
	r = copy_in_timespec(uts, &ns);
	if (!r)
		*deadline = absolute ? ns : (uint64_t)exo_clock_ns() + ns;
	return r;
}

/* Sleep while the word at uaddr holds val: 0 (woken, or it changed),
 * -EAGAIN (it did not hold val), -ETIMEDOUT, or a signal's -EINTR
 * (-ERESTARTSYS without a timeout, as Linux). */
static long
futex_wait(uint64_t uaddr, uint32_t val, uint64_t deadline)
{
	const volatile uint32_t *w =
		(const volatile uint32_t *)(uintptr_t)uaddr;
	bool first = true;

	for (;; first = false) {
		uint64_t now = (uint64_t)exo_clock_ns(), until;

		if (*w != val)
			return first ? -L_EAGAIN : 0;
		if (now >= deadline)
			return -L_ETIMEDOUT;
		if (signal_interrupts())
			return deadline == UINT64_MAX ? -L_ERESTARTSYS
						      : -L_EINTR;
		tty_pull_foreground(now);
		until = deadline - now < WAIT_SLICE_NS ? deadline
						       : now + WAIT_SLICE_NS;
		if (exo_wait_word(w, val, 0, until - now) == -EXO_EAGAIN ||
		    (uint64_t)exo_clock_ns() < until)
			return 0; /* woken, or it changed */
	}
}

/* futex(uaddr, op, val, timeout, uaddr2, val3) */
POSIX_SYS(futex)
{
	static uint32_t logged;
	unsigned op =
		(unsigned)a[1] & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool bitset = op == FUTEX_WAIT_BITSET || op == FUTEX_WAKE_BITSET;
	uint64_t deadline;
	long r;

	if (a[0] & 3)
		return -L_EINVAL;
	if (bitset && !(uint32_t)a[5])
		return -L_EINVAL;
	if (bitset && (uint32_t)a[5] != FUTEX_BITSET_MATCH_ANY) {
		/* Partial bitsets need a waiter's bits the kernel does not
		 * keep. */
		if (!(logged & 1))
			posix_log("posix: pid %u: futex bitset 0x%x is not "
				  "supported: -ENOSYS\n",
				  proc.pid, (unsigned)a[5]);
		logged |= 1;
		return -L_ENOSYS;
	}
	switch (op) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (!vm_user_ok(a[0], 4, L_PROT_READ))
			return -L_EFAULT;
		r = deadline_of(a[3], op == FUTEX_WAIT_BITSET, &deadline);
		return r < 0 ? r : futex_wait(a[0], (uint32_t)a[2], deadline);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (!vm_user_ok(a[0], 4, L_PROT_READ))
			return -L_EFAULT;
		r = exo_wake_word((const volatile uint32_t *)(uintptr_t)a[0],
				  (uint32_t)a[2] > INT32_MAX ? INT32_MAX
							     : (uint32_t)a[2]);
		return r < 0 ? -L_EFAULT : r;
	default:
		if (!(logged & 2))
			posix_log("posix: pid %u: futex op %u is not "
				  "supported: -ENOSYS\n",
				  proc.pid, op);
		logged |= 2;
		return -L_ENOSYS;
	}
}
