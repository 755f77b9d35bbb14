/*
 * Boot-protocol parsers (see bootparse.h).  Every size and count in the
 * input is treated as hostile: each read goes through map() with its exact
 * length, and all arithmetic on input values is checked for overflow.
 */
#include <exo/error.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>

#include "bootparse.h"

#define E820_RAM 1

/* xen/include/public/arch-x86/hvm/start_info.h, version 1 */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* Multiboot2 information tags (multiboot2 specification, section 3.6). */
enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};
#define MB2_MMAP_ENTRY_MIN 24 /* base, length, type, reserved */
#define RSDP_V1_SIZE 20
#define RSDP_V2_SIZE 36

static const void *
map(const struct boot_mem *mem, uint64_t pa, uint64_t len)
{
	if (len == 0 || pa + len < pa)
		return NULL;
	return mem->map(mem->ctx, pa, len);
}

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Record the whole pages of RAM inside [base, base+size).  A full list or
 * an entry that wraps around loses only that RAM, so neither is an error. */
static void
add_ram(struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t lo, hi;

	if (base + size < base || base > UINT64_MAX - PAGE_SIZE)
		return;
	lo = ALIGN_UP(base, PAGE_SIZE);
	hi = ALIGN_DOWN(base + size, PAGE_SIZE);
	if (hi > lo)
		boot_range_add(bi->ram, &bi->nram, lo, hi - lo);
}

/* Reserve the pages touching [base, base+size).  Returns 0, -EXO_EINVAL if
 * the range wraps, -EXO_ENOMEM if the list is full. */
static int
reserve(struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t lo, end;

	if (size == 0)
		return 0;
	end = base + size;
	if (end < base || end > UINT64_MAX - PAGE_SIZE)
		return -EXO_EINVAL;
	lo = ALIGN_DOWN(base, PAGE_SIZE);
	return boot_range_add(bi->reserved, &bi->nreserved, lo,
			      ALIGN_UP(end, PAGE_SIZE) - lo);
}

/* Copy a string of at most max bytes (stopping at NUL) into bi->cmdline,
 * truncating it to fit. */
static void
set_cmdline(struct boot_info *bi, const char *s, uint64_t max)
{
	uint64_t i;

	for (i = 0; i < max && i < BOOT_CMDLINE_MAX - 1 && s[i]; i++)
		bi->cmdline[i] = s[i];
	bi->cmdline[i] = '\0';
}

/* Copy the NUL-terminated string at physical pa, one mapped byte at a
 * time since its length is unknown.  Returns 0 or -EXO_EINVAL. */
static int
copy_phys_cmdline(const struct boot_mem *mem, uint64_t pa, struct boot_info *bi)
{
	unsigned i;

	for (i = 0; i < BOOT_CMDLINE_MAX - 1; i++) {
		const char *c = map(mem, pa + i, 1);

		if (!c)
			return -EXO_EINVAL;
		if (*c == '\0')
			break;
		bi->cmdline[i] = *c;
	}
	bi->cmdline[i] = '\0';
	return 0;
}

static void
reset(struct boot_info *bi, struct x86_boot_extra *x, const char *protocol)
{
	bi->protocol = protocol;
	bi->cmdline[0] = '\0';
	bi->nram = 0;
	bi->nreserved = 0;
	bi->initrd = (struct boot_range){ 0, 0 };
	x->rsdp = 0;
}

static int
pvh_memmap(const struct boot_mem *mem, const struct hvm_start_info *si,
	   struct boot_info *bi)
{
	uint64_t len =
		(uint64_t)si->memmap_entries * sizeof(struct hvm_memmap_entry);
	const uint8_t *p;
	uint32_t i;

	if (si->memmap_entries == 0 || !(p = map(mem, si->memmap_paddr, len)))
		return -EXO_EINVAL;
	for (i = 0; i < si->memmap_entries; i++) {
		struct hvm_memmap_entry e;

		memcpy(&e, p + i * sizeof(e), sizeof(e));
		if (e.type == E820_RAM)
			add_ram(bi, e.addr, e.size);
	}
	return reserve(bi, si->memmap_paddr, len);
}

static int
pvh_modules(const struct boot_mem *mem, const struct hvm_start_info *si,
	    struct boot_info *bi)
{
	uint64_t len =
		(uint64_t)si->nr_modules * sizeof(struct hvm_modlist_entry);
	const uint8_t *p;
	uint32_t i;
	int err;

