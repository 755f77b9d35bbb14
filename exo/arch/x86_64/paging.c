/*
 * The kernel's own page tables, built once frames can be allocated:
 *
 *   PHYSMAP_BASE + pa   every RAM range, read-write, no-execute; the
 *                       kernel image's alias is mapped like the image
 *                       itself but never executable;
 *                       MMIO pages (LAPIC, IOAPIC) uncacheable
 *   KERNEL_VBASE + pa   text read-only+executable, rodata read-only,
 *                       data and bss read-write, the last two no-execute
 *
 * All of it global (CR4.PGE): the kernel half is the same in every
 * address space.  Nothing is mapped in the lower half any more.
 */
#include <exo/error.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <x86/cpu.h>

#define LARGE_PAGE (1UL << 21)
#define PT_INDEX(va, level) (((va) >> (PAGE_SHIFT + 9 * (level))) & 511)

#define KERNEL_RW (PTE_P | PTE_W | PTE_G | PTE_NX)
#define KERNEL_RO (PTE_P | PTE_G | PTE_NX)
#define KERNEL_RX (PTE_P | PTE_G)
#define KERNEL_MMIO (KERNEL_RW | PTE_PCD | PTE_PWT)

static uint64_t *pml4;

/* A zeroed frame for a page table.  The boot physmap must reach it, as it
 * is written before the switch: true while RAM below 4 GiB lasts. */
static uint64_t
table_alloc(void)
{
	uint64_t pa;
	int err = pm_alloc(PM_KERNEL, &pa);

	if (err)
		panic("paging: no frame for a page table: %s",
		      exo_strerror(err));
	assert(pa < X86_BOOT_PHYSMAP);
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

/* The entry for va in the table at `level` (0 = PT, 1 = PD), creating the
 * tables above it as needed. */
static uint64_t *
walk_create(uint64_t va, unsigned level)
{
	uint64_t *table = pml4;
	unsigned l;

	for (l = 3; l > level; l--) {
		uint64_t *e = &table[PT_INDEX(va, l)];

		if (!(*e & PTE_P))
			*e = table_alloc() | PTE_P | PTE_W;
		assert(!(*e & PTE_PS));
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[PT_INDEX(va, level)];
}

/* Map [va, va+size) to pa with flags, 2 MiB pages where alignment allows.
 * Everything page-aligned; an existing mapping is a kernel bug. */
static void
map_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	assert(va % PAGE_SIZE == 0 && pa % PAGE_SIZE == 0 &&
	       size % PAGE_SIZE == 0);
	while (size) {
		uint64_t *e, step;

		if ((va | pa) % LARGE_PAGE == 0 && size >= LARGE_PAGE) {
			e = walk_create(va, 1);
			step = LARGE_PAGE;
			assert(!(*e & PTE_P));
			*e = pa | flags | PTE_PS;
		} else {
			e = walk_create(va, 0);
			step = PAGE_SIZE;
			assert(!(*e & PTE_P));
			*e = pa | flags;
		}
		va += step;
		pa += step;
		size -= step;
	}
}

/* The kernel image at va (KERNEL_VBASE or its physmap alias). */
static void
map_image(uint64_t va, uint64_t text_flags)
{
	uint64_t start = (uint64_t)__kernel_start;
	uint64_t pa = virt_to_phys(__kernel_start);

	map_range(va, pa, (uint64_t)__text_end - start, text_flags);
	map_range(va + (uint64_t)__rodata_start - start,
		  virt_to_phys(__rodata_start),
		  (uint64_t)(__rodata_end - __rodata_start), KERNEL_RO);
	map_range(va + (uint64_t)__data_start - start,
		  virt_to_phys(__data_start),
		  (uint64_t)(__kernel_end - __data_start), KERNEL_RW);
}

/* The physmap of one RAM range, leaving out the image's pages. */
static void
map_ram(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	uint64_t ilo = virt_to_phys(__kernel_start);
	uint64_t ihi = virt_to_phys(__kernel_end);

	if (end <= ilo || base >= ihi) {
		map_range(PHYSMAP_BASE + base, base, size, KERNEL_RW);
		return;
	}
	if (base < ilo)
		map_range(PHYSMAP_BASE + base, base, ilo - base, KERNEL_RW);
	if (end > ihi)
		map_range(PHYSMAP_BASE + ihi, ihi, end - ihi, KERNEL_RW);
}

void
x86_paging_init(const struct boot_info *bi, const uint64_t *mmio,
		unsigned nmmio)
{
	uint64_t root = table_alloc();
	unsigned i;

	pml4 = phys_to_virt(root);
	for (i = 0; i < bi->nram; i++)
		map_ram(bi->ram[i].base, bi->ram[i].size);
	for (i = 0; i < nmmio; i++)
		map_range(PHYSMAP_BASE + mmio[i], mmio[i], PAGE_SIZE,
			  KERNEL_MMIO);
	map_image(PHYSMAP_BASE + virt_to_phys(__kernel_start), KERNEL_RO);
	map_image((uint64_t)__kernel_start, KERNEL_RX);

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(root);
}

uint64_t *
x86_kernel_pml4(void)
{
	return pml4;
}

uint64_t
x86_pte_lookup(uintptr_t va)
{
	const uint64_t *table = phys_to_virt(read_cr3() & PTE_ADDR);
	unsigned l;

	for (l = 3;; l--) {
		uint64_t e = table[PT_INDEX(va, l)];

		if (!(e & PTE_P) || l == 0 || (e & PTE_PS))
			return e & PTE_P ? e : 0;
		table = phys_to_virt(e & PTE_ADDR);
	}
}
