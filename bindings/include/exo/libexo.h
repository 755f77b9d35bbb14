/*
 * libexo: what every program on Exo links (build/<arch>/libexo.a and the
 * crt0 that starts it): the system call stubs, console output, upcall
 * set-up, and a loader that starts an ELF image in a new env.
 *
 * A program defines `int main(uint64_t arg)`; crt0 calls it with the
 * argument its creator passed to exo_env_start and exits with its result.
 *
 * The top of the user range as libexo uses it:
 *
 *   EXO_USER_END        +---------------------------------+
 *                       | stack of an env exo_spawn made  |  64 KiB
 *   EXO_SPAWN_STACK_BOTTOM -------------------------------+
 *                       | ...                             |
 *   EXO_BOOTFS          | the root env's initrd (kernel)  |
 *                       | ...                             |
 *   EXO_SPAWN_SCRATCH   | one page through which          |
 *                       | exo_spawn fills a child's pages |
 *                       +---------------------------------+
 */
#ifndef EXO_LIBEXO_H
#define EXO_LIBEXO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <exo/types.h>
#include <exo/error.h>
#include <exo/cap.h>
#include <exo/cpio.h>
#include <exo/envinfo.h>
#include <exo/map.h>
#include <exo/memlayout.h>
#include <exo/syscall.h>
#include <exo/upcall.h>

#define EXO_SPAWN_STACK_PAGES 16
#define EXO_SPAWN_STACK_TOP EXO_USER_END
#define EXO_SPAWN_STACK_BOTTOM                                                 \
	(EXO_SPAWN_STACK_TOP - EXO_SPAWN_STACK_PAGES * EXO_PAGE_SIZE)
#define EXO_SPAWN_SCRATCH 0x00007e0000000000ull

/* The smallest upcall stack exo_upcall_init takes: a frame, the saved
 * FP/SIMD registers and the handler's own frames. */
#define EXO_UPCALL_STACK_MIN 4096u

/* The calling env's info page, which the kernel keeps current. */
static inline const volatile struct exo_envinfo *
exo_info(void)
{
	return (const volatile struct exo_envinfo *)(uintptr_t)EXO_ENVINFO;
}

/* Make code just written at va (n bytes) visible to instruction fetch, as
 * a loader must before it runs it (bindings/lib/arch/<arch>/cache.c;
 * nothing to do on x86_64). */
void exo_sync_icache(const void *va, uint64_t n);

/* --- console (bindings/lib/console.c) ------------------------------------ */

/* The console capability exo_printf writes to (EXO_CAP_CONSOLE at
 * start). */
void exo_set_console(exo_cap_t cap);
exo_cap_t exo_console(void);

/* printf to the console (exo/fmt.h's conversions).  Output past 511 bytes
 * per call is cut.  Returns the full length, or a negative error. */
int exo_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int exo_vprintf(const char *fmt, va_list ap);
/* s and a newline; 0 or a negative error. */
int exo_puts(const char *s);

/* Exit with status; never returns. */
void exo_terminate(int64_t status) __attribute__((noreturn));
/* Print "panic: ..." and exit with status 255. */
void exo_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* --- upcalls (bindings/lib/upcall.c, arch/<arch>/upcall.S) -------------- */

/*
 * A handler gets the frame the kernel pushed; when it returns, the
 * registers in frame->regs are resumed (so it may change them, e.g. the
 * pc, to resume elsewhere).  The FP/SIMD registers are saved around it.
 * Faults inside the handler nest on the same stack.
 */
typedef void exo_upcall_fn(struct exo_upcall_frame *frame);

/* Send this env's upcalls to fn on the stack [stack, stack + size); fn
 * NULL turns upcalls off.  0, -EXO_EINVAL (size below
 * EXO_UPCALL_STACK_MIN) or exo_env_set_upcall's error. */
int exo_upcall_init(exo_upcall_fn *fn, void *stack, uint64_t size);

/* --- spawning (bindings/lib/spawn.c) ------------------------------------- */

struct exo_spawn {
	exo_envid_t env; /* the new env, created but not started */
	uint64_t entry;
	uint64_t sp;
};

/*
 * Create a child env with frame_quota frames and flags (exo_env_create),
 * load the static ELF image[0..len) into it, give it a stack of
 * EXO_SPAWN_STACK_PAGES pages below EXO_SPAWN_STACK_TOP and a copy of the
 * caller's console capability (if the caller has one), without starting
 * it.  Uses the caller's page at EXO_SPAWN_SCRATCH.  0, or an error of
 * exo_elf_parse (-EXO_EINVAL also when two segments share a page) or of
 * the calls it makes; on error nothing is left behind.
 */
int exo_spawn_load(const void *image, uint64_t len, uint64_t frame_quota,
		   uint64_t flags, struct exo_spawn *out);

/* exo_spawn_load, then start the child with arg: its env id, or an
 * error. */
long exo_spawn(const void *image, uint64_t len, uint64_t frame_quota,
	       uint64_t flags, uint64_t arg);

/* The file called name in the root env's bootfs (the initrd):
 * 0, -EXO_ENOENT (no such file, or no bootfs) or -EXO_EINVAL. */
int exo_bootfs_find(const char *name, struct exo_cpio_file *f);

#endif
