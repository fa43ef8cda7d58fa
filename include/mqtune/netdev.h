/*
 * netdev.h - facts about one network interface from sysfs.
 */
#ifndef MQTUNE_NETDEV_H
#define MQTUNE_NETDEV_H

#include <stdbool.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/root.h"

/* 1 if mq_ifname_valid(), else 0 with @d: "NAME: invalid interface name". */
int mq_netdev_name_ok(const char *name, struct mq_diag *d);

/**
 * mq_netdev_read() - driver, bus and address, NUMA node, local CPUs, speed,
 * operstate, ifindex and the rx-N/tx-N queues of @ifname.
 * @t: topology (for CPU set capacity and the online CPUs)
 * Return: 0; -1 with @d set: MQ_EXIT_NODEV for a bad name or a missing
 * interface, MQ_EXIT_SYSTEM for an unreadable or malformed file.
 */
int mq_netdev_read(const struct mq_root *r, const struct mq_topo *t,
		   const char *ifname, struct mq_netdev *dev,
		   struct mq_diag *d);

/* Channel counts implied by the queue directories (MQ_CHAN_SYSFS). */
void mq_netdev_sysfs_channels(const struct mq_netdev *dev,
			      struct mq_channels *ch);

#endif /* MQTUNE_NETDEV_H */
