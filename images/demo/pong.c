/*
 * pong: answers ping's calls; maps the page ping grants it and writes
 * into it.
 */
#include <exo/libexo.h>
#include <exo/syscall.h>
#include <exo/string.h>
#include "demo.h"

static void
take_page(struct exo_msg *m)
{
	struct exo_mapping map = { DEMO_SHARED_VA, m->w[2],
				   EXO_PERM_R | EXO_PERM_W };
	long err = exo_map(0, &map, 1);

	if (err < 0) {
		m->w[0] = (uint64_t)err;
		return;
	}
	exo_printf("pong: mapped the page ping granted: \"%s\"\n",
		   (const char *)DEMO_SHARED_VA);
	strlcpy((char *)DEMO_SHARED_VA, "hello from pong", 64);
	m->w[0] = 0;
}

int
main(uint64_t arg)
{
	struct exo_msg m = { { 0 } };
	exo_envid_t from = 0;

	exo_printf("pong: env %x, waiting for calls\n",
		   (unsigned)exo_env_self());
	for (;;) {
		long r = exo_ipc_reply_wait(from, &m);
		if (r < 0)
			exo_panic("pong: reply_wait failed (%ld)", r);
		from = (exo_envid_t)r;
		if (m.w[0] == DEMO_SHARE)
			take_page(&m);
		else if (m.w[0] == DEMO_PING)
			m.w[1]++;
	}
}
