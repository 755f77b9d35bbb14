/*
 * aarch64 signal frames, laid out as Linux lays them out
 * (arch/arm64/include/uapi/asm/sigcontext.h, kernel/signal.c): at the
 * handler's entry sp points at the siginfo, then the ucontext, whose
 * sigcontext's reserved area holds an fpsimd_context record and an
 * empty terminator, then a frame record (the interrupted x29 and x30)
 * that x29 points at.  x30 is sa_restorer if the program gave one;
 * glibc gives none on aarch64 (Linux returns through its vDSO), so
 * the handler then returns to posix_sigreturn_tramp in the libOS's
 * text, mapped executable in every process.
 */
#include <exo/string.h>

#include "posix.h"

#define FPSIMD_MAGIC 0x46508001u
#define FPSIMD_SIZE 528u
#define NZCV 0xf0000000ull /* the flags sigreturn may change */

struct l_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint8_t reserved[4096] __attribute__((aligned(16)));
};

struct l_ucontext {
	uint64_t flags, link;
	struct l_stack stack;
	uint64_t sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct l_sigcontext mc;
};

struct l_siginfo {
	int32_t signo, errno_, code, pad;
	uint64_t addr; /* si_addr for faults */
	uint8_t rest[104];
};

struct fpsimd_context {
	uint32_t magic, size;
	uint32_t fpsr, fpcr;
	uint8_t vregs[32 * 16];
};

struct rt_sigframe {
	struct l_siginfo info;
	struct l_ucontext uc;
	uint64_t fp, lr; /* the frame record */
};

_Static_assert(offsetof(struct l_ucontext, mc) == 176, "ucontext");
_Static_assert(sizeof(struct fpsimd_context) == FPSIMD_SIZE, "fpsimd");
_Static_assert(sizeof(struct l_siginfo) == 128, "siginfo");

extern const char posix_sigreturn_tramp[];
__asm__(".pushsection .text\n"
	".globl posix_sigreturn_tramp\n"
	".p2align 2\n"
	"posix_sigreturn_tramp:\n"
	"\tmov x8, #139\n" /* rt_sigreturn */
	"\tsvc #0\n"
	"\tudf #0\n"
	".popsection");

/* The layout arch_fp_save uses: fpsr, fpcr (64 bits each), q0-q31. */
struct fpbuf {
	uint64_t fpsr, fpcr;
	uint8_t vregs[32 * 16];
};

_Static_assert(sizeof(struct fpbuf) == ARCH_FP_BYTES, "fp buffer");

/* Too big for the upcall stack's taste: one frame at a time. */
static struct rt_sigframe fr;

bool
arch_signal_frame(struct exo_upcall_frame *f, const struct sigdelivery *d)
{
	struct exo_regs *r = &f->regs;
	struct fpbuf fp __attribute__((aligned(16)));
	struct fpsimd_context ctx = { FPSIMD_MAGIC, FPSIMD_SIZE, 0, 0, { 0 } };
	uint64_t at = (d->sp - sizeof(fr)) & ~15ull;

	memset(&fr, 0, sizeof(fr));
	fr.info.signo = d->sig;
	fr.info.code = d->code;
	fr.info.addr = d->addr;
	fr.uc.stack = d->stack;
	fr.uc.sigmask = d->mask;
	memcpy(fr.uc.mc.regs, r->x, sizeof(fr.uc.mc.regs));
	fr.uc.mc.sp = r->sp;
	fr.uc.mc.pc = r->pc;
	fr.uc.mc.pstate = r->pstate;
	if (f->type == EXO_UPCALL_FAULT)
		fr.uc.mc.fault_address = f->addr;
	arch_fp_save(&fp);
	ctx.fpsr = (uint32_t)fp.fpsr;
	ctx.fpcr = (uint32_t)fp.fpcr;
	memcpy(ctx.vregs, fp.vregs, sizeof(ctx.vregs));
	memcpy(fr.uc.mc.reserved, &ctx, sizeof(ctx));
	fr.fp = r->x[29];
	fr.lr = r->x[30];
	if (at < EXO_USER_MIN || copy_out(at, &fr, sizeof(fr)) < 0)
		return false;
	r->x[0] = (uint64_t)d->sig;
	r->x[1] = at + offsetof(struct rt_sigframe, info);
	r->x[2] = at + offsetof(struct rt_sigframe, uc);
	r->x[29] = at + offsetof(struct rt_sigframe, fp);
	r->x[30] = d->restorer ? d->restorer
			       : (uint64_t)(uintptr_t)posix_sigreturn_tramp;
	r->sp = at;
	r->pc = d->handler;
	return true;
}

long
arch_sigreturn(struct exo_upcall_frame *f, uint64_t *mask)
{
	struct exo_regs *r = &f->regs;
	struct fpsimd_context ctx;
	struct fpbuf fp __attribute__((aligned(16)));
	uint64_t at = r->sp;

	if (at % 16 || copy_in(&fr.uc, at + offsetof(struct rt_sigframe, uc),
			       sizeof(fr.uc)) < 0)
		return -L_EFAULT;
	memcpy(&ctx, fr.uc.mc.reserved, sizeof(ctx));
	if (ctx.magic != FPSIMD_MAGIC || ctx.size != FPSIMD_SIZE)
		return -L_EFAULT;
	fp.fpsr = ctx.fpsr;
	fp.fpcr = ctx.fpcr;
	memcpy(fp.vregs, ctx.vregs, sizeof(fp.vregs));
	arch_fp_load(&fp);
	memcpy(r->x, fr.uc.mc.regs, sizeof(r->x));
	r->sp = fr.uc.mc.sp;
	r->pc = fr.uc.mc.pc;
	r->pstate = (r->pstate & ~NZCV) | (fr.uc.mc.pstate & NZCV);
	*mask = fr.uc.sigmask;
	return 0;
}

/* svc is four bytes; x0, which took the result, gets the first argument
 * back (x8 still holds the number).  A direct call is made again by
 * branching to the entry with the caller's return address in x30, where
 * it still is. */
void
arch_restart(struct exo_upcall_frame *f, uint64_t nr, uint64_t a0)
{
	struct exo_regs *r = &f->regs;

	(void)nr;
	r->x[0] = a0;
	if (f->arg[0] == POSIX_DIRECT_MARK)
		r->pc = (uint64_t)(uintptr_t)posix_direct_entry;
	else
		r->pc -= 4;
}

long
arch_ret(const struct exo_regs *r)
{
	return (long)r->x[0];
}
