/*
 * The Linux side of the Exo benchmarks: a static program that runs as /init
 * in an initramfs on Debian's own kernel, in the QEMU machine Exo boots in.
 *
 * Every benchmark first tries one operation in a child process (its probe),
 * runs one short warm-up (it fills QEMU's translation cache and the
 * kernel's slab caches), then `trials` timed trials of the same number of
 * operations, and prints one line:
 *
 *   BENCH <name> ns_per_op=<median> iters=<ops per trial> min=<n> max=<n>
 *         trials=<n> [mb_per_s=<n>]
 *
 * or, if the probe failed because the system lacks something the benchmark
 * needs (a call that fails, a signal that is not delivered):
 *
 *   BENCH <name> unsupported: <what failed>: <why>
 *
 * The same binary runs unmodified on Exo's libos-posix (images/posix-bench/),
 * which is what the probe is for there.
 *
 * Times come from clock_gettime(CLOCK_MONOTONIC) around a whole trial.  Under
 * QEMU's -icount shift=0,sleep=off one guest nanosecond is one guest
 * instruction, so there the figures are instruction counts.  The machine has
 * one CPU: every round trip between two processes is two context switches.
 *
 * The kernel hands unknown `name=value` command-line words to init as its
 * environment: `trials=N` sets the trials (default 5), `scale=N` multiplies
 * every iteration count (default 1).  /init runs the benchmarks in a child
 * and, when it is done, powers the machine off; where it cannot (no reboot
 * call), it exits and leaves the end of the run to whoever started it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arch.h" /* bench/linux/arch/<arch>/arch.h */

/* From <linux/futex.h>, which musl-gcc cannot see. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

#define MAX_TRIALS 101
#define WARMUP_DIV 16	   /* the warm-up runs iters / WARMUP_DIV operations */
#define PINGPONG_WARMUP 16 /* untimed round trips before a timed loop */
#define SEGV_RING 256	   /* pages write-protected together, one fault each */
#define FAULT_BATCH 1024   /* fresh pages mapped together, one fault each */
#define CALIBRATE_NS 10000000 /* time over which the counter is calibrated */

struct bench {
	const char *name;
	long iters;		 /* operations per trial, before scale */
	uint64_t (*run)(long n); /* nanoseconds taken by n operations */
	size_t msg_bytes;	 /* bytes per operation, for throughput; or 0 */
};

static long page;
static int trials = 5;
static long scale = 1;
static char *segv_ring;	    /* the pages bench_segv write-protects */
static char *segv_page;	    /* the read-only page bench_segv_skip writes */
static const char *probing; /* in a probe's child: the benchmark's name */

/*
 * As /init, power the machine off (QEMU exits).  Where there is no
 * reboot call (a library OS), or run anywhere else (a test on a host),
 * exit with status: whoever started the program ends the run.
 */
static void
power_off(int status)
{
	fflush(stdout);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	exit(status);
}

/*
 * Report a failed step and end the process: a child exits with status 1,
 * /init powers the machine off.  In a benchmark's probe (its child that
 * tries one operation first) the step is a primitive the system lacks.
 */
static void
fail(const char *what, const char *why)
{
	if (probing)
		printf("BENCH %s unsupported: %s: %s\n", probing, what, why);
	else
		printf("BENCH_ERROR %s: %s\n", what, why);
	if (getpid() != 1)
		_exit(1);
	power_off(1);
}

/* Report a failed call by its errno, as fail. */
static void
die(const char *what)
{
	fail(what, strerror(errno));
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Read exactly len bytes; a short pipe read only means "not all yet". */
static void
read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t got = read(fd, p, len);

		if (got == 0)
			errno = EPIPE; /* the writer died */
		if (got <= 0)
			die("read");
		p += got;
		len -= (size_t)got;
	}
}

static void
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t put = write(fd, p, len);

		if (put <= 0)
			die("write");
		p += put;
		len -= (size_t)put;
	}
}

static void
make_pipe(int fds[2])
{
	if (pipe(fds))
		die("pipe");
}

static pid_t
fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	return pid;
}

/* Why a child with wait status status failed, or NULL if it did not. */
static const char *
child_failure(int status)
{
	static char why[64];

	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (!WIFEXITED(status))
		snprintf(why, sizeof(why), "wait status 0x%x", status);
	else if (WEXITSTATUS(status) != 0)
		snprintf(why, sizeof(why), "exit status %d",
			 WEXITSTATUS(status));
	else
		return NULL;
	return why;
}

/* Reap one child; a child that failed fails the whole run. */
static void
reap(pid_t pid)
{
	const char *why;
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	why = child_failure(status);
	if (why)
		fail("child", why);
}

