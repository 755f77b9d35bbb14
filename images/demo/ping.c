/*
 * ping: shares a page with pong through a PAGES capability, then plays
 * IPC ping-pong with it and reports the round-trip time.
 */
#include <exo/libexo.h>
#include <exo/syscall.h>
#include <exo/string.h>
#include "demo.h"

#define ROUNDS 1000

static long
share_page(exo_cap_t pong, exo_envid_t pong_id)
{
	struct exo_mapping m = { DEMO_SHARED_VA, 0, EXO_PERM_R | EXO_PERM_W };
	struct exo_msg msg;
	long pa = exo_page_alloc(0, EXO_PA_ANY), cap, theirs, err;

	if (pa < 0)
		return pa;
	m.pa = (uint64_t)pa;
	if ((err = exo_map(0, &m, 1)) < 0)
		return err;
	strlcpy((char *)DEMO_SHARED_VA, "hello from ping", 64);
	cap = exo_page_cap(m.pa, 1,
			   EXO_RIGHT_READ | EXO_RIGHT_WRITE | EXO_RIGHT_GRANT);
	if (cap < 0)
		return cap;
	theirs = exo_cap_grant((exo_cap_t)cap, pong_id,
			       EXO_RIGHT_READ | EXO_RIGHT_WRITE);
	if (theirs < 0)
		return theirs;
	msg = (struct exo_msg){ { DEMO_SHARE, (uint64_t)theirs, m.pa, 0 } };
	err = exo_ipc_call(pong, &msg);
	if (err < 0)
		return err;
	exo_printf("ping: granted page %#lx; pong wrote back: \"%s\"\n",
		   (unsigned long)m.pa, (const char *)DEMO_SHARED_VA);
	return 0;
}

int
main(uint64_t arg)
{
	exo_cap_t pong = (exo_cap_t)arg;
	struct exo_cap_info info;
	struct exo_msg msg;
	uint64_t t0, t1, n = 0;
	long err = exo_cap_info(pong, &info);

	if (err < 0)
		exo_panic("ping: no capability for pong (%ld)", err);
	exo_printf("ping: env %x, calling pong (env %x)\n",
		   (unsigned)exo_env_self(), (unsigned)info.obj);
	err = share_page(pong, (exo_envid_t)info.obj);
	if (err < 0)
		exo_panic("ping: sharing a page failed (%ld)", err);
	t0 = (uint64_t)exo_clock_ns();
	for (int i = 0; i < ROUNDS; i++) {
		msg = (struct exo_msg){ { DEMO_PING, n, 0, 0 } };
		err = exo_ipc_call(pong, &msg);
		if (err < 0 || msg.w[1] != n + 1)
			exo_panic("ping: round %d went wrong (%ld)", i, err);
		n = msg.w[1];
		if (i < 3)
			exo_printf("ping: sent %lu, pong answered %lu\n",
				   (unsigned long)(n - 1), (unsigned long)n);
	}
	t1 = (uint64_t)exo_clock_ns();
	exo_printf("ping: %d round trips, %lu ns each\n", ROUNDS,
		   (unsigned long)((t1 - t0) / ROUNDS));
	return 0;
}
