/*
 * The first C code: called by boot.S in 64-bit mode on the boot stack,
 * with boot.S's page tables (the first 4 GiB at PHYSMAP_BASE).  It brings
 * up the console and the descriptor tables, turns the boot protocol's
 * information into a struct boot_info and enters the portable kernel.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/memlayout.h>
#include <kernel/printk.h>
#include <x86/cpu.h>

#include "bootparse.h"

/* The protocol numbers boot.S passes. */
#define BOOT_PVH 1
#define BOOT_MB2 2
/* Real-mode IVT, BIOS data, EBDA, option ROMs and, under PVH, the start
 * info: nothing there is ever worth handing out. */
#define LOW_MEMORY (1UL << 20)

static struct boot_info boot_info;
uint64_t x86_rsdp;

uint64_t
virt_to_phys(const void *va)
{
	uintptr_t a = (uintptr_t)va;

	if (a >= KERNEL_VBASE)
		return a - KERNEL_VBASE;
	assert(a >= PHYSMAP_BASE && a < PHYSMAP_BASE + PHYSMAP_SIZE);
	return a - PHYSMAP_BASE;
}

/* Read physical memory through the boot physmap (first 4 GiB). */
static const void *
boot_map(void *ctx, uint64_t pa, uint64_t len)
{
	if (pa >= X86_BOOT_PHYSMAP || len > X86_BOOT_PHYSMAP - pa)
		return NULL;
	return phys_to_virt(pa);
}

const struct boot_mem x86_boot_mem = { boot_map, NULL };

static void
reserve(struct boot_info *bi, uint64_t base, uint64_t size)
{
	if (boot_range_add(bi->reserved, &bi->nreserved, base, size))
		panic("boot: too many reserved ranges");
}

__noreturn void x86_boot_main(uint32_t protocol, uint32_t info);

__noreturn void
x86_boot_main(uint32_t protocol, uint32_t info)
{
	struct boot_info *bi = &boot_info;
	struct x86_boot_extra x;
	int err;

	x86_clock_boot();
	x86_console_init();
	x86_cpu_init();
	if (protocol == BOOT_PVH)
		err = pvh_parse(&x86_boot_mem, info, bi, &x);
	else
		err = mb2_parse(&x86_boot_mem, info, bi, &x);
	if (err)
		panic("boot: bad %s information at 0x%x: %s",
		      protocol == BOOT_PVH ? "PVH start" : "multiboot2", info,
		      exo_strerror(err));
	reserve(bi, 0, LOW_MEMORY);
	reserve(bi, virt_to_phys(__kernel_start),
		(uint64_t)(__kernel_end - __kernel_start));
	x86_rsdp = x.rsdp;
	kmain(bi);
}
