# aarch64: QEMU virt (GICv3), booted through the Linux arm64 Image protocol.

ARCH_SRCS += \
	exo/arch/aarch64/head.S \
	exo/arch/aarch64/vectors.S \
	exo/arch/aarch64/boot.c \
	exo/arch/aarch64/console.c \
	exo/arch/aarch64/cpu.c \
	exo/arch/aarch64/gic.c \
	exo/arch/aarch64/mmu.c \
	exo/arch/aarch64/timer.c \
	exo/arch/aarch64/trap.c \
	exo/arch/aarch64/uaccess.S \
	exo/arch/aarch64/fpsimd.S \
	exo/arch/aarch64/user.c \
	exo/lib/fdt.c

KTEST_SRCS += $(sort $(wildcard tests/kernel/arch/aarch64/*.c))

# -mgeneral-regs-only: the kernel never touches FP/SIMD, so traps need not
# save those registers (only fpsimd.S does, when envs switch).  No
# -mstrict-align: the only code that runs with the MMU off (when every
# data access is a Device access and must be aligned) is the assembly in
# head.S; all C runs with the MMU on, where Normal memory allows unaligned
# accesses.  The small code model's adrp reaches +-4 GiB, plenty for an
# image linked at KERNEL_VBASE.
KCFLAGS_ARCH := -mgeneral-regs-only -mcmodel=small
KERNEL_LDS := exo/arch/aarch64/kernel.ld

# QEMU boots a flat Image (the Linux arm64 protocol passes the DTB in x0).
KERNEL_IMAGE := $(BUILD)/exo.bin
KERNEL_TEST_IMAGE := $(BUILD)/exo-test.bin

$(BUILD)/%.bin: $(BUILD)/%.elf
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -O binary $< $@

iso:
	@echo "make iso: ISO images are x86_64 only; for aarch64 boot" \
		"$(KERNEL_IMAGE) directly (make run ARCH=aarch64)" >&2
	@false
