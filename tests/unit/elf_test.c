/*
 * Host tests for the ELF64 reader (bindings/lib/elf.c): images built
 * here, every header and segment check, every truncation, and a seeded
 * mutation fuzz whose accepted images are checked against the contract
 * independently.  Images are parsed from exactly-sized, deliberately
 * misaligned heap copies, so ASan and UBSan see any stray or unaligned
 * read.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <exo/elf.h>
#include <exo/error.h>
#include <exo/perm.h>

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			ck_abort_msg("%s", #c);                                \
	} while (0)

#define IMG_LEN 0x3000u
#define LO 0x10000ull
#define HI 0x00007f7ffffff000ull
#define EHDR 64u
#define PHSZ 56u
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u
#define PT_LOAD 1u
#define PT_PHDR 6u

struct img {
	unsigned char b[IMG_LEN];
};

static void
wr(unsigned char *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Program header i. */
static void
ph(struct img *m, unsigned i, uint32_t type, uint32_t flags, uint64_t off,
   uint64_t va, uint64_t filesz, uint64_t memsz)
{
	unsigned char *p = m->b + EHDR + i * PHSZ;

	wr(p + 0, type, 4);
	wr(p + 4, flags, 4);
	wr(p + 8, off, 8);
	wr(p + 16, va, 8);
	wr(p + 24, va, 8);
	wr(p + 32, filesz, 8);
	wr(p + 40, memsz, 8);
	wr(p + 48, 0x1000, 8);
}

static void
set_phnum(struct img *m, unsigned n)
{
	wr(m->b + 56, n, 2);
}

/*
 * A static x86_64 executable: text (R X) from offset 0 covering the
 * headers at 0x400000, data and bss (R W) at 0x602000 from offset
 * 0x2000.  Needs the first 0x2100 bytes.
 */
static void
sample(struct img *m)
{
	static const unsigned char ident[16] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	memset(m, 0, sizeof(*m));
	memcpy(m->b, ident, sizeof(ident));
	wr(m->b + 16, 2, 2); /* ET_EXEC */
	wr(m->b + 18, EXO_EM_X86_64, 2);
	wr(m->b + 20, 1, 4);	    /* EV_CURRENT */
	wr(m->b + 24, 0x401000, 8); /* entry */
	wr(m->b + 32, EHDR, 8);	    /* phoff */
	wr(m->b + 52, EHDR, 2);
	wr(m->b + 54, PHSZ, 2);
	set_phnum(m, 2);
	ph(m, 0, PT_LOAD, PF_R | PF_X, 0, 0x400000, 0x1100, 0x1100);
	ph(m, 1, PT_LOAD, PF_R | PF_W, 0x2000, 0x602000, 0x100, 0x3000);
}

#define NEEDED 0x2100u

/* Parse the first len bytes from a misaligned, exactly-sized copy. */
static int
parse_len(const struct img *m, uint64_t len, uint16_t machine,
	  struct exo_elf *e)
{
	unsigned char *p = malloc(len + 1);
	int r;

	ck_assert_ptr_nonnull(p);
	memcpy(p + 1, m->b, len);
	r = exo_elf_parse(p + 1, len, machine, LO, HI, e);
	free(p);
	return r;
}

static int
parse(const struct img *m, struct exo_elf *e)
{
	return parse_len(m, IMG_LEN, EXO_EM_X86_64, e);
}

START_TEST(test_valid)
{
	struct img m;
	struct exo_elf e;

	sample(&m);
	ck_assert_int_eq(parse(&m, &e), 0);
	ck_assert_uint_eq(e.entry, 0x401000);
	ck_assert_uint_eq(e.nsegs, 2);
	ck_assert_uint_eq(e.phnum, 2);
	ck_assert_uint_eq(e.phentsize, PHSZ);
	ck_assert_uint_eq(e.phdr_va, 0x400000 + EHDR);
	ck_assert_uint_eq(e.seg[0].va, 0x400000);
	ck_assert_uint_eq(e.seg[0].filesz, 0x1100);
	ck_assert_uint_eq(e.seg[0].perms, EXO_PERM_R | EXO_PERM_X);
	ck_assert_uint_eq(e.seg[1].va, 0x602000);
	ck_assert_uint_eq(e.seg[1].offset, 0x2000);
	ck_assert_uint_eq(e.seg[1].filesz, 0x100);
	ck_assert_uint_eq(e.seg[1].memsz, 0x3000);
	ck_assert_uint_eq(e.seg[1].perms, EXO_PERM_R | EXO_PERM_W);
}
END_TEST

