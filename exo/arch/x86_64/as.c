/*
 * User address spaces: the shared kernel half of every top-level table,
 * switching CR3, and TLB invalidation by page and by ASID.
 *
 * With PCIDs, each ASID is the PCID of its space, and a switch keeps the
 * TLB entries of the others; asid_root[] remembers which root each PCID's
 * entries belong to, so a reused ASID, or one whose flush had to wait
 * until it runs again (no INVPCID), starts clean.  Without PCIDs, every
 * CR3 load flushes all user entries, so only the running space can hold
 * stale ones.
 */
#include <kernel/arch.h>
#include <kernel/lib.h>
#include <kernel/memlayout.h>
#include <kernel/printk.h>
#include <x86/cpu.h>

#define PML4_KERNEL_FIRST 256
#define INVPCID_ADDRESS 0
#define INVPCID_CONTEXT 1

static uint64_t cur_root; /* 0: the kernel's own tables, no user space */
static unsigned cur_asid;
/* PCID only: the root whose entries PCID n may hold, or 0 if it must be
 * flushed before its next use. */
static uint64_t asid_root[EXO_MAX_ASID + 1];

/* Turn PCIDs on if the CPU has them; CR3 must not carry one yet. */
void
x86_as_init(void)
{
	if (x86_features.pcid)
		write_cr4(read_cr4() | CR4_PCIDE);
}

void
arch_as_init_root(uint64_t *root)
{
	const uint64_t *k = x86_kernel_pml4();

	memcpy(root + PML4_KERNEL_FIRST, k + PML4_KERNEL_FIRST,
	       (512 - PML4_KERNEL_FIRST) * sizeof(*root));
}

/* root_pa 0: the kernel's own tables (PCID 0), with no user half, so the
 * current root can be freed. */
void
arch_as_activate(uint64_t root_pa, unsigned asid)
{
	uint64_t cr3 = root_pa;

	assert(root_pa % PAGE_SIZE == 0);
	assert(!root_pa || (asid >= 1 && asid <= EXO_MAX_ASID));
	if (root_pa == cur_root && (!root_pa || asid == cur_asid))
		return;
	if (!root_pa) {
		cr3 = virt_to_phys(x86_kernel_pml4());
		asid = 0;
	} else if (x86_features.pcid) {
		cr3 |= asid;
		if (asid_root[asid] == root_pa)
			cr3 |= CR3_NOFLUSH;
		asid_root[asid] = root_pa;
	}
	write_cr3(cr3);
	cur_root = root_pa;
	cur_asid = asid;
}

static void
invpcid(unsigned type, unsigned pcid, uint64_t va)
{
	struct {
		uint64_t pcid, va;
	} desc = { pcid, va };

	__asm__ volatile("invpcid %0, %1"
			 :
			 : "m"(desc), "r"((uint64_t)type)
			 : "memory");
}

void
arch_tlb_flush_page(unsigned asid, uint64_t va)
{
	assert(asid >= 1 && asid <= EXO_MAX_ASID);
	if (asid == cur_asid)
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	else if (x86_features.invpcid)
		invpcid(INVPCID_ADDRESS, asid, va);
	else if (x86_features.pcid)
		asid_root[asid] = 0;
}

void
arch_tlb_flush_asid(unsigned asid)
{
	assert(asid >= 1 && asid <= EXO_MAX_ASID);
	if (x86_features.invpcid)
		invpcid(INVPCID_CONTEXT, asid, 0);
	else if (asid == cur_asid)
		write_cr3(cur_root | (x86_features.pcid ? asid : 0));
	else if (x86_features.pcid)
		asid_root[asid] = 0;
}
