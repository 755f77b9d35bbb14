/*
 * exo_vsnprintf: the conversions the kernel log and the library OSes use,
 * and nothing more (see exo/fmt.h).  Pure logic, unit-tested on the host.
 */
#include <stdbool.h>
#include <stdint.h>
#include <exo/fmt.h>
#include <exo/string.h>

struct out {
	char *buf;
	size_t size; /* capacity including the NUL */
	size_t len;  /* bytes the full output needs */
};

struct spec {
	int width;
	bool left;
	bool zero;
	bool alt; /* '#': 0x before hex, 0 before octal */
};

static void
out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* Emit a converted field: a prefix (sign, "0x"), then n bytes of s,
 * padded to the width. */
static void
out_field(struct out *o, const struct spec *sp, const char *prefix,
	  const char *s, size_t n)
{
	int pad = sp->width - (int)n - (int)strlen(prefix);

	if (!sp->left && !sp->zero)
		out_pad(o, ' ', pad);
	while (*prefix)
		out_char(o, *prefix++);
	if (!sp->left && sp->zero)
		out_pad(o, '0', pad);
	while (n--)
		out_char(o, *s++);
	if (sp->left)
		out_pad(o, ' ', pad);
}

static void
out_number(struct out *o, const struct spec *sp, unsigned long long v,
	   unsigned base, bool upper, const char *sign)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *prefix = sign;
	char tmp[24];
	size_t i = sizeof(tmp);

	if (sp->alt && v && base == 16)
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && v && base == 8)
		prefix = "0";
	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	out_field(o, sp, prefix, tmp + i, sizeof(tmp) - i);
}

/* Length modifiers, as the number of 'l's (h and hh are negative). */
static const char *
parse_length(const char *f, int *len)
{
	*len = 0;
	for (;; f++) {
		if (*f == 'l')
			(*len)++;
		else if (*f == 'h')
			(*len)--;
		else if (*f == 'z' || *f == 't')
			*len = 1;
		else
			return f;
	}
}

static unsigned long long
arg_unsigned(va_list *ap, int len)
{
	if (len >= 2)
		return va_arg(*ap, unsigned long long);
	if (len == 1)
		return va_arg(*ap, unsigned long);
	unsigned v = va_arg(*ap, unsigned);
	return len == -1 ? (unsigned short)v : len <= -2 ? (unsigned char)v : v;
}

static long long
arg_signed(va_list *ap, int len)
{
	if (len >= 2)
		return va_arg(*ap, long long);
	if (len == 1)
		return va_arg(*ap, long);
	int v = va_arg(*ap, int);
	return len == -1 ? (short)v : len <= -2 ? (signed char)v : v;
}

/* One conversion starting after '%'; returns the next format byte. */
static const char *
convert(struct out *o, const char *f, va_list *ap)
{
	struct spec sp = { 0 };
	int len;

	for (;; f++) {
		if (*f == '-')
			sp.left = true;
		else if (*f == '0')
			sp.zero = true;
		else if (*f == '#')
			sp.alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp.width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp.width = sp.width * 10 + (*f++ - '0');
	f = parse_length(f, &len);

	switch (*f) {
	case 'd':
	case 'i': {
		long long v = arg_signed(ap, len);
		unsigned long long m =
			v < 0 ? -(unsigned long long)v : (unsigned long long)v;
		out_number(o, &sp, m, 10, false, v < 0 ? "-" : "");
		break;
	}
	case 'u':
		out_number(o, &sp, arg_unsigned(ap, len), 10, false, "");
		break;
	case 'x':
	case 'X':
		out_number(o, &sp, arg_unsigned(ap, len), 16, *f == 'X', "");
		break;
	case 'o':
		out_number(o, &sp, arg_unsigned(ap, len), 8, false, "");
		break;
	case 'p':
		out_field(o, &sp, "", "0x", 2);
		sp.width = 16;
		sp.zero = true;
		out_number(o, &sp, (uintptr_t)va_arg(*ap, void *), 16, false,
			   "");
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		out_field(o, &sp, "", &c, 1);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		sp.zero = false;
		out_field(o, &sp, "", s, strlen(s));
		break;
	}
	case '%':
		out_char(o, '%');
		break;
	case '\0':
		return f;
	default: /* unknown: print it as written, so the bug is visible */
		out_char(o, '%');
		out_char(o, *f);
		break;
	}
	return f + 1;
}

int
exo_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%')
			out_char(&o, *fmt++);
		else
			fmt = convert(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int
exo_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = exo_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
