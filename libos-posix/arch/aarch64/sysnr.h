/*
 * The Linux system calls libos-posix handles, by their aarch64 numbers
 * (include/uapi/asm-generic/unistd.h).  Numbers only: X(nr, name) names
 * the handler sys_<name>.  aarch64 has no fork, vfork, readlink or
 * arch_prctl (clone makes processes; the
 * thread pointer is TPIDR_EL0, which programs write themselves.
 */
#ifndef POSIX_ARCH_SYSNR_H
#define POSIX_ARCH_SYSNR_H

/* clone(flags, stack, parent_tid, tls, child_tid) */
#define POSIX_CLONE_CTID 4

/* open's O_DIRECTORY, which differs between the arches */
#define POSIX_O_DIRECTORY 040000

/* rt_sigreturn, which takes no result register of its own */
#define POSIX_NR_RT_SIGRETURN 139

#define POSIX_NSYSCALLS 512 /* numbers below this can be dispatched */

#define POSIX_SYSCALLS(X)                                                      \
	X(17, getcwd)                                                          \
	X(23, dup)                                                             \
	X(24, dup3)                                                            \
	X(25, fcntl)                                                           \
	X(29, ioctl)                                                           \
	X(34, mkdirat)                                                         \
	X(35, unlinkat)                                                        \
	X(36, symlinkat)                                                       \
	X(38, renameat)                                                        \
	X(43, statfs)                                                          \
	X(44, fstatfs)                                                         \
	X(48, faccessat)                                                       \
	X(49, chdir)                                                           \
	X(52, fchmod)                                                          \
	X(53, fchmodat)                                                        \
	X(54, fchownat)                                                        \
	X(55, fchown)                                                          \
	X(56, openat)                                                          \
	X(57, close)                                                           \
	X(59, pipe2)                                                           \
	X(61, getdents64)                                                      \
	X(62, lseek)                                                           \
	X(63, read)                                                            \
	X(64, write)                                                           \
	X(65, readv)                                                           \
	X(66, writev)                                                          \
	X(71, sendfile)                                                        \
	X(72, pselect6)                                                        \
	X(73, ppoll)                                                           \
	X(78, readlinkat)                                                      \
	X(79, newfstatat)                                                      \
	X(80, fstat)                                                           \
	X(88, utimensat)                                                       \
	X(93, exit)                                                            \
	X(94, exit_group)                                                      \
	X(96, set_tid_address)                                                 \
	X(98, futex)                                                           \
	X(99, set_robust_list)                                                 \
	X(101, nanosleep)                                                      \
	X(113, clock_gettime)                                                  \
	X(115, clock_nanosleep)                                                \
	X(124, sched_yield)                                                    \
	X(129, kill)                                                           \
	X(130, tkill)                                                          \
	X(131, tgkill)                                                         \
	X(132, sigaltstack)                                                    \
	X(133, rt_sigsuspend)                                                  \
	X(134, rt_sigaction)                                                   \
	X(135, rt_sigprocmask)                                                 \
	X(136, rt_sigpending)                                                  \
	X(139, rt_sigreturn)                                                   \
	X(154, setpgid)                                                        \
	X(155, getpgid)                                                        \
	X(156, getsid)                                                         \
	X(157, setsid)                                                         \
	X(158, getgroups)                                                      \
	X(160, uname)                                                          \
	X(166, umask)                                                          \
	X(167, prctl)                                                          \
	X(172, getpid)                                                         \
	X(173, getppid)                                                        \
	X(174, getuid)                                                         \
	X(175, geteuid)                                                        \
	X(176, getgid)                                                         \
	X(177, getegid)                                                        \
	X(178, gettid)                                                         \
	X(179, sysinfo)                                                        \
	X(214, brk)                                                            \
	X(215, munmap)                                                         \
	X(220, clone)                                                          \
	X(221, execve)                                                         \
	X(222, mmap)                                                           \
	X(226, mprotect)                                                       \
	X(260, wait4)                                                          \
	X(261, prlimit64)                                                      \
	X(276, renameat2)                                                      \
	X(278, getrandom)                                                      \
	X(293, rseq)                                                           \
	X(439, faccessat2)

#endif
