# libos-native: $(LIBNATIVE) (build/<arch>/libnative.a), the thinnest
# library OS, and $(call native_program,OUT,SRCS) to link a program with
# it.  Include after bindings/bindings.mk (it needs uobjs, UCFLAGS,
# LIBEXO and LIBEXO_CRT0).  `make libnative` builds the library for
# $(ARCH).

NATIVE_SRCS := \
	libos-native/init.c \
	libos-native/page.c \
	libos-native/malloc.c \
	libos-native/vm.c \
	libos-native/thread.c \
	libos-native/chan.c \
	libos-native/arch/$(ARCH)/ctx.c \
	libos-native/arch/$(ARCH)/switch.S

LIBNATIVE := $(BUILD)/libnative.a
NATIVE_OBJS := $(call uobjs,$(NATIVE_SRCS))
# What a program that uses the library compiles with.
NATIVE_CFLAGS := -Ilibos-native/include

$(NATIVE_OBJS): UCFLAGS += $(NATIVE_CFLAGS) -Ilibos-native
$(NATIVE_OBJS): UASFLAGS += $(NATIVE_CFLAGS) -Ilibos-native
$(NATIVE_OBJS): libos-native/native.mk bindings/bindings.mk mk/toolchain.mk
DEPFILES += $(NATIVE_OBJS:.o=.d)

$(LIBNATIVE): $(NATIVE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(CROSS)ar rcs $@ $^

.PHONY: libnative
libnative: $(LIBNATIVE)

# $(call native_program,OUT,SRCS): link the program OUT from SRCS
# (.c/.S) with crt0, libnative and libexo.
native_program = $(call user_program,$(1),$(2),$(LIBNATIVE),$(NATIVE_CFLAGS))
