#ifndef EXO_ARCH_ELF_H
#define EXO_ARCH_ELF_H
#include <exo/elf.h>
#define EXO_ELF_MACHINE EXO_EM_AARCH64
#endif
