/*
 * Host tests of the x86_64 boot parsers (PVH start info, multiboot2
 * information) and the ACPI MADT walk, on hand-built blobs in a fake
 * physical memory: ARENA bytes at physical FAKE_BASE, allocated exactly
 * so ASan catches a read past its end.  The malformed cases are the point:
 * truncated tags, absurd sizes, counts past the end, bad checksums.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <exo/error.h>

#include "../../exo/arch/x86_64/acpi.h"
#include "../../exo/arch/x86_64/bootparse.h"

#define FAKE_BASE 0x10000ull
#define FAKE_SIZE 0x10000ull
#define FAKE_END (FAKE_BASE + FAKE_SIZE)

static uint8_t *arena;
static struct boot_info bi;
static struct x86_boot_extra x;

static const void *
fake_map(void *ctx, uint64_t pa, uint64_t len)
{
	if (pa < FAKE_BASE || pa >= FAKE_END || len > FAKE_END - pa)
		return NULL;
	return arena + (pa - FAKE_BASE);
}

static const struct boot_mem mem = { fake_map, NULL };

static void
setup(void)
{
	arena = calloc(1, FAKE_SIZE);
	ck_assert_ptr_nonnull(arena);
	memset(&bi, 0xa5, sizeof(bi)); /* the parsers must reset it */
	memset(&x, 0xa5, sizeof(x));
}

static void
teardown(void)
{
	free(arena);
}

static void
put(uint64_t pa, const void *p, size_t n)
{
	ck_assert(pa >= FAKE_BASE && pa + n <= FAKE_END);
	memcpy(arena + (pa - FAKE_BASE), p, n);
}

static void
put8(uint64_t pa, uint8_t v)
{
	put(pa, &v, 1);
}

static void
put32(uint64_t pa, uint32_t v)
{
	put(pa, &v, 4);
}

static void
put64(uint64_t pa, uint64_t v)
{
	put(pa, &v, 8);
}

static bool
has_range(const struct boot_range *r, unsigned n, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i].base <= base && base + size <= r[i].base + r[i].size)
			return true;
	return false;
}

static void
expect_ram(uint64_t base, uint64_t size)
{
	ck_assert_msg(has_range(bi.ram, bi.nram, base, size),
		      "RAM 0x%llx+0x%llx missing", (unsigned long long)base,
		      (unsigned long long)size);
}

static void
expect_reserved(uint64_t base, uint64_t size)
{
	ck_assert_msg(has_range(bi.reserved, bi.nreserved, base, size),
		      "reserved 0x%llx+0x%llx missing",
		      (unsigned long long)base, (unsigned long long)size);
}

/* --- PVH ------------------------------------------------------------------ */

#define SI 0x11000ull	  /* hvm_start_info */
#define MEMMAP 0x12000ull /* hvm_memmap_table_entry[] */
#define CMDLINE 0x13000ull
#define MODLIST 0x14000ull

static void
pvh_start_info(uint32_t version, uint32_t nmods, uint64_t cmdline,
	       uint32_t nmap)
{
	put32(SI, PVH_MAGIC);
	put32(SI + 4, version);
	put32(SI + 12, nmods);
	put64(SI + 16, MODLIST);
	put64(SI + 24, cmdline);
	put64(SI + 32, 0xf5000);
	put64(SI + 40, MEMMAP);
	put32(SI + 48, nmap);
}

static void
pvh_map_entry(unsigned i, uint64_t addr, uint64_t size, uint32_t type)
{
	put64(MEMMAP + 24 * i, addr);
	put64(MEMMAP + 24 * i + 8, size);
	put32(MEMMAP + 24 * i + 16, type);
}

