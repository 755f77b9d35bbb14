/*
 * AArch64 stage-1 translation constants (4 KiB granule, 48-bit VA), shared
 * by the boot assembly that builds the first tables and the C code that
 * builds the final ones.
 */
#ifndef EXO_ARCH_MMU_H
#define EXO_ARCH_MMU_H

#ifdef __ASSEMBLY__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define SZ_2M _UL(0x200000)
#define SZ_1G _UL(0x40000000)

/* Descriptor bits. */
#define PTE_VALID _UL(1)
#define PTE_TABLE _UL(3) /* next-level table (levels 0-2) */
#define PTE_PAGE _UL(3)	 /* 4 KiB page (level 3) */
#define PTE_BLOCK _UL(1) /* 2 MiB / 1 GiB block (levels 2 / 1) */
#define PTE_TYPE_MASK _UL(3)
#define PTE_ATTR(i) ((i) << 2)
#define PTE_AP_RO (_UL(1) << 7) /* AP[2]: read-only at every EL */
#define PTE_SH_INNER (_UL(3) << 8)
#define PTE_AF (_UL(1) << 10) /* access flag: set, so no AF faults */
#define PTE_PXN (_UL(1) << 53)
#define PTE_UXN (_UL(1) << 54)
#define PTE_ADDR_MASK _UL(0x0000fffffffff000)

/* MAIR_EL1 slots: the AttrIndx values of the two memory types we use. */
#define MT_DEVICE 0 /* Device-nGnRnE */
#define MT_NORMAL 1 /* Normal, inner and outer write-back RW-allocate */
#define MAIR_VALUE                                                             \
	((_UL(0x00) << (8 * MT_DEVICE)) | (_UL(0xff) << (8 * MT_NORMAL)))

/* Leaf attributes for the kernel's mappings (no EL0 access anywhere). */
#define PTE_KERN_NORMAL (PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PTE_KERN_DEVICE (PTE_ATTR(MT_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)
#define PTE_KERN_RW (PTE_KERN_NORMAL | PTE_PXN | PTE_UXN)
#define PTE_KERN_RX (PTE_KERN_NORMAL | PTE_AP_RO | PTE_UXN)
#define PTE_KERN_RO (PTE_KERN_NORMAL | PTE_AP_RO | PTE_PXN | PTE_UXN)

/*
 * TCR_EL1: 48-bit VA in both halves, 4 KiB granule, table walks cached
 * write-back and inner shareable.  IPS is filled in from the CPU's PARange.
 */
#define TCR_T0SZ(n) ((n) << 0)
#define TCR_T1SZ(n) ((n) << 16)
#define TCR_EPD0 (_UL(1) << 7)
#define TCR_WALK0 ((_UL(1) << 8) | (_UL(1) << 10) | (_UL(3) << 12))
#define TCR_WALK1 ((_UL(1) << 24) | (_UL(1) << 26) | (_UL(3) << 28))
#define TCR_TG1_4K (_UL(2) << 30)
#define TCR_AS16 (_UL(1) << 36) /* 16-bit ASIDs */
#define TCR_IPS_SHIFT 32
#define TCR_VALUE                                                              \
	(TCR_T0SZ(16) | TCR_T1SZ(16) | TCR_WALK0 | TCR_WALK1 | TCR_TG1_4K)

/* ID_AA64MMFR0_EL1.ASIDBits: 8, or 16 with this value. */
#define ID_MMFR0_ASIDBITS(r) (((r) >> 4) & 0xf)
#define ID_MMFR0_ASID16 2

/* TTBR0_EL1: the ASID above the root table's address. */
#define TTBR_ASID_SHIFT 48
/* TLBI by VA: VA[55:12] in the operand's bits [43:0]. */
#define TLBI_VA_MASK _UL(0xfffffffffff)

/* SCTLR_EL1: the RES1 bits of ARMv8.0, then MMU, caches, SP alignment. */
#define SCTLR_RES1 _UL(0x30d00800)
#define SCTLR_M (_UL(1) << 0)
#define SCTLR_C (_UL(1) << 2)
#define SCTLR_SA (_UL(1) << 3)
#define SCTLR_I (_UL(1) << 12)
#define SCTLR_MMU_OFF SCTLR_RES1
#define SCTLR_MMU_ON (SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)

/*
 * The boot physmap: QEMU virt puts its devices in the first GiB of the
 * physical address space and RAM from 1 GiB up to 256 GiB (where the high
 * PCIe windows begin).  The boot tables map the first GiB as Device and the
 * rest of that window as Normal, with 1 GiB blocks; arch_init() replaces
 * them with exact mappings.
 */
#define BOOT_DEVICE_END SZ_1G
#define BOOT_PHYSMAP_GIB 256

/* Page-table index of va at a level (0 = root, 3 = last). */
#define PT_SHIFT(level) (39 - 9 * (level))
#define PT_INDEX(va, level) (((va) >> PT_SHIFT(level)) & 511)

#endif