/* A segment without PF_R is still mapped readable (exo_map's rule). */
START_TEST(test_perms)
{
	struct img m;
	struct exo_elf e;

	sample(&m);
	ph(&m, 0, PT_LOAD, PF_X, 0, 0x400000, 0x1100, 0x1100);
	ph(&m, 1, PT_LOAD, PF_R | PF_W | PF_X, 0x2000, 0x602000, 0x100, 0x100);
	ck_assert_int_eq(parse(&m, &e), 0);
	ck_assert_uint_eq(e.seg[0].perms, EXO_PERM_R | EXO_PERM_X);
	ck_assert_uint_eq(e.seg[1].perms, EXO_PERM_R | EXO_PERM_W | EXO_PERM_X);
}
END_TEST

START_TEST(test_pt_phdr)
{
	struct img m;
	struct exo_elf e;

	sample(&m);
	set_phnum(&m, 3);
	ph(&m, 2, PT_PHDR, PF_R, EHDR, 0x400040, 3 * PHSZ, 3 * PHSZ);
	ck_assert_int_eq(parse(&m, &e), 0);
	ck_assert_uint_eq(e.phdr_va, 0x400040);
	ck_assert_uint_eq(e.nsegs, 2);
}
END_TEST

/* Program headers no segment loads: phdr_va 0. */
START_TEST(test_phdr_unmapped)
{
	struct img m;
	struct exo_elf e;

	sample(&m);
	ph(&m, 0, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
	ck_assert_int_eq(parse(&m, &e), 0);
	ck_assert_uint_eq(e.phdr_va, 0);
}
END_TEST

START_TEST(test_type)
{
	static const struct {
		uint16_t type;
		int want;
	} cases[] = { { 2, 0 },
		      { 3, 0 },
		      { 0, -EXO_ENOTSUP },
		      { 1, -EXO_ENOTSUP },
		      { 4, -EXO_ENOTSUP },
		      { 0xfe00, -EXO_ENOTSUP } };
	struct img m;
	struct exo_elf e;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sample(&m);
		wr(m.b + 16, cases[i].type, 2);
		ck_assert_int_eq(parse(&m, &e), cases[i].want);
	}
}
END_TEST

START_TEST(test_machine)
{
	struct img m;
	struct exo_elf e;

	sample(&m);
	ck_assert_int_eq(parse_len(&m, IMG_LEN, EXO_EM_AARCH64, &e),
			 -EXO_ENOTSUP);
	wr(m.b + 18, EXO_EM_AARCH64, 2);
	ck_assert_int_eq(parse_len(&m, IMG_LEN, EXO_EM_AARCH64, &e), 0);
	ck_assert_int_eq(parse(&m, &e), -EXO_ENOTSUP);
	wr(m.b + 18, 3, 2); /* EM_386 */
	ck_assert_int_eq(parse(&m, &e), -EXO_ENOTSUP);
}
END_TEST

START_TEST(test_ident)
{
	struct img m;
	struct exo_elf e;

	for (unsigned i = 0; i < 4; i++) {
		sample(&m);
		m.b[i] ^= 0x20;
		ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	}
	sample(&m);
	m.b[4] = 1; /* ELFCLASS32 */
	ck_assert_int_eq(parse(&m, &e), -EXO_ENOTSUP);
	sample(&m);
	m.b[4] = 0;
	ck_assert_int_eq(parse(&m, &e), -EXO_ENOTSUP);
	sample(&m);
	m.b[5] = 2; /* big-endian */
	ck_assert_int_eq(parse(&m, &e), -EXO_ENOTSUP);
	sample(&m);
	m.b[6] = 0; /* EI_VERSION */
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	sample(&m);
	wr(m.b + 20, 2, 4); /* e_version */
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	sample(&m);
	wr(m.b + 52, 63, 2); /* e_ehsize */
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
}
END_TEST

START_TEST(test_phdr_table)
{
	struct img m;
	struct exo_elf e;

	sample(&m);
	wr(m.b + 54, 32, 2);
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	wr(m.b + 54, 64, 2);
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	sample(&m);
	set_phnum(&m, 0);
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	set_phnum(&m, 0xffff); /* PN_XNUM: more in section 0 */
	ck_assert_int_eq(parse(&m, &e), -EXO_ENOTSUP);
	set_phnum(&m, 250); /* runs past the image */
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	sample(&m);
	wr(m.b + 32, IMG_LEN - PHSZ, 8);
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	wr(m.b + 32, ~0ull - 8, 8); /* wraps */
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
	wr(m.b + 32, IMG_LEN, 8);
	ck_assert_int_eq(parse(&m, &e), -EXO_EINVAL);
}
END_TEST

