/*
 * Kernel command line: "key=value" words separated by spaces.
 */
#include <kernel/lib.h>

int
cmdline_get(const char *cmdline, const char *key, const char **val)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) > klen && word[klen] == '=' &&
		    !strncmp(word, key, klen)) {
			*val = word + klen + 1;
			return (int)(p - *val);
		}
		while (*p == ' ')
			p++;
	}
	return -1;
}
