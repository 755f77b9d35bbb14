/*
 * Sizes the libOS's C and its direct-call entry (arch/<arch>/direct.S)
 * share; main.c checks them against the C types.
 */
#ifndef POSIX_UPCALL_H
#define POSIX_UPCALL_H

#define POSIX_UPCALL_STACK 65536 /* bytes of the upcall stack */
#define POSIX_FRAME_REGS 64	 /* offsetof(struct exo_upcall_frame, regs) */
#if defined(__x86_64__)
#define POSIX_FRAME_SIZE 224 /* sizeof(struct exo_upcall_frame) */
#else
#define POSIX_FRAME_SIZE 352
#endif

#endif
