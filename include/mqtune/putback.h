/*
 * putback.h - after a failed run set the channel counts back, the plan
 * that puts the re-created vectors and queues back as they were.
 *
 * Pure.  A driver that changes channel counts frees its vectors and
 * queues and makes new ones with default settings; setting the old
 * counts back does not bring back the old IRQ affinities, RPS, RFS or
 * XPS masks.  This plans them from the machine as it was before the run:
 * vectors matched by name (the numbers may differ), queues by index.
 */
#ifndef MQTUNE_PUTBACK_H
#define MQTUNE_PUTBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/plan.h"

/*
 * The writes that give the interfaces @names (@n of them) of @now what
 * they had in @before.  0, or -1 with @d set (out of memory).
 */
int mq_plan_put_back(const struct mq_machine *before,
		     const struct mq_machine *now, const char *const *names,
		     size_t n, struct mq_plan *out, struct mq_diag *d);

/*
 * After a channel change the interfaces of @steps' channel changes have
 * settled: in @cur they have the rx queues the counts give, and the same
 * vectors as in @prev, the discovery before (drivers free and request
 * them again, some from a work queue).  @saved: compare with the counts
 * set back (chan_saved), not the ones set (chan_want).
 */
bool mq_plan_settled(const struct mq_machine *prev, const struct mq_machine *cur,
		     const struct mq_plan *steps, bool saved);

#endif /* MQTUNE_PUTBACK_H */
