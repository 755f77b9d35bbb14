/*
 * Cases: upcalls.  Demand-zero paging by a handler that maps the missing
 * page and resumes, nested upcalls, and the errors of env_set_upcall and
 * upcall_return.
 */
#include "ut.h"

#define RW (EXO_PERM_R | EXO_PERM_W)
#define KERNEL_VA 0xffff800000000000ull
#define DZ_VA (UT_VA + 0x10000000)
#define DZ_PAGES 16
#define NEST_A (UT_VA + 0x20000000)
#define NEST_B (UT_VA + 0x20100000)
#define MARK_A 0xaaaa
#define MARK_B 0xbbbb

static uint64_t
page_of(uint64_t va)
{
	return va & ~(UT_PAGE - 1);
}

static volatile uint64_t *
word(uint64_t va)
{
	return (volatile uint64_t *)(uintptr_t)va;
}

/* va as a pointer the caller passes to the kernel, never dereferences. */
static const void *
uptr(uint64_t va)
{
	return (const void *)(uintptr_t)va;
}

/* Whether f is a not-present page fault in [lo, lo + pages pages). */
static int
missing_page_in(const struct exo_upcall_frame *f, uint64_t lo, unsigned pages)
{
	return f->type == EXO_UPCALL_FAULT && f->fault == EXO_FAULT_PAGE &&
	       !(f->flags & EXO_PF_PRESENT) && f->addr >= lo &&
	       f->addr - lo < pages * UT_PAGE;
}

/* Map a fresh frame at va from a handler: its address, or 0. */
static uint64_t
map_fresh(uint64_t va)
{
	long pa = exo_page_alloc(EXO_ENVID_SELF, EXO_PA_ANY);
	struct exo_mapping m = { va, (uint64_t)pa, RW };

	if (pa < 0 || exo_map(EXO_ENVID_SELF, &m, 1) != 1)
		return 0;
	return (uint64_t)pa;
}

static volatile uint64_t dz_pa[DZ_PAGES];
static volatile unsigned dz_faults;

static int
dz_hook(struct exo_upcall_frame *f)
{
	uint64_t va = page_of(f->addr), pa;

	if (!missing_page_in(f, DZ_VA, DZ_PAGES))
		return 0;
	pa = map_fresh(va);
	if (!pa)
		return 0;
	dz_pa[(va - DZ_VA) / UT_PAGE] = pa;
	dz_faults++;
	return 1;
}

/* A handler that maps missing pages on demand; each page faults once,
 * reads as zero, then holds what is written. */
UTEST(demand_zero)
{
	const volatile struct exo_envinfo *info = exo_info();
	uint64_t faults = info->counters.faults;

	dz_faults = 0;
	UT_OK(ut_upcalls_on(dz_hook));
	for (unsigned i = 0; i < DZ_PAGES; i++) {
		uint64_t va = DZ_VA + i * UT_PAGE + 8 * i;

		UT_ASSERT_EQ(*word(va), 0);
		*word(va) = i + 1;
	}
	UT_ASSERT_EQ(dz_faults, DZ_PAGES);
	for (unsigned i = 0; i < DZ_PAGES; i++)
		UT_ASSERT_EQ(*word(DZ_VA + i * UT_PAGE + 8 * i), i + 1);
	UT_ASSERT_EQ(dz_faults, DZ_PAGES);
	UT_ASSERT(info->counters.faults >= faults + DZ_PAGES);
	UT_ASSERT(info->counters.upcalls >= DZ_PAGES);
	for (unsigned i = 0; i < DZ_PAGES; i++)
		UT_OK(ut_unpage(DZ_VA + i * UT_PAGE, dz_pa[i]));
}

static volatile unsigned nest_depth, nest_max;
static volatile uint64_t nest_pa[2], nest_frame[2], nest_read;

/* A fault on NEST_A reads NEST_B before mapping NEST_A: a second fault
 * inside the handler, which nests on the upcall stack. */
static int
nest_hook(struct exo_upcall_frame *f)
{
	int a = missing_page_in(f, NEST_A, 1);
	int b = missing_page_in(f, NEST_B, 1);

	if (!a && !b)
		return 0;
	if (++nest_depth > nest_max)
		nest_max = nest_depth;
	nest_frame[b] = (uint64_t)(uintptr_t)f;
	if (a)
		nest_read = *word(NEST_B + 16);
	nest_pa[b] = map_fresh(page_of(f->addr));
	if (nest_pa[b])
		*word(page_of(f->addr) + 16) = b ? MARK_B : MARK_A;
	nest_depth--;
	return nest_pa[b] != 0;
}

UTEST(upcall_nested)
{
	uint64_t v;

	nest_depth = nest_max = 0;
	UT_OK(ut_upcalls_on(nest_hook));
	v = *word(NEST_A + 16);
	UT_ASSERT_EQ(v, MARK_A);
	UT_ASSERT_EQ(nest_read, MARK_B);
	UT_ASSERT_EQ(nest_max, 2);
	/* The inner frame lies below the outer one, past its red zone. */
	UT_ASSERT(nest_frame[1] + sizeof(struct exo_upcall_frame) <=
		  nest_frame[0] - EXO_UPCALL_REDZONE);
	UT_ASSERT_EQ(nest_frame[0] % 16, 0);
	UT_ASSERT_EQ(nest_frame[1] % 16, 0);
	UT_OK(ut_unpage(NEST_A, nest_pa[0]));
	UT_OK(ut_unpage(NEST_B, nest_pa[1]));
}

