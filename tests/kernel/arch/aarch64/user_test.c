/*
 * aarch64 user-mode support, checked from kernel mode: the descriptor
 * helpers, a hand-made user space as the hardware walks it (ASIDs, TLB
 * flushes, the self-map), the user copies and their EFAULT paths, PAN,
 * the register frames and the FP/SIMD switch.
 */
#include <exo/error.h>
#include <exo/memlayout.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <arch/aarch64.h>
#include <arch/pte.h>

#define PAR_F 1ul
#define USPACE_FRAMES 16
#define ASID_A 1
#define ASID_B 2

/* Where the hand-made space maps its pages. */
#define U_RW 0x10000000ul
#define U_RO (U_RW + PAGE_SIZE)
#define U_NONE (U_RW + 2 * PAGE_SIZE) /* never mapped */

#define FPCR_DN (1ul << 25)
#define CPACR_FPEN (3ul << 20)
#define SCTLR_UCT (1ul << 15)
#define SCTLR_UCI (1ul << 26)
#define TCR_EPD0_BIT (1ul << 7)
#define PSTATE_PAN (1ul << 22)
#define ID_MMFR1_PAN(r) (((r) >> 20) & 0xf)

/* A user space of a few pages, its frames and its ASID. */
struct uspace {
	uint64_t root;
	uint64_t frames[USPACE_FRAMES];
	unsigned nframes;
	unsigned asid;
};

static uint64_t *
frame_va(uint64_t pa)
{
	return phys_to_virt(pa);
}

/* A zeroed frame owned by s (0 if none is left: the test then fails). */
static uint64_t
uspace_frame(struct uspace *s)
{
	uint64_t pa;

	if (s->nframes == USPACE_FRAMES || pm_alloc(PM_KERNEL, &pa))
		return 0;
	memset(frame_va(pa), 0, PAGE_SIZE);
	s->frames[s->nframes++] = pa;
	return pa;
}

/* The level-3 slot for va, creating tables on the way; NULL if out of
 * frames. */
static uint64_t *
uspace_leaf(struct uspace *s, uint64_t va)
{
	uint64_t *t = frame_va(s->root);

	for (int level = 0; level < 3; level++) {
		uint64_t *e = &t[PT_INDEX(va, level)];

		if (!pte_valid(*e)) {
			uint64_t pa = uspace_frame(s);

			if (!pa)
				return NULL;
			*e = pte_table(pa);
		}
		t = frame_va(pte_addr(*e));
	}
	return &t[PT_INDEX(va, 3)];
}

/* A new frame mapped at va with perms, filled with `fill`; its pa or 0. */
static uint64_t
uspace_map(struct uspace *s, uint64_t va, unsigned perms, int fill)
{
	uint64_t *leaf = uspace_leaf(s, va);
	uint64_t pa = leaf ? uspace_frame(s) : 0;

	if (pa) {
		memset(frame_va(pa), fill, PAGE_SIZE);
		*leaf = pte_page(pa, perms);
	}
	return pa;
}

/* An empty space with its self-map, tagged asid; false if out of frames. */
static bool
uspace_init(struct uspace *s, unsigned asid)
{
	memset(s, 0, sizeof(*s));
	s->asid = asid;
	s->root = uspace_frame(s);
	if (!s->root)
		return false;
	arch_as_init_root(frame_va(s->root));
	frame_va(s->root)[EXO_UVPT_SLOT] = pte_selfmap(s->root);
	arch_tlb_flush_asid(asid);
	return true;
}

/* The usual pair of pages: U_RW (0x11) and U_RO (0x22). */
static bool
uspace_init_pages(struct uspace *s, unsigned asid)
{
	return uspace_init(s, asid) &&
	       uspace_map(s, U_RW, EXO_PERM_R | EXO_PERM_W, 0x11) &&
	       uspace_map(s, U_RO, EXO_PERM_R, 0x22);
}

/* Back to the empty space, then free everything. */
static void
uspace_free(struct uspace *s)
{
	arch_as_activate(0, 0);
	arch_tlb_flush_asid(s->asid);
	for (unsigned i = 0; i < s->nframes; i++)
		pm_free(PM_KERNEL, s->frames[i]);
	s->nframes = 0;
}