/* Map npages of anonymous memory without huge pages; touch them if asked. */
static char *
map_pages(long npages, int shared, int touch)
{
	size_t len = (size_t)(npages * page);
	int flags = MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (p == MAP_FAILED)
		die(shared ? "mmap(MAP_SHARED)" : "mmap");
	/* One fault per page is what we measure, not one per 2 MiB. */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (long i = 0; touch && i < npages; i++)
		p[i * page] = 1;
	return p;
}

static void
unmap_pages(char *p, long npages)
{
	if (munmap(p, (size_t)(npages * page)))
		die("munmap");
}

static uint64_t
bench_getppid(long n)
{
	uint64_t t0 = now_ns();

	/* Through syscall() so that no libc may cache the answer. */
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return now_ns() - t0;
}

/* The child's half of a ping-pong: echo each byte from in back to out. */
static void
pipe_echo(int in, int out, long n)
{
	char c;

	for (long i = 0; i < n; i++) {
		read_all(in, &c, 1);
		write_all(out, &c, 1);
	}
}

static uint64_t
bench_pipe_rtt(long n)
{
	int to_child[2], to_parent[2];
	uint64_t t0 = 0, t;
	char c = 0;
	pid_t pid;

	make_pipe(to_child);
	make_pipe(to_parent);
	pid = fork_or_die();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		pipe_echo(to_child[0], to_parent[1], n + PINGPONG_WARMUP);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (long i = 0; i < n + PINGPONG_WARMUP; i++) {
		if (i == PINGPONG_WARMUP)
			t0 = now_ns();
		write_all(to_child[1], &c, 1);
		read_all(to_parent[0], &c, 1);
	}
	t = now_ns() - t0;
	close(to_child[1]);
	close(to_parent[0]);
	reap(pid);
	return t;
}

/* Whose move it is in the futex ping-pong; the word lives in shared memory. */
enum { TURN_PARENT, TURN_CHILD, TURN_STOP };

static void
futex_pass(uint32_t *turn, uint32_t to)
{
	__atomic_store_n(turn, to, __ATOMIC_SEQ_CST);
	if (syscall(SYS_futex, turn, FUTEX_WAKE, 1, NULL, NULL, 0) < 0)
		die("futex(FUTEX_WAKE)");
}

/*
 * Sleep until *turn is no longer mine; return its new value.  EAGAIN (it
 * changed before the wait) and EINTR are the normal ways back; any other
 * error would turn the wait into a spin, so it fails the benchmark.
 */
static uint32_t
futex_await(uint32_t *turn, uint32_t mine)
{
	uint32_t cur;

	while ((cur = __atomic_load_n(turn, __ATOMIC_SEQ_CST)) == mine)
		if (syscall(SYS_futex, turn, FUTEX_WAIT, mine, NULL, NULL, 0) &&
		    errno != EAGAIN && errno != EINTR)
			die("futex(FUTEX_WAIT)");
	return cur;
}

static uint64_t
bench_futex_rtt(long n)
{
	uint32_t *turn = (uint32_t *)map_pages(1, 1, 1);
	uint64_t t0 = 0, t;
	pid_t pid;

	*turn = TURN_PARENT;
	pid = fork_or_die();
	if (pid == 0) {
		while (futex_await(turn, TURN_PARENT) != TURN_STOP)
			futex_pass(turn, TURN_PARENT);
		_exit(0);
	}
	for (long i = 0; i < n + PINGPONG_WARMUP; i++) {
		if (i == PINGPONG_WARMUP)
			t0 = now_ns();
		futex_pass(turn, TURN_CHILD);
		futex_await(turn, TURN_CHILD);
	}
	t = now_ns() - t0;
	futex_pass(turn, TURN_STOP);
	reap(pid);
	unmap_pages((char *)turn, 1);
	return t;
}

static uint64_t
bench_mmap(long n)
{
	uint64_t t0 = now_ns();

	for (long i = 0; i < n; i++) {
		volatile char *p =
			mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		*p = 1;
		if (munmap((void *)p, (size_t)page))
			die("munmap");
	}
	return now_ns() - t0;
}

/* Make the write-protected ring page that faulted writable again. */
static void
segv_handler(int sig, siginfo_t *si, void *uc)
{
	uintptr_t addr = (uintptr_t)si->si_addr & ~(uintptr_t)(page - 1);

	(void)sig;
	(void)uc;
	if ((char *)addr < segv_ring ||
	    (char *)addr >= segv_ring + SEGV_RING * page ||
	    mprotect((void *)addr, (size_t)page, PROT_READ | PROT_WRITE)) {
		errno = EFAULT; /* a real crash, not one of ours */
		die("SIGSEGV");
	}
}

/*
 * Each operation writes a read-only page: fault, SIGSEGV handler, mprotect,
 * sigreturn, the write again.  The pages are populated beforehand, so no
 * page is allocated; re-protecting the ring between batches is not timed.
 */
