/*
 * Cases: the seeded system call fuzzer (fuzz.c) runs as a child next to
 * the victim env; whatever it does, the kernel must survive with its
 * invariants intact, and the victim with its pages.  Each seed is its own
 * case, so a failure names a reproducible run.
 */
#include "prog.h"
#include "ut.h"

#define FUZZ_CALLS 20000
#define FUZZ_QUOTA 1024
#define TIMEOUT (40 * UT_SECOND)

static void
fuzz_run(uint64_t seed)
{
	const volatile struct exo_envinfo *info = exo_info();
	struct prog v, f;
	struct exo_msg m = { { VICTIM_CHECK, 0, 0, 0 } };
	uint64_t quota = info->frames_quota;
	long vcall;

	UT_OK(prog_start(&v, "victim", 0, 0, 64));
	UT_ASSERT(prog_poll(&v.sh->done, PROG_MAGIC, 10 * UT_SECOND));
	vcall = UT_OK(exo_cap_env(v.env, EXO_RIGHT_CALL));
	UT_OK(prog_load(&f, "fuzz", 1, 0, FUZZ_QUOTA));
	f.sh->arg[0] = seed;
	f.sh->arg[1] = FUZZ_CALLS;
	UT_OK(prog_run(&f));
	if (!prog_poll(&f.sh->done, PROG_MAGIC, TIMEOUT) && prog_alive(&f)) {
		utest_fail(__FILE__, __LINE__,
			   "seed %#lx: the fuzzer hangs after %ld calls "
			   "(last number %ld)",
			   (unsigned long)seed, (long)f.sh->out[0],
			   (long)f.sh->out[2]);
		return;
	}
	exo_printf("fuzz: seed %#lx: %ld calls made%s\n", (unsigned long)seed,
		   (long)f.sh->out[0],
		   f.sh->done == PROG_MAGIC ? ""
					    : ", then it died by its own "
					      "fault");
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(prog_end(&f));
	UT_OK(exo_kcheck(EXO_CAP_MACHINE));
	UT_OK(exo_ipc_call((exo_cap_t)vcall, &m));
	UT_ASSERT_EQ(m.w[0], 1);
	UT_OK(prog_end(&v));
	UT_ASSERT_EQ(info->frames_quota, quota);
	UT_ASSERT_EQ(exo_cons_write(EXO_CAP_CONSOLE, "fuzz: done\n", 11), 11);
}

UTEST(fuzz_seed_1)
{
	fuzz_run(1);
}

UTEST(fuzz_seed_5eed)
{
	fuzz_run(0x5eed5eed5eedull);
}

UTEST(fuzz_seed_c0ffee)
{
	fuzz_run(0xc0ffee0123456789ull);
}
