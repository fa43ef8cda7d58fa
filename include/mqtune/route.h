/*
 * route.h - which interface carries the default route.
 */
#ifndef MQTUNE_ROUTE_H
#define MQTUNE_ROUTE_H

#include <net/if.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/root.h"

/**
 * mq_default_route_ifname() - the interface of the IPv4 default route with
 * the lowest metric (/proc/net/route), else of the IPv6 one
 * (/proc/net/ipv6_route).
 * Return: 0 with @buf (IFNAMSIZ bytes) set, or -1 with @d set
 * (MQ_EXIT_NODEV "no default route").
 */
int mq_default_route_ifname(const struct mq_root *r, char buf[IFNAMSIZ],
			    struct mq_diag *d);

#endif /* MQTUNE_ROUTE_H */
