/*
 * step_napi.c - placeholder until the napi step lands.
 */
#include "mqtune/step.h"

#include <errno.h>

int mq_step_napi_save(struct mq_change *c, char *why, size_t cap)
{
	(void)c; (void)why; (void)cap;
	return -EOPNOTSUPP;
}

int mq_step_napi_write(struct mq_change *c, char *why, size_t cap)
{
	(void)c; (void)why; (void)cap;
	return -EOPNOTSUPP;
}

int mq_step_napi_restore(const struct mq_change *c, char *why, size_t cap)
{
	(void)c; (void)why; (void)cap;
	return -EOPNOTSUPP;
}
