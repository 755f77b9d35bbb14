/*
 * Physical memory: the frame table.
 *
 * One struct frame per 4 KiB frame between the lowest and the highest RAM
 * address.  A frame is RAM or not (a hole, MMIO); every RAM frame has
 * exactly one owner: PM_FREE (and then it is on the free list), PM_KERNEL,
 * PM_RESERVED, or an env id.  The free list is doubly linked by frame index
 * so a named frame can be taken out of it in O(1) (pm_alloc_at).
 *
 * Invariant (checked by pm_check): a frame is on the free list iff it is
 * RAM and its owner is PM_FREE, and stats.free counts them.
 *
 * Frames are not cleared here; whoever hands a frame to an env or uses it
 * as a page table clears it first.  This file touches no frame contents,
 * only the table, so it is unit-tested on the host.
 */
#include <exo/error.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>

#define NONE UINT32_MAX
#define FRAME_RAM 1u

struct frame {
	uint32_t owner;
	uint32_t flags;
	uint32_t mapcount; /* user mappings of this frame */
	/* Of PAGES capabilities naming it.  Never reset: bumped when the
	 * frame is freed, so no capability outlives an allocation. */
	uint32_t epoch;
	uint32_t next; /* free list, while owner == PM_FREE */
	uint32_t prev;
};

/*
 * Every frame is on at most one list, by its owner: the free list, or the
 * list of its env owner's bucket (so an env's frames are found without
 * scanning the table); kernel, reserved and orphaned frames are on none.
 * Live env ids differ in their low 8 bits (their slots), so a bucket
 * holds one env's frames.
 */
#define OWNER_BUCKETS 256

static struct frame *frames;
static uint32_t owner_head[OWNER_BUCKETS];
static uint64_t base_pa; /* physical address of frames[0] */
static uint64_t nframes;
static uint32_t free_head;
static struct pm_stats stats;
/* Frames that left an env (pm_release_gen), counted by the env's id
 * modulo RELEASE_BUCKETS (ids that share a count only cost a look). */
#define RELEASE_BUCKETS 256
static uint64_t release_gen[RELEASE_BUCKETS];

static bool
overlaps(uint64_t base, uint64_t size, const struct boot_range *r)
{
	return base < r->base + r->size && r->base < base + size;
}

static bool
overlaps_reserved(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < bi->nreserved; i++)
		if (overlaps(base, size, &bi->reserved[i]))
			return true;
	return false;
}

/* Lowest page-aligned RAM address with `bytes` free of reserved ranges. */
static int
place_table(const struct boot_info *bi, uint64_t bytes, uint64_t *pa)
{
	for (unsigned i = 0; i < bi->nram; i++) {
		uint64_t end = ALIGN_DOWN(bi->ram[i].base + bi->ram[i].size,
					  PAGE_SIZE);
		uint64_t at = ALIGN_UP(bi->ram[i].base, PAGE_SIZE);

		while (at + bytes <= end && at + bytes > at) {
			if (!overlaps_reserved(bi, at, bytes)) {
				*pa = at;
				return 0;
			}
			at += PAGE_SIZE;
		}
	}
	return -EXO_ENOMEM;
}

/* The list frames of `owner` live on, or NULL for owners without one. */
static uint32_t *
list_of(uint32_t owner)
{
	if (owner == PM_FREE)
		return &free_head;
	return owner >= PM_FIRST_ENV ? &owner_head[owner % OWNER_BUCKETS]
				     : NULL;
}

static void
list_add(uint32_t i)
{
	uint32_t *head = list_of(frames[i].owner);

	frames[i].prev = NONE;
	frames[i].next = head ? *head : NONE;
	if (!head)
		return;
	if (*head != NONE)
		frames[*head].prev = i;
	*head = i;
}

static void
list_del(uint32_t i)
{
	struct frame *f = &frames[i];
	uint32_t *head = list_of(f->owner);

	if (!head)
		return;
	if (f->prev != NONE)
		frames[f->prev].next = f->next;
	else
		*head = f->next;
	if (f->next != NONE)
		frames[f->next].prev = f->prev;
	f->next = f->prev = NONE;
}

/* Move frame i to `owner` (and its list). */
static void
set_owner(uint32_t i, uint32_t owner)
{
	if (frames[i].owner >= PM_FIRST_ENV && frames[i].owner != owner)
		release_gen[frames[i].owner % RELEASE_BUCKETS]++;
	list_del(i);
	frames[i].owner = owner;
	list_add(i);
}

static void
free_list_push(uint32_t i)
{
	frames[i].epoch++;
	set_owner(i, PM_FREE);
	stats.free++;
}

static void
free_list_remove(uint32_t i, uint32_t owner)
{
	set_owner(i, owner);
	frames[i].mapcount = 0;
	stats.free--;
}

