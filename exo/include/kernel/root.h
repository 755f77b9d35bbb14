/*
 * Starting the root env (exo/root.c).
 */
#ifndef EXO_KERNEL_ROOT_H
#define EXO_KERNEL_ROOT_H

#include <kernel/boot.h>

void root_start(const struct boot_info *bi);

#endif
