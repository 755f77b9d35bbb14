/*
 * Loading a static Linux ELF program (PIE or not) into this address
 * space and building the initial stack the System V AMD64 and AArch64
 * ELF ABIs describe: argc, argv, envp and the auxiliary vector, with
 * the strings above them.
 */
#include <exo/arch/elf.h>
#include <exo/string.h>

#include <posix/direct.h>

#include "posix.h"

#define ET_DYN 3
#define E_TYPE 16
#define NAUX 21
#define PHENT 56
/* Stack bytes argv, envp and auxv can take (POSIX_STRINGS_MAX strings
 * of one byte each, and their pointers). */
#define STACK_INIT (32 * 1024)

struct image {
	uint64_t entry, phdr, phnum, end;
};

static unsigned
linux_prot(unsigned perms)
{
	return L_PROT_READ | (perms & EXO_PERM_W ? L_PROT_WRITE : 0) |
	       (perms & EXO_PERM_X ? L_PROT_EXEC : 0);
}

/* Copy the file bytes of each segment in; the rest of its pages stays
 * zero (fresh frames are), and code is made visible to instruction
 * fetch.  Regions are writable while this runs. */
static int
copy_segments(const unsigned char *img, const struct exo_elf *e, uint64_t bias)
{
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct exo_elf_seg *s = &e->seg[i];
		uint64_t lo = page_down(s->va + bias),
			 hi = page_up(s->va + bias + s->memsz);
		int r = vm_protect(lo, hi, L_PROT_READ | L_PROT_WRITE);

		if (r < 0)
			return r;
		if (copy_out(s->va + bias, img + s->offset, s->filesz) < 0)
			return -L_ENOMEM;
		if (s->perms & EXO_PERM_X)
			exo_sync_icache((const void *)(uintptr_t)(s->va + bias),
					s->filesz);
	}
	return 0;
}

/* The final rights: each segment's, and the union of both on a page two
 * segments share. */
