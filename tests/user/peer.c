/*
 * peer: the partner env of the IPC, notification, slice, revocation,
 * capability, memory-word and alert cases.  Its argument is the page it shares
 * with the root (prog.h), whose `mode` says what to do.
 */
#include <exo/libexo.h>
#include "prog.h"

#define STACK_SIZE 16384

static volatile struct prog_shared *sh;
static unsigned char upcall_stack[STACK_SIZE] __attribute__((aligned(16)));

/* Echo server: every message comes back changed, with the caller's id in
 * w[3]; PEER_QUIT makes it exit without replying. */
static void
serve(void)
{
	struct exo_msg m = { { 0 } };
	exo_envid_t to = 0;
	long id;

	if (sh->arg[0])
		exo_wait(sh->arg[0], ~0ull);
	sh->done = PROG_MAGIC; /* waiting for calls from now on */
	for (unsigned n = 0;; n++) {
		id = exo_ipc_reply_wait(to, &m);
		if (id < 0) {
			sh->out[PROG_NOUT - 1] = id;
			to = 0;
			continue;
		}
		if (n < PROG_NOUT / 2) {
			sh->out[n] = id;
			sh->out[PROG_NOUT / 2 + n] = (int64_t)m.w[0];
		}
		sh->counter++;
		if (m.w[0] == PEER_QUIT)
			exo_terminate(0);
		for (unsigned i = 0; i < 3; i++)
			m.w[i] = PEER_REPLY(m.w[i], i);
		m.w[3] = (uint64_t)id;
		to = (exo_envid_t)id;
	}
}

static void
call(void)
{
	for (uint64_t i = 0; i < sh->arg[1] && i < PROG_NOUT; i++) {
		struct exo_msg m = { { i, 0, 0, 0 } };

		sh->out[i] = exo_ipc_call((exo_cap_t)sh->arg[0], &m);
		sh->counter++;
	}
}

static void
wait_loop(void)
{
	for (unsigned n = 0;; n++) {
		long got = exo_wait(sh->arg[0], sh->arg[1]);

		sh->out[n % PROG_NOUT] = got;
		sh->counter = n + 1;
	}
}

/* Count every upcall; at a slice end, yield if asked to. */
static void
slice_handler(struct exo_upcall_frame *f)
{
	/* The arguments first: the root reads them once it sees a count. */
	if (f->type == EXO_UPCALL_SLICE_START)
		sh->out[0] = (int64_t)f->arg[0];
	if (f->type == EXO_UPCALL_SLICE_END)
		sh->out[1] = (int64_t)f->arg[0];
	if (f->type < 8)
		sh->upcalls[f->type]++;
	if (f->type == EXO_UPCALL_SLICE_END && sh->arg[0])
		exo_yield(0);
}

static uint64_t rev_pa[PROG_NOUT];

/* Give back the last frames asked for, if it complies; otherwise keep
 * them.  Either way it says what it was asked. */
static void
revoke_handler(struct exo_upcall_frame *f)
{
	uint64_t n = f->arg[0], have = sh->arg[0];

	if (f->type < 8)
		sh->upcalls[f->type]++;
	if (f->type != EXO_UPCALL_REVOKE) {
		sh->fault = f->fault;
		sh->fault_addr = f->addr;
		exo_terminate(3);
	}
	sh->out[0] = (int64_t)n;
	sh->out[1] = (int64_t)f->arg[1];
	if (!sh->arg[1])
		return;
	for (uint64_t i = 0; i < n && i < have; i++) {
		uint64_t va = PROG_LOW_VA + (have - 1 - i) * EXO_PAGE_SIZE;

		if (exo_unmap(EXO_ENVID_SELF, &va, 1) == 1 &&
		    exo_page_free(EXO_ENVID_SELF, rev_pa[have - 1 - i]) == 0)
			sh->out[2]++;
	}
}

/* Map arg[0] frames at PROG_LOW_VA, then idle, watching its info page. */
static void
revoke_mode(void)
{
	const volatile struct exo_envinfo *info = exo_info();

	if (exo_upcall_init(revoke_handler, upcall_stack, STACK_SIZE) < 0)
		return;
	for (uint64_t i = 0; i < sh->arg[0] && i < PROG_NOUT; i++) {
		long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
		struct exo_mapping m = { PROG_LOW_VA + i * EXO_PAGE_SIZE,
					 (uint64_t)pa,
					 EXO_PERM_R | EXO_PERM_W };

		if (pa < 0 || exo_map(EXO_ENVID_SELF, &m, 1) != 1)
			return;
		rev_pa[i] = (uint64_t)pa;
		*(volatile uint64_t *)(uintptr_t)m.va = i;
	}
	sh->done = PROG_MAGIC;
	for (;;) {
		exo_wait(0, 2000000);
		sh->out[3] = (int64_t)info->repossess_count;
		sh->out[4] = (int64_t)info->frames_used;
		sh->counter++;
	}
}

