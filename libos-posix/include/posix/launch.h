/*
 * A libos-posix instance: the processes started from one launch and
 * everything they share.  The contract between the env that launches
 * the first process (the image's root env, through libos-posix/launch.c)
 * and the copies of libos-posix that run in the processes' envs.
 *
 * The launcher owns the instance's pool: one physically contiguous run
 * of frames, named by one PAGES capability with READ, WRITE and GRANT.
 * Every process of the instance maps the whole pool read-write at
 * POSIX_POOL_VA and holds a copy of that capability, so it can map the
 * pool into the children it forks, however far down the tree.  The pool
 * holds what POSIX makes processes share: the process table (pids,
 * parents, exit statuses), the files (a ramfs, filled by the launcher
 * from the initrd), the pipes, and the first process's launch arguments and, when
 * capturing, everything the processes print.  Pointers inside the pool
 * are valid in every process (same address everywhere).  Everything in
 * it is written by untrusted processes: the launcher only reads it.
 */
#ifndef POSIX_LAUNCH_H
#define POSIX_LAUNCH_H

#include <stdbool.h>
#include <exo/types.h>

#define POSIX_POOL_VA 0x00007f6000000000ull
#define POSIX_POOL_MAX (256ull << 20)
#define POSIX_POOL_SPARE (4ull << 20) /* beyond the files: pipes, new files */

#define POSIX_POOL_MAGIC 0x4c4f4f50u /* "POOL" */
#define POSIX_S_IFDIR 0040000u	     /* a ramfs entry's mode: a directory */

/* flags */
#define POSIX_LAUNCH_CAPTURE                                                   \
	1u /* fds 1 and 2 (and the libOS's log) go to the pool's output
	      pages, not the console */

#define POSIX_NPROC 128	  /* processes alive (or unwaited) at once */
#define POSIX_NFILES 512  /* files in the ramfs (links included) */
#define POSIX_NAME_MAX 56 /* a file's full path, NUL included */
#define POSIX_STRINGS_MAX 2048u
#define POSIX_LOG_MAX 2048u
#define POSIX_OUT_MAX (32u * 1024)
#define POSIX_NOFD 512	     /* open file descriptions */
#define POSIX_NPIPES 64	     /* pipes open at once */
#define POSIX_PIPE_BUF 4096u /* bytes a pipe holds: one page */
/* The bytes of argv /proc/<pid>/cmdline shows. */
#define POSIX_CMDLINE_MAX 128

enum posix_proc_state {
	POSIX_PROC_FREE = 0,
	POSIX_PROC_RUNNING = 1,
	POSIX_PROC_ZOMBIE = 2, /* exited; status final, not yet waited for */
};

/* One process.  ppid is the POSIX parent (0 once the parent exited:
 * nobody will wait for it); creator is the pid whose env created this
 * one's env (the kernel destroys an env with its creator). */
struct posix_procent {
	uint32_t pid;
	uint32_t ppid;
	uint32_t creator;
	exo_envid_t env;
	uint32_t state; /* enum posix_proc_state */
	int32_t status; /* as Linux wait4 reports it */
	uint32_t pgid;	/* process group and session, inherited by fork */
	uint32_t sid;
	/* Signals: bits (1 << (sig - 1)) sent and not yet taken, set by
	 * any process of the instance with an atomic OR. */
	uint64_t sigpending;
	uint32_t wake;	   /* bumped to wake the process from a wait */
	uint8_t jobstate;  /* enum posix_job_state: stops for job control */
	uint8_t stopsig;   /* the signal that stopped it */
	uint8_t jobreport; /* a stop or continue its parent has not seen */
	uint8_t waiting;   /* blocked in exo_wait_word on wake: wake it */
	/* What /proc shows of it (libos-posix's procfs.c): the name,
	 * argv (NUL-separated, cut to fit) at the last exec, and when its
	 * pid was given (ns since boot).  Inherited by fork. */
	char comm[16];
	uint64_t start_ns;
	uint32_t cmdline_len;
	char cmdline[POSIX_CMDLINE_MAX];
};

enum posix_job_state {
	POSIX_JOB_RUNNING = 0,
	POSIX_JOB_STOPPED = 1,
	POSIX_JOB_CONTINUED = 2, /* running again since a stop */
};

/* A ramfs file: its bytes at pool offset off.  cap is the room it has
 * there: 0 for the initrd's files, which are read-only.  An entry whose
 * mode says S_IFDIR is a directory (mkdir's); one with an empty name is
 * free (unlinked), its room kept for the next file made in the slot. */
struct posix_rfile {
	char name[POSIX_NAME_MAX];
	uint64_t off;
	uint64_t size;
	uint32_t mode;
	uint32_t cap;
	uint64_t mtime; /* last change, ns since boot (0: the initrd's) */
};

/* A pipe: a ring of POSIX_PIPE_BUF bytes at pool offset off (taken from
 * the heap on the slot's first use and kept for the next); head and tail
 * count bytes written and read; waiters, the processes (by table slot)
 * to wake when it changes.  Free while it has no reader nor writer. */
struct posix_pipe {
	uint32_t readers, writers;
	uint32_t head, tail;
	uint64_t off;
	uint64_t waiters[POSIX_NPROC / 64]; /* process slots waiting on it */
};

/* A run of pages shared memory (MAP_SHARED) lives in: pages pages at
 * pool offset off, refs processes mapping some of it.  A run nobody
 * holds (refs 0, pages > 0) is free for a mapping of at most its size;
 * pages 0: the slot was never used. */
