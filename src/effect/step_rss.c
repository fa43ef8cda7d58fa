/*
 * step_rss.c - the RSS indirection table set, and set back (ethtool -X).
 *
 * Only the table: the hash key and function are never sent.  Save reads
 * the table as it is now when the plan brought none; restore writes the
 * saved table back (size 0 saved: the driver's default, a reset).
 */
#include "mqtune/step.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/ethtool.h"

static int errno_of(const struct mq_diag *d, char *why, size_t cap)
{
	snprintf(why, cap, "%s", d->msg);
	return d->err ? -d->err : -EIO;
}

int mq_step_rss_save(struct mq_change *c, char *why, size_t cap)
{
	struct mq_step *st = c->step;
	struct mq_rss now = { 0 };
	struct mq_diag d = { 0 };
	int ret;

	if (st->rss_saved)	/* discovery's table, read under the lock */
		return 0;
	ret = mq_ethtool_get_rss(st->ifname, st->transport, &now, &d);
	if (ret == MQ_ETHTOOL_UNSUPPORTED) {
		snprintf(why, cap, "%s", "the driver has no RSS indirection table");
		return -EOPNOTSUPP;
	}
	if (ret)
		return errno_of(&d, why, cap);
	st->rss_saved = now.table;
	st->rss_saved_size = now.size;
	return 0;
}

int mq_step_rss_write(struct mq_change *c, char *why, size_t cap)
{
	struct mq_diag d = { 0 };

	if (mq_ethtool_set_rss(c->step->ifname, c->step->transport,
			       c->step->rss_want, c->step->rss_size, &d))
		return errno_of(&d, why, cap);
	return 0;
}

int mq_step_rss_restore(const struct mq_change *c, char *why, size_t cap)
{
	struct mq_diag d = { 0 };

	if (mq_ethtool_set_rss(c->step->ifname, c->step->transport,
			       c->step->rss_saved, c->step->rss_saved_size, &d))
		return errno_of(&d, why, cap);
	return 0;
}
