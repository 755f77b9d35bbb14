/*
 * x86_64 signal frames, laid out as Linux lays them out
 * (arch/x86/include/uapi/asm/sigcontext.h, asm/sigframe.h): at the
 * handler's entry rsp points at the return address, then the ucontext
 * (with the registers in Linux's sigcontext order, which is what
 * glibc's and musl's REG_* indices name), then the siginfo; the
 * fxsave image, 64-byte aligned, above them.  The handler returns to
 * sa_restorer, or, if the program gave none, to posix_sigreturn_tramp
 * in the libOS's text (mapped executable in every process).
 */
#include <exo/string.h>

#include "posix.h"

#define FP_BYTES 512
#define REDZONE 128
#define USER_CS 0x33
#define USER_SS 0x2b
/* The flags sigreturn may change (Linux's FIX_EFLAGS). */
#define FIX_EFLAGS 0x50dd5ull
#define MXCSR_OFF 24
#define MXCSR_MASK_OFF 28

struct l_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved[8];
};

struct l_ucontext {
	uint64_t flags, link;
	struct l_stack stack;
	struct l_sigcontext mc;
	uint64_t sigmask;
};

struct l_siginfo {
	int32_t signo, errno_, code, pad;
	uint64_t addr; /* si_addr for faults; si_pid, si_uid for kill */
	uint8_t rest[104];
};

struct rt_sigframe {
	uint64_t pretcode;
	struct l_ucontext uc;
	struct l_siginfo info;
};

_Static_assert(sizeof(struct l_sigcontext) == 256, "sigcontext");
_Static_assert(sizeof(struct l_siginfo) == 128, "siginfo");

/* What a handler returns to when the program gave no restorer. */
extern const char posix_sigreturn_tramp[];
__asm__(".pushsection .text\n"
	".globl posix_sigreturn_tramp\n"
	"posix_sigreturn_tramp:\n"
	"\tmov $15, %eax\n" /* rt_sigreturn */
	"\tsyscall\n"
	"\tud2\n"
	".popsection");

bool
arch_signal_frame(struct exo_upcall_frame *f, const struct sigdelivery *d)
{
	struct exo_regs *r = &f->regs;
	uint8_t fp[FP_BYTES] __attribute__((aligned(16)));
	struct rt_sigframe fr;
	uint64_t sp = d->sp - REDZONE, fpaddr, at;

	fpaddr = (sp - FP_BYTES) & ~63ull;
	at = ((fpaddr - sizeof(fr)) & ~15ull) - 8;
	memset(&fr, 0, sizeof(fr));
	fr.pretcode = d->restorer ? d->restorer
				  : (uint64_t)(uintptr_t)posix_sigreturn_tramp;
	fr.uc.stack = d->stack;
	fr.uc.mc = (struct l_sigcontext){
		.r8 = r->r8,
		.r9 = r->r9,
		.r10 = r->r10,
		.r11 = r->r11,
		.r12 = r->r12,
		.r13 = r->r13,
		.r14 = r->r14,
		.r15 = r->r15,
		.rdi = r->rdi,
		.rsi = r->rsi,
		.rbp = r->rbp,
		.rbx = r->rbx,
		.rdx = r->rdx,
		.rax = r->rax,
		.rcx = r->rcx,
		.rsp = r->rsp,
		.rip = r->rip,
		.eflags = r->rflags,
		.cs = USER_CS,
		.ss = USER_SS,
		.fpstate = fpaddr,
		.oldmask = d->mask,
	};
	if (f->type == EXO_UPCALL_FAULT) {
		fr.uc.mc.err = f->code & 0xffffffffu;
		fr.uc.mc.trapno = f->code >> 32;
		fr.uc.mc.cr2 = f->addr;
	}
	fr.uc.sigmask = d->mask;
	fr.info.signo = d->sig;
	fr.info.code = d->code;
	fr.info.addr = d->addr;
	arch_fp_save(fp);
	if (at < EXO_USER_MIN || copy_out(fpaddr, fp, sizeof(fp)) < 0 ||
	    copy_out(at, &fr, sizeof(fr)) < 0)
		return false;
	r->rdi = (uint64_t)d->sig;
	r->rsi = at + offsetof(struct rt_sigframe, info);
	r->rdx = at + offsetof(struct rt_sigframe, uc);
	r->rax = 0;
	r->rsp = at;
	r->rip = d->handler;
	r->rflags &= ~(1ull << 10 | 1ull << 8); /* DF and TF clear */
	return true;
}

/* Load the fxsave image at ufp, its MXCSR cut to what the CPU takes
 * (a bad one would fault in fxrstor). */
static long
fp_restore(uint64_t ufp)
{
	uint8_t fp[FP_BYTES] __attribute__((aligned(16)));
	uint32_t mxcsr, mask;

	arch_fp_save(fp);
	memcpy(&mask, fp + MXCSR_MASK_OFF, sizeof(mask));
	if (!mask)
		mask = 0xffbf;
	if (copy_in(fp, ufp, sizeof(fp)) < 0)
		return -L_EFAULT;
	memcpy(&mxcsr, fp + MXCSR_OFF, sizeof(mxcsr));
	mxcsr &= mask;
	memcpy(fp + MXCSR_OFF, &mxcsr, sizeof(mxcsr));
	arch_fp_load(fp);
	return 0;
}

long
arch_sigreturn(struct exo_upcall_frame *f, uint64_t *mask)
{
	struct exo_regs *r = &f->regs;
	struct l_ucontext uc;
	uint64_t at = r->rsp - 8; /* the handler's ret took pretcode */

	if (copy_in(&uc, at + offsetof(struct rt_sigframe, uc), sizeof(uc)) <
		    0 ||
	    (uc.mc.fpstate && fp_restore(uc.mc.fpstate) < 0))
		return -L_EFAULT;
	r->r8 = uc.mc.r8;
	r->r9 = uc.mc.r9;
	r->r10 = uc.mc.r10;
	r->r11 = uc.mc.r11;
	r->r12 = uc.mc.r12;
	r->r13 = uc.mc.r13;
	r->r14 = uc.mc.r14;
	r->r15 = uc.mc.r15;
	r->rdi = uc.mc.rdi;
	r->rsi = uc.mc.rsi;
	r->rbp = uc.mc.rbp;
	r->rbx = uc.mc.rbx;
	r->rdx = uc.mc.rdx;
	r->rax = uc.mc.rax;
	r->rcx = uc.mc.rcx;
	r->rsp = uc.mc.rsp;
	r->rip = uc.mc.rip;
	r->rflags = (r->rflags & ~FIX_EFLAGS) | (uc.mc.eflags & FIX_EFLAGS);
	*mask = uc.sigmask;
	return 0;
}

/* The syscall instruction is two bytes; the number goes back in rax.  A
 * direct call is made again by calling the entry from the caller's
 * return address, which is still on its stack. */
void
arch_restart(struct exo_upcall_frame *f, uint64_t nr, uint64_t a0)
{
	struct exo_regs *r = &f->regs;

	(void)a0;
	r->rax = nr;
	if (f->arg[0] != POSIX_DIRECT_MARK) {
		r->rip -= 2;
		return;
	}
	if (copy_out(r->rsp - 8, &r->rip, sizeof(r->rip)) < 0)
		return;
	r->rsp -= 8;
	r->rip = (uint64_t)(uintptr_t)posix_direct_entry;
}

long
arch_ret(const struct exo_regs *r)
{
	return (long)r->rax;
}
