/*
 * Upcall delivery (exo/upcall.c).
 */
#ifndef EXO_KERNEL_UPCALL_H
#define EXO_KERNEL_UPCALL_H

#include <exo/upcall.h>

struct env;

/* Bytes below the top of the upcall stack that count as "on it". */
#define UPCALL_STACK_SPAN (64 * 1024)

int upcall_deliver(struct env *e, struct exo_upcall_frame *f);
uint64_t upcall_syscall_frame(uint64_t sp);

#endif
