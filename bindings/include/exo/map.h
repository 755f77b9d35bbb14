/*
 * Page bindings: exo_page_alloc, exo_map and exo_unmap.
 */
#ifndef EXO_MAP_H
#define EXO_MAP_H

#include <exo/perm.h>
#include <exo/types.h>

#define EXO_PA_ANY (~0ull) /* exo_page_alloc: any free frame */

/* One entry of an exo_map() vector: map frame pa at va with perms. */
struct exo_mapping {
	uint64_t va;
	uint64_t pa;
	uint64_t perms; /* EXO_PERM_R, optionally | EXO_PERM_W | EXO_PERM_X */
};

_Static_assert(sizeof(struct exo_mapping) == 24, "exo_mapping layout");

#define EXO_MAP_MAX 512 /* entries one exo_map / exo_unmap call takes */

/* exo_env_create flags */
#define EXO_ENV_LINUX 1ull /* reflect foreign (Linux) system calls as upcalls */

/* Notification bits: 0..62 (bit 63 would make exo_wait's result look
 * like an error).  Bit 62 has a fixed meaning. */
#define EXO_NOTIFY_CHILD (1ull << 62) /* a child env has died */
#define EXO_NOTIFY_RESERVED (1ull << 63)

#endif
