/*
 * Exceptions: a fault the kernel expects is caught and reported; one it
 * does not expect is reported and stops the machine with a panic.
 */
#include <exo/error.h>
#include <kernel/arch.h>
#include <kernel/ktest.h>
#include <kernel/memlayout.h>
#include <kernel/printk.h>

/* Addresses no kernel page table maps: the top of the physmap window and a
 * low user-half address (no env exists, and the boot identity map is gone). */
#define UNMAPPED_HIGH (PHYSMAP_BASE + PHYSMAP_SIZE - PAGE_SIZE)
#define UNMAPPED_LOW 0x1000UL

KTEST(fault_probe_caught)
{
	static volatile uint64_t word = 0x1234abcd5678ef90ull;
	unsigned before = arch_last_fault.count;
	uint64_t v = 0;

	KT_ASSERT_EQ(arch_probe_read((uintptr_t)&word, &v), 0);
	KT_ASSERT_EQ(v, word);
	KT_ASSERT_EQ(arch_last_fault.count, before);

	KT_ASSERT_EQ(arch_probe_read(UNMAPPED_HIGH, &v), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_last_fault.count, before + 1);
	KT_ASSERT_EQ(arch_last_fault.addr, UNMAPPED_HIGH);
	KT_ASSERT(arch_last_fault.pc != 0);

	KT_ASSERT_EQ(arch_probe_read(UNMAPPED_LOW, &v), -EXO_EFAULT);
	KT_ASSERT_EQ(arch_last_fault.count, before + 2);
	KT_ASSERT_EQ(arch_last_fault.addr, UNMAPPED_LOW);
}

/* An unexpected kernel fault dumps the registers and panics. */
KTEST_PANICS(fault_unhandled_panics)
{
	volatile uint64_t *p = (volatile uint64_t *)UNMAPPED_HIGH;

	(void)*p;
	ktest_fail(__FILE__, __LINE__, "the faulting load returned");
}

KTEST_PANICS(panic_stops_machine)
{
	panic("deliberate panic from a test case");
}
