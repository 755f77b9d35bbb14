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
	return copy_out(buf, &s, sizeof(s));
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
