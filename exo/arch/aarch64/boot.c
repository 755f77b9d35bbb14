/*
 * From head.S to kmain(): read the devicetree the boot loader passed into
 * struct boot_info and struct platform.  Also arch_init(), which brings up
 * what the devicetree named once frames can be allocated.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/fdt.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/printk.h>
#include <arch/aarch64.h>
#include <arch/mmu.h>

/* arm64 booting.rst: the DTB is 8-byte aligned and at most 2 MiB. */
#define DTB_MAX_SIZE 0x200000u
#define FDT_HDR_TOTALSIZE 4
#define GIC_INTID_PPI_BASE 16
#define STDOUT_PATH_MAX 128

struct platform platform;
struct fdt boot_fdt;
struct boot_info boot_info;

/* Reserve [base, base+size) rounded out to whole pages. */
static void
reserve(struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t lo = ALIGN_DOWN(base, PAGE_SIZE);
	uint64_t hi = ALIGN_UP(base + size, PAGE_SIZE);

	if (boot_range_add(bi->reserved, &bi->nreserved, lo, hi - lo))
		panic("boot: too many reserved ranges in the devicetree");
}

/* Add the whole pages of [base, base+size) to usable RAM. */
static void
add_ram(struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t lo = ALIGN_UP(base, PAGE_SIZE);
	uint64_t hi = ALIGN_DOWN(base + size, PAGE_SIZE);

	if (hi <= lo)
		return;
	if (boot_range_add(bi->ram, &bi->nram, lo, hi - lo))
		kprintf("boot: too many RAM ranges; ignoring 0x%llx-0x%llx\n",
			(unsigned long long)lo, (unsigned long long)hi);
}

/* Whether property `name` of node is exactly the string `s`. */
static bool
prop_is(int node, const char *name, const char *s)
{
	uint32_t len;
	const char *v = fdt_getprop(&boot_fdt, node, name, &len);

	return v && len == strlen(s) + 1 && !memcmp(v, s, len);
}

/* Every reg entry of node, as RAM or as reserved. */
static void
add_regs(struct boot_info *bi, int node, bool ram)
{
	uint64_t base, size;

	for (unsigned i = 0; !fdt_reg(&boot_fdt, node, i, &base, &size); i++) {
		if (ram)
			add_ram(bi, base, size);
		else
			reserve(bi, base, size);
	}
}

/*
 * One walk over the tree: RAM from every enabled node of device_type
 * "memory", reserved RAM from the children of /reserved-memory.
 */
static void
read_memory_nodes(struct boot_info *bi)
{
	int node = -1, depth = 0;
	bool in_resv = false;

	while ((node = fdt_next_node(&boot_fdt, node, &depth)) >= 0) {
		const char *name = fdt_node_name(&boot_fdt, node);

		if (depth == 1)
			in_resv = !strcmp(name, "reserved-memory");
		if (in_resv && depth == 2)
			add_regs(bi, node, false);
		if (prop_is(node, "device_type", "memory") &&
		    (!fdt_getprop(&boot_fdt, node, "status", NULL) ||
		     prop_is(node, "status", "okay")))
			add_regs(bi, node, true);
	}
	if (node != -EXO_ENOENT)
		panic("boot: malformed devicetree (%s)", exo_strerror(node));
	if (!bi->nram)
		panic("boot: the devicetree describes no RAM");
}

/* The /memreserve/ block.  A block that runs off the end of the blob is
 * taken as ending there: the entries read so far are still reserved. */
static void
read_memreserve(struct boot_info *bi)
{
	uint64_t base, size;

	for (unsigned i = 0; !fdt_memreserve(&boot_fdt, i, &base, &size); i++)
		reserve(bi, base, size);
}

static void
read_bootargs(struct boot_info *bi)
{
	uint32_t len;
	int chosen = fdt_path_offset(&boot_fdt, "/chosen");
	const char *args =
		chosen < 0 ? NULL
			   : fdt_getprop(&boot_fdt, chosen, "bootargs", &len);

	if (!args || !len)
		return;
	len = MIN(len, (uint32_t)sizeof(bi->cmdline) - 1);
	memcpy(bi->cmdline, args, len);
	bi->cmdline[len] = '\0';
}

/* A /chosen property holding one address in 1 or 2 cells; false if it is
 * absent or has another length. */
static bool
chosen_addr(int chosen, const char *name, uint64_t *pa)
{
	uint32_t len;
	const void *v = fdt_getprop(&boot_fdt, chosen, name, &len);

	if (v && len == 4)
		*pa = fdt32(v);
	else if (v && len == 8)
		*pa = fdt64(v);
	else
		return false;
	return true;
}

/* Whether [base, base+size) lies inside one usable RAM range. */
static bool
in_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < bi->nram; i++)
		if (base >= bi->ram[i].base &&
		    base - bi->ram[i].base <= bi->ram[i].size &&
		    size <= bi->ram[i].size - (base - bi->ram[i].base))
			return true;
	return false;
}

/*
 * The initrd the boot loader placed in RAM: /chosen/linux,initrd-start and
 * linux,initrd-end (exclusive).  It becomes bi->initrd and is reserved.
 * Runs after read_memory_nodes(), since the initrd must be in RAM for the
 * physmap to reach it.
 */
static void
read_initrd(struct boot_info *bi)
{
	int chosen = fdt_path_offset(&boot_fdt, "/chosen");
	uint64_t start, end;

	if (chosen < 0 || !chosen_addr(chosen, "linux,initrd-start", &start))
		return;
	if (!chosen_addr(chosen, "linux,initrd-end", &end) || end < start)
		panic("boot: /chosen has linux,initrd-start but no valid "
		      "linux,initrd-end");
	if (end == start)
		return;
	if (!in_ram(bi, start, end - start))
		panic("boot: the initrd 0x%llx-0x%llx is not in RAM",
		      (unsigned long long)start, (unsigned long long)end);
	bi->initrd.base = start;
	bi->initrd.size = end - start;
	reserve(bi, start, end - start);
}

