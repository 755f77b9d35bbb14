# Devicetree reader: built blobs and the QEMU virt blob in tests/unit/data/
# (read at run time from the repository root) in fdt_test.c; malformed
# input and a fuzz in fdt_hostile_test.c; both share fdt_writer.[ch].
UNIT_SUITES += fdt
UNIT_SRCS_fdt := tests/unit/fdt_test.c tests/unit/fdt_hostile_test.c \
	tests/unit/fdt_writer.c exo/lib/fdt.c
