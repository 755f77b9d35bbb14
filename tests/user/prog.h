/*
 * The helper programs of the core-kernel cases (peer, victim, hostile,
 * fuzz) and the test root env share one page the root owns: mapped at
 * PROG_VA in the program, whose main() gets PROG_VA as its argument, and
 * wherever the root chooses in the root.  The root writes the mode and the
 * arguments before it starts the program; the program reports through the
 * rest.  prog.c has the root's side.
 */
#ifndef TESTS_USER_PROG_H
#define TESTS_USER_PROG_H

#include <stdint.h>
#include <exo/types.h>

#define PROG_VA 0x0000000020000000ull
#define PROG_MAGIC 0x5eed0000cafe0001ull
#define PROG_NARGS 16
#define PROG_NOUT 64
#define PROG_WHY 200
/* Where peer's PEER_REVOKE mode maps its frames: below every program's
 * text, so the kernel repossesses these first (it goes in address order). */
#define PROG_LOW_VA 0x0000000000100000ull
/* A free region of the programs' own address spaces. */
#define PROG_SCRATCH_VA 0x0000000040000000ull

struct prog_shared {
	uint64_t mode;
	uint64_t arg[PROG_NARGS]; /* from the root */
	uint64_t started;	  /* PROG_MAGIC once main() runs */
	uint64_t done;		  /* PROG_MAGIC when the mode's work is over */
	uint64_t counter;	  /* progress of a spinner */
	uint64_t seen;		  /* PEER_SPIN: the last arg[0] it saw */
	uint64_t req, ack;	  /* PEER_REMOTE: commands asked, done */
	int64_t ret;		  /* PEER_REMOTE: the last command's result */
	uint64_t attempts;	  /* hostile: attacks made */
	uint64_t failures;	  /* hostile: kernel answers that were wrong */
	char why[PROG_WHY];	  /* hostile: the first wrong answer */
	uint64_t upcalls[8];	  /* upcalls seen, by type */
	uint64_t fault, fault_addr, fault_pc;
	int64_t out[PROG_NOUT]; /* what each mode reports */
	uint64_t buf[64];	/* PEER_REMOTE: room for vectors and output */
};

_Static_assert(sizeof(struct prog_shared) <= 4096, "one page");

/* peer: a general-purpose partner for the IPC, capability, slice and
 * revocation cases. */
enum peer_mode {
	PEER_SERVE = 1, /* echo server: wait for bit arg[0] first (if set);
			   out[k]: the kth caller */
	PEER_CALL,	/* call cap arg[0] arg[1] times; out[i]: results */
	PEER_WAIT,	/* wait(arg[0], arg[1]) in a loop; out[n]: results */
	PEER_SPIN,	/* seen = arg[0], counter++, forever */
	PEER_SLICE,	/* count upcalls, spin; arg[0]: yield at slice end */
	PEER_REVOKE,	/* arg[0] frames at PROG_LOW_VA; arg[1]: comply */
	PEER_REMOTE,	/* run the root's system calls (peer_cmd) */
	PEER_WORD,	/* arg[0] rounds of word ping-pong (word_pong) */
	PEER_ALERT,	/* alert word arg[2], then do arg[0] (peer_alert);
			   arg[1]: catch alerts (upcalls[], fault_pc,
			   out[8 + n]); arg[5]: nest the second in the first */
};

/* What a PEER_ALERT peer does once its alert word is set (ret: the
 * result of exo_alert_word); counter counts its rounds, out[0] holds the
 * last call's result. */
enum peer_alert {
	PEER_ALERT_SPIN = 0,  /* counter++ forever, no system call */
	PEER_ALERT_WAIT,      /* exo_wait(0, forever) in a loop */
	PEER_ALERT_WAIT_WORD, /* exo_wait_word(arg[4], 0, 0, forever) loop */
	PEER_ALERT_CALL,      /* one exo_ipc_call on cap arg[3], then spin */
};

/* The echo server's reply to m (one word changed per slot) and the
 * message that makes it exit without replying. */
#define PEER_REPLY(w, i) ((w) ^ (0x1111111111111111ull * ((i) + 1)))
#define PEER_QUIT 0xdeadull

/* PEER_REMOTE commands: arg[0] the command, arg[1..7] its operands. */
enum peer_cmd {
	PEER_SYSCALL = 1, /* ret = system call arg[1] (arg[2..7]) */
	PEER_LOAD,	  /* ret = *arg[1]; a fault kills the peer */
	PEER_STORE,	  /* *arg[1] = arg[2] */
};

/* victim: fills PROG_VICTIM_PAGES frames with a pattern and serves
 * VICTIM_CHECK calls: reply w[0] = 1 if the pattern is intact. */
