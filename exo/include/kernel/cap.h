/*
 * Capabilities (exo/cap.c).
 */
#ifndef EXO_KERNEL_CAP_H
#define EXO_KERNEL_CAP_H

#include <exo/cap.h>
#include <kernel/env.h>

/*
 * The valid capability in e's slot `slot` of type `type` (EXO_CAP_NONE:
 * any) holding every right in `rights`.  Returns 0 and *out; -EXO_ENOENT
 * for an empty, revoked or out-of-range slot or another type; -EXO_EPERM
 * for missing rights.
 */
int cap_lookup(struct env *e, exo_cap_t slot, unsigned type, unsigned rights,
	       struct cap **out);
/* Put c in a free slot of e (epoch stamped from the object): the slot, or
 * -EXO_ENOMEM when the table is full. */
long cap_insert(struct env *e, const struct cap *c);
/* Whether e holds a PAGES capability covering frame pa with rights. */
bool cap_covers_frame(struct env *e, uint64_t pa, unsigned rights);
/* Give the root env its initial capabilities. */
void cap_init_root(struct env *root);

#endif