/* Whether EL0 could read (or write) va in the current space. */
static bool
el0_can(uint64_t va, bool write)
{
	if (write)
		__asm__ volatile("at s1e0w, %0" ::"r"(va));
	else
		__asm__ volatile("at s1e0r, %0" ::"r"(va));
	isb();
	return !(read_sysreg(par_el1) & PAR_F);
}

/* Leaves are user pages with the requested rights, never run by the
 * kernel; tables double as read-only, never-executable user pages. */
KTEST(aarch64_pte_helpers)
{
	static const unsigned perms[] = { EXO_PERM_R, EXO_PERM_R | EXO_PERM_W,
					  EXO_PERM_R | EXO_PERM_X,
					  EXO_PERM_MASK };
	uint64_t pa = 0x40123000, e;

	for (unsigned i = 0; i < ARRAY_SIZE(perms); i++) {
		e = pte_page(pa, perms[i]);
		KT_ASSERT(pte_valid(e));
		KT_ASSERT_EQ(pte_addr(e), pa);
		KT_ASSERT_EQ(pte_perms(e), perms[i]);
		KT_ASSERT(e & PTE_PXN);
		KT_ASSERT(e & PTE_NG);
		KT_ASSERT(e & PTE_AF);
		KT_ASSERT(e & PTE_AP_EL0);
	}
	e = pte_table(pa);
	KT_ASSERT(pte_valid(e));
	KT_ASSERT_EQ(pte_addr(e), pa);
	KT_ASSERT_EQ(pte_perms(e), EXO_PERM_R);
	KT_ASSERT_EQ(e & (PTE_PXN | PTE_NG | PTE_AF | PTE_AP_EL0),
		     PTE_PXN | PTE_NG | PTE_AF | PTE_AP_EL0);
	/* The hierarchical controls (bits 59-63) restrict nothing. */
	KT_ASSERT_EQ(e >> 59, 0);
	KT_ASSERT_EQ(pte_selfmap(pa), e);
	KT_ASSERT(!pte_valid(0));
	KT_ASSERT(!pte_valid(pa | PTE_BLOCK));
}

/* Copies reach the current space's pages with EL0's rights only. */
KTEST(aarch64_user_copy)
{
	struct uspace s;
	uint8_t buf[64], back[64];
	uint64_t rw;

	KT_ASSERT(uspace_init_pages(&s, ASID_A));
	rw = pte_addr(*uspace_leaf(&s, U_RW));
	arch_as_activate(s.root, s.asid);
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);

	KT_ASSERT_EQ(arch_copy_to_user(U_RW + 3, buf, sizeof(buf)), 0);
	KT_ASSERT(!memcmp((uint8_t *)frame_va(rw) + 3, buf, sizeof(buf)));
	KT_ASSERT_EQ(arch_copy_from_user(back, U_RW + 3, 13), 0);
	KT_ASSERT(!memcmp(back, buf, 13));
	KT_ASSERT_EQ(arch_copy_from_user(back, U_RO, sizeof(back)), 0);
	KT_ASSERT_EQ(back[0], 0x22);

	/* Read-only to the user, so read-only to the copy as well. */
	KT_ASSERT_EQ(arch_copy_to_user(U_RO, buf, 8), -EXO_EFAULT);
	KT_ASSERT_EQ(*(uint8_t *)frame_va(pte_addr(*uspace_leaf(&s, U_RO))),
		     0x22);
	/* Unmapped, entirely or from the middle on. */
	KT_ASSERT_EQ(arch_copy_from_user(back, U_NONE, 1), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_last_fault.addr, U_NONE);
	KT_ASSERT_EQ(arch_copy_from_user(back, U_NONE - 5, 16), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_to_user(U_NONE - 5, buf, 16), -EXO_EFAULT);
	uspace_free(&s);
	KT_ASSERT_EQ(arch_copy_from_user(back, U_RW, 8), -EXO_EFAULT);
}

