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
	/* obj: the pid, dirlen: which file (procfs.c); off: the position */
	FD_PROC,
	/* obj: the pid, or 0 for /proc; off: getdents' cursor */
	FD_PROCDIR,
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
	/* inherited by fork (a copy of the bss) and kept by execve */
	uint32_t umask;
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
/* A directory descriptor's path into out[POSIX_PATH_MAX]: false if
 * the directory was removed. */
bool file_dir_path(const struct posix_ofd *d, char *out);
long file_read(struct posix_ofd *d, uint64_t ubuf, uint64_t n);
/* Append one linux_dirent64 (type DT_*) at buf[*at]; false if it does
 * not fit. */
bool put_dirent(char *buf, uint64_t size, uint64_t *at, uint64_t ino,
		uint64_t next, const char *name, uint8_t type);
long file_lseek(struct posix_ofd *d, int64_t off, uint64_t whence);

/* --- ramfs.c: files the processes create ---------------------------------- */

/* A new entry (a file with a page of room, or a directory) at the
 * normalised path abs, whose directory must exist: its index, or
 * -ENOENT, -ENOTDIR, -EEXIST, -ENOSPC, -ENAMETOOLONG. */
long ramfs_add(const char *abs, uint32_t mode);
/* A new empty file, mode less the umask: as ramfs_add. */
long ramfs_create(const char *abs, uint64_t mode);
/* The explicit entry of the directory abs, made if it was only implied
 * by the paths below it: its index, or -ENOTDIR, -ENOSPC. */
long ramfs_dir_entry(const char *abs);
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
/* A waiter takes typed input while the terminal makes signals of
 * it, so ^C and ^Z act while nobody reads (now: the clock). */
void tty_pull_foreground(uint64_t now);

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
int vm_own_pages(uint64_t va, uint64_t len);
int vm_for_each_region(int (*fn)(uint64_t start, uint64_t end, void *ctx),
		       void *ctx);
extern uint64_t vm_gen;
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

/* A shared region [start, end) (shm.c's run shm at pool offset off),
 * its pages mapped and zeroed: 0 or -ENOMEM. */
int vm_map_shared(uint64_t start, uint64_t end, unsigned prot, int shm,
		  uint64_t off);
/* Which runs of shared memory do the regions use (bits)? */
uint64_t vm_shm_held(void);

/* --- shm.c: runs of the pool's pages for shared memory ----------------- */

/* A run of pages pages for a new mapping, held by us: its index and
 * pool offset, or -ENOMEM. */
long shm_create(uint64_t pages, uint64_t *off);
/* Fork: the child holds what we hold (hold), or the fork failed. */
void shm_fork(bool hold);
/* Let go of the runs our regions no longer use; at exit, of all. */
void shm_sync(void);
void shm_exit(void);

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
/* What an upcall runs (main.c), and how the arch's entry is installed
 * on [stack, stack + size): 0 or an exo error. */
void posix_upcall(struct exo_upcall_frame *f);
int arch_upcall_init(void *stack, uint64_t size);
/* The upcall stack, and execve's copy of the new program's strings:
 * what of them a forked child needs, fork copies (fork.c). */
extern char upcall_stack[];
extern char posix_exec_strings[POSIX_ARG_MAX];
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
/* The program's timespec at uts in ns: 0, -EFAULT or -EINVAL (a
 * negative or malformed one). */
long copy_in_timespec(uint64_t uts, uint64_t *ns);
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
POSIX_SYS(rt_sigpending);
POSIX_SYS(rt_sigsuspend);
POSIX_SYS(rt_sigreturn);
POSIX_SYS(sigaltstack);
POSIX_SYS(pause);
POSIX_SYS(kill);
POSIX_SYS(tkill);
POSIX_SYS(tgkill);
POSIX_SYS(futex);
POSIX_SYS(utimensat);
POSIX_SYS(statfs);
POSIX_SYS(fstatfs);
POSIX_SYS(getgroups);
POSIX_SYS(symlink);
POSIX_SYS(symlinkat);
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
POSIX_SYS(mkdir);
POSIX_SYS(mkdirat);
POSIX_SYS(rmdir);
POSIX_SYS(unlink);
POSIX_SYS(unlinkat);
POSIX_SYS(rename);
POSIX_SYS(renameat);
POSIX_SYS(renameat2);
POSIX_SYS(umask);
POSIX_SYS(access);
POSIX_SYS(faccessat);
POSIX_SYS(faccessat2);
POSIX_SYS(stat);
POSIX_SYS(lstat);
POSIX_SYS(chmod);
POSIX_SYS(fchmod);
POSIX_SYS(fchmodat);
POSIX_SYS(chown);
POSIX_SYS(lchown);
POSIX_SYS(fchown);
POSIX_SYS(fchownat);

