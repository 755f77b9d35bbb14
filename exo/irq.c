/*
 * IRQ bindings: an env holding an IRQ capability binds a line and receives
 * each interrupt on it as an EXO_UPCALL_IRQ (arg[0]: the line).  The line
 * stays masked from the moment it fires until the env acknowledges it
 * with exo_irq_ack, so a device cannot flood an env that is not keeping
 * up, and a line fires for one env only.
 */
#include <exo/cap.h>
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/cap.h>
#include <kernel/env.h>
#include <kernel/irq.h>
#include <kernel/syscall.h>

struct line {
	exo_envid_t owner; /* 0: unbound */
	bool waiting_ack;  /* fired, not yet acknowledged */
	bool again;	   /* fired again meanwhile (a software raise) */
};

static struct line lines[IRQ_LINES_MAX];
uint32_t irq_epoch; /* of IRQ capabilities */

static unsigned
nlines(void)
{
	return MIN(arch_irq_lines(), IRQ_LINES_MAX);
}

void
irq_fire(unsigned line)
{
	struct line *l = &lines[line];
	struct env *e = line < nlines() ? env_lookup(l->owner) : NULL;

	if (!e || !l->owner)
		return; /* unbound: the arch left it masked */
	if (l->waiting_ack) {
		l->again = true;
		return;
	}
	l->waiting_ack = true;
	e->irq_pending |= 1ull << line;
	e->pending |= PENDING_IRQ;
	if (e->state == EXO_ENV_BLOCKED && e->ipc_state == 0) {
		/* In exo_wait or exo_wait_word: it returns 0, and the
		 * upcall comes first. */
		env_unblock(e, 0);
	}
}

/* The IRQ capability in slot cap covering line, for the caller. */
static long
line_cap(exo_cap_t cap, uint64_t line)
{
	struct cap *c;
	long err = cap_lookup(curenv, cap, EXO_CT_IRQ, EXO_RIGHT_USE, &c);

	if (err)
		return err;
	if (line >= nlines() || line < c->obj || line - c->obj >= c->count)
		return -EXO_EINVAL;
	return 0;
}

long
sys_irq_bind(exo_cap_t cap, uint64_t line)
{
	struct line *l;
	long err = line_cap(cap, line);

	if (err)
		return err;
	l = &lines[line];
	if (l->owner && l->owner != curenv->id && env_lookup(l->owner))
		return -EXO_EBUSY;
	*l = (struct line){ .owner = curenv->id };
	arch_irq_unmask((unsigned)line);
	return 0;
}

long
sys_irq_ack(exo_cap_t cap, uint64_t line)
{
	struct line *l;
	long err = line_cap(cap, line);

	if (err)
		return err;
	l = &lines[line];
	if (l->owner != curenv->id)
		return -EXO_EPERM;
	l->waiting_ack = false;
	if (l->again) {
		l->again = false;
		irq_fire((unsigned)line);
	} else {
		arch_irq_unmask((unsigned)line);
	}
	return 0;
}

long
sys_irq_raise(exo_cap_t machine, uint64_t line)
{
	struct cap *c;
	long err =
		cap_lookup(curenv, machine, EXO_CT_MACHINE, EXO_RIGHT_USE, &c);

	if (err)
		return err;
	if (line >= nlines())
		return -EXO_EINVAL;
	arch_irq_raise((unsigned)line);
	return 0;
}

/* e is dying: its lines go back, masked. */
void
irq_release(const struct env *e)
{
	for (unsigned i = 0; i < nlines(); i++) {
		if (lines[i].owner != e->id)
			continue;
		arch_irq_mask(i);
		lines[i] = (struct line){ 0 };
	}
}

/* The number of lines IRQ capabilities can name. */
unsigned
irq_count(void)
{
	return nlines();
}
