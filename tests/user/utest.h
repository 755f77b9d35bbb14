/*
 * The user-mode test framework, run by the test root env (root.c).  It
 * speaks the kernel's ktest protocol (exo/include/kernel/ktest.h) on the
 * console: "test=NAME" on the kernel command line runs one case, which
 * prints "PASS NAME" or "FAIL NAME: why", then "EXO-TEST-END", and the
 * machine halts with status 0 or 1; "test=list" prints "CASE NAME" per
 * case; "test=all" runs every case in one boot.
 *
 * UTEST(name) { ... } defines a case.  Assertions record the first
 * failure and return from the case, so a case that cannot run because a
 * call fails reports that call and its error, never a pass.
 */
#ifndef UTEST_H
#define UTEST_H

#include <exo/libexo.h>

struct utest {
	const char *name;
	void (*fn)(void);
};

/* Cases live in the "utest_cases" section; the linker provides its
 * bounds as __start_utest_cases and __stop_utest_cases. */
#define UTEST(tname)                                                           \
	static void utest_fn_##tname(void);                                    \
	static const struct utest utest_desc_##tname                           \
		__attribute__((section("utest_cases"), used, aligned(8))) = {  \
			.name = #tname,                                        \
			.fn = utest_fn_##tname,                                \
		};                                                             \
	static void utest_fn_##tname(void)

/* Record a failure of the running case (the first one wins). */
void utest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* End the running case now, as failed, and stop the machine: for an
 * upcall that cannot be resumed. */
__attribute__((noreturn)) void utest_abort(void);

#define UT_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!(cond)) {                                                 \
			utest_fail(__FILE__, __LINE__, "%s", #cond);           \
			return;                                                \
		}                                                              \
	} while (0)

#define UT_ASSERT_EQ(a, b)                                                     \
	do {                                                                   \
		long long ua_ = (long long)(a), ub_ = (long long)(b);          \
		if (ua_ != ub_) {                                              \
			utest_fail(__FILE__, __LINE__,                         \
				   "%s == %s (%#llx != %#llx)", #a, #b,        \
				   (unsigned long long)ua_,                    \
				   (unsigned long long)ub_);                   \
			return;                                                \
		}                                                              \
	} while (0)

/* call must fail with -err (err: EXO_EINVAL etc.). */
#define UT_ASSERT_ERR(call, err)                                               \
	do {                                                                   \
		long ur_ = (long)(call);                                       \
		if (ur_ != -(long)(err)) {                                     \
			utest_fail(__FILE__, __LINE__,                         \
				   "%s = %ld (%s), want %s", #call, ur_,       \
				   ur_ < 0 ? exo_strerror(ur_) : "success",    \
				   exo_strerror(err));                         \
			return;                                                \
		}                                                              \
	} while (0)

/* call must fail, with whatever error: for security properties, where
 * refusing is what matters, not which refusal. */
#define UT_ASSERT_FAILS(call)                                                  \
	do {                                                                   \
		long uf_ = (long)(call);                                       \
		if (uf_ >= 0) {                                                \
			utest_fail(__FILE__, __LINE__,                         \
				   "%s = %ld: succeeded, must be refused",     \
				   #call, uf_);                                \
			return;                                                \
		}                                                              \
	} while (0)

/* call must succeed (>= 0); the expression's value is its result. */
#define UT_OK(call)                                                            \
	({                                                                     \
		long uo_ = (long)(call);                                       \
		if (uo_ < 0) {                                                 \
			utest_fail(__FILE__, __LINE__, "%s failed: %s", #call, \
				   exo_strerror(uo_));                         \
			return;                                                \
		}                                                              \
		uo_;                                                           \
	})

#endif
