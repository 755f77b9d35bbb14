/*
 * x86_64 user-mode support checked from kernel mode: the CPU set-up, the
 * page-table entry helpers, user copies on a hand-made address space
 * (bounds, faults, the read-only self-map, SMAP), register frames and
 * their sanitising, the system call entry's fast-path mask, and the
 * per-env FP/SIMD and segment-base switch.
 */
#include <exo/error.h>
#include <exo/memlayout.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <x86/cpu.h>

#define VA_RW 0x400000UL /* two pages, then an unmapped one */
#define VA_RO 0x410000UL
#define MXCSR_ROUND_ZERO 0x7f80 /* the power-on MXCSR, rounding to zero */
#define TEST_ASID 7
#define MAX_FRAMES 16

/* A throwaway user address space, built with the same helpers vm.c uses. */
struct test_as {
	uint64_t root;
	uint64_t frames[MAX_FRAMES];
	unsigned nframes;
};

static uint64_t
as_frame(struct test_as *as)
{
	uint64_t pa;

	if (as->nframes == MAX_FRAMES || pm_alloc(PM_KERNEL, &pa))
		return 0;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	as->frames[as->nframes++] = pa;
	return pa;
}

/* The leaf entry for va, creating the tables above it; NULL if frames
 * ran out. */
static pte_t *
as_leaf(struct test_as *as, uint64_t va)
{
	pte_t *table = phys_to_virt(as->root);
	uint64_t pa;
	int l;

	for (l = 3; l > 0; l--) {
		pte_t *e = &table[va >> (PAGE_SHIFT + 9 * l) & 511];

		if (!pte_valid(*e)) {
			if (!(pa = as_frame(as)))
				return NULL;
			*e = pte_table(pa);
		}
		table = phys_to_virt(pte_addr(*e));
	}
	return &table[va >> PAGE_SHIFT & 511];
}

/* Map a fresh zeroed page at va; false if frames ran out. */
static bool
as_map(struct test_as *as, uint64_t va, unsigned perms)
{
	pte_t *e = as_leaf(as, va);
	uint64_t pa;

	if (!e || !(pa = as_frame(as)))
		return false;
	*e = pte_page(pa, perms);
	return true;
}

/* Root with the kernel half and the self-map; RW pages at VA_RW and
 * VA_RW + 4K, a read-only one at VA_RO; made current.  False if frames
 * ran out. */
static bool
as_build(struct test_as *as)
{
	as->nframes = 0;
	if (!(as->root = as_frame(as)))
		return false;
	arch_as_init_root(phys_to_virt(as->root));
	((pte_t *)phys_to_virt(as->root))[EXO_UVPT_SLOT] =
		pte_selfmap(as->root);
	if (!as_map(as, VA_RW, EXO_PERM_R | EXO_PERM_W) ||
	    !as_map(as, VA_RW + PAGE_SIZE, EXO_PERM_R | EXO_PERM_W) ||
	    !as_map(as, VA_RO, EXO_PERM_R))
		return false;
	arch_as_activate(as->root, TEST_ASID);
	return true;
}

static void
as_free(struct test_as *as)
{
	arch_as_activate(0, 0);
	arch_tlb_flush_asid(TEST_ASID);
	while (as->nframes)
		pm_free(PM_KERNEL, as->frames[--as->nframes]);
}

