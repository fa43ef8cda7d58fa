/*
 * channels.h - how many channels each interface activates (--channels).
 *
 * Pure: from the discovered counts, each interface's policy and usable
 * CPUs, the counts the run sets (docs/policy.md, "Channels").
 */
#ifndef MQTUNE_CHANNELS_H
#define MQTUNE_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/place.h"

/* Whether mqtune can set @dev's channel counts (a live ethtool source). */
bool mq_channels_settable(const struct mq_netdev *dev);

/* The rx queues @ch gives: combined + rx. */
size_t mq_channels_rx_queues(const struct mq_channels *ch);

/* "combined 4", "rx 4 tx 4": the counts that matter, for reports. */
const char *mq_channels_text(const struct mq_channels *ch, char *buf,
			     size_t cap);

/*
 * The four counts as the state file keeps them, "rx 0 tx 0 other 1
 * combined 8", and back (0, or -1 when @text is not of that form).
 */
const char *mq_channels_state_text(const struct mq_channels *ch, char *buf,
				   size_t cap);
int mq_channels_parse_state(const char *text, struct mq_channels *out);

/* Whether @a and @b set the same counts. */
bool mq_channels_equal(const struct mq_channels *a,
		       const struct mq_channels *b);

/**
 * mq_channels_size() - fill chan_want, chan_change, nr_active_rx and
 * chan_why of every pl->devs[i] (whose `usable` is already set).
 * @group: per interface, the index of its sharing group (interfaces that
 *         split one pool of CPUs: those starting on one NUMA node); -1
 *         for an interface that shares with nobody
 * @pool: per group, the CPUs the group shares
 *
 * auto: Sum = min(the driver's maximum, the interface's share of its
 * group's pool); the pool is split evenly among the interfaces of the
 * group, each asking for at most its maximum (a fixed one: keep, N,
 * counts that cannot be set, for its queues), what one leaves going to
 * the others.  N: exactly N; more than the maximum is
 * refused (MQ_EXIT_USAGE, naming it).  A group of several interfaces gets
 * a "channels-shared" note saying how its CPUs are shared.
 * Return: 0, or -1 with @d set.
 */
int mq_channels_size(const struct mq_machine *m,
		     const struct mq_policy *const *per_dev, const int *group,
		     const struct mq_cpuset *pool, size_t nr_groups,
		     struct mq_placement *pl, struct mq_diag *d);

#endif /* MQTUNE_CHANNELS_H */
