/*
 * Environments: the kernel's protection domains (exo/env.c).
 */
#ifndef EXO_KERNEL_ENV_H
#define EXO_KERNEL_ENV_H

#include <exo/cap.h>
#include <exo/envinfo.h>
#include <exo/types.h>
#include <kernel/arch.h>
#include <kernel/compiler.h>

#define NENV 255	 /* slot i runs under ASID i + 1; ASID 0 is "no env" */
#define ENV_MAX_DEPTH 32 /* creation chains; bounds the kernel's recursion */

struct cap {
	uint8_t type; /* enum exo_cap_type */
	uint8_t rights;
	uint16_t pad;
	uint32_t epoch; /* valid while it equals the object's */
	uint64_t obj;	/* env id, frame address, slot or line */
	uint64_t count; /* PAGES: frames */
	uint32_t owner; /* PAGES: the env that owned the frames */
	uint32_t pad2;
	/* PAGES: pm_release_gen(owner) when every frame was last found to
	 * be owner's, so the next look is O(1) unless the owner lost one. */
	uint64_t checked;
};

struct env {
	/* User registers.  While the env is current they stay where its last
	 * kernel entry saved them (live, on the kernel stack) and are copied
	 * into tf only when another env runs: use env_tf(). */
	struct trapframe tf;
	struct trapframe *live;
	struct arch_env_ctx ctx; /* FP/SIMD and thread pointers */
	exo_envid_t id;		 /* slot | generation << 16; 0 when free */
	exo_envid_t parent;	 /* 0 for the root env */
	enum exo_env_state state;
	unsigned depth; /* 0 for the root env */
	unsigned asid;
	uint64_t pt_root;      /* physical address of the top-level table */
	uint64_t upcall_entry; /* 0: no upcalls, faults destroy the env */
	uint64_t upcall_stack; /* top of the upcall stack */
	bool linux_abi;	       /* reflect foreign system calls */
	uint64_t quota;	       /* frames it may own (charged) */
	uint64_t used;	       /* frames charged to it now */
	uint64_t kframes;      /* of which kernel-owned: tables, info page */
	uint64_t info_pa;
	struct exo_envinfo *info; /* kernel view of its info page */
	uint64_t wait_mask;	  /* while blocked in exo_wait */
	uint64_t wait_deadline;	  /* clock ns; UINT64_MAX: none */
	uint32_t cap_epoch;	  /* of ENV capabilities naming it */
	/* IPC: see exo/ipc.c. */
	unsigned ipc_state;	  /* IPC_NONE, IPC_WAITING, IPC_SENDING, ... */
	exo_envid_t ipc_peer;	  /* SENDING/CALLING: the callee */
	exo_envid_t ipc_reply_to; /* the caller it owes a reply */
	struct env *ipc_next;	  /* SENDING: next in the callee's queue */
	struct env *ipc_head;	  /* callers queued on this env, FIFO */
	struct env *ipc_tail;
	/* Asynchronous upcalls waiting for the env to run (PENDING_*). */
	unsigned pending;
	uint64_t irq_pending; /* lines whose IRQ upcall is due */
	unsigned slice;	      /* the slot it runs in, if it owns it */
	/* Visible revocation (exo/revoke.c): owned frames to keep at most,
	 * and by when; deadline 0 when no request is open. */
	uint64_t revoke_keep;
	uint64_t revoke_nframes;
	uint64_t revoke_deadline;
	/* While blocked in exo_wait_word: queued on the word's bucket
	 * (exo/wake.c), oldest first. */
	bool word_waiting;
	uint64_t word_key; /* physical address of the word */
	/* The last word page it named and its frame, while vm_gen is
	 * word_cache_gen (a ping-pong names the same words each time). */
	uint64_t word_cache_va, word_cache_pa, word_cache_gen;
	struct env *word_next, *word_prev;
	/* Its alert word (exo/wake.c): on the word's bucket's alert list
	 * while alerting. */
	bool alerting;
	uint64_t alert_key; /* physical address of the word */
	struct env *alert_next, *alert_prev;
	struct cap caps[EXO_NCAPS];
};

_Static_assert(NENV <= EXO_MAX_ASID, "every env slot needs its own ASID");

extern struct env envs[NENV];
extern struct env *curenv;

/* e's saved user registers, wherever they are. */
static inline struct trapframe *
env_tf(struct env *e)
{
	return e->live ? e->live : &e->tf;
}

struct env *env_lookup(exo_envid_t id);
bool env_controls(const struct env *c, const struct env *t);
long env_controlled(exo_envid_t id, struct env **out);
int env_create(struct env *parent, uint64_t quota, unsigned flags,
	       struct env **out);
void env_destroy(struct env *e);
int env_charge(struct env *e, uint64_t frames);
void env_uncharge(struct env *e, uint64_t frames);
void env_notify(struct env *e, uint64_t bits);
void env_block(struct env *e, uint64_t mask, uint64_t timeout_ns);
void env_unblock(struct env *e, uint64_t ret);
void env_switch(struct env *e);
__noreturn void env_run(struct env *e);

#define PENDING_REVOKE 1u
#define PENDING_SLICE_START 2u
#define PENDING_SLICE_END 4u
#define PENDING_IRQ 8u
#define PENDING_ALERT 16u

/* Frames e owns itself (not its kernel-owned tables and info page). */
static inline uint64_t
env_owned(const struct env *e)
{
	return e->used - e->kframes;
}

/* Waiting on memory words, and alerts (exo/wake.c). */
void wake_cancel(struct env *e);
void alert_clear(struct env *e);
int wake_check(void);

/* Visible revocation (exo/revoke.c). */
void revoke_tick(uint64_t now);

/* Scheduling (exo/sched.c). */
void sched_tick(void);
void sched_yield_to(struct env *e);
void sched_donate(void);
__noreturn void sched_run(void);
__noreturn void sched_resume(void);
/* Whether the current env goes on as it is at the end of this kernel
 * entry: runnable, not to be rescheduled, no upcall due. */
bool sched_resumes_current(void);
/* The scheduler's set of runnable envs, a bit per slot, kept by
 * env_set_state (exo/sched.c reads it); sched_check() checks it. */
#define SCHED_RUN_WORDS ((NENV + 63) / 64)
extern uint64_t sched_runnable[SCHED_RUN_WORDS];
int sched_check(void);

/* Set e's state, its info page's too if it has one. */
static inline void
env_set_state(struct env *e, enum exo_env_state s)
{
	unsigned i = e->asid - 1; /* its slot, without dividing by the size */
	uint64_t bit = 1ull << (i % 64);

	e->state = s;
	if (s != EXO_ENV_EMBRYO && s != EXO_ENV_FREE)
		e->info->state = s;
	if (s == EXO_ENV_RUNNABLE)
		sched_runnable[i / 64] |= bit;
	else
		sched_runnable[i / 64] &= ~bit;
}

#endif