/* Frame index of pa, or -1 if pa is unaligned or outside the table. */
static int64_t
frame_index(uint64_t pa)
{
	if (pa & (PAGE_SIZE - 1) || pa < base_pa ||
	    pa - base_pa >= nframes * PAGE_SIZE)
		return -1;
	return (int64_t)((pa - base_pa) >> PAGE_SHIFT);
}

/*
 * Build the frame table from the boot memory map.  Returns 0, -EXO_EINVAL
 * if there is no RAM or more than 2^32 frames, -EXO_ENOMEM if the table
 * fits nowhere.
 */
int
pm_init(const struct boot_info *bi)
{
	uint64_t lo = UINT64_MAX, hi = 0, table_pa, table_bytes;
	int err;

	for (unsigned i = 0; i < bi->nram; i++) {
		lo = MIN(lo, ALIGN_UP(bi->ram[i].base, PAGE_SIZE));
		hi = MAX(hi, ALIGN_DOWN(bi->ram[i].base + bi->ram[i].size,
					PAGE_SIZE));
	}
	if (bi->nram == 0 || hi <= lo || (hi - lo) / PAGE_SIZE >= NONE)
		return -EXO_EINVAL;

	nframes = (hi - lo) / PAGE_SIZE;
	base_pa = lo;
	table_bytes = ALIGN_UP(nframes * sizeof(struct frame), PAGE_SIZE);
	err = place_table(bi, table_bytes, &table_pa);
	if (err)
		return err;
	frames = phys_to_virt(table_pa);
	free_head = NONE;
	for (unsigned b = 0; b < OWNER_BUCKETS; b++)
		owner_head[b] = NONE;
	memset(&stats, 0, sizeof(stats));
	stats.frames = nframes;

	/* Push from the top so the list hands out low addresses first. */
	for (uint64_t i = nframes; i-- > 0;) {
		uint64_t pa = base_pa + i * PAGE_SIZE;
		bool ram = false;

		for (unsigned r = 0; r < bi->nram && !ram; r++)
			ram = pa >= bi->ram[r].base &&
			      pa + PAGE_SIZE <=
				      bi->ram[r].base + bi->ram[r].size;
		frames[i] = (struct frame){ .owner = PM_RESERVED,
					    .flags = ram ? FRAME_RAM : 0 };
		if (!ram)
			continue;
		stats.ram++;
		if (pa >= table_pa && pa < table_pa + table_bytes)
			frames[i].owner = PM_KERNEL;
		else if (!overlaps_reserved(bi, pa, PAGE_SIZE))
			free_list_push((uint32_t)i);
	}
	return 0;
}

static bool
valid_owner(uint32_t owner)
{
	return owner == PM_KERNEL || owner >= PM_FIRST_ENV;
}

/*
 * Take any free frame for `owner` (PM_KERNEL or an env id).  Returns 0 and
 * *pa, -EXO_EINVAL for a bad owner, -EXO_ENOMEM if none is free.
 */
int
pm_alloc(uint32_t owner, uint64_t *pa)
{
	uint32_t i = free_head;

	if (!valid_owner(owner))
		return -EXO_EINVAL;
	if (i == NONE)
		return -EXO_ENOMEM;
	free_list_remove(i, owner);
	*pa = base_pa + (uint64_t)i * PAGE_SIZE;
	return 0;
}

/*
 * Take the named frame pa for `owner`.  Returns 0; -EXO_EINVAL if pa is
 * unaligned, not RAM or the owner is bad; -EXO_EBUSY if it is not free.
 */
int
pm_alloc_at(uint32_t owner, uint64_t pa)
{
	int64_t i = frame_index(pa);

	if (i < 0 || !(frames[i].flags & FRAME_RAM) || !valid_owner(owner))
		return -EXO_EINVAL;
	if (frames[i].owner != PM_FREE)
		return -EXO_EBUSY;
	free_list_remove((uint32_t)i, owner);
	return 0;
}

/*
 * Give frame pa back.  Returns 0; -EXO_EINVAL if pa is not a RAM frame;
 * -EXO_ENOENT if it is already free (a double free); -EXO_EPERM if
 * `owner` does not own it (reserved frames are owned by nobody who frees);
 * -EXO_EBUSY while it is mapped somewhere.
 */
int
pm_free(uint32_t owner, uint64_t pa)
{
	int64_t i = frame_index(pa);

	if (i < 0 || !(frames[i].flags & FRAME_RAM))
		return -EXO_EINVAL;
	if (frames[i].owner == PM_FREE)
		return -EXO_ENOENT;
	if (frames[i].owner != owner || !valid_owner(owner))
		return -EXO_EPERM;
	if (frames[i].mapcount)
		return -EXO_EBUSY;
	free_list_push((uint32_t)i);
	return 0;
}

