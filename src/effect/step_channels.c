/*
 * step_channels.c - channel counts set, and set back (ethtool -L).
 */
#include "mqtune/step.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mqtune/ethtool.h"

static int errno_of(const struct mq_diag *d, char *why, size_t cap)
{
	snprintf(why, cap, "%s", d->msg);
	return d->err ? -d->err : -EIO;
}

int mq_step_channels_save(struct mq_change *c, char *why, size_t cap)
{
	struct mq_diag d = { 0 };
	int ret = mq_ethtool_get_channels(c->step->ifname, c->step->transport,
					  &c->step->chan_saved, &d);

	if (ret == MQ_ETHTOOL_UNSUPPORTED) {
		snprintf(why, cap, "%s", "the driver reports no channels");
		return -EOPNOTSUPP;
	}
	return ret ? errno_of(&d, why, cap) : 0;
}

int mq_step_channels_write(struct mq_change *c, char *why, size_t cap)
{
	struct mq_diag d = { 0 };

	if (mq_ethtool_set_channels(c->step->ifname, c->step->transport,
				    &c->step->chan_want, &d))
		return errno_of(&d, why, cap);
	return 0;
}

int mq_step_channels_restore(const struct mq_change *c, char *why, size_t cap)
{
	struct mq_diag d = { 0 };

	if (mq_ethtool_set_channels(c->step->ifname, c->step->transport,
				    &c->step->chan_saved, &d))
		return errno_of(&d, why, cap);
	return 0;
}
