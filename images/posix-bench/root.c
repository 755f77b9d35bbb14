/*
 * The root env of the posix-bench image: the static benchmark program that
 * runs as /init on Linux (bench/linux/bench.c, the same binary), run
 * unmodified as process 1 of a libos-posix instance, as /init of a ramfs
 * that holds the initrd's files.  As Linux's kernel does for init, it hands
 * the program the command line's name=value words (trials=, scale=) as its
 * environment after HOME=/ and TERM=linux.  The program writes its BENCH
 * lines straight to the console, where bench/run.sh reads them.  When it
 * exits the machine halts, with success if it exited with status 0.
 */
#include <exo/fmt.h>
#include <exo/libexo.h>
#include <exo/string.h>
#include <posix/launch.h>

#define POOL_WINDOW 0x00007d0000000000ull
#define QUOTA 32768 /* frames for process 1: 128 MiB */
#define MAX_ENV 16

static struct posix_instance instance;
static char cmdline[EXO_CMDLINE_MAX];
static const char *envp[MAX_ENV + 1] = { "HOME=/", "TERM=linux" };

/* Whether word is one of the kernel's own parameters (exo/root.c,
 * exo/ktest.c), which Linux would not pass to init either. */
static bool
kernel_param(const char *word)
{
	return !strncmp(word, "root=", 5) || !strncmp(word, "test=", 5);
}

/* Append the command line's name=value words to envp, as far as it goes:
 * the words are cut out of a copy of the command line in place. */
static void
env_from_cmdline(void)
{
	unsigned n = 2;
	char *p = cmdline;

	memcpy(cmdline, (const void *)exo_info()->cmdline, sizeof(cmdline));
	cmdline[sizeof(cmdline) - 1] = '\0';
	while (*p) {
		char *word = p;

		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		if (strchr(word, '=') && *word != '=' && !kernel_param(word) &&
		    n < MAX_ENV)
			envp[n++] = word;
	}
}

/* Wait for env to die. */
static void
wait_exit(exo_envid_t env)
{
	struct exo_envinfo info;

	while (exo_env_info(env, &info) == 0)
		exo_wait(EXO_NOTIFY_CHILD, UINT64_MAX);
}

int
main(uint64_t arg)
{
	static const char *const argv[] = { "/init", NULL };
	struct exo_cpio_file libos;
	struct posix_cmd cmd = {
		.path = "/init",
		.argv = argv,
		.envp = envp,
		.frame_quota = QUOTA,
	};
	int32_t status = -1;
	long env;
	int r;

	if (exo_bootfs_find("libos-posix", &libos))
		exo_panic("root: no libos-posix in the initrd");
	r = posix_instance_create("/", POOL_WINDOW, &instance);
	if (r < 0)
		exo_panic("root: cannot make the instance: %s",
			  exo_strerror(r));
	env_from_cmdline();
	cmd.libos = libos.data;
	cmd.libos_size = libos.size;
	env = posix_launch(&instance, &cmd);
	if (env < 0)
		exo_panic("root: cannot start /init: %s", exo_strerror(env));
	wait_exit((exo_envid_t)env);
	if (!posix_instance_status(&instance, &status))
		exo_printf("root: /init died without exiting\n");
	else
		exo_printf("root: /init exited with wait status 0x%x\n",
			   (unsigned)status);
	exo_halt(EXO_CAP_MACHINE, status == 0 ? 0 : 1);
	return 0;
}
