/*
 * User mode: the CPU features it needs (syscall MSRs, FP/SIMD, SMEP/SMAP,
 * FSGSBASE, UMIP), user register frames, the per-env FP/SIMD and segment
 * base state, copies to and from user memory, and the way back to user
 * mode.  Trap classification is in trap.c, address spaces in as.c.
 */
#include <exo/error.h>
#include <exo/upcall.h>
#include <exo/memlayout.h>
#include <kernel/arch.h>
#include <kernel/env.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/printk.h>
#include <kernel/syscall.h>
#include <kernel/upcall.h>
#include <x86/cpu.h>

/* What user code may keep in RFLAGS: the arithmetic flags, DF, TF (single
 * step, reported as EXO_FAULT_BREAK) and ID.  IF is forced on; IOPL, NT,
 * AC, RF, VM, VIF and VIP are forced off. */
#define RFLAGS_USER                                                            \
	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF |           \
	 RFLAGS_TF | RFLAGS_DF | RFLAGS_OF | RFLAGS_ID)
/* Cleared on `syscall`, so the kernel starts with interrupts off and no
 * user flag that changes how it runs. */
#define SFMASK                                                                 \
	(RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC | RFLAGS_NT |           \
	 RFLAGS_IOPL)
/* FNINIT's control word and the power-on MXCSR: all exceptions masked. */
#define FCW_INIT 0x037f
#define MXCSR_INIT 0x1f80

_Static_assert(offsetof(struct trapframe, vector) == TF_VECTOR, "TF_VECTOR");
_Static_assert(offsetof(struct trapframe, rip) == TF_RIP, "TF_RIP");
_Static_assert(offsetof(struct trapframe, cs) == TF_CS, "TF_CS");
_Static_assert(offsetof(struct trapframe, rflags) == TF_RFLAGS, "TF_RFLAGS");
_Static_assert(offsetof(struct trapframe, rsp) == TF_RSP, "TF_RSP");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE");
_Static_assert(offsetof(struct x86_percpu, kstack_top) == PERCPU_KSTACK,
	       "PERCPU_KSTACK");
_Static_assert(offsetof(struct x86_percpu, user_rsp) == PERCPU_USER_RSP,
	       "PERCPU_USER_RSP");
_Static_assert(offsetof(struct x86_percpu, user_rip) == PERCPU_USER_RIP,
	       "PERCPU_USER_RIP");

_Static_assert(offsetof(struct x86_percpu, upcall_entry) == PERCPU_UPCALL_ENTRY,
	       "PERCPU_UPCALL_ENTRY");
_Static_assert(offsetof(struct x86_percpu, counters) == PERCPU_COUNTERS,
	       "PERCPU_COUNTERS");
_Static_assert(offsetof(struct x86_features, smap) == X86_FEATURE_SMAP,
	       "X86_FEATURE_SMAP");
_Static_assert(offsetof(struct exo_env_counters, foreign) == COUNTERS_FOREIGN &&
		       offsetof(struct exo_env_counters, upcalls) ==
			       COUNTERS_UPCALLS,
	       "COUNTERS_*");
_Static_assert(sizeof(struct exo_upcall_frame) == UPCALL_FRAME_SIZE &&
		       offsetof(struct exo_upcall_frame, regs) == UPCALL_REGS &&
		       EXO_UPCALL_SYSCALL == UPCALL_TYPE_SYSCALL &&
		       UPCALL_RFLAGS == (RFLAGS_IF | RFLAGS_FIXED),
	       "UPCALL_*");

_Static_assert(EXO_SYS_MAX < 64, "x86_fast_calls has a bit per call");

struct x86_features x86_features;
uint64_t x86_fast_calls;

/* 48-bit virtual addresses: bits 63..47 all equal. */
static bool
canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* The CR4 bits for the optional features this CPU has; notes them in
 * x86_features. */
