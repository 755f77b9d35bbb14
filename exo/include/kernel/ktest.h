/*
 * In-kernel test cases, linked only into the test kernel (exo-test.elf).
 *
 * The test kernel reads "test=NAME" from its command line, runs that case
 * and prints exactly one line, "PASS NAME" or "FAIL NAME: why", then
 * "EXO-TEST-END" and halts.  "test=list" prints "CASE NAME [panics]
 * [icount]" for every case; "test=all" runs them all in one boot.  A case declared with
 * KTEST_PANICS is expected to end in a kernel panic: tests/run.sh counts it
 * as passed only if the machine stops with the panic status, which is how
 * the runner proves that a panic is reported as a failure and never hangs.
 */
#ifndef EXO_KERNEL_KTEST_H
#define EXO_KERNEL_KTEST_H

#include <kernel/compiler.h>

struct ktest {
	const char *name;
	void (*fn)(void);
	unsigned flags;
};

#define KTEST_F_PANICS 1u
#define KTEST_F_ICOUNT 2u /* needs the deterministic clock (timing tests) */

#define KTEST_DEFINE(tname, tflags)                                            \
	static void ktest_fn_##tname(void);                                    \
	static const struct ktest ktest_desc_##tname __section(".ktest")       \
		__attribute__((used, aligned(8))) = {                          \
			.name = #tname,                                        \
			.fn = ktest_fn_##tname,                                \
			.flags = (tflags),                                     \
		};                                                             \
	static void ktest_fn_##tname(void)

#define KTEST(tname) KTEST_DEFINE(tname, 0)
#define KTEST_PANICS(tname) KTEST_DEFINE(tname, KTEST_F_PANICS)
/* A case that measures time against the timer: tests/run.sh boots it in
 * QEMU's icount mode, where a loaded host cannot make the emulated timer
 * drop interrupts. */
#define KTEST_ICOUNT(tname) KTEST_DEFINE(tname, KTEST_F_ICOUNT)

/* Record a failure of the running case (the first one wins). */
void ktest_fail(const char *file, int line, const char *fmt, ...)
	__printf(3, 4);
/* Whether the running case has failed so far. */
bool ktest_failed(void);

#define KT_ASSERT(cond)                                                        \
	do {                                                                   \
		if (unlikely(!(cond))) {                                       \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);           \
			return;                                                \
		}                                                              \
	} while (0)

#define KT_ASSERT_EQ(a, b)                                                     \
	do {                                                                   \
		long long ka_ = (long long)(a), kb_ = (long long)(b);          \
		if (unlikely(ka_ != kb_)) {                                    \
			ktest_fail(__FILE__, __LINE__,                         \
				   "%s == %s (%lld != %lld)", #a, #b, ka_,     \
				   kb_);                                       \
			return;                                                \
		}                                                              \
	} while (0)

/* Entry from kmain(): runs the case named on the command line, never
 * returns if one was named.  Weak no-op in the production kernel. */
void ktest_boot(const char *cmdline);

#endif
