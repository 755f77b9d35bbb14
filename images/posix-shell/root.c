/*
 * The root env of the posix-shell image: an interactive busybox shell
 * on the serial console.  The initrd's files go in the ramfs under
 * /boot/; busybox gets its applet links in /bin (from what `busybox
 * --list` prints, run once captured); /etc/motd, /etc/passwd and
 * /etc/group (root alone, at home in /root) are the initrd's, /root and
 * /tmp empty directories; then
 * `sh` runs as process 1 on the console.  When the shell exits the
 * machine halts.
 */
#include <exo/fmt.h>
#include <exo/libexo.h>
#include <exo/string.h>
#include <posix/launch.h>

#define POOL_WINDOW 0x00007d0000000000ull
#define QUOTA 16384 /* frames for process 1: 64 MiB */
#define LIST_TIMEOUT_NS 30000000000ull
#define BUSYBOX "/boot/busybox"

static const char *const envp[] = { "PATH=/bin", "HOME=/root", "TERM=vt100",
				    "PS1=\\w # ", NULL };

static struct posix_instance instance;

/* Wait for env to die, at most timeout_ns if that is not 0: false if it
 * did not (it is destroyed then). */
static bool
wait_exit(exo_envid_t env, uint64_t timeout_ns)
{
	uint64_t deadline = (uint64_t)exo_clock_ns() + timeout_ns;
	struct exo_envinfo info;

	while (exo_env_info(env, &info) == 0) {
		uint64_t now = (uint64_t)exo_clock_ns();

		if (timeout_ns && now >= deadline) {
			exo_env_destroy(env);
			return false;
		}
		exo_wait(EXO_NOTIFY_CHILD,
			 timeout_ns ? deadline - now : UINT64_MAX);
	}
	return true;
}

/* Run path with argv as process 1 and wait for it: its wait status, or
 * -1 if it could not start or did not end in time. */
static int32_t
run(const struct exo_cpio_file *libos, const char *const *argv, uint32_t flags,
    uint64_t timeout_ns)
{
	struct posix_cmd cmd = {
		.libos = libos->data,
		.libos_size = libos->size,
		.path = BUSYBOX,
		.argv = argv,
		.envp = envp,
		.flags = flags,
		.frame_quota = QUOTA,
	};
	int32_t status = -1;
	long env = posix_launch(&instance, &cmd);

	if (env < 0) {
		exo_printf("root: cannot start %s: %s\n", argv[0],
			   exo_strerror(env));
		return -1;
	}
	if (!wait_exit((exo_envid_t)env, timeout_ns))
		exo_printf("root: %s did not finish\n", argv[0]);
	else if (!posix_instance_status(&instance, &status))
		exo_printf("root: %s died without exiting\n", argv[0]);
	return status;
}

/* Link /bin/NAME to busybox for each name of its applet list (the
 * captured output, one name a line): how many links. */
static unsigned
link_applets(const char *list, uint64_t len)
{
	unsigned n = 0;

	while (len) {
		char path[POSIX_NAME_MAX];
		uint64_t k = 0;

		while (k < len && list[k] != '\n')
			k++;
		if (k && k < sizeof(path) - 5) {
			memcpy(path, "/bin/", 5);
			memcpy(path + 5, list, k);
			path[5 + k] = '\0';
			n += posix_instance_link(&instance, path, BUSYBOX) == 0;
		}
		k += k < len;
		list += k;
		len -= k;
	}
	return n;
}

int
main(uint64_t arg)
{
	static const char *const list_argv[] = { "busybox", "--list", NULL };
	static const char *const sh_argv[] = { "sh", NULL };
	struct posix_pool *pool;
	struct exo_cpio_file libos;
	unsigned links;
	int32_t status;
	int r;

	if (exo_bootfs_find("libos-posix", &libos))
		exo_panic("root: no libos-posix in the initrd");
	r = posix_instance_create("/boot/", POOL_WINDOW, &instance);
	if (r < 0)
		exo_panic("root: cannot make the instance: %s",
			  exo_strerror(r));
	pool = instance.pool;
	if (run(&libos, list_argv, POSIX_LAUNCH_CAPTURE, LIST_TIMEOUT_NS))
		exo_panic("root: busybox --list failed");
	links = link_applets(pool->out, pool->out_len < POSIX_OUT_MAX
						? pool->out_len
						: POSIX_OUT_MAX);
	posix_instance_link(&instance, "/bin/busybox", BUSYBOX);
	posix_instance_link(&instance, "/etc/motd", "/boot/motd");
	posix_instance_link(&instance, "/etc/passwd", "/boot/passwd");
	posix_instance_link(&instance, "/etc/group", "/boot/group");
	posix_instance_mkdir(&instance, "/root");
	posix_instance_mkdir(&instance, "/tmp");
	exo_printf("root: busybox with %u applets in /bin; starting sh\n",
		   links);
	status = run(&libos, sh_argv, 0, 0);
	exo_printf("root: the shell exited with status %d\n",
		   status >= 0 ? status >> 8 : status);
	/* The shell exiting, with any code, is the session's normal end. */
	exo_halt(EXO_CAP_MACHINE, status >= 0 && !(status & 0x7f) ? 0 : 1);
	return 0;
}