/* The record of RAM frame pa, or NULL if pa is not an aligned RAM frame. */
static struct frame *
frame_of(uint64_t pa)
{
	int64_t i = frame_index(pa);

	if (i < 0 || !(frames[i].flags & FRAME_RAM))
		return NULL;
	return &frames[i];
}

/*
 * Hand frame pa from one owner to another (PM_ORPHAN included).  Returns
 * 0; -EXO_EINVAL if pa is not a RAM frame or new is not a valid owner;
 * -EXO_EPERM if `old` does not own it.
 */
int
pm_set_owner(uint64_t pa, uint32_t old, uint32_t new)
{
	struct frame *f = frame_of(pa);

	if (!f || !(valid_owner(new) || new == PM_ORPHAN))
		return -EXO_EINVAL;
	if (f->owner != old || old == PM_FREE)
		return -EXO_EPERM;
	set_owner((uint32_t)(f - frames), new);
	return 0;
}

/*
 * Count one more (delta 1) or one fewer (delta -1) user mapping of frame
 * pa.  An orphaned frame (its owner died while others mapped it) is freed
 * when its last mapping goes.  The caller guarantees pa is an allocated or
 * reserved RAM frame; anything else is a kernel bug.
 */
void
pm_map_count(uint64_t pa, int delta)
{
	struct frame *f = frame_of(pa);

	assert(f && f->owner != PM_FREE);
	assert(delta > 0 ? f->mapcount < UINT32_MAX : f->mapcount > 0);
	f->mapcount += (uint32_t)delta;
	if (f->mapcount == 0 && f->owner == PM_ORPHAN)
		free_list_push((uint32_t)(f - frames));
}

/* How many user mappings frame pa has (0 for anything not allocated). */
uint32_t
pm_mapcount(uint64_t pa)
{
	struct frame *f = frame_of(pa);

	return f && f->owner != PM_FREE ? f->mapcount : 0;
}

uint64_t
pm_release_gen(uint32_t owner)
{
	return release_gen[owner % RELEASE_BUCKETS];
}

/* The frame's capability epoch, and bumping it (exo/cap.c). */
uint32_t
pm_epoch(uint64_t pa)
{
	struct frame *f = frame_of(pa);

	return f && f->owner != PM_FREE ? f->epoch : 0;
}

void
pm_epoch_bump(uint64_t pa)
{
	struct frame *f = frame_of(pa);

	if (f && f->owner != PM_FREE)
		f->epoch++;
}

/* The owner of frame pa; PM_RESERVED for anything that is not RAM. */
uint32_t
pm_owner(uint64_t pa)
{
	int64_t i = frame_index(ALIGN_DOWN(pa, PAGE_SIZE));

	if (i < 0 || !(frames[i].flags & FRAME_RAM))
		return PM_RESERVED;
	return frames[i].owner;
}

void
pm_get_stats(struct pm_stats *st)
{
	*st = stats;
}

/*
 * Check the invariant: the free list holds exactly the free RAM frames,
 * with consistent links, and stats.free counts them.  Returns 0 or
 * -EXO_EINVAL at the first inconsistency.
 */
int
pm_check(void)
{
	uint64_t listed = 0, free_frames = 0;
	uint32_t prev = NONE;

	for (uint32_t i = free_head; i != NONE; i = frames[i].next) {
		if (i >= nframes || frames[i].owner != PM_FREE ||
		    !(frames[i].flags & FRAME_RAM) || frames[i].prev != prev ||
		    ++listed > nframes)
			return -EXO_EINVAL;
		prev = i;
	}
	for (uint64_t i = 0; i < nframes; i++)
		if (frames[i].owner == PM_FREE)
			free_frames++;
	return listed == stats.free && free_frames == listed ? 0 : -EXO_EINVAL;
}

/*
 * Release every frame `owner` (an env) owns: free the unmapped ones,
 * orphan the ones other envs still map (freed with their last mapping).
 */
void
pm_release_owner(uint32_t owner)
{
	uint32_t *head = list_of(owner), i, next;

	for (i = head ? *head : NONE; i != NONE; i = next) {
		next = frames[i].next;
		if (frames[i].owner != owner)
			continue;
		if (frames[i].mapcount)
			set_owner(i, PM_ORPHAN);
		else
			free_list_push(i);
	}
}

/*
 * Free one frame `owner` owns that nobody maps.  Returns 0 and its address,
 * or -EXO_ENOENT if there is none.
 */
int
pm_take_unmapped(uint32_t owner, uint64_t *pa)
{
	uint32_t *head = list_of(owner);

	for (uint32_t i = head ? *head : NONE; i != NONE; i = frames[i].next) {
		if (frames[i].owner != owner || frames[i].mapcount)
			continue;
		free_list_push(i);
		*pa = base_pa + (uint64_t)i * PAGE_SIZE;
		return 0;
	}
	return -EXO_ENOENT;
}
