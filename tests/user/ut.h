/*
 * Helpers shared by the test root env's cases: catching faults through
 * an upcall handler, mapping scratch pages, walking the self-mapped page
 * tables, and spawning the helper program `child`.
 */
#ifndef TESTS_USER_UT_H
#define TESTS_USER_UT_H

#include <exo/arch/pte.h>
#include <exo/libexo.h>
#include "probe.h"
#include "shared.h"
#include "utest.h"

/* A free region of the root's address space for the cases' pages. */
#define UT_VA 0x0000000100000000ull
#define UT_PAGE EXO_PAGE_SIZE
#define UT_SECOND 1000000000ull /* ns */

/* The last fault caught by a probe or counted by the handler. */
struct ut_fault {
	uint64_t count; /* upcalls seen since ut_upcalls_on */
	uint64_t type, fault, flags, addr, pc;
};
extern volatile struct ut_fault ut_fault;

/*
 * A case's own upcall handling: returns 1 if it handled the frame (and
 * may have changed the registers to resume), 0 to let the probes or the
 * unexpected-upcall path have it.
 */
typedef int ut_hook_fn(struct exo_upcall_frame *f);

/* Send upcalls to the tests' handler, with hook first in line (may be
 * NULL): 0 or an error. */
int ut_upcalls_on(ut_hook_fn *hook);

/* Load from / store to / call addr, catching a fault: 0 if the access
 * worked, 1 if it faulted (ut_fault holds the details).  Need
 * ut_upcalls_on. */
int ut_try_load(uint64_t addr, uint64_t *val);
int ut_try_store(uint64_t addr, uint64_t val);
int ut_try_call(uint64_t addr);

/* The leaf entry that maps va (0 if some level is absent). */
uint64_t ut_leaf(uint64_t va);

/* Allocate a frame and map it at va with perms: its address or an
 * error. */
long ut_page(uint64_t va, unsigned perms);
/* Unmap va and free pa: 0 or an error. */
long ut_unpage(uint64_t va, uint64_t pa);

/* Addresses of 32-bit words no call may take: none mapped (the root's
 * scratch page UT_VA itself excepted: UT_VA + 16 pages is free), or
 * kernel, kernel-window or non-canonical ones (-EFAULT; NULL is left
 * out, as some calls take it); and misaligned ones (-EINVAL). */
#define UT_NBAD_WORDS 11
#define UT_NMISALIGNED_WORDS 5
extern const uint64_t ut_bad_words[UT_NBAD_WORDS];
extern const uint64_t ut_misaligned_words[UT_NMISALIGNED_WORDS];

static inline volatile uint32_t *
ut_word(uint64_t va)
{
	return (volatile uint32_t *)(uintptr_t)va;
}

/* A spawned `child`, sharing a page with the root. */
struct ut_child {
	exo_envid_t env;
	uint64_t entry, sp;
	uint64_t shared_pa;
	volatile struct shared *sh;
};

/* Load `child` from the bootfs in mode with frame_quota frames, its
 * shared page mapped, without starting it; clears pending
 * EXO_NOTIFY_CHILD.  0 or an error (nothing is left behind on error). */
long ut_child_load(struct ut_child *c, enum child_mode mode,
		   uint64_t frame_quota);
/* Start a loaded child: 0 or an error (it is destroyed on error). */
long ut_child_run(struct ut_child *c);
/* ut_child_load, then ut_child_run. */
long ut_child_start(struct ut_child *c, enum child_mode mode,
		    uint64_t frame_quota);
/* Wait up to timeout_ns for a child to die: EXO_NOTIFY_CHILD, or 0 on
 * timeout.  (The bit is 63, so exo_wait's long result is negative.) */
uint64_t ut_wait_child(uint64_t timeout_ns);
/* Block for ns nanoseconds (on a notification bit nobody sends). */
void ut_sleep(uint64_t ns);
/* Unmap and free the shared page: 0 or an error. */
long ut_child_release(struct ut_child *c);

/* From probe.S: the probes and a case of register preservation. */
int ut_probe_load(uint64_t addr, uint64_t *val);
int ut_probe_store(uint64_t addr, uint64_t val);
int ut_probe_call(uint64_t addr);
void ut_probe_fixup(void);

/* Registers as ut_regs_fault left them after its faulting load. */
extern uint64_t ut_regs_out[UT_NREGS];
/* Fill the registers with UT_PATTERN(n), load from addr (which should
 * fault and be resumed), and store the registers in ut_regs_out. */
void ut_regs_fault(uint64_t addr);

#endif