/* Ranges outside the user half are refused before any access. */
KTEST(aarch64_user_copy_range)
{
	static uint64_t kernel_word = 42;
	unsigned faults = arch_last_fault.count;
	uint8_t buf[16];

	KT_ASSERT_EQ(arch_copy_from_user(buf, EXO_USER_TOP - 4, 8),
		     -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_from_user(buf, UINT64_MAX - 7, 16), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_to_user((uintptr_t)&kernel_word, buf, 8),
		     -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_from_user(buf, (uintptr_t)&kernel_word, 8),
		     -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_to_user(0, buf, SIZE_MAX), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_from_user(buf, EXO_USER_TOP, 0), 0);
	KT_ASSERT_EQ(arch_last_fault.count, faults);
	KT_ASSERT_EQ(kernel_word, 42);
}

/* The env reads every level of its tables at EXO_UVPT, never writes. */
KTEST(aarch64_user_selfmap)
{
	struct uspace s;
	uint64_t *t, e, ent = 0;

	KT_ASSERT(uspace_init_pages(&s, ASID_A));
	arch_as_activate(s.root, s.asid);
	t = frame_va(s.root);
	for (unsigned level = 0; level < 4; level++) {
		uint64_t va = exo_uvpt_pte(U_RW, level);

		e = t[PT_INDEX(U_RW, level)];
		KT_ASSERT_EQ(arch_copy_from_user(&ent, va, 8), 0);
		KT_ASSERT_EQ(ent, e);
		KT_ASSERT(el0_can(va, false));
		KT_ASSERT(!el0_can(va, true));
		KT_ASSERT_EQ(arch_copy_to_user(va, &ent, 8), -EXO_EFAULT);
		if (level < 3)
			t = frame_va(pte_addr(e));
	}
	KT_ASSERT_EQ(t[PT_INDEX(U_RW, 3)], ent);
	KT_ASSERT(el0_can(U_RW, true));
	KT_ASSERT(!el0_can(U_RO, true));
	uspace_free(&s);
}

/* Two spaces tagged with different ASIDs map one address to different
 * frames, without a flush between switches; a page flush takes a changed
 * leaf into account. */
KTEST(aarch64_asid_and_flush)
{
	struct uspace a, b;
	uint64_t *leaf, other;
	uint8_t v = 0;

	KT_ASSERT(uspace_init_pages(&a, ASID_A));
	KT_ASSERT(uspace_init_pages(&b, ASID_B));
	memset(frame_va(pte_addr(*uspace_leaf(&b, U_RW))), 0x33, PAGE_SIZE);
	for (int round = 0; round < 2; round++) {
		arch_as_activate(a.root, a.asid);
		KT_ASSERT_EQ(arch_copy_from_user(&v, U_RW, 1), 0);
		KT_ASSERT_EQ(v, 0x11);
		arch_as_activate(b.root, b.asid);
		KT_ASSERT_EQ(arch_copy_from_user(&v, U_RW, 1), 0);
		KT_ASSERT_EQ(v, 0x33);
	}
	/* Break, flush, make: U_RW of b now shows U_RO's frame. */
	leaf = uspace_leaf(&b, U_RW);
	other = pte_addr(*uspace_leaf(&b, U_RO));
	*leaf = 0;
	arch_tlb_flush_page(b.asid, U_RW);
	KT_ASSERT_EQ(arch_copy_from_user(&v, U_RW, 1), -EXO_EFAULT);
	*leaf = pte_page(other, EXO_PERM_R);
	KT_ASSERT_EQ(arch_copy_from_user(&v, U_RW, 1), 0);
	KT_ASSERT_EQ(v, 0x22);
	uspace_free(&b);
	uspace_free(&a);
}

/* With PAN, the kernel's own loads cannot reach user pages: only the
 * copies can. */
KTEST(aarch64_user_pan)
{
	struct uspace s;
	uint64_t v;

	if (!ID_MMFR1_PAN(read_sysreg(id_aa64mmfr1_el1)))
		return;
	KT_ASSERT(read_sysreg(s3_0_c4_c2_3) & PSTATE_PAN);
	KT_ASSERT(uspace_init_pages(&s, ASID_A));
	arch_as_activate(s.root, s.asid);
	KT_ASSERT_EQ(arch_probe_read(U_RW, &v), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_from_user(&v, U_RW, 8), 0);
	KT_ASSERT_EQ(v, 0x1111111111111111ull);
	uspace_free(&s);
}