START_TEST(pvh_good)
{
	pvh_start_info(1, 1, CMDLINE, 4);
	pvh_map_entry(0, 0, 0x9fc00, 1);
	pvh_map_entry(1, 0xf0000, 0x10000, 2);
	pvh_map_entry(2, 0x100000, 0x7ee0000, 1);
	pvh_map_entry(3, 0x80000800, 0x2000, 1); /* unaligned: one page */
	put(CMDLINE, "test=list console=ttyS0", 24);
	put64(MODLIST, 0x200000);
	put64(MODLIST + 8, 0x1800);

	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), 0);
	ck_assert_str_eq(bi.protocol, "pvh");
	ck_assert_str_eq(bi.cmdline, "test=list console=ttyS0");
	ck_assert_uint_eq(bi.nram, 3);
	expect_ram(0, 0x9f000);
	ck_assert(!has_range(bi.ram, bi.nram, 0x9f000, 0x1000));
	expect_ram(0x100000, 0x7ee0000);
	expect_ram(0x80001000, 0x1000);
	ck_assert_uint_eq(bi.ram[2].size, 0x1000);
	expect_reserved(SI, 56);
	expect_reserved(MEMMAP, 4 * 24);
	expect_reserved(MODLIST, 32);
	expect_reserved(0x200000, 0x2000);
	ck_assert_uint_eq(bi.initrd.base, 0x200000);
	ck_assert_uint_eq(bi.initrd.size, 0x1800);
	ck_assert_uint_eq(x.rsdp, 0xf5000);
}
END_TEST

/* Module 0 is the initrd, whatever follows; no module, no initrd. */
START_TEST(pvh_initrd)
{
	pvh_start_info(1, 2, 0, 1);
	pvh_map_entry(0, 0x100000, 0x7f00000, 1);
	put64(MODLIST, 0x400000);
	put64(MODLIST + 8, 0x5000);
	put64(MODLIST + 32, 0x300000);
	put64(MODLIST + 40, 0x1000);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), 0);
	ck_assert_uint_eq(bi.initrd.base, 0x400000);
	ck_assert_uint_eq(bi.initrd.size, 0x5000);
	expect_reserved(0x400000, 0x5000);
	expect_reserved(0x300000, 0x1000);

	pvh_start_info(1, 0, 0, 1);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), 0);
	ck_assert_uint_eq(bi.initrd.base, 0);
	ck_assert_uint_eq(bi.initrd.size, 0);
}
END_TEST

START_TEST(pvh_bad_header)
{
	pvh_start_info(1, 0, 0, 1);
	pvh_map_entry(0, 0x100000, 0x100000, 1);
	put32(SI, PVH_MAGIC + 1);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
	put32(SI, PVH_MAGIC);
	put32(SI + 4, 0); /* version 0 has no memory map */
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
	put32(SI + 4, 1);
	put32(SI + 48, 0); /* no entries */
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
	/* The start info itself runs past the end of memory. */
	ck_assert_int_eq(pvh_parse(&mem, FAKE_END - 20, &bi, &x), -EXO_EINVAL);
	ck_assert_int_eq(pvh_parse(&mem, 0, &bi, &x), -EXO_EINVAL);
}
END_TEST

START_TEST(pvh_counts_past_the_end)
{
	pvh_start_info(1, 0, 0, 0xffffffff);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
	pvh_start_info(1, 0, 0, (uint32_t)((FAKE_END - MEMMAP) / 24 + 1));
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
	pvh_start_info(1, 0xffffffff, 0, 1);
	pvh_map_entry(0, 0x100000, 0x100000, 1);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
}
END_TEST

START_TEST(pvh_absurd_sizes)
{
	pvh_start_info(1, 1, 0, 2);
	/* RAM that wraps around is dropped, not an error. */
	pvh_map_entry(0, 0xfffffffffffff000ull, 0x2000, 1);
	pvh_map_entry(1, 0x100000, 0x100000, 1);
	put64(MODLIST, 0x200000);
	put64(MODLIST + 8, 0);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), 0);
	ck_assert_uint_eq(bi.nram, 1);
	/* A module that wraps cannot be reserved: refuse to boot. */
	put64(MODLIST, 0xfffffffffffff000ull);
	put64(MODLIST + 8, 0x2000);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
}
END_TEST

START_TEST(pvh_cmdline_edges)
{
	char longer[400];

	pvh_start_info(1, 0, CMDLINE, 1);
	pvh_map_entry(0, 0x100000, 0x100000, 1);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	put(CMDLINE, longer, sizeof(longer));
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), 0);
	ck_assert_uint_eq(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	/* Unterminated at the very end of memory. */
	pvh_start_info(1, 0, FAKE_END - 4, 1);
	put(FAKE_END - 4, "abcd", 4);
	ck_assert_int_eq(pvh_parse(&mem, SI, &bi, &x), -EXO_EINVAL);
}
END_TEST

/* --- multiboot2 ----------------------------------------------------------- */

#define MBI 0x11000ull

