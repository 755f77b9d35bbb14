/*
 * Synchronous IPC (exo/ipc.c).
 */
#ifndef EXO_KERNEL_IPC_H
#define EXO_KERNEL_IPC_H

#include <kernel/arch.h>

struct env;

enum ipc_state {
	IPC_NONE = 0,
	IPC_WAITING, /* in exo_ipc_reply_wait, ready for a call */
	IPC_SENDING, /* queued: its callee was not waiting */
	IPC_CALLING, /* delivered: waiting for the reply */
};

void ipc_abort_peer(struct env *e);
struct env *ipc_fast(struct env *self, struct trapframe *tf);

#endif