static uint64_t
probe_features(void)
{
	uint32_t r1[4], r7[4] = { 0 };
	uint64_t cr4 = 0;

	cpuid(0, 0, r1);
	if (r1[0] >= 7)
		cpuid(7, 0, r7);
	cpuid(1, 0, r1);
	x86_features.pcid = r1[2] & CPUID1_ECX_PCID;
	x86_features.invpcid = x86_features.pcid && r7[1] & CPUID7_EBX_INVPCID;
	x86_features.smep = r7[1] & CPUID7_EBX_SMEP;
	x86_features.smap = r7[1] & CPUID7_EBX_SMAP;
	x86_features.fsgsbase = r7[1] & CPUID7_EBX_FSGSBASE;
	x86_features.umip = r7[2] & CPUID7_ECX_UMIP;
	if (x86_features.smep)
		cr4 |= CR4_SMEP;
	if (x86_features.smap)
		cr4 |= CR4_SMAP;
	if (x86_features.fsgsbase)
		cr4 |= CR4_FSGSBASE;
	if (x86_features.umip)
		cr4 |= CR4_UMIP;
	return cr4;
}

/*
 * Ready the boot CPU for user mode, once the kernel's page tables are in
 * place.  FP/SIMD: x87 and SSE run natively (MP, NE; EM and TS clear) and
 * FXSAVE/FXRSTOR are allowed (OSFXSR), but CR4.OSXSAVE stays off, so
 * CPUID tells user code that AVX state is not preserved.
 */
void
x86_user_init(void)
{
	uint64_t cr4 = probe_features() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4((read_cr4() & ~CR4_OSXSAVE) | cr4);
	x86_as_init();

	/* The fast-path test of the syscall entry (vectors.S). */
	for (uint64_t nr = 0; nr <= EXO_SYS_MAX; nr++)
		if (syscall_is_fast(nr))
			x86_fast_calls |= 1ULL << nr;
	wrmsr(MSR_STAR, (uint64_t)GDT_KDATA << 48 | (uint64_t)GDT_KCODE << 32);
	wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
	wrmsr(MSR_SFMASK, SFMASK);
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	kprintf("cpu: user mode with%s%s%s%s%s%s\n",
		x86_features.smep ? " smep" : "",
		x86_features.smap ? " smap" : "",
		x86_features.umip ? " umip" : "",
		x86_features.fsgsbase ? " fsgsbase" : "",
		x86_features.pcid ? " pcid" : "",
		x86_features.invpcid ? " invpcid" : "");
}

/* --- register frames ----------------------------------------------------- */

/* A pc the CPU can return to: a non-canonical one becomes 0, inside the
 * never-mapped guard, so the env faults there instead of the kernel
 * faulting on its way out. */
static uint64_t
user_pc(uint64_t pc)
{
	return canonical(pc) ? pc : 0;
}

void
arch_tf_init(struct trapframe *tf, uint64_t pc, uint64_t sp, uint64_t arg)
{
	uint64_t rip = user_pc(pc), rflags = RFLAGS_IF | RFLAGS_FIXED;

	/* Every field, as after a syscall (rcx = rip, r11 = rflags), so
	 * sysretq can start it; one store each, no memset. */
	*tf = (struct trapframe){
		.rip = rip,
		.rsp = sp,
		.rdi = arg,
		.cs = USER_CS,
		.ss = USER_SS,
		.rflags = rflags,
		.vector = VEC_SYSCALL,
		.rcx = rip,
		.r11 = rflags,
	};
}

/* The number is rax less EXO_SYSCALL_BASE for an Exo call, and rax
 * itself (the Linux number) for a foreign one. */
void
arch_tf_syscall(const struct trapframe *tf, uint64_t *nr, uint64_t a[6])
{
	unsigned i;

	*nr = x86_exo_call(tf->rax) ? tf->rax - EXO_SYSCALL_BASE : tf->rax;
	for (i = 0; i < 6; i++)
		a[i] = arch_tf_arg(tf, i);
}

void
arch_tf_set_ret(struct trapframe *tf, uint64_t v)
{
	tf->rax = v;
}

