# Host unit tests of the x86_64 boot-information and ACPI parsers.
UNIT_SUITES += x86_64
UNIT_SRCS_x86_64 := tests/unit/x86_64_bootinfo_test.c \
	exo/arch/x86_64/bootparse.c exo/arch/x86_64/acpi.c exo/boot.c
