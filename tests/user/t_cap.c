/*
 * Cases: capabilities (cap_env, page_cap, cap_derive, cap_grant,
 * cap_revoke, cap_drop, cap_info), checked from both ends with a
 * PEER_REMOTE peer making calls for the root.
 */
#include "prog.h"
#include "ut.h"

#define RW (EXO_PERM_R | EXO_PERM_W)
#define KERNEL_VA 0xffff800000000000ull
#define PATTERN 0x5ca1ab1e0ddba11ull
#define TIMEOUT (5 * UT_SECOND)

static long
peer_up(struct prog *p, unsigned slot)
{
	long r = prog_start(p, "peer", slot, PEER_REMOTE, 64);

	if (r < 0)
		return r;
	return prog_poll(&p->sh->done, PROG_MAGIC, TIMEOUT) ? 0 : -EXO_EAGAIN;
}

/* cap_info of slot in the peer, into *ci: its result. */
static long
peer_cap_info(struct prog *p, long slot, struct exo_cap_info *ci)
{
	long r = prog_remote(p, EXO_SYS_CAP_INFO, (uint64_t)slot, PROG_BUF(0),
			     0, 0);

	*ci = *(volatile struct exo_cap_info *)&p->sh->buf[0];
	return r;
}

/* Have the peer map frame pa at PROG_SCRATCH_VA: its result. */
static long
peer_map(struct prog *p, uint64_t pa, uint64_t perms)
{
	p->sh->buf[8] = PROG_SCRATCH_VA;
	p->sh->buf[9] = pa;
	p->sh->buf[10] = perms;
	return prog_remote(p, EXO_SYS_MAP, 0, PROG_BUF(8), 1, 0);
}

UTEST(cap_env_info)
{
	struct exo_cap_info ci;
	long e = UT_OK(exo_env_create(16, 0));
	long c = UT_OK(
		exo_cap_env((exo_envid_t)e, EXO_RIGHT_CALL | EXO_RIGHT_NOTIFY));

	UT_OK(exo_cap_info((exo_cap_t)c, &ci));
	UT_ASSERT_EQ(ci.type, EXO_CT_ENV);
	UT_ASSERT_EQ(ci.obj, e);
	UT_ASSERT_EQ(ci.rights, EXO_RIGHT_CALL | EXO_RIGHT_NOTIFY);
	UT_OK(exo_env_destroy((exo_envid_t)e));
	/* The env is gone: so is the capability, and no new one. */
	UT_ASSERT_ERR(exo_cap_info((exo_cap_t)c, &ci), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_env((exo_envid_t)e, EXO_RIGHT_CALL), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_env(0xffffffffu, EXO_RIGHT_CALL), EXO_ENOENT);
}

UTEST(page_cap_info)
{
	struct exo_cap_info ci;
	long pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	long c = UT_OK(exo_page_cap((uint64_t)pa, 1, EXO_RIGHT_READ));

	UT_OK(exo_cap_info((exo_cap_t)c, &ci));
	UT_ASSERT_EQ(ci.type, EXO_CT_PAGES);
	UT_ASSERT_EQ(ci.obj, pa);
	UT_ASSERT_EQ(ci.count, 1);
	UT_ASSERT_EQ(ci.rights, EXO_RIGHT_READ);
	UT_ASSERT_ERR(exo_page_cap((uint64_t)pa + 8, 1, EXO_RIGHT_READ),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_page_cap((uint64_t)pa, 0, EXO_RIGHT_READ),
		      EXO_EINVAL);
	UT_OK(exo_cap_drop((exo_cap_t)c));
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
	/* A frame the caller does not own. */
	UT_ASSERT_ERR(exo_page_cap((uint64_t)pa, 1, EXO_RIGHT_READ), EXO_EPERM);
}

