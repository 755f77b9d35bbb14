/*
 * victim: the env the adversarial cases attack.  It fills VICTIM_PAGES
 * frames of its own with a pattern, tells the root their addresses
 * (out[0..VICTIM_PAGES)), and serves calls: VICTIM_CHECK is answered with
 * w[0] = 1 if every page still holds its pattern, w[1] = its count of
 * checks; anything else comes back unchanged.
 */
#include <exo/libexo.h>
#include "prog.h"

static volatile struct prog_shared *sh;

static volatile uint64_t *
word(unsigned page, uint64_t off)
{
	return (volatile uint64_t *)(uintptr_t)(VICTIM_VA +
						page * EXO_PAGE_SIZE + off);
}

static int
fill(void)
{
	for (unsigned i = 0; i < VICTIM_PAGES; i++) {
		long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
		struct exo_mapping m = { VICTIM_VA + i * EXO_PAGE_SIZE,
					 (uint64_t)pa,
					 EXO_PERM_R | EXO_PERM_W };

		if (pa < 0 || exo_map(EXO_ENVID_SELF, &m, 1) != 1)
			return -1;
		sh->out[i] = pa;
		for (uint64_t off = 0; off < EXO_PAGE_SIZE; off += 8)
			*word(i, off) = VICTIM_PATTERN((uint64_t)pa, off);
	}
	return 0;
}

static int
intact(void)
{
	for (unsigned i = 0; i < VICTIM_PAGES; i++)
		for (uint64_t off = 0; off < EXO_PAGE_SIZE; off += 8)
			if (*word(i, off) !=
			    VICTIM_PATTERN((uint64_t)sh->out[i], off))
				return 0;
	return 1;
}

int
main(uint64_t arg)
{
	struct exo_msg m = { { 0 } };
	exo_envid_t to = 0;
	long id;

	sh = (volatile struct prog_shared *)(uintptr_t)arg;
	sh->started = PROG_MAGIC;
	if (fill() < 0)
		return 2;
	sh->done = PROG_MAGIC;
	for (;;) {
		id = exo_ipc_reply_wait(to, &m);
		/* A caller that died before the reply is no reason to stop. */
		to = id < 0 ? 0 : (exo_envid_t)id;
		if (id < 0 || m.w[0] != VICTIM_CHECK)
			continue;
		sh->counter++;
		m.w[0] = (uint64_t)intact();
		m.w[1] = sh->counter;
	}
}
