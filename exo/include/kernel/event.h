/*
 * The kernel event ring (exo/event.c).
 */
#ifndef EXO_KERNEL_EVENT_H
#define EXO_KERNEL_EVENT_H

#include <exo/event.h>

void event_log(uint32_t type, exo_envid_t env, uint64_t a, uint64_t b);

#endif
