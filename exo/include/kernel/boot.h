/*
 * What the architecture's boot code learns about the machine and hands to
 * kmain().  Everything is physical and already validated by the arch code.
 */
#ifndef EXO_KERNEL_BOOT_H
#define EXO_KERNEL_BOOT_H

#include <kernel/compiler.h>

#define BOOT_MAX_RANGES 64
#define BOOT_CMDLINE_MAX 256

struct boot_range {
	uint64_t base;
	uint64_t size;
};

struct boot_info {
	const char *protocol;		/* "pvh", "multiboot2", "linux-arm64" */
	char cmdline[BOOT_CMDLINE_MAX]; /* NUL-terminated, maybe truncated */
	struct boot_range ram[BOOT_MAX_RANGES]; /* usable RAM, page-aligned */
	unsigned nram;
	/* RAM the kernel must not hand out: its image, boot data, modules. */
	struct boot_range reserved[BOOT_MAX_RANGES];
	unsigned nreserved;
	/* The initial ramdisk (QEMU -initrd: a PVH or multiboot2 module, or
	 * /chosen/linux,initrd-start on aarch64), also listed in reserved;
	 * size 0 if there is none.  It holds the root env (see exo/root.c). */
	struct boot_range initrd;
};

/*
 * Record a range in a boot_range list, keeping it sorted and merged.
 * Returns 0, or -EXO_ENOMEM when the list is full (the range is dropped).
 */
int boot_range_add(struct boot_range *list, unsigned *n, uint64_t base,
		   uint64_t size);

/* Portable entry point: the arch boot code calls it once, on the boot CPU. */
__noreturn void kmain(struct boot_info *bi);

#endif
