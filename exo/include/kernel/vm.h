/*
 * User address spaces (exo/vm.c): the portable page-table walker over the
 * arch's entry format (<arch/pte.h>).  Every page-table frame is owned by
 * the kernel (an env can never map its own tables) and charged to the env.
 */
#ifndef EXO_KERNEL_VM_H
#define EXO_KERNEL_VM_H

#include <exo/memlayout.h>
#include <kernel/compiler.h>

#include <arch/pte.h>

struct env;

/* Bumped whenever a user mapping of any env goes away or changes, so
 * that a translation cached with it (exo/wake.c) is known stale. */
extern uint64_t vm_gen;

typedef bool (*vm_leaf_fn)(uint64_t va, pte_t *leaf, void *ctx);
void vm_for_each_leaf(struct env *e, vm_leaf_fn fn, void *ctx);
void vm_for_each_leaf_in(struct env *e, uint64_t lo, uint64_t hi, vm_leaf_fn fn,
			 void *ctx);

int vm_create(struct env *e);
void vm_destroy(struct env *e);
int vm_map(struct env *e, uint64_t va, uint64_t pa, unsigned perms);
int vm_unmap(struct env *e, uint64_t va);
int vm_lookup(struct env *e, uint64_t va, uint64_t *pa, unsigned *perms);
/* Remove every mapping of frames [pa, pa + n pages) from every env but
 * `keep` (their owner). */
void vm_unmap_frames(uint64_t pa, uint64_t n, const struct env *keep);

/* Whether [va, va + len) lies inside the user half (no wrap-around). */
static inline bool
vm_user_range(uint64_t va, uint64_t len)
{
	return va + len >= va && va + len <= EXO_USER_TOP;
}

#endif
