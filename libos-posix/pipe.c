/*
 * Pipes: rings in the instance's pool (posix/launch.h), which every
 * process maps, with counts of readers and writers so a reader sees the
 * end of the data once every writer closed and a writer gets EPIPE once
 * no reader is left.  A blocked reader or writer waits in posix_block
 * (wait.c); a signal with a handler interrupts it.
 */
#include <exo/string.h>

#include "posix.h"

#define PIPE_CHUNK POSIX_PIPE_BUF /* a ring at a time */

static struct posix_pipe *
pipe_at(uint32_t p)
{
	return &proc.pool->pipes[p % POSIX_NPIPES];
}

/* The ring's bytes, mapped here: NULL if they cannot be. */
static char *
ring(const struct posix_pipe *pp)
{
	if (!pp->off || !pool_map(pp->off, POSIX_PIPE_BUF))
		return NULL;
	return (char *)proc.pool + pp->off;
}

void
pipe_ref(uint32_t p, bool writer, int delta)
{
	struct posix_pipe *pp = pipe_at(p);

	pool_lock();
	if (writer)
		pp->writers += (uint32_t)delta;
	else
		pp->readers += (uint32_t)delta;
	posix_wake_set(pp->waiters);
	pool_unlock();
}

/* A free pipe with one reader and one writer, its ring taken from the
 * pool's heap on the slot's first use: its index, -ENFILE or -ENOMEM. */
static long
pipe_new(void)
{
	struct posix_pool *pool = proc.pool;
	long r = -L_ENFILE;

	pool_lock();
	for (uint32_t i = 0; i < POSIX_NPIPES; i++) {
		struct posix_pipe *pp = &pool->pipes[i];

		if (pp->readers || pp->writers)
			continue;
		if (!pp->off) {
			if (pool->heap + POSIX_PIPE_BUF > pool->npages * PAGE) {
				r = -L_ENOMEM;
				break;
			}
			pp->off = pool->heap;
			pool->heap += POSIX_PIPE_BUF;
		}
		pp->readers = pp->writers = 1;
		pp->head = pp->tail = 0;
		memset(pp->waiters, 0, sizeof(pp->waiters));
		r = i;
		break;
	}
	pool_unlock();
	return r;
}

/* Take up to n bytes out of the ring into buf: how many.  (At most two
 * runs: up to the ring's end, then from its start.) */
static uint32_t
take(struct posix_pipe *pp, const char *buf_ring, char *buf, uint32_t n)
{
	uint32_t have = pp->head - pp->tail, at = pp->tail % POSIX_PIPE_BUF;
	uint32_t first;

	if (n > have)
		n = have;
	first = n < POSIX_PIPE_BUF - at ? n : POSIX_PIPE_BUF - at;
	memcpy(buf, buf_ring + at, first);
	memcpy(buf + first, buf_ring, n - first);
	pp->tail += n;
	return n;
}

/* Put up to n bytes of buf into the ring: how many. */
static uint32_t
put(struct posix_pipe *pp, char *buf_ring, const char *buf, uint32_t n)
{
	uint32_t room = POSIX_PIPE_BUF - (pp->head - pp->tail);
	uint32_t at = pp->head % POSIX_PIPE_BUF, first;

	if (n > room)
		n = room;
	first = n < POSIX_PIPE_BUF - at ? n : POSIX_PIPE_BUF - at;
	memcpy(buf_ring + at, buf, first);
	memcpy(buf_ring, buf + first, n - first);
	pp->head += n;
	return n;
}

long
pipe_read(uint32_t p, uint64_t ubuf, uint64_t n, bool nonblock)
{
	struct posix_pipe *pp = pipe_at(p);
	char chunk[PIPE_CHUNK], *r = ring(pp);
	uint32_t got;
	bool writers;

	if (!r)
		return -L_EIO;
	if (!n)
		return 0;
	if (!vm_user_ok(ubuf, n, L_PROT_WRITE))
		return -L_EFAULT;
	for (;;) {
		uint32_t seq = posix_wake_seq();

		pool_lock();
		got = take(pp, r, chunk,
			   n < PIPE_CHUNK ? (uint32_t)n : PIPE_CHUNK);
		writers = pp->writers > 0;
		if (got)
			posix_wake_set(pp->waiters);
		else if (writers && !nonblock)
			posix_wait_on(pp->waiters);
		pool_unlock();
		if (got || !writers)
			break;
		if (nonblock)
			return -L_EAGAIN;
		if (posix_block(seq, UINT64_MAX, 0) == -L_ERESTARTSYS)
			return -L_ERESTARTSYS;
	}
	memcpy((void *)(uintptr_t)ubuf, chunk, got);
	return got;
}

