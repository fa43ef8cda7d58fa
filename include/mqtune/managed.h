/*
 * managed.h - which interfaces a run plans for (the managed set), in the
 * machine's stable order, and which of them this run applies or checks.
 *
 * The placement is a property of the machine: discovery and placement run
 * over the whole managed set (plus the interfaces named on the command
 * line that are outside it, after it), so the plan of an interface never
 * depends on which interfaces one run names or in which order.
 */
#ifndef MQTUNE_MANAGED_H
#define MQTUNE_MANAGED_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/cli.h"
#include "mqtune/diag.h"
#include "mqtune/iflist.h"

struct mq_ifset {
	size_t nr;			/* interfaces to discover and place */
	size_t nr_managed;		/* the first nr_managed: the managed set */
	char (*names)[IFNAMSIZ];	/* owned, in machine order */
	const char **ptrs;		/* owned: ptrs[i] = names[i] */
	bool *selected;			/* owned, parallel: this run's part */
	size_t nr_selected;
};

/*
 * The one choice of which interfaces are managed when none is named: a
 * physical interface with queue vectors (a device link, and MSI/MSI-X
 * vectors or rx queues).  Never lo, veth, bridges or tunnels.
 */
bool mq_managed_wants(const struct mq_ctx *ctx, const struct mq_ifentry *e);

/*
 * The order between NICs, stable across reboots and independent of the
 * command line and of ifindex: by bus address (PCI BDF; virtio: its PCI
 * function), then by name; interfaces without a bus address after those
 * with one, by name.  <0, 0, >0 like strcmp.
 */
int mq_ifentry_cmp(const struct mq_ifentry *a, const struct mq_ifentry *b);

/**
 * mq_managed_set() - the interfaces of this run.
 * @all: --all: the run's part is the whole managed set
 * Otherwise the part is the names given (a name given twice counts once),
 * or the default-route interface when none is given.  Names outside the
 * managed set follow it, in the same stable order among themselves.
 * Return: 0 (free with mq_ifset_fini), or -1 with @d set.
 */
int mq_managed_set(struct mq_ctx *ctx, bool all, struct mq_ifset *out,
		   struct mq_diag *d);
void mq_ifset_fini(struct mq_ifset *s);

#endif /* MQTUNE_MANAGED_H */
