/*
 * stack.h - stacked devices as sysfs links them: the lower devices of an
 * interface (/sys/class/net/NAME/lower_LOWER, made by the kernel's
 * netdev_adjacent_sysfs_add() for bonds, teams, bridge ports, VLANs,
 * macvlans, ipvlans...), and the walk down to the devices below them all.
 */
#ifndef MQTUNE_STACK_H
#define MQTUNE_STACK_H

#include "mqtune/diag.h"
#include "mqtune/ifres.h"
#include "mqtune/root.h"

/*
 * The lower devices of @name, appended to @out sorted by name (an entry
 * lower_X whose X is not a valid interface name is skipped).  A device
 * without the directory or without such entries has none.  0, or -1
 * with @d (ENOMEM; a directory that cannot be listed, status 5).
 * Fits mq_lowers_fn with a const struct mq_root * as @arg.
 */
int mq_stack_lowers(void *root, const char *name, struct mq_namelist *out,
		    struct mq_diag *d);

/*
 * mq_ifres_stack() over the links of @r: the leaves below @name
 * (@name alone when it has no lower device).  0, or -1 with @d.
 */
int mq_stack_resolve(const struct mq_root *r, const char *name,
		     struct mq_namelist *out, struct mq_diag *d);

#endif /* MQTUNE_STACK_H */
