/*
 * hostile: an env that attacks the kernel and the victim env.  Its
 * argument is the page it shares with the root (prog.h); `mode` picks one
 * group of attacks.  Every attempt must be refused with a clear error, or
 * end in this env's own death; hostile checks the errors itself and
 * reports the first wrong answer in `why`.  The root checks the rest: the
 * kernel's invariants, and that the victim is alive and intact.
 */
#include <exo/arch/pte.h>
#include <exo/event.h>
#include <exo/fmt.h>
#include <exo/libexo.h>
#include <exo/string.h>
#include "hostile_arch.h"
#include "prog.h"

#define ANY_ERROR 1000 /* expect(): any refusal will do */
#define KERNEL_VA 0xffff800000000000ull
#define KERNEL_TEXT 0xffffffff80000000ull
#define NONCANONICAL 0x0000800000000000ull
#define SCRATCH PROG_SCRATCH_VA
#define STACK_SIZE 16384

static volatile struct prog_shared *sh;
static unsigned char upcall_stack[STACK_SIZE] __attribute__((aligned(16)));

/* Check a kernel answer: want is -EXO_E*, ANY_ERROR, or >= 0 for an exact
 * success value. */
static void
expect(int line, const char *what, long got, long want)
{
	int ok = want == ANY_ERROR ? got < 0 : got == want;

	char why[PROG_WHY];

	sh->attempts++;
	if (ok)
		return;
	exo_snprintf(why, sizeof(why), "hostile.c:%d: %s = %ld (%s), want %s",
		     line, what, got, got < 0 ? exo_strerror(got) : "success",
		     want == ANY_ERROR ? "an error"
		     : want < 0	       ? exo_strerror(want)
				       : "success");
	/* Every wrong answer on the console, the first in `why`. */
	exo_printf("hostile: %s\n", why);
	if (!sh->failures++)
		strlcpy((char *)sh->why, why, PROG_WHY);
}

#define EXPECT(call, want) expect(__LINE__, #call, (long)(call), (want))
#define REFUSED(call) EXPECT(call, ANY_ERROR)
#define E(name) (-(long)EXO_##name)

static exo_envid_t
victim(void)
{
	return (exo_envid_t)sh->arg[HA_VICTIM];
}

static uint64_t
victim_pa(unsigned i)
{
	return sh->arg[HA_VICTIM_PA + i];
}

/* The frame mapped at va in this env, from its own page tables. */
static uint64_t
own_frame(uint64_t va)
{
	for (unsigned level = 0; level < 3; level++)
		if (!exo_pte_valid(*(volatile uint64_t *)(uintptr_t)
					   exo_uvpt_pte(va, level)))
			return 0;
	return exo_pte_addr(
		*(volatile uint64_t *)(uintptr_t)exo_uvpt_pte(va, 3));
}

