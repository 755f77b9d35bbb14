# The Linux side of the benchmarks: bench/linux/bench.c built as a static
# /init for a Linux initramfs, one per architecture.  bench/linux/linux.sh
# builds it through this fragment (make -f bench/linux.mk BIN) and boots it;
# the top-level Makefile may include it too.

# x86_64 links musl (Debian's musl-tools); aarch64 links glibc statically
# with Debian's cross toolchain.  bench.c uses nothing specific to either;
# its few arch-specific lines are in bench/linux/arch/<arch>/arch.h.
BENCH_LINUX_CC_x86_64 := musl-gcc
BENCH_LINUX_CC_aarch64 := aarch64-linux-gnu-gcc
BENCH_LINUX_CFLAGS := -std=gnu11 -O2 -static -Wall -Wextra -Werror
BENCH_LINUX_BINS := build/bench/linux-x86_64/bench \
	build/bench/linux-aarch64/bench

.PHONY: bench-linux-bins
bench-linux-bins: $(BENCH_LINUX_BINS)

build/bench/linux-%/bench: bench/linux/bench.c bench/linux/arch/%/arch.h \
		bench/linux.mk
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(BENCH_LINUX_CC_$*) $(BENCH_LINUX_CFLAGS) \
		-Ibench/linux/arch/$* -o $@ $<