/* Where system call argument register i (0..5) is in a trapframe. */
static size_t
arg_offset(unsigned i)
{
	static const size_t off[6] = {
		offsetof(struct trapframe, rdi),
		offsetof(struct trapframe, rsi),
		offsetof(struct trapframe, rdx),
		offsetof(struct trapframe, r10),
		offsetof(struct trapframe, r8),
		offsetof(struct trapframe, r9),
	};

	assert(i < ARRAY_SIZE(off));
	return off[i];
}

void
arch_tf_set_arg(struct trapframe *tf, unsigned i, uint64_t v)
{
	*(uint64_t *)((char *)tf + arg_offset(i)) = v;
}

void
arch_tf_set_msg(struct trapframe *tf, uint64_t ret, const uint64_t w[4])
{
	tf->rax = ret;
	tf->rsi = w[0];
	tf->rdx = w[1];
	tf->r10 = w[2];
	tf->r8 = w[3];
}

uint64_t
arch_tf_arg(const struct trapframe *tf, unsigned i)
{
	return *(const uint64_t *)((const char *)tf + arg_offset(i));
}

uint64_t
arch_tf_pc(const struct trapframe *tf)
{
	return tf->rip;
}

uint64_t
arch_tf_sp(const struct trapframe *tf)
{
	return tf->rsp;
}

/* The segment bases are the live ones: see struct arch_env_ctx. */
void
arch_tf_to_regs(const struct trapframe *tf, struct exo_regs *r)
{
	*r = (struct exo_regs){
		.rax = tf->rax,
		.rbx = tf->rbx,
		.rcx = tf->rcx,
		.rdx = tf->rdx,
		.rsi = tf->rsi,
		.rdi = tf->rdi,
		.rbp = tf->rbp,
		.rsp = tf->rsp,
		.r8 = tf->r8,
		.r9 = tf->r9,
		.r10 = tf->r10,
		.r11 = tf->r11,
		.r12 = tf->r12,
		.r13 = tf->r13,
		.r14 = tf->r14,
		.r15 = tf->r15,
		.rip = tf->rip,
		.rflags = tf->rflags,
		.fs_base = rdmsr(MSR_FS_BASE),
		.gs_base = rdmsr(MSR_KERNEL_GS_BASE),
	};
}

/* Every register comes back exactly (so iretq, not sysretq), except what
 * sanitising changes: rflags, a non-canonical rip, and non-canonical
 * segment bases, which become 0 (WRMSR would fault on them). */
void
arch_tf_from_regs(struct trapframe *tf, const struct exo_regs *r)
{
	*tf = (struct trapframe){
		.rax = r->rax,
		.rbx = r->rbx,
		.rcx = r->rcx,
		.rdx = r->rdx,
		.rsi = r->rsi,
		.rdi = r->rdi,
		.rbp = r->rbp,
		.rsp = r->rsp,
		.r8 = r->r8,
		.r9 = r->r9,
		.r10 = r->r10,
		.r11 = r->r11,
		.r12 = r->r12,
		.r13 = r->r13,
		.r14 = r->r14,
		.r15 = r->r15,
		.rip = user_pc(r->rip),
		.rflags = (r->rflags & RFLAGS_USER) | RFLAGS_IF | RFLAGS_FIXED,
		.cs = USER_CS,
		.ss = USER_SS,
		.vector = VEC_RESTORE,
	};
	wrmsr(MSR_FS_BASE, canonical(r->fs_base) ? r->fs_base : 0);
	wrmsr(MSR_KERNEL_GS_BASE, canonical(r->gs_base) ? r->gs_base : 0);
}

/* --- per-env state ------------------------------------------------------- */

void
arch_env_ctx_init(struct arch_env_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->fx.fcw = FCW_INIT;
	ctx->fx.mxcsr = MXCSR_INIT;
}

/* The kernel never touches FP/SIMD registers, so the running env's are
 * still in the CPU here. */
