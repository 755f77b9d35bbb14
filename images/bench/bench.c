/*
 * bench: the Exo side of the benchmarks.  bench/run.sh boots the bench
 * image with root=bench, so this program is the root env: its first
 * instruction ends boot_to_user, it finds the programs it starts in the
 * bootfs, reads trials=N and scale=N from the kernel command line, and
 * halts the machine when it is done.
 *
 * Like bench/linux/bench.c, every benchmark runs one short warm-up, then
 * `trials` timed trials of the same number of operations, and prints
 *
 *   BENCH <name> ns_per_op=<median> iters=<ops per trial> min=<n> max=<n>
 *         trials=<n> [mb_per_s=<n>]
 *
 * or, if it cannot run, `BENCH_FAIL <name> <why>`.  Times are guest
 * nanoseconds (exo_clock_ns around a whole trial); under QEMU's
 * -icount shift=0,sleep=off they are guest instructions.
 */
#include <exo/string.h>
#include "arch.h"
#include "driver.h"

#define MAX_TRIALS 101
#define WARMUP_DIV 16	      /* the warm-up runs iters / WARMUP_DIV ops */
#define CALIBRATE_NS 10000000 /* time over which the counter is calibrated */
#define CMDLINE_WORD 32

struct bench {
	const char *name;
	long iters;		 /* operations per trial, before scale */
	uint64_t (*run)(long n); /* guest ns n operations took */
	uint64_t msg_bytes;	 /* bytes per operation, for throughput; or 0 */
};

/* Sized, like the Linux side, for a few million guest instructions per
 * trial.  The libos-native ones come last: they install its handler. */
static const struct bench benches[] = {
	{ "null_syscall", 20000, bench_null_syscall, 0 },
	{ "ipc_rtt", 10000, bench_ipc_rtt, 0 },
	{ "notify_rtt", 5000, bench_notify_rtt, 0 },
	{ "notify_one_way", 20000, bench_notify_one_way, 0 },
	{ "page_map_unmap", 4000, bench_page_map_unmap, 0 },
	{ "fault_upcall_rtt", 10000, bench_fault_upcall_rtt, 0 },
	{ "env_create_destroy", 200, bench_env_create_destroy, 0 },
	{ "demand_zero_fault", 1024, bench_demand_zero_fault, 0 },
	{ "cow_fault", 1024, bench_cow_fault, 0 },
	{ "ring_tput_64", 10000, bench_ring_tput_64, 64 },
	{ "ring_tput_4k", 4000, bench_ring_tput_4k, 4096 },
};
#define NBENCHES (sizeof(benches) / sizeof(benches[0]))

struct exo_cpio_file bench_nop_elf;
static struct exo_cpio_file peer_elf;
static exo_cap_t self_cap; /* the driver's own ENV capability, for peers */
static uint64_t param_pa;  /* the parameter page's frame */
static const char *current = "setup";
static int trials = 5;
static long scale = 1;

uint64_t
bench_fail(const char *what, long err)
{
	exo_printf("BENCH_FAIL %s %s%s%s\n", current, what, err ? ": " : "",
		   err ? exo_strerror(err) : "");
	return BENCH_FAILED;
}

long
peer_start(enum bench_role role, uint64_t frame_quota, struct peer *p)
{
	struct exo_mapping m = { BENCH_PARAM_VA, param_pa,
				 EXO_PERM_R | EXO_PERM_W };
	struct exo_spawn sp;
	long slot, cap = -1, err;

	err = exo_spawn_load(peer_elf.data, peer_elf.size, frame_quota, 0, &sp);
	if (err)
		return err;
	err = slot = exo_cap_grant(self_cap, sp.env,
				   EXO_RIGHT_CALL | EXO_RIGHT_NOTIFY);
	if (err >= 0)
		err = cap =
			exo_cap_env(sp.env, EXO_RIGHT_CALL | EXO_RIGHT_NOTIFY |
						    EXO_RIGHT_GRANT);
	if (err >= 0)
		err = exo_map(sp.env, &m, 1);
	if (err >= 0)
		err = exo_env_start(sp.env, sp.entry, sp.sp,
				    BENCH_ARG(role, slot));
	if (err < 0) {
		if (cap >= 0)
			exo_cap_drop((exo_cap_t)cap);
		exo_env_destroy(sp.env);
		return err;
	}
	p->env = sp.env;
	p->cap = (exo_cap_t)cap;
	return 0;
}

void
peer_stop(struct peer *p)
{
	exo_env_destroy(p->env);
	exo_cap_drop(p->cap);
}