/* Rights only shrink, however they are asked for. */
UTEST(cap_derive_shrinks)
{
	struct exo_cap_info ci;
	long c = UT_OK(exo_cap_derive(EXO_CAP_CONSOLE,
				      EXO_RIGHT_WRITE | EXO_RIGHT_GRANT));
	long d = UT_OK(exo_cap_derive((exo_cap_t)c, EXO_RIGHTS_ALL));
	long e = UT_OK(exo_cap_derive((exo_cap_t)d, EXO_RIGHT_READ));

	UT_OK(exo_cap_info((exo_cap_t)d, &ci));
	UT_ASSERT_EQ(ci.rights, EXO_RIGHT_WRITE | EXO_RIGHT_GRANT);
	UT_OK(exo_cap_info((exo_cap_t)e, &ci));
	UT_ASSERT_EQ(ci.rights, 0);
	UT_ASSERT_ERR(exo_cons_write((exo_cap_t)e, "x", 1), EXO_EPERM);
	UT_ASSERT_ERR(exo_cap_revoke((exo_cap_t)d), EXO_EPERM);
	UT_ASSERT_EQ(exo_cons_write((exo_cap_t)d, "cap: d\n", 7), 7);
	UT_OK(exo_cap_drop((exo_cap_t)c));
	UT_OK(exo_cap_drop((exo_cap_t)d));
	UT_OK(exo_cap_drop((exo_cap_t)e));
}

/* A grant copies with rights intersected, into a controlled env; it
 * needs the GRANT right. */
UTEST(cap_grant_rights)
{
	struct prog p;
	struct exo_cap_info ci;
	long c, s, e;

	UT_OK(peer_up(&p, 0));
	s = UT_OK(exo_cap_grant(EXO_CAP_CONSOLE, p.env, EXO_RIGHT_WRITE));
	UT_ASSERT_EQ(peer_cap_info(&p, s, &ci), 0);
	UT_ASSERT_EQ(ci.type, EXO_CT_CONSOLE);
	UT_ASSERT_EQ(ci.rights, EXO_RIGHT_WRITE);
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_CONS_WRITE, (uint64_t)s,
				 PROG_BUF(0), 0, 0),
		     0);
	c = UT_OK(exo_cap_derive(EXO_CAP_CONSOLE, EXO_RIGHT_WRITE));
	UT_ASSERT_ERR(exo_cap_grant((exo_cap_t)c, p.env, EXO_RIGHT_WRITE),
		      EXO_EPERM);
	UT_OK(exo_cap_drop((exo_cap_t)c));
	e = UT_OK(exo_env_create(16, 0));
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_ERR(
		exo_cap_grant(EXO_CAP_CONSOLE, (exo_envid_t)e, EXO_RIGHT_WRITE),
		EXO_ENOENT);
	UT_OK(prog_end(&p));
}

/* An env may give to an env it does not control only through an ENV
 * capability for it with the GRANT right. */
UTEST(cap_grant_channel)
{
	struct prog p;
	struct exo_cap_info ci;
	long notify, chan, slot, pa, pc;
	uint64_t root = (uint64_t)exo_env_self();

	UT_OK(peer_up(&p, 0));
	/* Something of its own to give: a frame, with every right. */
	pa = prog_remote(&p, EXO_SYS_PAGE_ALLOC, 0, EXO_PA_ANY, 0, 0);
	UT_ASSERT(pa > 0);
	pc = prog_remote(&p, EXO_SYS_PAGE_CAP, (uint64_t)pa, 1, EXO_RIGHTS_ALL,
			 0);
	UT_ASSERT(pc >= 0);
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_CAP_GRANT, (uint64_t)pc, root,
				 EXO_RIGHT_READ, 0),
		     -EXO_EPERM);
	/* A channel without the GRANT right is no channel. */
	notify = UT_OK(exo_cap_env(EXO_ENVID_SELF,
				   EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT));
	UT_OK(exo_cap_grant((exo_cap_t)notify, p.env, EXO_RIGHT_NOTIFY));
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_CAP_GRANT, (uint64_t)pc, root,
				 EXO_RIGHT_READ, 0),
		     -EXO_EPERM);
	chan = UT_OK(exo_cap_env(EXO_ENVID_SELF, EXO_RIGHT_GRANT));
	UT_OK(exo_cap_grant((exo_cap_t)chan, p.env, EXO_RIGHT_GRANT));
	slot = prog_remote(&p, EXO_SYS_CAP_GRANT, (uint64_t)pc, root,
			   EXO_RIGHT_READ, 0);
	UT_ASSERT(slot >= 0);
	UT_OK(exo_cap_info((exo_cap_t)slot, &ci));
	UT_ASSERT_EQ(ci.type, EXO_CT_PAGES);
	UT_ASSERT_EQ(ci.obj, pa);
	UT_ASSERT_EQ(ci.rights, EXO_RIGHT_READ);
	UT_OK(exo_cap_drop((exo_cap_t)slot));
	UT_OK(exo_cap_drop((exo_cap_t)chan));
	UT_OK(exo_cap_drop((exo_cap_t)notify));
	UT_OK(prog_end(&p));
}

