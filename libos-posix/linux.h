/*
 * The parts of the Linux user ABI that are the same on x86_64 and
 * aarch64 (asm-generic values; include/uapi/...).  Numbers that differ
 * per arch are in arch/<arch>/.
 */
#ifndef POSIX_LINUX_H
#define POSIX_LINUX_H

#include <stdint.h>

/* errno values (asm-generic/errno-base.h, errno.h) */
#define L_EPERM 1
#define L_ENOENT 2
#define L_ESRCH 3
#define L_EIO 5
#define L_E2BIG 7
#define L_ENOEXEC 8
#define L_EBADF 9
#define L_ECHILD 10
#define L_EAGAIN 11
#define L_ENOMEM 12
#define L_EACCES 13
#define L_EFAULT 14
#define L_EEXIST 17
#define L_ENODEV 19
#define L_ENOTDIR 20
#define L_EISDIR 21
#define L_EINVAL 22
#define L_ENFILE 23
#define L_EMFILE 24
#define L_ENOTTY 25
#define L_ENOSPC 28
#define L_EPIPE 32
#define L_ESPIPE 29
#define L_EROFS 30
#define L_ERANGE 34
#define L_ENAMETOOLONG 36
#define L_ENOSYS 38
#define L_ELOOP 40

/* auxiliary vector (uapi/linux/auxvec.h) */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31

/* mmap (asm-generic/mman-common.h; the same on both arches) */
#define L_PROT_READ 0x1
#define L_PROT_WRITE 0x2
#define L_PROT_EXEC 0x4
#define L_MAP_SHARED 0x01
#define L_MAP_PRIVATE 0x02
#define L_MAP_SHARED_VALIDATE 0x03
#define L_MAP_TYPE 0x0f
#define L_MAP_FIXED 0x10
#define L_MAP_ANONYMOUS 0x20
#define L_MAP_FIXED_NOREPLACE 0x100000

/* files */
#define L_AT_FDCWD (-100)
#define L_AT_EMPTY_PATH 0x1000
#define L_S_IFCHR 0020000
#define L_S_IFREG 0100000
#define L_S_IFDIR 0040000
#define L_SEEK_SET 0
#define L_SEEK_CUR 1
#define L_SEEK_END 2
#define L_DT_DIR 4
#define L_DT_REG 8
#define L_S_IFIFO 0010000

/* open flags and fcntl (the same on both arches for these) */
#define L_O_ACCMODE 03
#define L_O_RDONLY 00
#define L_O_WRONLY 01
#define L_O_RDWR 02
#define L_O_CREAT 0100
#define L_O_EXCL 0200
#define L_O_TRUNC 01000
#define L_O_APPEND 02000
#define L_O_NONBLOCK 04000
#define L_O_CLOEXEC 02000000
#define L_F_DUPFD 0
#define L_F_GETFD 1
#define L_F_SETFD 2
#define L_F_GETFL 3
#define L_F_SETFL 4
#define L_F_DUPFD_CLOEXEC 1030
#define L_FD_CLOEXEC 1

/* ioctl (asm-generic/ioctls.h) */
#define L_TCGETS 0x5401
#define L_TIOCGWINSZ 0x5413
#define L_TCSETS 0x5402
#define L_TCSETSW 0x5403
#define L_TCSETSF 0x5404
#define L_TIOCSCTTY 0x540e
#define L_TIOCGPGRP 0x540f
#define L_TIOCSPGRP 0x5410
#define L_TIOCSWINSZ 0x5414
#define L_FIONREAD 0x541b

/* termios flags and c_cc indices the line discipline uses */
#define L_INLCR 0000100
#define L_IGNCR 0000200
#define L_ICRNL 0000400
#define L_OPOST 0000001
#define L_ONLCR 0000004
#define L_ISIG 0000001
#define L_ICANON 0000002
#define L_ECHO 0000010
#define L_ECHOE 0000020
#define L_ECHOK 0000040
#define L_NOFLSH 0000200
#define L_TOSTOP 0000400
#define L_ECHOCTL 0001000
#define L_VINTR 0
#define L_VQUIT 1
#define L_VSUSP 10
#define L_VERASE 2
#define L_VKILL 3
#define L_VEOF 4
#define L_VMIN 6

/* sysinfo (its 64-bit layout) */
struct l_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};

/* select */
#define L_FD_SETSIZE 1024
struct l_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

/* poll */
struct l_pollfd {
	int32_t fd;
	int16_t events, revents;
};
#define L_POLLIN 0x001
#define L_POLLPRI 0x002
#define L_POLLOUT 0x004
#define L_POLLERR 0x008
#define L_POLLHUP 0x010
#define L_POLLNVAL 0x020

/* termios (asm-generic/termbits.h) */
#define L_NCCS 19
struct l_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[L_NCCS];
};

struct l_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct l_iovec {
	uint64_t base;
	uint64_t len;
};

struct l_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

#define L_UTS_LEN 65
struct l_utsname {
	char sysname[L_UTS_LEN];
	char nodename[L_UTS_LEN];
	char release[L_UTS_LEN];
	char version[L_UTS_LEN];
	char machine[L_UTS_LEN];
	char domainname[L_UTS_LEN];
};

struct l_rlimit {
	uint64_t cur, max;
};
#define L_RLIM_INFINITY (~0ull)
#define L_RLIMIT_STACK 3
#define L_RLIMIT_NOFILE 7
#define L_RLIM_NLIMITS 16

/* clocks */
#define L_CLOCK_REALTIME 0
#define L_CLOCK_MONOTONIC 1
#define L_CLOCK_PROCESS_CPUTIME_ID 2
#define L_CLOCK_THREAD_CPUTIME_ID 3
#define L_CLOCK_MONOTONIC_RAW 4
#define L_CLOCK_REALTIME_COARSE 5
#define L_CLOCK_MONOTONIC_COARSE 6
#define L_CLOCK_BOOTTIME 7

/* signals (the numbers are the same on both arches) */
#define L_NSIG 64
#define L_SIGHUP 1
#define L_SIGINT 2
#define L_SIGQUIT 3
#define L_SIGILL 4
#define L_SIGTRAP 5
#define L_SIGABRT 6
#define L_SIGBUS 7
#define L_SIGFPE 8
#define L_SIGKILL 9
#define L_SIGUSR1 10
#define L_SIGSEGV 11
#define L_SIGUSR2 12
#define L_SIGPIPE 13
#define L_SIGALRM 14
#define L_SIGTERM 15
#define L_SIGCHLD 17
#define L_SIGCONT 18
#define L_SIGSTOP 19
#define L_SIGTSTP 20
#define L_SIGTTIN 21
#define L_SIGTTOU 22
#define L_SIGURG 23
#define L_SIGXCPU 24
#define L_SIGXFSZ 25
#define L_SIGVTALRM 26
#define L_SIGPROF 27
#define L_SIGWINCH 28
#define L_SIGIO 29
#define L_SIGPWR 30
#define L_SIGSYS 31
#define L_SIGBIT(sig) (1ull << ((sig)-1))

/* errors a signal gives a call it interrupts */
#define L_EINTR 4
#define L_ETIMEDOUT 110
/* Inside the libOS only: the call was interrupted and is restarted if
 * the handler has SA_RESTART (and always if no handler runs). */
#define L_ERESTARTSYS 512

/* wait status of a stopped or continued child */
#define L_WSTOPPED_STATUS(sig) (((sig) << 8) | 0x7f)
#define L_WCONTINUED_STATUS 0xffff

#endif
