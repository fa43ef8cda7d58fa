/*
 * diag.c - recording failures, and the names and meanings of the exit
 * statuses.
 *
 * Library code never prints: it fills one struct mq_diag and returns -1,
 * and the CLI decides how to show it.  The status names and descriptions
 * live here, in one table, so that --help, the man page and the tests all
 * read the same text.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mqtune/diag.h"

static const struct {
	const char *name;
	const char *text;
} exit_info[] = {
	[MQ_EXIT_OK] = { "ok", "success, whether or not anything had to change" },
	[MQ_EXIT_FAILURE] = { "failure", "internal error (out of memory or a bug)" },
	[MQ_EXIT_USAGE] = { "usage", "bad command line or bad option value" },
	[MQ_EXIT_NODEV] = { "nodev", "no such network interface, or a bad name" },
	[MQ_EXIT_PERM] = { "perm", "permission denied (changes need root)" },
	[MQ_EXIT_SYSTEM] = { "system",
			     "a sysfs or procfs file was unreadable or malformed" },
	[MQ_EXIT_LOCKED] = { "locked", "another mqtune is running and holds the lock" },
	[MQ_EXIT_RESTORED] = { "restored",
			       "a write failed; every change already made was undone" },
	[MQ_EXIT_PARTIAL] = { "partial",
			      "a write failed and undoing the changes failed too" },
	[MQ_EXIT_REFUSED] = { "refused",
			      "refused by policy (no usable CPU, or irqbalance is running)" },
	[MQ_EXIT_ETHTOOL] = { "ethtool", "an ethtool netlink or ioctl request failed" },
	[MQ_EXIT_OUTPUT] = { "output",
			     "the report could not be written (anything applied stays applied)" },
	[MQ_EXIT_DRIFT] = { "drift",
			    "check: the live state differs from the plan (each value is listed)" },
};

#define NR_EXIT (sizeof(exit_info) / sizeof(exit_info[0]))

int mq_diag_set(struct mq_diag *d, enum mq_exit status, int err,
		const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return -1;
	d->status = status;
	d->err = err;
	va_start(ap, fmt);
	/* vsnprintf truncates and terminates; an encoding error leaves "". */
	if (vsnprintf(d->msg, sizeof(d->msg), fmt, ap) < 0)
		d->msg[0] = '\0';
	va_end(ap);
	return -1;
}

void mq_diag_clear(struct mq_diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
}

const char *mq_exit_name(enum mq_exit status)
{
	if ((unsigned int)status >= NR_EXIT)
		return "unknown";
	return exit_info[status].name;
}

const char *mq_exit_describe(enum mq_exit status)
{
	if ((unsigned int)status >= NR_EXIT)
		return "unknown exit status";
	return exit_info[status].text;
}
