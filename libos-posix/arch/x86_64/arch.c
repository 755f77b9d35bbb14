/*
 * x86_64: the Linux system call registers (rax; rdi, rsi, rdx, r10, r8,
 * r9; result in rax, rcx and r11 clobbered by the instruction itself),
 * struct stat, the thread pointer (FS base) and the first registers.
 */
#include <exo/string.h>

#include "posix.h"

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define CPUID1_ECX_RDRAND (1u << 30)

const char arch_machine[] = "x86_64";

uint64_t
arch_sysnr(const struct exo_regs *r)
{
	return r->rax;
}

void
arch_sysargs(const struct exo_regs *r, uint64_t a[6])
{
	a[0] = r->rdi;
	a[1] = r->rsi;
	a[2] = r->rdx;
	a[3] = r->r10;
	a[4] = r->r8;
	a[5] = r->r9;
}

void
arch_set_ret(struct exo_regs *r, long v)
{
	r->rax = (uint64_t)v;
}

static void
cpuid1(uint32_t *ecx, uint32_t *edx)
{
	uint32_t eax = 1, ebx, c = 0;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(c), "=d"(*edx));
	*ecx = c;
}

/* What Linux gives: CPUID.1:EDX. */
uint64_t
arch_hwcap(void)
{
	uint32_t ecx, edx;

	cpuid1(&ecx, &edx);
	return edx;
}

bool
arch_random(uint64_t *v)
{
	uint32_t ecx, edx;

	cpuid1(&ecx, &edx);
	if (!(ecx & CPUID1_ECX_RDRAND))
		return false;
	/* RDRAND may come back empty for a while; Intel suggests 10 tries. */
	for (int i = 0; i < 10; i++) {
		unsigned char ok;

		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* arch/x86/include/uapi/asm/stat.h */
struct l_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	uint64_t st_ctime, st_ctime_nsec;
	int64_t unused[3];
};

_Static_assert(sizeof(struct l_stat) == 144, "x86_64 struct stat");

long
arch_stat_out(uint64_t buf, const struct kstat *st)
{
	struct l_stat s;

	memset(&s, 0, sizeof(s));
	s.st_dev = st->dev;
	s.st_ino = st->ino;
	s.st_nlink = st->nlink;
	s.st_mode = st->mode;
	s.st_uid = st->uid;
	s.st_gid = st->gid;
	s.st_rdev = st->rdev;
	s.st_size = st->size;
	s.st_blksize = st->blksize;
	s.st_blocks = st->blocks;
	s.st_atime = s.st_mtime = s.st_ctime =
		(int64_t)(st->mtime / 1000000000);
	s.st_atime_nsec = s.st_mtime_nsec = s.st_ctime_nsec =
		(int64_t)(st->mtime % 1000000000);
	return copy_out(buf, &s, sizeof(s));
}

/*
 * arch_prctl: the FS and GS bases.  The bases are live CPU state that
 * libexo's user-mode resume does not reload, so a new one goes back
 * through exo_upcall_return, which loads every register of the frame.
 * Nothing on the way here touched the FP/SIMD registers (the libOS is
 * built with -mgeneral-regs-only), so skipping libexo's restore of them
 * loses nothing.
 */
/* The program's bases, for the direct-call entry (direct.S), which
 * builds frames without the kernel: not every CPU lets user code read
 * the bases themselves (FSGSBASE). */
uint64_t posix_fs_base, posix_gs_base;

POSIX_SYS(arch_prctl)
{
	bool fs = a[0] == ARCH_SET_FS || a[0] == ARCH_GET_FS;
	uint64_t *base = fs ? &f->regs.fs_base : &f->regs.gs_base;

	switch (a[0]) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (a[1] >= EXO_USER_TOP)
			return -L_EPERM;
		*base = a[1];
		*(fs ? &posix_fs_base : &posix_gs_base) = a[1];
		f->regs.rax = 0;
		exo_upcall_return(f);
		return -L_EFAULT;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		return copy_out(a[1], base, sizeof(*base));
	default:
		return -L_EINVAL;
	}
}

/* The SSE and x87 state (fxsave's 512 bytes; the buffer is aligned). */
void
arch_fp_save(void *buf)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(buf) : "memory");
}

void
arch_fp_load(const void *buf)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(buf) : "memory");
}

/* Linux starts a program with every register zero but rsp (rdx = 0:
 * no function for atexit) and the flags clear. */
void
arch_enter(uint64_t entry, uint64_t sp)
{
	struct exo_upcall_frame f;

	memset(&f, 0, sizeof(f));
	posix_fs_base = posix_gs_base = 0;
	f.regs.rip = entry;
	f.regs.rsp = sp;
	exo_upcall_return(&f);
	posix_log("posix: pid %u: cannot start the program\n", proc.pid);
	posix_exit(127 << 8);
}

void posix_upcall_entry(void); /* direct.S */

/* The libOS's own entry (direct.S), not libexo's: libexo's saves and
 * restores the FP/SIMD registers around the handler, which the libOS,
 * built with general registers only, never touches.  Like libexo's, it
 * resumes the program in user mode, without entering the kernel. */
int
arch_upcall_init(void *stack, uint64_t size)
{
	uint64_t top = ((uint64_t)(uintptr_t)stack + size) & ~15ull;
	long r = exo_env_set_upcall(
		EXO_ENVID_SELF, (uint64_t)(uintptr_t)posix_upcall_entry, top);

	return r < 0 ? (int)r : 0;
}