/* Builds an information block tag by tag. */
static uint64_t mb_at;

static void
mb_begin(void)
{
	mb_at = MBI + 8;
}

/* Start a tag; returns its address.  mb_end_tag() fixes the sizes. */
static uint64_t
mb_tag(uint32_t type, uint32_t size)
{
	uint64_t tag = mb_at;

	put32(tag, type);
	put32(tag + 4, size);
	mb_at += (size + 7) & ~7u;
	return tag;
}

static void
mb_finish(void)
{
	mb_tag(0, 8);
	put32(MBI, (uint32_t)(mb_at - MBI));
}

static void
mb_mmap(uint32_t esz, unsigned n, const uint64_t (*e)[3])
{
	uint64_t tag = mb_tag(6, 16 + esz * n);

	put32(tag + 8, esz);
	for (unsigned i = 0; i < n; i++) {
		put64(tag + 16 + esz * i, e[i][0]);
		put64(tag + 16 + esz * i + 8, e[i][1]);
		put32(tag + 16 + esz * i + 16, (uint32_t)e[i][2]);
	}
}

static const uint64_t two_ranges[][3] = {
	{ 0, 0x9fc00, 1 },
	{ 0x100000, 0xfee0000, 1 },
};

START_TEST(mb2_good)
{
	uint64_t t, rsdp_new;

	mb_begin();
	t = mb_tag(1, 8 + 6);
	put(t + 8, "hello", 6);
	mb_mmap(24, 2, two_ranges);
	t = mb_tag(3, 16 + 2);
	put32(t + 8, 0x300000);
	put32(t + 12, 0x300100);
	t = mb_tag(15, 8 + 36);
	rsdp_new = t + 8;
	mb_tag(14, 8 + 20); /* old RSDP after the new: the new one wins */
	mb_tag(21, 12);	    /* unknown tags are skipped */
	mb_finish();

	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), 0);
	ck_assert_str_eq(bi.protocol, "multiboot2");
	ck_assert_str_eq(bi.cmdline, "hello");
	ck_assert_uint_eq(bi.nram, 2);
	expect_ram(0, 0x9f000);
	expect_ram(0x100000, 0xfee0000);
	expect_reserved(MBI, mb_at - MBI);
	expect_reserved(0x300000, 0x1000);
	ck_assert_uint_eq(bi.initrd.base, 0x300000);
	ck_assert_uint_eq(bi.initrd.size, 0x100);
	ck_assert_uint_eq(x.rsdp, rsdp_new);
}
END_TEST

/* The first non-empty module is the initrd; later ones are only
 * reserved, and without modules there is no initrd. */
START_TEST(mb2_initrd)
{
	uint64_t t;

	mb_begin();
	mb_mmap(24, 2, two_ranges);
	t = mb_tag(3, 16);
	put32(t + 8, 0x200000);
	put32(t + 12, 0x200000);
	t = mb_tag(3, 16 + 8);
	put32(t + 8, 0x400000);
	put32(t + 12, 0x402345);
	t = mb_tag(3, 16);
	put32(t + 8, 0x500000);
	put32(t + 12, 0x501000);
	mb_finish();
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), 0);
	ck_assert_uint_eq(bi.initrd.base, 0x400000);
	ck_assert_uint_eq(bi.initrd.size, 0x2345);
	expect_reserved(0x400000, 0x3000);
	expect_reserved(0x500000, 0x1000);

	mb_begin();
	mb_mmap(24, 2, two_ranges);
	mb_finish();
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), 0);
	ck_assert_uint_eq(bi.initrd.size, 0);
}
END_TEST

START_TEST(mb2_entry_size_larger)
{
	static const uint64_t one[][3] = { { 0x100000, 0x200000, 1 } };

	mb_begin();
	mb_mmap(40, 1, one); /* a newer, longer entry format */
	mb_finish();
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), 0);
	expect_ram(0x100000, 0x200000);
}
END_TEST

START_TEST(mb2_bad_total_size)
{
	mb_begin();
	mb_mmap(24, 2, two_ranges);
	mb_finish();
	put32(MBI, 8);
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	put32(MBI, MB2_INFO_MAX + 8);
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	put32(MBI, (uint32_t)(FAKE_END - MBI + 8)); /* past the end */
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	/* The header itself is cut off by the end of memory. */
	ck_assert_int_eq(mb2_parse(&mem, FAKE_END - 4, &bi, &x), -EXO_EINVAL);
}
END_TEST

