/*
 * A fake physical memory for host tests: physical address pa lives at
 * host address arena + (pa - ARENA_BASE).  Tests size their memory maps to
 * fit inside the arena.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <kernel/printk.h>
#include <kernel/memlayout.h>
#include "physmem.h"

static uint8_t *arena;

void *
phys_to_virt(uint64_t pa)
{
	if (!arena)
		arena = aligned_alloc(PAGE_SIZE, ARENA_SIZE);
	if (pa < ARENA_BASE || pa >= ARENA_BASE + ARENA_SIZE)
		abort(); /* the code under test left the fake RAM */
	return arena + (pa - ARENA_BASE);
}

uint64_t
virt_to_phys(const void *va)
{
	return ARENA_BASE + (uint64_t)((const uint8_t *)va - arena);
}

/* Kernel invariants the code under test asserts: a failure aborts. */
void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