/* Segment i replaced; the expected result. */
static void
try_seg(unsigned i, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
	uint64_t memsz, int want)
{
	struct img m;
	struct exo_elf e;
	int r;

	sample(&m);
	ph(&m, i, PT_LOAD, flags, off, va, filesz, memsz);
	r = parse(&m, &e);
	ck_assert_msg(r == want,
		      "seg %u off %#lx va %#lx filesz %#lx memsz %#lx: %d, "
		      "want %d",
		      i, (unsigned long)off, (unsigned long)va,
		      (unsigned long)filesz, (unsigned long)memsz, r, want);
}

START_TEST(test_segment_bounds)
{
	const unsigned rw = PF_R | PF_W;

	try_seg(1, rw, 0x2000, 0x602000, 0x200, 0x100, -EXO_EINVAL);
	try_seg(1, rw, 0x2000, 0x602000, IMG_LEN - 0x2000, IMG_LEN, 0);
	try_seg(1, rw, 0x2000, 0x602000, IMG_LEN - 0x2000 + 1, IMG_LEN,
		-EXO_EINVAL);
	try_seg(1, rw, ~0ull & ~0xfffull, 0x602000, 0x2000, 0x2000,
		-EXO_EINVAL);
	try_seg(1, rw, 0x2000, 0x602000, 0x100, ~0ull, -EXO_EINVAL);
	try_seg(1, rw, 0x2000, ~0ull - 0xfff, 0x100, 0x2000, -EXO_EINVAL);
	try_seg(1, rw, 0x0000, 0x0000, 0x100, 0x100, -EXO_EINVAL);
	try_seg(1, rw, 0x0000, LO - 0x1000, 0x100, 0x1000, -EXO_EINVAL);
	try_seg(1, rw, 0x0000, LO, 0x100, 0x1000, 0);
	try_seg(1, rw, 0x0000, HI - 0x1000, 0x100, 0x1000, 0);
	try_seg(1, rw, 0x0000, HI - 0x1000, 0x100, 0x1001, -EXO_EINVAL);
	try_seg(1, rw, 0x0000, 0xffff800000000000ull, 0x100, 0x1000,
		-EXO_EINVAL);
	/* p_vaddr and p_offset must agree modulo the page size. */
	try_seg(1, rw, 0x2000, 0x602008, 0x100, 0x100, -EXO_EINVAL);
	try_seg(1, rw, 0x2008, 0x602008, 0x100, 0x100, 0);
	try_seg(1, rw, 0x2010, 0x603010, 0x100, 0x100, 0);
	/* bss only: no bytes from the image. */
	try_seg(1, rw, 0x2000, 0x602000, 0, 0x5000, 0);
}
END_TEST

START_TEST(test_overlap)
{
	const unsigned rw = PF_R | PF_W;

	try_seg(1, rw, 0x1000, 0x401000, 0x100, 0x100, -EXO_EINVAL);
	try_seg(1, rw, 0x0000, 0x3ff000, 0x100, 0x1001, -EXO_EINVAL);
	try_seg(1, rw, 0x0000, 0x3ff000, 0x100, 0x1000, 0); /* touches */
	try_seg(1, rw, 0x1100, 0x401100, 0x100, 0x100, 0);  /* touches */
	try_seg(1, rw, 0x10ff, 0x4010ff, 0x100, 0x100, -EXO_EINVAL);
	/* Out of order but disjoint is fine. */
	try_seg(1, rw, 0x2000, 0x100000, 0x100, 0x100, 0);
}
END_TEST

START_TEST(test_entry)
{
	struct img m;
	struct exo_elf e;
	static const struct {
		uint64_t entry;
		int want;
	} cases[] = {
		{ 0x400000, 0 },	   { 0x4010ff, 0 },
		{ 0x401100, -EXO_EINVAL }, { 0x3fffff, -EXO_EINVAL },
		{ 0x602000, -EXO_EINVAL }, /* inside the RW segment */
		{ 0, -EXO_EINVAL },	   { ~0ull, -EXO_EINVAL },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sample(&m);
		wr(m.b + 24, cases[i].entry, 8);
		ck_assert_msg(parse(&m, &e) == cases[i].want, "entry %#lx",
			      (unsigned long)cases[i].entry);
	}
}
END_TEST