static int
protect_segments(const struct exo_elf *e, uint64_t bias)
{
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct exo_elf_seg *s = &e->seg[i];
		uint64_t lo = page_down(s->va + bias);
		uint64_t hi = page_up(s->va + bias + s->memsz);
		int r = vm_protect(lo, hi, linux_prot(s->perms));

		for (unsigned j = 0; !r && j < i; j++) {
			const struct exo_elf_seg *t = &e->seg[j];
			uint64_t tlo = page_down(t->va + bias);
			uint64_t thi = page_up(t->va + bias + t->memsz);
			uint64_t a = lo > tlo ? lo : tlo,
				 b = hi < thi ? hi : thi;

			if (a < b)
				r = vm_protect(a, b,
					       linux_prot(s->perms | t->perms));
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* Load the program: 0, or an exo_elf_parse error or -L_ENOMEM. */
static int
load(const unsigned char *img, uint64_t size, struct image *im)
{
	bool pie = size > E_TYPE + 1 &&
		   (img[E_TYPE] | img[E_TYPE + 1] << 8) == ET_DYN;
	uint64_t bias = pie ? POSIX_PIE_BASE : 0;
	struct exo_elf e;
	int r;

	r = exo_elf_parse(img, size, EXO_ELF_MACHINE, pie ? 0 : EXO_USER_MIN,
			  POSIX_MMAP_BOTTOM, &e);
	if (r < 0)
		return r;
	r = copy_segments(img, &e, bias);
	if (!r)
		r = protect_segments(&e, bias);
	if (r < 0)
		return r;
	im->entry = e.entry + bias;
	im->phdr = e.phdr_va ? e.phdr_va + bias : 0;
	im->phnum = e.phnum;
	im->end = 0;
	for (unsigned i = 0; i < e.nsegs; i++)
		if (e.seg[i].va + bias + e.seg[i].memsz > im->end)
			im->end = e.seg[i].va + bias + e.seg[i].memsz;
	return 0;
}

/* Push len bytes of src below *sp; returns where they went. */
static uint64_t
push(uint64_t *sp, const void *src, uint64_t len)
{
	*sp -= len;
	memcpy((void *)(uintptr_t)*sp, src, len);
	return *sp;
}

/* Skip over n NUL-terminated strings starting at s. */
static const char *
skip_strings(const char *s, uint32_t n)
{
	while (n--)
		s += strlen(s) + 1;
	return s;
}

/* Fill n pointers at w to the successive strings at s; returns the
 * word after them (a NULL). */
static uint64_t *
fill_ptrs(uint64_t *w, const char *s, uint32_t n)
{
	while (n--) {
		*w++ = (uint64_t)(uintptr_t)s;
		s += strlen(s) + 1;
	}
	*w++ = 0;
	return w;
}

/* The auxiliary vector into aux; returns its length in words. */
static unsigned
fill_aux(uint64_t *aux, const struct image *im, uint64_t execfn,
	 uint64_t platform, uint64_t rnd)
{
	unsigned n = 0;

#define AUX(k, v) (aux[n++] = (k), aux[n++] = (v))
	AUX(AT_PHDR, im->phdr);
	AUX(AT_PHENT, PHENT);
	AUX(AT_PHNUM, im->phnum);
	AUX(AT_PAGESZ, PAGE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, im->entry);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_SECURE, 0);
	AUX(AT_HWCAP, arch_hwcap());
	AUX(AT_HWCAP2, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PLATFORM, platform);
	AUX(AT_RANDOM, rnd);
	AUX(AT_EXECFN, execfn);
	AUX(AT_EXO_POSIX, (uint64_t)(uintptr_t)posix_direct_entry);
	AUX(AT_NULL, 0);
#undef AUX
	return n;
}

/* Build the stack below POSIX_STACK_TOP (its pages are in); returns the
 * initial stack pointer, at argc. */
static uint64_t
build_stack(const struct image *im, const struct exec_args *ea)
{
	uint64_t exe_len = strlen(proc.exe) + 1;
	uint64_t sp = POSIX_STACK_TOP, execfn, platform, rnd, args, words;
	uint64_t aux[NAUX * 2], random[2] = { 0, 0 }, *w;
	unsigned naux;

	execfn = push(&sp, proc.exe, exe_len);
	platform = push(&sp, arch_machine, strlen(arch_machine) + 1);
	/* argv's and envp's strings, in the block's order. */
	args = push(&sp, ea->strings, ea->len);
	posix_random(random, sizeof(random));
	rnd = push(&sp, random, sizeof(random));
	naux = fill_aux(aux, im, execfn, platform, rnd);

	/* argc, argv[], NULL, envp[], NULL, auxv; argc 16-byte aligned. */
	words = 1 + (ea->argc + 1) + (ea->envc + 1) + naux;
	sp = (sp - words * 8) & ~15ull;
	w = (uint64_t *)(uintptr_t)sp;
	*w++ = ea->argc;
	w = fill_ptrs(w, (const char *)(uintptr_t)args, ea->argc);
	w = fill_ptrs(w, skip_strings((const char *)(uintptr_t)args, ea->argc),
		      ea->envc);
	memcpy(w, aux, naux * 8);
	return sp;
}

/* Linux names a thread after the last part of its program's path. */
static void
set_comm(void)
{
	const char *base = proc.exe;

	for (const char *s = proc.exe; *s; s++)
		if (*s == '/')
			base = s + 1;
	strlcpy(proc.comm, base, sizeof(proc.comm));
}

void
posix_exec(const void *img, uint64_t size, const struct exec_args *args)
{
	uint64_t stack_lo = POSIX_STACK_TOP - POSIX_STACK_MAX;
	struct image im;
	int r = load(img, size, &im);

	if (r < 0) {
		posix_log("posix: pid %u: cannot load %s: %s\n", proc.pid,
			  proc.exe,
			  r == -L_ENOMEM ? "out of memory" : exo_strerror(r));
		posix_exit(127 << 8);
	}
	proc.brk_start = proc.brk_cur = page_up(im.end);
	/* The stack region: the top pages are written now (argv and envp
	 * fit in STACK_INIT), the rest is paged in on demand. */
	if (vm_protect(stack_lo, POSIX_STACK_TOP, L_PROT_READ | L_PROT_WRITE) <
		    0 ||
	    !vm_user_ok(POSIX_STACK_TOP - STACK_INIT, STACK_INIT,
			L_PROT_WRITE)) {
		posix_log("posix: pid %u: no memory for the stack\n", proc.pid);
		posix_exit(127 << 8);
	}
	set_comm();
	arch_enter(im.entry, build_stack(&im, args));
}
