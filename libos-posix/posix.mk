# libos-posix: the library OS that runs unmodified static Linux programs,
# and the posix-hello image that runs some (tests/posix/ and Debian's
# busybox-static) under `make test`.  Include after images/images.mk (it
# uses the user program and initrd rules of bindings/bindings.mk).
#
#   $(POSIX_LIBOS)         the library OS, started in every Linux env
#   $(POSIX_HELLO_INITRD)  the posix-hello image ($(BUILD)/images/)

POSIX_BUILD := $(BUILD)/posix
POSIX_LIBOS := $(POSIX_BUILD)/libos-posix.elf
POSIX_HELLO_DIR := $(BUILD)/images/posix-hello
POSIX_HELLO_INITRD := $(BUILD)/images/posix-hello.cpio

# Where the library OS is linked: above everything a Linux program uses
# (libos-posix/README.md has the map).
POSIX_LIBOS_BASE := 0x7f7000000000

POSIX_SRCS := $(addprefix libos-posix/,main.c pool.c proc.c fork.c vm.c \
	signal.c fs.c mem.c load.c syscall.c io.c fd.c pipe.c file.c ramfs.c dir.c procfs.c pte.c tty.c poll.c pgrp.c \
	wait.c shm.c futex.c arch/$(ARCH)/arch.c arch/$(ARCH)/signal.c \
	arch/$(ARCH)/direct.S)

# Linked far above 2 GiB, so position-independent code (x86_64's small
# code model cannot address it otherwise); general registers only, so an
# upcall never touches the program's FP/SIMD state.  libexo is built
# again the same way for it.
POSIX_CFLAGS = $(filter-out -fno-pic -fno-pie,$(UCFLAGS)) -fpie \
	-mgeneral-regs-only $(POSIX_CFLAGS_$(ARCH)) -Ilibos-posix \
	-Ilibos-posix/include -Ilibos-posix/arch/$(ARCH)
# The pool's atomics inline (there is no libgcc to call out to).
POSIX_CFLAGS_aarch64 := -mno-outline-atomics
POSIX_ASFLAGS = $(filter-out -fno-pic -fno-pie,$(UASFLAGS)) -fpie

POSIX_OBJS := $(patsubst %,$(POSIX_BUILD)/%.o,$(basename $(POSIX_SRCS)))
POSIX_LIBEXO_OBJS := $(patsubst %,$(POSIX_BUILD)/libexo/%.o,\
	$(basename $(LIBEXO_SRCS)))
POSIX_LIBEXO := $(POSIX_BUILD)/libexo.a

$(POSIX_BUILD)/%.o: %.c | $(GEN_HDRS)
	$(call msg,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(POSIX_CFLAGS) -c $< -o $@

$(POSIX_BUILD)/%.o: %.S | $(GEN_HDRS)
	$(call msg,UAS,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(POSIX_ASFLAGS) -Ilibos-posix -c $< -o $@

$(POSIX_BUILD)/libexo/%.o: %.S | $(GEN_HDRS)
	$(call msg,UAS,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(POSIX_ASFLAGS) -c $< -o $@

$(POSIX_BUILD)/libexo/%.o: %.c | $(GEN_HDRS)
	$(call msg,UCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(POSIX_CFLAGS) -c $< -o $@

$(POSIX_LIBEXO): $(POSIX_LIBEXO_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(CROSS)ar rcs $@ $^

# x86_64: GNU ld would turn GOT loads into 32-bit immediates, which
# cannot hold addresses this high; --no-relax keeps them loads.
POSIX_LDFLAGS_x86_64 := --no-relax

$(POSIX_LIBOS): $(LIBEXO_CRT0) $(POSIX_OBJS) $(POSIX_LIBEXO)
	$(call msg,ULD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(LD) $(ULDFLAGS) $(POSIX_LDFLAGS_$(ARCH)) \
		-Ttext-segment=$(POSIX_LIBOS_BASE) -o $@ \
		$(LIBEXO_CRT0) $(POSIX_OBJS) $(POSIX_LIBEXO)

$(POSIX_OBJS) $(POSIX_LIBEXO_OBJS): libos-posix/posix.mk \
	bindings/bindings.mk mk/toolchain.mk
DEPFILES += $(POSIX_OBJS:.o=.d) $(POSIX_LIBEXO_OBJS:.o=.d)

# --- the posix-hello image ------------------------------------------------------
# Its root env (images/posix-hello/root.c) launches each program with
# libos-posix/launch.c.
$(call user_program,$(POSIX_HELLO_DIR)/root,images/posix-hello/root.c \
	libos-posix/launch.c libos-posix/pte.c)
$(call uobjs,images/posix-hello/root.c libos-posix/launch.c \
	libos-posix/pte.c): UCFLAGS += -Ilibos-posix/include

# Linux test programs: musl on x86_64, glibc on aarch64 (Debian has no
# musl cross compiler); the PIE one with glibc's static-pie on both.
ifeq ($(ARCH),x86_64)
POSIX_TEST_CC := musl-gcc -static
POSIX_PIE_CC := gcc -static-pie
else
POSIX_TEST_CC := aarch64-linux-gnu-gcc -static
POSIX_PIE_CC := aarch64-linux-gnu-gcc -static-pie
endif
POSIX_TEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror
POSIX_TESTS := hello args mem tls status segv errors fork forkloop orphan \
	fds pipe files pgrp poll signal mmap direct shm times links dirs procfs

$(addprefix $(POSIX_HELLO_DIR)/,$(POSIX_TESTS)): $(POSIX_HELLO_DIR)/%: \
		tests/posix/%.c tests/posix/check.h libos-posix/posix.mk
	$(call msg,LINUXCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(POSIX_TEST_CC) $(POSIX_TEST_CFLAGS) -o $@ $<

# direct calls the libOS through its public header and reads the env's
# info page.
$(POSIX_HELLO_DIR)/direct: POSIX_TEST_CFLAGS += -Ilibos-posix/include \
	-Ibindings/include -Ibindings/arch/$(ARCH)/include
$(POSIX_HELLO_DIR)/direct: libos-posix/include/posix/direct.h

$(POSIX_HELLO_DIR)/pie: tests/posix/pie.c libos-posix/posix.mk
	$(call msg,LINUXCC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(POSIX_PIE_CC) $(POSIX_TEST_CFLAGS) -o $@ $<

# Debian's busybox-static for $(ARCH), fetched once per build folder.
$(POSIX_BUILD)/busybox: images/posix-hello/get-busybox.sh
	$(call msg,FETCH,$@)
	$(Q)sh images/posix-hello/get-busybox.sh $(ARCH) $@

$(POSIX_HELLO_DIR)/busybox: $(POSIX_BUILD)/busybox
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(POSIX_HELLO_DIR)/libos-posix: $(POSIX_LIBOS)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

POSIX_HELLO_FILES := root libos-posix busybox pie $(POSIX_TESTS)
$(eval $(call initrd_rule,$(POSIX_HELLO_INITRD),$(POSIX_HELLO_DIR),\
	$(POSIX_HELLO_FILES)))

# `make test` boots every image in $(BUILD)/images/.
image-initrds: $(POSIX_HELLO_INITRD)
include images/posix-shell/posix-shell.mk
include images/posix-bench/posix-bench.mk
