/*
 * Page permissions for exo_map().  Every user mapping is readable.
 */
#ifndef EXO_PERM_H
#define EXO_PERM_H

#define EXO_PERM_R 1u
#define EXO_PERM_W 2u
#define EXO_PERM_X 4u
#define EXO_PERM_MASK 7ull

#endif
