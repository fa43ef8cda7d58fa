/*
 * iflist.h - the network interfaces of the machine, as /sys/class/net
 * lists them, with the few facts that decide which ones mqtune manages.
 */
#ifndef MQTUNE_IFLIST_H
#define MQTUNE_IFLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/root.h"

struct mq_ifentry {
	char name[IFNAMSIZ];
	char driver[64];	/* basename of device/driver, "" */
	char bus_address[64];	/* PCI BDF (virtio: its PCI parent), "" */
	bool has_device;	/* a `device` link: not lo, veth, bridge, tun */
	bool has_queues;	/* rx-0, or an entry in the function's
				   msi_irqs/ (looked at only without rx-0) */
};

/**
 * mq_iflist_read() - every entry of /sys/class/net with a valid name, in
 * directory order (the caller sorts).  An entry whose files vanish while
 * it is read (an interface going away) is left out.
 * Return: 0 with *out owned by the caller (free()), or -1 with @d set.
 */
int mq_iflist_read(const struct mq_root *r, struct mq_ifentry **out,
		   size_t *n, struct mq_diag *d);

#endif /* MQTUNE_IFLIST_H */
