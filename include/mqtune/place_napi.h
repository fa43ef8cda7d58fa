/*
 * place_napi.h - where an interface's threaded NAPI kernel threads go
 * (src/core/napi.c; pure, docs/policy.md "Threaded NAPI").
 *
 * A NAPI thread does the receive work the softirq of the IRQ's CPU does
 * otherwise, so it follows its queue's home: the home of its rx queue; a
 * tx-only NAPI (tx queue q) the home of rx queue q mod the rx queues, the
 * CPU its tx IRQ is placed on.
 */
#ifndef MQTUNE_PLACE_NAPI_H
#define MQTUNE_PLACE_NAPI_H

#include "mqtune/model.h"
#include "mqtune/place.h"

/*
 * The home @th follows (dp->home of its queue, as above), or -1 when it
 * serves no known queue.
 */
int mq_napi_home(const struct mq_netdev *dev,
		 const struct mq_dev_placement *dp,
		 const struct mq_napi_thread *th);

/*
 * Fill dp->napi_cpu and dp->nr_napi (after dp->home): each thread that
 * polls (th->threaded) on a live system (dev->napi_live) gets
 * mq_napi_home(); the others -1.  0, or -1 when out of memory.
 */
int mq_place_napi(const struct mq_netdev *dev, struct mq_dev_placement *dp);

#endif /* MQTUNE_PLACE_NAPI_H */
