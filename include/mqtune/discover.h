/*
 * discover.h - build the whole model of the machine and its interfaces.
 */
#ifndef MQTUNE_DISCOVER_H
#define MQTUNE_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/model.h"
#include "mqtune/root.h"

struct mq_discover_opts {
	enum mq_ethtool_transport transport;
	/*
	 * Read only what a real `auto` run needs: no core and package ids,
	 * and effective affinity only of kernel-managed IRQs (the rest is
	 * read back after writing).  Saves a third of the opens at scale.
	 */
	bool lean;
};

/**
 * mq_discover() - topology, then for each interface its device facts,
 * channels (ethtool on a live system; the queue directories in a sysroot
 * or when the driver reports none), vectors and current settings; then
 * the sysctls and irqbalance.  Every name is validated before any path is
 * built.
 * Return: 0 with *out owned by the caller (mq_machine_free), or -1 with
 * @d set and *out NULL.
 */
int mq_discover(const struct mq_root *r, const struct mq_discover_opts *o,
		const char *const *ifnames, size_t n, struct mq_machine **out,
		struct mq_diag *d);

#endif /* MQTUNE_DISCOVER_H */
