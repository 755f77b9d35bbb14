/*
 * The helper program the test root env spawns from its bootfs.  Its
 * argument is the address of the page it shares with the root
 * (shared.h), whose `mode` says what to do.
 */
#include <exo/libexo.h>
#include "shared.h"

#define UNUSED_CAP 40 /* a slot nothing is granted into */

/* Try every call the ABI refuses to an env on its parent. */
static void
probe_parent(volatile struct shared *sh)
{
	exo_envid_t parent = (exo_envid_t)sh->parent;
	struct exo_envinfo info;
	long own = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	struct exo_mapping m = { 0x40000000, sh->parent_pa, EXO_PERM_R };
	struct exo_mapping mp = { 0x40000000, (uint64_t)own, EXO_PERM_R };
	uint64_t va = sh->parent_va;
	volatile int64_t *r = sh->results;

	r[PROBE_ENV_INFO] = exo_env_info(parent, &info);
	r[PROBE_ENV_DESTROY] = exo_env_destroy(parent);
	r[PROBE_ENV_START] = exo_env_start(parent, 0x400000, 0x500000, 0);
	r[PROBE_SET_UPCALL] = exo_env_set_upcall(parent, 0x400000, 0x500000);
	r[PROBE_PAGE_ALLOC] = exo_page_alloc(parent, EXO_PA_ANY);
	r[PROBE_PAGE_FREE_OWN] = exo_page_free(EXO_ENVID_SELF, sh->parent_pa);
	r[PROBE_PAGE_FREE_PARENT] = exo_page_free(parent, sh->parent_pa);
	r[PROBE_MAP_FRAME] = exo_map(EXO_ENVID_SELF, &m, 1);
	r[PROBE_MAP_PARENT] = own < 0 ? own : exo_map(parent, &mp, 1);
	r[PROBE_UNMAP_PARENT] = exo_unmap(parent, &va, 1);
	r[PROBE_CAP_ENV] = exo_cap_env(parent, EXO_RIGHTS_ALL);
	r[PROBE_CONS_EMPTY_CAP] = exo_cons_write(UNUSED_CAP, "x", 1);
	r[PROBE_HALT] = exo_halt(EXO_CAP_MACHINE, 1);
	r[PROBE_KCHECK] = exo_kcheck(EXO_CAP_MACHINE);
}

int
main(uint64_t arg)
{
	volatile struct shared *sh = (volatile struct shared *)(uintptr_t)arg;

	sh->started = CHILD_MAGIC;
	switch (sh->mode) {
	case CHILD_EXIT:
		break;
	case CHILD_SPIN:
		for (;;)
			sh->counter++;
	case CHILD_FAULT:
		sh->done = CHILD_MAGIC;
		*(volatile uint64_t *)(uintptr_t)CHILD_FAULT_VA = 1;
		sh->done = 0; /* never reached */
		return 1;
	case CHILD_PROBE_PARENT:
		probe_parent(sh);
		break;
	case CHILD_GRANDCHILD:
		sh->grandchild = (uint64_t)exo_env_create(8, 0);
		sh->done = CHILD_MAGIC;
		for (;;)
			exo_yield(0);
	case CHILD_IRQ_RAISE:
		exo_wait(0, (uint64_t)sh->results[2]);
		sh->results[3] = exo_irq_raise((exo_cap_t)sh->results[0],
					       (uint64_t)sh->results[1]);
		break;
	case CHILD_FAULT_NO_STACK:
		/* The entry is never reached: the frame cannot be pushed. */
		sh->results[0] = exo_env_set_upcall(EXO_ENVID_SELF,
						    (uint64_t)(uintptr_t)main,
						    CHILD_NO_STACK);
		sh->done = CHILD_MAGIC;
		*(volatile uint64_t *)(uintptr_t)CHILD_FAULT_VA = 1;
		sh->done = 0;
		return 1;
	case CHILD_PRINT:
		sh->results[0] = exo_printf("%s", CHILD_PRINT_MSG);
		break;
	default:
		return 2;
	}
	sh->done = CHILD_MAGIC;
	return 0;
}
