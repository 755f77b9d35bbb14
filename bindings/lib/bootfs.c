/*
 * The root env's bootfs: the initrd, a cpio archive the kernel maps
 * read-only and describes in the info page.
 */
#include <exo/libexo.h>

int
exo_bootfs_find(const char *name, struct exo_cpio_file *f)
{
	const volatile struct exo_envinfo *info = exo_info();

	if (!info->bootfs_size)
		return -EXO_ENOENT;
	return exo_cpio_find((const void *)(uintptr_t)info->bootfs_addr,
			     info->bootfs_size, name, f);
}
