# The posix-shell image: an interactive busybox shell on the serial
# console (images/posix-shell/root.c).  Included by libos-posix/posix.mk,
# whose libOS, launcher and busybox it uses.  `make run IMAGE=posix-shell`
# boots it; tests/shell/run.sh drives it under `make test`.  It is not in
# image-initrds: the image runner boots images without input, and a
# shell waits for its input forever.

POSIX_SHELL_DIR := $(BUILD)/images/posix-shell
POSIX_SHELL_INITRD := $(BUILD)/images/posix-shell.cpio

$(call user_program,$(POSIX_SHELL_DIR)/root,images/posix-shell/root.c \
	libos-posix/launch.c libos-posix/pte.c)
$(call uobjs,images/posix-shell/root.c): UCFLAGS += -Ilibos-posix/include

$(POSIX_SHELL_DIR)/busybox: $(POSIX_BUILD)/busybox
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(POSIX_SHELL_DIR)/libos-posix: $(POSIX_LIBOS)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(POSIX_SHELL_DIR)/motd $(POSIX_SHELL_DIR)/passwd $(POSIX_SHELL_DIR)/group: \
		$(POSIX_SHELL_DIR)/%: \
		images/posix-shell/%
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(eval $(call initrd_rule,$(POSIX_SHELL_INITRD),$(POSIX_SHELL_DIR),\
	root libos-posix busybox motd passwd group))

.PHONY: posix-shell-initrd
posix-shell-initrd: $(POSIX_SHELL_INITRD)
