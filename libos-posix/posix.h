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
 * window, the pool, the scratch page and the libOS itself. */
#define POSIX_AREA_END 0x00007e0000000000ull
#define POSIX_STACK_TOP 0x00007d0000000000ull
#define POSIX_STACK_MAX (8ull << 20) /* RLIMIT_STACK */
#define POSIX_MMAP_TOP 0x00007c0000000000ull
#define POSIX_MMAP_BOTTOM 0x0000000100000000ull
#define POSIX_PIE_BASE 0x0000555555554000ull

/* Libos-private windows above the program's area (README.md). */
#define POSIX_SCRATCH_VA 0x00007f6800000000ull /* copies of pages */

/* What uname says: the library OS's own version. */
#define POSIX_RELEASE "0.2.0"

#define POSIX_NFD 256 /* descriptors a process may have open */
#define POSIX_PATH_MAX 256
#define POSIX_ARG_MAX (64 * 1024) /* argv and envp strings of execve */

/* What an open file description refers to. */
enum fd_kind {
	FD_CONSOLE = 1, /* the console, or the output pages when capturing */
	FD_PIPE_R,	/* obj: the pool's pipe */
	FD_PIPE_W,
	FD_NULL, /* /dev/null */
	FD_ZERO, /* /dev/zero */
	FD_FILE, /* obj: the ramfs file; off: the position */
	FD_DIR,	 /* obj, dirlen: the directory is the first dirlen bytes
		    of that file's path ("/" if 0); off: getdents' cursor */
};

/* A descriptor: it names an open file description, a struct posix_ofd
 * in the pool (posix/launch.h), which dup and fork share. */
struct fd_slot {
	uint16_t ofd; /* the pool's description */
	bool open;
	bool cloexec;
};

struct process {
	struct posix_pool *pool;
	exo_cap_t pool_cap; /* PAGES: the pool, READ|WRITE|GRANT */
	uint32_t pid, ppid;
	unsigned slot;		  /* our entry in the pool's process table */
	char exe[POSIX_PATH_MAX]; /* the program's path */
	char cwd[POSIX_PATH_MAX]; /* the working directory, normalised */
	uint64_t brk_start, brk_cur;
	uint64_t clear_child_tid;
	uint64_t robust_list, robust_len;
	char comm[16]; /* the thread's name (prctl PR_SET_NAME) */
	struct fd_slot fds[POSIX_NFD];
	struct l_rlimit rlim[L_RLIM_NLIMITS];
};

/* What a program starts with: argc strings of argv, then envc of envp,
 * each NUL-terminated, in strings[0..len). */
