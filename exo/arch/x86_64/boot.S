/*
 * x86_64 entry.  Two 32-bit entry points share one path to long mode:
 *
 *   pvh_entry  PVH (QEMU -kernel, Xen): protected mode, paging off,
 *              %ebx = physical address of struct hvm_start_info.
 *   mb2_entry  multiboot2 (GRUB): same machine state, %eax = 0x36d76289,
 *              %ebx = physical address of the multiboot2 information.
 *
 * Both run at their physical (load) address.  The boot page tables below
 * are static, so nothing needs building before paging is on: the first
 * 4 GiB are mapped 1:1 (for the switch itself), at PHYSMAP_BASE (for C to
 * read the boot data) and the first 1 GiB at KERNEL_VBASE (the image).
 * arch_init() replaces them with exact mappings and drops the 1:1 map.
 */

#define KVBASE 0xffffffff80000000
#define PA(x) ((x) - KVBASE)

#define BOOT_PVH 1
#define BOOT_MB2 2
#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define PG_PW 0x3       /* present, writable */
#define PG_PW_2M 0x83   /* present, writable, 2 MiB page */
#define BOOT_STACK_SIZE 16384

/* Found by GRUB in the first 32 KiB of the file; kernel.ld puts it first. */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long 0                         /* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))
	.balign 8                       /* entry address tag: our e_entry is
	                                   virtual, GRUB needs the physical one */
	.word 3, 0
	.long 12
	.long PA(mb2_entry)
	.balign 8                       /* end tag */
	.word 0, 0
	.long 8
mb2_header_end:

/* QEMU reads the descriptor as a 64-bit value after a 4-byte aligned name. */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4
	.long 8
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad PA(pvh_entry)

	.section .boot.text, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	movl $BOOT_PVH, %esi
	movl %ebx, %edi
	jmp common32

	.globl mb2_entry
mb2_entry:
	cmpl $MB2_BOOT_MAGIC, %eax
	jne fail32
	movl $BOOT_MB2, %esi
	movl %ebx, %edi

/* %esi = protocol, %edi = boot information (physical); both survive. */
common32:
	cli
	cld
	movl $PA(boot_stack_top), %esp

	/* Long mode (bit 29) and NX (bit 20) are both required. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb fail32
	movl $0x80000001, %eax
	cpuid
	andl $((1 << 29) | (1 << 20)), %edx
	cmpl $((1 << 29) | (1 << 20)), %edx
	jne fail32

	movl %cr4, %eax
	orl $(1 << 5), %eax             /* CR4.PAE */
	movl %eax, %cr4
	movl $PA(boot_pml4), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx          /* EFER: LME and NXE */
	rdmsr
	orl $((1 << 8) | (1 << 11)), %eax
	wrmsr
	movl %cr0, %eax                 /* PG, WP, PE */
	orl $((1 << 31) | (1 << 16) | 1), %eax
	movl %eax, %cr0

	lgdt PA(boot_gdtr)
	ljmp $0x08, $PA(long32)

/* No way to run: say so on COM1 (usable unprogrammed under QEMU), stop. */
fail32:
	movl $PA(fail_msg), %ebx
	movw $0x3f8, %dx
1:	movb (%ebx), %al
	testb %al, %al
	jz 2f
	outb %al, %dx
	incl %ebx
	jmp 1b
2:	cli
	hlt
	jmp 2b

	.code64
long32:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $long_high, %rax
	jmp *%rax

	.text
long_high:
	movl %esi, %r12d                /* protocol; zero-extends */
	movl %edi, %r13d                /* boot information */
	/* Loaders zero .bss, but the kernel must not depend on it. */
	movq $__bss_start, %rdi
	movq $__bss_end, %rcx
	subq %rdi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	rep stosq

	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl %r12d, %edi
	movl %r13d, %esi
	call x86_boot_main
	ud2

	.section .rodata
fail_msg:
	.asciz "exo: cannot boot: needs PVH or multiboot2, and long mode with NX\r\n"

	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdtr:
	.word boot_gdt_end - boot_gdt - 1
	.long PA(boot_gdt)

	.section .data
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad PA(boot_pdpt_low) + PG_PW          /* 1:1 */
	.fill 255, 8, 0
	.quad PA(boot_pdpt_low) + PG_PW          /* PHYSMAP_BASE */
	.fill 254, 8, 0
	.quad PA(boot_pdpt_high) + PG_PW         /* KERNEL_VBASE */
boot_pdpt_low:
	.quad PA(boot_pd) + PG_PW
	.quad PA(boot_pd) + 0x1000 + PG_PW
	.quad PA(boot_pd) + 0x2000 + PG_PW
	.quad PA(boot_pd) + 0x3000 + PG_PW
	.fill 508, 8, 0
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PA(boot_pd) + PG_PW                /* -2 GiB: the first 1 GiB */
	.quad 0
boot_pd:
	.set pa, 0
	.rept 2048
	.quad pa + PG_PW_2M
	.set pa, pa + 0x200000
	.endr

	.section .bss
	.balign 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