START_TEST(mb2_bad_tags)
{
	uint64_t t;

	/* A tag whose size runs past total_size. */
	mb_begin();
	mb_mmap(24, 2, two_ranges);
	t = mb_tag(1, 16);
	mb_finish();
	put32(t + 4, 0x1000);
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	/* Sizes below the tag header (0 would loop forever). */
	put32(t + 4, 0);
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	put32(t + 4, 7);
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	/* Truncated: total_size ends inside the last tag, no end tag. */
	put32(t + 4, 16);
	put32(MBI, (uint32_t)(t + 12 - MBI));
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
}
END_TEST

START_TEST(mb2_required_tags)
{
	uint64_t t;

	mb_begin();
	t = mb_tag(1, 8 + 2);
	put(t + 8, "a", 2);
	mb_finish();
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
}
END_TEST

START_TEST(mb2_bad_mmap_and_module)
{
	uint64_t t;

	mb_begin();
	t = mb_tag(6, 16 + 24);
	put32(t + 8, 16); /* entries shorter than the format */
	mb_finish();
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	put32(t + 8, 0xfffffff0); /* larger than the tag: no entries */
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), 0);
	ck_assert_uint_eq(bi.nram, 0);

	mb_begin();
	mb_mmap(24, 2, two_ranges);
	t = mb_tag(3, 16);
	put32(t + 8, 0x300000);
	put32(t + 12, 0x200000); /* ends before it starts */
	mb_finish();
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
	put32(t + 4, 12); /* too short to hold start and end */
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), -EXO_EINVAL);
}
END_TEST

START_TEST(mb2_cmdline_unterminated)
{
	uint64_t t;

	mb_begin();
	mb_mmap(24, 2, two_ranges);
	t = mb_tag(1, 8 + 3);
	put(t + 8, "xyzzy", 5); /* only 3 bytes belong to the tag */
	mb_finish();
	ck_assert_int_eq(mb2_parse(&mem, MBI, &bi, &x), 0);
	ck_assert_str_eq(bi.cmdline, "xyz");
}
END_TEST

/* --- ACPI ----------------------------------------------------------------- */

#define RSDP 0x11000ull
#define RSDT 0x12000ull
#define XSDT 0x13000ull
#define FACP 0x14000ull
#define MADT 0x15000ull

static void
checksum(uint64_t pa, uint32_t len, uint64_t at)
{
	uint8_t sum = 0;

	put8(at, 0);
	for (uint32_t i = 0; i < len; i++)
		sum += arena[pa - FAKE_BASE + i];
	put8(at, (uint8_t)-sum);
}

static void
sdt(uint64_t pa, const char *sig, uint32_t len)
{
	put(pa, sig, 4);
	put32(pa + 4, len);
}

/* A MADT with a local APIC entry and two IOAPICs; RSDT and XSDT both
 * list an FACP first, then it. */
static void
acpi_tables(uint8_t revision)
{
	uint64_t e = MADT + 44;

	put(RSDP, "RSD PTR ", 8);
	put8(RSDP + 15, revision);
	put32(RSDP + 16, (uint32_t)RSDT);
	put32(RSDP + 20, 36);
	put64(RSDP + 24, XSDT);
	checksum(RSDP, 20, RSDP + 8);
	checksum(RSDP, 36, RSDP + 32);

	sdt(FACP, "FACP", 36);
	checksum(FACP, 36, FACP + 9);
	sdt(RSDT, "RSDT", 44);
	put32(RSDT + 36, (uint32_t)FACP);
	put32(RSDT + 40, (uint32_t)MADT);
	checksum(RSDT, 44, RSDT + 9);
	sdt(XSDT, "XSDT", 52);
	put64(XSDT + 36, FACP);
	put64(XSDT + 44, MADT);
	checksum(XSDT, 52, XSDT + 9);

	put8(e, 0); /* processor local APIC */
	put8(e + 1, 8);
	e += 8;
	for (unsigned i = 0; i < 2; i++, e += 12) {
		put8(e, 1);
		put8(e + 1, 12);
		put8(e + 2, (uint8_t)(i + 1));
		put32(e + 4, 0xfec00000 + 0x1000 * i);
		put32(e + 8, 24 * i);
	}
	sdt(MADT, "APIC", (uint32_t)(e - MADT));
	checksum(MADT, (uint32_t)(e - MADT), MADT + 9);
}

