# x86_64: booted by QEMU through the PVH ELF note, or by GRUB (multiboot2).

ARCH_DIR := exo/arch/x86_64

ARCH_SRCS += \
	$(ARCH_DIR)/boot.S \
	$(ARCH_DIR)/vectors.S \
	$(ARCH_DIR)/start.c \
	$(ARCH_DIR)/bootparse.c \
	$(ARCH_DIR)/acpi.c \
	$(ARCH_DIR)/cpu.c \
	$(ARCH_DIR)/trap.c \
	$(ARCH_DIR)/console.c \
	$(ARCH_DIR)/paging.c \
	$(ARCH_DIR)/as.c \
	$(ARCH_DIR)/user.c \
	$(ARCH_DIR)/apic.c \
	$(ARCH_DIR)/clock.c \
	$(ARCH_DIR)/arch.c

KTEST_SRCS += $(sort $(wildcard tests/kernel/arch/x86_64/*.c))

# The kernel lives in the top 2 GiB; no red zone since traps use the
# interrupted stack; no FP/SIMD, so the registers hold the running env's
# and are saved only when the env changes.
KCFLAGS_ARCH := -m64 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-pie
KERNEL_LDS := $(ARCH_DIR)/kernel.ld

# QEMU loads the ELF itself, through its PVH note.
KERNEL_IMAGE := $(KERNEL_ELF)
KERNEL_TEST_IMAGE := $(KERNEL_TEST_ELF)

# --- GRUB ISO (BIOS and EFI), booting exo.elf with multiboot2 ---------------
KERNEL_ISO := $(BUILD)/exo.iso
ISO_ROOT := $(BUILD)/isoroot

iso: deps
	$(Q)$(MAKE) --no-print-directory $(KERNEL_ISO)

$(KERNEL_ISO): $(KERNEL_ELF) $(ARCH_DIR)/grub.cfg
	$(call msg,ISO,$@)
	@rm -rf $(ISO_ROOT)
	@mkdir -p $(ISO_ROOT)/boot/grub
	$(Q)cp $(KERNEL_ELF) $(ISO_ROOT)/boot/exo.elf
	$(Q)cp $(ARCH_DIR)/grub.cfg $(ISO_ROOT)/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(ISO_ROOT) >$(BUILD)/grub-mkrescue.log 2>&1 \
		|| { cat $(BUILD)/grub-mkrescue.log; exit 1; }
