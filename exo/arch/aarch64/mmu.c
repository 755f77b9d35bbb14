/*
 * The kernel's final translation tables (TTBR1): a physmap of all RAM and
 * of the devices the kernel drives, and the kernel image with per-section
 * permissions.  They replace the boot tables of head.S, and the boot
 * identity map (TTBR0) goes away with them.  Also the switch between user
 * address spaces (TTBR0, tagged with ASIDs) and their TLB maintenance.
 */
#include <kernel/arch.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <arch/aarch64.h>
#include <arch/mmu.h>

static uint64_t *kernel_root;  /* level-0 table, through the physmap */
static uint64_t empty_root_pa; /* TTBR0 when no env runs */

uint64_t
virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VBASE)
		return v - KERNEL_VBASE + platform.kernel_pa;
	assert(v >= PHYSMAP_BASE && v - PHYSMAP_BASE < PHYSMAP_SIZE);
	return v - PHYSMAP_BASE;
}

static uint64_t *
table_alloc(void)
{
	uint64_t pa;
	void *t;

	if (pm_alloc(PM_KERNEL, &pa))
		panic("mmu: no free frame for a page table");
	t = phys_to_virt(pa);
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* The descriptor slot for va at `level`, creating tables on the way. */
static uint64_t *
pte_slot(uintptr_t va, int level)
{
	uint64_t *table = kernel_root;

	for (int l = 0; l < level; l++) {
		uint64_t *e = &table[PT_INDEX(va, l)];

		if (!(*e & PTE_VALID))
			*e = virt_to_phys(table_alloc()) | PTE_TABLE;
		/* A block here means two mappings overlap: a kernel bug. */
		assert((*e & PTE_TYPE_MASK) == PTE_TABLE);
		table = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	return &table[PT_INDEX(va, level)];
}

/*
 * Map [va, va+size) to pa with leaf attributes attr, using 1 GiB and 2 MiB
 * blocks where alignment allows.  All three must be page aligned.
 */
static void
map_range(uintptr_t va, uint64_t pa, uint64_t size, uint64_t attr)
{
	assert(((va | pa | size) & (PAGE_SIZE - 1)) == 0);
	while (size) {
		int level = 3;
		uint64_t *e;

		while (level > 1) {
			uint64_t bsz = 1UL << PT_SHIFT(level - 1);

			if (((va | pa) & (bsz - 1)) || size < bsz)
				break;
			level--;
		}
		e = pte_slot(va, level);
		assert(!(*e & PTE_VALID));
		*e = pa | attr | (level == 3 ? PTE_PAGE : PTE_BLOCK);
		va += 1UL << PT_SHIFT(level);
		pa += 1UL << PT_SHIFT(level);
		size -= 1UL << PT_SHIFT(level);
	}
}

/* Physmap [pa, pa+size), one piece of RAM: [lo, hi) with attr. */
static void
map_ram_piece(uint64_t pa, uint64_t size, uint64_t lo, uint64_t hi,
	      uint64_t attr)
{
	lo = MAX(lo, pa);
	hi = MIN(hi, pa + size);
	if (lo < hi)
		map_range(PHYSMAP_BASE + lo, lo, hi - lo, attr);
}

/*
 * Physmap a RAM range read-write, except the kernel image's alias, which
 * is read-only so kernel text cannot be patched through it.
 */
static void
map_ram(uint64_t pa, uint64_t size)
{
	uint64_t kstart = platform.kernel_pa;
	uint64_t kend = kstart + ((uintptr_t)_end - (uintptr_t)_start);

	map_ram_piece(pa, size, 0, kstart, PTE_KERN_RW);
	map_ram_piece(pa, size, kstart, kend, PTE_KERN_RO);
	map_ram_piece(pa, size, kend, UINT64_MAX, PTE_KERN_RW);
}

static void
map_device(uint64_t pa, uint64_t size)
{
	uint64_t base = ALIGN_DOWN(pa, PAGE_SIZE);

	map_range(PHYSMAP_BASE + base, base,
		  ALIGN_UP(pa + size, PAGE_SIZE) - base, PTE_KERN_DEVICE);
}

/* Kernel VA range [from, to) at its load address, with attributes attr. */
static void
map_image(const char *from, const char *to, uint64_t attr)
{
	map_range((uintptr_t)from, virt_to_phys(from),
		  (uintptr_t)to - (uintptr_t)from, attr);
}

/*
 * Replace the boot identity map in TTBR0 with an empty user space tagged
 * ASID 0, where every user address faults until an env's space is
 * activated.  TTBR0 walks stay on from here: an empty root, rather than
 * TCR_EL1.EPD0, is what makes the user half fault when no env runs.
 * 16-bit ASIDs when the CPU has them leave room to raise EXO_MAX_ASID.
 */
static void
user_space_init(void)
{
	uint64_t tcr = read_sysreg(tcr_el1) & ~TCR_EPD0;

	empty_root_pa = virt_to_phys(table_alloc());
	if (ID_MMFR0_ASIDBITS(read_sysreg(id_aa64mmfr0_el1)) == ID_MMFR0_ASID16)
		tcr |= TCR_AS16;
	write_sysreg(ttbr0_el1, empty_root_pa);
	isb();
	write_sysreg(tcr_el1, tcr);
	isb();
	/* The identity map was global: drop it from every ASID. */
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
}

void
mmu_init(const struct boot_info *bi)
{
	void (*switch_fn)(uint64_t);
	uint64_t daif;

	kernel_root = table_alloc();
	for (unsigned i = 0; i < bi->nram; i++)
		map_ram(bi->ram[i].base, bi->ram[i].size);
	map_device(platform.uart, PAGE_SIZE);
	map_device(platform.gicd, platform.gicd_size);
	map_device(platform.gicr, platform.gicr_size);
	map_image(_start, __text_end, PTE_KERN_RX);
	map_image(__text_end, __rodata_end, PTE_KERN_RO);
	map_image(__rodata_end, _end, PTE_KERN_RW);

	/* The switch runs from the identity map: see head.S. */
	switch_fn = (void (*)(uint64_t))(uintptr_t)virt_to_phys(
		(const void *)aarch64_switch_ttbr1);
	daif = read_sysreg(daif);
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	switch_fn(virt_to_phys(kernel_root));
	user_space_init();
	write_sysreg(daif, daif);
}

uint64_t
mmu_lookup(uintptr_t va)
{
	uint64_t *table = kernel_root;

	assert(table);
	for (int level = 0; level <= 3; level++) {
		uint64_t e = table[PT_INDEX(va, level)];

		if (!(e & PTE_VALID))
			return 0;
		if (level == 3 || (e & PTE_TYPE_MASK) == PTE_BLOCK)
			return e;
		table = phys_to_virt(e & PTE_ADDR_MASK);
	}
	return 0;
}

/* Nothing to share: the kernel half lives in TTBR1, not in user roots. */
void
arch_as_init_root(uint64_t *root)
{
}

/*
 * Each ASID names one user space at a time: whoever hands an ASID to a new
 * root must flush it first (arch_tlb_flush_asid), so switching needs no
 * TLB maintenance at all.  Root 0 is the empty space (ASID 0).
 */
void
arch_as_activate(uint64_t root_pa, unsigned asid)
{
	uint64_t ttbr = empty_root_pa;

	if (root_pa) {
		assert(asid >= 1 && asid <= EXO_MAX_ASID);
		assert(!(root_pa & ~PTE_ADDR_MASK));
		ttbr = root_pa | (uint64_t)asid << TTBR_ASID_SHIFT;
	}
	/* Table writes made so far must be visible to the new walks. */
	__asm__ volatile("dsb ishst" ::: "memory");
	write_sysreg(ttbr0_el1, ttbr);
	isb();
}

/* By VA, all levels: also drops cached table walks through va, so a freed
 * page table is forgotten too.  Inner shareable, ready for more CPUs. */
void
arch_tlb_flush_page(unsigned asid, uint64_t va)
{
	uint64_t op = (uint64_t)asid << TTBR_ASID_SHIFT |
		      (va >> PAGE_SHIFT & TLBI_VA_MASK);

	__asm__ volatile(
		"dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish\n\tisb" ::"r"(op)
		: "memory");
}

void
arch_tlb_flush_asid(unsigned asid)
{
	uint64_t op = (uint64_t)asid << TTBR_ASID_SHIFT;

	__asm__ volatile(
		"dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb" ::"r"(op)
		: "memory");
}
