/*
 * libos-native: the thinnest useful library OS on libexo.  The contract
 * the benchmarks and docs/PORTING.md build on; the .c files in libos-native/
 * implement it.  Everything runs in one env; "threads" are user-level.
 *
 * Call nat_init() first (main() of a program linked with libnative.a).
 * Functions that return int give 0 or a negative EXO_E* error.
 *
 * The library owns these parts of the env's address space (the rest is
 * the program's):
 *
 *   NAT_UPCALL_TOP   the upcall stack (NAT_UPCALL_STACK bytes below it,
 *                    nothing else within 64 KiB of it)
 *   NAT_SCRATCH      one page the fault handler copies through
 *   NAT_DZ_BASE      demand-zero reservations and thread stacks
 *   NAT_PAGES_BASE   pages of nat_page_alloc, malloc and ring mappings
 *
 * Notification bits 0..NAT_NBITS-1 belong to the library (nat_bit_alloc);
 * a program may use the others freely (bit 62 is EXO_NOTIFY_CHILD).
 */
#ifndef NATIVE_NATIVE_H
#define NATIVE_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <exo/libexo.h>
#include <exo/syscall.h>

#define NAT_PAGES_BASE 0x0000100000000000ull
#define NAT_DZ_BASE 0x0000200000000000ull
#define NAT_SCRATCH 0x00007c0000000000ull
#define NAT_UPCALL_TOP 0x00007d0000000000ull
#define NAT_UPCALL_STACK (32 * 1024)
#define NAT_STACK_SIZE (64 * 1024) /* of each thread but the first */
#define NAT_NBITS 32

/* Install the fault/upcall handler and the heap: 0 or an error. */
int nat_init(void);
/* Leave cleanly: every thread stops, the env exits with status. */
__attribute__((noreturn)) void nat_exit(int status);
/* Faults the library does not resolve (demand-zero, copy-on-write) go
 * to fn, if set: it returns true if it handled the fault (it may change
 * f->regs to resume elsewhere), false to end the env with a message. */
typedef bool nat_fault_fn(struct exo_upcall_frame *f);
void nat_set_fault_hook(nat_fault_fn *fn);

/* --- memory ---------------------------------------------------------- */
/* A zeroed page of the env's own (allocated and mapped): NULL if none.
 * A freed page stays mapped, kept for the next nat_page_alloc. */
void *nat_page_alloc(void);
void nat_page_free(void *page);
void *nat_malloc(size_t n);
void *nat_calloc(size_t n, size_t size);
void nat_free(void *p);

/* Demand-zero: reserve len bytes of address space; each page is
 * allocated, zeroed and mapped by the fault handler on first touch.
 * NULL if the reservation table is full. */
void *nat_dz_reserve(size_t len);
/* (The kernel does not upcall for its own accesses: a system call that
 * writes into a page not yet touched, or still shared copy-on-write,
 * fails with -EXO_EFAULT.  Write to such a buffer once first.) */
/* Give back the frames behind [p, p + len) of a reserved or cloned range
 * (page-aligned); it reads as zeros again.  0 or an error. */
int nat_dz_release(void *p, size_t len);
/* Copy-on-write: make [dst, dst + len) share src's frames read-only; the
 * first write to a page of either copies it (in the fault handler).  All
 * page-aligned; nothing may be mapped at dst (-EXO_EBUSY), which becomes
 * demand-zero where src has untouched demand-zero pages; a src page that
 * is neither mapped nor demand-zero is -EXO_EFAULT.  A page src maps
 * read-only (and not copy-on-write) is shared read-only. */
int nat_cow_clone(void *dst, const void *src, size_t len);

/* --- threads and time -------------------------------------------------- */
typedef struct nat_thread nat_thread_t;
/* A user-level thread running fn(arg); scheduled round-robin by the
 * library, at yields, blocking calls and slice-start upcalls (preemption:
 * when the env owns a time-slice slot, see exo_slice_bind).  NULL if no
 * memory. */
nat_thread_t *nat_thread_create(void (*fn)(void *), void *arg);
void nat_thread_yield(void);
/* Wait for t to return, then free it (join each thread once). */
void nat_thread_join(nat_thread_t *t);
uint64_t nat_now_ns(void);
/* Block the calling thread for ns (other threads run). */
void nat_sleep_ns(uint64_t ns);

/* A free notification bit of the library's, or -EXO_ENOMEM. */
int nat_bit_alloc(void);
void nat_bit_free(int bit);
/* Block the calling thread until a bit of mask is pending (other threads
 * run); take those bits and return them. */
uint64_t nat_wait(uint64_t mask);

/* --- IPC channels ------------------------------------------------------- */
/* Call/reply: thin wrappers over exo_ipc_call and exo_ipc_reply_wait.
 * The kernel knows nothing of threads: a call blocks the whole env until
 * the reply, and a server env serves from one thread. */

/* Call the env behind ep (an ENV capability with CALL); the reply
 * replaces *m.  0 or an error. */
int nat_call(exo_cap_t ep, struct exo_msg *m);
/* Serve calls: fn gets each message and edits it into the reply; it
 * returns 0 to reply and wait for the next, or a negative value to stop
 * without replying, which nat_serve returns (as it does an error). */
typedef int nat_serve_fn(exo_envid_t from, struct exo_msg *m, void *ctx);
int nat_serve(nat_serve_fn *fn, void *ctx);

/* A single-producer single-consumer ring of fixed-size messages in a
 * shared page run, with notifications for wake-ups.  The creator makes it
 * and grants it to a peer env it can reach (an ENV capability with GRANT,
 * or control); the peer attaches with what nat_ring_create reported.
 * Either side may send; the other receives.  A side enters the kernel
 * only to wake a peer that sleeps (or to sleep itself). */
struct nat_ring;
struct nat_ring_desc {
	uint64_t pa; /* first frame */
	uint64_t pages;
	uint64_t msg_size;   /* bytes per message */
	uint64_t pages_cap;  /* PAGES capability slot in the peer */
	uint64_t notify_bit; /* the creator's bit for its wake-ups */
};
/* peer_ep: an ENV capability for the peer with NOTIFY (and GRANT unless
 * the creator controls the peer).  slots: a power of two.  NULL on
 * error. */
struct nat_ring *nat_ring_create(exo_envid_t peer, exo_cap_t peer_ep,
				 size_t msg_size, size_t slots,
				 struct nat_ring_desc *desc);
/* Map the ring desc->pages_cap names (the other fields are checked when
 * not 0); creator_ep: an ENV capability for the creator with NOTIFY.
 * NULL on error. */
struct nat_ring *nat_ring_attach(const struct nat_ring_desc *desc,
				 exo_cap_t creator_ep);
/* Send / receive one message of msg_size bytes (blocking the calling
 * thread when full / empty).  0 or an error. */
int nat_ring_send(struct nat_ring *r, const void *msg);
int nat_ring_recv(struct nat_ring *r, void *msg);
/* The ring's message size in bytes. */
size_t nat_ring_msg_size(const struct nat_ring *r);

#endif