/* Revoking kills everything derived from the object, in every table,
 * in one call; the revoker's own capability survives. */
UTEST(cap_revoke_tree)
{
	struct prog p;
	struct exo_cap_info ci;
	long e = UT_OK(exo_env_create(16, 0));
	long base = UT_OK(exo_cap_env((exo_envid_t)e, EXO_RIGHTS_ALL));
	long b = UT_OK(exo_cap_derive((exo_cap_t)base,
				      EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT));
	long c = UT_OK(exo_cap_derive((exo_cap_t)b, EXO_RIGHT_NOTIFY));
	long g;

	UT_OK(peer_up(&p, 0));
	g = UT_OK(exo_cap_grant((exo_cap_t)b, p.env, EXO_RIGHTS_ALL));
	UT_ASSERT_EQ(peer_cap_info(&p, g, &ci), 0);
	UT_ASSERT_EQ(ci.rights, EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT);
	UT_ASSERT_ERR(exo_cap_revoke((exo_cap_t)b), EXO_EPERM);
	UT_OK(exo_cap_revoke((exo_cap_t)base));
	UT_ASSERT_ERR(exo_cap_info((exo_cap_t)b, &ci), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_info((exo_cap_t)c, &ci), EXO_ENOENT);
	UT_ASSERT_ERR(exo_notify((exo_cap_t)c, 1), EXO_ENOENT);
	UT_ASSERT_EQ(peer_cap_info(&p, g, &ci), -EXO_ENOENT);
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_NOTIFY, (uint64_t)g, 1, 0, 0),
		     -EXO_ENOENT);
	UT_OK(exo_cap_info((exo_cap_t)base, &ci));
	UT_OK(exo_notify((exo_cap_t)base, 1));
	/* A revoked slot is dead for every call, and may be filled again. */
	UT_ASSERT_ERR(exo_cap_drop((exo_cap_t)b), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_derive((exo_cap_t)b, EXO_RIGHTS_ALL), EXO_ENOENT);
	UT_OK(exo_cap_drop((exo_cap_t)base));
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_OK(prog_end(&p));
}

/* Share a page with the peer through a PAGES capability: the root's
 * frame (mapped at UT_VA, holding PATTERN) and its capability slot. */
static long
share_page(struct prog *p, long *pa, long *cap, uint64_t rights)
{
	long g;

	*pa = ut_page(UT_VA, RW);
	if (*pa < 0)
		return *pa;
	*(volatile uint64_t *)(uintptr_t)UT_VA = PATTERN;
	*cap = exo_page_cap((uint64_t)*pa, 1, EXO_RIGHTS_ALL);
	if (*cap < 0)
		return *cap;
	g = exo_cap_grant((exo_cap_t)*cap, p->env, rights);
	if (g < 0)
		return g;
	return peer_map(p, (uint64_t)*pa, RW);
}

/* The grantee's mapping made through a revoked PAGES capability goes:
 * it faults on its next access.  The revoker's own mapping stays. */
UTEST(cap_revoke_unmaps_grantee)
{
	struct prog p;
	long pa, cap;
	uint64_t v = 0;

	UT_OK(peer_up(&p, 0));
	UT_ASSERT_EQ(share_page(&p, &pa, &cap, RW | EXO_RIGHT_GRANT), 1);
	UT_ASSERT(prog_remote_access(&p, PEER_LOAD, PROG_SCRATCH_VA, &v));
	UT_ASSERT_EQ(v, PATTERN);
	UT_OK(exo_cap_revoke((exo_cap_t)cap));
	UT_ASSERT(!prog_remote_access(&p, PEER_LOAD, PROG_SCRATCH_VA, &v));
	UT_ASSERT(prog_wait_dead(&p, TIMEOUT));
	UT_ASSERT_EQ(p.sh->fault, EXO_FAULT_PAGE);
	UT_ASSERT_EQ(p.sh->fault_addr, PROG_SCRATCH_VA);
	UT_ASSERT_EQ(*(volatile uint64_t *)(uintptr_t)UT_VA, PATTERN);
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}