/* The victim's frames and address space, and frames nobody gave it. */
static void
attack_frames(void)
{
	exo_envid_t v = victim();
	long own = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	uint64_t shared_pa = own_frame(PROG_VA);
	uint64_t table_pa = own_frame(exo_uvpt_pte(PROG_VA, 2));
	uint64_t va = VICTIM_VA;
	struct exo_envinfo info;
	struct exo_mapping m;

	EXPECT(own >= 0, 1);
	for (unsigned i = 0; i < VICTIM_PAGES; i++) {
		uint64_t pa = victim_pa(i);

		for (unsigned perms = 1; perms <= 7; perms += 2) {
			m = (struct exo_mapping){ SCRATCH, pa, perms };
			EXPECT(exo_map(EXO_ENVID_SELF, &m, 1), E(EPERM));
		}
		m = (struct exo_mapping){ VICTIM_VA, pa,
					  EXO_PERM_R | EXO_PERM_W };
		EXPECT(exo_map(v, &m, 1), E(EPERM));
		EXPECT(exo_page_free(EXO_ENVID_SELF, pa), E(EPERM));
		EXPECT(exo_page_free(v, pa), E(EPERM));
		EXPECT(exo_page_alloc(EXO_ENVID_SELF, pa), E(EBUSY));
		EXPECT(exo_page_cap(pa, 1, EXO_RIGHTS_ALL), E(EPERM));
		EXPECT(exo_page_cap((uint64_t)own, 2, EXO_RIGHTS_ALL),
		       E(EPERM));
	}
	m = (struct exo_mapping){ VICTIM_VA, (uint64_t)own, EXO_PERM_R };
	EXPECT(exo_map(v, &m, 1), E(EPERM));
	EXPECT(exo_unmap(v, &va, 1), E(EPERM));
	EXPECT(exo_page_alloc(v, EXO_PA_ANY), E(EPERM));
	EXPECT(exo_env_info(v, &info), E(EPERM));
	EXPECT(exo_env_destroy(v), E(EPERM));
	EXPECT(exo_env_start(v, 0x400000, 0x500000, 0), E(EPERM));
	EXPECT(exo_env_set_upcall(v, 0x400000, 0x500000), E(EPERM));
	EXPECT(exo_revoke_request(v, 1, 1000000), E(EPERM));
	EXPECT(exo_cap_env(v, EXO_RIGHTS_ALL), E(EPERM));
	EXPECT(exo_slice_bind(EXO_CAP_SLICES, v), E(ENOENT));
	/* The root's page it shares, and the kernel's own frames. */
	EXPECT(shared_pa != 0, 1);
	EXPECT(exo_page_free(EXO_ENVID_SELF, shared_pa), E(EPERM));
	EXPECT(exo_page_cap(shared_pa, 1, EXO_RIGHTS_ALL), E(EPERM));
	EXPECT(table_pa != 0, 1);
	m = (struct exo_mapping){ SCRATCH, table_pa, EXO_PERM_R | EXO_PERM_W };
	REFUSED(exo_map(EXO_ENVID_SELF, &m, 1));
	REFUSED(exo_page_free(EXO_ENVID_SELF, table_pa));
	EXPECT(exo_page_alloc(EXO_ENVID_SELF, table_pa), E(EBUSY));
	REFUSED(exo_page_cap(table_pa, 1, EXO_RIGHTS_ALL));
	m = (struct exo_mapping){ SCRATCH, own_frame(EXO_ENVINFO),
				  EXO_PERM_R | EXO_PERM_W };
	REFUSED(exo_map(EXO_ENVID_SELF, &m, 1));
	REFUSED(exo_page_alloc(EXO_ENVID_SELF, 0));
	/* Its own frame over the kernel's windows. */
	m = (struct exo_mapping){ EXO_ENVINFO, (uint64_t)own, EXO_PERM_R };
	EXPECT(exo_map(EXO_ENVID_SELF, &m, 1), E(EINVAL));
	m = (struct exo_mapping){ EXO_UVPT, (uint64_t)own, EXO_PERM_R };
	EXPECT(exo_map(EXO_ENVID_SELF, &m, 1), E(EINVAL));
	va = EXO_ENVINFO;
	EXPECT(exo_unmap(EXO_ENVID_SELF, &va, 1), E(EINVAL));
	EXPECT(exo_page_free(EXO_ENVID_SELF, (uint64_t)own), 0);
}

static const exo_cap_t forged[] = { 40,	  63,	       64,	   65,
				    1000, 0x7fffffffu, 0xffffffffu };

/* Every call that takes a capability, on slot c. */
static void
use_cap(int line, exo_cap_t c, long want)
{
	struct exo_cap_info ci;
	struct exo_event ev;
	struct exo_msg m = { { 0 } };
	char ch;

	expect(line, "cap_derive", exo_cap_derive(c, EXO_RIGHTS_ALL), want);
	expect(line, "cap_grant", exo_cap_grant(c, 0, EXO_RIGHTS_ALL), want);
	expect(line, "cap_revoke", exo_cap_revoke(c), want);
	expect(line, "cap_info", exo_cap_info(c, &ci), want);
	expect(line, "slice_bind", exo_slice_bind(c, 0), want);
	expect(line, "notify", exo_notify(c, 1), want);
	expect(line, "ipc_call", exo_ipc_call(c, &m), want);
	expect(line, "events_read", exo_events_read(c, &ev, 1), want);
	expect(line, "cons_write", exo_cons_write(c, "x", 1), want);
	expect(line, "cons_read", exo_cons_read(c, &ch, 1), want);
	expect(line, "halt", exo_halt(c, 1), want);
	expect(line, "kcheck", exo_kcheck(c), want);
	expect(line, "irq_bind", exo_irq_bind(c, 1), ANY_ERROR);
	expect(line, "irq_ack", exo_irq_ack(c, 1), ANY_ERROR);
	expect(line, "irq_raise", exo_irq_raise(c, 1), want);
	expect(line, "cap_drop", exo_cap_drop(c), want);
}

