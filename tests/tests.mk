# Tests: in-kernel cases linked into exo-test.elf, host unit tests, and the
# runner (tests/run.sh) that `make test` calls.

# Portable in-kernel cases; arch fragments add theirs to KTEST_SRCS.
KTEST_SRCS += exo/ktest.c $(sort $(wildcard tests/kernel/*.c))

# --- host unit tests (Check, under ASan and UBSan) --------------------------
# Each tests/unit/<name>.mk adds `UNIT_SUITES += <name>` and
# `UNIT_SRCS_<name> := <test file> <kernel sources under test>`; the test
# file defines `Suite *<name>_suite(void)`.  Check runs every case in its
# own process, so one crashing case is reported and the others still run.
HOST_BUILD := build/host
UNIT_CFLAGS = -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D__EXO_KERNEL__ -DEXO_ARCH='"host"' \
	-DEXO_HOST_PHYSMEM \
	-Iexo/include -Ibindings/include -MMD -MP \
	$(shell pkg-config --cflags check 2>/dev/null)
UNIT_LIBS = $(shell pkg-config --libs check 2>/dev/null)

include $(sort $(wildcard tests/unit/*.mk))

define unit_rule
$(HOST_BUILD)/unit/$(1): $(UNIT_SRCS_$(1)) tests/unit/main.c
	$$(call msg,HOSTCC,$$@)
	@mkdir -p $$(dir $$@)
	$(Q)$$(HOSTCC) $$(UNIT_CFLAGS) -DUNIT_SUITE=$(1)_suite -o $$@ \
		$$^ $$(UNIT_LIBS)
DEPFILES += $(HOST_BUILD)/unit/$(1).d
endef
$(foreach s,$(UNIT_SUITES),$(eval $(call unit_rule,$(s))))

UNIT_BINS := $(addprefix $(HOST_BUILD)/unit/,$(UNIT_SUITES))

.PHONY: unit-build test-build
unit-build: $(UNIT_BINS)

# `make unit`: just the host unit tests.
unit: deps unit-build
	$(Q)bash tests/run.sh --only-unit

# `make test [T=pattern]`: everything, on both arches.  The runner prints
# one PASS/FAIL line per case and ends with "N passed, N failed".
test-build: unit-build
	$(Q)for a in $(ARCHES); do \
		$(MAKE) --no-print-directory ARCH=$$a kernel-images \
			test-initrd native-test-initrd image-initrds \
			posix-shell-initrd || exit 1; \
	done
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 iso

test: deps
	$(Q)$(MAKE) --no-print-directory test-build
	$(Q)bash tests/run.sh $(if $(T),--filter '$(T)')
