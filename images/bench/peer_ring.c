/*
 * The ring role of the peer: attach to the ring the driver published in
 * the parameter page; then, at each BIT_GO, receive the ring_msgs
 * messages the driver streams, until the driver destroys this env.
 */
#include <native/native.h>
#include "bench.h"

int
peer_ring(exo_cap_t driver)
{
	volatile struct bench_param *bp = bench_param();
	static uint8_t msg[4096];
	struct nat_ring_desc d;
	struct nat_ring *r;
	int err = nat_init();

	if (err)
		exo_panic("peer: nat_init: %s", exo_strerror(err));
	exo_wait(BIT_GO, UINT64_MAX);
	d = (struct nat_ring_desc){ bp->ring_pa, bp->ring_pages,
				    bp->ring_msg_size, bp->ring_pages_cap,
				    bp->ring_notify_bit };
	if (d.msg_size > sizeof(msg))
		exo_panic("peer: %lu-byte messages", (unsigned long)d.msg_size);
	r = nat_ring_attach(&d, driver);
	if (!r)
		exo_panic("peer: nat_ring_attach failed");
	for (;;) {
		exo_notify(driver, BIT_READY);
		for (uint64_t i = bp->ring_msgs; i > 0; i--)
			if ((err = nat_ring_recv(r, msg)))
				exo_panic("peer: nat_ring_recv: %s",
					  exo_strerror(err));
		exo_notify(driver, BIT_DONE);
		exo_wait(BIT_GO, UINT64_MAX);
	}
}
