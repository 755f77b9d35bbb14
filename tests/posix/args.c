/*
 * The Linux initial stack: argv, envp and the auxiliary vector, as
 * libos-posix builds them.  Prints what it got and "auxv ok", or the
 * first thing that is wrong.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

/* The first wrong entry of the auxiliary vector, or NULL. */
static const char *
check_auxv(char **argv)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	char exe[64];
	ssize_t n;

	if (getauxval(AT_PAGESZ) != 4096)
		return "AT_PAGESZ";
	if (getauxval(AT_PHENT) != sizeof(Elf64_Phdr))
		return "AT_PHENT";
	if (!ph || getauxval(AT_PHNUM) == 0)
		return "AT_PHDR";
	for (unsigned long i = 0; i < getauxval(AT_PHNUM); i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
		    ph[i].p_offset == 0 && ph[i].p_filesz < sizeof(Elf64_Ehdr))
			return "AT_PHDR contents";
	if (!getauxval(AT_ENTRY) || !getauxval(AT_RANDOM))
		return "AT_ENTRY or AT_RANDOM";
	if (getauxval(AT_UID) || getauxval(AT_EUID) || getauxval(AT_GID) ||
	    getauxval(AT_EGID) || getauxval(AT_SECURE))
		return "AT_UID and co";
	if (getauxval(AT_CLKTCK) != 100 || !getauxval(AT_HWCAP))
		return "AT_CLKTCK or AT_HWCAP";
	if (!execfn || strcmp(execfn, "/bin/args"))
		return "AT_EXECFN";
	if (((uintptr_t)argv - 8) % 16)
		return "stack alignment";
	n = readlink("/proc/self/exe", exe, sizeof(exe));
	if (n != 9 || memcmp(exe, "/bin/args", 9))
		return "readlink /proc/self/exe";
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *bad = check_auxv(argv);

	printf("argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] %s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env %s\n", *e);
	if (bad)
		printf("auxv bad: %s\n", bad);
	else
		printf("auxv ok\n");
	return 0;
}