void
arch_env_ctx_switch(struct arch_env_ctx *from, struct arch_env_ctx *to)
{
	if (from == to)
		return;
	if (from) {
		__asm__ volatile("fxsave64 %0" : "=m"(from->fx));
		from->fs_base = rdmsr(MSR_FS_BASE);
		from->gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	}
	__asm__ volatile("fxrstor64 %0" : : "m"(to->fx));
	wrmsr(MSR_FS_BASE, to->fs_base);
	wrmsr(MSR_KERNEL_GS_BASE, to->gs_base);
}

/* --- foreign calls --------------------------------------------------------- */

/* The syscall entry's fast path for a foreign call (vectors.S): the
 * frame's address from upcall_syscall_frame(), or 0; with the upcall
 * entry and the env's counters left in the per-CPU slots for the entry
 * code. */
uint64_t
x86_foreign_frame(uint64_t sp)
{
	uint64_t at = upcall_syscall_frame(sp);

	if (at) {
		x86_percpu.upcall_entry = curenv->upcall_entry;
		x86_percpu.counters = &curenv->info->counters;
	}
	return at;
}

/* --- user memory --------------------------------------------------------- */

static bool
user_range(uint64_t va, size_t n)
{
	return va < EXO_USER_TOP && n <= EXO_USER_TOP - va;
}

/* With SMAP, the kernel reaches user pages only between stac and clac. */
static int
copy_user(void *dst, const void *src, size_t n)
{
	int err;

	if (x86_features.smap)
		__asm__ volatile("stac" ::: "memory");
	err = x86_copy_user(dst, src, n);
	if (x86_features.smap)
		__asm__ volatile("clac" ::: "memory");
	return err;
}

int
arch_copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	if (!user_range(usrc, n))
		return -EXO_EFAULT;
	return copy_user(dst, (const void *)usrc, n);
}

/* CR0.WP is set: a read-only user page (the self-map, the info page)
 * faults even for the kernel. */
int
arch_copy_to_user(uint64_t udst, const void *src, size_t n)
{
	if (!user_range(udst, n))
		return -EXO_EFAULT;
	return copy_user((void *)udst, src, n);
}

/* --- the way out --------------------------------------------------------- */

/*
 * Sanitise tf, move it to the top of the kernel stack (the stack is empty
 * from there on) and leave: sysretq for a VEC_SYSCALL frame, iretq for any
 * other.  Either would fault in kernel mode on a non-canonical rip, which
 * a syscall at the very top of user space leaves behind: that becomes the
 * #GP the env would have taken running there.
 */
void
arch_return_to_user(struct trapframe *tf)
{
	struct trapframe *top = (struct trapframe *)x86_percpu.kstack_top - 1;

	/* cli inline: this is on every slow system call's way out. */
	__asm__ volatile("cli" ::: "memory");
	tf->cs = USER_CS;
	tf->ss = USER_SS;
	tf->rflags = (tf->rflags & RFLAGS_USER) | RFLAGS_IF | RFLAGS_FIXED;
	if (tf != top)
		*top = *tf;
	if (unlikely(!canonical(top->rip))) {
		top->vector = VEC_GP;
		top->error = 0;
		x86_reenter_user_trap(top);
	}
	if (top->vector == VEC_SYSCALL)
		x86_return_sysret(top);
	x86_return_iret(top);
}

void
arch_page_zero(void *page)
{
	void *d = page;
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0ull) : "memory");
}

void
arch_page_copy(void *dst, const void *src)
{
	uint64_t n = PAGE_SIZE / 8;

	__asm__ volatile("rep movsq"
			 : "+D"(dst), "+S"(src), "+c"(n)
			 :
			 : "memory");
}

/* x86 keeps instruction fetch coherent with stores. */
void
arch_sync_icache(const void *kva, size_t n)
{
}

int
arch_upcall_frame_out(uint64_t at, struct exo_upcall_frame *f,
		      const struct trapframe *tf)
{
	arch_tf_to_regs(tf, &f->regs);
	return arch_copy_to_user(at, f, sizeof(*f));
}
