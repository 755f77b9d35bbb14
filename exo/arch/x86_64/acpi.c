/*
 * Minimal ACPI table walk (ACPI 6.5, sections 5.2.5 to 5.2.12).  Every
 * table is checksummed and its length bounded before it is read.
 */
#include <exo/error.h>
#include <kernel/lib.h>

#include "acpi.h"

#define SDT_HEADER 36
#define MADT_ENTRIES 44 /* header, local APIC address, flags */
#define MADT_IOAPIC 1
#define TABLE_MAX (1u << 20) /* larger is corrupt, not a real table */

static bool
checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
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

/* Map the whole system description table at pa and check it; returns it
 * (and its length in *len) or NULL. */
static const uint8_t *
map_sdt(const struct boot_mem *mem, uint64_t pa, uint32_t *len)
{
	const uint8_t *t = mem->map(mem->ctx, pa, SDT_HEADER);

	if (!t)
		return NULL;
	*len = rd32(t + 4);
	if (*len < SDT_HEADER || *len > TABLE_MAX)
		return NULL;
	t = mem->map(mem->ctx, pa, *len);
	return t && checksum_ok(t, *len) ? t : NULL;
}

/* The MADT's physical address from the RSDT (4-byte entries) or XSDT
 * (8-byte entries) at pa; 0 if absent, UINT64_MAX if malformed. */
static uint64_t
find_madt(const struct boot_mem *mem, uint64_t pa, bool xsdt)
{
	unsigned esz = xsdt ? 8 : 4;
	const uint8_t *t, *e;
	uint32_t len, off;

	if (!(t = map_sdt(mem, pa, &len)) ||
	    memcmp(t, xsdt ? "XSDT" : "RSDT", 4) != 0)
		return UINT64_MAX;
	for (off = SDT_HEADER; len - off >= esz; off += esz) {
		uint64_t tpa = xsdt ? rd64(t + off) : rd32(t + off);
		uint32_t tlen;

		e = mem->map(mem->ctx, tpa, 4);
		if (e && memcmp(e, "APIC", 4) == 0)
			return map_sdt(mem, tpa, &tlen) ? tpa : UINT64_MAX;
	}
	return 0;
}

static int
madt_ioapics(const uint8_t *t, uint32_t len, struct acpi_ioapic *out,
	     unsigned max)
{
	uint32_t off;
	unsigned n = 0;

	for (off = MADT_ENTRIES; len - off >= 2; off += t[off + 1]) {
		if (t[off + 1] < 2 || t[off + 1] > len - off)
			return -EXO_EINVAL;
		if (t[off] != MADT_IOAPIC || t[off + 1] < 12)
			continue;
		if (n < max) {
			out[n].id = t[off + 2];
			out[n].addr = rd32(t + off + 4);
			out[n].gsi_base = rd32(t + off + 8);
		}
		n++;
	}
	return (int)MIN(n, max);
}

int
acpi_find_ioapics(const struct boot_mem *mem, uint64_t rsdp_pa,
		  struct acpi_ioapic *out, unsigned max)
{
	const uint8_t *r, *t;
	uint64_t madt;
	uint32_t len;
	bool xsdt;

	r = mem->map(mem->ctx, rsdp_pa, 20);
	if (!r || memcmp(r, "RSD PTR ", 8) != 0 || !checksum_ok(r, 20))
		return -EXO_EINVAL;
	/* Revision 2 adds the XSDT, covered by the extended checksum. */
	xsdt = r[15] >= 2;
	if (xsdt &&
	    (!(r = mem->map(mem->ctx, rsdp_pa, 36)) || !checksum_ok(r, 36)))
		return -EXO_EINVAL;
	madt = find_madt(mem, xsdt ? rd64(r + 24) : rd32(r + 16), xsdt);
	if (madt == 0)
		return -EXO_ENOENT;
	if (madt == UINT64_MAX || !(t = map_sdt(mem, madt, &len)) ||
	    len < MADT_ENTRIES)
		return -EXO_EINVAL;
	return madt_ioapics(t, len, out, max);
}
