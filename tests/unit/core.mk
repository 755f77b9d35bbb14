# Unit tests of the portable kernel core.
UNIT_SUITES += pm format boot
UNIT_SRCS_pm := tests/unit/pm_test.c exo/pm.c exo/boot.c tests/unit/physmem.c
UNIT_SRCS_format := tests/unit/format_test.c bindings/lib/fmt.c \
	exo/lib/cmdline.c
UNIT_SRCS_boot := tests/unit/boot_test.c exo/boot.c
