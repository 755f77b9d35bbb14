/*
 * The kernel event ring: a fixed array the kernel appends to and one
 * reader (a MACHINE capability holder) drains.  When the writer laps the
 * reader, the reader first gets an EXO_EV_LOST event saying how many it
 * missed.
 */
#include <exo/cap.h>
#include <exo/error.h>
#include <exo/event.h>
#include <kernel/arch.h>
#include <kernel/cap.h>
#include <kernel/event.h>
#include <kernel/syscall.h>
#include <kernel/vm.h>

#define RING 1024 /* a power of two */

static struct exo_event ring[RING];
static uint64_t head; /* events ever written */
static uint64_t tail; /* events ever read (or skipped) */

void
event_log(uint32_t type, exo_envid_t env, uint64_t a, uint64_t b)
{
	ring[head % RING] =
		(struct exo_event){ arch_clock_ns(), type, env, a, b };
	head++;
}

long
sys_events_read(exo_cap_t cap, uintptr_t buf, uint64_t n)
{
	struct cap *c;
	uint64_t done = 0;
	long err = cap_lookup(curenv, cap, EXO_CT_MACHINE, EXO_RIGHT_USE, &c);

	if (err)
		return err;
	if (n > RING)
		return -EXO_EINVAL;
	if (!vm_user_range(buf, n * sizeof(struct exo_event)))
		return -EXO_EFAULT;
	if (head - tail > RING && n) {
		struct exo_event lost = { arch_clock_ns(), EXO_EV_LOST, 0,
					  head - tail - RING, 0 };
		if (arch_copy_to_user(buf, &lost, sizeof(lost)))
			return -EXO_EFAULT;
		tail = head - RING;
		done = 1;
	}
	for (; done < n && tail < head; done++, tail++)
		if (arch_copy_to_user(buf + done * sizeof(struct exo_event),
				      &ring[tail % RING],
				      sizeof(struct exo_event)))
			return -EXO_EFAULT;
	return (long)done;
}