/* A fault of a remote access: report it and die. */
static void
remote_handler(struct exo_upcall_frame *f)
{
	if (f->type < 8)
		sh->upcalls[f->type]++;
	sh->fault = f->fault;
	sh->fault_addr = f->addr;
	sh->fault_pc = EXO_REGS_PC(&f->regs);
	exo_terminate(3);
}

static void
remote(void)
{
	volatile uint64_t *a = sh->arg;

	if (exo_upcall_init(remote_handler, upcall_stack, STACK_SIZE) < 0)
		return;
	sh->done = PROG_MAGIC;
	for (uint64_t seen = 0;; seen = sh->req) {
		while (sh->req == seen)
			exo_yield(0);
		if (a[0] == PEER_SYSCALL)
			sh->ret = exo_syscall6(a[1], a[2], a[3], a[4], a[5],
					       a[6], a[7]);
		else if (a[0] == PEER_LOAD)
			sh->ret = (int64_t) *
				  (volatile uint64_t *)(uintptr_t)a[1];
		else if (a[0] == PEER_STORE)
			*(volatile uint64_t *)(uintptr_t)a[1] = a[2];
		sh->ack = sh->req;
	}
}

/* Ping-pong with the root on the 32-bit word at buf[0], arg[0] rounds:
 * in round i the root makes it 2i + 1 and wakes the peer, which makes it
 * 2i + 2 and wakes the root; each side sleeps in exo_wait_word. */
static void
word_pong(void)
{
	volatile uint32_t *w = (volatile uint32_t *)(uintptr_t)PROG_BUF(0);

	for (uint32_t i = 0; i < sh->arg[0]; i++) {
		while (*w != 2 * i + 1)
			exo_wait_word(w, 2 * i, 0, 1000000000);
		*w = 2 * i + 2;
		exo_wake_word(w, 1);
	}
}

/* Count an alert and where it interrupted the peer (out[8 + n] for the
 * nth); with arg[5], stay in the first one until a second has nested on
 * it.  Any other upcall is a fault: report it and die. */
static void
alert_handler(struct exo_upcall_frame *f)
{
	uint64_t n;

	if (f->type != EXO_UPCALL_ALERT) {
		if (f->type < 8)
			sh->upcalls[f->type]++;
		sh->fault = f->fault;
		sh->fault_addr = f->addr;
		exo_terminate(3);
	}
	sh->fault_pc = EXO_REGS_PC(&f->regs);
	n = sh->upcalls[EXO_UPCALL_ALERT];
	if (n < 8)
		sh->out[8 + n] = (int64_t)sh->fault_pc;
	sh->upcalls[EXO_UPCALL_ALERT] = n + 1;
	while (n == 0 && sh->arg[5] && sh->upcalls[EXO_UPCALL_ALERT] < 2)
		sh->counter++;
}

/* PEER_ALERT: see enum peer_alert. */
static void
alert_mode(void)
{
	const volatile uint32_t *w =
		(const volatile uint32_t *)(uintptr_t)sh->arg[4];
	struct exo_msg m = { { 0 } };

	if (sh->arg[1] &&
	    exo_upcall_init(alert_handler, upcall_stack, STACK_SIZE) < 0)
		return;
	sh->ret = exo_alert_word(
		(const volatile uint32_t *)(uintptr_t)sh->arg[2]);
	sh->done = PROG_MAGIC;
	if (sh->arg[0] == PEER_ALERT_WAIT || sh->arg[0] == PEER_ALERT_WAIT_WORD)
		for (;;) {
			sh->out[0] = sh->arg[0] == PEER_ALERT_WAIT
					     ? exo_wait(0, ~0ull)
					     : exo_wait_word(w, 0, 0, ~0ull);
			sh->counter++;
		}
	if (sh->arg[0] == PEER_ALERT_CALL) {
		sh->out[0] = exo_ipc_call((exo_cap_t)sh->arg[3], &m);
		sh->counter++;
	}
	for (;;)
		sh->counter++;
}

int
main(uint64_t arg)
{
	sh = (volatile struct prog_shared *)(uintptr_t)arg;
	sh->started = PROG_MAGIC;
	switch (sh->mode) {
	case PEER_SERVE:
		serve();
		break;
	case PEER_CALL:
		call();
		break;
	case PEER_WAIT:
		wait_loop();
		break;
	case PEER_SPIN:
		for (;;) {
			sh->seen = sh->arg[0];
			sh->counter++;
		}
	case PEER_SLICE:
		if (exo_upcall_init(slice_handler, upcall_stack, STACK_SIZE) <
		    0)
			return 2;
		for (;;)
			sh->counter++;
	case PEER_REVOKE:
		revoke_mode();
		return 2;
	case PEER_REMOTE:
		remote();
		return 2;
	case PEER_WORD:
		word_pong();
		break;
	case PEER_ALERT:
		alert_mode();
		return 2;
	default:
		return 2;
	}
	sh->done = PROG_MAGIC;
	return 0;
}
