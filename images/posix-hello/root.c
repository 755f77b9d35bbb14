/*
 * The root env of the posix-hello image: it runs unmodified static Linux
 * programs on libos-posix one after the other, each in its own env,
 * capturing what they write, and checks their output and exit status.
 * Every case prints "PASS posix/NAME" or "FAIL posix/NAME: why"; the
 * image halts with success only if every case passed.
 */
#include <stdbool.h>
#include <exo/fmt.h>
#include <exo/libexo.h>
#include <exo/string.h>
#include <posix/launch.h>

#define POOL_WINDOW 0x00007d0000000000ull
#define QUOTA 8192		   /* frames per process: 32 MiB */
#define TIMEOUT_NS 20000000000ull  /* per case */
#define EXITED(code) ((code) << 8) /* Linux wait status */
#define SIGNALED(sig) (sig)

struct test {
	const char *name;
	const char *file; /* in the initrd */
	const char *argv[6];
	const char *out; /* exact output, or with prefix_only its start */
	int32_t status;
	bool prefix_only;
	unsigned nosys_logs; /* "not supported" lines the libOS must log */
};

static const struct test tests[] = {
	{ .name = "hello",
	  .file = "hello",
	  .argv = { "hello" },
	  .out = "hello, world\n" },
	{ .name = "args",
	  .file = "args",
	  .argv = { "args", "one", "two words" },
	  .out = "argc 3\nargv[1] one\nargv[2] two words\nenv HOME=/\n"
		 "env TERM=dumb\nauxv ok\n" },
	{ .name = "mem", .file = "mem", .argv = { "mem" }, .out = "mem ok\n" },
	{ .name = "tls",
	  .file = "tls",
	  .argv = { "tls" },
	  .out = "tls 42 43\n" },
	{ .name = "pie", .file = "pie", .argv = { "pie" }, .out = "pie ok\n" },
	{ .name = "exit-status",
	  .file = "status",
	  .argv = { "status" },
	  .out = "",
	  .status = EXITED(42) },
	{ .name = "segv",
	  .file = "segv",
	  .argv = { "segv" },
	  .out = "",
	  .status = SIGNALED(11) },
	{ .name = "errors",
	  .file = "errors",
	  .argv = { "errors" },
	  .out = "errors ok\n",
	  .nosys_logs = 1 },
	{ .name = "fork",
	  .file = "fork",
	  .argv = { "fork" },
	  .out = "fork ok\n" },
	{ .name = "forkloop",
	  .file = "forkloop",
	  .argv = { "forkloop" },
	  .out = "forkloop ok\n" },
	{ .name = "orphan",
	  .file = "orphan",
	  .argv = { "orphan" },
	  .out = "orphan ok\n" },
	{ .name = "fds", .file = "fds", .argv = { "fds" }, .out = "fds ok\n" },
	{ .name = "pipe",
	  .file = "pipe",
	  .argv = { "pipe" },
	  .out = "pipe ok\n" },
	{ .name = "files",
	  .file = "files",
	  .argv = { "files" },
	  .out = "files ok\n" },
	{ .name = "pgrp",
	  .file = "pgrp",
	  .argv = { "pgrp" },
	  .out = "pgrp ok\n" },
	{ .name = "poll",
	  .file = "poll",
	  .argv = { "poll" },
	  .out = "poll ok\n" },
	{ .name = "dirs",
	  .file = "dirs",
	  .argv = { "dirs" },
	  .out = "dirs ok\n" },
	{ .name = "procfs",
	  .file = "procfs",
	  .argv = { "procfs", "one" },
	  .out = "procfs ok\n" },
	{ .name = "signal",
	  .file = "signal",
	  .argv = { "signal" },
	  .out = "signal ok\n" },
	{ .name = "mmap",
	  .file = "mmap",
	  .argv = { "mmap" },
	  .out = "mmap ok\n" },
	{ .name = "direct",
	  .file = "direct",
	  .argv = { "direct" },
	  .out = "direct write\ndirect ok\n",
	  .nosys_logs = 1 },
	{ .name = "shm", .file = "shm", .argv = { "shm" }, .out = "shm ok\n" },
	{ .name = "links",
	  .file = "links",
	  .argv = { "links" },
	  .out = "links ok\n" },
	{ .name = "times",
	  .file = "times",
	  .argv = { "times" },
	  .out = "times ok\n" },
	{ .name = "busybox-echo",
	  .file = "busybox",
	  .argv = { "busybox", "echo", "hello" },
	  .out = "hello\n" },
	{ .name = "busybox-uname",
	  .file = "busybox",
	  .argv = { "busybox", "uname", "-a" },
	  .out = "Exo exo 0.2.0 libos-posix " EXO_ARCH,
	  .prefix_only = true },
	{ .name = "busybox-true",
	  .file = "busybox",
	  .argv = { "busybox", "true" },
	  .out = "" },
	{ .name = "busybox-false",
	  .file = "busybox",
	  .argv = { "busybox", "false" },
	  .out = "",
	  .status = EXITED(1) },
	{ .name = "busybox-sh-status",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "busybox true; busybox false; echo $?; (exit 5); echo $?; "
		    "exit 3" },
	  .out = "1\n5\n",
	  .status = EXITED(3) },
	{ .name = "busybox-pipe",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c", "echo a | busybox cat" },
	  .out = "a\n" },
	{ .name = "busybox-pipeline",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "busybox echo c b a | busybox tr ' ' '\\n' | busybox "
		    "sort" },
	  .out = "a\nb\nc\n" },
	{ .name = "busybox-pipe-big",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "busybox seq 1 3000 | busybox wc -l" },
	  .out = "3000\n" },
	{ .name = "busybox-devnull",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "busybox echo hi > /dev/null; echo $?" },
	  .out = "0\n" },
	{ .name = "busybox-redirect",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "echo one > /out; echo two >> /out; busybox cat < /out" },
	  .out = "one\ntwo\n" },
	{ .name = "busybox-ls",
	  .file = "busybox",
	  .argv = { "busybox", "ls", "/bin" },
	  .out = "args\nbusybox\ndirect\ndirs\nerrors\nfds\nfiles\nfork\nforklo"
		 "op\n"
		 "hello\nlibos-"
		 "posix\nlinks\nmem\nmmap\norphan\npgrp\npie\npipe\npoll\n"
		 "procfs\nroot\n"
		 "segv\nshm\nsignal\nstatus\ntimes\ntls\n" },
	{ .name = "busybox-dirs",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "busybox mkdir -p /t/a/b; echo x > /t/a/f; busybox mv /t/a "
		    "/t/c; busybox find /t | busybox sort; busybox rm -r /t; "
		    "busybox test -e /t || echo gone" },
	  .out = "/t\n/t/c\n/t/c/b\n/t/c/f\ngone\n" },
	{ .name = "busybox-sed-sort",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "echo abc > /s; busybox sed -i s/b/X/ /s; busybox cat /s; "
		    "printf '3\\n1\\n2\\n' > /n; busybox sort -o /n /n; "
		    "busybox awk '{s=s $1}END{print s}' /n; busybox rm /s /n" },
	  .out = "aXc\n123\n" },
	{ .name = "busybox-ps",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c", "busybox ps -o pid,comm" },
	  .out = "PID   COMMAND\n    1 busybox\n",
	  .prefix_only = true },
	{ .name = "busybox-proc",
	  .file = "busybox",
	  .argv = { "busybox", "sh", "-c",
		    "read a b c < /proc/self/statm; busybox test $b -gt 0 && "
		    "echo resident; busybox readlink /proc/self/exe" },
	  .out = "resident\n/bin/busybox\n" },
};