#define POSIX_NSHM 32
struct posix_shm {
	uint64_t off;
	uint32_t pages;
	uint32_t refs;
};

/* An open file description: what open, pipe2 and so on make, shared by
 * the descriptors dup and fork make of it.  Free while refs is 0.  kind,
 * obj and dirlen are libos-posix's (its posix.h). */
struct posix_ofd {
	uint32_t refs;
	uint8_t kind;
	uint8_t pad[3];
	uint32_t flags; /* O_* access mode and status flags */
	uint32_t obj;
	uint32_t dirlen;
	uint32_t pad2;
	uint64_t off;
};

/* The console's terminal, shared by every process of the instance:
 * its termios (Linux's layout), window size, foreground process group
 * and the input the line discipline holds: buf[0..len), of which the
 * first ready bytes may be read (a whole line in canonical mode). */
#define POSIX_TTY_BUF 512
struct posix_tty {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line;
	uint8_t cc[19];
	uint16_t rows, cols;
	uint32_t pgrp;
	uint32_t len, ready;
	uint32_t eof;	 /* ^D on an empty line: 1 + the bytes before it (0:
			 none); the read that reaches it returns 0 */
	uint64_t pulled; /* when the console was last looked at (ns) */
	char buf[POSIX_TTY_BUF];
};

struct posix_pool {
	uint32_t magic;
	uint32_t flags;	 /* POSIX_LAUNCH_* */
	uint64_t pa;	 /* physical address of the first frame */
	uint64_t npages; /* frames in the pool */
	uint64_t heap;	 /* offset of the first free byte */
	uint32_t lock;	 /* guards procs[], next_pid, nfiles, heap, pipes[],
			  ofds[], shm[] */
	uint32_t next_pid;
	uint32_t pool_cap;    /* the first process's slots: the pool ... */
	uint32_t console_cap; /* ... and the console (READ|WRITE|GRANT) */
	uint32_t nfiles;
	uint32_t nlinks; /* symbolic links in the ramfs (none: no lookups) */
	/* The first process: pid 1; its path, argv and envp, each
	 * NUL-terminated, in strings[0..strings_len). */
	uint32_t argc, envc, strings_len;
	/* Written by the processes (atomically reserved). */
	uint32_t out_len;     /* bytes in out[] */
	uint32_t log_len;     /* bytes in log[] */
	struct posix_tty tty; /* under the lock too */
	struct posix_procent procs[POSIX_NPROC];
	struct posix_rfile files[POSIX_NFILES];
	struct posix_pipe pipes[POSIX_NPIPES];
	struct posix_ofd ofds[POSIX_NOFD];
	struct posix_shm shm[POSIX_NSHM];
	char strings[POSIX_STRINGS_MAX];
	char log[POSIX_LOG_MAX];
	char out[POSIX_OUT_MAX];
};

#define POSIX_POOL_HDR ((sizeof(struct posix_pool) + 4095) & ~(uint64_t)4095)

/* --- the launcher side (libos-posix/launch.c, linked by a root env) ----- */

struct posix_instance {
	struct posix_pool *pool; /* mapped in the launcher */
	exo_cap_t cap;		 /* the launcher's PAGES capability */
};

/* What to run: the libOS image, the program's path and arguments. */
struct posix_cmd {
	const void *libos; /* libos-posix's ELF image */
	uint64_t libos_size;
	const char *path;	 /* a file of the ramfs */
	const char *const *argv; /* NULL-terminated */
	const char *const *envp; /* NULL-terminated */
	uint32_t flags;		 /* POSIX_LAUNCH_* */
	uint64_t frame_quota;	 /* of the first process's env */
};

/*
 * Make an instance whose ramfs holds every file of the initrd, each as
 * prefix + its name, with POSIX_POOL_SPARE bytes to spare; the pool is
 * mapped in the caller at window (page-aligned, POSIX_POOL_MAX free).
 * 0, -EXO_EINVAL (names too long, too many files), -EXO_ENOMEM (no run
 * of free frames that long) or an error of the page calls.
 */
int posix_instance_create(const char *prefix, uint64_t window,
			  struct posix_instance *in);

/*
 * Give the initrd's file target (a full ramfs path) a second name, path,
 * sharing its bytes: what busybox's applet links are.  0, -EXO_ENOENT
 * (no such initrd file), -EXO_EBUSY (path exists), -EXO_EINVAL (not
 * absolute, too long) or -EXO_ENOMEM (the file table is full).  Call it
 * between launches.
 */
int posix_instance_link(struct posix_instance *in, const char *path,
			const char *target);

/*
 * Start cmd as process 1 of the instance (whose process table and
 * output are reset first: only one launch runs at a time).  Returns the
 * env of process 1, or -EXO_EINVAL (arguments do not fit) or an error of
 * exo_spawn_load / the page and capability calls; on error nothing is
 * left behind.  Once that env is gone (it outlives its descendants), its
 * wait status is posix_instance_status's.
 */
long posix_launch(struct posix_instance *in, const struct posix_cmd *cmd);

/* An empty directory path (a full ramfs path) in the instance: 0,
 * -EXO_EBUSY (path exists), -EXO_EINVAL (not absolute, too long) or
 * -EXO_ENOMEM (the file table is full).  Call it between launches. */
int posix_instance_mkdir(struct posix_instance *in, const char *path);

/* Process 1's final wait status; false if it never wrote one. */
bool posix_instance_status(const struct posix_instance *in, int32_t *status);

/* The leaf page-table entry mapping va in the calling env (read through
 * EXO_UVPT), or 0 if none. */
uint64_t posix_pte(uint64_t va);

#endif