#define VICTIM_PAGES 4
#define VICTIM_VA 0x0000000050000000ull
#define VICTIM_CHECK 0xc4ec4ull
#define VICTIM_PATTERN(pa, off) ((pa)*0x9e3779b97f4a7c15ull ^ (off))

/* hostile: one group of attacks per run (arg[] carries the victim's env
 * id, its frames and an ENV capability for it without rights). */
enum hostile_mode {
	HOSTILE_FRAMES = 1, /* the victim's frames and address space */
	HOSTILE_CAPS,	    /* forged, escalated and revoked capabilities */
	HOSTILE_POINTERS,   /* bad pointers and lengths to every call */
	HOSTILE_NUMBERS,    /* unknown and foreign system call numbers */
	HOSTILE_IPC,	    /* the victim's IPC endpoint */
	HOSTILE_FAULT,	    /* fault number arg[0], handled if arg[1] */
	HOSTILE_UPCALL_OVERFLOW, /* fault inside its handler, forever */
	HOSTILE_SPIN,		 /* spin forever, no yield */
	HOSTILE_EXHAUST,	 /* frames, then env slots, until refused */
	HOSTILE_CONSOLE,	 /* revoke the console it was given */
	HOSTILE_FOREIGN, /* Linux calls with bad upcall stacks (EXO_ENV_LINUX) */
};

/* hostile's arg[] */
enum hostile_arg {
	HA_VICTIM = 0,	  /* the victim's env id */
	HA_VICTIM_EP = 1, /* an ENV capability for it, without rights */
	HA_VICTIM_PA = 2, /* its frames: HA_VICTIM_PA .. + VICTIM_PAGES */
	HA_ROOT = 8,	  /* the root's env id */
};

/* fuzz: arg[0] the seed, arg[1] the number of calls; out[0] the calls
 * made, out[1] the envs it created, out[2] the last system call number. */

/* --- the root's side (prog.c) --------------------------------------------- */

/* A helper program the root started, and the page it shares with it. */
struct prog {
	exo_envid_t env;
	uint64_t entry, sp;
	uint64_t pa, va; /* the shared page, and where the root maps it */
	volatile struct prog_shared *sh;
};

/* Where the root maps the shared page of its nth program at once. */
#define PROG_ROOT_VA(n) (0x0000000300000000ull + (uint64_t)(n)*0x1000)

/*
 * Load program `name` from the bootfs in a new env with frame_quota
 * frames, its shared page at PROG_VA (and at PROG_ROOT_VA(slot) in the
 * root) with mode set, without starting it; clears a pending
 * EXO_NOTIFY_CHILD.  0 or an error; nothing is left behind on error.
 */
long prog_load(struct prog *p, const char *name, unsigned slot, uint64_t mode,
	       uint64_t frame_quota);
/* prog_load with exo_env_create flags (EXO_ENV_LINUX). */
long prog_load_flags(struct prog *p, const char *name, unsigned slot,
		     uint64_t mode, uint64_t frame_quota, uint64_t flags);
/* Start a loaded program: 0 or an error (then it is gone). */
long prog_run(struct prog *p);
/* prog_load, then prog_run. */
long prog_start(struct prog *p, const char *name, unsigned slot, uint64_t mode,
		uint64_t frame_quota);
/* Whether the program's env still exists. */
int prog_alive(const struct prog *p);
/* Wait up to timeout_ns for the program's env to die: whether it did. */
int prog_wait_dead(const struct prog *p, uint64_t timeout_ns);
/* Wait up to timeout_ns until env is blocked (in an IPC or a wait),
 * giving it the CPU meanwhile: whether it came. */
int prog_blocked(exo_envid_t env, uint64_t timeout_ns);
/* Wait up to timeout_ns until *w == want: whether it came. */
int prog_poll(const volatile uint64_t *w, uint64_t want, uint64_t timeout_ns);
/* Destroy the program if it is alive and free the shared page: 0 or an
 * error. */
long prog_end(struct prog *p);
/* PEER_REMOTE: have the peer make system call nr; its result, or
 * -EXO_EAGAIN if it did not answer within a second. */
long prog_remote(struct prog *p, uint64_t nr, uint64_t a0, uint64_t a1,
		 uint64_t a2, uint64_t a3);
/* PEER_REMOTE: have the peer load from / store to va: the value (or 0),
 * and whether it answered (a fault kills it). */
int prog_remote_access(struct prog *p, enum peer_cmd cmd, uint64_t va,
		       uint64_t *val);
/* The address, in the program, of the shared page's buf[i]. */
#define PROG_BUF(i)                                                            \
	(PROG_VA + __builtin_offsetof(struct prog_shared, buf) + (i)*8)

#endif
