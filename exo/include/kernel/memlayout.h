/*
 * The kernel half of the virtual address space, the same on both arches:
 *
 *   0xffffffffffffffff +---------------------------+
 *                      | kernel image (text, data) |  KERNEL_VBASE + offset
 *   0xffffffff80000000 +---------------------------+
 *                      |          unused           |
 *   0xffffc00000000000 +---------------------------+
 *                      | physmap: all RAM and MMIO |  PHYSMAP_BASE + pa
 *   0xffff800000000000 +---------------------------+
 *                      |  non-canonical / TTBR gap |
 *   0x0000800000000000 +---------------------------+
 *                      |   user space (per env)    |  see bindings/
 *   0x0000000000000000 +---------------------------+
 *
 * On aarch64 the upper half is translated through TTBR1_EL1 (48-bit VA),
 * on x86_64 through the upper 256 PML4 slots of every page table.
 */
#ifndef EXO_KERNEL_MEMLAYOUT_H
#define EXO_KERNEL_MEMLAYOUT_H

#include <kernel/compiler.h>
#include <kernel/printk.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

#define PHYSMAP_BASE 0xffff800000000000UL
#define PHYSMAP_SIZE 0x0000400000000000UL /* 64 TiB */
#define KERNEL_VBASE 0xffffffff80000000UL

/* Kernel virtual address of physical address pa (through the physmap):
 * inline, as every page-table walk takes it at each level.  The host
 * unit tests keep RAM of their own (tests/unit/physmem.c). */
#ifdef EXO_HOST_PHYSMEM
void *phys_to_virt(uint64_t pa);
#else
static inline void *
phys_to_virt(uint64_t pa)
{
	assert(pa < PHYSMAP_SIZE);
	return (void *)(uintptr_t)(PHYSMAP_BASE + pa);
}
#endif
/* Physical address of a physmap or kernel-image address. */
uint64_t virt_to_phys(const void *va);

#endif