static uint64_t
bench_segv(long n)
{
	struct sigaction sa = { .sa_sigaction = segv_handler,
				.sa_flags = SA_SIGINFO };
	struct sigaction old;
	uint64_t total = 0;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old))
		die("sigaction");
	segv_ring = map_pages(SEGV_RING, 0, 1);
	for (long done = 0; done < n; done += SEGV_RING) {
		long batch = n - done < SEGV_RING ? n - done : SEGV_RING;
		volatile char *ring = segv_ring;
		uint64_t t0;

		if (mprotect(segv_ring, SEGV_RING * page, PROT_READ))
			die("mprotect");
		t0 = now_ns();
		for (long i = 0; i < batch; i++)
			ring[i * page] = 2;
		total += now_ns() - t0;
	}
	unmap_pages(segv_ring, SEGV_RING);
	sigaction(SIGSEGV, &old, NULL);
	return total;
}

/* Step over the store to segv_page, leaving the page read-only. */
static void
segv_skip_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	if ((char *)si->si_addr != segv_page) {
		errno = EFAULT; /* a real crash, not one of ours */
		die("SIGSEGV");
	}
	arch_skip_store(uc);
}

/*
 * The bare signal round trip: fault, SIGSEGV handler, sigreturn, with no
 * system call in the handler, which moves the saved PC past the store.
 */
static uint64_t
bench_segv_skip(long n)
{
	struct sigaction sa = { .sa_sigaction = segv_skip_handler,
				.sa_flags = SA_SIGINFO };
	struct sigaction old;
	uint64_t t0, t;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old))
		die("sigaction");
	segv_page = map_pages(1, 0, 1);
	if (mprotect(segv_page, (size_t)page, PROT_READ))
		die("mprotect");
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		arch_faulting_store(segv_page);
	t = now_ns() - t0;
	unmap_pages(segv_page, 1);
	sigaction(SIGSEGV, &old, NULL);
	return t;
}

/* First write to fresh anonymous pages: one zero-filled page per fault. */
static uint64_t
bench_anon_fault(long n)
{
	uint64_t total = 0;

	for (long done = 0; done < n; done += FAULT_BATCH) {
		long batch = n - done < FAULT_BATCH ? n - done : FAULT_BATCH;
		volatile char *p = map_pages(batch, 0, 0);
		uint64_t t0 = now_ns();

		for (long i = 0; i < batch; i++)
			p[i * page] = 1;
		total += now_ns() - t0;
		unmap_pages((char *)p, batch);
	}
	return total;
}

/* In a fresh child, time the first write to each of npages shared pages. */
static uint64_t
cow_batch(char *pages, long npages)
{
	int result[2];
	uint64_t t;
	pid_t pid;

	make_pipe(result);
	pid = fork_or_die();
	if (pid == 0) {
		volatile char *p = pages;
		uint64_t t0 = now_ns();

		for (long i = 0; i < npages; i++)
			p[i * page] = 3;
		t = now_ns() - t0;
		write_all(result[1], &t, sizeof(t));
		_exit(0);
	}
	read_all(result[0], &t, sizeof(t));
	close(result[0]);
	close(result[1]);
	reap(pid);
	return t;
}

/* Copy-on-write: a child writes pages it shares with its parent after fork. */
static uint64_t
bench_cow_fault(long n)
{
	uint64_t total = 0;

	for (long done = 0; done < n; done += FAULT_BATCH) {
		long batch = n - done < FAULT_BATCH ? n - done : FAULT_BATCH;
		char *p = map_pages(batch, 0, 1);

		total += cow_batch(p, batch);
		unmap_pages(p, batch);
	}
	return total;
}

/* Stream n messages of len bytes to a child that reads them one by one. */
static uint64_t
pipe_stream(long n, size_t len)
{
	static char buf[4096];
	int data[2], done[2];
	uint64_t t0, t;
	char c = 0;
	pid_t pid;

	make_pipe(data);
	make_pipe(done);
	pid = fork_or_die();
	if (pid == 0) {
		for (long i = 0; i < n; i++)
			read_all(data[0], buf, len);
		write_all(done[1], &c, 1);
		_exit(0);
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		write_all(data[1], buf, len);
	read_all(done[0], &c, 1);
	t = now_ns() - t0;
	close(data[0]);
	close(data[1]);
	close(done[0]);
	close(done[1]);
	reap(pid);
	return t;
}

static uint64_t
bench_pipe_64(long n)
{
	return pipe_stream(n, 64);
}

static uint64_t
bench_pipe_4k(long n)
{
	return pipe_stream(n, 4096);
}

static uint64_t
bench_fork(long n)
{
	uint64_t t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t pid = fork_or_die();

		if (pid == 0)
			_exit(0);
		reap(pid);
	}
	return now_ns() - t0;
}

