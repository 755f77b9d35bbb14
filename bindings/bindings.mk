# bindings/: the generated system call headers and libexo, the static
# library every library OS (and user test program) links.

GEN := build/gen/include
GEN_HDRS := $(GEN)/exo/syscall_nr.h $(GEN)/exo/syscall_stubs.h \
	$(GEN)/kernel/syscall_gen.h

$(GEN)/exo/syscall_nr.h $(GEN)/exo/syscall_stubs.h $(GEN)/kernel/syscall_gen.h: \
		bindings/syscalls.tbl bindings/gen-syscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(dir $@)
	$(Q){ echo "/* Generated from bindings/syscalls.tbl; do not edit. */"; \
	  awk -v out=$(patsubst syscall_%.h,%,$(patsubst syscall_gen.h,syscall_kernel.h,$(notdir $@))) \
	    -f bindings/gen-syscalls.awk bindings/syscalls.tbl; } > $@.tmp
	$(Q)mv $@.tmp $@

# Everything compiled for the kernel or user space sees the generated
# headers first.
$(KERNEL_OBJS) $(KTEST_OBJS): | $(GEN_HDRS)

# --- libexo ---------------------------------------------------------------------
# User code: freestanding, no libc, the compiler's own headers only.  FP/SIMD
# is allowed (the kernel switches it between envs).
UCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wstrict-prototypes -Wmissing-prototypes -Wshadow \
	-ffreestanding -fno-builtin -fno-stack-protector -fno-pic -fno-pie \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-common \
	-nostdinc -isystem $(KCC_INCLUDE) -DEXO_ARCH='"$(ARCH)"' \
	-Ibindings/include -Ibindings/arch/$(ARCH)/include -I$(GEN) -MMD -MP
UASFLAGS := $(filter-out -std=gnu11 -Wstrict-prototypes \
	-Wmissing-prototypes,$(UCFLAGS)) -D__ASSEMBLY__
ULDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 \
	--no-warn-rwx-segments

# bindings/lib/lib.mk lists libexo's sources in LIBEXO_SRCS.
include bindings/lib/lib.mk
LIBEXO := $(BUILD)/libexo.a
LIBEXO_OBJS = $(patsubst %,$(BUILD)/user/%.o,$(basename $(LIBEXO_SRCS)))

$(BUILD)/user/%.o: %.c | $(GEN_HDRS)
	$(call msg,UCC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/user/%.o: %.S | $(GEN_HDRS)
	$(call msg,UAS,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UASFLAGS) -c $< -o $@

$(LIBEXO): $(LIBEXO_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(CROSS)ar rcs $@ $^

$(LIBEXO_OBJS): bindings/bindings.mk mk/toolchain.mk
DEPFILES += $(LIBEXO_OBJS:.o=.d)

# --- user programs ----------------------------------------------------------
# $(call user_program,OUT,SRCS[,LIBS[,CFLAGS]]): link the program OUT (a
# path under $(BUILD)) from SRCS (.c/.S) with crt0, the static libraries
# LIBS (a library OS) and libexo; SRCS get CFLAGS on top of UCFLAGS.
uobjs = $(patsubst %,$(BUILD)/user/%.o,$(basename $(1)))

define user_program_rule
$(1): $$(LIBEXO_CRT0) $$(call uobjs,$(2)) $(3) $$(LIBEXO)
	$$(call msg,ULD,$$@)
	@mkdir -p $$(dir $$@)
	$(Q)$$(LD) $$(ULDFLAGS) -o $$@ $$(LIBEXO_CRT0) $$(call uobjs,$(2)) \
		$(3) $$(LIBEXO)
$$(call uobjs,$(2)): UCFLAGS += $(4)
$$(call uobjs,$(2)): bindings/bindings.mk mk/toolchain.mk
DEPFILES += $$(patsubst %.o,%.d,$$(call uobjs,$(2)))
endef
user_program = $(eval $(call user_program_rule,$(1),$(2),$(3),$(4)))

# $(call initrd_rule,ARCHIVE,DIR,FILES): a cpio (newc) archive of FILES
# (names relative to DIR, no directories), as the kernel reads it.
define initrd_rule
$(1): $(addprefix $(2)/,$(3))
	$$(call msg,CPIO,$$@)
	$(Q)cd $(2) && printf '%s\n' $(3) | \
		cpio -o -H newc --quiet --reproducible > $$(abspath $$@).tmp
	$(Q)mv $$@.tmp $$@
endef