/* The same between two siblings: the owner revokes, the grantee (which
 * the owner does not control) loses its mapping. */
UTEST(cap_revoke_unmaps_sibling)
{
	struct prog a, b;
	long pa, pc, chan, ga, gb;
	uint64_t v = PATTERN;

	UT_OK(peer_up(&a, 0));
	UT_OK(peer_up(&b, 1));
	pa = prog_remote(&a, EXO_SYS_PAGE_ALLOC, 0, EXO_PA_ANY, 0, 0);
	UT_ASSERT(pa > 0);
	UT_ASSERT_EQ(peer_map(&a, (uint64_t)pa, RW), 1);
	UT_ASSERT(prog_remote_access(&a, PEER_STORE, PROG_SCRATCH_VA, &v));
	pc = prog_remote(&a, EXO_SYS_PAGE_CAP, (uint64_t)pa, 1, EXO_RIGHTS_ALL,
			 0);
	UT_ASSERT(pc >= 0);
	chan = UT_OK(exo_cap_env(b.env, EXO_RIGHT_GRANT));
	ga = UT_OK(exo_cap_grant((exo_cap_t)chan, a.env, EXO_RIGHT_GRANT));
	UT_OK(exo_cap_drop((exo_cap_t)chan));
	gb = prog_remote(&a, EXO_SYS_CAP_GRANT, (uint64_t)pc, b.env,
			 EXO_RIGHT_READ, 0);
	UT_ASSERT(gb >= 0 && ga >= 0);
	UT_ASSERT_EQ(peer_map(&b, (uint64_t)pa, EXO_PERM_R), 1);
	/* READ only: a writable mapping is refused. */
	UT_ASSERT_EQ(peer_map(&b, (uint64_t)pa, RW), -EXO_EPERM);
	v = 0;
	UT_ASSERT(prog_remote_access(&b, PEER_LOAD, PROG_SCRATCH_VA, &v));
	UT_ASSERT_EQ(v, PATTERN);
	UT_ASSERT_EQ(prog_remote(&a, EXO_SYS_CAP_REVOKE, (uint64_t)pc, 0, 0, 0),
		     0);
	UT_ASSERT(!prog_remote_access(&b, PEER_LOAD, PROG_SCRATCH_VA, &v));
	UT_ASSERT(prog_wait_dead(&b, TIMEOUT));
	UT_ASSERT_EQ(b.sh->fault_addr, PROG_SCRATCH_VA);
	v = 0;
	UT_ASSERT(prog_remote_access(&a, PEER_LOAD, PROG_SCRATCH_VA, &v));
	UT_ASSERT_EQ(v, PATTERN);
	UT_OK(prog_end(&b));
	UT_OK(prog_end(&a));
}

/*
 * A grantee given the REVOKE right may void the other capabilities to
 * the frame, but mappings it did not make through one are not its to
 * take: the owner's own mapping of its own frame stays.
 */
UTEST(cap_revoke_by_grantee_keeps_owner_mapping)
{
	struct prog p;
	long pa, cap, g;

	UT_OK(peer_up(&p, 0));
	UT_ASSERT_EQ(share_page(&p, &pa, &cap, EXO_RIGHTS_ALL), 1);
	g = UT_OK(exo_cap_grant((exo_cap_t)cap, p.env, EXO_RIGHTS_ALL));
	UT_ASSERT_EQ(prog_remote(&p, EXO_SYS_CAP_REVOKE, (uint64_t)g, 0, 0, 0),
		     0);
	UT_ASSERT(exo_pte_valid(ut_leaf(UT_VA)));
	UT_ASSERT_EQ(*(volatile uint64_t *)(uintptr_t)UT_VA, PATTERN);
	UT_OK(prog_end(&p));
	UT_OK(ut_unpage(UT_VA, (uint64_t)pa));
}

/* A revoked capability stays dead when its frame is freed and taken
 * again by the same owner: the grantee must not get the new contents. */
