/*
 * The console's terminal: a line discipline over exo_cons_read and
 * exo_cons_write, its state in the pool (struct posix_tty) so every
 * process of the instance sees one terminal.  Canonical mode edits a
 * line (erase, kill, end of file) and hands it over whole; raw mode
 * hands over bytes as they come.  Input is taken from the console only
 * when someone reads or polls, or waits while ISIG is on
 * (tty_pull_foreground), as the kernel keeps no terminal of its own and
 * raises nothing when a key is typed; a blocked reader waits in
 * posix_block and looks again.
 */
#include <exo/string.h>

#include "posix.h"

#define TTY_CHUNK 512
#define TTY_PULL_NS 5000000ull /* 5 ms */

static struct posix_tty *
tty(void)
{
	return &proc.pool->tty;
}

/* Write buf[0..n) to the console, NL as CR NL when the termios says so. */
static void
tty_out(const char *buf, uint64_t n)
{
	const struct posix_tty *t = tty();
	bool crnl = (t->oflag & L_OPOST) && (t->oflag & L_ONLCR);
	uint64_t start = 0;

	for (uint64_t i = 0; crnl && i < n; i++) {
		if (buf[i] != '\n')
			continue;
		exo_cons_write(exo_console(), buf + start, i - start);
		exo_cons_write(exo_console(), "\r", 1);
		start = i;
	}
	exo_cons_write(exo_console(), buf + start, n - start);
}

/*
 * A read of the terminal (sig SIGTTIN), or with TOSTOP a write
 * (SIGTTOU), from a process outside its foreground group: the group
 * gets sig, whose default stops it, and the call is made again once it
 * continues (-ERESTARTSYS).  If the signal would do nothing (ignored or
 * blocked), a read fails with -EIO and a write goes ahead (POSIX).  0
 * for the foreground.
 */
static long
background(int sig)
{
	struct posix_tty *t = tty();
	uint32_t pgid = proc.pool->procs[proc.slot].pgid;

	if (!t->pgrp || pgid == t->pgrp)
		return 0;
	if (!signal_would_act(sig))
		return sig == L_SIGTTIN ? -L_EIO : 0;
	pool_lock();
	signal_group(pgid, sig);
	pool_unlock();
	return -L_ERESTARTSYS;
}

long
tty_write(const char *buf, uint64_t n)
{
	long r = tty()->lflag & L_TOSTOP ? background(L_SIGTTOU) : 0;

	if (r < 0)
		return r;
	tty_out(buf, n);
	return (long)n;
}

static void
echo(const char *s, uint64_t n)
{
	if (tty()->lflag & L_ECHO)
		tty_out(s, n);
}

/* Erase the last character of the line being edited. */
static void
erase(struct posix_tty *t)
{
	if (t->len <= t->ready)
		return;
	t->len--;
	if (t->lflag & L_ECHOE)
		echo("\b \b", 3);
}

/* The signal a byte raises with ISIG (^C, ^\, ^Z), or 0. */
static int
isig(const struct posix_tty *t, char c)
{
	if (!(t->lflag & L_ISIG) || !c)
		return 0;
	if (c == (char)t->cc[L_VINTR])
		return L_SIGINT;
	if (c == (char)t->cc[L_VQUIT])
		return L_SIGQUIT;
	if (c == (char)t->cc[L_VSUSP])
		return L_SIGTSTP;
	return 0;
}

/* ^C, ^\ or ^Z: the pending input goes (unless NOFLSH), the character
 * echoes as ^X (ECHOCTL), and the foreground group gets sig (pool
 * locked). */
static void
interrupt(struct posix_tty *t, char c, int sig)
{
	char ctl[2] = { '^', (char)(c + '@') };

	if (!(t->lflag & L_NOFLSH))
		t->len = t->ready = t->eof = 0;
	if (t->lflag & L_ECHOCTL)
		echo(ctl, sizeof(ctl));
	signal_group(t->pgrp, sig);
}

/* One byte of input in canonical mode. */
static void
canonical(struct posix_tty *t, char c)
{
	if (c == (char)t->cc[L_VERASE] || c == '\b') {
		erase(t);
	} else if (c == (char)t->cc[L_VKILL]) {
		while (t->len > t->ready)
			erase(t);
	} else if (c == (char)t->cc[L_VEOF]) {
		if (t->len == t->ready && !t->eof)
			t->eof = t->ready + 1;
		t->ready = t->len;
	} else if (c == '\n') {
		t->buf[t->len++] = c;
		t->ready = t->len;
		echo("\n", 1);
	} else if (t->len < POSIX_TTY_BUF - 1) {
		t->buf[t->len++] = c;
		echo(&c, 1);
	}
}

/* One byte from the console through the line discipline (pool
 * locked). */
static void
input(struct posix_tty *t, char c)
{
	if (c == '\r' && (t->iflag & L_IGNCR))
		return;
	if (c == '\r' && (t->iflag & L_ICRNL))
		c = '\n';
	else if (c == '\n' && (t->iflag & L_INLCR))
		c = '\r';
	if (isig(t, c)) {
		interrupt(t, c, isig(t, c));
	} else if (t->lflag & L_ICANON) {
		canonical(t, c);
	} else if (t->len < POSIX_TTY_BUF) {
		t->buf[t->len++] = c;
		t->ready = t->len;
		echo(&c, 1);
	}
}

/* Take what the console has waiting (pool locked). */
static void
pull(struct posix_tty *t)
{
	char chunk[TTY_CHUNK];
	long n;

	t->pulled = (uint64_t)exo_clock_ns();
	while (t->len < POSIX_TTY_BUF &&
	       (n = exo_cons_read(exo_console(), chunk, sizeof(chunk))) > 0)
		for (long i = 0; i < n; i++)
			input(t, chunk[i]);
}

