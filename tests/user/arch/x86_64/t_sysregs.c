/*
 * x86_64 system call register discipline: every kind of `syscall` (a
 * fast Exo call, one that faults inside the kernel, a full-path one, an
 * unknown number, a foreign call) gives back every register but rax, rcx
 * and r11, and the flags the caller had.
 */
#include <exo/arch/syscall.h>
#include "../../ut.h"

#define RFLAGS_SET 0xcd5ull /* CF PF AF ZF SF DF OF */
#define LINUX_GETPID 39
#define LINUX_ENOSYS 38

uint64_t ut_sys_out[20];
uint64_t ut_sys_regs(uint64_t rax, uint64_t rflags, uint64_t a0, uint64_t a1);

static const char *const names[] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};

/* Run the call with the flags set, then clear; 0 if every register and
 * the flags came back and rax is want, else the failure is recorded. */
static int
check_call(uint64_t rax, uint64_t a0, uint64_t a1, uint64_t want)
{
	for (int round = 0; round < 2; round++) {
		const uint64_t *o = ut_sys_out;

		ut_sys_regs(rax, round ? 0 : RFLAGS_SET, a0, a1);
		for (unsigned n = 1; n < 16; n++) {
			uint64_t v = n == 4   ? a1
				     : n == 5 ? a0
					      : (uint64_t)UT_PATTERN(n);
			if (n == 2 || n == 7 || n == 11 || o[n] == v)
				continue;
			utest_fail(__FILE__, __LINE__,
				   "call %#lx: %s = %#lx, want %#lx",
				   (unsigned long)rax, names[n],
				   (unsigned long)o[n], (unsigned long)v);
			return -1;
		}
		if (o[0] != want || o[7] != o[18] || o[16] != o[17] ||
		    o[2] != o[19] || o[11] != o[16]) {
			utest_fail(__FILE__, __LINE__,
				   "call %#lx: rax %#lx (want %#lx), rsp "
				   "%#lx/%#lx, "
				   "rflags %#lx/%#lx, rcx %#lx/%#lx, r11 %#lx",
				   (unsigned long)rax, (unsigned long)o[0],
				   (unsigned long)want, (unsigned long)o[7],
				   (unsigned long)o[18], (unsigned long)o[16],
				   (unsigned long)o[17], (unsigned long)o[2],
				   (unsigned long)o[19], (unsigned long)o[11]);
			return -1;
		}
	}
	return 0;
}

UTEST(syscall_fast_regs)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t before = info->counters.syscalls;

	UT_OK(check_call(EXO_SYSCALL_BASE + EXO_SYS_ENV_SELF, 1, 2,
			 (uint64_t)exo_env_self()));
	UT_ASSERT_EQ(info->counters.syscalls, before + 3);
}

UTEST(syscall_fast_fault_regs)
{
	UT_OK(check_call(EXO_SYSCALL_BASE + EXO_SYS_ENV_INFO, EXO_ENVID_SELF,
			 0x10, (uint64_t)-EXO_EFAULT));
	UT_OK(check_call(EXO_SYSCALL_BASE + EXO_SYS_ENV_INFO, EXO_ENVID_SELF,
			 0xffff800000000000ull, (uint64_t)-EXO_EFAULT));
}

UTEST(syscall_full_path_regs)
{
	UT_OK(check_call(EXO_SYSCALL_BASE + EXO_SYS_YIELD, 0, 0, 0));
	UT_OK(check_call(EXO_SYSCALL_BASE + EXO_SYS_WAIT, 0, 0, 0));
}

UTEST(syscall_unknown_regs)
{
	UT_OK(check_call(EXO_SYSCALL_BASE + 0, 0, 0, (uint64_t)-EXO_ENOSYS));
	UT_OK(check_call(EXO_SYSCALL_BASE + 63, 0, 0, (uint64_t)-EXO_ENOSYS));
	UT_OK(check_call(EXO_SYSCALL_BASE + 64, 0, 0, (uint64_t)-EXO_ENOSYS));
	UT_OK(check_call(EXO_SYSCALL_BASE + 0xffff, 0, 0,
			 (uint64_t)-EXO_ENOSYS));
}

UTEST(syscall_foreign_regs)
{
	UT_OK(check_call(LINUX_GETPID, 0, 0, (uint64_t)-LINUX_ENOSYS));
	UT_OK(check_call(EXO_SYSCALL_BASE - 1, 0, 0, (uint64_t)-LINUX_ENOSYS));
	UT_OK(check_call(EXO_SYSCALL_BASE + 0x10000, 0, 0,
			 (uint64_t)-LINUX_ENOSYS));
}