UTEST(cap_revoked_stays_dead_after_realloc)
{
	struct prog p;
	struct exo_cap_info ci;
	long pa, cap, g;

	UT_OK(peer_up(&p, 0));
	pa = UT_OK(exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY));
	cap = UT_OK(exo_page_cap((uint64_t)pa, 1, EXO_RIGHTS_ALL));
	g = UT_OK(exo_cap_grant((exo_cap_t)cap, p.env, EXO_RIGHT_READ));
	UT_OK(exo_cap_revoke((exo_cap_t)cap));
	UT_ASSERT_EQ(peer_cap_info(&p, g, &ci), -EXO_ENOENT);
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
	UT_ASSERT_EQ(exo_page_alloc(EXO_ENVID_SELF, (uint64_t)pa), pa);
	UT_ASSERT_EQ(peer_cap_info(&p, g, &ci), -EXO_ENOENT);
	UT_ASSERT_EQ(peer_map(&p, (uint64_t)pa, EXO_PERM_R), -EXO_EPERM);
	UT_OK(prog_end(&p));
	UT_OK(exo_page_free(EXO_ENVID_SELF, (uint64_t)pa));
}

UTEST(cap_drop_then_use)
{
	struct exo_cap_info ci;
	long c = UT_OK(exo_cap_derive(EXO_CAP_CONSOLE, EXO_RIGHT_WRITE));

	UT_OK(exo_cap_drop((exo_cap_t)c));
	UT_ASSERT_ERR(exo_cap_drop((exo_cap_t)c), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_info((exo_cap_t)c, &ci), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cons_write((exo_cap_t)c, "x", 1), EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_grant((exo_cap_t)c, 0, EXO_RIGHTS_ALL),
		      EXO_ENOENT);
	UT_ASSERT_ERR(exo_cap_revoke((exo_cap_t)c), EXO_ENOENT);
}

/* Out-of-range slots and capabilities of the wrong type name nothing. */
UTEST(cap_forged_slots)
{
	static const exo_cap_t bad[] = { EXO_NCAPS, EXO_NCAPS + 1, 1000,
					 0x80000000u, 0xffffffffu };
	struct exo_cap_info ci;
	struct exo_event ev;
	struct exo_msg m = { { 0 } };
	long e = UT_OK(exo_env_create(16, 0));

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		UT_ASSERT_ERR(exo_cap_info(bad[i], &ci), EXO_ENOENT);
		UT_ASSERT_ERR(exo_cap_derive(bad[i], 0), EXO_ENOENT);
		UT_ASSERT_ERR(exo_cap_grant(bad[i], (exo_envid_t)e, 0),
			      EXO_ENOENT);
		UT_ASSERT_ERR(exo_cap_revoke(bad[i]), EXO_ENOENT);
		UT_ASSERT_ERR(exo_cap_drop(bad[i]), EXO_ENOENT);
		UT_ASSERT_ERR(exo_notify(bad[i], 1), EXO_ENOENT);
		UT_ASSERT_ERR(exo_slice_bind(bad[i], (exo_envid_t)e),
			      EXO_ENOENT);
	}
	UT_ASSERT_ERR(exo_ipc_call(EXO_CAP_CONSOLE, &m), EXO_ENOENT);
	UT_ASSERT_ERR(exo_notify(EXO_CAP_MACHINE, 1), EXO_ENOENT);
	UT_ASSERT_ERR(exo_slice_bind(EXO_CAP_CONSOLE, (exo_envid_t)e),
		      EXO_ENOENT);
	UT_ASSERT_ERR(exo_events_read(EXO_CAP_SLICES, &ev, 1), EXO_ENOENT);
	UT_ASSERT_ERR(exo_kcheck(EXO_CAP_SLICES), EXO_ENOENT);
	UT_OK(exo_env_destroy((exo_envid_t)e));
}

/* cap_info writes only where the caller may write. */
UTEST(cap_info_efault)
{
	static const uint64_t bad[] = {
		0, KERNEL_VA, UT_VA, EXO_ENVINFO, EXO_UVPT, EXO_USER_TOP - 8
	};
	uint64_t before = *(volatile uint64_t *)(uintptr_t)EXO_ENVINFO;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		UT_ASSERT_ERR(exo_cap_info(EXO_CAP_CONSOLE,
					   (void *)(uintptr_t)bad[i]),
			      EXO_EFAULT);
	UT_ASSERT_EQ(*(volatile uint64_t *)(uintptr_t)EXO_ENVINFO, before);
}
