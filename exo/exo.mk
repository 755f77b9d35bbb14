# The kernel: portable sources here, arch sources from exo/arch/$(ARCH)/arch.mk.

KERNEL_SRCS := \
	exo/main.c \
	exo/boot.c \
	exo/cap.c \
	exo/env.c \
	exo/event.c \
	exo/ipc.c \
	exo/irq.c \
	exo/pm.c \
	exo/printk.c \
	exo/revoke.c \
	exo/root.c \
	exo/sched.c \
	exo/syscall.c \
	exo/sys_mem.c \
	exo/timer.c \
	exo/trap.c \
	exo/upcall.c \
	exo/vm.c \
	exo/wake.c \
	bindings/lib/cpio.c \
	bindings/lib/elf.c \
	exo/lib/cmdline.c \
	bindings/lib/fmt.c \
	bindings/lib/string.c

# The arch fragment sets ARCH_SRCS, KERNEL_LDS, and the images QEMU boots
# (KERNEL_IMAGE, KERNEL_TEST_IMAGE; the ELF itself where QEMU can load it).
# KERNEL_ELF and KERNEL_TEST_ELF are named in the top-level Makefile.

objs = $(patsubst %,$(BUILD)/%.o,$(basename $(1)))
KERNEL_OBJS = $(call objs,$(KERNEL_SRCS) $(ARCH_SRCS))
KTEST_OBJS = $(call objs,$(KTEST_SRCS))

$(KERNEL_ELF): $(KERNEL_OBJS) $(KERNEL_LDS)
	$(call msg,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -T $(KERNEL_LDS) -o $@ $(KERNEL_OBJS)

$(KERNEL_TEST_ELF): $(KERNEL_OBJS) $(KTEST_OBJS) $(KERNEL_LDS)
	$(call msg,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -T $(KERNEL_LDS) -o $@ $(KERNEL_OBJS) $(KTEST_OBJS)

kernel-images: $(KERNEL_IMAGE) $(KERNEL_TEST_IMAGE)

DEPFILES += $(patsubst %.o,%.d,$(KERNEL_OBJS) $(KTEST_OBJS))

# For mk/compdb.sh: "file|command" per kernel and libexo source of this
# arch, and per host unit-test source.
.PHONY: print-compile-commands
print-compile-commands:
	@$(foreach f,$(filter %.c,$(KERNEL_SRCS) $(ARCH_SRCS) $(KTEST_SRCS)),\
		echo '$(f)|$(CC) $(KCFLAGS) $(KCFLAGS_ARCH) -c $(f)';)
	@$(foreach f,$(filter %.c,$(LIBEXO_SRCS)),\
		echo '$(f)|$(CC) $(UCFLAGS) -c $(f)';)
	@$(foreach s,$(UNIT_SUITES),$(foreach f,$(filter %.c,$(UNIT_SRCS_$(s))),\
		echo '$(f)|$(HOSTCC) $(UNIT_CFLAGS) -c $(f)';))

# A change of flags rebuilds everything compiled with them.
$(KERNEL_OBJS) $(KTEST_OBJS): mk/toolchain.mk exo/arch/$(ARCH)/arch.mk
