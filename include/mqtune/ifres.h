/*
 * ifres.h - pure: what an interface name given by the user stands for.
 *
 * A name may be an alternative name (`ip link property add dev eth0
 * altname uplink0`, up to ALTIFNAMSIZ-1 = 127 bytes), which the kernel
 * resolves to one device, and a device may be stacked (bond, team,
 * bridge, VLAN, macvlan, ipvlan) over lower devices, linked in sysfs as
 * /sys/class/net/UPPER/lower_LOWER.  mq_ifres_stack() walks those links
 * down to the leaves, the devices with no lower device of their own;
 * the reading of one device's links is the caller's (stack.h).
 */
#ifndef MQTUNE_IFRES_H
#define MQTUNE_IFRES_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"

#define MQ_ALTIFNAMSIZ 128	/* the kernel's ALTIFNAMSIZ */
#define MQ_STACK_MAX_NEST 8	/* the kernel's MAX_NEST_DEV: devices in
				   one chain, the top one included */

/*
 * A name the user may give: a kernel name or an alternative name, 1 to
 * MQ_ALTIFNAMSIZ-1 bytes, not "." or "..", no '/', ':', white space or
 * control characters.  Only names that also pass mq_ifname_valid() are
 * ever used to build a path.
 */
bool mq_ifres_name_valid(const char *name);

/* A list of kernel interface names, each at most once, in insertion order. */
struct mq_namelist {
	size_t n, cap;
	char (*v)[IFNAMSIZ];	/* owned */
};

/* Whether @name is in @l. */
bool mq_namelist_has(const struct mq_namelist *l, const char *name);
/*
 * Append @name unless it is there already (it must pass
 * mq_ifname_valid()).  0, or -1: ENOMEM or EINVAL in errno.
 */
int mq_namelist_add(struct mq_namelist *l, const char *name);
void mq_namelist_fini(struct mq_namelist *l);

/*
 * The lower devices of @name, as sysfs links them (no order required):
 * appended to @out.  0, or -1 with @d.
 */
typedef int (*mq_lowers_fn)(void *arg, const char *name,
			    struct mq_namelist *out, struct mq_diag *d);

/**
 * mq_ifres_stack() - the leaves below @name: each device reached through
 * lower links that has no lower device itself, once each, in the order
 * first reached (depth first, each device's lowers in the order @lowers
 * gave them).  A device with no lower device is its own only leaf.
 * @out: filled (free with mq_namelist_fini), empty on failure.
 * Return: 0, or -1 with @d: MQ_EXIT_SYSTEM "NAME: stacked devices form a
 * loop: A -> B -> A" for a device below itself, "NAME: stacked deeper than
 * the kernel's 8 levels: A -> B -> ..." for a chain of more than
 * MQ_STACK_MAX_NEST devices; what @lowers set; ENOMEM.
 */
int mq_ifres_stack(const char *name, mq_lowers_fn lowers, void *arg,
		   struct mq_namelist *out, struct mq_diag *d);

/*
 * "bond0 → eth0, eth1" (the report's line: @name, U+2192, the names of
 * @to joined by ", ") into @buf, cut to fit.  Returns @buf.
 */
const char *mq_ifres_format(const char *name, const struct mq_namelist *to,
			    char *buf, size_t cap);

#endif /* MQTUNE_IFRES_H */
