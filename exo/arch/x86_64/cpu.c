/*
 * Descriptor tables: the GDT (kernel and user segments, the TSS), the TSS
 * with its IST stacks and the kernel stack entries from user mode use, and
 * the IDT with a gate for every vector; the per-CPU data at the GS base.
 */
#include <kernel/lib.h>
#include <x86/cpu.h>

#define IST_STACK_SIZE 8192
#define KSTACK_SIZE 16384

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type; /* P | DPL | 0xe (64-bit interrupt gate) */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __packed;

struct dtr {
	uint16_t limit;
	uint64_t base;
} __packed;

#define GATE_INTR 0x8e /* present, DPL 0, interrupt gate (IF cleared) */
#define GATE_DPL(n) ((n) << 5)

/* Flat segments: only L (64-bit), DPL and type matter in long mode. */
#define SEG_KCODE 0x00af9a000000ffffUL
#define SEG_KDATA 0x00cf92000000ffffUL
#define SEG_UDATA 0x00cff2000000ffffUL
#define SEG_UCODE 0x00affa000000ffffUL

static uint64_t gdt[GDT_ENTRIES] __aligned(16);
static struct tss tss __aligned(16);
static struct idt_gate idt[IDT_ENTRIES] __aligned(16);
static uint8_t df_stack[IST_STACK_SIZE] __aligned(16);
static uint8_t nmi_stack[IST_STACK_SIZE] __aligned(16);
/* Every entry from user mode starts at the top of this stack, empty: the
 * kernel keeps nothing on it between entries. */
static uint8_t kstack[KSTACK_SIZE] __aligned(16);
struct x86_percpu x86_percpu;

static void
tss_descriptor(uint64_t *d)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	d[0] = (limit & 0xffff) | (base & 0xffffff) << 16 |
	       0x89UL << 40 /* present, available 64-bit TSS */ |
	       (limit >> 16 & 0xf) << 48 | (base >> 24 & 0xff) << 56;
	d[1] = base >> 32;
}

/* Load gdt[] and reload every segment register (CS by a far return). */
static void
gdt_load(void)
{
	struct dtr d = { sizeof(gdt) - 1, (uint64_t)gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\tmovl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(d), "i"(GDT_KCODE), "i"(GDT_KDATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

static void
idt_set(unsigned v, unsigned ist, unsigned dpl)
{
	uint64_t off = (uint64_t)(x86_vectors + 16 * v);

	idt[v] = (struct idt_gate){
		.off_lo = off & 0xffff,
		.sel = GDT_KCODE,
		.ist = ist,
		.type = GATE_INTR | GATE_DPL(dpl),
		.off_mid = off >> 16 & 0xffff,
		.off_hi = off >> 32,
	};
}

/* The gate for vector v, read back through SIDT so it checks what the
 * CPU really uses; NULL unless it is an interrupt gate to v's stub. */
static const struct idt_gate *
idt_gate(unsigned v)
{
	const struct idt_gate *g;
	struct dtr d;
	uint64_t off;

	__asm__ volatile("sidt %0" : "=m"(d));
	if (v >= IDT_ENTRIES || (v + 1) * sizeof(*g) > (uint64_t)d.limit + 1)
		return NULL;
	g = (const struct idt_gate *)d.base + v;
	off = g->off_lo | (uint64_t)g->off_mid << 16 |
	      (uint64_t)g->off_hi << 32;
	if ((g->type & ~GATE_DPL(3)) != GATE_INTR || g->sel != GDT_KCODE ||
	    off != (uint64_t)(x86_vectors + 16 * v))
		return NULL;
	return g;
}

int
x86_idt_gate_ist(unsigned v)
{
	const struct idt_gate *g = idt_gate(v);

	return g ? g->ist & 7 : -1;
}

int
x86_idt_gate_dpl(unsigned v)
{
	const struct idt_gate *g = idt_gate(v);

	return g ? g->type >> 5 & 3 : -1;
}

/* Set up the boot CPU's GDT, TSS, IDT and GS base; needs only .bss. */
void
x86_cpu_init(void)
{
	struct dtr d = { sizeof(idt) - 1, (uint64_t)idt };
	unsigned v;

	gdt[GDT_KCODE / 8] = SEG_KCODE;
	gdt[GDT_KDATA / 8] = SEG_KDATA;
	gdt[GDT_UDATA / 8] = SEG_UDATA;
	gdt[GDT_UCODE / 8] = SEG_UCODE;
	tss_descriptor(&gdt[GDT_TSS / 8]);
	x86_percpu.kstack_top = (uint64_t)(kstack + sizeof(kstack));
	tss.rsp[0] = x86_percpu.kstack_top;
	tss.ist[IST_DF - 1] = (uint64_t)(df_stack + sizeof(df_stack));
	tss.ist[IST_NMI - 1] = (uint64_t)(nmi_stack + sizeof(nmi_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: user port I/O faults */
	gdt_load();
	/* After gdt_load(): loading GS may clear its base.  The user's GS
	 * base waits in MSR_KERNEL_GS_BASE until swapgs. */
	wrmsr(MSR_GS_BASE, (uint64_t)&x86_percpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);

	/* A gate for every vector: a stray one is reported, not a #GP.  Only
	 * int3 may be raised by user code (as #BP); any other INT n from
	 * user mode is a #GP. */
	for (v = 0; v < IDT_ENTRIES; v++) {
		unsigned ist = 0;

		if (v == VEC_DF || v == VEC_NMI)
			ist = v == VEC_DF ? IST_DF : IST_NMI;
		idt_set(v, ist, v == VEC_BP ? 3 : 0);
	}
	__asm__ volatile("lidt %0" : : "m"(d));
}