struct exec_args {
	const char *strings;
	uint32_t len, argc, envc;
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

/* A line of the libOS's own (to the console, or the pool's log
 * when capturing). */
void posix_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* End the process with wait_status (proc.c). */
void posix_exit(int32_t wait_status) __attribute__((noreturn));
/* Text the program wrote to fds 1 and 2 when capturing: bytes taken. */
long posix_capture(const char *buf, uint64_t n);

/* --- pool.c: what the instance's processes share --------------------------- */

void pool_lock(void);
void pool_unlock(void);
/* Make the pool's bytes [off, off + len) accessible here: false if
 * they are not the pool's or cannot be mapped. */
bool pool_map(uint64_t off, uint64_t len);
/* The ramfs file at path (absolute), or NULL. */
const struct posix_rfile *ramfs_find(const char *path);
/* A file's bytes, mapped here; NULL if they cannot be. */
static inline const void *
ramfs_data(const struct posix_rfile *f)
{
	if (!pool_map(f->off, f->size))
		return NULL;
	return (const char *)proc.pool + f->off;
}

/* --- fd.c: descriptors and open file descriptions ------------------------ */

/* The description descriptor fd names if it is open, or NULL. */
struct posix_ofd *fd_get(uint64_t fd);
/* A new description like d at the lowest free descriptor >= min: the
 * descriptor, or -EMFILE, -ENFILE (-EINVAL if min is past the limit).
 * On success d's reference to its object (a pipe's end) becomes the
 * description's. */
long fd_install(const struct posix_ofd *d, uint64_t min, bool cloexec);
/* Fork: the child's copy of the table holds one more reference to each
 * description (hold), or the fork failed after holding (!hold). */
void fd_fork(bool hold);
/* Close fd: 0 or -EBADF. */
long fd_close(uint64_t fd);
/* execve: close the close-on-exec descriptors. */
void fd_exec(void);
/* exit: close everything. */
void fd_close_all(void);

/* --- file.c: ramfs files, directories and devices ------------------------ */

/* The device a normalised path names: its kind (FD_*) and rdev, or
 * false. */
bool dev_find(const char *abs, uint8_t *kind, uint64_t *rdev);
/* A directory descriptor's path into out[POSIX_PATH_MAX]. */
void file_dir_path(const struct posix_ofd *d, char *out);
long file_read(struct posix_ofd *d, uint64_t ubuf, uint64_t n);
long file_lseek(struct posix_ofd *d, int64_t off, uint64_t whence);

/* --- ramfs.c: files the processes create ---------------------------------- */

/* A new empty file at the normalised path abs (its directory must
 * exist): its index, or -ENOENT, -EEXIST, -ENOSPC, -ENAMETOOLONG. */
long ramfs_create(const char *abs, uint64_t mode);
void ramfs_truncate(struct posix_rfile *f);
/* Write the program's [ubuf, ubuf + n) into a created file at d's
 * position: bytes written, or an error. */
long file_write(struct posix_ofd *d, uint64_t ubuf, uint64_t n);

/* --- pipe.c: pipes in the pool -------------------------------------------- */

/* Take (delta 1) or drop (-1) a reader or writer of pipe p. */
void pipe_ref(uint32_t p, bool writer, int delta);
long pipe_read(uint32_t p, uint64_t ubuf, uint64_t n, bool nonblock);
long pipe_write(uint32_t p, uint64_t ubuf, uint64_t n, bool nonblock);

/* --- tty.c: the console's terminal ---------------------------------------- */

/* Write buf[0..n) (libOS memory) to the console as the termios says. */
long tty_write(const char *buf, uint64_t n);
long tty_read(uint64_t ubuf, uint64_t n, bool nonblock);
/* Would a read of the terminal return now? */
bool tty_readable(void);
long tty_ioctl(uint64_t cmd, uint64_t uarg);

/* --- pipe.c: poll ------------------------------------------------------- */

/* What poll says of pipe p's read or write end: L_POLL* bits. */
int16_t pipe_poll(uint32_t p, bool writer);

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
/* Unmap the whole program area and forget its regions (execve). */
void vm_reset(void);
/* The next page at or after va (below end) that has a frame, or end. */
uint64_t vm_next_present(uint64_t va, uint64_t end);
/* Give up frame pa, unmapped here: freed if ours and mapped nowhere,
 * kept aside and freed later if another process still maps it. */
void vm_drop_frame(uint64_t pa);
/* Free the frames kept aside that nobody maps any more. */
void vm_retry_drops(void);
/* Forget the frames kept aside: a forked child's are its parent's. */
void vm_forget_drops(void);
/* Copy the page at va (mapped here) into frame pa through the scratch
 * window: 0 or an error of exo_map. */
int vm_copy_page(uint64_t pa, uint64_t va);

/* Copies to and from the program: 0 or -L_EFAULT. */
long copy_in(void *dst, uint64_t src, uint64_t len);
long copy_out(uint64_t dst, const void *src, uint64_t len);
/* A NUL-terminated string of at most max - 1 bytes: its length,
 * -L_EFAULT, or -L_ERANGE if it is longer. */
long copy_in_str(char *dst, uint64_t src, uint64_t max);

/* --- load.c: the program and its initial stack --------------------------- */

/* Load the ELF program, build its stack from args and enter it; the
 * program area must be empty.  A failure ends the process (status 127). */
void posix_exec(const void *img, uint64_t size, const struct exec_args *args)
	__attribute__((noreturn));

/* --- main.c, proc.c: upcalls, fork, wait, exit ---------------------------- */

/* Take upcalls on this env's upcall stack: 0 or an exo error. */
int posix_upcall_init(void);
/* In a forked child's first run (main): become the child and resume the
 * program where fork returned. */
void posix_fork_resume(uint64_t arg) __attribute__((noreturn));
extern uint32_t posix_fork_pid;
/* The envs this process created (proc.c): recorded at fork, forgotten
 * by a forked child (they are its parent's); prune says if any lives. */
void proc_add_kid(exo_envid_t env);
void proc_forget_kids(void);
bool proc_prune_kids(void);

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
POSIX_SYS(dup);
POSIX_SYS(dup2);
POSIX_SYS(dup3);
POSIX_SYS(fcntl);
POSIX_SYS(pipe);
POSIX_SYS(pipe2);
POSIX_SYS(sendfile);
POSIX_SYS(open);
POSIX_SYS(openat);
POSIX_SYS(getdents64);
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
POSIX_SYS(time);
POSIX_SYS(arch_prctl);
POSIX_SYS(fork);
POSIX_SYS(vfork);
POSIX_SYS(clone);
POSIX_SYS(execve);
POSIX_SYS(wait4);
POSIX_SYS(sched_yield);
POSIX_SYS(rt_sigaction);
POSIX_SYS(rt_sigprocmask);
POSIX_SYS(getcwd);
POSIX_SYS(poll);
POSIX_SYS(select);
POSIX_SYS(pselect6);
POSIX_SYS(sysinfo);
POSIX_SYS(nanosleep);
POSIX_SYS(clock_nanosleep);
POSIX_SYS(ppoll);
POSIX_SYS(setpgid);
POSIX_SYS(getpgid);
POSIX_SYS(getpgrp);
POSIX_SYS(setsid);
POSIX_SYS(getsid);
POSIX_SYS(chdir);

/* --- signal.c ------------------------------------------------------------ */

/* execve: handlers back to the default (ignored signals stay so). */
void signal_exec(void);

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

/* --- fs.c: paths over the ramfs ------------------------------------------ */

/* The normalised absolute path of path (relative to dirfd, for now only
 * AT_FDCWD) into out[POSIX_PATH_MAX]: 0, -ENOENT (empty), -EBADF,
 * -ENAMETOOLONG. */
long fs_resolve(int64_t dirfd, const char *path, char *out);
/* What stat says of the normalised path abs: 0 or -ENOENT. */
long fs_stat(const char *abs, struct kstat *st);
/* Is the normalised path abs a directory of the ramfs?  The index of a
 * file below it goes in *file (any file for the root). */
bool fs_is_dir(const char *abs, uint32_t *file);

/* The FP/SIMD registers, saved at fork and loaded in the child. */
#define ARCH_FP_BYTES 528
void arch_fp_save(void *buf);
void arch_fp_load(const void *buf);

/* Start the program at entry with the Linux initial registers and sp. */
void arch_enter(uint64_t entry, uint64_t sp) __attribute__((noreturn));

#endif
