/*
 * napi.c - threaded NAPI kernel threads follow their queue's home.
 */
#include "mqtune/place_napi.h"

#include <stdlib.h>

int mq_napi_home(const struct mq_netdev *dev,
		 const struct mq_dev_placement *dp,
		 const struct mq_napi_thread *th)
{
	size_t q;

	if (!dp->home || !dev->nr_rxq)
		return -1;
	if (th->rxq >= 0 && (size_t)th->rxq < dev->nr_rxq)
		q = (size_t)th->rxq;
	else if (th->txq >= 0)
		q = (size_t)th->txq % dev->nr_rxq;
	else
		return -1;
	return dp->home[q];
}

int mq_place_napi(const struct mq_netdev *dev, struct mq_dev_placement *dp)
{
	size_t i;

	dp->napi_cpu = NULL;
	dp->nr_napi = 0;
	if (!dev->nr_napi)
		return 0;
	dp->napi_cpu = malloc(dev->nr_napi * sizeof(*dp->napi_cpu));
	if (!dp->napi_cpu)
		return -1;
	dp->nr_napi = dev->nr_napi;
	for (i = 0; i < dev->nr_napi; i++) {
		const struct mq_napi_thread *th = &dev->napi[i];

		dp->napi_cpu[i] = th->threaded && dev->napi_live ?
				  mq_napi_home(dev, dp, th) : -1;
	}
	return 0;
}