/* A PAGES capability revoked, dropped, or whose frame went away is dead
 * for good, whatever slot it was in. */
static void
revoked_pages(void)
{
	long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	long c = exo_page_cap((uint64_t)pa, 1, EXO_RIGHTS_ALL);
	long d = exo_cap_derive((exo_cap_t)c, EXO_RIGHT_READ | EXO_RIGHT_GRANT);
	struct exo_cap_info ci;

	EXPECT(pa >= 0 && c >= 0 && d >= 0, 1);
	EXPECT(exo_cap_revoke((exo_cap_t)d), E(EPERM));
	EXPECT(exo_cap_revoke((exo_cap_t)c), 0);
	use_cap(__LINE__, (exo_cap_t)d, E(ENOENT));
	EXPECT(exo_cap_info((exo_cap_t)c, &ci), 0);
	/* The frame freed and taken again: the capabilities to it stay
	 * dead, the revoked one included. */
	EXPECT(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa), 0);
	EXPECT(exo_cap_info((exo_cap_t)c, &ci), E(ENOENT));
	EXPECT(exo_page_alloc(EXO_ENVID_SELF, (uint64_t)pa), pa);
	EXPECT(exo_cap_info((exo_cap_t)c, &ci), E(ENOENT));
	EXPECT(exo_cap_info((exo_cap_t)d, &ci), E(ENOENT));
	exo_page_free(EXO_ENVID_SELF, (uint64_t)pa);
}

/* An ENV capability for an env that died names nobody, even when its
 * slot holds a new env. */
static void
revoked_env(void)
{
	long e = exo_env_create(8, 0), c, e2;
	long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	long own = exo_page_cap((uint64_t)pa, 1, EXO_RIGHTS_ALL);
	struct exo_msg m = { { 0 } };

	EXPECT(e > 0, 1);
	c = exo_cap_env((exo_envid_t)e, EXO_RIGHTS_ALL);
	EXPECT(c >= 0, 1);
	EXPECT(exo_env_destroy((exo_envid_t)e), 0);
	EXPECT(exo_notify((exo_cap_t)c, 1), E(ENOENT));
	EXPECT(exo_ipc_call((exo_cap_t)c, &m), E(ENOENT));
	EXPECT(exo_cap_grant((exo_cap_t)own, (exo_envid_t)e, EXO_RIGHT_READ),
	       E(ENOENT));
	e2 = exo_env_create(8, 0);
	EXPECT(e2 > 0 && e2 != e, 1);
	EXPECT(exo_notify((exo_cap_t)c, 1), E(ENOENT));
	EXPECT(exo_ipc_call((exo_cap_t)c, &m), E(ENOENT));
	exo_env_destroy((exo_envid_t)e2);
	exo_wait(EXO_NOTIFY_CHILD, 0);
	exo_cap_drop((exo_cap_t)own);
	exo_page_free(EXO_ENVID_SELF, (uint64_t)pa);
}