/* At most EXO_ELF_MAX_SEGS loaded segments; empty ones do not count. */
START_TEST(test_many_segments)
{
	struct img m;
	struct exo_elf e;
	unsigned n = EXO_ELF_MAX_SEGS;

	sample(&m);
	set_phnum(&m, n + 2);
	for (unsigned i = 2; i < n; i++)
		ph(&m, i, PT_LOAD, PF_R, 0x2000, 0x700000 + i * 0x1000, 0x10,
		   0x10);
	ph(&m, n, PT_LOAD, PF_R, 0, 0x800000, 0, 0);
	ph(&m, n + 1, 0x6474e551 /* PT_GNU_STACK */, PF_R | PF_W, 0, 0, 0, 0);
	ck_assert_int_eq(parse(&m, &e), 0);
	ck_assert_uint_eq(e.nsegs, n);
	ph(&m, n, PT_LOAD, PF_R, 0, 0x800000, 0, 1);
	ck_assert_int_eq(parse(&m, &e), -EXO_ENOTSUP);
}
END_TEST

/* Every prefix shorter than the bytes the segments need fails; every
 * longer one parses. */
START_TEST(test_truncation)
{
	struct img m;
	struct exo_elf e;

	sample(&m);
	for (uint64_t len = 0; len <= IMG_LEN; len++) {
		int r = parse_len(&m, len, EXO_EM_X86_64, &e);

		if (len < NEEDED)
			ck_assert_msg(r == -EXO_EINVAL, "len %lu: %d",
				      (unsigned long)len, r);
		else
			ck_assert_msg(r == 0, "len %lu: %d", (unsigned long)len,
				      r);
	}
}
END_TEST

/* The contract, checked from the outside on an accepted image. */
static void
check_accepted(const struct exo_elf *e, uint64_t len)
{
	int entry_ok = 0;

	CHECK(e->nsegs >= 1 && e->nsegs <= EXO_ELF_MAX_SEGS);
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct exo_elf_seg *s = &e->seg[i];

		CHECK(s->filesz <= s->memsz);
		CHECK(s->offset <= len && s->filesz <= len - s->offset);
		CHECK(s->va >= LO && s->memsz <= HI - s->va);
		CHECK((s->va & 0xfff) == (s->offset & 0xfff));
		CHECK(s->perms & EXO_PERM_R);
		CHECK(!(s->perms & ~EXO_PERM_MASK));
		for (unsigned j = 0; j < i; j++)
			CHECK(s->va + s->memsz <= e->seg[j].va ||
			      e->seg[j].va + e->seg[j].memsz <= s->va);
		if ((s->perms & EXO_PERM_X) && e->entry >= s->va &&
		    e->entry < s->va + s->memsz)
			entry_ok = 1;
	}
	CHECK(entry_ok);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Byte and field mutations of the headers (where they matter) and
 * random truncations. */
START_TEST(test_fuzz)
{
	static const uint64_t interesting[] = {
		0,
		1,
		0xfff,
		0x1000,
		0x10000,
		0x400000,
		0x7f7ffffff000ull,
		~0ull,
		~0ull - 0xfff,
		0x8000000000000000ull,
	};
	uint64_t seed = 0x5eed0002;
	unsigned accepted = 0;
	struct img m;
	struct exo_elf e;

	for (unsigned iter = 0; iter < 20000; iter++) {
		unsigned changes = 1 + xorshift(&seed) % 3;
		uint64_t len = IMG_LEN;

		sample(&m);
		for (unsigned c = 0; c < changes; c++) {
			unsigned pos = xorshift(&seed) % (EHDR + 2 * PHSZ);
			uint64_t v = xorshift(&seed);

			if (v & 1)
				m.b[pos] = (unsigned char)(v >> 8);
			else
				wr(m.b + (pos & ~7u),
				   interesting[(v >> 8) % 10] +
					   (v >> 16 & 1 ? 0 : (v >> 20) % 3),
				   8);
		}
		if (xorshift(&seed) % 8 == 0)
			len = xorshift(&seed) % IMG_LEN;
		if (parse_len(&m, len, EXO_EM_X86_64, &e) == 0) {
			check_accepted(&e, len);
			accepted++;
		}
	}
	/* The fuzz must explore accepted images too, not only rejections. */
	ck_assert_uint_gt(accepted, 100);
}
END_TEST

Suite *
elf_suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc;

#define ADD(name)                                                              \
	tc = tcase_create(#name);                                              \
	tcase_add_test(tc, name);                                              \
	suite_add_tcase(s, tc)

	ADD(test_valid);
	ADD(test_perms);
	ADD(test_pt_phdr);
	ADD(test_phdr_unmapped);
	ADD(test_type);
	ADD(test_machine);
	ADD(test_ident);
	ADD(test_phdr_table);
	ADD(test_segment_bounds);
	ADD(test_overlap);
	ADD(test_entry);
	ADD(test_many_segments);
	ADD(test_truncation);
	ADD(test_fuzz);
	tcase_set_timeout(tc, 60);
#undef ADD
	return s;
}
