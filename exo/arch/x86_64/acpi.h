/*
 * Just enough ACPI to find the IOAPICs: RSDP -> RSDT/XSDT -> MADT.  Pure,
 * like bootparse.h: reads only through a struct boot_mem, never prints.
 */
#ifndef EXO_X86_ACPI_H
#define EXO_X86_ACPI_H

#include "bootparse.h"

#define ACPI_MAX_IOAPICS 8

struct acpi_ioapic {
	uint8_t id;
	uint32_t addr;	   /* physical MMIO base */
	uint32_t gsi_base; /* first global system interrupt it serves */
};

/*
 * Find the IOAPICs listed in the MADT reached from the RSDP at rsdp_pa.
 * Fills at most max entries of out.  Returns how many were found (0 if
 * the MADT lists none), -EXO_ENOENT if there is no MADT, or -EXO_EINVAL
 * if a table has a bad signature, checksum or length.
 */
int acpi_find_ioapics(const struct boot_mem *mem, uint64_t rsdp_pa,
		      struct acpi_ioapic *out, unsigned max);

#endif
