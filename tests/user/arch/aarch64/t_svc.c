/*
 * aarch64: an Exo call preserves every register but x0 (and the flags,
 * sp, tpidr_el0 and FP/SIMD) on the fast path, on the fast path after a
 * user copy faulted inside it, and on the full path it falls back to.
 */
#include "../../ut.h"
#include <exo/syscall_nr.h>

#define NZCV_NC 0xa0000000ull

void ut_regs_svc(uint64_t nr, uint64_t a0, uint64_t a1);

static int
check(uint64_t nr, uint64_t a1, uint64_t want_x0)
{
	for (unsigned n = 1; n <= 30; n++) {
		uint64_t want = n == 8	 ? nr
				: n == 1 ? a1
					 : (uint64_t)UT_PATTERN(n);
		if (ut_regs_out[n] != want) {
			utest_fail(__FILE__, __LINE__,
				   "nr %lu: x%u = %#lx, want %#lx",
				   (unsigned long)nr, n,
				   (unsigned long)ut_regs_out[n],
				   (unsigned long)want);
			return 0;
		}
	}
	if (ut_regs_out[0] != want_x0) {
		utest_fail(__FILE__, __LINE__, "x0 %#lx want %#lx",
			   (unsigned long)ut_regs_out[0],
			   (unsigned long)want_x0);
		return 0;
	}
	if (ut_regs_out[31] != ut_regs_out[35] ||
	    (ut_regs_out[32] & 0xf0000000ull) != NZCV_NC ||
	    ut_regs_out[33] != UT_PATTERN(33) ||
	    ut_regs_out[34] != UT_PATTERN(34) ||
	    ut_regs_out[36] != UT_PATTERN(36)) {
		utest_fail(__FILE__, __LINE__, "sp/nzcv/d/tpidr nr %lu",
			   (unsigned long)nr);
		return 0;
	}
	return 1;
}

UTEST(svc_regs_fast)
{
	long self = exo_env_self();

	ut_regs_svc(EXO_SYS_ENV_SELF, 0, 77);
	if (!check(EXO_SYS_ENV_SELF, 77, (uint64_t)self))
		return;
	/* A user copy that faults inside the fast path. */
	ut_regs_svc(EXO_SYS_ENV_INFO, EXO_ENVID_SELF, UT_VA + 0x3f000000);
	if (!check(EXO_SYS_ENV_INFO, UT_VA + 0x3f000000, (uint64_t)-EXO_EFAULT))
		return;
	ut_regs_svc(EXO_SYS_YIELD, 0, 5);
	if (!check(EXO_SYS_YIELD, 5, 0))
		return;
	ut_regs_svc(1000, 0, 5);
	if (!check(1000, 5, (uint64_t)-EXO_ENOSYS))
		return;
}
