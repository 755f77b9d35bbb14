/*
 * x86_64 faults for the hostile program: undefined and privileged
 * instructions, gates a user may not use, arithmetic and debug traps,
 * and broken stacks.  Each function faults at once, or returns if the
 * instruction is allowed (which the kernel must not allow, except where
 * want says FAULT_NONE).  A #GP has no portable class (the kernel reports
 * EXO_FAULT_OTHER), so those accept any class.
 */
#include <exo/upcall.h>
#include "../../../hostile_arch.h"

#define FAULT_FN(fname, insns)                                                 \
	static void fname(void)                                                \
	{                                                                      \
		__asm__ volatile(insns ::: "rax", "rcx", "rdx", "memory");     \
	}

FAULT_FN(f_ud2, "ud2")
/* Jump into the middle of a mov whose immediate holds a ud2. */
FAULT_FN(f_mid_insn, "jmp 1f + 1\n1: .byte 0xb8, 0x0f, 0x0b, 0x90, 0x90")
FAULT_FN(f_hlt, "hlt")
FAULT_FN(f_cli, "cli")
FAULT_FN(f_read_cr3, "mov %%cr3, %%rax")
FAULT_FN(f_write_cr0, "xor %%eax, %%eax\n\tmov %%rax, %%cr0")
FAULT_FN(f_write_dr7, "mov $0xff, %%eax\n\tmov %%rax, %%dr7")
FAULT_FN(f_rdmsr, "mov $0xc0000080, %%ecx\n\trdmsr")
FAULT_FN(f_wrmsr, "mov $0xc0000082, %%ecx\n\txor %%eax, %%eax\n\t"
		  "xor %%edx, %%edx\n\twrmsr")
FAULT_FN(f_inb, "inb $0x80, %%al")
FAULT_FN(f_lidt, "sub $16, %%rsp\n\tmovq $0, (%%rsp)\n\tmovq $0, 8(%%rsp)\n\t"
		 "lidt (%%rsp)\n\tadd $16, %%rsp")
FAULT_FN(f_invlpg, "invlpg (%%rsp)")
FAULT_FN(f_swapgs, "swapgs")
FAULT_FN(f_int_pf, "int $14")
FAULT_FN(f_int_timer, "int $32")
FAULT_FN(f_int_80, "int $0x80")
FAULT_FN(f_int_ff, "int $255")
/* Return "to ring 0" with a kernel code selector. */
FAULT_FN(f_iret_ring0, "mov %%rsp, %%rax\n\tpushq $0x10\n\tpushq %%rax\n\t"
		       "pushfq\n\tpushq $0x08\n\tlea 1f(%%rip), %%rcx\n\t"
		       "pushq %%rcx\n\tiretq\n1:")
FAULT_FN(f_sysenter, "sysenter")
FAULT_FN(f_div0, "xor %%ecx, %%ecx\n\tmov $1, %%eax\n\txor %%edx, %%edx\n\t"
		 "div %%ecx")
FAULT_FN(f_idiv_overflow, "mov $0x8000000000000000, %%rax\n\tcqo\n\t"
			  "mov $-1, %%rcx\n\tidiv %%rcx")
FAULT_FN(f_int3, "int3")
FAULT_FN(f_single_step, "pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop\n\t"
			"nop")
/* Unmask the SSE divide-by-zero exception, then divide by zero. */
FAULT_FN(f_sse_div0,
	 "sub $8, %%rsp\n\tstmxcsr (%%rsp)\n\t"
	 "andl $~0x200, (%%rsp)\n\tldmxcsr (%%rsp)\n\t"
	 "add $8, %%rsp\n\tmov $1, %%eax\n\tcvtsi2ss %%eax, %%xmm0\n\t"
	 "xorps %%xmm1, %%xmm1\n\tdivss %%xmm1, %%xmm0")
/* The same with the x87 unit: the fault comes at the next fwait. */
FAULT_FN(f_x87_div0, "sub $8, %%rsp\n\tfninit\n\tfnstcw (%%rsp)\n\t"
		     "andw $~0x4, (%%rsp)\n\tfldcw (%%rsp)\n\tadd $8, %%rsp\n\t"
		     "fld1\n\tfldz\n\tfdivrp\n\tfwait")
FAULT_FN(f_null_stack, "mov %%rsp, %%rcx\n\txor %%esp, %%esp\n\t"
		       "push %%rax\n\tmov %%rcx, %%rsp")
FAULT_FN(f_noncanonical_stack, "mov %%rsp, %%rcx\n\t"
			       "mov $0x8000000000000000, %%rax\n\t"
			       "mov %%rax, %%rsp\n\tpush %%rax\n\t"
			       "mov %%rcx, %%rsp")

const struct hostile_fault hostile_arch_faults[] = {
	{ "ud2", EXO_FAULT_ILLEGAL, f_ud2 },
	{ "pc-mid-instruction", EXO_FAULT_ILLEGAL, f_mid_insn },
	{ "hlt", FAULT_ANY, f_hlt },
	{ "cli", FAULT_ANY, f_cli },
	{ "read-cr3", FAULT_ANY, f_read_cr3 },
	{ "write-cr0", FAULT_ANY, f_write_cr0 },
	{ "write-dr7", FAULT_ANY, f_write_dr7 },
	{ "rdmsr", FAULT_ANY, f_rdmsr },
	{ "wrmsr", FAULT_ANY, f_wrmsr },
	{ "in-port", FAULT_ANY, f_inb },
	{ "lidt", FAULT_ANY, f_lidt },
	{ "invlpg", FAULT_ANY, f_invlpg },
	{ "swapgs", FAULT_ANY, f_swapgs },
	{ "int-14", FAULT_ANY, f_int_pf },
	{ "int-32", FAULT_ANY, f_int_timer },
	{ "int-0x80", FAULT_ANY, f_int_80 },
	{ "int-255", FAULT_ANY, f_int_ff },
	{ "iret-to-ring0", FAULT_ANY, f_iret_ring0 },
	{ "sysenter", FAULT_ANY, f_sysenter },
	{ "divide-by-zero", EXO_FAULT_ARITH, f_div0 },
	{ "idiv-overflow", EXO_FAULT_ARITH, f_idiv_overflow },
	{ "int3", EXO_FAULT_BREAK, f_int3 },
	{ "single-step", EXO_FAULT_BREAK, f_single_step },
	{ "sse-divide-by-zero", FAULT_MAYBE, f_sse_div0 },
	{ "x87-divide-by-zero", EXO_FAULT_ARITH, f_x87_div0 },
	{ "null-stack", FAULT_ANY, f_null_stack },
	{ "noncanonical-stack", FAULT_ANY, f_noncanonical_stack },
};

const unsigned hostile_arch_nfaults =
	sizeof(hostile_arch_faults) / sizeof(hostile_arch_faults[0]);

long
hostile_foreign(uint64_t nr, uint64_t a0)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0)
			 : "rcx", "r11", "memory");
	return ret;
}
