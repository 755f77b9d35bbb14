/*
 * What the test root env and the helper program `child` share: one page
 * the root owns and maps into both at SHARED_VA before it starts the
 * child, whose main() gets SHARED_VA as its argument.  The root writes
 * the mode; the child reports through the rest.
 */
#ifndef TESTS_USER_SHARED_H
#define TESTS_USER_SHARED_H

#include <stdint.h>

#define SHARED_VA 0x0000000020000000ull
#define CHILD_MAGIC 0xc0ffee0000c0ffeeull
/* Where a CHILD_FAULT child writes, and CHILD_FAULT_NO_STACK's upcall
 * stack: never mapped in the child. */
#define CHILD_FAULT_VA 0x0000000030000000ull
#define CHILD_NO_STACK 0x0000000050000000ull
#define CHILD_NRESULTS 24
#define CHILD_PRINT_MSG "child: hello on the console it was granted\n"

enum child_mode {
	CHILD_EXIT = 1,	      /* set done, return */
	CHILD_SPIN,	      /* count in `counter` forever */
	CHILD_FAULT,	      /* set done, then write to CHILD_FAULT_VA */
	CHILD_PROBE_PARENT,   /* try calls on the parent: results[] */
	CHILD_GRANDCHILD,     /* create an env (id in `grandchild`), spin */
	CHILD_PRINT,	      /* print a line on the console it was given */
	CHILD_FAULT_NO_STACK, /* fault with an upcall stack that is unmapped */
	CHILD_IRQ_RAISE,      /* sleep results[2] ns, then raise IRQ line
				 results[1] with the MACHINE capability in
				 slot results[0]; the answer in results[3] */
};

/* results[] of CHILD_PROBE_PARENT, in this order. */
enum probe_call {
	PROBE_ENV_INFO,
	PROBE_ENV_DESTROY,
	PROBE_ENV_START,
	PROBE_SET_UPCALL,
	PROBE_PAGE_ALLOC,
	PROBE_PAGE_FREE_OWN,	/* page_free(self, parent's frame) */
	PROBE_PAGE_FREE_PARENT, /* page_free(parent, parent's frame) */
	PROBE_MAP_FRAME,	/* map(self, parent's frame) */
	PROBE_MAP_PARENT,	/* map(parent, own frame) */
	PROBE_UNMAP_PARENT,
	PROBE_CAP_ENV,
	PROBE_CONS_EMPTY_CAP, /* cons_write on an empty slot */
	PROBE_HALT,	      /* halt without a MACHINE capability */
	PROBE_KCHECK,
	PROBE_COUNT
};

struct shared {
	uint64_t mode;
	uint64_t parent;    /* the root's env id */
	uint64_t parent_pa; /* a frame the root owns */
	uint64_t parent_va; /* where it is mapped in the root */
	uint64_t started;   /* CHILD_MAGIC once main() runs */
	uint64_t done;	    /* CHILD_MAGIC when the mode's work is done */
	uint64_t counter;
	uint64_t grandchild;
	int64_t results[CHILD_NRESULTS];
};

_Static_assert(PROBE_COUNT <= CHILD_NRESULTS, "results[] holds every probe");

#endif