KTEST(x86_user_cpu_setup)
{
	uint32_t r[4];

	KT_ASSERT(read_cr0() & CR0_MP);
	KT_ASSERT(!(read_cr0() & (CR0_EM | CR0_TS)));
	KT_ASSERT(read_cr4() & CR4_OSFXSR);
	KT_ASSERT(read_cr4() & CR4_OSXMMEXCPT);
	KT_ASSERT(!(read_cr4() & CR4_OSXSAVE));
	cpuid(7, 0, r);
	KT_ASSERT_EQ(!!(read_cr4() & CR4_SMEP), !!(r[1] & CPUID7_EBX_SMEP));
	KT_ASSERT_EQ(!!(read_cr4() & CR4_SMAP), !!(r[1] & CPUID7_EBX_SMAP));
	KT_ASSERT_EQ(!!(read_cr4() & CR4_FSGSBASE),
		     !!(r[1] & CPUID7_EBX_FSGSBASE));
	KT_ASSERT_EQ(!!(read_cr4() & CR4_UMIP), !!(r[2] & CPUID7_ECX_UMIP));
	KT_ASSERT(rdmsr(MSR_EFER) & EFER_SCE);
	KT_ASSERT_EQ(rdmsr(MSR_LSTAR), (uint64_t)x86_syscall_entry);
	KT_ASSERT_EQ(rdmsr(MSR_STAR) >> 32,
		     (uint64_t)GDT_KDATA << 16 | GDT_KCODE);
	KT_ASSERT((rdmsr(MSR_SFMASK) &
		   (RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC)) ==
		  (RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC));
	KT_ASSERT_EQ(rdmsr(MSR_GS_BASE), (uint64_t)&x86_percpu);
	KT_ASSERT(x86_percpu.kstack_top % 16 == 0);
	/* Only int3 may be raised from user mode. */
	KT_ASSERT_EQ(x86_idt_gate_dpl(VEC_BP), 3);
	KT_ASSERT_EQ(x86_idt_gate_dpl(VEC_GP), 0);
	KT_ASSERT_EQ(x86_idt_gate_dpl(0x80), 0);
}

KTEST(x86_pte_helpers)
{
	static const unsigned perms[] = {
		EXO_PERM_R,
		EXO_PERM_R | EXO_PERM_W,
		EXO_PERM_R | EXO_PERM_X,
		EXO_PERM_R | EXO_PERM_W | EXO_PERM_X,
	};
	const uint64_t pa = 0x123456000UL;
	unsigned i;
	pte_t e;

	for (i = 0; i < ARRAY_SIZE(perms); i++) {
		e = pte_page(pa, perms[i]);
		KT_ASSERT(pte_valid(e));
		KT_ASSERT_EQ(pte_addr(e), pa);
		KT_ASSERT_EQ(pte_perms(e), perms[i]);
		KT_ASSERT((e & PTE_U) && !(e & PTE_G));
	}
	/* Every user mapping is readable. */
	KT_ASSERT_EQ(pte_perms(pte_page(pa, 0)), EXO_PERM_R);
	e = pte_table(pa);
	KT_ASSERT(pte_valid(e) && pte_addr(e) == pa);
	KT_ASSERT((e & PTE_U) && (e & PTE_W) && !(e & PTE_NX));
	e = pte_selfmap(pa);
	KT_ASSERT(pte_valid(e) && pte_addr(e) == pa);
	KT_ASSERT((e & PTE_U) && !(e & PTE_W) && (e & PTE_NX));
	KT_ASSERT(!pte_valid(0));
}

/* Copies inside one user space: what works, what faults, what is refused
 * before any access. */
