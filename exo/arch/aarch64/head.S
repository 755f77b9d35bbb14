/*
 * Entry from a Linux arm64 boot loader (QEMU -kernel): x0 holds the DTB's
 * physical address, the MMU is off, we run at EL2 or EL1 at an unknown
 * 2 MiB-aligned physical address.  Until the MMU is on, everything here is
 * position independent (adr/adrp) and touches memory only with aligned
 * 8- and 16-byte stores, since MMU-off data accesses are Device accesses.
 *
 * Register use until C: x19 = DTB physical address, x20 = physical address
 * of _start.
 */
#include <arch/mmu.h>

#define BOOT_STACK_SIZE 16384

/* PL011 data register of QEMU virt, for the only message before the MMU. */
#define EARLY_UART_PA 0x09000000

	.section .text.head, "ax"
	.globl	_start
_start:
	/* Linux arm64 Image header (Documentation/arch/arm64/booting.rst). */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset from a 2 MiB boundary */
	.quad	__image_size		/* image_size, bss included */
	.quad	0xa			/* flags: LE, 4 KiB pages, anywhere */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header */

primary_entry:
	mov	x19, x0
	adr	x20, _start
	msr	daifset, #0xf
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	1f
	bl	el2_to_el1
1:	mrs	x0, CurrentEL
	cmp	x0, #(1 << 2)
	b.ne	boot_fail
	/* The kernel maps itself with 2 MiB blocks. */
	tst	x20, #(SZ_2M - 1)
	b.ne	boot_fail
	msr	spsel, #1
	ldr	x0, =SCTLR_MMU_OFF
	msr	sctlr_el1, x0
	isb
	bl	build_boot_tables
	bl	enable_mmu
	ldr	x0, =high_entry
	br	x0

/*
 * Leave EL2 for EL1 with AArch64 at EL1, the EL1 timers and counters and
 * the GICv3 system-register interface usable from EL1.  Returns at EL1.
 */
el2_to_el1:
	mov	x0, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3		/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4		/* GIC system registers? */
	cbz	x0, 2f
	mrs	x0, icc_sre_el2
	orr	x0, x0, #1		/* SRE */
	orr	x0, x0, #8		/* Enable: EL1 may use ICC_SRE_EL1 */
	msr	icc_sre_el2, x0
	isb
	msr	ich_hcr_el2, xzr
2:	ldr	x0, =SCTLR_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el2, x0
	msr	elr_el2, x30
	eret

/*
 * Fill the boot page tables (all in .pgtables):
 *   TTBR0: identity map of the two 1 GiB blocks from the kernel's, used
 *          only while the MMU is turned on and dropped by arch_init();
 *   TTBR1: the boot physmap (see BOOT_PHYSMAP_GIB) and the kernel image at
 *          KERNEL_VBASE with 2 MiB blocks.
 */
build_boot_tables:
	adrp	x0, __pgtables_start
	adrp	x1, __pgtables_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b

	ldr	x4, =(PTE_KERN_NORMAL | PTE_BLOCK)
	ldr	x5, =(PTE_KERN_DEVICE | PTE_BLOCK)
	mov	x6, #SZ_1G

	/* Identity map. */
	adrp	x0, idmap_l0
	adrp	x1, idmap_l1
	lsr	x2, x20, #39
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, x2, lsl #3]
	ubfx	x2, x20, #30, #9
	lsr	x3, x20, #30
	lsl	x3, x3, #30
	orr	x3, x3, x4
	str	x3, [x1, x2, lsl #3]
	add	x2, x2, #1
	cmp	x2, #512
	b.hs	2f
	add	x3, x3, x6
	str	x3, [x1, x2, lsl #3]

	/* Physmap: PHYSMAP_BASE is entry 256 of the TTBR1 root. */
2:	adrp	x0, kernel_l0
	adrp	x1, physmap_l1
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, #(256 * 8)]
	str	x5, [x1]
	mov	x2, #1
3:	lsl	x3, x2, #30
	orr	x3, x3, x4
	str	x3, [x1, x2, lsl #3]
	add	x2, x2, #1
	cmp	x2, #BOOT_PHYSMAP_GIB
	b.lo	3b

	/* Kernel image: KERNEL_VBASE is entry 511 of the root, 510 of L1. */
	adrp	x1, kimage_l1
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, #(511 * 8)]
	adrp	x2, kimage_l2
	orr	x3, x2, #PTE_TABLE
	str	x3, [x1, #(510 * 8)]
	ldr	x6, =__image_size
	add	x6, x6, x20
	mov	x3, x20
4:	orr	x7, x3, x4
	str	x7, [x2], #8
	add	x3, x3, #(SZ_2M >> 12), lsl #12
	cmp	x3, x6
	b.lo	4b

	/*
	 * The stores went to memory with the caches off; drop any stale
	 * lines for the tables so the cached walks see them.
	 */
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3		/* smallest D-cache line */
	adrp	x0, __pgtables_start
	adrp	x1, __pgtables_end
	sub	x3, x2, #1
	bic	x0, x0, x3
5:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	5b
	dsb	sy
	ret

/* Program MAIR, TCR and both TTBRs, then turn the MMU and caches on. */
enable_mmu:
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	mrs	x1, id_aa64mmfr0_el1
	and	x1, x1, #7
	mov	x2, #5			/* 52-bit PAs need LPA2 tables */
	cmp	x1, x2
	csel	x1, x1, x2, lo
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0
	adrp	x0, idmap_l0
	msr	ttbr0_el1, x0
	adrp	x0, kernel_l0
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, =SCTLR_MMU_ON
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * Boot failed before any console exists (not at EL1 or EL2, or a load
 * address we cannot map): say so on QEMU virt's PL011 and stop.
 */
boot_fail:
	adr	x0, boot_fail_msg
	mov	x1, #EARLY_UART_PA
1:	ldrb	w2, [x0], #1
	cbz	w2, 2f
	str	w2, [x1]
	b	1b
2:	wfi
	b	2b
boot_fail_msg:
	.asciz	"exo: cannot boot: not at EL1/EL2 or not loaded at 2 MiB\r\n"
	.balign	4

	.text
/* Running at KERNEL_VBASE now: clear bss, take the boot stack, go to C. */
high_entry:
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	isb
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x20
	bl	aarch64_boot
1:	wfi
	b	1b

/*
 * aarch64_switch_ttbr1(root_pa): install a new TTBR1 root.  Called at its
 * physical (identity-mapped) address, so no TTBR1 mapping is live while
 * TTBR1 walks are off and the TLB is emptied: the old and new tables may
 * map the same addresses with different block sizes, and letting both
 * reach the TLB could raise TLB conflict aborts.  IRQs must be masked.
 */
	.globl	aarch64_switch_ttbr1
aarch64_switch_ttbr1:
	dsb	ishst
	mrs	x1, tcr_el1
	orr	x2, x1, #(1 << 23)	/* EPD1: no TTBR1 walks */
	msr	tcr_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	ttbr1_el1, x0
	msr	tcr_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ret

	.section .pgtables, "aw", %nobits
	.balign	4096
idmap_l0:	.skip	4096
idmap_l1:	.skip	4096
kernel_l0:	.skip	4096
physmap_l1:	.skip	4096
kimage_l1:	.skip	4096
kimage_l2:	.skip	4096

	.bss
	.balign	16
	.globl	boot_stack, boot_stack_top
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