START_TEST(acpi_rsdt_and_xsdt)
{
	struct acpi_ioapic io[ACPI_MAX_IOAPICS];

	for (uint8_t rev = 0; rev <= 2; rev += 2) {
		acpi_tables(rev);
		ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), 2);
		ck_assert_uint_eq(io[0].id, 1);
		ck_assert_uint_eq(io[0].addr, 0xfec00000);
		ck_assert_uint_eq(io[1].addr, 0xfec01000);
		ck_assert_uint_eq(io[1].gsi_base, 24);
		/* Only as many as asked for. */
		ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 1), 1);
	}
}
END_TEST

START_TEST(acpi_bad_checksums)
{
	struct acpi_ioapic io[ACPI_MAX_IOAPICS];

	acpi_tables(2);
	put8(RSDP + 33, 1); /* extended checksum */
	ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), -EXO_EINVAL);
	acpi_tables(2);
	put8(MADT + 50, 0x77);
	ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), -EXO_EINVAL);
	acpi_tables(0);
	put(RSDP, "RSD PTX ", 8);
	ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), -EXO_EINVAL);
}
END_TEST

START_TEST(acpi_bad_lengths)
{
	struct acpi_ioapic io[ACPI_MAX_IOAPICS];

	/* A MADT entry of length 0 would never advance. */
	acpi_tables(2);
	put8(MADT + 45, 0);
	checksum(MADT, 44 + 8 + 24, MADT + 9);
	ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), -EXO_EINVAL);
	/* An entry running past the table. */
	acpi_tables(2);
	put8(MADT + 45, 200);
	checksum(MADT, 44 + 8 + 24, MADT + 9);
	ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), -EXO_EINVAL);
	/* A table longer than memory. */
	acpi_tables(2);
	put32(XSDT + 4, 0x100000);
	ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), -EXO_EINVAL);
	/* An RSDP at the very end of memory. */
	ck_assert_int_eq(acpi_find_ioapics(&mem, FAKE_END - 10, io, 8),
			 -EXO_EINVAL);
}
END_TEST

START_TEST(acpi_no_madt)
{
	struct acpi_ioapic io[ACPI_MAX_IOAPICS];

	acpi_tables(0);
	put32(RSDT + 4, 40); /* only the FACP */
	checksum(RSDT, 40, RSDT + 9);
	ck_assert_int_eq(acpi_find_ioapics(&mem, RSDP, io, 8), -EXO_ENOENT);
}
END_TEST

Suite *
x86_64_suite(void)
{
	Suite *s = suite_create("x86_64");
	TCase *pvh = tcase_create("pvh"), *mb2 = tcase_create("multiboot2");
	TCase *acpi = tcase_create("acpi");

	tcase_add_checked_fixture(pvh, setup, teardown);
	tcase_add_test(pvh, pvh_good);
	tcase_add_test(pvh, pvh_initrd);
	tcase_add_test(pvh, pvh_bad_header);
	tcase_add_test(pvh, pvh_counts_past_the_end);
	tcase_add_test(pvh, pvh_absurd_sizes);
	tcase_add_test(pvh, pvh_cmdline_edges);
	suite_add_tcase(s, pvh);

	tcase_add_checked_fixture(mb2, setup, teardown);
	tcase_add_test(mb2, mb2_good);
	tcase_add_test(mb2, mb2_initrd);
	tcase_add_test(mb2, mb2_entry_size_larger);
	tcase_add_test(mb2, mb2_bad_total_size);
	tcase_add_test(mb2, mb2_bad_tags);
	tcase_add_test(mb2, mb2_required_tags);
	tcase_add_test(mb2, mb2_bad_mmap_and_module);
	tcase_add_test(mb2, mb2_cmdline_unterminated);
	suite_add_tcase(s, mb2);

	tcase_add_checked_fixture(acpi, setup, teardown);
	tcase_add_test(acpi, acpi_rsdt_and_xsdt);
	tcase_add_test(acpi, acpi_bad_checksums);
	tcase_add_test(acpi, acpi_bad_lengths);
	tcase_add_test(acpi, acpi_no_madt);
	suite_add_tcase(s, acpi);
	return s;
}