static const char *const envp[] = { "HOME=/", "TERM=dumb", NULL };

/* One instance for every case: its ramfs holds the initrd under /bin. */
static struct posix_instance instance;

static bool
alive(exo_envid_t env)
{
	struct exo_envinfo info;

	return exo_env_info(env, &info) == 0;
}

/* Wait for env to die; false (and it is destroyed) after TIMEOUT_NS. */
static bool
wait_exit(exo_envid_t env)
{
	uint64_t deadline = (uint64_t)exo_clock_ns() + TIMEOUT_NS;

	while (alive(env)) {
		uint64_t now = (uint64_t)exo_clock_ns();

		if (now >= deadline) {
			exo_env_destroy(env);
			return false;
		}
		exo_wait(EXO_NOTIFY_CHILD, deadline - now);
	}
	return true;
}

/* Print text[0..len) line by line under the case, as the program wrote
 * it (untrusted bytes: written, never interpreted). */
static void
show(const char *prefix, const char *text, uint64_t len)
{
	while (len) {
		const char *nl = text;
		uint64_t n;

		while (nl < text + len && *nl != '\n')
			nl++;
		n = (uint64_t)(nl - text);
		exo_printf("%s", prefix);
		exo_cons_write(exo_console(), text, n);
		exo_printf("\n");
		n = n < len ? n + 1 : n;
		text += n;
		len -= n;
	}
}

