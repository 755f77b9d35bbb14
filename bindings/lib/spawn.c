/*
 * exo_spawn: start a static ELF image in a new child env, entirely from
 * user space.  The child's frames are allocated to the child (charged to
 * its quota), filled through a scratch mapping in the caller (a parent
 * may map frames of an env it controls), then mapped into the child.
 */
#include <exo/arch/elf.h>
#include <exo/libexo.h>
#include <exo/string.h>

#define PAGE EXO_PAGE_SIZE

static uint64_t
page_down(uint64_t x)
{
	return x & ~(PAGE - 1);
}

static uint64_t
page_up(uint64_t x)
{
	return page_down(x + PAGE - 1);
}

/* Each page is filled for one segment only, so none may be shared. */
static int
check_pages_disjoint(const struct exo_elf *e)
{
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct exo_elf_seg *a = &e->seg[i];

		for (unsigned j = 0; j < i; j++) {
			const struct exo_elf_seg *b = &e->seg[j];

			if (page_down(a->va) < page_up(b->va + b->memsz) &&
			    page_down(b->va) < page_up(a->va + a->memsz))
				return -EXO_EINVAL;
		}
	}
	return 0;
}

/* Copy len bytes from src to offset off of frame pa (owned by child)
 * through the caller's scratch page. */
static int
fill_frame(uint64_t pa, uint64_t off, const void *src, uint64_t len)
{
	struct exo_mapping m = { EXO_SPAWN_SCRATCH, pa,
				 EXO_PERM_R | EXO_PERM_W };
	uint64_t va = EXO_SPAWN_SCRATCH;
	long r = exo_map(EXO_ENVID_SELF, &m, 1);

	if (r < 0)
		return (int)r;
	memcpy((char *)(uintptr_t)EXO_SPAWN_SCRATCH + off, src, len);
	exo_sync_icache((char *)(uintptr_t)EXO_SPAWN_SCRATCH + off, len);
	r = exo_unmap(EXO_ENVID_SELF, &va, 1);
	return r < 0 ? (int)r : 0;
}

/* Give the child the page at va of segment s: a fresh (zeroed) frame
 * with the segment's file bytes that fall in it. */
static int
load_page(exo_envid_t child, const unsigned char *img,
	  const struct exo_elf_seg *s, uint64_t va)
{
	uint64_t lo = va > s->va ? va : s->va;
	uint64_t file_end = s->va + s->filesz;
	uint64_t hi = va + PAGE < file_end ? va + PAGE : file_end;
	long pa = exo_page_alloc(child, EXO_PA_ANY), r;
	struct exo_mapping m = { va, (uint64_t)pa, s->perms };

	if (pa < 0)
		return (int)pa;
	if (lo < hi) {
		r = fill_frame((uint64_t)pa, lo - va,
			       img + s->offset + (lo - s->va), hi - lo);
		if (r < 0)
			return (int)r;
	}
	r = exo_map(child, &m, 1);
	return r < 0 ? (int)r : 0;
}

static int
load_segments(exo_envid_t child, const void *img, const struct exo_elf *e)
{
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct exo_elf_seg *s = &e->seg[i];

		for (uint64_t va = page_down(s->va); va < s->va + s->memsz;
		     va += PAGE) {
			int r = load_page(child, img, s, va);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* EXO_SPAWN_STACK_PAGES zeroed, writable pages below the stack top. */
static int
map_stack(exo_envid_t child)
{
	struct exo_mapping m[EXO_SPAWN_STACK_PAGES];
	long r;

	for (unsigned i = 0; i < EXO_SPAWN_STACK_PAGES; i++) {
		long pa = exo_page_alloc(child, EXO_PA_ANY);

		if (pa < 0)
			return (int)pa;
		m[i].va = EXO_SPAWN_STACK_BOTTOM + i * PAGE;
		m[i].pa = (uint64_t)pa;
		m[i].perms = EXO_PERM_R | EXO_PERM_W;
	}
	r = exo_map(child, m, EXO_SPAWN_STACK_PAGES);
	if (r < 0)
		return (int)r;
	return r == EXO_SPAWN_STACK_PAGES ? 0 : -EXO_ENOMEM;
}

/* A copy of the caller's console capability, if it has one. */
static int
grant_console(exo_envid_t child)
{
	struct exo_cap_info ci;
	long r;

	if (exo_cap_info(exo_console(), &ci) < 0 || ci.type != EXO_CT_CONSOLE)
		return 0;
	/* Use, not authority: without REVOKE or GRANT the child cannot take
	 * the console from everyone else or pass it on. */
	r = exo_cap_grant(exo_console(), child,
			  EXO_RIGHT_READ | EXO_RIGHT_WRITE);
	return r < 0 ? (int)r : 0;
}

int
exo_spawn_load(const void *image, uint64_t len, uint64_t frame_quota,
	       uint64_t flags, struct exo_spawn *out)
{
	struct exo_elf elf;
	long child;
	int r;

	r = exo_elf_parse(image, len, EXO_ELF_MACHINE, EXO_USER_MIN,
			  EXO_SPAWN_STACK_BOTTOM, &elf);
	if (r < 0)
		return r;
	r = check_pages_disjoint(&elf);
	if (r < 0)
		return r;
	child = exo_env_create(frame_quota, flags);
	if (child < 0)
		return (int)child;

	r = load_segments((exo_envid_t)child, image, &elf);
	if (!r)
		r = map_stack((exo_envid_t)child);
	if (!r)
		r = grant_console((exo_envid_t)child);
	if (r < 0) {
		exo_env_destroy((exo_envid_t)child);
		return r;
	}
	out->env = (exo_envid_t)child;
	out->entry = elf.entry;
	/* 16-byte aligned, and inside the stack rather than at its end, so
	 * no reading of "user space" can refuse it. */
	out->sp = EXO_SPAWN_STACK_TOP - 16;
	return 0;
}

long
exo_spawn(const void *image, uint64_t len, uint64_t frame_quota, uint64_t flags,
	  uint64_t arg)
{
	struct exo_spawn s;
	int r = exo_spawn_load(image, len, frame_quota, flags, &s);
	long e;

	if (r < 0)
		return r;
	e = exo_env_start(s.env, s.entry, s.sp, arg);
	if (e < 0) {
		exo_env_destroy(s.env);
		return e;
	}
	return s.env;
}
