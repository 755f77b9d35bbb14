/*
 * echo: the IPC server of the measure image; answers every call at once.
 */
#include <exo/libexo.h>
#include <exo/syscall.h>

int
main(uint64_t arg)
{
	struct exo_msg m = { { 0 } };
	exo_envid_t from = 0;

	for (;;) {
		long r = exo_ipc_reply_wait(from, &m);
		if (r < 0)
			exo_panic("echo: %s", exo_strerror(r));
		from = (exo_envid_t)r;
	}
}