/* --- wait.c: blocking and waking ------------------------------------------ */

/* The wake count to read before looking at what one waits for. */
uint32_t posix_wake_seq(void);
/* Wake the process at p from its wait (it looks again). */
void posix_wake(struct posix_procent *p);
/* Wake every process of set (slots of the process table), emptying it;
 * posix_wait_on puts oneself in set before a wait (pool locked). */
void posix_wake_set(uint64_t set[POSIX_NPROC / 64]);
void posix_wait_on(uint64_t set[POSIX_NPROC / 64]);
/* Wait for a wake after seq, the clock to reach deadline or a
 * notification in mask; a default action of a pending signal is taken
 * here.  0 (look again), -ETIMEDOUT, or -ERESTARTSYS (a handler is to
 * run: the call gives up).  The pool must not be locked. */
long posix_block(uint32_t seq, uint64_t deadline, uint64_t mask);
/* posix_block without looking at signals. */
void posix_nap(uint32_t seq, uint64_t deadline, uint64_t mask);

/* --- signal.c ------------------------------------------------------------ */

/* Send sig to the process at p / oneself / the running processes of
 * group pgid / the parent of p (SIGCHLD).  Any pool lock state. */
void signal_send(struct posix_procent *p, int sig);
void signal_raise(int sig);
void signal_group(uint32_t pgid, int sig);
void signal_parent(struct posix_procent *p);
/* Would sig, sent now, do something (neither ignored nor blocked)? */
bool signal_would_act(int sig);
/* Take the default actions of pending signals; true if one is left
 * whose handler must run (a wait then gives up). */
bool signal_interrupts(void);
/* The way out of system call nr (first argument a0) that returned r:
 * restart or -EINTR for -ERESTARTSYS, pending signals acted on. */
void signal_syscall_exit(struct exo_upcall_frame *f, long r, uint64_t nr,
			 uint64_t a0);
/* After a resolved page fault: pending signals acted on. */
void signal_after_fault(struct exo_upcall_frame *f);
/* A fault nothing resolves raises sig (mapped: the page is there but
 * the access is not allowed): its handler, or the end. */
void signal_fault(struct exo_upcall_frame *f, int sig, bool mapped);
/* ppoll, pselect6: the program's sigset at umask (size bytes; none if
 * 0) is the mask until the call returns.  0, -EINVAL or -EFAULT. */
long signal_wait_mask(uint64_t umask, uint64_t size);
/* execve: handlers back to the default (ignored signals stay so). */
void signal_exec(void);

/* stack_t */
struct l_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

/* A handler to start: what arch_signal_frame lays out. */
struct sigdelivery {
	int sig;
	int32_t code;	   /* si_code */
	uint64_t addr;	   /* si_addr of a fault */
	uint64_t handler;  /* where it starts */
	uint64_t restorer; /* where it returns to (0: the libOS's own) */
	uint64_t mask;	   /* the mask rt_sigreturn puts back */
	uint64_t sp;	   /* the frame goes below this */
	struct l_stack stack;
};

/* arch/<arch>/signal.c: write d's frame below d->sp as Linux does and
 * point f's registers at the handler: false if the stack is bad. */
bool arch_signal_frame(struct exo_upcall_frame *f, const struct sigdelivery *d);
/* rt_sigreturn: f's registers and *mask from the frame at the stack
 * pointer, the FP/SIMD registers loaded: 0 or -EFAULT. */
long arch_sigreturn(struct exo_upcall_frame *f, uint64_t *mask);
/* Make f make system call nr (first argument a0) again: by its
 * instruction, or, for a direct call, by the entry again. */
void arch_restart(struct exo_upcall_frame *f, uint64_t nr, uint64_t a0);
/* The direct-call entry (arch/<arch>/direct.S, include/posix/direct.h),
 * whose frames say so in arg[0]. */
void posix_direct_entry(void);
#define POSIX_DIRECT_MARK 1
/* The result register. */
long arch_ret(const struct exo_regs *r);

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
	uint64_t mtime; /* ns since boot: access, change and modification */
};
long arch_stat_out(uint64_t buf, const struct kstat *st);

/* --- fs.c: paths over the ramfs ------------------------------------------ */

