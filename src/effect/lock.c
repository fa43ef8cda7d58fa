/*
 * lock.c - serialise runs that write: an flock(2) on /run/mqtune.lock.
 *
 * flock is released by the kernel when the holder dies, so a crashed run
 * never leaves a stale lock.  The holder writes its pid into the file so
 * that the one who waits can say whom it waited for.
 */
#include "mqtune/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) < 0)
		return;	/* the pid is only a courtesy to the next waiter */
}

static long holder_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid = 0;

	if (n > 0) {
		buf[n] = '\0';
		sscanf(buf, "%ld", &pid);
	}
	return pid;
}

/* The lock file cannot be made or opened: not allowed is status 4. */
static int open_failed(const struct mq_root *r, int err, struct mq_diag *d)
{
	char real[2 * MQ_PATH_MAX];

	if (err < 0)
		err = -err;
	if (err != EACCES && err != EPERM)
		return mq_root_fail(r, d, MQ_LOCK_PATH, err);
	mq_root_real_path(r, MQ_LOCK_PATH, real, sizeof(real));
	return mq_diag_set(d, MQ_EXIT_PERM, err,
			   "%s: %s (changes need root, or write access to the sysroot)",
			   real, strerror(err));
}

int mq_lock_take(const struct mq_root *r, long wait_ms, struct mq_diag *d)
{
	long deadline = now_ms() + (wait_ms > 0 ? wait_ms : 0), pid;
	int fd = mq_root_create(r, MQ_LOCK_PATH, O_RDWR | O_NONBLOCK, 0644);
	char real[2 * MQ_PATH_MAX];

	if (fd < 0)
		return open_failed(r, fd, d);
	for (;;) {
		struct timespec pause = { 0, 50 * 1000 * 1000 };

		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			write_pid(fd);
			return fd;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int err = errno;

			close(fd);
			return mq_root_fail(r, d, MQ_LOCK_PATH, err);
		}
		if (now_ms() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	pid = holder_pid(fd);
	close(fd);
	mq_root_real_path(r, MQ_LOCK_PATH, real, sizeof(real));
	if (pid > 0)
		return mq_diag_set(d, MQ_EXIT_LOCKED, EWOULDBLOCK,
				   "%s: held by another mqtune (pid %ld); gave up after %ld ms (see --wait)",
				   real, pid, wait_ms);
	return mq_diag_set(d, MQ_EXIT_LOCKED, EWOULDBLOCK,
			   "%s: held by another mqtune; gave up after %ld ms (see --wait)",
			   real, wait_ms);
}

void mq_lock_release(int fd)
{
	if (fd < 0)
		return;
	/* Forget our pid, so a later waiter never names a finished run. */
	if (ftruncate(fd, 0) < 0) {
		/* nothing to do: the pid is only a courtesy */
	}
	close(fd);	/* closing drops the flock */
}
