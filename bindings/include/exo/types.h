/*
 * Basic ABI types shared by the kernel and library OSes.  Fixed width
 * everywhere; the layouts are the same on x86_64 and aarch64.
 */
#ifndef EXO_TYPES_H
#define EXO_TYPES_H

#include <stdint.h>

/*
 * An env id: slot index in the low 16 bits, generation above, so a stale id
 * never names a later env in the same slot.  0 is never a valid env id.
 */
typedef uint32_t exo_envid_t;
#define EXO_ENVID_SLOT(id) ((id)&0xffffu)
#define EXO_ENVID_SELF 0u /* "the calling env" wherever an env id is taken */

/* A capability is named by its slot in the caller's capability table. */
typedef uint32_t exo_cap_t;

#define EXO_PAGE_SHIFT 12
#define EXO_PAGE_SIZE (1ull << EXO_PAGE_SHIFT)

#endif
