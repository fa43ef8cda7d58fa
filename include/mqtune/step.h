/*
 * step.h - carry out, and undo, the changes of a plan that are not file
 * writes: channel counts and the RSS table (ethtool), a NAPI thread's
 * CPU affinity (sched_setaffinity).
 *
 * Each works on a live system only; in a sysroot discovery gives the
 * planner nothing to plan them from, and these return -EOPNOTSUPP.
 * Errors are negative errno values, as mq_root's are; the extack text of
 * a netlink refusal, when the kernel gave one, goes to @why.
 */
#ifndef MQTUNE_STEP_H
#define MQTUNE_STEP_H

#include <stddef.h>

#include "mqtune/plan.h"
#include "mqtune/root.h"

/* Save what @c will replace (into c->step's saved fields). 0 or -errno. */
int mq_step_save(const struct mq_root *r, struct mq_change *c,
		 char *why, size_t cap);
/* Make the change.  0 or -errno. */
int mq_step_write(const struct mq_root *r, struct mq_change *c,
		  char *why, size_t cap);
/* Put back what was saved.  0 or -errno. */
int mq_step_restore(const struct mq_root *r, const struct mq_change *c,
		    char *why, size_t cap);

/* The parts, one file each (src/effect/step_*.c). */
int mq_step_channels_save(struct mq_change *c, char *why, size_t cap);
int mq_step_channels_write(struct mq_change *c, char *why, size_t cap);
int mq_step_channels_restore(const struct mq_change *c, char *why, size_t cap);
int mq_step_rss_save(struct mq_change *c, char *why, size_t cap);
int mq_step_rss_write(struct mq_change *c, char *why, size_t cap);
int mq_step_rss_restore(const struct mq_change *c, char *why, size_t cap);
/* The NAPI step reads /proc/PID/comm through @r (is the pid still that
 * thread?), so it takes the root too. */
int mq_step_napi_save(const struct mq_root *r, struct mq_change *c,
		      char *why, size_t cap);
int mq_step_napi_write(const struct mq_root *r, struct mq_change *c,
		       char *why, size_t cap);
int mq_step_napi_restore(const struct mq_root *r, const struct mq_change *c,
			 char *why, size_t cap);

#endif /* MQTUNE_STEP_H */
