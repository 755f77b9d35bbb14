/*
 * Capabilities.  Each env has a table of EXO_NCAPS slots; a capability is
 * named by its slot.  A capability names one kernel object (an env, a run
 * of frames, a time-slice slot, an IRQ line, the console, the machine) and
 * carries rights.  Every object has an epoch; a capability is valid only
 * while its epoch matches the object's, so revoking everything derived
 * from an object is one increment (exo_cap_revoke).
 */
#ifndef EXO_CAP_H
#define EXO_CAP_H

#include <exo/types.h>

#define EXO_NCAPS 64

enum exo_cap_type {
	EXO_CT_NONE = 0,
	EXO_CT_ENV = 1,	  /* obj: env id */
	EXO_CT_PAGES = 2, /* obj: first frame's physical address; count */
	EXO_CT_SLICE = 3, /* obj: slot number */
	EXO_CT_IRQ = 4,	  /* obj: line */
	EXO_CT_CONSOLE = 5,
	EXO_CT_MACHINE = 6, /* halt, read the kernel event ring */
};

/* Rights.  Which apply depends on the type. */
#define EXO_RIGHT_READ (1u << 0)   /* PAGES: map readable; CONSOLE: read */
#define EXO_RIGHT_WRITE (1u << 1)  /* PAGES: map writable; CONSOLE: write */
#define EXO_RIGHT_EXEC (1u << 2)   /* PAGES: map executable */
#define EXO_RIGHT_CALL (1u << 3)   /* ENV: exo_ipc_call it */
#define EXO_RIGHT_NOTIFY (1u << 4) /* ENV: exo_notify it */
#define EXO_RIGHT_GRANT (1u << 5)  /* may be granted to another env */
#define EXO_RIGHT_REVOKE (1u << 6) /* may revoke the object */
#define EXO_RIGHT_USE (1u << 7)	   /* SLICE, IRQ, MACHINE: bind / use */
#define EXO_RIGHTS_ALL 0xffull

struct exo_cap_info {
	uint32_t type; /* enum exo_cap_type */
	uint32_t rights;
	uint64_t obj;
	uint64_t count; /* PAGES: number of frames */
};

#endif
