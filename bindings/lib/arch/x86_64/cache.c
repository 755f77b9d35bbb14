/*
 * x86_64 keeps instruction fetch coherent with stores: nothing to do.
 */
#include <exo/libexo.h>

void
exo_sync_icache(const void *va, uint64_t n)
{
}
