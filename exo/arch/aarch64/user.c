/*
 * User mode on aarch64: what EL0 may do, user register frames and their
 * ABI form, per-env FP/SIMD state, copies to and from user memory, and
 * the way back to EL0.
 */
#include <exo/error.h>
#include <exo/memlayout.h>
#include <exo/upcall.h>
#include <kernel/arch.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/printk.h>
#include <arch/aarch64.h>

/* SPSR_EL1 bits besides SPSR_EL0T and SPSR_NZCV (arch/aarch64.h). */
#define SPSR_DIT (1UL << 24)
#define SPSR_SSBS (1UL << 12)
/* What a user frame may carry back to EL0: flags and the PSTATE bits EL0
 * may set itself.  Everything else (mode, masks, single step, PAN, ...)
 * is the kernel's. */
#define SPSR_USER (SPSR_NZCV | SPSR_DIT | SPSR_SSBS)

/* uaccess.S's view of an upcall frame. */
_Static_assert(offsetof(struct exo_upcall_frame, regs) == 64 &&
		       sizeof(struct exo_upcall_frame) == 64 + 36 * 8 &&
		       EXO_UPCALL_SYSCALL == 2,
	       "UF_REGS, UF_TYPE_SYSCALL");

#define CPACR_FPEN_ALL (3UL << 20)  /* FP/SIMD at EL0 and EL1 untrapped */
#define CNTKCTL_EL0VCTEN (1UL << 1) /* EL0 reads CNTVCT_EL0, CNTFRQ_EL0 */
#define ID_MMFR1_PAN(r) (((r) >> 20) & 0xf)
#define PSTATE_PAN (1UL << 22)

/* SCTLR_EL1 bits for EL0. */
#define SCTLR_SA0 (1UL << 4)   /* SP alignment checks */
#define SCTLR_DZE (1UL << 14)  /* DC ZVA */
#define SCTLR_UCT (1UL << 15)  /* CTR_EL0 reads */
#define SCTLR_NTWE (1UL << 18) /* WFE does not trap */
#define SCTLR_SPAN (1UL << 23) /* 0: set PSTATE.PAN on entry to EL1 */
#define SCTLR_UCI (1UL << 26)  /* DC CVAU, IC IVAU, ... */

/*
 * Let EL0 use FP/SIMD, read the virtual counter, do its own cache
 * maintenance (a library OS loads and runs code it wrote itself) and wait
 * with WFE; check its stack alignment, as Linux does.  With PAN, the
 * kernel cannot touch user memory except through LDTR/STTR (uaccess.S);
 * every exception entry sets PAN again.
 */
void
user_init(void)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);

	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_FPEN_ALL);
	write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) | CNTKCTL_EL0VCTEN);
	sctlr |= SCTLR_SA0 | SCTLR_DZE | SCTLR_UCT | SCTLR_NTWE | SCTLR_UCI;
	if (ID_MMFR1_PAN(read_sysreg(id_aa64mmfr1_el1))) {
		sctlr &= ~SCTLR_SPAN;
		/* PSTATE.PAN, by its system-register encoding. */
		write_sysreg(s3_0_c4_c2_3, PSTATE_PAN);
	}
	write_sysreg(sctlr_el1, sctlr);
	isb();
	kprintf("user: EL0 with FP/SIMD, %s\n",
		(sctlr & SCTLR_SPAN) ? "no PAN" : "PAN on");
}

/*
 * The thread pointer is kept, as the x86_64 FS base (in arch_env_ctx) is:
 * an upcall starts with the interrupted thread's, and a new env with the
 * zero its env slot was cleared to.
 */
void
arch_tf_init(struct trapframe *tf, uint64_t pc, uint64_t sp, uint64_t arg)
{
	*tf = (struct trapframe){
		.tpidr = tf->tpidr,
		.elr = pc,
		.sp = sp,
		.x = { [0] = arg },
		.spsr = SPSR_EL0T,
	};
}

/* svc #EXO_SVC_IMM: the number in x8, arguments in x0-x5. */
void
arch_tf_syscall(const struct trapframe *tf, uint64_t *nr, uint64_t a[6])
{
	*nr = tf->x[8];
	for (unsigned i = 0; i < 6; i++)
		a[i] = tf->x[i];
}

void
arch_tf_set_ret(struct trapframe *tf, uint64_t v)
{
	tf->x[0] = v;
}

void
arch_tf_set_arg(struct trapframe *tf, unsigned i, uint64_t v)
{
	assert(i < 6);
	tf->x[i] = v;
}

void
arch_tf_set_msg(struct trapframe *tf, uint64_t ret, const uint64_t w[4])
{
	tf->x[0] = ret;
	tf->x[1] = w[0];
	tf->x[2] = w[1];
	tf->x[3] = w[2];
	tf->x[4] = w[3];
}

uint64_t
arch_tf_arg(const struct trapframe *tf, unsigned i)
{
	assert(i < 6);
	return tf->x[i];
}

uint64_t
arch_tf_pc(const struct trapframe *tf)
{
	return tf->elr;
}

uint64_t
arch_tf_sp(const struct trapframe *tf)
{
	return tf->sp;
}

void
arch_tf_to_regs(const struct trapframe *tf, struct exo_regs *r)
{
	memcpy(r->x, tf->x, sizeof(r->x));
	r->sp = tf->sp;
	r->pc = tf->elr;
	r->pstate = tf->spsr & SPSR_NZCV;
	r->tpidr = tf->tpidr;
	r->pad = 0;
}

