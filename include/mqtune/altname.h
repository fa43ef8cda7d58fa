/*
 * altname.h - alternative interface names (`ip link property add dev eth0
 * altname uplink0`) resolved to the kernel name through rtnetlink:
 * RTM_GETLINK with IFLA_ALT_IFNAME on a plain NETLINK_ROUTE socket, in
 * the caller's network namespace.  Live systems only: a --sysroot has no
 * kernel to ask (the caller does not call it there).
 */
#ifndef MQTUNE_ALTNAME_H
#define MQTUNE_ALTNAME_H

#include "mqtune/diag.h"
#include "mqtune/model.h"

/**
 * mq_altname_resolve() - the kernel name of the interface whose
 * alternative name (or name) is @name.
 * @out: the name the kernel reports (IFLA_IFNAME), checked with
 *       mq_ifname_valid() before it is given back
 * Return: 1 with @out set; 0 when no interface has that name (ENODEV, or
 * EINVAL from a kernel before 5.5, which has no alternative names); -1
 * with @d (MQ_EXIT_SYSTEM "rtnetlink: NAME: CAUSE") when the request
 * failed otherwise.
 */
int mq_altname_resolve(const char *name, char out[IFNAMSIZ],
		       struct mq_diag *d);

#endif /* MQTUNE_ALTNAME_H */