static void
attack_caps(void)
{
	exo_cap_t ep = (exo_cap_t)sh->arg[HA_VICTIM_EP];
	struct exo_cap_info ci;
	struct exo_msg m = { { 0 } };
	long d;

	for (unsigned i = 0; i < sizeof(forged) / sizeof(forged[0]); i++)
		use_cap(__LINE__, forged[i], E(ENOENT));
	/* The console (slot 0) is no env, machine or slice. */
	EXPECT(exo_ipc_call(0, &m), E(ENOENT));
	EXPECT(exo_notify(0, 1), E(ENOENT));
	EXPECT(exo_kcheck(0), E(ENOENT));
	EXPECT(exo_halt(0, 1), E(ENOENT));
	EXPECT(exo_events_read(0, NULL, 0), E(ENOENT));
	EXPECT(exo_slice_bind(0, 0), E(ENOENT));
	/* ... and the victim's endpoint no console. */
	EXPECT(exo_cons_write(ep, "x", 1), E(ENOENT));
	/* Rights only shrink. */
	d = exo_cap_derive(ep, EXO_RIGHTS_ALL);
	EXPECT(d >= 0, 1);
	EXPECT(exo_cap_info((exo_cap_t)d, &ci), 0);
	EXPECT(ci.rights, 0);
	EXPECT(exo_ipc_call((exo_cap_t)d, &m), E(EPERM));
	EXPECT(exo_cap_grant((exo_cap_t)d, 0, EXO_RIGHTS_ALL), E(EPERM));
	EXPECT(exo_cap_revoke((exo_cap_t)d), E(EPERM));
	EXPECT(exo_cap_drop((exo_cap_t)d), 0);
	/* No channel to the victim or the root: nothing can be given. */
	EXPECT(exo_cap_grant(0, victim(), EXO_RIGHT_WRITE), E(EPERM));
	EXPECT(exo_cap_grant(0, (exo_envid_t)sh->arg[HA_ROOT], EXO_RIGHT_WRITE),
	       E(EPERM));
	EXPECT(exo_cap_env((exo_envid_t)sh->arg[HA_ROOT], EXO_RIGHTS_ALL),
	       E(EPERM));
	revoked_pages();
	revoked_env();
}

/* Pointers no call may read or write through. */
static const uint64_t bad_ptr[] = {
	0,
	8,
	EXO_USER_MIN - 8,
	SCRATCH,
	EXO_USER_TOP - 8,
	NONCANONICAL,
	0x8000000000000000ull,
	KERNEL_VA,
	KERNEL_TEXT,
	~0ull - 7,
};
/* Readable, but not writable by the env: no call may write there. */
static const uint64_t ro_ptr[] = { EXO_ENVINFO, EXO_UVPT,
				   EXO_ENVINFO + 4096 - 8 };

static void
pointers_in(uint64_t p)
{
	EXPECT(exo_map(EXO_ENVID_SELF, (void *)(uintptr_t)p, 1), E(EFAULT));
	EXPECT(exo_unmap(EXO_ENVID_SELF, (void *)(uintptr_t)p, 1), E(EFAULT));
	EXPECT(exo_cons_write(0, (void *)(uintptr_t)p, 16), E(EFAULT));
	EXPECT(exo_upcall_return((void *)(uintptr_t)p), E(EFAULT));
	EXPECT(exo_env_info(EXO_ENVID_SELF, (void *)(uintptr_t)p), E(EFAULT));
	EXPECT(exo_cap_info(0, (void *)(uintptr_t)p), E(EFAULT));
	/* 0 clears the alert word; no other of these can be one. */
	if (p)
		EXPECT(exo_alert_word((const volatile uint32_t *)(uintptr_t)p),
		       E(EFAULT));
	/* (Unmapped user addresses are fine here: the kernel cannot know
	 * what will be mapped; 0 turns upcalls off.) */
	if (p && (p < EXO_USER_MIN || p >= EXO_USER_END))
		REFUSED(exo_env_set_upcall(EXO_ENVID_SELF, p, 0x500000));
	REFUSED(exo_env_set_upcall(EXO_ENVID_SELF, 0x400000, p | 8));
}