KTEST(x86_copy_user)
{
	static uint8_t buf[3 * 4096], back[sizeof(buf)];
	struct test_as as;
	unsigned before;
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	KT_ASSERT(as_build(&as));
	KT_ASSERT_EQ(arch_copy_to_user(VA_RW + 100, buf, 2 * PAGE_SIZE - 100),
		     0);
	KT_ASSERT_EQ(
		arch_copy_from_user(back, VA_RW + 100, 2 * PAGE_SIZE - 100), 0);
	KT_ASSERT(memcmp(buf, back, 2 * PAGE_SIZE - 100) == 0);

	/* Running into the unmapped page: a quiet, recorded fault, and the
	 * bytes before it are copied. */
	before = arch_last_fault.count;
	memset(back, 0, sizeof(back));
	KT_ASSERT_EQ(arch_copy_to_user(VA_RW + PAGE_SIZE, buf, 2 * PAGE_SIZE),
		     -EXO_EFAULT);
	KT_ASSERT_EQ(arch_last_fault.count, before + 1);
	KT_ASSERT_EQ(arch_last_fault.addr, VA_RW + 2 * PAGE_SIZE);
	KT_ASSERT_EQ(arch_copy_from_user(back, VA_RW + PAGE_SIZE, PAGE_SIZE),
		     0);
	KT_ASSERT(memcmp(buf, back, PAGE_SIZE) == 0);
	KT_ASSERT_EQ(arch_copy_from_user(back, VA_RW + 2 * PAGE_SIZE - 8, 16),
		     -EXO_EFAULT);

	/* CR0.WP: the kernel cannot write a read-only user page. */
	KT_ASSERT_EQ(arch_copy_from_user(&v, VA_RO, 8), 0);
	KT_ASSERT_EQ(arch_copy_to_user(VA_RO, &v, 8), -EXO_EFAULT);

	/* Refused by the range check alone: nothing is touched. */
	before = arch_last_fault.count;
	KT_ASSERT_EQ(arch_copy_from_user(&v, EXO_USER_TOP - 4, 8), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_from_user(&v, EXO_USER_TOP, 0), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_to_user(UINT64_MAX - 3, &v, 8), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_to_user((uint64_t)&v, &v, 8), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_from_user(&v, VA_RW, SIZE_MAX), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_last_fault.count, before);
	KT_ASSERT_EQ(arch_copy_from_user(&v, 0, 0), 0);

	/* SMAP: outside the copy routine, the kernel cannot read user
	 * pages at all. */
	if (x86_features.smap)
		KT_ASSERT_EQ(arch_probe_read(VA_RW, &v), -EXO_EFAULT);
	as_free(&as);
}

/* The self-map shows the tables read-only: the same entries a walk finds,
 * and no way to write them, even for the kernel. */
KTEST(x86_selfmap_read_only)
{
	const pte_t *root;
	struct test_as as;
	uint64_t e, leaf_va = exo_uvpt_pte(VA_RO, 3);
	const pte_t *t;
	int l;

	KT_ASSERT(as_build(&as));
	root = phys_to_virt(as.root);
	t = root;
	for (l = 3; l > 0; l--) {
		KT_ASSERT_EQ(
			arch_copy_from_user(&e, exo_uvpt_pte(VA_RO, 3 - l), 8),
			0);
		KT_ASSERT_EQ(e, t[VA_RO >> (PAGE_SHIFT + 9 * l) & 511]);
		t = phys_to_virt(pte_addr(e));
	}
	KT_ASSERT_EQ(arch_copy_from_user(&e, leaf_va, 8), 0);
	KT_ASSERT_EQ(e, t[VA_RO >> PAGE_SHIFT & 511]);
	KT_ASSERT_EQ(pte_perms(e), EXO_PERM_R);
	KT_ASSERT_EQ(arch_copy_to_user(leaf_va, &e, 8), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_copy_to_user(exo_uvpt_pte(VA_RO, 0), &e, 8),
		     -EXO_EFAULT);
	/* The kernel's tables are not visible: its root slots have U=0. */
	KT_ASSERT_EQ(arch_copy_from_user(&e,
					 EXO_UVPT + (256UL << 30) +
						 (256UL << 21) + (256UL << 12),
					 8),
		     -EXO_EFAULT);
	as_free(&as);
}

/* Spaces with different ASIDs keep their own mappings, and a changed
 * leaf is seen after arch_tlb_flush_page, in the current space or not. */
