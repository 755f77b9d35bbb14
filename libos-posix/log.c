/*
 * The libOS's own diagnostics, and the end of the process.
 */
#include <exo/fmt.h>
#include <exo/string.h>

#include "posix.h"

void
posix_log(const char *fmt, ...)
{
	struct posix_launch *blk = proc.blk;
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = exo_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (!blk || !(blk->flags & POSIX_LAUNCH_CAPTURE)) {
		exo_cons_write(exo_console(), line, (uint64_t)n);
		return;
	}
	if ((uint64_t)n > POSIX_LOG_MAX - blk->log_len)
		n = (int)(POSIX_LOG_MAX - blk->log_len);
	memcpy(blk->log + blk->log_len, line, (size_t)n);
	blk->log_len += (uint32_t)n;
}

void
posix_exit(int32_t wait_status)
{
	if (proc.blk) {
		proc.blk->wait_status = wait_status;
		proc.blk->exited = 1;
	}
	exo_exit(wait_status);
	for (;;)
		;
}