/* Output buffers the env may read but not write. */
static void
pointers_out(uint64_t p)
{
	uint64_t before = *(volatile uint64_t *)(uintptr_t)EXO_ENVINFO;
	long r;

	EXPECT(exo_env_info(EXO_ENVID_SELF, (void *)(uintptr_t)p), E(EFAULT));
	EXPECT(exo_cap_info(0, (void *)(uintptr_t)p), E(EFAULT));
	/* Nothing to read on the console is no error; writing would be. */
	r = exo_cons_read(0, (void *)(uintptr_t)p, 16);
	EXPECT(r == 0 || r == E(EFAULT), 1);
	EXPECT(*(volatile uint64_t *)(uintptr_t)EXO_ENVINFO, before);
}

static void
absurd_lengths(void)
{
	struct exo_mapping m = { SCRATCH, 0, EXO_PERM_R };
	uint64_t va = SCRATCH;
	long child = exo_env_create(8, 0), r;
	static const uint64_t huge[] = { EXO_MAP_MAX + 1, 1ull << 32,
					 1ull << 47, 1ull << 63, ~0ull };

	EXPECT(child > 0, 1);
	for (unsigned i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		EXPECT(exo_map(EXO_ENVID_SELF, &m, huge[i]), E(EINVAL));
		EXPECT(exo_unmap(EXO_ENVID_SELF, &va, huge[i]), E(EINVAL));
		REFUSED(exo_page_cap(0, huge[i], EXO_RIGHTS_ALL));
		REFUSED(exo_env_create(huge[i], 0));
		EXPECT(exo_env_create(8, huge[i]), E(EINVAL));
		/* Rights beyond EXO_RIGHTS_ALL are malformed. */
		REFUSED(exo_cap_env(EXO_ENVID_SELF,
				    huge[i] | (EXO_RIGHTS_ALL + 1)));
		EXPECT(exo_events_read(1, (void *)SCRATCH, huge[i]), E(ENOENT));
		/* Smaller ones are good user addresses, or would have the
		 * console print this program's bytes. */
		if (huge[i] < 1ull << 47)
			continue;
		REFUSED(exo_env_start((exo_envid_t)child, huge[i], huge[i], 0));
		EXPECT(exo_cons_write(0, "abc", huge[i]), E(EFAULT));
		r = exo_cons_read(0, (char *)sh->why, huge[i]);
		EXPECT(r == 0 || r == E(EFAULT), 1);
	}
	/* Rights past bit 31 are as malformed as bit 8. */
	REFUSED(exo_cap_env(EXO_ENVID_SELF, 1ull << 40));
	EXPECT(exo_map(EXO_ENVID_SELF, &m, 0), E(EINVAL));
	EXPECT(exo_unmap(EXO_ENVID_SELF, &va, 0), E(EINVAL));
	/* A vector that runs off the end of the user half. */
	EXPECT(exo_unmap(EXO_ENVID_SELF, (void *)(uintptr_t)(EXO_USER_TOP - 8),
			 2),
	       E(EFAULT));
	EXPECT(exo_cons_write(0, (void *)(uintptr_t)(EXO_USER_TOP - 8), 16),
	       E(EFAULT));
	EXPECT(exo_revoke_request((exo_envid_t)child, 0, 1000), E(EINVAL));
	EXPECT(exo_revoke_request((exo_envid_t)child, 1, ~0ull), E(EINVAL));
	EXPECT(exo_revoke_request(EXO_ENVID_SELF, 1, 1000), E(EPERM));
	EXPECT(exo_wait(~0ull, 0), E(EINVAL));
	EXPECT(exo_wait(EXO_NOTIFY_RESERVED, 1), E(EINVAL));
	EXPECT(exo_yield(0xffffffffu), 0);
	EXPECT(exo_env_destroy(0xffffffffu), E(ENOENT));
	EXPECT(exo_env_destroy((exo_envid_t)child), 0);
	exo_wait(EXO_NOTIFY_CHILD, 0);
}

static void
attack_pointers(void)
{
	for (unsigned i = 0; i < sizeof(bad_ptr) / sizeof(bad_ptr[0]); i++)
		pointers_in(bad_ptr[i]);
	for (unsigned i = 0; i < sizeof(ro_ptr) / sizeof(ro_ptr[0]); i++)
		pointers_out(ro_ptr[i]);
	absurd_lengths();
}