/*
 * Only the flags come from r->pstate.  Any pc is safe to return to: one
 * that is misaligned or outside the user half faults at EL0 (a PC
 * alignment fault or an instruction abort), which is the env's own fault.
 */
void
arch_tf_from_regs(struct trapframe *tf, const struct exo_regs *r)
{
	memcpy(tf->x, r->x, sizeof(tf->x));
	tf->sp = r->sp;
	tf->elr = r->pc;
	tf->spsr = SPSR_EL0T | (r->pstate & SPSR_NZCV);
	tf->tpidr = r->tpidr;
}

/* FPCR 0: round to nearest, no FP traps, no flush to zero. */
void
arch_env_ctx_init(struct arch_env_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

/* Eager: the kernel never uses FP/SIMD, so the live registers are always
 * the running env's. */
void
arch_env_ctx_switch(struct arch_env_ctx *from, struct arch_env_ctx *to)
{
	if (from == to)
		return;
	if (from)
		fpsimd_save(from);
	fpsimd_load(to);
}

/* Whether [va, va+n) lies in the user half, without wrapping around. */
static bool
user_range(uint64_t va, size_t n)
{
	return n <= EXO_USER_TOP && va <= EXO_USER_TOP - n;
}

int
arch_copy_from_user(void *dst, uint64_t usrc, size_t n)
{
	if (!user_range(usrc, n))
		return -EXO_EFAULT;
	/* Page-table writes made so far must be visible to the walks. */
	__asm__ volatile("dsb ishst" ::: "memory");
	return aarch64_copy_from_user(dst, usrc, n) ? -EXO_EFAULT : 0;
}

int
arch_copy_to_user(uint64_t udst, const void *src, size_t n)
{
	if (!user_range(udst, n))
		return -EXO_EFAULT;
	__asm__ volatile("dsb ishst" ::: "memory");
	return aarch64_copy_to_user(udst, src, n) ? -EXO_EFAULT : 0;
}

/*
 * The boot stack is CPU 0's kernel stack: nothing on it outlives a trip
 * to user mode, so every entry from EL0 starts again at its top.  The
 * DSB makes page-table writes of this kernel entry visible to the walks
 * the env's next accesses make, so a fresh mapping never faults.
 */
void
arch_return_to_user(struct trapframe *tf)
{
	tf->spsr &= SPSR_USER;
	__asm__ volatile("dsb ishst" ::: "memory");
	aarch64_return_to_user(tf, (uintptr_t)boot_stack_top);
}

/* DC ZVA zeroes a block of 4 << DCZID_EL0.BS bytes, unless DZP forbids it;
 * then plain stores do. */
void
arch_page_zero(void *page)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uintptr_t p = (uintptr_t)page, end = p + PAGE_SIZE;

	if (dczid & (1u << 4)) {
		memset(page, 0, PAGE_SIZE);
		return;
	}
	for (uint64_t block = 4ull << (dczid & 0xf); p < end; p += block)
		__asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
}

/* Sixty-four bytes a turn: the compiler makes four LDP/STP pairs of it. */
void
arch_page_copy(void *dst, const void *src)
{
	uint64_t *d = dst;
	const uint64_t *s = src;

	for (unsigned i = 0; i < PAGE_SIZE / 8; i += 8) {
		uint64_t w0 = s[i], w1 = s[i + 1], w2 = s[i + 2], w3 = s[i + 3],
			 w4 = s[i + 4], w5 = s[i + 5], w6 = s[i + 6],
			 w7 = s[i + 7];

		d[i] = w0;
		d[i + 1] = w1;
		d[i + 2] = w2;
		d[i + 3] = w3;
		d[i + 4] = w4;
		d[i + 5] = w5;
		d[i + 6] = w6;
		d[i + 7] = w7;
	}
}

/* Clean each data-cache line to the point of unification, then
 * invalidate the instruction cache for it (Arm ARM: "Concurrent
 * modification and execution of instructions"); line sizes from CTR_EL0. */
void
arch_sync_icache(const void *kva, size_t n)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uintptr_t dline = 4u << (ctr >> 16 & 0xf), iline = 4u << (ctr & 0xf);
	uintptr_t start = (uintptr_t)kva, end = start + n, p;

	for (p = start & ~(dline - 1); p < end; p += dline)
		__asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
	for (p = start & ~(iline - 1); p < end; p += iline)
		__asm__ volatile("ic ivau, %0" ::"r"(p) : "memory");
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

/* The trap frame's x0-x30, sp and elr are exo_regs' x0-x30, sp and pc,
 * in the same order: one copy from the frame itself, then the rest. */
_Static_assert(offsetof(struct trapframe, elr) == 32 * 8 &&
		       offsetof(struct exo_regs, pc) == 32 * 8,
	       "x0-x30, sp, pc line up");

int
arch_upcall_frame_out(uint64_t at, struct exo_upcall_frame *f,
		      const struct trapframe *tf)
{
	uint64_t regs = at + offsetof(struct exo_upcall_frame, regs);
	uint64_t tail[3] = { tf->spsr & SPSR_NZCV, tf->tpidr, 0 };

	if (arch_copy_to_user(at, f, offsetof(struct exo_upcall_frame, regs)) ||
	    arch_copy_to_user(regs, tf, 33 * 8) ||
	    arch_copy_to_user(regs + offsetof(struct exo_regs, pstate), tail,
			      sizeof(tail)))
		return -EXO_EFAULT;
	return 0;
}
