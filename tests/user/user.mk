# tests/user/: the user-mode test suite.  The test root env (`root`: the
# runner in root.c, the cases in t_*.c and arch/$(ARCH)/) and the helper
# programs it spawns are linked against libexo and packed into
# $(USER_TEST_INITRD), a cpio archive the production kernel boots with
# "test=NAME" (see tests/user/utest.h for the protocol).
#
# Include after bindings/bindings.mk (it needs LIBEXO, LIBEXO_CRT0,
# ULDFLAGS and the user object rules).  `make test-initrd` builds the
# archive for $(ARCH).

USER_TEST_DIR := $(BUILD)/user-tests
USER_TEST_INITRD := $(BUILD)/test-initrd.cpio
USER_PROGS := root child peer victim hostile fuzz

USER_SRCS_root := tests/user/root.c tests/user/ut.c tests/user/prog.c \
	$(sort $(wildcard tests/user/t_*.c)) \
	$(sort $(wildcard tests/user/arch/$(ARCH)/*.c \
		tests/user/arch/$(ARCH)/*.S))
USER_SRCS_child := tests/user/child.c
USER_SRCS_peer := tests/user/peer.c
USER_SRCS_victim := tests/user/victim.c
USER_SRCS_fuzz := tests/user/fuzz.c
# The hostile program's arch part is in a subfolder, apart from the root's.
USER_SRCS_hostile := tests/user/hostile.c \
	$(sort $(wildcard tests/user/arch/$(ARCH)/hostile/*.c))

uobjs = $(patsubst %,$(BUILD)/user/%.o,$(basename $(1)))

define user_prog_rule
USER_OBJS_$(1) := $$(call uobjs,$$(USER_SRCS_$(1)))
$(USER_TEST_DIR)/$(1): $$(LIBEXO_CRT0) $$(USER_OBJS_$(1)) $$(LIBEXO)
	$$(call msg,ULD,$$@)
	@mkdir -p $$(dir $$@)
	$(Q)$$(LD) $$(ULDFLAGS) -o $$@ $$(LIBEXO_CRT0) $$(USER_OBJS_$(1)) \
		$$(LIBEXO)
$$(USER_OBJS_$(1)): tests/user/user.mk bindings/bindings.mk mk/toolchain.mk
DEPFILES += $$(USER_OBJS_$(1):.o=.d)
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_prog_rule,$(p))))

# newc, names without a directory: the kernel starts the file `root`.
$(USER_TEST_INITRD): $(addprefix $(USER_TEST_DIR)/,$(USER_PROGS))
	$(call msg,CPIO,$@)
	$(Q)cd $(USER_TEST_DIR) && printf '%s\n' $(USER_PROGS) | \
		cpio -o -H newc --quiet --reproducible > $(abspath $@).tmp
	$(Q)mv $@.tmp $@

.PHONY: test-initrd
test-initrd: $(USER_TEST_INITRD)
