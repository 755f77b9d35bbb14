# The Exo side of the benchmarks: the bench image, $(BUILD)/images/bench.cpio.
# Its root env is the benchmark driver (images/bench/bench.c), not the
# manifest-driven images/root: the driver needs the bootfs (to start its
# peers), the command line (trials=, scale=) and the machine capability,
# and its first instruction is what boot_to_user times.  bench/run.sh boots
# it next to Linux; `make bench` runs bench/run.sh.
#
# Include after images/images.mk (user programs, initrd_rule) and after
# libos-native/native.mk (LIBNATIVE, NATIVE_CFLAGS): the driver and the
# peer link libos-native.
ifeq ($(LIBNATIVE),)
$(error bench/exo.mk: include libos-native/native.mk before it)
endif

BENCH_IMAGE := $(BUILD)/images/bench.cpio
BENCH_IMAGE_DIR := $(BUILD)/images/bench
BENCH_PROGS := root peer nop

BENCH_SRCS_root := images/bench/bench.c images/bench/kernel_ops.c \
	images/bench/native_ops.c images/bench/arch/$(ARCH)/fault.S
BENCH_SRCS_peer := images/bench/peer.c images/bench/peer_ring.c
BENCH_SRCS_nop := images/bench/nop.c
BENCH_CFLAGS := -Iimages/bench/arch/$(ARCH) $(NATIVE_CFLAGS)

$(foreach p,$(BENCH_PROGS),$(call user_program,$(BENCH_IMAGE_DIR)/$(p),\
	$(BENCH_SRCS_$(p)),$(LIBNATIVE),$(BENCH_CFLAGS)))
$(eval $(call initrd_rule,$(BENCH_IMAGE),$(BENCH_IMAGE_DIR),$(BENCH_PROGS)))

# make test boots every image, this one included (a smoke test of the
# benchmark programs; the figures come from make bench).
image-initrds: $(BENCH_IMAGE)

.PHONY: bench bench-image
bench-image: $(BENCH_IMAGE)

# Both arches, deterministic mode: BENCH_FLAGS="--wall --trials 9" for
# wall-clock TCG; BENCH_ARCHES=aarch64 for one arch.
BENCH_ARCHES ?= $(ARCHES)
bench: deps
	$(Q)for a in $(BENCH_ARCHES); do \
		sh bench/run.sh $$a $(BENCH_FLAGS) || exit 1; done
