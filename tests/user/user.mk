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

$(foreach p,$(USER_PROGS),\
	$(call user_program,$(USER_TEST_DIR)/$(p),$(USER_SRCS_$(p))))
# newc, names without a directory: the kernel starts the file `root`.
$(eval $(call initrd_rule,$(USER_TEST_INITRD),$(USER_TEST_DIR),$(USER_PROGS)))

.PHONY: test-initrd
test-initrd: $(USER_TEST_INITRD)
