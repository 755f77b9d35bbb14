/*
 * aarch64: the Linux system call registers (x8; x0..x5; result in x0,
 * nothing else changes), struct stat and the first registers.  The
 * thread pointer is TPIDR_EL0, which the program writes itself and the
 * upcall frame carries.
 */
#include <exo/string.h>

#include "posix.h"

#define HWCAP_FP (1u << 0)
#define HWCAP_ASIMD (1u << 1)

const char arch_machine[] = "aarch64";

uint64_t
arch_sysnr(const struct exo_regs *r)
{
	return r->x[8];
}

void
arch_sysargs(const struct exo_regs *r, uint64_t a[6])
{
	for (int i = 0; i < 6; i++)
		a[i] = r->x[i];
}

void
arch_set_ret(struct exo_regs *r, long v)
{
	r->x[0] = (uint64_t)v;
}

/*
 * The ARMv8.0 baseline every aarch64 CPU has.  The ID registers that
 * would tell more trap at EL0 unless the kernel emulates them, which
 * Exo does not; so programs pick their baseline code paths.
 */
uint64_t
arch_hwcap(void)
{
	return HWCAP_FP | HWCAP_ASIMD;
}

/* RNDR exists only with FEAT_RNG, which EL0 cannot ask about (see
 * arch_hwcap). */
bool
arch_random(uint64_t *v)
{
	return false;
}

/* include/uapi/asm-generic/stat.h */
struct l_stat {
	uint64_t st_dev, st_ino;
	uint32_t st_mode, st_nlink, st_uid, st_gid;
	uint64_t st_rdev, pad1;
	int64_t st_size;
	int32_t st_blksize, pad2;
	int64_t st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec;
	int64_t st_ctime, st_ctime_nsec;
	uint32_t unused[2];
};

_Static_assert(sizeof(struct l_stat) == 128, "asm-generic struct stat");

long
arch_stat_out(uint64_t buf, const struct kstat *st)
{
	struct l_stat s;

	memset(&s, 0, sizeof(s));
	s.st_dev = st->dev;
	s.st_ino = st->ino;
	s.st_mode = st->mode;
	s.st_nlink = st->nlink;
	s.st_uid = st->uid;
	s.st_gid = st->gid;
	s.st_rdev = st->rdev;
	s.st_size = st->size;
	s.st_blksize = (int32_t)st->blksize;
	s.st_blocks = st->blocks;
	s.st_atime = s.st_mtime = s.st_ctime =
		(int64_t)(st->mtime / 1000000000);
	s.st_atime_nsec = s.st_mtime_nsec = s.st_ctime_nsec =
		(int64_t)(st->mtime % 1000000000);
	return copy_out(buf, &s, sizeof(s));
}

/* fpsr, fpcr and q0-q31: 528 bytes. */
void
arch_fp_save(void *buf)
{
	__asm__ volatile(
		"mrs x9, fpsr\n\tmrs x10, fpcr\n\tstp x9, x10, [%0]\n\t"
		"add x9, %0, #16\n\t"
		"stp q0, q1, [x9, #0]\n\tstp q2, q3, [x9, #32]\n\t"
		"stp q4, q5, [x9, #64]\n\tstp q6, q7, [x9, #96]\n\t"
		"stp q8, q9, [x9, #128]\n\tstp q10, q11, [x9, #160]\n\t"
		"stp q12, q13, [x9, #192]\n\tstp q14, q15, [x9, #224]\n\t"
		"stp q16, q17, [x9, #256]\n\tstp q18, q19, [x9, #288]\n\t"
		"stp q20, q21, [x9, #320]\n\tstp q22, q23, [x9, #352]\n\t"
		"stp q24, q25, [x9, #384]\n\tstp q26, q27, [x9, #416]\n\t"
		"stp q28, q29, [x9, #448]\n\tstp q30, q31, [x9, #480]"
		:
		: "r"(buf)
		: "x9", "x10", "memory");
}

void
arch_fp_load(const void *buf)
{
	__asm__ volatile(
		"ldp x9, x10, [%0]\n\tmsr fpsr, x9\n\tmsr fpcr, x10\n\t"
		"add x9, %0, #16\n\t"
		"ldp q0, q1, [x9, #0]\n\tldp q2, q3, [x9, #32]\n\t"
		"ldp q4, q5, [x9, #64]\n\tldp q6, q7, [x9, #96]\n\t"
		"ldp q8, q9, [x9, #128]\n\tldp q10, q11, [x9, #160]\n\t"
		"ldp q12, q13, [x9, #192]\n\tldp q14, q15, [x9, #224]\n\t"
		"ldp q16, q17, [x9, #256]\n\tldp q18, q19, [x9, #288]\n\t"
		"ldp q20, q21, [x9, #320]\n\tldp q22, q23, [x9, #352]\n\t"
		"ldp q24, q25, [x9, #384]\n\tldp q26, q27, [x9, #416]\n\t"
		"ldp q28, q29, [x9, #448]\n\tldp q30, q31, [x9, #480]"
		:
		: "r"(buf)
		: "x9", "x10", "memory");
}

/* Linux starts a program with every register zero but sp (x0 = 0: no
 * function for atexit). */
void
arch_enter(uint64_t entry, uint64_t sp)
{
	struct exo_upcall_frame f;

	memset(&f, 0, sizeof(f));
	f.regs.pc = entry;
	f.regs.sp = sp;
	exo_upcall_return(&f);
	posix_log("posix: pid %u: cannot start the program\n", proc.pid);
	posix_exit(127 << 8);
}

void posix_upcall_entry(void); /* direct.S */

/* The libOS's own entry (direct.S), not libexo's: libexo's saves and
 * restores the FP/SIMD registers around the handler, which the libOS,
 * built with general registers only, never touches. */
int
arch_upcall_init(void *stack, uint64_t size)
{
	uint64_t top = ((uint64_t)(uintptr_t)stack + size) & ~15ull;
	long r = exo_env_set_upcall(
		EXO_ENVID_SELF, (uint64_t)(uintptr_t)posix_upcall_entry, top);

	return r < 0 ? (int)r : 0;
}
