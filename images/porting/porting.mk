# images/porting/: the image docs/PORTING.md builds, step by step.  Its
# code lives only in the document: tests/porting/extract.sh copies the
# marked blocks into $(PORTING_DIR), they are linked into `root` and
# `echo` (crt0.o and lib.o each, plus libexo) and packed into
# $(PORTING_INITRD).  tests/run.sh boots every build/<arch>/images/*.cpio
# as <arch>/image/<name>, so `make test` runs the tutorial, and
# $(PORTING_EXPECT) (the document's `expect` block) lists the lines the
# boot must print (tests/porting/check.sh).  Include after
# bindings/bindings.mk and images/images.mk.

PORTING_DIR := $(BUILD)/porting
PORTING_INITRD := $(BUILD)/images/porting.cpio
PORTING_EXPECT := $(BUILD)/images/porting.expect
PORTING_FILES := $(addprefix $(PORTING_DIR)/,crt0.S lib.h lib.c root.c \
	echo.c expected.txt)
PORTING_LIB := $(call uobjs,$(PORTING_DIR)/crt0.S $(PORTING_DIR)/lib.c)

$(PORTING_FILES) &: docs/PORTING.md tests/porting/extract.sh
	$(call msg,EXTRACT,$(PORTING_DIR))
	$(Q)sh tests/porting/extract.sh docs/PORTING.md $(PORTING_DIR) $(ARCH)
	$(Q)for f in $(PORTING_FILES); do [ -s $$f ] || \
		{ echo "docs/PORTING.md defines no $$f" >&2; exit 1; }; done

# The objects see the extracted lib.h, and are rebuilt with the text.
$(call uobjs,$(addprefix $(PORTING_DIR)/,lib.c root.c echo.c crt0.S)): \
	$(PORTING_FILES) images/porting/porting.mk

define porting_prog
$(PORTING_DIR)/image/$(1): $(PORTING_LIB) $(call uobjs,$(PORTING_DIR)/$(1).c) \
		$(LIBEXO)
	$$(call msg,ULD,$$@)
	@mkdir -p $$(dir $$@)
	$(Q)$$(LD) $$(ULDFLAGS) -o $$@ $$^
endef
$(eval $(call porting_prog,root))
$(eval $(call porting_prog,echo))
$(eval $(call initrd_rule,$(PORTING_INITRD),$(PORTING_DIR)/image,root echo))

$(PORTING_EXPECT): $(PORTING_FILES)
	$(Q)cp $(PORTING_DIR)/expected.txt $@

.PHONY: porting
porting: $(PORTING_INITRD) $(PORTING_EXPECT)
image-initrds: $(PORTING_INITRD) $(PORTING_EXPECT)
