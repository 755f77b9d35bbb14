/*
 * Console output and exit for programs on Exo: formatted text goes to
 * the console capability through exo_cons_write.
 */
#include <exo/fmt.h>
#include <exo/libexo.h>
#include <exo/string.h>

#define PRINTF_MAX 512

static exo_cap_t console = EXO_CAP_CONSOLE;

void
exo_set_console(exo_cap_t cap)
{
	console = cap;
}

exo_cap_t
exo_console(void)
{
	return console;
}

/* Write all of buf[0..len): 0 or a negative error. */
static int
write_all(const char *buf, size_t len)
{
	while (len) {
		long n = exo_cons_write(console, buf, len);

		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EXO_EAGAIN;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
exo_vprintf(const char *fmt, va_list ap)
{
	char buf[PRINTF_MAX];
	int n = exo_vsnprintf(buf, sizeof(buf), fmt, ap);
	int r = write_all(buf, n < PRINTF_MAX ? (size_t)n : PRINTF_MAX - 1);

	return r < 0 ? r : n;
}

int
exo_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = exo_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int
exo_puts(const char *s)
{
	int r = write_all(s, strlen(s));

	return r < 0 ? r : write_all("\n", 1);
}

void
exo_terminate(int64_t status)
{
	/* exo_exit does not return; loop in case a broken kernel lets it. */
	for (;;)
		exo_exit(status);
}

void
exo_panic(const char *fmt, ...)
{
	va_list ap;

	exo_printf("panic: ");
	va_start(ap, fmt);
	exo_vprintf(fmt, ap);
	va_end(ap);
	exo_printf("\n");
	exo_terminate(255);
}
