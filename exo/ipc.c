/*
 * Synchronous IPC, L4 style: exo_ipc_call sends four words to an env and
 * blocks until it replies; exo_ipc_reply_wait answers the last caller and
 * waits for the next.  When the callee is already waiting, the call goes
 * straight to it, which runs at once on the caller's slice (donation);
 * otherwise the caller queues (IPC_SENDING) until the callee waits.
 *
 * Register use: the words travel in system call argument registers 1..4
 * both ways; the result register carries the caller's id to the callee
 * and the status (0) back to the caller.
 */
#include <exo/cap.h>
#include <exo/error.h>
#include <kernel/cap.h>
#include <kernel/env.h>
#include <kernel/event.h>
#include <kernel/ipc.h>
#include <kernel/syscall.h>

static inline __attribute__((always_inline)) void
block(struct env *e, unsigned state, exo_envid_t peer)
{
	e->ipc_state = state;
	e->ipc_peer = peer;
	env_set_state(e, EXO_ENV_BLOCKED);
}

/* Make e runnable with `ret` in its result register and, if w, the four
 * words in its argument registers 1..4.  Inline: the IPC fast path's
 * two switches each take one. */
static inline __attribute__((always_inline)) void
wake_msg(struct env *e, uint64_t ret, const uint64_t *w)
{
	struct trapframe *tf = env_tf(e);

	if (w)
		arch_tf_set_msg(tf, ret, w);
	else
		arch_tf_set_ret(tf, ret);
	e->ipc_state = IPC_NONE;
	env_set_state(e, EXO_ENV_RUNNABLE);
}

/* Hand caller's words (a[1..4]) to the waiting callee; caller now waits
 * for the reply. */
static void
deliver(struct env *caller, struct env *callee, const uint64_t w[4])
{
	callee->ipc_reply_to = caller->id;
	callee->info->counters.ipc_received++;
	wake_msg(callee, caller->id, w);
	block(caller, IPC_CALLING, callee->id);
}

long
sys_ipc_call(const uint64_t *a)
{
	struct env *self = curenv, *t;
	struct cap *c;
	long err = cap_lookup(self, (exo_cap_t)a[0], EXO_CT_ENV, EXO_RIGHT_CALL,
			      &c);

	if (err)
		return err;
	t = env_lookup((exo_envid_t)c->obj);
	if (!t)
		return -EXO_ENOENT;
	if (t == self)
		return -EXO_EINVAL;
	self->info->counters.ipc_calls++;
	event_log(EXO_EV_IPC_CALL, self->id, t->id, 0);
	if (t->ipc_state == IPC_WAITING) {
		deliver(self, t, &a[1]);
		sched_yield_to(t);
		return SYSCALL_DONE;
	}
	block(self, IPC_SENDING, t->id);
	self->ipc_next = NULL;
	if (t->ipc_tail)
		t->ipc_tail->ipc_next = self;
	else
		t->ipc_head = self;
	t->ipc_tail = self;
	return SYSCALL_DONE;
}

/* Take the earliest caller queued on e, or NULL. */
static struct env *
dequeue(struct env *e)
{
	struct env *s = e->ipc_head;

	if (s) {
		e->ipc_head = s->ipc_next;
		if (!e->ipc_head)
			e->ipc_tail = NULL;
		s->ipc_next = NULL;
	}
	return s;
}

/* Unlink queued caller s from its callee's queue. */
static void
unqueue(struct env *s)
{
	struct env *t = env_lookup(s->ipc_peer), *prev = NULL;

	if (!t)
		return;
	for (struct env *q = t->ipc_head; q; prev = q, q = q->ipc_next) {
		if (q != s)
			continue;
		if (prev)
			prev->ipc_next = q->ipc_next;
		else
			t->ipc_head = q->ipc_next;
		if (t->ipc_tail == q)
			t->ipc_tail = prev;
		return;
	}
}

long
sys_ipc_reply_wait(const uint64_t *a)
{
	struct env *self = curenv, *r = NULL, *s;
	uint64_t w[4];

	if (a[0]) {
		r = env_lookup((exo_envid_t)a[0]);
		if (!r || r->state != EXO_ENV_BLOCKED ||
		    r->ipc_state != IPC_CALLING || r->ipc_peer != self->id)
			return -EXO_ENOENT;
		wake_msg(r, 0, &a[1]);
	}
	self->ipc_reply_to = 0;
	s = dequeue(self);
	if (s) {
		for (unsigned i = 0; i < 4; i++)
			w[i] = arch_tf_arg(env_tf(s), i + 1);
		deliver(s, self, w);
		return SYSCALL_DONE;
	}
	block(self, IPC_WAITING, 0);
	sched_yield_to(r);
	return SYSCALL_DONE;
}

/*
 * The IPC fast path, seL4's shape: a chain of checks, each able to send
 * the call down the full path with nothing changed.  trap_from_user
 * offers it every Exo system call, with the caller's registers in *tf.
 * It takes the two common cases: a call to an env waiting in
 * exo_ipc_reply_wait, and a reply to a caller blocked on us while no other
 * caller is queued.  Then it moves the words, leaves the caller blocked,
 * switches to the other env and returns it, for the arch to resume; NULL
 * otherwise.
 */
struct env *
ipc_fast(struct env *self, struct trapframe *tf)
{
	struct env *to;
	struct cap *c;
	uint64_t nr, a[6];

	arch_tf_syscall(tf, &nr, a);
	if (nr == EXO_SYS_IPC_CALL) {
		if (cap_lookup(self, (exo_cap_t)a[0], EXO_CT_ENV,
			       EXO_RIGHT_CALL, &c))
			return NULL;
		to = env_lookup((exo_envid_t)c->obj);
		if (!to || to == self || to->ipc_state != IPC_WAITING ||
		    to->pending || to->live)
			return NULL;
		self->info->counters.ipc_calls++;
		event_log(EXO_EV_IPC_CALL, self->id, to->id, 0);
		to->ipc_reply_to = self->id;
		to->info->counters.ipc_received++;
		wake_msg(to, self->id, &a[1]);
		block(self, IPC_CALLING, to->id);
	} else if (nr == EXO_SYS_IPC_REPLY_WAIT && a[0]) {
		to = env_lookup((exo_envid_t)a[0]);
		if (!to || to->state != EXO_ENV_BLOCKED ||
		    to->ipc_state != IPC_CALLING || to->ipc_peer != self->id ||
		    to->pending || self->ipc_head)
			return NULL;
		wake_msg(to, 0, &a[1]);
		self->ipc_reply_to = 0;
		block(self, IPC_WAITING, 0);
	} else {
		return NULL;
	}
	self->info->counters.syscalls++;
	env_switch(to);
	return to;
}

/* e is dying: leave the queue it waits in, and fail every call blocked
 * on it. */
void
ipc_abort_peer(struct env *e)
{
	if (e->ipc_state == IPC_SENDING)
		unqueue(e);
	for (unsigned i = 0; i < NENV; i++) {
		struct env *s = &envs[i];
		if (s->state == EXO_ENV_BLOCKED && s->ipc_peer == e->id &&
		    (s->ipc_state == IPC_SENDING ||
		     s->ipc_state == IPC_CALLING)) {
			s->ipc_next = NULL;
			wake_msg(s, (uint64_t)-EXO_ENOENT, NULL);
		}
	}
	e->ipc_head = e->ipc_tail = NULL;
}
