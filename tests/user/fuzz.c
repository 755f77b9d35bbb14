/*
 * fuzz: a seeded, reproducible system call fuzzer.  Its argument is the
 * page it shares with the root (prog.h): arg[0] the seed, arg[1] how many
 * calls to make.  Each call has a random number (mostly a real one, some
 * out of range) and arguments drawn from values that matter to the kernel:
 * 0, -1, small and huge numbers, its own env id, children it created, its
 * capability slots, frames it owns, user pointers good and bad, kernel and
 * non-canonical addresses.
 *
 * It stays alive to make every call: it never calls exit or destroys
 * itself, passes upcall_return only unreadable frames, never waits long,
 * never makes a call that would block for good (ipc_reply_wait with no
 * caller, ipc_call to an env that never answers), keeps a console only
 * for reading (so it cannot write garbage or revoke the root's console),
 * and maps and unmaps only in its sandbox.  Dying by its own fault is
 * allowed; hurting the kernel is not.
 */
#include <exo/libexo.h>
#include <exo/string.h>
#include "prog.h"

#define NR_MAX (EXO_SYS_MAX + 4) /* a little past the last call */
#define SANDBOX 0x0000000060000000ull
#define SANDBOX_PAGES 16
#define POOL 16
#define KERNEL_VA 0xffff800000000000ull

static volatile struct prog_shared *sh;
static uint64_t state;
static exo_envid_t self;
static uint64_t envs[POOL], frames[POOL];
static struct exo_mapping maps[8];
static uint64_t vas[8];
static uint64_t outbuf[1024]; /* large enough for any output */