/* System call numbers nobody defined, and foreign ones. */
static void
attack_numbers(void)
{
	static const uint64_t nrs[] = {
		0,	    EXO_SYS_MAX + 1, EXO_SYS_MAX + 2, 255,	 4096,
		0x7fffffff, 0xffffffff,	     1ull << 32,      1ull << 62
	};
	static const uint64_t foreign[] = { 0, 1, 39, 60, 231, 1000 };
	const long linux_enosys = -38;

	long r;

	/* An unknown number is -EXO_ENOSYS; on x86_64 a number past the
	 * Exo range makes rax a foreign call's, so -ENOSYS (Linux) too. */
	for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		r = exo_syscall6(nrs[i], ~0ull, KERNEL_VA, 0, ~0ull, 1,
				 NONCANONICAL);
		if (nrs[i] >= 0x10000 && r == linux_enosys)
			r = E(ENOSYS);
		EXPECT(r, E(ENOSYS));
	}
	/* exit_group(60/231) and friends must not end a native env. */
	for (unsigned i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		EXPECT(hostile_foreign(foreign[i], 0), linux_enosys);
}

/* The victim's IPC endpoint, with no right to it. */
static void
attack_ipc(void)
{
	exo_cap_t ep = (exo_cap_t)sh->arg[HA_VICTIM_EP];
	struct exo_msg m = { { VICTIM_CHECK, 0, 0, 0 } };
	long self_ep = exo_cap_env(EXO_ENVID_SELF, EXO_RIGHTS_ALL);

	for (unsigned i = 0; i < 200; i++) {
		EXPECT(exo_ipc_call(ep, &m), E(EPERM));
		EXPECT(exo_notify(ep, 1ull << (i % 62)), E(EPERM));
	}
	REFUSED(exo_notify(ep, EXO_NOTIFY_RESERVED));
	REFUSED(exo_notify(ep, EXO_NOTIFY_CHILD));
	/* Only an env the victim is calling could reply to it. */
	EXPECT(exo_ipc_reply_wait(victim(), &m), E(ENOENT));
	EXPECT(exo_ipc_reply_wait((exo_envid_t)sh->arg[HA_ROOT], &m),
	       E(ENOENT));
	EXPECT(exo_ipc_reply_wait(0xffffffffu, &m), E(ENOENT));
	EXPECT(exo_cap_env(victim(), EXO_RIGHT_CALL), E(EPERM));
	/* Calling itself would deadlock: refused. */
	EXPECT(self_ep >= 0, 1);
	EXPECT(exo_ipc_call((exo_cap_t)self_ep, &m), E(EINVAL));
	/* Donating its time to the victim is allowed, and harmless. */
	for (unsigned i = 0; i < 20; i++)
		EXPECT(exo_yield(victim()), 0);
}

/* The faults hostile.c makes portably, then the arch's own. */
static void
f_null_load(void)
{
	(void)*(volatile uint64_t *)(uintptr_t)0;
}

static void
f_kernel_load(void)
{
	(void)*(volatile uint64_t *)(uintptr_t)KERNEL_VA;
}

static void
f_kernel_store(void)
{
	*(volatile uint64_t *)(uintptr_t)KERNEL_TEXT = 0;
}

static void
f_noncanonical_load(void)
{
	(void)*(volatile uint64_t *)(uintptr_t)NONCANONICAL;
}

static void
f_info_store(void)
{
	*(volatile uint64_t *)(uintptr_t)EXO_ENVINFO = 0;
}

static void
f_uvpt_store(void)
{
	*(volatile uint64_t *)(uintptr_t)EXO_UVPT = 0;
}

static void
call_at(uint64_t pc)
{
	((void (*)(void))(uintptr_t)pc)();
}

static void
f_null_call(void)
{
	call_at(0);
}

static void
f_kernel_call(void)
{
	call_at(KERNEL_TEXT);
}

static void
f_noncanonical_call(void)
{
	call_at(NONCANONICAL);
}

static void
f_data_call(void)
{
	call_at(EXO_ENVINFO);
}

static void
f_stack_guard(void)
{
	*(volatile uint64_t *)(uintptr_t)(EXO_SPAWN_STACK_BOTTOM - 8) = 0;
}

