/*
 * step_rss.c - placeholder until the rss step lands.
 */
#include "mqtune/step.h"

#include <errno.h>

int mq_step_rss_save(struct mq_change *c, char *why, size_t cap)
{
	(void)c; (void)why; (void)cap;
	return -EOPNOTSUPP;
}

int mq_step_rss_write(struct mq_change *c, char *why, size_t cap)
{
	(void)c; (void)why; (void)cap;
	return -EOPNOTSUPP;
}

int mq_step_rss_restore(const struct mq_change *c, char *why, size_t cap)
{
	(void)c; (void)why; (void)cap;
	return -EOPNOTSUPP;
}
