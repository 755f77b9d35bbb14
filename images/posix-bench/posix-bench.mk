# The posix-bench image: bench/linux/bench.c, the very static binary
# Linux runs as /init (bench/linux.mk), run unmodified as process 1 of
# libos-posix (images/posix-bench/root.c).  Included by
# libos-posix/posix.mk, whose libOS and launcher it uses; bench/run.sh
# boots it next to the Exo bench image and Linux.  Its archive is kept
# out of $(BUILD)/images/, whose every image `make test` boots: a full
# benchmark run takes minutes.

POSIX_BENCH_DIR := $(BUILD)/bench/posix-bench
POSIX_BENCH_INITRD := $(BUILD)/bench/posix-bench.cpio

$(call user_program,$(POSIX_BENCH_DIR)/root,images/posix-bench/root.c \
	libos-posix/launch.c libos-posix/pte.c)
$(call uobjs,images/posix-bench/root.c): UCFLAGS += -Ilibos-posix/include

# The Linux side's binary, not a copy built for Exo.
$(POSIX_BENCH_DIR)/init: build/bench/linux-$(ARCH)/bench
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(POSIX_BENCH_DIR)/libos-posix: $(POSIX_LIBOS)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

$(eval $(call initrd_rule,$(POSIX_BENCH_INITRD),$(POSIX_BENCH_DIR),\
	root libos-posix init))

.PHONY: posix-bench-image
posix-bench-image: $(POSIX_BENCH_INITRD)
