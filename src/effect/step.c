/*
 * step.c - the changes that are not file writes, by kind.
 */
#include "mqtune/step.h"

#include <errno.h>
#include <stdio.h>

static bool live(const struct mq_root *r, const struct mq_change *c,
		 char *why, size_t cap)
{
	if (r->live && c->step)
		return true;
	snprintf(why, cap, "%s", "not possible in a sysroot");
	return false;
}

int mq_step_save(const struct mq_root *r, struct mq_change *c,
		 char *why, size_t cap)
{
	if (!live(r, c, why, cap))
		return -EOPNOTSUPP;
	switch (c->target) {
	case MQ_T_CHANNELS:
		return mq_step_channels_save(c, why, cap);
	case MQ_T_RSS:
		return mq_step_rss_save(c, why, cap);
	case MQ_T_NAPI_AFFINITY:
		return mq_step_napi_save(r, c, why, cap);
	default:
		return -EINVAL;
	}
}

int mq_step_write(const struct mq_root *r, struct mq_change *c,
		  char *why, size_t cap)
{
	if (!live(r, c, why, cap))
		return -EOPNOTSUPP;
	switch (c->target) {
	case MQ_T_CHANNELS:
		return mq_step_channels_write(c, why, cap);
	case MQ_T_RSS:
		return mq_step_rss_write(c, why, cap);
	case MQ_T_NAPI_AFFINITY:
		return mq_step_napi_write(r, c, why, cap);
	default:
		return -EINVAL;
	}
}

int mq_step_restore(const struct mq_root *r, const struct mq_change *c,
		    char *why, size_t cap)
{
	if (!live(r, c, why, cap))
		return -EOPNOTSUPP;
	switch (c->target) {
	case MQ_T_CHANNELS:
		return mq_step_channels_restore(c, why, cap);
	case MQ_T_RSS:
		return mq_step_rss_restore(c, why, cap);
	case MQ_T_NAPI_AFFINITY:
		return mq_step_napi_restore(r, c, why, cap);
	default:
		return -EINVAL;
	}
}