static const struct hostile_fault portable_faults[] = {
	{ "null-load", EXO_FAULT_PAGE, f_null_load },
	{ "kernel-load", EXO_FAULT_PAGE, f_kernel_load },
	{ "kernel-store", EXO_FAULT_PAGE, f_kernel_store },
	{ "noncanonical-load", FAULT_ANY, f_noncanonical_load },
	{ "envinfo-store", EXO_FAULT_PAGE, f_info_store },
	{ "uvpt-store", EXO_FAULT_PAGE, f_uvpt_store },
	{ "null-call", EXO_FAULT_PAGE, f_null_call },
	{ "kernel-call", EXO_FAULT_PAGE, f_kernel_call },
	{ "noncanonical-call", FAULT_ANY, f_noncanonical_call },
	{ "execute-envinfo", EXO_FAULT_PAGE, f_data_call },
	{ "stack-guard", EXO_FAULT_PAGE, f_stack_guard },
};
#define NPORTABLE (sizeof(portable_faults) / sizeof(portable_faults[0]))

/* --- Linux calls with bad upcall stacks (HOSTILE_FOREIGN) ----------------- */

#define FOREIGN_NR 39 /* a Linux number; the handler answers it */
#define FOREIGN_ANSWER 4242
#define FSTACK                                                                 \
	(SCRATCH + 0x100000) /* a read-write page, then a read-only one */
#define PAGE EXO_PAGE_SIZE

void exo__upcall_entry(void); /* libexo's upcall entry */

static volatile uint64_t foreign_seen;

/* The "library OS": FOREIGN_NR's answer, and 0 for anything else. */
static void
foreign_handler(struct exo_upcall_frame *f)
{
	if (f->type != EXO_UPCALL_SYSCALL)
		return;
	foreign_seen++;
#if defined(__x86_64__)
	f->regs.rax = f->regs.rax == FOREIGN_NR ? FOREIGN_ANSWER : 0;
#else
	f->regs.x[0] = f->regs.x[8] == FOREIGN_NR ? FOREIGN_ANSWER : 0;
#endif
}

/* A fresh frame at va with perms: 0 or an error. */
static long
foreign_page(uint64_t va, unsigned perms)
{
	long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	struct exo_mapping m = { va, (uint64_t)pa, perms };

	if (pa < 0)
		return pa;
	return exo_map(EXO_ENVID_SELF, &m, 1) == 1 ? 0 : -1;
}

/* Upcall stack tops the frame cannot go below (the frame is 224 or 352
 * bytes): unmapped, a read-only page, half on the read-write page and
 * half on the read-only one, half on the read-write page and half on
 * the unmapped page below it.  (The top of user space is no such top:
 * the env's own stack ends there.)  Each call must get
 * -ENOSYS from the kernel, no upcall, and no byte of the read-only page
 * written; a good stack then works again. */
static void
attack_foreign(void)
{
	const long linux_enosys = -38;
	const uint64_t bad[] = { FSTACK + 3 * PAGE, FSTACK + 2 * PAGE,
				 FSTACK + PAGE + 128, FSTACK + 128 };
	uint64_t entry = (uint64_t)(uintptr_t)exo__upcall_entry;
	uint64_t good = (uint64_t)(uintptr_t)(upcall_stack + STACK_SIZE);
	const volatile uint64_t *ro =
		(const volatile uint64_t *)(uintptr_t)(FSTACK + PAGE);

	EXPECT(exo_upcall_init(foreign_handler, upcall_stack, STACK_SIZE), 0);
	EXPECT(hostile_foreign(FOREIGN_NR, 0), FOREIGN_ANSWER);
	EXPECT(foreign_seen, 1);
	EXPECT(foreign_page(FSTACK, EXO_PERM_R | EXO_PERM_W), 0);
	EXPECT(foreign_page(FSTACK + PAGE, EXO_PERM_R), 0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT(exo_env_set_upcall(EXO_ENVID_SELF, entry, bad[i]), 0);
		EXPECT(hostile_foreign(FOREIGN_NR, 0), linux_enosys);
	}
	EXPECT(exo_env_set_upcall(EXO_ENVID_SELF, entry, good), 0);
	EXPECT(foreign_seen, 1);
	for (unsigned i = 0; i < PAGE / 8; i++)
		if (ro[i]) {
			EXPECT(ro[i], 0);
			break;
		}
	EXPECT(hostile_foreign(FOREIGN_NR, 0), FOREIGN_ANSWER);
	EXPECT(foreign_seen, 2);
}

