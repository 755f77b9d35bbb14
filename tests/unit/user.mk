# Unit tests of libexo's pure parsers, which the kernel links too: the
# cpio newc reader and the ELF64 reader.
UNIT_SUITES += cpio elf
UNIT_SRCS_cpio := tests/unit/cpio_test.c bindings/lib/cpio.c
UNIT_SRCS_elf := tests/unit/elf_test.c bindings/lib/elf.c
