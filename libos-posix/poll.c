/*
 * poll, ppoll, select and pselect6 over the console's terminal, pipes
 * and files.  A poll that finds nothing ready waits in posix_block
 * (wait.c) and looks again, until its timeout or a signal's handler
 * (-EINTR: poll is never restarted, as on Linux once a handler ran).
 */
#include <exo/string.h>

#include "posix.h"

#define POLL_MAX POSIX_NFD

/* Wait for something to change: 0 (look again), 1 (the timeout
 * passed) or -EINTR. */
static long
wait_more(uint32_t seq, int64_t timeout_ns, uint64_t deadline)
{
	long r = posix_block(seq, timeout_ns < 0 ? UINT64_MAX : deadline, 0);

	if (r == -L_ETIMEDOUT)
		return 1;
	return r == -L_ERESTARTSYS ? -L_EINTR : 0;
}

/* What is ready on fd now, of events (and the errors poll always
 * reports). */
static int16_t
ready(int32_t fd, int16_t events)
{
	const struct posix_ofd *d;
	int16_t ev;

	if (fd < 0)
		return 0;
	d = fd_get((uint64_t)fd);
	if (!d)
		return L_POLLNVAL;
	switch (d->kind) {
	case FD_CONSOLE:
		ev = L_POLLOUT;
		if ((events & L_POLLIN) && tty_readable())
			ev |= L_POLLIN;
		break;
	case FD_PIPE_R:
	case FD_PIPE_W:
		ev = pipe_poll(d->obj, d->kind == FD_PIPE_W);
		break;
	default:
		ev = L_POLLIN | L_POLLOUT;
		break;
	}
	return ev & (events | L_POLLERR | L_POLLHUP | L_POLLNVAL);
}

/* Poll the program's nfds pollfds at ufds for timeout_ns (forever if
 * negative): how many have events, or an error. */
static long
do_poll(uint64_t ufds, uint64_t nfds, int64_t timeout_ns)
{
	struct l_pollfd fds[POLL_MAX];
	uint64_t deadline = (uint64_t)exo_clock_ns() + (uint64_t)timeout_ns;
	long n, r;

	if (nfds > POLL_MAX)
		return -L_EINVAL;
	if (copy_in(fds, ufds, nfds * sizeof(fds[0])) < 0)
		return -L_EFAULT;
	for (;;) {
		uint32_t seq = posix_wake_seq();

		n = 0;
		for (uint64_t i = 0; i < nfds; i++) {
			fds[i].revents = ready(fds[i].fd, fds[i].events);
			n += fds[i].revents != 0;
		}
		if (n || (r = wait_more(seq, timeout_ns, deadline)) > 0)
			break;
		if (r < 0)
			return r;
	}
	if (copy_out(ufds, fds, nfds * sizeof(fds[0])) < 0)
		return -L_EFAULT;
	return n;
}

/* poll(fds, nfds, timeout in ms, negative for none) */
POSIX_SYS(poll)
{
	int32_t ms = (int32_t)a[2];

	return do_poll(a[0], a[1], ms < 0 ? -1 : (int64_t)ms * 1000000);
}

/* The timeout at the program's timespec uts (none: -1) into *ns: 0,
 * -EFAULT or -EINVAL. */
static long
timeout_of(uint64_t uts, int64_t *ns)
{
	uint64_t t;
	long r;

	*ns = -1;
	if (!uts)
		return 0;
	r = copy_in_timespec(uts, &t);
	if (!r)
		*ns = (int64_t)t;
	return r;
}

/* ppoll(fds, nfds, timeout or NULL, sigmask, size): the mask is in
 * force while it waits. */
POSIX_SYS(ppoll)
{
	int64_t ns;
	long r = timeout_of(a[2], &ns);

	if (!r)
		r = signal_wait_mask(a[3], a[4]);
	return r < 0 ? r : do_poll(a[0], a[1], ns);
}

/* The three fd_sets of select: read, write, except. */
struct fdsets {
	uint64_t bits[3][L_FD_SETSIZE / 64];
};

static bool
isset(const struct fdsets *s, int set, uint64_t fd)
{
	return s->bits[set][fd / 64] >> (fd % 64) & 1;
}

/* One look at the fds of in below nfds: how many bits out has. */
static long
select_once(const struct fdsets *in, uint64_t nfds, struct fdsets *out)
{
	long n = 0;

	memset(out, 0, sizeof(*out));
	for (uint64_t fd = 0; fd < nfds; fd++) {
		bool r = isset(in, 0, fd), w = isset(in, 1, fd);
		int16_t ev;

		if (!r && !w && !isset(in, 2, fd))
			continue;
		ev = ready((int32_t)fd, L_POLLIN | L_POLLOUT);
		if (ev & L_POLLNVAL)
			return -L_EBADF;
		if (r && (ev & (L_POLLIN | L_POLLHUP | L_POLLERR))) {
			out->bits[0][fd / 64] |= 1ull << (fd % 64);
			n++;
		}
		if (w && (ev & (L_POLLOUT | L_POLLERR))) {
			out->bits[1][fd / 64] |= 1ull << (fd % 64);
			n++;
		}
	}
	return n;
}

/* select over the program's fd_sets u[3] (each may be 0) for timeout_ns
 * (forever if negative): how many bits are set, or an error.  The
 * timeout left is not written back. */
static long
do_select(uint64_t nfds, const uint64_t u[3], int64_t timeout_ns)
{
	struct fdsets in = { 0 }, out;
	uint64_t deadline = (uint64_t)exo_clock_ns() + (uint64_t)timeout_ns;
	uint64_t bytes = (nfds + 63) / 64 * 8;
	long n, r;

	if (nfds > L_FD_SETSIZE)
		return -L_EINVAL;
	for (int i = 0; i < 3; i++)
		if (u[i] && copy_in(in.bits[i], u[i], bytes) < 0)
			return -L_EFAULT;
	for (;;) {
		uint32_t seq = posix_wake_seq();

		n = select_once(&in, nfds, &out);
		if (n || (r = wait_more(seq, timeout_ns, deadline)) > 0)
			break;
		if (r < 0)
			return r;
	}
	for (int i = 0; n >= 0 && i < 3; i++)
		if (u[i] && copy_out(u[i], out.bits[i], bytes) < 0)
			return -L_EFAULT;
	return n;
}

/* select(nfds, readfds, writefds, exceptfds, timeval or NULL) */
POSIX_SYS(select)
{
	struct l_timeval tv;

	if (!a[4])
		return do_select(a[0], &a[1], -1);
	if (copy_in(&tv, a[4], sizeof(tv)) < 0)
		return -L_EFAULT;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -L_EINVAL;
	return do_select(a[0], &a[1],
			 tv.tv_sec * 1000000000 + tv.tv_usec * 1000);
}

/* pselect6(nfds, readfds, writefds, exceptfds, timespec or NULL,
 * {sigmask, size} or NULL): the mask is in force while it waits. */
POSIX_SYS(pselect6)
{
	uint64_t m[2] = { 0, 8 };
	int64_t ns;
	long r = timeout_of(a[4], &ns);

	if (r < 0)
		return r;
	if (a[5] && copy_in(m, a[5], sizeof(m)) < 0)
		return -L_EFAULT;
	r = signal_wait_mask(m[0], m[1]);
	return r < 0 ? r : do_select(a[0], &a[1], ns);
}
