/*
 * System calls the ABI lists that this kernel does not implement yet.
 * Each fails with -EXO_ENOSYS (docs/ABI.md says which), never pretends.
 */
#include <exo/error.h>
#include <kernel/syscall.h>

long
sys_irq_bind(exo_cap_t irq)
{
	return -EXO_ENOSYS;
}

long
sys_irq_ack(exo_cap_t irq)
{
	return -EXO_ENOSYS;
}
