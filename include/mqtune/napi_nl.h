/*
 * napi_nl.h - an interface's NAPI instances and which queue each serves,
 * from the "netdev" generic netlink family (src/access/netdev_nl.c).
 *
 * napi-get reports each NAPI's id, its IRQ (when the driver registers
 * it), the pid of its kernel thread (Linux 6.8+, present only while the
 * NAPI is threaded) and, from 6.17, whether the NAPI itself is threaded.
 * queue-get reports the NAPI id of each rx and tx queue.  NAPIs without
 * an id (the tx NAPIs of virtio_net and other drivers that add them with
 * netif_napi_add_tx()) are in neither answer.
 */
#ifndef MQTUNE_NAPI_NL_H
#define MQTUNE_NAPI_NL_H

#include <stddef.h>
#include <sys/types.h>

#include "mqtune/diag.h"

struct mq_napi_info {
	unsigned int id;
	int irq;		/* -1 when not reported */
	pid_t pid;		/* its thread; 0 when none or not reported */
	int threaded;		/* -1 not reported (before 6.17), 0, 1, 2 */
};

struct mq_queue_napi {
	unsigned int queue;
	int is_tx;		/* 0 rx, 1 tx */
	unsigned int napi_id;	/* 0 when the queue names none */
};

/**
 * mq_netdev_napi_list() - the NAPI instances of @ifindex and the NAPI id
 * of each of its queues (two malloc'd arrays the caller frees, in the
 * kernel's dump order).
 * Return: 0; MQ_ETHTOOL_UNSUPPORTED (1) when the kernel has no netdev
 * family or no queue-get/napi-get (both arrays NULL); -1 with @d set.
 */
int mq_netdev_napi_list(int ifindex, struct mq_napi_info **napis, size_t *nn,
			struct mq_queue_napi **queues, size_t *nq,
			struct mq_diag *d);

#endif /* MQTUNE_NAPI_NL_H */
