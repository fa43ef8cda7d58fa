/*
 * diag.h - one-line diagnostics and the process exit statuses.
 *
 * Every failure in mqtune is described by one struct mq_diag: the exit
 * status it maps to, the errno behind it (0 if none) and a message that
 * names the object and the cause.  Only the CLI prints it.
 */
#ifndef MQTUNE_DIAG_H
#define MQTUNE_DIAG_H

#include <stddef.h>

/* Exit statuses; documented in mqtune(8) and `mqtune --help`. */
enum mq_exit {
	MQ_EXIT_OK = 0,		/* success, whether or not anything changed */
	MQ_EXIT_FAILURE = 1,	/* internal error (out of memory, bug) */
	MQ_EXIT_USAGE = 2,	/* bad command line or bad option value */
	MQ_EXIT_NODEV = 3,	/* no such network interface / bad name */
	MQ_EXIT_PERM = 4,	/* permission denied (not root) */
	MQ_EXIT_SYSTEM = 5,	/* sysfs/procfs unreadable or malformed */
	MQ_EXIT_LOCKED = 6,	/* another mqtune holds the lock */
	MQ_EXIT_RESTORED = 7,	/* a write failed; every change was undone */
	MQ_EXIT_PARTIAL = 8,	/* a write failed and undoing failed too */
	MQ_EXIT_REFUSED = 9,	/* policy refused: no usable CPU, irqbalance */
	MQ_EXIT_ETHTOOL = 10,	/* ethtool netlink / ioctl request failed */
	MQ_EXIT_OUTPUT = 11,	/* the report could not be written */
	MQ_EXIT_DRIFT = 12,	/* check: live state differs from the plan */
	MQ_EXIT_LAST = MQ_EXIT_DRIFT
};

#define MQ_DIAG_MSG_MAX 512

struct mq_diag {
	enum mq_exit status;
	int err;			/* errno, 0 if not applicable */
	char msg[MQ_DIAG_MSG_MAX];	/* without the "mqtune: " prefix */
};

/**
 * mq_diag_set() - record a failure.
 * @d: diagnostic to fill (may be NULL: then nothing is recorded)
 * @status: exit status the failure maps to
 * @err: errno behind it, or 0
 *
 * Return: always -1, so callers can write `return mq_diag_set(...)`.
 */
int mq_diag_set(struct mq_diag *d, enum mq_exit status, int err,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reset to "no failure". */
void mq_diag_clear(struct mq_diag *d);

/* Short name of an exit status ("usage", "nodev"...), for --help. */
const char *mq_exit_name(enum mq_exit status);

/* One-line description of an exit status, for --help and the man page. */
const char *mq_exit_describe(enum mq_exit status);

#endif /* MQTUNE_DIAG_H */