/* Write all of the program's [ubuf, ubuf + n) unless nonblock: what
 * went in, or -EPIPE (no reader), -EAGAIN, -EFAULT when nothing did. */
long
pipe_write(uint32_t p, uint64_t ubuf, uint64_t n, bool nonblock)
{
	struct posix_pipe *pp = pipe_at(p);
	char chunk[PIPE_CHUNK], *r = ring(pp);
	long done = 0;

	if (!r)
		return -L_EIO;
	while ((uint64_t)done < n) {
		uint32_t k = n - (uint64_t)done < PIPE_CHUNK
				     ? (uint32_t)(n - (uint64_t)done)
				     : PIPE_CHUNK;
		uint32_t put_n = 0;
		bool readers;

		if (copy_in(chunk, ubuf + (uint64_t)done, k) < 0)
			return done ? done : -L_EFAULT;
		for (;;) {
			uint32_t seq = posix_wake_seq();

			pool_lock();
			readers = pp->readers > 0;
			if (readers)
				put_n = put(pp, r, chunk, k);
			if (put_n)
				posix_wake_set(pp->waiters);
			else if (readers && !nonblock)
				posix_wait_on(pp->waiters);
			pool_unlock();
			if (!readers) {
				signal_raise(L_SIGPIPE);
				return done ? done : -L_EPIPE;
			}
			if (put_n || nonblock)
				break;
			if (posix_block(seq, UINT64_MAX, 0) == -L_ERESTARTSYS)
				return done ? done : -L_ERESTARTSYS;
		}
		if (!put_n)
			return done ? done : -L_EAGAIN;
		done += put_n;
	}
	return done;
}

/* pipe2(fds, flags): fds[0] reads, fds[1] writes. */
static long
do_pipe(uint64_t ufds, uint64_t flags)
{
	struct posix_ofd rd = { .kind = FD_PIPE_R, .flags = L_O_RDONLY };
	struct posix_ofd wr = { .kind = FD_PIPE_W, .flags = L_O_WRONLY };
	int32_t fds[2];
	long p, r;

	if (flags & ~(uint64_t)(L_O_CLOEXEC | L_O_NONBLOCK))
		return -L_EINVAL;
	if (!vm_user_ok(ufds, sizeof(fds), L_PROT_WRITE))
		return -L_EFAULT;
	p = pipe_new();
	if (p < 0)
		return p;
	rd.obj = wr.obj = (uint32_t)p;
	rd.flags |= (uint32_t)flags & L_O_NONBLOCK;
	wr.flags |= (uint32_t)flags & L_O_NONBLOCK;
	r = fd_install(&rd, 0, flags & L_O_CLOEXEC);
	if (r < 0) {
		pipe_ref((uint32_t)p, false, -1);
		pipe_ref((uint32_t)p, true, -1);
		return r;
	}
	fds[0] = (int32_t)r;
	r = fd_install(&wr, 0, flags & L_O_CLOEXEC);
	if (r < 0) {
		fd_close((uint64_t)fds[0]); /* drops the reader */
		pipe_ref((uint32_t)p, true, -1);
		return r;
	}
	fds[1] = (int32_t)r;
	return copy_out(ufds, fds, sizeof(fds));
}

POSIX_SYS(pipe)
{
	return do_pipe(a[0], 0);
}

POSIX_SYS(pipe2)
{
	return do_pipe(a[0], a[1]);
}

int16_t
pipe_poll(uint32_t p, bool writer)
{
	struct posix_pipe *pp = pipe_at(p);
	int16_t ev = 0;

	pool_lock();
	if (writer) {
		if (!pp->readers)
			ev = L_POLLERR;
		else if (pp->head - pp->tail < POSIX_PIPE_BUF)
			ev = L_POLLOUT;
	} else {
		if (pp->head != pp->tail)
			ev = L_POLLIN;
		if (!pp->writers)
			ev |= L_POLLHUP;
	}
	/* A poll that waits hears of the pipe's next change. */
	posix_wait_on(pp->waiters);
	pool_unlock();
	return ev;
}
