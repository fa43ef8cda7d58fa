/*
 * project.h - the machine as it will be once the planned channel changes
 * are made, for a dry run (and `check`) to place and show.
 *
 * Pure.  An interface whose placement changes its channel counts gets the
 * planned counts, that many rx and tx queues (the existing ones as they
 * are, new ones with empty RPS/XPS masks, as the kernel creates them),
 * its RSS table as it will be (an equal spread when the change had to
 * rewrite it to shrink), and no vectors (irqs_after_change): the driver
 * frees and requests them again, and their numbers are not known before.
 */
#ifndef MQTUNE_PROJECT_H
#define MQTUNE_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/place.h"

/*
 * The projected machine is a shallow view: its topology, sysctls and
 * unchanged interfaces borrow from the machine projected; only what
 * differs is owned here.  Free with mq_projection_fini, never with
 * mq_machine_free.
 */
struct mq_projection {
	struct mq_machine m;
	bool *changed;		/* owned; per interface: projected */
	size_t *old_rxq;	/* owned; per interface: its rx queues before */
	size_t *old_txq;
	uint32_t **rss_owned;	/* owned; per interface: a projected table */
};

/* Whether the placement changes the channels of some interface. */
bool mq_placement_changes_channels(const struct mq_placement *pl);

/*
 * The RSS table that must be in place before the channels of @dev can
 * shrink to @nr_rx rx queues: the kernel refuses to shrink below a queue
 * that a table set by a user names.  True when the current table names a
 * queue >= @nr_rx.
 */
bool mq_rss_blocks_shrink(const struct mq_netdev *dev, size_t nr_rx);

/* 0, or -1 with @d set (out of memory). */
int mq_project_channels(const struct mq_machine *m,
			const struct mq_placement *pl,
			struct mq_projection *out, struct mq_diag *d);
void mq_projection_fini(struct mq_projection *p);

#endif /* MQTUNE_PROJECT_H */