/* Sized for a few tens of millions of guest instructions per trial. */
static const struct bench benches[] = {
	{ "getppid", 20000, bench_getppid, 0 },
	{ "pipe_rtt", 2000, bench_pipe_rtt, 0 },
	{ "futex_rtt", 2000, bench_futex_rtt, 0 },
	{ "mmap_munmap", 2000, bench_mmap, 0 },
	{ "sigsegv_rtt", 2048, bench_segv, 0 },
	{ "sigsegv_skip", 4000, bench_segv_skip, 0 },
	{ "anon_fault", 4096, bench_anon_fault, 0 },
	{ "cow_fault", 2048, bench_cow_fault, 0 },
	{ "pipe_tput_64", 10000, bench_pipe_64, 64 },
	{ "pipe_tput_4k", 4000, bench_pipe_4k, 4096 },
	{ "fork_exit_wait", 100, bench_fork, 0 },
};
#define NBENCHES (sizeof(benches) / sizeof(benches[0]))

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Try one operation of b in a child first: true if it worked.  If a call
 * b needs fails there, the child has said which (fail); if the child
 * died of a signal (a fault whose handler never ran), say so here.
 * Either way b is reported unsupported and the other benchmarks go on.
 */
static bool
probe(const struct bench *b)
{
	const char *why;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork_or_die();
	if (pid == 0) {
		probing = b->name;
		b->run(1);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	why = child_failure(status);
	if (why && WIFSIGNALED(status))
		printf("BENCH %s unsupported: its probe was %s\n", b->name,
		       why);
	return !why;
}

/* Warm up, run the trials, print the median, min and max per operation. */
static void
bench_run(const struct bench *b)
{
	long n = b->iters * scale;
	double per_op[MAX_TRIALS], median;

	if (!probe(b))
		return;
	b->run(n / WARMUP_DIV + 1);
	for (int t = 0; t < trials; t++)
		per_op[t] = (double)b->run(n) / (double)n;
	qsort(per_op, (size_t)trials, sizeof(per_op[0]), cmp_double);
	median = trials % 2 ? per_op[trials / 2]
			    : (per_op[trials / 2 - 1] + per_op[trials / 2]) / 2;
	printf("BENCH %s ns_per_op=%.1f iters=%ld min=%.1f max=%.1f trials=%d",
	       b->name, median, n, per_op[0], per_op[trials - 1], trials);
	if (b->msg_bytes)
		printf(" mb_per_s=%.1f", (double)b->msg_bytes * 1e3 / median);
	printf("\n");
}

/*
 * Nanoseconds since reset, from the arch counter read at start, which QEMU
 * starts at 0 at reset: CLOCK_BOOTTIME misses what ran before the kernel
 * started its clocks.  The counter's rate is measured against
 * CLOCK_MONOTONIC, which works for any counter frequency.
 */
static uint64_t
reset_ns(uint64_t count_at_start)
{
	uint64_t t0 = now_ns(), c0 = arch_counter(), t1, c1;

	while ((t1 = now_ns()) - t0 < CALIBRATE_NS)
		;
	c1 = arch_counter();
	return (uint64_t)((double)count_at_start * (double)(t1 - t0) /
			  (double)(c1 - c0));
}

/* A positive integer from the environment, or dflt. */
static long
env_long(const char *name, long dflt, long max)
{
	const char *s = getenv(name);
	long v = s ? strtol(s, NULL, 10) : 0;

	return v > 0 && v <= max ? v : dflt;
}

int
main(void)
{
	struct timespec boot;
	struct utsname u;
	uint64_t count;
	pid_t runner;

	/* First, before anything else can add to them. */
	clock_gettime(CLOCK_BOOTTIME, &boot);
	count = arch_counter();
	setvbuf(stdout, NULL, _IOLBF, 0);
	page = sysconf(_SC_PAGESIZE);
	trials = (int)env_long("trials", trials, MAX_TRIALS);
	scale = env_long("scale", scale, 1000);
	uname(&u);
	printf("BENCH_INFO release=%s machine=%s page=%ld trials=%d "
	       "scale=%ld\n",
	       u.release, u.machine, page, trials, scale);
	printf("BENCH boot_to_init ns=%llu reset_ns=%llu\n",
	       (unsigned long long)boot.tv_sec * 1000000000ull +
		       (unsigned long long)boot.tv_nsec,
	       (unsigned long long)reset_ns(count));
	/*
	 * Not as PID 1: the kernel treats every signal to init as unhandled
	 * and would log each of bench_segv's faults to the console.
	 */
	runner = fork_or_die();
	if (runner == 0) {
		for (size_t i = 0; i < NBENCHES; i++)
			bench_run(&benches[i]);
		exit(0);
	}
	reap(runner);
	printf("BENCH_END\n");
	power_off(0);
}
