/*
 * How a Linux process is started: the contract between the env that
 * launches it (the image's root env, through libos-posix/launch.c) and
 * the copy of libos-posix that runs in the new env.
 *
 * The launcher creates the env with EXO_ENV_LINUX, loads libos-posix into
 * it, and maps two things into it, both in frames the launcher owns (the
 * initrd's frames are the kernel's and cannot be shared):
 *
 *   POSIX_LAUNCH_VA  the launch block, read-write: a struct posix_launch
 *                    page (what to run, and where the libOS leaves the
 *                    exit status) followed by the output pages
 *   POSIX_FILE_VA    the program file, read-only, shared by every
 *                    process that runs it
 *
 * and starts the libOS with POSIX_LAUNCH_VA as its argument.  The frames
 * stay the launcher's, so it still reads the block after the env died.
 * Everything the child wrote there is untrusted.
 */
#ifndef POSIX_LAUNCH_H
#define POSIX_LAUNCH_H

#include <exo/types.h>

#define POSIX_LAUNCH_VA 0x00007f6000000000ull
#define POSIX_FILE_VA 0x00007f5000000000ull
#define POSIX_FILE_MAX (64ull << 20) /* the largest program file */

#define POSIX_LAUNCH_MAGIC 0x58534f50u /* "POSX" */
#define POSIX_LAUNCH_PAGES 8u	       /* the block and its output pages */
#define POSIX_OUT_VA (POSIX_LAUNCH_VA + 4096)
#define POSIX_OUT_MAX ((POSIX_LAUNCH_PAGES - 1) * 4096u)

/* flags */
#define POSIX_LAUNCH_CAPTURE                                                   \
	1u /* fd 1 and 2 (and the libOS's log) go to
				   the output pages, not the console */

#define POSIX_STRINGS_MAX 2048u
#define POSIX_LOG_MAX 1024u

struct posix_launch {
	/* Written by the launcher. */
	uint32_t magic;
	uint32_t flags;
	uint64_t file_size; /* bytes of the program at POSIX_FILE_VA */
	uint32_t pid, ppid;
	uint32_t argc, envc;
	/* The program's path, then argv[0..argc), then envp[0..envc), each
	 * NUL-terminated, in strings[0..strings_len). */
	uint32_t strings_len;
	/* Written by the libOS. */
	uint32_t exited;     /* 1 once wait_status is final */
	int32_t wait_status; /* as Linux wait4 reports it */
	uint32_t out_len;    /* bytes written to the output pages */
	uint32_t log_len;    /* bytes in log[] */
	uint32_t pad;
	char strings[POSIX_STRINGS_MAX];
	char log[POSIX_LOG_MAX]; /* the libOS's diagnostics when capturing */
};

_Static_assert(sizeof(struct posix_launch) <= 4096, "one page");

/* --- the launcher side (libos-posix/launch.c, linked by a root env) ----- */

/* A file copied into frames the launcher owns, mapped at va in it. */
struct posix_file {
	uint64_t va;
	uint64_t size;
};

struct posix_proc {
	exo_envid_t env;
	struct posix_launch *blk; /* the launch block, mapped in the launcher */
	const char *out;	  /* its output pages, mapped in the launcher */
};

/* What to run: the libOS image, the program, its path and arguments. */
struct posix_cmd {
	const void *libos; /* libos-posix's ELF image */
	uint64_t libos_size;
	const struct posix_file *prog;
	const char *path;	 /* what /proc/self/exe and AT_EXECFN say */
	const char *const *argv; /* NULL-terminated */
	const char *const *envp; /* NULL-terminated */
	uint32_t pid, ppid;
	uint32_t flags;	      /* POSIX_LAUNCH_* */
	uint64_t frame_quota; /* of the new env */
};

/*
 * Copy data[0..size) into fresh frames owned by the caller and map them
 * read-only at va (page-aligned, free in the caller) for later launches.
 * 0, -EXO_EINVAL (empty, or past POSIX_FILE_MAX) or an error of
 * exo_page_alloc / exo_map.
 */
int posix_file_copy(const void *data, uint64_t size, uint64_t va,
		    struct posix_file *f);

/*
 * Start cmd in a new Linux env.  The launch block is mapped in the
 * caller at window (page-aligned, POSIX_LAUNCH_PAGES free pages).
 * 0, -EXO_EINVAL (arguments do not fit) or an error of exo_spawn_load /
 * the page calls; on error nothing is left behind.
 */
int posix_launch(const struct posix_cmd *cmd, uint64_t window,
		 struct posix_proc *p);

/* After p's env died: unmap and free its launch block. */
void posix_launch_release(struct posix_proc *p);

/* The leaf page-table entry mapping va in the calling env (read through
 * EXO_UVPT), or 0 if none. */
uint64_t posix_pte(uint64_t va);

#endif
