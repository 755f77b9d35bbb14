/*
 * peer: the other env of the two-env benchmarks, started by the bench
 * driver with a role and an ENV capability for the driver (bench.h).
 */
#include "bench.h"

/* Answer every call at once, until the driver destroys this env. */
static int
echo(void)
{
	struct exo_msg m = { { 0 } };
	exo_envid_t from = 0;

	for (;;) {
		long r = exo_ipc_reply_wait(from, &m);

		if (r < 0)
			exo_panic("peer: exo_ipc_reply_wait: %s",
				  exo_strerror(r));
		from = (exo_envid_t)r;
	}
}

/* Answer each BIT_PING with BIT_PONG, until the driver destroys this
 * env; never wait on BIT_SINK, which the one-way benchmark sends. */
static int
ping_pong(exo_cap_t driver)
{
	for (;;) {
		long bits = exo_wait(BIT_PING, UINT64_MAX);

		if (bits < 0)
			exo_panic("peer: exo_wait: %s", exo_strerror(bits));
		exo_notify(driver, BIT_PONG);
	}
}

int
main(uint64_t arg)
{
	exo_cap_t driver = BENCH_ARG_SLOT(arg);

	switch (BENCH_ARG_ROLE(arg)) {
	case ROLE_ECHO:
		return echo();
	case ROLE_NOTIFY:
		return ping_pong(driver);
	case ROLE_RING:
		return peer_ring(driver);
	}
	exo_panic("peer: unknown role %lu", (unsigned long)arg);
}
