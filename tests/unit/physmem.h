#ifndef TESTS_UNIT_PHYSMEM_H
#define TESTS_UNIT_PHYSMEM_H

/* The fake RAM window for host tests (see physmem.c): 64 MiB at 1 GiB. */
#define ARENA_BASE 0x40000000ull
#define ARENA_SIZE (64ull << 20)

#endif
