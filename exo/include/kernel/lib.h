/*
 * The libc-like routines the kernel uses: libexo's string functions
 * (shared with library OSes) and the command-line parser.
 */
#ifndef EXO_KERNEL_LIB_H
#define EXO_KERNEL_LIB_H

#include <exo/string.h>
#include <kernel/compiler.h>

/*
 * Find the value of key=value in a space-separated command line.  Returns
 * the value's length and sets *val, or -1 if the key is absent.
 */
int cmdline_get(const char *cmdline, const char *key, const char **val);

#endif