/* Whether node's "compatible" string list contains compat. */
static bool
compatible(int node, const char *compat)
{
	uint32_t len, n;
	const char *v = fdt_getprop(&boot_fdt, node, "compatible", &len);

	for (; v && len; v += n, len -= n) {
		n = (uint32_t)strnlen(v, len);
		if (n < len && !strcmp(v, compat))
			return true;
		n += n < len;
	}
	return false;
}

/* The node /chosen/stdout-path names (a path or an alias, options after
 * ':' ignored), or a negative error. */
static int
stdout_node(void)
{
	char path[STDOUT_PATH_MAX];
	int chosen = fdt_path_offset(&boot_fdt, "/chosen");
	int aliases = fdt_path_offset(&boot_fdt, "/aliases");
	const char *v;
	uint32_t len;
	size_t n;

	v = chosen < 0 ? NULL
		       : fdt_getprop(&boot_fdt, chosen, "stdout-path", &len);
	if (!v)
		return -EXO_ENOENT;
	for (n = 0; n < len && v[n] && v[n] != ':'; n++)
		;
	if (n >= sizeof(path))
		return -EXO_EINVAL;
	memcpy(path, v, n);
	path[n] = '\0';
	if (path[0] != '/' && aliases >= 0) {
		v = fdt_getprop(&boot_fdt, aliases, path, &len);
		if (!v || strnlen(v, len) >= MIN(len, sizeof(path)))
			return -EXO_ENOENT;
		strlcpy(path, v, sizeof(path));
	}
	return fdt_path_offset(&boot_fdt, path);
}

static void
find_console(void)
{
	int node = stdout_node();
	uint64_t size;

	if (node < 0 || !compatible(node, "arm,pl011"))
		node = fdt_node_by_compatible(&boot_fdt, -1, "arm,pl011");
	if (node < 0 || fdt_reg(&boot_fdt, node, 0, &platform.uart, &size))
		panic("boot: no PL011 UART in the devicetree");
	/* Until arch_init() maps it, only the boot device window is. */
	if (platform.uart + PAGE_SIZE <= BOOT_DEVICE_END)
		console_use(platform.uart);
}

static void
find_gic(void)
{
	int node = fdt_node_by_compatible(&boot_fdt, -1, "arm,gic-v3");
	uint32_t len;
	const void *cells;

	if (node < 0)
		panic("boot: no arm,gic-v3 interrupt controller in the "
		      "devicetree");
	if (fdt_reg(&boot_fdt, node, 0, &platform.gicd, &platform.gicd_size) ||
	    fdt_reg(&boot_fdt, node, 1, &platform.gicr, &platform.gicr_size))
		panic("boot: the GICv3 node lacks its GICD and GICR regions");
	cells = fdt_getprop(&boot_fdt, node, "#interrupt-cells", &len);
	if (!cells || len != 4 || fdt32(cells) != 3)
		panic("boot: the GICv3 node does not use 3 interrupt cells");
}

/* The virtual timer is the third of the /timer node's four interrupts. */
static void
find_timer(void)
{
	int node = fdt_node_by_compatible(&boot_fdt, -1, "arm,armv8-timer");
	const uint8_t *irq;
	uint32_t len;

	irq = node < 0 ? NULL
		       : fdt_getprop(&boot_fdt, node, "interrupts", &len);
	if (!irq || len < 3 * 12)
		panic("boot: no arm,armv8-timer node with its interrupts");
	irq += 2 * 12;
	if (fdt32(irq) != 1 || fdt32(irq + 4) >= 16)
		panic("boot: the virtual timer interrupt is not a PPI");
	platform.timer_intid = GIC_INTID_PPI_BASE + fdt32(irq + 4);
}

/* Check the DTB header where the boot physmap can reach it. */
static void
open_dtb(uint64_t pa)
{
	const uint8_t *blob;
	uint32_t total;
	int err;

	if (pa < BOOT_DEVICE_END || pa & 7 ||
	    pa + DTB_MAX_SIZE > (uint64_t)BOOT_PHYSMAP_GIB * SZ_1G)
		panic("boot: no usable DTB address in x0 (0x%llx)",
		      (unsigned long long)pa);
	blob = phys_to_virt(pa);
	total = fdt32(blob + FDT_HDR_TOTALSIZE);
	err = fdt_init(&boot_fdt, blob, MIN(total, DTB_MAX_SIZE));
	if (err)
		panic("boot: bad DTB at 0x%llx (%s)", (unsigned long long)pa,
		      exo_strerror(err));
}

void
aarch64_boot(uint64_t dtb_pa, uint64_t kernel_pa)
{
	struct boot_info *bi = &boot_info;

	clock_init();
	platform.kernel_pa = kernel_pa;
	open_dtb(dtb_pa);
	find_console();
	bi->protocol = "linux-arm64";
	reserve(bi, kernel_pa, (uintptr_t)_end - (uintptr_t)_start);
	reserve(bi, dtb_pa, boot_fdt.size);
	read_memreserve(bi);
	read_memory_nodes(bi);
	read_bootargs(bi);
	read_initrd(bi);
	find_gic();
	find_timer();
	kmain(bi);
}

void
arch_init(const struct boot_info *bi)
{
	mmu_init(bi);
	console_use(platform.uart);
	kprintf("mmu: kernel tables built, boot identity map dropped\n");
	kprintf("uart: PL011 at 0x%llx\n", (unsigned long long)platform.uart);
	gic_init();
	timer_init();
	user_init();
}
