# tests/native/: libos-native's own cases.  The test root env is the
# user-mode suite's runner (tests/user/root.c, the utest.h protocol) with
# the cases in tests/native/t_*.c; `peer` is the other env of the channel
# cases.  Both are linked with libnative and packed into
# $(NATIVE_TEST_INITRD), which the production kernel boots with
# "test=NAME" like test-initrd.cpio.  Include after libos-native/native.mk.

NATIVE_TEST_DIR := $(BUILD)/native-tests
NATIVE_TEST_INITRD := $(BUILD)/native-test-initrd.cpio

$(call native_program,$(NATIVE_TEST_DIR)/root,tests/user/root.c \
	$(sort $(wildcard tests/native/t_*.c)))
$(call native_program,$(NATIVE_TEST_DIR)/peer,tests/native/peer.c)
$(eval $(call initrd_rule,$(NATIVE_TEST_INITRD),$(NATIVE_TEST_DIR),root peer))

.PHONY: native-test-initrd
native-test-initrd: $(NATIVE_TEST_INITRD)
