/*
 * IPC messages: four words in registers (exo_ipc_call and
 * exo_ipc_reply_wait, in <exo/syscall.h>).  Bulk data goes through shared
 * pages.
 */
#ifndef EXO_IPC_H
#define EXO_IPC_H

#include <stdint.h>

struct exo_msg {
	uint64_t w[4];
};

_Static_assert(sizeof(struct exo_msg) == 32, "exo_msg layout");

#endif
