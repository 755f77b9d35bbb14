/*
 * aarch64 faults for the hostile program: undefined instructions, system
 * registers and instructions EL0 may not use, traps, misalignment and
 * broken stacks.  Each function faults at once, or returns if the
 * instruction is allowed (which the kernel must not allow, except where
 * want says FAULT_NONE: AArch64 integer division by zero yields 0).
 */
#include <exo/upcall.h>
#include "../../../hostile_arch.h"

#define FAULT_FN(fname, insns)                                                 \
	static void fname(void)                                                \
	{                                                                      \
		__asm__ volatile(insns ::: "x0", "x1", "x2", "memory");        \
	}

FAULT_FN(f_udf, ".inst 0x00000000")
FAULT_FN(f_pc_misaligned, "adr x0, 1f\n\tadd x0, x0, #2\n\tbr x0\n1:\tnop")
FAULT_FN(f_mrs_sctlr, "mrs x0, sctlr_el1")
FAULT_FN(f_msr_ttbr0, "msr ttbr0_el1, xzr")
FAULT_FN(f_msr_vbar, "msr vbar_el1, xzr")
FAULT_FN(f_msr_daifset, "msr daifset, #0xf")
FAULT_FN(f_hvc, "hvc #0")
FAULT_FN(f_smc, "smc #0")
FAULT_FN(f_eret, "eret")
FAULT_FN(f_ic_iallu, "ic iallu")
FAULT_FN(f_tlbi, "tlbi vmalle1")
FAULT_FN(f_at, "mov x0, sp\n\tat s1e1r, x0")
FAULT_FN(f_hlt, "hlt #0")
FAULT_FN(f_svc_other, "svc #1")
FAULT_FN(f_brk, "brk #0")
FAULT_FN(f_udiv0, "mov x1, #7\n\tudiv x0, x1, xzr")
FAULT_FN(f_ldxr_misaligned, "mov x0, sp\n\tsub x0, x0, #63\n\tldxr x1, [x0]")
FAULT_FN(f_dc_zva_kernel, "mov x0, #0xffff800000000000\n\tdc zva, x0")
FAULT_FN(f_null_stack, "mov x1, sp\n\tmov x0, #0\n\tmov sp, x0\n\t"
		       "str x0, [sp, #-16]!\n\tmov sp, x1")
FAULT_FN(f_noncanonical_stack, "mov x1, sp\n\tmov x0, #0x0001000000000000\n\t"
			       "mov sp, x0\n\tstr x0, [sp, #-16]!\n\t"
			       "mov sp, x1")

const struct hostile_fault hostile_arch_faults[] = {
	{ "udf", EXO_FAULT_ILLEGAL, f_udf },
	{ "pc-misaligned", EXO_FAULT_ALIGN, f_pc_misaligned },
	{ "mrs-sctlr_el1", EXO_FAULT_ILLEGAL, f_mrs_sctlr },
	{ "msr-ttbr0_el1", EXO_FAULT_ILLEGAL, f_msr_ttbr0 },
	{ "msr-vbar_el1", EXO_FAULT_ILLEGAL, f_msr_vbar },
	{ "msr-daifset", EXO_FAULT_ILLEGAL, f_msr_daifset },
	{ "hvc", EXO_FAULT_ILLEGAL, f_hvc },
	{ "smc", EXO_FAULT_ILLEGAL, f_smc },
	{ "eret", EXO_FAULT_ILLEGAL, f_eret },
	{ "ic-iallu", EXO_FAULT_ILLEGAL, f_ic_iallu },
	{ "tlbi-vmalle1", EXO_FAULT_ILLEGAL, f_tlbi },
	{ "at-s1e1r", EXO_FAULT_ILLEGAL, f_at },
	{ "hlt", EXO_FAULT_ILLEGAL, f_hlt },
	{ "svc-other-immediate", EXO_FAULT_ILLEGAL, f_svc_other },
	{ "brk", EXO_FAULT_BREAK, f_brk },
	{ "udiv-by-zero", FAULT_NONE, f_udiv0 },
	{ "ldxr-misaligned", EXO_FAULT_ALIGN, f_ldxr_misaligned },
	{ "dc-zva-kernel", FAULT_ANY, f_dc_zva_kernel },
	{ "null-stack", FAULT_ANY, f_null_stack },
	{ "noncanonical-stack", FAULT_ANY, f_noncanonical_stack },
};

const unsigned hostile_arch_nfaults =
	sizeof(hostile_arch_faults) / sizeof(hostile_arch_faults[0]);

long
hostile_foreign(uint64_t nr, uint64_t a0)
{
	register uint64_t x8 __asm__("x8") = nr;
	register uint64_t x0 __asm__("x0") = a0;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8) : "memory");
	return (long)x0;
}
