/*
 * The root env of the demo images: all boot policy lives here.  It reads
 * `manifest` from the initrd (the format is described in
 * images/demo/manifest), starts one env per line with the frame quota and
 * capabilities the line names, and waits for the envs marked `wait`;
 * then it destroys the rest and halts the machine.
 */
#include <stdbool.h>
#include <exo/libexo.h>
#include <exo/string.h>
#include <exo/syscall.h>

#define MAX_ENVS 16
#define MAX_WORDS 12
#define NAME_MAX 32

struct entry {
	char name[NAME_MAX];
	struct exo_spawn sp;
	uint64_t arg;
	bool wait;
	bool started;
};

static struct entry envs[MAX_ENVS];
static unsigned nenvs;

static struct entry *
find(const char *name)
{
	for (unsigned i = 0; i < nenvs; i++)
		if (!strcmp(envs[i].name, name))
			return &envs[i];
	return NULL;
}

/* Split line (modified in place) into words; returns how many. */
static unsigned
split(char *line, char **w)
{
	unsigned n = 0;

	for (char *p = line; *p && n < MAX_WORDS;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p || *p == '#')
			break;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static uint64_t
number(const char *s)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

/* call:NAME: an ENV capability for NAME, granted to e. */
static long
grant_call(struct entry *e, const char *target)
{
	struct entry *t = find(target);
	long mine, theirs;

	if (!t || t == e)
		return -EXO_ENOENT;
	mine = exo_cap_env(t->sp.env,
			   EXO_RIGHT_CALL | EXO_RIGHT_NOTIFY | EXO_RIGHT_GRANT);
	if (mine < 0)
		return mine;
	theirs = exo_cap_grant((exo_cap_t)mine, e->sp.env, EXO_RIGHTS_ALL);
	exo_cap_drop((exo_cap_t)mine);
	if (theirs >= 0 && e->arg == UINT64_MAX)
		e->arg = (uint64_t)theirs;
	return theirs;
}

/* One manifest line: NAME PROGRAM QUOTA [OPTION...]. */
static void
load_line(char *line, unsigned lineno)
{
	char *w[MAX_WORDS];
	unsigned n = split(line, w);
	struct exo_cpio_file f;
	struct entry *e;
	long err;

	if (n == 0)
		return;
	if (n < 3 || nenvs == MAX_ENVS || strlen(w[0]) >= NAME_MAX)
		exo_panic("root: manifest line %u: need NAME PROGRAM QUOTA",
			  lineno);
	if (exo_bootfs_find(w[1], &f))
		exo_panic("root: manifest line %u: no program '%s'", lineno,
			  w[1]);
	e = &envs[nenvs++];
	strlcpy(e->name, w[0], sizeof(e->name));
	e->arg = UINT64_MAX;
	err = exo_spawn_load(f.data, f.size, number(w[2]), 0, &e->sp);
	if (err)
		exo_panic("root: cannot load '%s': %s", w[1],
			  exo_strerror(err));
	for (unsigned i = 3; i < n; i++) {
		if (!strcmp(w[i], "wait"))
			e->wait = true;
		else if (!strncmp(w[i], "call:", 5) &&
			 (err = grant_call(e, w[i] + 5)) < 0)
			exo_panic("root: line %u: %s: %s", lineno, w[i],
				  exo_strerror(err));
		else if (strncmp(w[i], "call:", 5))
			exo_panic("root: line %u: unknown option '%s'", lineno,
				  w[i]);
	}
	exo_printf("root: loaded %s (env %x, %s frames)\n", e->name,
		   (unsigned)e->sp.env, w[2]);
}

static void
read_manifest(void)
{
	static char text[4096];
	struct exo_cpio_file f;
	unsigned lineno = 1;
	char *line = text;

	if (exo_bootfs_find("manifest", &f) || f.size >= sizeof(text))
		exo_panic("root: no usable manifest in the initrd");
	memcpy(text, f.data, f.size);
	text[f.size] = '\0';
	for (char *p = text; *p; p++) {
		if (*p != '\n')
			continue;
		*p = '\0';
		load_line(line, lineno++);
		line = p + 1;
	}
	load_line(line, lineno);
}

static bool
alive(const struct entry *e)
{
	struct exo_envinfo info;

	return exo_env_info(e->sp.env, &info) == 0;
}

int
main(uint64_t arg)
{
	bool waiting = true;

	exo_printf("root: env %x, starting the image\n",
		   (unsigned)exo_env_self());
	read_manifest();
	for (unsigned i = 0; i < nenvs; i++) {
		struct entry *e = &envs[i];
		long err = exo_env_start(e->sp.env, e->sp.entry, e->sp.sp,
					 e->arg == UINT64_MAX ? 0 : e->arg);
		if (err)
			exo_panic("root: cannot start %s: %s", e->name,
				  exo_strerror(err));
	}
	while (waiting) {
		exo_wait(EXO_NOTIFY_CHILD, UINT64_MAX);
		waiting = false;
		for (unsigned i = 0; i < nenvs; i++)
			if (envs[i].wait && alive(&envs[i]))
				waiting = true;
	}
	for (unsigned i = 0; i < nenvs; i++)
		if (alive(&envs[i]))
			exo_env_destroy(envs[i].sp.env);
	exo_printf("root: the image is done; halting\n");
	exo_halt(EXO_CAP_MACHINE, 0);
	return 0;
}
