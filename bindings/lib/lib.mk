# libexo's sources.  Arch files live in bindings/lib/arch/$(ARCH)/.
LIBEXO_SRCS := \
	bindings/lib/string.c \
	bindings/lib/fmt.c \
	bindings/lib/cpio.c \
	bindings/lib/elf.c \
	bindings/lib/console.c \
	bindings/lib/upcall.c \
	bindings/lib/spawn.c \
	bindings/lib/bootfs.c \
	bindings/lib/arch/$(ARCH)/upcall.S \
	bindings/lib/arch/$(ARCH)/cache.c

# Program entry: linked first into every program, outside the archive so
# nothing depends on the linker pulling _start out of it.
LIBEXO_CRT0 := $(BUILD)/user/bindings/lib/arch/$(ARCH)/crt0.o
DEPFILES += $(LIBEXO_CRT0:.o=.d)
