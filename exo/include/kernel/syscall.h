/*
 * System call dispatch.  The handlers' prototypes and the switch come from
 * bindings/syscalls.tbl (build/gen/include/kernel/syscall_gen.h).
 */
#ifndef EXO_KERNEL_SYSCALL_H
#define EXO_KERNEL_SYSCALL_H

#include <exo/error.h>
#include <exo/syscall_nr.h>
#include <exo/types.h>
#include <kernel/compiler.h>

/* A handler's result meaning "the registers are already set": the env
 * blocked, died, or resumes an upcall frame. */
#define SYSCALL_DONE (-0x7fffffffffffffffL)

struct env;

void syscall_handle(struct env *e);
bool syscall_try_fast(uint64_t nr, const uint64_t *a, uint64_t *ret);
void syscall_upcall_due(void);

#include <kernel/syscall_gen.h>

#endif