/* How many bytes one read may take now (pool locked): one line at most
 * in canonical mode, none past an end of file. */
static uint32_t
takeable(const struct posix_tty *t, uint64_t n)
{
	uint32_t k = 0, end = t->eof ? t->eof - 1 : t->ready;

	while (k < end && k < n) {
		if (t->buf[k++] == '\n' && (t->lflag & L_ICANON))
			break;
	}
	return k;
}

void
tty_pull_foreground(uint64_t now)
{
	struct posix_tty *t = tty();

	/* Often enough for ^C to feel at once, seldom enough that a busy
	 * pipe's waits do not each look at the UART. */
	if ((proc.pool->flags & POSIX_LAUNCH_CAPTURE) || !(t->lflag & L_ISIG) ||
	    now - t->pulled < TTY_PULL_NS)
		return;
	pool_lock();
	pull(t);
	pool_unlock();
}

bool
tty_readable(void)
{
	struct posix_tty *t = tty();
	bool r;

	pool_lock();
	pull(t);
	r = t->ready || t->eof;
	pool_unlock();
	return r;
}

/* Read from the terminal into the program's [ubuf, ubuf + n): blocks
 * for a line (canonical) or a byte (raw with VMIN > 0). */
long
tty_read(uint64_t ubuf, uint64_t n, bool nonblock)
{
	struct posix_tty *t = tty();
	char chunk[TTY_CHUNK];
	uint32_t k;
	bool eof;

	long bg = background(L_SIGTTIN);

	if (bg < 0)
		return bg;
	if (!n)
		return 0;
	if (!vm_user_ok(ubuf, n, L_PROT_WRITE))
		return -L_EFAULT;
	for (;;) {
		uint32_t seq = posix_wake_seq();

		pool_lock();
		pull(t);
		k = takeable(t, n < TTY_CHUNK ? n : TTY_CHUNK);
		eof = t->eof == 1;
		memcpy(chunk, t->buf, k);
		memmove(t->buf, t->buf + k, t->len - k);
		t->len -= k;
		t->ready -= k;
		if (t->eof)
			t->eof -= eof ? 1 : k;
		pool_unlock();
		if (k || eof)
			break;
		if (nonblock)
			return -L_EAGAIN;
		if (!(t->lflag & L_ICANON) && !t->cc[L_VMIN])
			return 0;
		if (posix_block(seq, UINT64_MAX, 0) == -L_ERESTARTSYS)
			return -L_ERESTARTSYS;
	}
	memcpy((void *)(uintptr_t)ubuf, chunk, k);
	return k;
}

/* TCSETS*: the program's termios at uarg; TCSETSF drops pending input. */
static long
set_termios(uint64_t uarg, bool flush)
{
	struct posix_tty *t = tty();
	struct l_termios tio;

	if (copy_in(&tio, uarg, sizeof(tio)) < 0)
		return -L_EFAULT;
	pool_lock();
	t->iflag = tio.c_iflag;
	t->oflag = tio.c_oflag;
	t->cflag = tio.c_cflag;
	t->lflag = tio.c_lflag;
	t->line = tio.c_line;
	memcpy(t->cc, tio.c_cc, sizeof(t->cc));
	if (flush)
		t->len = t->ready = t->eof = 0;
	if (!(t->lflag & L_ICANON))
		t->ready = t->len;
	pool_unlock();
	return 0;
}

static long
get_termios(uint64_t uarg)
{
	const struct posix_tty *t = tty();
	struct l_termios tio = {
		.c_iflag = t->iflag,
		.c_oflag = t->oflag,
		.c_cflag = t->cflag,
		.c_lflag = t->lflag,
		.c_line = t->line,
	};

	memcpy(tio.c_cc, t->cc, sizeof(tio.c_cc));
	return copy_out(uarg, &tio, sizeof(tio));
}

/* Window size and foreground process group. */
static long
tty_misc(uint64_t cmd, uint64_t uarg)
{
	struct posix_tty *t = tty();
	struct l_winsize ws = { .ws_row = t->rows, .ws_col = t->cols };
	int32_t v;

	switch (cmd) {
	case L_TIOCGWINSZ:
		return copy_out(uarg, &ws, sizeof(ws));
	case L_TIOCSWINSZ:
		if (copy_in(&ws, uarg, sizeof(ws)) < 0)
			return -L_EFAULT;
		t->rows = ws.ws_row;
		t->cols = ws.ws_col;
		return 0;
	case L_TIOCGPGRP:
		v = (int32_t)t->pgrp;
		return copy_out(uarg, &v, sizeof(v));
	case L_TIOCSPGRP:
		if (copy_in(&v, uarg, sizeof(v)) < 0)
			return -L_EFAULT;
		if (v <= 0)
			return -L_EINVAL;
		t->pgrp = (uint32_t)v;
		return 0;
	case L_FIONREAD:
		tty_readable();
		v = (int32_t)t->ready;
		return copy_out(uarg, &v, sizeof(v));
	case L_TIOCSCTTY:
		return 0;
	default:
		return -L_ENOTTY;
	}
}

long
tty_ioctl(uint64_t cmd, uint64_t uarg)
{
	switch (cmd) {
	case L_TCGETS:
		return get_termios(uarg);
	case L_TCSETS:
	case L_TCSETSW:
	case L_TCSETSF:
		return set_termios(uarg, cmd == L_TCSETSF);
	default:
		return tty_misc(cmd, uarg);
	}
}
