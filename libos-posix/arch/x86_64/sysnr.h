/*
 * The Linux system calls libos-posix handles, by their x86_64 numbers
 * (arch/x86/entry/syscalls/syscall_64.tbl).  Numbers only: X(nr, name)
 * names the handler sys_<name>.
 */
#ifndef POSIX_ARCH_SYSNR_H
#define POSIX_ARCH_SYSNR_H

/* clone(flags, stack, parent_tid, child_tid, tls) */
#define POSIX_CLONE_CTID 3

/* open's O_DIRECTORY, which differs between the arches */
#define POSIX_O_DIRECTORY 0200000

/* rt_sigreturn, which takes no result register of its own */
#define POSIX_NR_RT_SIGRETURN 15

#define POSIX_NSYSCALLS 512 /* numbers below this can be dispatched */

#define POSIX_SYSCALLS(X)                                                      \
	X(0, read)                                                             \
	X(1, write)                                                            \
	X(2, open)                                                             \
	X(3, close)                                                            \
	X(4, stat)                                                             \
	X(5, fstat)                                                            \
	X(6, lstat)                                                            \
	X(7, poll)                                                             \
	X(8, lseek)                                                            \
	X(9, mmap)                                                             \
	X(10, mprotect)                                                        \
	X(11, munmap)                                                          \
	X(12, brk)                                                             \
	X(13, rt_sigaction)                                                    \
	X(14, rt_sigprocmask)                                                  \
	X(15, rt_sigreturn)                                                    \
	X(16, ioctl)                                                           \
	X(19, readv)                                                           \
	X(20, writev)                                                          \
	X(21, access)                                                          \
	X(22, pipe)                                                            \
	X(23, select)                                                          \
	X(24, sched_yield)                                                     \
	X(32, dup)                                                             \
	X(33, dup2)                                                            \
	X(34, pause)                                                           \
	X(35, nanosleep)                                                       \
	X(39, getpid)                                                          \
	X(40, sendfile)                                                        \
	X(56, clone)                                                           \
	X(57, fork)                                                            \
	X(58, vfork)                                                           \
	X(59, execve)                                                          \
	X(60, exit)                                                            \
	X(61, wait4)                                                           \
	X(62, kill)                                                            \
	X(63, uname)                                                           \
	X(72, fcntl)                                                           \
	X(79, getcwd)                                                          \
	X(80, chdir)                                                           \
	X(82, rename)                                                          \
	X(83, mkdir)                                                           \
	X(84, rmdir)                                                           \
	X(87, unlink)                                                          \
	X(88, symlink)                                                         \
	X(89, readlink)                                                        \
	X(90, chmod)                                                           \
	X(91, fchmod)                                                          \
	X(92, chown)                                                           \
	X(93, fchown)                                                          \
	X(94, lchown)                                                          \
	X(95, umask)                                                           \
	X(99, sysinfo)                                                         \
	X(102, getuid)                                                         \
	X(104, getgid)                                                         \
	X(107, geteuid)                                                        \
	X(108, getegid)                                                        \
	X(109, setpgid)                                                        \
	X(110, getppid)                                                        \
	X(111, getpgrp)                                                        \
	X(112, setsid)                                                         \
	X(115, getgroups)                                                      \
	X(121, getpgid)                                                        \
	X(124, getsid)                                                         \
	X(127, rt_sigpending)                                                  \
	X(130, rt_sigsuspend)                                                  \
	X(131, sigaltstack)                                                    \
	X(137, statfs)                                                         \
	X(138, fstatfs)                                                        \
	X(157, prctl)                                                          \
	X(158, arch_prctl)                                                     \
	X(186, gettid)                                                         \
	X(200, tkill)                                                          \
	X(201, time)                                                           \
	X(202, futex)                                                          \
	X(217, getdents64)                                                     \
	X(218, set_tid_address)                                                \
	X(228, clock_gettime)                                                  \
	X(230, clock_nanosleep)                                                \
	X(231, exit_group)                                                     \
	X(234, tgkill)                                                         \
	X(257, openat)                                                         \
	X(258, mkdirat)                                                        \
	X(260, fchownat)                                                       \
	X(262, newfstatat)                                                     \
	X(263, unlinkat)                                                       \
	X(264, renameat)                                                       \
	X(266, symlinkat)                                                      \
	X(267, readlinkat)                                                     \
	X(268, fchmodat)                                                       \
	X(269, faccessat)                                                      \
	X(270, pselect6)                                                       \
	X(271, ppoll)                                                          \
	X(273, set_robust_list)                                                \
	X(280, utimensat)                                                      \
	X(292, dup3)                                                           \
	X(293, pipe2)                                                          \
	X(302, prlimit64)                                                      \
	X(316, renameat2)                                                      \
	X(318, getrandom)                                                      \
	X(334, rseq)                                                           \
	X(439, faccessat2)

#endif