KTEST(x86_as_switch_and_flush)
{
	struct test_as a, b;
	uint64_t v;
	pte_t *ea, *eb;

	KT_ASSERT(as_build(&b));
	arch_as_activate(b.root, TEST_ASID + 1);
	v = 0xb;
	KT_ASSERT_EQ(arch_copy_to_user(VA_RW, &v, 8), 0);
	KT_ASSERT(as_build(&a));
	v = 0xa;
	KT_ASSERT_EQ(arch_copy_to_user(VA_RW, &v, 8), 0);
	arch_as_activate(b.root, TEST_ASID + 1);
	KT_ASSERT_EQ(arch_copy_from_user(&v, VA_RW, 8), 0);
	KT_ASSERT_EQ(v, 0xb);
	arch_as_activate(a.root, TEST_ASID);
	KT_ASSERT_EQ(arch_copy_from_user(&v, VA_RW, 8), 0);
	KT_ASSERT_EQ(v, 0xa);

	/* Point VA_RW at the page behind VA_RO, in a (current) and in b. */
	ea = as_leaf(&a, VA_RW);
	eb = as_leaf(&b, VA_RW);
	*(uint64_t *)phys_to_virt(pte_addr(*as_leaf(&a, VA_RO))) = 0xa2;
	*(uint64_t *)phys_to_virt(pte_addr(*as_leaf(&b, VA_RO))) = 0xb2;
	*ea = pte_page(pte_addr(*as_leaf(&a, VA_RO)), EXO_PERM_R);
	arch_tlb_flush_page(TEST_ASID, VA_RW);
	*eb = pte_page(pte_addr(*as_leaf(&b, VA_RO)), EXO_PERM_R);
	arch_tlb_flush_page(TEST_ASID + 1, VA_RW);
	KT_ASSERT_EQ(arch_copy_from_user(&v, VA_RW, 8), 0);
	KT_ASSERT_EQ(v, 0xa2);
	KT_ASSERT_EQ(arch_copy_to_user(VA_RW, &v, 8), -EXO_EFAULT);
	arch_as_activate(b.root, TEST_ASID + 1);
	KT_ASSERT_EQ(arch_copy_from_user(&v, VA_RW, 8), 0);
	KT_ASSERT_EQ(v, 0xb2);
	arch_tlb_flush_asid(TEST_ASID + 1);
	as_free(&a);
	as_free(&b);
}

/* User frames: a fresh one, the Exo and foreign system call registers,
 * and what arch_tf_from_regs() refuses to pass through. */
KTEST(x86_trapframe)
{
	struct trapframe tf;
	struct exo_regs r;
	uint64_t nr, a[6], fs = rdmsr(MSR_FS_BASE);
	unsigned i;

	arch_tf_init(&tf, 0x401000, 0x7ff0, 5);
	KT_ASSERT(arch_tf_pc(&tf) == 0x401000 && arch_tf_sp(&tf) == 0x7ff0);
	KT_ASSERT(tf.rdi == 5 && tf.cs == USER_CS && tf.ss == USER_SS);
	KT_ASSERT_EQ(tf.rflags, RFLAGS_IF | RFLAGS_FIXED);
	KT_ASSERT(tf.vector == VEC_SYSCALL && tf.rcx == tf.rip);
	arch_tf_init(&tf, 0x800000000000UL, 0, 0);
	KT_ASSERT_EQ(arch_tf_pc(&tf), 0);

	for (i = 0; i < 6; i++)
		arch_tf_set_arg(&tf, i, 100 + i);
	KT_ASSERT(tf.rdi == 100 && tf.rsi == 101 && tf.rdx == 102);
	KT_ASSERT(tf.r10 == 103 && tf.r8 == 104 && tf.r9 == 105);
	tf.rax = EXO_SYSCALL_BASE + 30;
	arch_tf_syscall(&tf, &nr, a);
	KT_ASSERT(nr == 30 && a[0] == 100 && a[5] == 105);
	tf.rax = 60; /* Linux exit */
	arch_tf_syscall(&tf, &nr, a);
	KT_ASSERT_EQ(nr, 60);
	arch_tf_set_ret(&tf, 7);
	KT_ASSERT_EQ(tf.rax, 7);

	arch_tf_to_regs(&tf, &r);
	KT_ASSERT(r.rdi == 100 && r.r9 == 105 && r.rax == 7);
	r.rflags = RFLAGS_IOPL | RFLAGS_NT | RFLAGS_AC | RFLAGS_CF | RFLAGS_TF |
		   (1UL << 16) | (1UL << 17); /* RF, VM */
	r.rip = 0xffff800000001000UL; /* canonical: stays, faults in user */
	r.rcx = 0x1111;
	r.fs_base = 0x0000900000000000UL; /* non-canonical */
	arch_tf_from_regs(&tf, &r);
	KT_ASSERT_EQ(tf.rflags,
		     RFLAGS_CF | RFLAGS_TF | RFLAGS_IF | RFLAGS_FIXED);
	KT_ASSERT(tf.cs == USER_CS && tf.ss == USER_SS);
	KT_ASSERT(tf.vector == VEC_RESTORE && tf.rcx == 0x1111);
	KT_ASSERT_EQ(tf.rip, 0xffff800000001000UL);
	KT_ASSERT_EQ(rdmsr(MSR_FS_BASE), 0);
	r.rip = 0x0000800000000000UL;
	arch_tf_from_regs(&tf, &r);
	KT_ASSERT_EQ(tf.rip, 0);
	wrmsr(MSR_FS_BASE, fs);
}