/* The normalised absolute path of path (relative to dirfd: the cwd,
 * or a directory descriptor) into out[POSIX_PATH_MAX], symbolic links
 * followed: 0, -ENOENT (empty), -EBADF, -ENOTDIR, -ENAMETOOLONG,
 * -ELOOP.  _link follows all but the last component (lstat, readlink,
 * unlink, rename, symlink); _at follows none. */
long fs_resolve(int64_t dirfd, const char *path, char *out);
long fs_resolve_link(int64_t dirfd, const char *path, char *out);
long fs_resolve_at(int64_t dirfd, const char *path, char *out);
/* path (absolute) normalised into out[POSIX_PATH_MAX]: 0 or
 * -ENAMETOOLONG. */
long fs_normalise(const char *path, char *out);
/* What stat says of the normalised path abs (links followed): 0 or
 * -ENOENT, -ENOTDIR. */
long fs_stat(const char *abs, struct kstat *st);
/* The directory part of the normalised path abs into
 * out[POSIX_PATH_MAX] ("/" at the top). */
void fs_dirname(const char *abs, char *out);
/* What stat says of ramfs entry f. */
void ramfs_stat(const struct posix_rfile *f, struct kstat *st);
/* Is the normalised path abs a directory of the ramfs?  Its entry (if
 * mkdir made it or it was opened), else a file below it, goes in *file
 * (any file for the root). */
bool fs_is_dir(const char *abs, uint32_t *file);
/* Why abs is not there: -ENOTDIR if a directory on its way is a file,
 * else -ENOENT. */
long fs_missing(const char *abs);
/* A path argument of the program into path[POSIX_PATH_MAX], resolved
 * against dirfd into abs[POSIX_PATH_MAX]: 0 or -EFAULT, -ENAMETOOLONG,
 * -ENOENT, -EBADF, -ENOTDIR. */
long fs_path_in(int64_t dirfd, uint64_t upath, char *abs);
long fs_path_in_link(int64_t dirfd, uint64_t upath, char *abs);

/* --- dir.c: names in the ramfs: mkdir, unlink, rename, access ------------ */

/* The target of the ramfs's symbolic link at abs into
 * target[POSIX_PATH_MAX]: its length, -EINVAL (not a link) or -EIO. */
long ramfs_readlink(const char *abs, char *target);

#define L_EACCES 13
#define L_EBUSY 16
#define L_EXDEV 18
#define L_ENOTEMPTY 39
#define L_S_IFMT 0170000
#define L_S_IFLNK 0120000
#define L_DT_LNK 10

/* Is f a directory made by mkdir? */
bool ramfs_is_dir(const struct posix_rfile *f);
/* Does an open file description name ramfs entry i? */
bool ramfs_in_use(uint32_t i);

/* --- procfs.c: /proc ---------------------------------------------------- */

/* Is the normalised path abs under /proc? */
bool procfs_path(const char *abs);
/* Open a /proc path into d: 0 or -ENOENT, -EACCES, -EISDIR, -ENOTDIR. */
long procfs_open(const char *abs, uint64_t flags, struct posix_ofd *d);
/* What stat says of a /proc path: 0 or -ENOENT. */
long procfs_stat(const char *abs, bool follow, struct kstat *st);
/* readlink of a /proc path into out[POSIX_PATH_MAX]: its length, or
 * -ENOENT, -EINVAL (not a link). */
long procfs_readlink(const char *abs, char *out);
long procfs_read(struct posix_ofd *d, uint64_t ubuf, uint64_t n);
long procfs_getdents(struct posix_ofd *d, uint64_t ubuf, uint64_t size);
/* What fstat says of a /proc descriptor. */
void procfs_fstat(const struct posix_ofd *d, struct kstat *st);
/* A /proc directory descriptor's path into out[POSIX_PATH_MAX]. */
void procfs_dir_path(const struct posix_ofd *d, char *out);
/* Record what /proc/<pid> shows: at process 1's start (which also sets
 * the umask), at execve, and in a forked child's new entry. */
void procfs_first(const struct exec_args *args);
void procfs_exec(const struct exec_args *args);
void procfs_fork(struct posix_procent *child,
		 const struct posix_procent *parent);
/* prctl(PR_SET_NAME) changed proc.comm. */
void procfs_comm(void);

/* The FP/SIMD registers, saved at fork and loaded in the child. */
#define ARCH_FP_BYTES 528
void arch_fp_save(void *buf);
void arch_fp_load(const void *buf);

/* Start the program at entry with the Linux initial registers and sp. */
void arch_enter(uint64_t entry, uint64_t sp) __attribute__((noreturn));

#endif