static uint64_t
rnd(void)
{
	/* xorshift64* */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static uint64_t
pick(const uint64_t *v, unsigned n)
{
	return v[rnd() % n];
}

static uint64_t
number(void)
{
	static const uint64_t v[] = {
		0,	    1,		2,	    3,		8,
		16,	    63,		64,	    511,	512,
		513,	    4096,	1ull << 20, 1ull << 32, 1ull << 47,
		1ull << 62, 1ull << 63, ~0ull,	    ~0ull - 1
	};

	return rnd() % 4 ? pick(v, sizeof(v) / sizeof(v[0])) : rnd();
}

static uint64_t
env_arg(void)
{
	switch (rnd() % 6) {
	case 0:
		return 0;
	case 1:
		return self;
	case 2:
	case 3:
		return envs[rnd() % POOL];
	case 4:
		return 0xffffffffu;
	default:
		return number();
	}
}

static uint64_t
cap_arg(void)
{
	return rnd() % 4 ? rnd() % (EXO_NCAPS + 4) : number();
}

static uint64_t
frame_arg(void)
{
	switch (rnd() % 5) {
	case 0:
	case 1:
		return frames[rnd() % POOL];
	case 2:
		return EXO_PA_ANY;
	case 3:
		return frames[rnd() % POOL] + (rnd() % 4) * 8;
	default:
		return number() & ~0xfffull;
	}
}

/* A pointer: mostly to its own buffer of the right kind, often not. */
static uint64_t
ptr_arg(uint64_t good)
{
	static const uint64_t bad[] = {
		0,
		8,
		EXO_ENVINFO,
		EXO_UVPT,
		SANDBOX,
		EXO_USER_TOP - 8,
		0x0000800000000000ull,
		KERNEL_VA,
		~0ull - 7,
		0xffffffff80000000ull,
	};

	return rnd() % 3 ? good : pick(bad, sizeof(bad) / sizeof(bad[0]));
}

/* Fill the vectors map and unmap read: sandbox pages and bad entries. */
static void
refill(void)
{
	for (unsigned i = 0; i < 8; i++) {
		uint64_t va = SANDBOX + (rnd() % SANDBOX_PAGES) * 4096;

		if (rnd() % 8 == 0)
			va = number();
		maps[i] = (struct exo_mapping){ va, frame_arg(), rnd() % 9 };
		vas[i] = rnd() % 8 ? va : number();
	}
}

/* Would this ipc_call block for good?  Yes if cap names another live
 * env (nobody ever serves calls here). */
static int
call_blocks(uint64_t cap)
{
	struct exo_cap_info ci;

	return cap < EXO_NCAPS && exo_cap_info((exo_cap_t)cap, &ci) == 0 &&
	       ci.type == EXO_CT_ENV && (ci.rights & EXO_RIGHT_CALL) &&
	       ci.obj != self;
}

/* Make call nr with arguments fit for it; returns its result. */
static long
one_call(uint64_t nr)
{
	uint64_t a[6];
	struct exo_msg m = { { number(), number(), number(), number() } };

	for (unsigned i = 0; i < 6; i++)
		a[i] = number();
	switch (nr) {
	case EXO_SYS_EXIT:
		return 0;
	case EXO_SYS_ENV_CREATE:
		return exo_env_create(rnd() % 3 ? rnd() % 24 : number(),
				      rnd() % 4 ? 0 : number());
	case EXO_SYS_ENV_DESTROY:
		/* The stub takes 32 bits: compare what the kernel sees. */
		a[0] = (exo_envid_t)env_arg();
		if (a[0] == 0 || a[0] == self)
			return 0;
		return exo_env_destroy((exo_envid_t)a[0]);
	case EXO_SYS_ENV_START:
		return exo_env_start((exo_envid_t)env_arg(), number(), number(),
				     number());
	case EXO_SYS_ENV_SET_UPCALL:
		return exo_env_set_upcall((exo_envid_t)env_arg(), number(),
					  number());
	case EXO_SYS_ENV_INFO:
		return exo_env_info((exo_envid_t)env_arg(),
				    (void *)(uintptr_t)ptr_arg(
					    (uint64_t)(uintptr_t)outbuf));
	case EXO_SYS_PAGE_ALLOC:
		return exo_page_alloc((exo_envid_t)env_arg(), frame_arg());
	case EXO_SYS_PAGE_FREE:
		return exo_page_free((exo_envid_t)env_arg(), frame_arg());
	case EXO_SYS_MAP:
		refill();
		return exo_map(
			(exo_envid_t)env_arg(),
			(void *)(uintptr_t)ptr_arg((uint64_t)(uintptr_t)maps),
			rnd() % 2 ? rnd() % 9 : number());
	case EXO_SYS_UNMAP:
		refill();
		return exo_unmap(
			(exo_envid_t)env_arg(),
			(void *)(uintptr_t)ptr_arg((uint64_t)(uintptr_t)vas),
			rnd() % 2 ? rnd() % 9 : number());
	case EXO_SYS_CAP_GRANT:
		return exo_cap_grant((exo_cap_t)cap_arg(),
				     (exo_envid_t)env_arg(), number());
	case EXO_SYS_CAP_INFO:
		return exo_cap_info((exo_cap_t)cap_arg(),
				    (void *)(uintptr_t)ptr_arg(
					    (uint64_t)(uintptr_t)outbuf));
	case EXO_SYS_PAGE_CAP:
		return exo_page_cap(frame_arg(),
				    rnd() % 2 ? 1 + rnd() % 4 : number(),
				    number());
	case EXO_SYS_CAP_ENV:
		return exo_cap_env((exo_envid_t)env_arg(), number());
	case EXO_SYS_YIELD:
		return exo_yield((exo_envid_t)env_arg());
	case EXO_SYS_IPC_CALL:
		a[0] = (exo_cap_t)cap_arg();
		return call_blocks(a[0]) ? 0
					 : exo_ipc_call((exo_cap_t)a[0], &m);
	case EXO_SYS_IPC_REPLY_WAIT:
		a[0] = (exo_envid_t)env_arg();
		return a[0] ? exo_ipc_reply_wait((exo_envid_t)a[0], &m) : 0;
	case EXO_SYS_WAIT:
		return exo_wait(number(), rnd() % 2000000);
	case EXO_SYS_WAIT_WORD:
		/* Often the word's value (outbuf's words are mostly 0), so
		 * it blocks too, but never for long. */
		a[0] = ptr_arg((uint64_t)(uintptr_t)outbuf) + rnd() % 3 * 4;
		return exo_wait_word((const volatile uint32_t *)(uintptr_t)a[0],
				     rnd() % 2 ? 0 : (uint32_t)number(),
				     number(), rnd() % 2000000);
	case EXO_SYS_WAKE_WORD:
		a[0] = ptr_arg((uint64_t)(uintptr_t)outbuf) + rnd() % 3 * 4;
		return exo_wake_word((const volatile uint32_t *)(uintptr_t)a[0],
				     number());
	case EXO_SYS_ALERT_WORD:
		/* Mostly a word of outbuf, which its wakes then alert; an
		 * alert is at worst an upcall to a handler it broke itself. */
		a[0] = rnd() % 4 ? ptr_arg((uint64_t)(uintptr_t)outbuf) +
					   rnd() % 3 * 4
				 : 0;
		return exo_alert_word(
			(const volatile uint32_t *)(uintptr_t)a[0]);
	case EXO_SYS_REVOKE_REQUEST:
		return exo_revoke_request((exo_envid_t)env_arg(), number(),
					  rnd() % 2 ? rnd() % 5000000
						    : number());
	case EXO_SYS_EVENTS_READ:
	case EXO_SYS_CONS_READ:
	case EXO_SYS_CONS_WRITE:
		return exo_syscall3(nr, cap_arg(),
				    ptr_arg((uint64_t)(uintptr_t)outbuf),
				    rnd() % 2 ? rnd() % 64 : number());
	case EXO_SYS_UPCALL_RETURN:
		/* Only frames it cannot read (the kernel half, the null
		 * page): a readable one would resume random registers. */
		return exo_upcall_return(
			(void *)(uintptr_t)(rnd() % 2 ? KERNEL_VA + rnd() % 4096
						      : rnd() % 4096));
	default:
		return exo_syscall6(nr, rnd() % 2 ? cap_arg() : env_arg(), a[1],
				    a[2], a[3], a[4], a[5]);
	}
}

/* Remember what calls hand out, for later calls to use. */
static void
harvest(uint64_t nr, long r)
{
	if (r <= 0)
		return;
	if (nr == EXO_SYS_ENV_CREATE)
		envs[rnd() % POOL] = (uint64_t)r;
	if (nr == EXO_SYS_PAGE_ALLOC)
		frames[rnd() % POOL] = (uint64_t)r;
}

/* A console only for reading: no garbage on the screen, and no REVOKE
 * right to take the root's console away. */
static void
tame_console(void)
{
	long ro = exo_cap_derive(exo_console(), EXO_RIGHT_READ);

	exo_cap_drop(exo_console());
	if (ro >= 0)
		exo_set_console((exo_cap_t)ro);
}

int
main(uint64_t arg)
{
	uint64_t n;

	sh = (volatile struct prog_shared *)(uintptr_t)arg;
	sh->started = PROG_MAGIC;
	state = sh->arg[0] ? sh->arg[0] : 1;
	n = sh->arg[1];
	self = (exo_envid_t)exo_env_self();
	exo_printf("fuzz: seed %#lx, %lu calls\n", (unsigned long)sh->arg[0],
		   (unsigned long)n);
	tame_console();
	for (unsigned i = 0; i < POOL; i++) {
		long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);

		frames[i] = pa < 0 ? 0 : (uint64_t)pa;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t nr = rnd() % 16 ? 1 + rnd() % NR_MAX : number();

		sh->out[2] = (int64_t)nr;
		harvest(nr, one_call(nr));
		sh->out[0] = (int64_t)(i + 1);
	}
	sh->done = PROG_MAGIC;
	return 0;
}
