/*
 * The bench driver's own interface: the harness (bench.c) and the
 * operations it times (kernel_ops.c, native_ops.c).
 */
#ifndef BENCH_DRIVER_H
#define BENCH_DRIVER_H

#include "bench.h"

/* What a run returns when it could not measure (it has said why). */
#define BENCH_FAILED UINT64_MAX

/* A started peer env and the driver's ENV capability for it. */
struct peer {
	exo_envid_t env;
	exo_cap_t cap; /* call, notify, grant */
};

/* Start the peer program in a new env with role and frame_quota frames;
 * the parameter page is mapped in it.  0 or a negative error. */
long peer_start(enum bench_role role, uint64_t frame_quota, struct peer *p);
/* Destroy p's env (if it has not ended by itself) and drop the capability. */
void peer_stop(struct peer *p);

/* Print why the running benchmark failed; returns BENCH_FAILED. */
uint64_t bench_fail(const char *what, long err);

/* Guest nanoseconds since boot (guest instructions under icount). */
static inline uint64_t
bench_now(void)
{
	return (uint64_t)exo_clock_ns();
}

/* The nop program's ELF image, from the bootfs. */
extern struct exo_cpio_file bench_nop_elf;

/* Each returns the guest nanoseconds n operations took, or BENCH_FAILED. */
uint64_t bench_null_syscall(long n);
uint64_t bench_ipc_rtt(long n);
uint64_t bench_notify_rtt(long n);
uint64_t bench_notify_one_way(long n);
uint64_t bench_page_map_unmap(long n);
uint64_t bench_fault_upcall_rtt(long n);
uint64_t bench_env_create_destroy(long n);
uint64_t bench_demand_zero_fault(long n);
uint64_t bench_cow_fault(long n);
uint64_t bench_ring_tput_64(long n);
uint64_t bench_ring_tput_4k(long n);

#endif
