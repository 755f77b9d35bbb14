/*
 * IRQ bindings (exo/irq.c).
 */
#ifndef EXO_KERNEL_IRQ_H
#define EXO_KERNEL_IRQ_H

#include <kernel/compiler.h>

#define IRQ_LINES_MAX 64

struct env;

extern uint32_t irq_epoch;

void irq_release(const struct env *e);
unsigned irq_count(void);

#endif
