/*
 * Everything a library OS needs to make system calls: the generated
 * numbers and stubs (from bindings/syscalls.tbl) and the hand-written IPC
 * stubs.
 */
#ifndef EXO_SYSCALL_H
#define EXO_SYSCALL_H

#include <exo/arch/ipc.h>
#include <exo/syscall_stubs.h>

#endif