/* How many lines of log[0..len) report a call failed with -ENOSYS. */
static unsigned
nosys_lines(const char *log, uint64_t len)
{
	static const char mark[] = ": -ENOSYS";
	unsigned n = 0;

	for (uint64_t i = 0; i + sizeof(mark) - 1 <= len; i++)
		n += !memcmp(log + i, mark, sizeof(mark) - 1);
	return n;
}

/* Why the finished case failed, or NULL. */
static const char *
verdict(const struct test *t, const struct posix_pool *pool)
{
	uint64_t out =
		pool->out_len < POSIX_OUT_MAX ? pool->out_len : POSIX_OUT_MAX;
	uint64_t log =
		pool->log_len < POSIX_LOG_MAX ? pool->log_len : POSIX_LOG_MAX;
	uint64_t want = strlen(t->out);
	int32_t status;

	if (!posix_instance_status(&instance, &status))
		return "the process died without exiting";
	if (status != t->status)
		return "wrong exit status";
	if (out < want || memcmp(pool->out, t->out, want) ||
	    (!t->prefix_only && out != want))
		return "wrong output";
	if (nosys_lines(pool->log, log) != t->nosys_logs)
		return "wrong number of -ENOSYS log lines";
	return NULL;
}

/* Run one case: true if it passed. */
static bool
run(const struct test *t, const void *libos, uint64_t libos_size)
{
	char path[64];
	struct posix_cmd cmd = {
		.libos = libos,
		.libos_size = libos_size,
		.path = path,
		.argv = t->argv,
		.envp = envp,
		.flags = POSIX_LAUNCH_CAPTURE,
		.frame_quota = QUOTA,
	};
	struct posix_pool *pool = instance.pool;
	const char *why;
	int32_t status = -1;
	long env;

	exo_snprintf(path, sizeof(path), "/bin/%s", t->file);
	env = posix_launch(&instance, &cmd);
	if (env < 0) {
		exo_printf("FAIL posix/%s: cannot launch: %s\n", t->name,
			   exo_strerror(env));
		return false;
	}
	why = wait_exit((exo_envid_t)env) ? verdict(t, pool) : "timed out";
	posix_instance_status(&instance, &status);
	exo_printf("posix-hello: %s: wait status 0x%x\n", t->name,
		   (unsigned)status);
	show("  | ", pool->out,
	     pool->out_len < POSIX_OUT_MAX ? pool->out_len : POSIX_OUT_MAX);
	show("  log: ", pool->log,
	     pool->log_len < POSIX_LOG_MAX ? pool->log_len : POSIX_LOG_MAX);
	if (why)
		exo_printf("FAIL posix/%s: %s\n", t->name, why);
	else
		exo_printf("PASS posix/%s\n", t->name);
	return !why;
}

int
main(uint64_t arg)
{
	struct exo_cpio_file libos;
	unsigned failed = 0, n = sizeof(tests) / sizeof(tests[0]);
	int r;

	exo_printf("root: env %x, running Linux programs on libos-posix\n",
		   (unsigned)exo_env_self());
	if (exo_bootfs_find("libos-posix", &libos))
		exo_panic("root: no libos-posix in the initrd");
	r = posix_instance_create("/bin/", POOL_WINDOW, &instance);
	if (r < 0)
		exo_panic("root: cannot make the instance: %s",
			  exo_strerror(r));
	for (unsigned i = 0; i < n; i++)
		failed += !run(&tests[i], libos.data, libos.size);
	if (failed)
		exo_panic("root: %u of %u Linux programs failed", failed, n);
	exo_printf("root: the image is done; halting\n");
	exo_halt(EXO_CAP_MACHINE, 0);
	return 0;
}