	if (si->nr_modules == 0)
		return 0;
	if (!(p = map(mem, si->modlist_paddr, len)))
		return -EXO_EINVAL;
	for (i = 0; i < si->nr_modules; i++) {
		struct hvm_modlist_entry m;

		memcpy(&m, p + i * sizeof(m), sizeof(m));
		if ((err = reserve(bi, m.paddr, m.size)))
			return err;
		if (i == 0)
			bi->initrd = (struct boot_range){ m.paddr, m.size };
	}
	return reserve(bi, si->modlist_paddr, len);
}

int
pvh_parse(const struct boot_mem *mem, uint64_t pa, struct boot_info *bi,
	  struct x86_boot_extra *x)
{
	struct hvm_start_info si;
	const void *p;
	int err;

	reset(bi, x, "pvh");
	if (!(p = map(mem, pa, sizeof(si))))
		return -EXO_EINVAL;
	memcpy(&si, p, sizeof(si));
	if (si.magic != PVH_MAGIC || si.version < 1)
		return -EXO_EINVAL;
	if (si.cmdline_paddr &&
	    (err = copy_phys_cmdline(mem, si.cmdline_paddr, bi)))
		return err;
	if ((err = pvh_memmap(mem, &si, bi)) ||
	    (err = pvh_modules(mem, &si, bi)))
		return err;
	x->rsdp = si.rsdp_paddr;
	return reserve(bi, pa, sizeof(si));
}

static int
mb2_mmap(const uint8_t *tag, uint32_t size, struct boot_info *bi)
{
	uint32_t esz, off;

	if (size < 16)
		return -EXO_EINVAL;
	esz = rd32(tag + 8);
	if (esz < MB2_MMAP_ENTRY_MIN)
		return -EXO_EINVAL;
	for (off = 16; size - off >= esz; off += esz) {
		if (rd32(tag + off + 16) == E820_RAM)
			add_ram(bi, rd64(tag + off), rd64(tag + off + 8));
	}
	return 0;
}

/* One tag of `size` bytes (already checked to lie inside the info) at
 * physical address pa.  Sets *mmap when it is the memory map. */
static int
mb2_tag(const uint8_t *tag, uint32_t size, uint64_t pa, struct boot_info *bi,
	struct x86_boot_extra *x, bool *mmap)
{
	uint32_t start, end;

	switch (rd32(tag)) {
	case MB2_TAG_CMDLINE:
		set_cmdline(bi, (const char *)tag + 8, size - 8);
		return 0;
	case MB2_TAG_MODULE:
		if (size < 16)
			return -EXO_EINVAL;
		start = rd32(tag + 8);
		end = rd32(tag + 12);
		if (end < start)
			return -EXO_EINVAL;
		if (!bi->initrd.size)
			bi->initrd = (struct boot_range){ start, end - start };
		return reserve(bi, start, end - start);
	case MB2_TAG_MMAP:
		*mmap = true;
		return mb2_mmap(tag, size, bi);
	case MB2_TAG_ACPI_OLD:
		if (size >= 8 + RSDP_V1_SIZE && !x->rsdp)
			x->rsdp = pa + 8;
		return 0;
	case MB2_TAG_ACPI_NEW:
		/* The XSDT-capable copy wins over the old one. */
		if (size >= 8 + RSDP_V2_SIZE)
			x->rsdp = pa + 8;
		return 0;
	default:
		return 0;
	}
}

int
mb2_parse(const struct boot_mem *mem, uint64_t pa, struct boot_info *bi,
	  struct x86_boot_extra *x)
{
	const uint8_t *info;
	uint32_t total, off, size;
	bool mmap = false;
	int err;

	reset(bi, x, "multiboot2");
	if (!(info = map(mem, pa, 8)))
		return -EXO_EINVAL;
	total = rd32(info);
	if (total < 16 || total > MB2_INFO_MAX || !(info = map(mem, pa, total)))
		return -EXO_EINVAL;
	for (off = 8; off <= total - 8; off += ALIGN_UP(size, 8)) {
		size = rd32(info + off + 4);
		if (size < 8 || size > total - off)
			return -EXO_EINVAL;
		if (rd32(info + off) == MB2_TAG_END) {
			if (!mmap)
				return -EXO_EINVAL;
			return reserve(bi, pa, total);
		}
		err = mb2_tag(info + off, size, pa + off, bi, x, &mmap);
		if (err)
			return err;
	}
	return -EXO_EINVAL;
}