/* The syscall entry sends a call to syscall_try_fast() exactly when
 * syscall_is_fast() would accept it, over every Exo call number. */
KTEST(x86_fast_call_mask)
{
	uint64_t nr;

	KT_ASSERT(x86_fast_calls >> EXO_SYS_ENV_SELF & 1);
	for (nr = 0; nr < X86_EXO_CALLS; nr++) {
		bool masked = nr < 64 && (x86_fast_calls >> nr & 1);

		if (masked != syscall_is_fast(nr)) {
			ktest_fail(__FILE__, __LINE__, "call %lu: mask %d",
				   (unsigned long)nr, masked);
			return;
		}
	}
}

static uint32_t
mxcsr(void)
{
	uint32_t v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

/* The switch saves the outgoing env's FP/SIMD state and segment bases
 * and loads the incoming one's. */
KTEST(x86_env_ctx_switch)
{
	static struct arch_env_ctx a, b;
	uint16_t fcw;

	arch_env_ctx_init(&a);
	arch_env_ctx_init(&b);
	a.fx.mxcsr = MXCSR_ROUND_ZERO;
	a.fs_base = 0x1000;
	a.gs_base = 0x2000;
	arch_env_ctx_switch(NULL, &a);
	KT_ASSERT_EQ(mxcsr(), MXCSR_ROUND_ZERO);
	KT_ASSERT_EQ(rdmsr(MSR_FS_BASE), 0x1000);
	KT_ASSERT_EQ(rdmsr(MSR_KERNEL_GS_BASE), 0x2000);
	wrmsr(MSR_FS_BASE, 0x3000); /* as a user wrfsbase would */
	arch_env_ctx_switch(&a, &b);
	KT_ASSERT_EQ(a.fs_base, 0x3000);
	KT_ASSERT_EQ(a.gs_base, 0x2000);
	KT_ASSERT_EQ(a.fx.mxcsr, MXCSR_ROUND_ZERO);
	KT_ASSERT_EQ(mxcsr(), 0x1f80);
	__asm__ volatile("fnstcw %0" : "=m"(fcw));
	KT_ASSERT_EQ(fcw, 0x37f);
	KT_ASSERT_EQ(rdmsr(MSR_FS_BASE), 0);
	KT_ASSERT_EQ(rdmsr(MSR_KERNEL_GS_BASE), 0);
	arch_env_ctx_switch(&b, &b);
	KT_ASSERT_EQ(mxcsr(), 0x1f80);
}

/* SMEP: the kernel calling into a user page (here a lone `ret`) takes a
 * #PF instead of running it, which is a kernel bug, so a panic. */
KTEST_PANICS(x86_smep_kernel_exec_panics)
{
	static struct test_as as;
	uint8_t *code;

	if (!x86_features.smep)
		panic("no SMEP on this CPU: nothing to check");
	KT_ASSERT(as_build(&as));
	KT_ASSERT(as_map(&as, VA_RO + PAGE_SIZE, EXO_PERM_R | EXO_PERM_X));
	code = phys_to_virt(pte_addr(*as_leaf(&as, VA_RO + PAGE_SIZE)));
	*code = 0xc3; /* ret */
	((void (*)(void))(VA_RO + PAGE_SIZE))();
	ktest_fail(__FILE__, __LINE__, "the kernel ran a user page");
}
