# Compilers and flags for the kernel, per architecture.

HOSTCC ?= gcc

ifeq ($(ARCH),x86_64)
CROSS ?=
else
CROSS ?= aarch64-linux-gnu-
endif
CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy

# The compiler's own header folder; empty (and silent) before `make deps`.
KCC_INCLUDE := $(shell $(CC) -print-file-name=include 2>/dev/null)

# Freestanding: only the compiler's own headers (stdint.h, stdarg.h, ...).
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wstrict-prototypes -Wmissing-prototypes -Wshadow \
	-ffreestanding -fno-builtin -fno-stack-protector -fno-pic \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-common -nostdinc -isystem $(KCC_INCLUDE) \
	-D__EXO_KERNEL__ -DEXO_ARCH='"$(ARCH)"' \
	-DEXO_VERSION='"$(VERSION)-$(GITREV)"' \
	-Iexo/include -Iexo/arch/$(ARCH)/include -Ibindings/include \
	-Ibindings/arch/$(ARCH)/include -Ibuild/gen/include \
	-MMD -MP
KASFLAGS := $(filter-out -std=gnu11 -Wstrict-prototypes \
	-Wmissing-prototypes,$(KCFLAGS)) -D__ASSEMBLY__
KLDFLAGS := -nostdlib -z max-page-size=4096 --no-warn-rwx-segments

# Arch fragments add KCFLAGS_ARCH and KERNEL_LDS.
$(BUILD)/%.o: %.c
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) $(KCFLAGS_ARCH) -c $< -o $@

$(BUILD)/%.o: %.S
	$(call msg,AS,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KASFLAGS) $(KCFLAGS_ARCH) -c $< -o $@
