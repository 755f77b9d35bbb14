/*
 * The env info page: one read-only page the kernel maps at EXO_ENVINFO in
 * every env and keeps up to date, so a library OS reads its identity,
 * counters and pending notifications without a system call.  The same
 * struct is what exo_env_info() copies out for an env the caller controls.
 */
#ifndef EXO_ENVINFO_H
#define EXO_ENVINFO_H

#include <exo/types.h>

struct exo_env_counters {
	uint64_t syscalls;	/* Exo system calls made */
	uint64_t foreign;	/* foreign (Linux) system calls reflected */
	uint64_t faults;	/* exceptions delivered as upcalls */
	uint64_t upcalls;	/* upcalls of every kind */
	uint64_t ipc_calls;	/* exo_ipc_call made */
	uint64_t ipc_received;	/* messages received */
	uint64_t notifications; /* notifications received */
	uint64_t slices;	/* times scheduled */
	uint64_t preemptions;	/* forced preemptions at slice end */
	uint64_t repossessed;	/* frames taken back by force */
};

#define EXO_CMDLINE_MAX 256
#define EXO_REPOSSESS_LOG 32

struct exo_envinfo {
	exo_envid_t id;
	exo_envid_t parent; /* the env that created it (0 for the root) */
	uint32_t state;	    /* enum exo_env_state */
	uint32_t pad;
	uint64_t notify_pending; /* notification bits not yet taken */
	uint64_t frames_quota;	 /* frames it may own at most */
	uint64_t frames_used;	 /* frames it owns now (page tables too) */
	uint64_t bootfs_addr;	 /* root env: the initrd, mapped read-only */
	uint64_t bootfs_size;
	struct exo_env_counters counters;
	/* Frames repossessed after a revocation deadline (visible
	 * revocation): the last EXO_REPOSSESS_LOG of them, by user address,
	 * repossess_count in all (index count % EXO_REPOSSESS_LOG is next). */
	uint64_t repossess_count;
	uint64_t repossessed_va[EXO_REPOSSESS_LOG];
	char cmdline[EXO_CMDLINE_MAX]; /* root env: the kernel command line */
};

enum exo_env_state {
	EXO_ENV_FREE = 0,
	EXO_ENV_EMBRYO = 1, /* created, not started */
	EXO_ENV_RUNNABLE = 2,
	EXO_ENV_BLOCKED = 3, /* in exo_wait or an IPC */
	EXO_ENV_DEAD = 4,
};

_Static_assert(sizeof(struct exo_envinfo) <= 4096, "fits one page");

/* The root env's capability slots at start (it gets every capability). */
#define EXO_CAP_CONSOLE 0 /* console read/write */
#define EXO_CAP_MACHINE 1 /* exo_halt, exo_events_read */
#define EXO_CAP_SLICES 2  /* first time-slice slot cap; one per slot follows */
#define EXO_NSLICE 16	  /* time-slice slots per CPU */
#define EXO_CAP_IRQ (EXO_CAP_SLICES + EXO_NSLICE) /* every IRQ line */

#define EXO_BOOTFS 0x00007f0000000000ull /* where the root sees the initrd */

#endif
