/*
 * poll and ppoll over pipes (readable, writable, end of file, no
 * reader), closed and negative descriptors, timeouts, select, and
 * nanosleep.
 * Prints "poll ok" or the first failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static void
say(const char *s)
{
	write(1, s, strlen(s));
}

static int
fail(const char *what)
{
	say("poll bad: ");
	say(what);
	say("\n");
	return 1;
}

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Poll fd for events without waiting: revents, or -1 on error. */
static int
poll_one(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static int
timeouts(int rd)
{
	struct pollfd p = { .fd = rd, .events = POLLIN };
	struct timespec ts = { 0, 10000000 };
	long long t = now_ns();

	if (poll(&p, 1, 20) != 0 || now_ns() - t < 20000000)
		return fail("a poll of an empty pipe did not time out");
	t = now_ns();
	if (ppoll(&p, 1, &ts, NULL) != 0 || now_ns() - t < 10000000)
		return fail("a ppoll of an empty pipe did not time out");
	t = now_ns();
	if (nanosleep(&ts, NULL) != 0 || now_ns() - t < 10000000)
		return fail("nanosleep was short");
	return 0;
}

static int
odd_fds(void)
{
	struct pollfd p[2] = { { .fd = -1, .events = POLLIN },
			       { .fd = 200, .events = POLLIN } };
	struct pollfd *volatile bad = (struct pollfd *)8;

	if (poll(p, 2, 0) != 1 || p[0].revents || p[1].revents != POLLNVAL)
		return fail("closed or negative descriptors");
	if (poll(bad, 1, 0) != -1 || errno != EFAULT)
		return fail("a bad pointer");
	return 0;
}

static int
selects(void)
{
	struct timeval tv = { 0, 0 };
	fd_set r, w;
	int fds[2];

	if (pipe(fds))
		return fail("pipe");
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fds[0], &r);
	FD_SET(fds[1], &w);
	if (select(fds[1] + 1, &r, &w, NULL, &tv) != 1 ||
	    FD_ISSET(fds[0], &r) || !FD_ISSET(fds[1], &w))
		return fail("select of an empty pipe");
	FD_SET(fds[0], &r);
	if (write(fds[1], "x", 1) != 1 ||
	    select(fds[0] + 1, &r, NULL, NULL, &tv) != 1 ||
	    !FD_ISSET(fds[0], &r))
		return fail("select of a pipe with data");
	FD_ZERO(&r);
	FD_SET(200, &r);
	if (select(201, &r, NULL, NULL, &tv) != -1 || errno != EBADF)
		return fail("select of a closed descriptor");
	close(fds[0]);
	close(fds[1]);
	return 0;
}

int
main(void)
{
	int fds[2], other[2];
	char c;

	if (pipe(fds) || pipe(other))
		return fail("pipe");
	if (poll_one(fds[0], POLLIN) != 0)
		return fail("an empty pipe is readable");
	if (poll_one(fds[1], POLLOUT) != POLLOUT)
		return fail("an empty pipe is not writable");
	if (timeouts(fds[0]))
		return 1;
	if (write(fds[1], "x", 1) != 1 || poll_one(fds[0], POLLIN) != POLLIN)
		return fail("a pipe with data is not readable");
	close(fds[1]);
	if (poll_one(fds[0], POLLIN) != (POLLIN | POLLHUP))
		return fail("data then no writer");
	if (read(fds[0], &c, 1) != 1 || poll_one(fds[0], POLLIN) != POLLHUP)
		return fail("no writer");
	close(other[0]);
	if (poll_one(other[1], POLLOUT) != POLLERR)
		return fail("no reader");
	if (odd_fds() || selects())
		return 1;
	say("poll ok\n");
	return 0;
}
