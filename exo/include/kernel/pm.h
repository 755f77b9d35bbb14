/*
 * Physical memory: one owner record per page frame.  This is the kernel's
 * core table of who owns each page; every frame that can ever be handed out
 * appears here exactly once.
 */
#ifndef EXO_KERNEL_PM_H
#define EXO_KERNEL_PM_H

#include <kernel/boot.h>
#include <kernel/compiler.h>

/* Owners that are not environments.  Env ids start above these. */
#define PM_FREE 0u     /* on the free list */
#define PM_KERNEL 1u   /* kernel data (page tables, the frame table) */
#define PM_RESERVED 2u /* not RAM, or RAM the boot code set aside */
#define PM_ORPHAN 3u   /* its env died while others still map it */
#define PM_FIRST_ENV 16u

struct pm_stats {
	uint64_t frames; /* frames tracked (the span of RAM, holes included) */
	uint64_t ram;	 /* frames that are usable RAM */
	uint64_t free;	 /* frames on the free list */
};

int pm_init(const struct boot_info *bi);
int pm_alloc(uint32_t owner, uint64_t *pa);
int pm_alloc_at(uint32_t owner, uint64_t pa);
int pm_free(uint32_t owner, uint64_t pa);
uint32_t pm_owner(uint64_t pa);
int pm_set_owner(uint64_t pa, uint32_t old, uint32_t new);
void pm_map_count(uint64_t pa, int delta);
uint32_t pm_mapcount(uint64_t pa);
uint32_t pm_epoch(uint64_t pa);
/* How many times a frame has left env `owner` (freed, orphaned, given
 * away) since boot, give or take other envs' (the count is shared by
 * ids equal modulo a few hundred): unchanged means `owner` lost none. */
uint64_t pm_release_gen(uint32_t owner);
void pm_epoch_bump(uint64_t pa);
void pm_release_owner(uint32_t owner);
int pm_take_unmapped(uint32_t owner, uint64_t *pa);
void pm_get_stats(struct pm_stats *st);
int pm_check(void);

#endif
