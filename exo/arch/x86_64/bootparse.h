/*
 * Boot-protocol parsers for x86_64: the PVH start info (QEMU -kernel) and
 * the multiboot2 information (GRUB).  Pure functions: they read physical
 * memory only through the caller's map callback, never print and keep no
 * state, so host unit tests can feed them hand-built (and hostile) blobs.
 */
#ifndef EXO_X86_BOOTPARSE_H
#define EXO_X86_BOOTPARSE_H

#include <kernel/boot.h>

#define PVH_MAGIC 0x336ec578u
#define MB2_BOOT_MAGIC 0x36d76289u
/* Anything larger is not a boot information block we believe. */
#define MB2_INFO_MAX (1u << 20)

/*
 * A window onto physical memory: map(ctx, pa, len) returns a pointer to the
 * len bytes at pa, or NULL if any of them is outside what can be read.
 */
struct boot_mem {
	const void *(*map)(void *ctx, uint64_t pa, uint64_t len);
	void *ctx;
};

/* What x86 needs beyond struct boot_info. */
struct x86_boot_extra {
	uint64_t rsdp; /* physical address of the ACPI RSDP, or 0 */
};

/*
 * Fill bi (protocol, cmdline, ram, reserved, initrd) and x from the
 * hvm_start_info at physical address pa.  Module 0 (QEMU's -initrd) is
 * the initrd.  The start info, its memory map, module list, modules and
 * command line are all reserved.  Returns 0, -EXO_EINVAL for
 * a bad magic, an old version, a missing memory map or anything that does
 * not map, or -EXO_ENOMEM when the reserved list overflows.
 */
int pvh_parse(const struct boot_mem *mem, uint64_t pa, struct boot_info *bi,
	      struct x86_boot_extra *x);

/*
 * The same for the multiboot2 information at pa (which is reserved, as
 * are the modules).  The first module that is not empty is the initrd.
 * Tags must lie inside total_size, which must be at
 * most MB2_INFO_MAX; a memory map and the end tag are required.  Same
 * errors as pvh_parse().
 */
int mb2_parse(const struct boot_mem *mem, uint64_t pa, struct boot_info *bi,
	      struct x86_boot_extra *x);

#endif
