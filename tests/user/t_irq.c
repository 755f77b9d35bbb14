/*
 * IRQ bindings: a bound line arrives as an EXO_UPCALL_IRQ and stays
 * masked until acknowledged.  The line is raised in software through the
 * interrupt controller (exo_irq_raise, MACHINE capability): a self-IPI on
 * the line's vector on x86_64, a pending bit in the GIC distributor on
 * aarch64.
 */
#include "ut.h"

#define LINE 10			 /* no device of the test machines uses it */
#define SETTLE (20 * 1000000ull) /* ns: long enough for a stray upcall */

static volatile uint64_t irq_count, irq_line;

static int
irq_hook(struct exo_upcall_frame *f)
{
	if (f->type != EXO_UPCALL_IRQ)
		return 0;
	irq_line = f->arg[0];
	irq_count++;
	return 1;
}

/* Spin until n IRQ upcalls have arrived or ns pass; the count. */
static uint64_t
await(uint64_t n, uint64_t ns)
{
	uint64_t t0 = (uint64_t)exo_clock_ns();

	while (irq_count < n && (uint64_t)exo_clock_ns() - t0 < ns)
		;
	return irq_count;
}

UTEST(irq_upcall_and_ack)
{
	irq_count = 0;
	UT_OK(ut_upcalls_on(irq_hook));
	UT_OK(exo_irq_bind(EXO_CAP_IRQ, LINE));
	UT_OK(exo_irq_raise(EXO_CAP_MACHINE, LINE));
	UT_ASSERT_EQ(await(1, UT_SECOND), 1);
	UT_ASSERT_EQ(irq_line, LINE);
	/* Not acknowledged: a second interrupt waits. */
	UT_OK(exo_irq_raise(EXO_CAP_MACHINE, LINE));
	UT_ASSERT_EQ(await(2, SETTLE), 1);
	UT_OK(exo_irq_ack(EXO_CAP_IRQ, LINE));
	UT_ASSERT_EQ(await(2, UT_SECOND), 2);
	UT_OK(exo_irq_ack(EXO_CAP_IRQ, LINE));
	UT_ASSERT_EQ(await(3, SETTLE), 2);
}

/* An IRQ ends an exo_wait early (it returns 0) and its upcall runs: a
 * child holding the MACHINE capability raises the line while the root
 * waits. */
UTEST(irq_wakes_waiter)
{
	struct ut_child c;
	long slot;
	uint64_t t0;

	irq_count = 0;
	UT_OK(ut_upcalls_on(irq_hook));
	UT_OK(exo_irq_bind(EXO_CAP_IRQ, LINE));
	UT_OK(ut_child_load(&c, CHILD_IRQ_RAISE, 64));
	slot = UT_OK(exo_cap_grant(EXO_CAP_MACHINE, c.env, EXO_RIGHT_USE));
	c.sh->results[0] = slot;
	c.sh->results[1] = LINE;
	c.sh->results[2] = 50 * 1000000; /* ns: the root is asleep by then */
	UT_OK(ut_child_run(&c));
	t0 = (uint64_t)exo_clock_ns();
	UT_ASSERT_EQ(exo_wait(1, 10 * UT_SECOND), 0);
	UT_ASSERT((uint64_t)exo_clock_ns() - t0 < 5 * UT_SECOND);
	UT_ASSERT_EQ(await(1, UT_SECOND), 1);
	UT_ASSERT_EQ(irq_line, LINE);
	UT_ASSERT_EQ(c.sh->results[3], 0);
	UT_ASSERT_EQ(ut_wait_child(UT_SECOND), EXO_NOTIFY_CHILD);
	UT_OK(ut_child_release(&c));
}

UTEST(irq_errors)
{
	struct exo_cap_info info;
	long lines;

	UT_OK(exo_cap_info(EXO_CAP_IRQ, &info));
	UT_ASSERT_EQ(info.type, EXO_CT_IRQ);
	lines = (long)info.count;
	UT_ASSERT(lines > LINE);
	UT_ASSERT_ERR(exo_irq_bind(EXO_NCAPS - 1, LINE), EXO_ENOENT);
	UT_ASSERT_ERR(exo_irq_bind(EXO_CAP_CONSOLE, LINE), EXO_ENOENT);
	UT_ASSERT_ERR(exo_irq_bind(EXO_CAP_IRQ, (uint64_t)lines), EXO_EINVAL);
	UT_ASSERT_ERR(exo_irq_bind(EXO_CAP_IRQ, ~0ull), EXO_EINVAL);
	UT_ASSERT_ERR(exo_irq_ack(EXO_CAP_IRQ, LINE), EXO_EPERM);
	UT_ASSERT_ERR(exo_irq_raise(EXO_CAP_IRQ, LINE), EXO_ENOENT);
	UT_ASSERT_ERR(exo_irq_raise(EXO_CAP_MACHINE, (uint64_t)lines),
		      EXO_EINVAL);
}

/* A copy without the USE right cannot bind; revoking the line capability
 * voids every copy but the revoker's. */
UTEST(irq_rights_and_revoke)
{
	long weak = UT_OK(exo_cap_derive(EXO_CAP_IRQ, EXO_RIGHT_GRANT));
	long full = UT_OK(exo_cap_derive(EXO_CAP_IRQ, EXO_RIGHTS_ALL));

	UT_ASSERT_ERR(exo_irq_bind((exo_cap_t)weak, LINE), EXO_EPERM);
	UT_OK(exo_irq_bind((exo_cap_t)full, LINE));
	UT_OK(exo_cap_revoke(EXO_CAP_IRQ));
	UT_ASSERT_ERR(exo_irq_ack((exo_cap_t)full, LINE), EXO_ENOENT);
	UT_ASSERT_ERR(exo_irq_bind((exo_cap_t)weak, LINE), EXO_ENOENT);
	UT_OK(exo_irq_bind(EXO_CAP_IRQ, LINE));
}