/* EL0 gets FP/SIMD and cache maintenance; TTBR0 walks are on, through an
 * empty space while no env runs. */
KTEST(aarch64_user_cpu_state)
{
	KT_ASSERT_EQ(read_sysreg(cpacr_el1) & CPACR_FPEN, CPACR_FPEN);
	KT_ASSERT(read_sysreg(sctlr_el1) & SCTLR_UCT);
	KT_ASSERT(read_sysreg(sctlr_el1) & SCTLR_UCI);
	KT_ASSERT(!(read_sysreg(tcr_el1) & TCR_EPD0_BIT));
	KT_ASSERT_EQ(read_sysreg(ttbr0_el1) >> 48, 0);
	KT_ASSERT(!el0_can(EXO_USER_MIN, false));
	KT_ASSERT(!el0_can((uintptr_t)&arch_probe_read, false));
}

/* Frames: the syscall registers, and the ABI block's sanitising. */
KTEST(aarch64_trapframe)
{
	struct trapframe tf = { .tpidr = 0x7777 };
	struct exo_regs r;
	uint64_t nr, a[6];

	arch_tf_init(&tf, 0x400000, 0x7000000, 99);
	KT_ASSERT_EQ(arch_tf_pc(&tf), 0x400000);
	KT_ASSERT_EQ(arch_tf_sp(&tf), 0x7000000);
	KT_ASSERT_EQ(tf.x[0], 99);
	KT_ASSERT_EQ(tf.spsr, 0);
	KT_ASSERT_EQ(tf.tpidr, 0x7777);
	for (unsigned i = 0; i < 6; i++)
		arch_tf_set_arg(&tf, i, 100 + i);
	tf.x[8] = 12;
	arch_tf_syscall(&tf, &nr, a);
	KT_ASSERT_EQ(nr, 12);
	KT_ASSERT_EQ(a[5], 105);
	KT_ASSERT_EQ(arch_tf_arg(&tf, 3), 103);
	arch_tf_set_ret(&tf, (uint64_t)-EXO_EFAULT);
	KT_ASSERT_EQ(tf.x[0], (uint64_t)-EXO_EFAULT);

	tf.spsr = SPSR_NZCV;
	arch_tf_to_regs(&tf, &r);
	KT_ASSERT_EQ(r.pstate, SPSR_NZCV);
	KT_ASSERT_EQ(r.tpidr, 0x7777);
	KT_ASSERT_EQ(r.x[5], 105);
	r.pstate = UINT64_MAX; /* EL1h, masks, single step: all refused */
	r.pc = 0x500000;
	arch_tf_from_regs(&tf, &r);
	KT_ASSERT_EQ(tf.spsr, SPSR_NZCV);
	KT_ASSERT_EQ(tf.elr, 0x500000);
}

/* v5's low half, FPCR and TPIDRRO_EL0 follow the env across switches. */
KTEST(aarch64_fpsimd_switch)
{
	static struct arch_env_ctx a, b;
	uint64_t v;

	arch_env_ctx_init(&a);
	arch_env_ctx_init(&b);
	a.q[5][0] = 0x0123456789abcdefull;
	a.fpcr = FPCR_DN;
	a.tpidrro = 0x5555;
	arch_env_ctx_switch(NULL, &a);
	__asm__ volatile("fmov %0, d5" : "=r"(v));
	KT_ASSERT_EQ(v, 0x0123456789abcdefull);
	KT_ASSERT_EQ(read_sysreg(fpcr), FPCR_DN);
	KT_ASSERT_EQ(read_sysreg(tpidrro_el0), 0x5555);

	v = 0xfeedfacecafebeefull;
	__asm__ volatile("fmov d5, %0" ::"r"(v));
	arch_env_ctx_switch(&a, &b);
	KT_ASSERT_EQ(a.q[5][0], 0xfeedfacecafebeefull);
	__asm__ volatile("fmov %0, d5" : "=r"(v));
	KT_ASSERT_EQ(v, 0);
	KT_ASSERT_EQ(read_sysreg(fpcr), 0);
	KT_ASSERT_EQ(read_sysreg(tpidrro_el0), 0);
}
