/*
 * The root env: the kernel's last act of policy.  It loads the program
 * named `root` (or root=NAME on the command line) from the initrd (a cpio
 * archive), gives it every capability, all free memory as its quota, the
 * initrd read-only at EXO_BOOTFS and the command line in its info page,
 * and starts it.  Everything else is the root env's choice.
 */
#include <exo/arch/elf.h>
#include <exo/cpio.h>
#include <exo/error.h>
#include <exo/map.h>
#include <exo/memlayout.h>
#include <kernel/cap.h>
#include <kernel/env.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/pm.h>
#include <kernel/printk.h>
#include <kernel/root.h>
#include <kernel/vm.h>

#define ROOT_STACK_PAGES 16
#define ROOT_STACK_TOP (EXO_BOOTFS - PAGE_SIZE) /* a guard page above */

/* A zeroed frame owned by and charged to e, mapped at va. */
static int
map_new_page(struct env *e, uint64_t va, unsigned perms, void **kva)
{
	uint64_t pa;
	int err = env_charge(e, 1);

	if (!err && (err = pm_alloc(e->id, &pa)))
		env_uncharge(e, 1);
	if (err)
		return err;
	*kva = phys_to_virt(pa);
	arch_page_zero(*kva);
	return vm_map(e, va, pa, perms);
}

/* Copy one PT_LOAD segment into fresh frames of e. */
static int
load_segment(struct env *e, const uint8_t *img, const struct exo_elf_seg *s)
{
	uint64_t start = ALIGN_DOWN(s->va, PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->va + s->memsz, PAGE_SIZE);

	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint8_t *page;
		int err = map_new_page(e, va, s->perms, (void **)&page);
		if (err)
			return err;
		/* The part of [va, va + PAGE_SIZE) the file covers. */
		uint64_t lo = MAX(va, s->va),
			 hi = MIN(va + PAGE_SIZE, s->va + s->filesz);
		if (lo < hi)
			memcpy(page + (lo - va), img + s->offset + (lo - s->va),
			       hi - lo);
		if (s->perms & EXO_PERM_X)
			arch_sync_icache(page, PAGE_SIZE);
	}
	return 0;
}

static int
load_image(struct env *e, const struct exo_cpio_file *f, uint64_t *entry)
{
	struct exo_elf elf;
	int err = exo_elf_parse(f->data, f->size, EXO_ELF_MACHINE, EXO_USER_MIN,
				EXO_BOOTFS, &elf);

	if (err)
		return err;
	for (unsigned i = 0; i < elf.nsegs && !err; i++)
		err = load_segment(e, f->data, &elf.seg[i]);
	*entry = elf.entry;
	return err;
}

/* The initrd, read-only at EXO_BOOTFS (its frames stay reserved). */
static int
map_bootfs(struct env *e, const struct boot_range *rd)
{
	uint64_t base = ALIGN_DOWN(rd->base, PAGE_SIZE);
	uint64_t end = ALIGN_UP(rd->base + rd->size, PAGE_SIZE);

	for (uint64_t pa = base; pa < end; pa += PAGE_SIZE) {
		int err = vm_map(e, EXO_BOOTFS + (pa - base), pa, EXO_PERM_R);
		if (err)
			return err;
	}
	e->info->bootfs_addr = EXO_BOOTFS + (rd->base - base);
	e->info->bootfs_size = rd->size;
	return 0;
}

static int
map_stack(struct env *e)
{
	for (unsigned i = 1; i <= ROOT_STACK_PAGES; i++) {
		void *page;
		int err = map_new_page(e, ROOT_STACK_TOP - i * PAGE_SIZE,
				       EXO_PERM_R | EXO_PERM_W, &page);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Create and start the root env from the initrd in bi.  Panics if it
 * cannot: without the root env there is nothing to run.
 */
void
root_start(const struct boot_info *bi)
{
	struct exo_cpio_file f;
	struct pm_stats st;
	struct env *root;
	uint64_t entry = 0;
	const char *name = "root", *val;
	char want[64];
	int len = cmdline_get(bi->cmdline, "root", &val), err;

	if (len > 0 && len < (int)sizeof(want)) {
		memcpy(want, val, (size_t)len);
		want[len] = '\0';
		name = want;
	}
	err = exo_cpio_find(phys_to_virt(bi->initrd.base), bi->initrd.size,
			    name, &f);
	if (err)
		panic("root: no '%s' in the initrd (%s)", name,
		      exo_strerror(err));
	pm_get_stats(&st);
	err = env_create(NULL, st.free, 0, &root);
	if (!err)
		err = load_image(root, &f, &entry);
	if (!err)
		err = map_bootfs(root, &bi->initrd);
	if (!err)
		err = map_stack(root);
	if (err)
		panic("root: cannot load '%s': %s", name, exo_strerror(err));
	strlcpy(root->info->cmdline, bi->cmdline, sizeof(root->info->cmdline));
	cap_init_root(root);
	arch_tf_init(&root->tf, entry, ROOT_STACK_TOP, 0);
	env_set_state(root, EXO_ENV_RUNNABLE);
	kprintf("root: env %x from '%s', entry 0x%lx, %lu frames\n", root->id,
		name, (unsigned long)entry, (unsigned long)root->quota);
}
