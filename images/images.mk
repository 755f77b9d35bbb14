# images/: bootable demo images.  Each images/<name>/ has a manifest and
# the programs it starts; the shared root env (images/root/) reads the
# manifest.  Each image is packed into $(BUILD)/images/<name>.cpio, the
# initrd the kernel boots with (IMAGE=<name> for make run; default
# posix-shell, the interactive busybox shell, from libos-posix/posix.mk).

IMAGES := demo measure
IMAGE ?= posix-shell
IMAGE_DIR = $(BUILD)/images/$(1)

# Programs of each image: images/<name>/<prog>.c plus its arch .S files.
IMAGE_PROGS_demo := ping pong
IMAGE_PROGS_measure := measure echo
IMAGE_SRCS_measure_measure := images/measure/measure.c \
	images/measure/arch/$(ARCH)/fault.S

$(call user_program,$(BUILD)/images/root,images/root/root.c)

define image_rules
$(foreach p,$(IMAGE_PROGS_$(1)),$(call user_program,$(call IMAGE_DIR,$(1))/$(p),$(or $(IMAGE_SRCS_$(1)_$(p)),images/$(1)/$(p).c)))
$(call IMAGE_DIR,$(1))/root: $(BUILD)/images/root
	@mkdir -p $$(dir $$@)
	$(Q)cp $$< $$@
$(call IMAGE_DIR,$(1))/manifest: images/$(1)/manifest
	@mkdir -p $$(dir $$@)
	$(Q)cp $$< $$@
$(eval $(call initrd_rule,$(BUILD)/images/$(1).cpio,$(call IMAGE_DIR,$(1)),root manifest $(IMAGE_PROGS_$(1))))
endef
$(foreach i,$(IMAGES),$(eval $(call image_rules,$(i))))

IMAGE_INITRDS := $(foreach i,$(IMAGES),$(BUILD)/images/$(i).cpio)

.PHONY: image-initrds
image-initrds: $(IMAGE_INITRDS)
