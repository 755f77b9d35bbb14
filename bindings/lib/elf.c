/*
 * Validating ELF64 reader (see exo/elf.h).  The image may sit at any
 * alignment (a cpio archive only aligns file data to 4 bytes), so fields
 * are read byte by byte, little-endian, never through a struct pointer.
 */
#include <stddef.h>
#include <stdint.h>
#include <exo/elf.h>
#include <exo/error.h>
#include <exo/perm.h>
#include <exo/string.h>

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define PAGE_MASK 0xfffull

/* e_ident and the ELF64 header / program header field offsets. */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define PN_XNUM 0xffffu

#define E_TYPE 16
#define E_MACHINE 18
#define E_VERSION 20
#define E_ENTRY 24
#define E_PHOFF 32
#define E_EHSIZE 52
#define E_PHENTSIZE 54
#define E_PHNUM 56

#define P_TYPE 0
#define P_FLAGS 4
#define P_OFFSET 8
#define P_VADDR 16
#define P_FILESZ 32
#define P_MEMSZ 40

#define PT_LOAD 1
#define PT_PHDR 6
#define PF_X 1u
#define PF_W 2u

static uint64_t
rd(const unsigned char *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/* Whether n bytes at off fit in len bytes, without wrap. */
static int
fits(uint64_t off, uint64_t n, uint64_t len)
{
	return off <= len && n <= len - off;
}

/* Check e_ident and the header fields that do not depend on the program
 * headers: 0, -EXO_EINVAL or -EXO_ENOTSUP. */
static int
check_ehdr(const unsigned char *img, uint64_t len, uint16_t machine)
{
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };
	uint64_t type;

	if (len < EI_VERSION + 1 || memcmp(img, magic, sizeof(magic)))
		return -EXO_EINVAL;
	if (img[EI_CLASS] != ELFCLASS64 || img[EI_DATA] != ELFDATA2LSB)
		return -EXO_ENOTSUP;
	if (img[EI_VERSION] != EV_CURRENT || len < EHDR_SIZE ||
	    rd(img + E_VERSION, 4) != EV_CURRENT ||
	    rd(img + E_EHSIZE, 2) < EHDR_SIZE)
		return -EXO_EINVAL;
	type = rd(img + E_TYPE, 2);
	if ((type != ET_EXEC && type != ET_DYN) ||
	    rd(img + E_MACHINE, 2) != machine)
		return -EXO_ENOTSUP;
	return 0;
}

/* Validate one PT_LOAD program header and decode it into *s. */
static int
parse_load(const unsigned char *ph, uint64_t len, uint64_t lo, uint64_t hi,
	   struct exo_elf_seg *s)
{
	unsigned flags = (unsigned)rd(ph + P_FLAGS, 4);

	s->va = rd(ph + P_VADDR, 8);
	s->memsz = rd(ph + P_MEMSZ, 8);
	s->filesz = rd(ph + P_FILESZ, 8);
	s->offset = rd(ph + P_OFFSET, 8);
	/* exo_map wants every user page readable. */
	s->perms = EXO_PERM_R | (flags & PF_W ? EXO_PERM_W : 0) |
		   (flags & PF_X ? EXO_PERM_X : 0);

	if (s->filesz > s->memsz || !fits(s->offset, s->filesz, len))
		return -EXO_EINVAL;
	if (s->va < lo || !fits(s->va, s->memsz, hi))
		return -EXO_EINVAL;
	if ((s->va & PAGE_MASK) != (s->offset & PAGE_MASK))
		return -EXO_EINVAL;
	return 0;
}

static int
overlaps(const struct exo_elf_seg *a, const struct exo_elf_seg *b)
{
	return a->va < b->va + b->memsz && b->va < a->va + a->memsz;
}

/* The segments must be disjoint and the entry inside an executable one. */
static int
check_layout(const struct exo_elf *e)
{
	int entry_ok = 0;

	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct exo_elf_seg *s = &e->seg[i];

		for (unsigned j = 0; j < i; j++)
			if (overlaps(s, &e->seg[j]))
				return -EXO_EINVAL;
		if ((s->perms & EXO_PERM_X) && e->entry >= s->va &&
		    e->entry - s->va < s->memsz)
			entry_ok = 1;
	}
	return entry_ok ? 0 : -EXO_EINVAL;
}

/* Where a loaded segment maps the program headers, if one does. */
static uint64_t
find_phdr_va(const struct exo_elf *e, uint64_t phoff, uint64_t phsize)
{
	for (unsigned i = 0; i < e->nsegs; i++) {
		const struct exo_elf_seg *s = &e->seg[i];

		if (phoff >= s->offset && phoff - s->offset <= s->filesz &&
		    phsize <= s->filesz - (phoff - s->offset))
			return s->va + (phoff - s->offset);
	}
	return 0;
}

/* Walk the program headers, collecting PT_LOAD segments into *out. */
static int
parse_phdrs(const unsigned char *img, uint64_t len, uint64_t phoff, uint64_t lo,
	    uint64_t hi, struct exo_elf *out)
{
	for (unsigned i = 0; i < out->phnum; i++) {
		const unsigned char *ph = img + phoff + i * PHDR_SIZE;
		uint64_t type = rd(ph + P_TYPE, 4);
		int r;

		if (type == PT_PHDR)
			out->phdr_va = rd(ph + P_VADDR, 8);
		/* An empty PT_LOAD maps nothing. */
		if (type != PT_LOAD || rd(ph + P_MEMSZ, 8) == 0)
			continue;
		if (out->nsegs == EXO_ELF_MAX_SEGS)
			return -EXO_ENOTSUP;
		r = parse_load(ph, len, lo, hi, &out->seg[out->nsegs]);
		if (r < 0)
			return r;
		out->nsegs++;
	}
	return 0;
}

int
exo_elf_parse(const void *img, uint64_t len, uint16_t machine, uint64_t lo,
	      uint64_t hi, struct exo_elf *out)
{
	const unsigned char *p = img;
	uint64_t phoff, phsize;
	int r;

	memset(out, 0, sizeof(*out));
	r = check_ehdr(p, len, machine);
	if (r < 0)
		return r;

	out->entry = rd(p + E_ENTRY, 8);
	out->phentsize = (uint16_t)rd(p + E_PHENTSIZE, 2);
	out->phnum = (uint16_t)rd(p + E_PHNUM, 2);
	if (out->phnum == PN_XNUM)
		return -EXO_ENOTSUP;
	phoff = rd(p + E_PHOFF, 8);
	phsize = (uint64_t)out->phnum * PHDR_SIZE;
	if (out->phentsize != PHDR_SIZE || out->phnum == 0 ||
	    !fits(phoff, phsize, len))
		return -EXO_EINVAL;

	r = parse_phdrs(p, len, phoff, lo, hi, out);
	if (r < 0)
		return r;
	r = check_layout(out);
	if (r < 0)
		return r;
	if (!out->phdr_va)
		out->phdr_va = find_phdr_va(out, phoff, phsize);
	return 0;
}
