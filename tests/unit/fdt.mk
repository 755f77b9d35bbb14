# Devicetree reader: built blobs, the QEMU virt blob in tests/unit/data/
# (read at run time from the repository root), malformed input and a fuzz.
UNIT_SUITES += fdt
UNIT_SRCS_fdt := tests/unit/fdt_test.c exo/lib/fdt.c