/* A positive integer `name=N` from the kernel command line, or dflt. */
static long
cmdline_long(const char *name, long dflt, long max)
{
	char cmdline[EXO_CMDLINE_MAX];
	size_t len = strlen(name);
	long v = 0;

	memcpy(cmdline, (const void *)exo_info()->cmdline, sizeof(cmdline));
	cmdline[sizeof(cmdline) - 1] = '\0';
	for (char *p = cmdline; *p; p++) {
		if ((p != cmdline && p[-1] != ' ') || strncmp(p, name, len) ||
		    p[len] != '=')
			continue;
		for (p += len + 1; *p >= '0' && *p <= '9' && v <= max; p++)
			v = v * 10 + (*p - '0');
		break;
	}
	return v > 0 && v <= max ? v : dflt;
}

/* What the benchmarks need: the programs, a capability, a page. */
static void
setup(void)
{
	struct exo_mapping m = { BENCH_PARAM_VA, 0, EXO_PERM_R | EXO_PERM_W };
	long r;

	if (exo_bootfs_find("peer", &peer_elf) ||
	    exo_bootfs_find("nop", &bench_nop_elf))
		exo_panic("bench: no peer or nop in the bootfs; boot the "
			  "bench image with root=bench");
	r = exo_cap_env(EXO_ENVID_SELF,
			EXO_RIGHT_CALL | EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT);
	if (r < 0)
		exo_panic("bench: no capability for itself: %s",
			  exo_strerror(r));
	self_cap = (exo_cap_t)r;
	r = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	if (r >= 0)
		m.pa = param_pa = (uint64_t)r;
	if (r < 0 || (r = exo_map(EXO_ENVID_SELF, &m, 1)) < 0)
		exo_panic("bench: no parameter page: %s", exo_strerror(r));
	trials = (int)cmdline_long("trials", trials, MAX_TRIALS);
	scale = cmdline_long("scale", scale, 1000);
}

/*
 * Nanoseconds from reset to the count the arch counter (which QEMU starts
 * at 0 at reset) had at count: its rate is measured against exo_clock_ns.
 */
static uint64_t
reset_ns(uint64_t count)
{
	uint64_t t0 = bench_now(), c0 = bench_counter(), t1, c1;

	while ((t1 = bench_now()) - t0 < CALIBRATE_NS)
		;
	c1 = bench_counter();
	return count * (t1 - t0) / (c1 - c0);
}

static void
sort(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* x tenths as "x.y". */
#define TENTHS(x) (unsigned long)((x) / 10), (unsigned long)((x) % 10)

/* Warm up, run the trials, print the median, min and max per operation. */
static void
bench_run(const struct bench *b)
{
	long n = b->iters * scale;
	uint64_t per_op[MAX_TRIALS], median, t; /* in tenths of a ns */

	current = b->name;
	if (b->run(n / WARMUP_DIV + 1) == BENCH_FAILED)
		return;
	for (int i = 0; i < trials; i++) {
		if ((t = b->run(n)) == BENCH_FAILED)
			return;
		per_op[i] = (t * 10 + (uint64_t)n / 2) / (uint64_t)n;
	}
	sort(per_op, trials);
	median = trials % 2 ? per_op[trials / 2]
			    : (per_op[trials / 2 - 1] + per_op[trials / 2]) / 2;
	exo_printf("BENCH %s ns_per_op=%lu.%lu iters=%ld min=%lu.%lu "
		   "max=%lu.%lu trials=%d",
		   b->name, TENTHS(median), n, TENTHS(per_op[0]),
		   TENTHS(per_op[trials - 1]), trials);
	if (b->msg_bytes)
		exo_printf(" mb_per_s=%lu.%lu",
			   TENTHS(b->msg_bytes * 10000 * 10 / median));
	exo_printf("\n");
}

int
main(uint64_t arg)
{
	/* First, before anything else can add to them. */
	uint64_t count = bench_counter(), ns = bench_now();

	setup();
	exo_printf("BENCH_INFO system=exo arch=%s trials=%d scale=%ld\n",
		   EXO_ARCH, trials, scale);
	exo_printf("BENCH boot_to_user ns=%lu reset_ns=%lu\n",
		   (unsigned long)ns, (unsigned long)reset_ns(count));
	for (unsigned i = 0; i < NBENCHES; i++)
		bench_run(&benches[i]);
	exo_printf("BENCH_END\n");
	/* The line tests/run.sh looks for in every image it boots. */
	exo_printf("root: the image is done\n");
	exo_halt(EXO_CAP_MACHINE, 0);
	return 0;
}