/* A handler may resume somewhere else: the probes rely on it, many
 * times over. */
UTEST(upcall_redirect_repeated)
{
	uint64_t val;

	UT_OK(ut_upcalls_on(NULL));
	for (unsigned i = 0; i < 200; i++) {
		UT_ASSERT_EQ(ut_try_load(UT_VA + i * 8, &val), 1);
		UT_ASSERT_EQ(ut_fault.addr, UT_VA + i * 8);
	}
	UT_ASSERT_EQ(ut_fault.count, 200);
}

/* Registered only by a call that must fail. */
static void
never_called(struct exo_upcall_frame *f)
{
	exo_panic("an upcall reached a handler that was refused");
}

/* The entry must be a user address. */
UTEST(upcall_set_bad_entry)
{
	uint64_t stack = UT_VA + 0x10000;

	UT_ASSERT_ERR(exo_env_set_upcall(EXO_ENVID_SELF, KERNEL_VA, stack),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_set_upcall(EXO_ENVID_SELF, EXO_UVPT, stack),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_set_upcall(EXO_ENVID_SELF, 0x1000, stack),
		      EXO_EINVAL);
}

/* The stack top must be a 16-byte aligned user address. */
UTEST(upcall_set_bad_stack)
{
	uint64_t entry = (uint64_t)(uintptr_t)ut_probe_fixup;
	uint64_t stack = UT_VA + 0x10000;

	UT_ASSERT_ERR(exo_env_set_upcall(EXO_ENVID_SELF, entry, KERNEL_VA),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_set_upcall(EXO_ENVID_SELF, entry, stack + 8),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_env_set_upcall(EXO_ENVID_SELF, entry, EXO_UVPT),
		      EXO_EINVAL);
	UT_ASSERT_ERR(exo_upcall_init(never_called, (void *)(uintptr_t)stack,
				      EXO_UPCALL_STACK_MIN - 16),
		      EXO_EINVAL);
}

UTEST(upcall_set_other_env)
{
	uint64_t entry = (uint64_t)(uintptr_t)ut_probe_fixup;
	long e = UT_OK(exo_env_create(16, 0));

	UT_ASSERT_ERR(exo_env_set_upcall(0xffffffffu, entry, UT_VA),
		      EXO_ENOENT);
	/* A controlled env's upcalls may be set, and turned off. */
	UT_OK(exo_env_set_upcall((exo_envid_t)e, entry, UT_VA));
	UT_OK(exo_env_set_upcall((exo_envid_t)e, 0, 0));
	UT_OK(exo_env_destroy((exo_envid_t)e));
	UT_ASSERT_ERR(exo_env_set_upcall((exo_envid_t)e, entry, UT_VA),
		      EXO_ENOENT);
}

UTEST(upcall_return_efault)
{
	UT_ASSERT_ERR(exo_upcall_return(NULL), EXO_EFAULT);
	UT_ASSERT_ERR(exo_upcall_return(uptr(KERNEL_VA)), EXO_EFAULT);
	UT_ASSERT_ERR(exo_upcall_return(uptr(UT_VA)), EXO_EFAULT);
	/* Runs off the end of the user half. */
	UT_ASSERT_ERR(exo_upcall_return(uptr(EXO_USER_TOP - 64)), EXO_EFAULT);
}

static volatile int bad_stage;
static volatile long bad_ret;
static volatile uint64_t bad_pc;

/* On the first fault, resume a copy of the frame at bad_pc. */
static int
bad_pc_hook(struct exo_upcall_frame *f)
{
	struct exo_upcall_frame copy;

	if (bad_stage != 1)
		return 0;
	bad_stage = 2;
	copy = *f;
	EXO_REGS_PC(&copy.regs) = bad_pc;
	bad_ret = exo_upcall_return(&copy);
	return 0; /* refused: the probe catches the first fault */
}

/*
 * upcall_return does not trust the pc it is given: a kernel, a
 * non-canonical or a null pc is refused, or resumed in user mode where
 * it faults (the probe catches that fault) -- never run by the kernel.
 */
UTEST(upcall_return_bad_pc)
{
	static const uint64_t pcs[] = { KERNEL_VA, EXO_USER_TOP, 0,
					0xfffffffffffff000ull };
	uint64_t val;

	UT_OK(ut_upcalls_on(bad_pc_hook));
	for (unsigned i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++) {
		bad_pc = pcs[i];
		bad_ret = 1;
		bad_stage = 1;
		ut_fault.count = 0;
		UT_ASSERT_EQ(ut_try_load(UT_VA, &val), 1);
		UT_ASSERT_EQ(bad_stage, 2);
		if (bad_ret == 1) {
			/* Resumed: the second upcall was the bad pc's fault. */
			UT_ASSERT_EQ(ut_fault.count, 2);
			UT_ASSERT_EQ(ut_fault.type, EXO_UPCALL_FAULT);
		} else {
			UT_ASSERT(bad_ret < 0);
			UT_ASSERT_EQ(ut_fault.count, 1);
		}
	}
}