/* A fault in fault mode: report it and die. */
static void
fault_handler(struct exo_upcall_frame *f)
{
	if (f->type < 8)
		sh->upcalls[f->type]++;
	sh->fault = f->fault;
	sh->fault_addr = f->addr;
	sh->fault_pc = EXO_REGS_PC(&f->regs);
	sh->out[2] = 1;
	exo_terminate(0);
}

/*
 * Fault number arg[0] (out[0]: how many there are; out[1]: the class
 * it must have; buf: its name), with the reporting handler if arg[1].
 */
static void
attack_fault(void)
{
	uint64_t k = sh->arg[0];
	const struct hostile_fault *f;

	sh->out[0] = (int64_t)(NPORTABLE + hostile_arch_nfaults);
	if (k >= NPORTABLE + hostile_arch_nfaults)
		return;
	f = k < NPORTABLE ? &portable_faults[k]
			  : &hostile_arch_faults[k - NPORTABLE];
	sh->out[1] = f->want;
	strlcpy((char *)sh->buf, f->name, sizeof(sh->buf));
	if (sh->arg[1] &&
	    exo_upcall_init(fault_handler, upcall_stack, STACK_SIZE) < 0)
		return;
	sh->counter = 1;
	f->fn();
	sh->counter = 2; /* it did not fault */
}

/* Each upcall faults again before it can return: the frames pile up on
 * the upcall stack until the kernel cannot push one more. */
static void
overflow_handler(struct exo_upcall_frame *f)
{
	sh->counter++;
	(void)*(volatile uint64_t *)(uintptr_t)(SCRATCH + sh->counter * 8);
	sh->out[0] = -1; /* never reached */
}

/* Env slots and then frames until the kernel says no. */
static void
attack_exhaust(void)
{
	long r, n = 0;

	while ((r = exo_env_create(8, 0)) >= 0)
		n++;
	sh->out[0] = n;
	EXPECT(r, E(ENOMEM));
	n = 0;
	while ((r = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY)) >= 0)
		n++;
	sh->out[1] = n;
	EXPECT(r, E(ENOMEM));
	EXPECT(exo_info()->frames_used, exo_info()->frames_quota);
}

int
main(uint64_t arg)
{
	sh = (volatile struct prog_shared *)(uintptr_t)arg;
	sh->started = PROG_MAGIC;
	switch (sh->mode) {
	case HOSTILE_FRAMES:
		attack_frames();
		break;
	case HOSTILE_CAPS:
		attack_caps();
		break;
	case HOSTILE_POINTERS:
		attack_pointers();
		break;
	case HOSTILE_NUMBERS:
		attack_numbers();
		break;
	case HOSTILE_FOREIGN:
		attack_foreign();
		break;
	case HOSTILE_IPC:
		attack_ipc();
		break;
	case HOSTILE_FAULT:
		attack_fault();
		break;
	case HOSTILE_UPCALL_OVERFLOW:
		exo_upcall_init(overflow_handler, upcall_stack, STACK_SIZE);
		(void)*(volatile uint64_t *)(uintptr_t)SCRATCH;
		return 2;
	case HOSTILE_SPIN:
		for (;;)
			sh->counter++;
	case HOSTILE_EXHAUST:
		attack_exhaust();
		break;
	case HOSTILE_CONSOLE:
		sh->out[0] = exo_cap_revoke(0);
		break;
	default:
		return 2;
	}
	sh->done = PROG_MAGIC;
	/* Stay alive, so the root decides when it dies. */
	for (;;)
		exo_wait(0, ~0ull >> 1);
}
