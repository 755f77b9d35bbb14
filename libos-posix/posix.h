/*
 * libos-posix internals: one Linux process in one env.  The layout of
 * the address space is drawn in README.md.
 */
#ifndef POSIX_H
#define POSIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <exo/libexo.h>
#include <posix/launch.h>

#include "linux.h"

#define PAGE EXO_PAGE_SIZE

/* The Linux program's part of the address space: [EXO_USER_MIN,
 * POSIX_AREA_END).  Above it: EXO_SPAWN_SCRATCH, the root's bootfs
 * window, the program file, the launch block and the libOS itself. */
#define POSIX_AREA_END 0x00007e0000000000ull
#define POSIX_STACK_TOP 0x00007d0000000000ull
#define POSIX_STACK_MAX (8ull << 20) /* RLIMIT_STACK */
#define POSIX_MMAP_TOP 0x00007c0000000000ull
#define POSIX_MMAP_BOTTOM 0x0000000100000000ull
#define POSIX_PIE_BASE 0x0000555555554000ull

/* What uname says: the library OS's own version. */
#define POSIX_RELEASE "0.1.0"

#define POSIX_NFD 3 /* fds 0, 1, 2: the console (or the output pages) */

struct process {
	struct posix_launch *blk;
	const char *exe; /* the program's path, in blk->strings */
	uint32_t pid, ppid;
	uint64_t brk_start, brk_cur;
	uint64_t clear_child_tid;
	uint64_t robust_list, robust_len;
	char comm[16]; /* the thread's name (prctl PR_SET_NAME) */
	bool fd_open[POSIX_NFD];
	struct l_rlimit rlim[L_RLIM_NLIMITS];
};

extern struct process proc;

static inline uint64_t
page_down(uint64_t x)
{
	return x & ~(PAGE - 1);
}

static inline uint64_t
page_up(uint64_t x)
{
	return page_down(x + PAGE - 1);
}

/* --- log.c: diagnostics and the end of the process ---------------------- */

/* A line of the libOS's own (to the console, or the launch block's log
 * when capturing). */
void posix_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record wait_status in the launch block and destroy the env. */
void posix_exit(int32_t wait_status) __attribute__((noreturn));

/* --- vm.c: memory regions, demand paging, user pointers ------------------ */

/* Give [start, end) (page-aligned) the Linux protection prot: a new
 * region, or new rights for the pages already there.  0 or -L_ENOMEM. */
int vm_protect(uint64_t start, uint64_t end, unsigned prot);
/* Remove [start, end) and free its frames.  0 or -L_ENOMEM (a region
 * would split past the table). */
int vm_unmap(uint64_t start, uint64_t end);
/* Whether any part of [start, end) is mapped / all of it is. */
bool vm_any(uint64_t start, uint64_t end);
bool vm_all(uint64_t start, uint64_t end);
/* A free, page-aligned range of len bytes in the mmap area, highest
 * first; 0 if none. */
uint64_t vm_find_free(uint64_t len);
/* Resolve a page fault at addr (flags EXO_PF_*) by demand paging: true
 * if the program may go on. */
bool vm_fault(uint64_t addr, uint64_t flags);
/* Make [addr, addr + len) accessible with prot (L_PROT_*), paging it in:
 * false if any of it is not mapped so. */
bool vm_user_ok(uint64_t addr, uint64_t len, unsigned prot);

/* Copies to and from the program: 0 or -L_EFAULT. */
long copy_in(void *dst, uint64_t src, uint64_t len);
long copy_out(uint64_t dst, const void *src, uint64_t len);
/* A NUL-terminated string of at most max - 1 bytes: its length,
 * -L_EFAULT, or -L_ERANGE if it is longer. */
long copy_in_str(char *dst, uint64_t src, uint64_t max);

/* --- load.c: the program and its initial stack --------------------------- */

/* Load the ELF program, build its stack and enter it. */
void posix_exec(const void *img, uint64_t size) __attribute__((noreturn));

/* --- syscall.c ----------------------------------------------------------- */

void posix_syscall(struct exo_upcall_frame *f);
bool posix_random(void *buf, uint64_t len);

/* Handlers: a[] holds the six argument registers; the result (>= 0, or
 * -L_E*) goes back in the return register. */
#define POSIX_SYS(name)                                                        \
	long sys_##name(struct exo_upcall_frame *f, const uint64_t *a)
POSIX_SYS(read);
POSIX_SYS(write);
POSIX_SYS(readv);
POSIX_SYS(writev);
POSIX_SYS(close);
POSIX_SYS(lseek);
POSIX_SYS(ioctl);
POSIX_SYS(fstat);
POSIX_SYS(newfstatat);
POSIX_SYS(readlink);
POSIX_SYS(readlinkat);
POSIX_SYS(brk);
POSIX_SYS(mmap);
POSIX_SYS(munmap);
POSIX_SYS(mprotect);
POSIX_SYS(exit);
POSIX_SYS(exit_group);
POSIX_SYS(uname);
POSIX_SYS(getpid);
POSIX_SYS(getppid);
POSIX_SYS(gettid);
POSIX_SYS(getuid);
POSIX_SYS(geteuid);
POSIX_SYS(getgid);
POSIX_SYS(getegid);
POSIX_SYS(set_tid_address);
POSIX_SYS(set_robust_list);
POSIX_SYS(prctl);
POSIX_SYS(rseq);
POSIX_SYS(prlimit64);
POSIX_SYS(getrandom);
POSIX_SYS(clock_gettime);
POSIX_SYS(arch_prctl);

/* --- arch/<arch>/arch.c -------------------------------------------------- */

extern const char arch_machine[]; /* uname's machine, AT_PLATFORM */

uint64_t arch_sysnr(const struct exo_regs *r);
void arch_sysargs(const struct exo_regs *r, uint64_t a[6]);
void arch_set_ret(struct exo_regs *r, long v);
/* AT_HWCAP: the features the program may use. */
uint64_t arch_hwcap(void);
/* 64 bits from the CPU's random number generator, if it has one. */
bool arch_random(uint64_t *v);

/* What fstat reports, written in the arch's struct stat. */
struct kstat {
	uint64_t dev, ino, rdev;
	uint32_t mode, nlink, uid, gid;
	int64_t size, blksize, blocks;
};
long arch_stat_out(uint64_t buf, const struct kstat *st);

/* Start the program at entry with the Linux initial registers and sp. */
void arch_enter(uint64_t entry, uint64_t sp) __attribute__((noreturn));

#endif
