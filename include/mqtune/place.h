/*
 * place.h - the placement policy: which CPU serves which queue.
 *
 * Pure: a function of the discovered model and the options, with no I/O,
 * so that it can be tested on machines of any shape (docs/policy.md).
 */
#ifndef MQTUNE_PLACE_H
#define MQTUNE_PLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/cpuset.h"
#include "mqtune/diag.h"
#include "mqtune/model.h"

enum mq_steer_mode {
	MQ_STEER_AUTO = 0,	/* plan it */
	MQ_STEER_OFF,		/* clear it (empty masks) */
	MQ_STEER_KEEP,		/* leave it as it is */
};

enum mq_backlog_mode {
	MQ_BACKLOG_AUTO = 0,	/* raise to the link-speed target, never lower */
	MQ_BACKLOG_KEEP,
	MQ_BACKLOG_SET,		/* exactly backlog_value */
};

struct mq_policy {
	const struct mq_cpuset *only_cpus;	/* --cpus; NULL = no limit */
	const struct mq_cpuset *exclude_cpus;	/* --exclude-cpus; NULL */
	enum mq_steer_mode rps;
	enum mq_steer_mode xps;
	enum mq_backlog_mode backlog;
	int64_t backlog_value;
};

/* RFS: the global socket flow table is raised to at least this. */
#define MQ_RFS_MIN_FLOW_ENTRIES 32768

struct mq_dev_placement {
	struct mq_cpuset usable;	/* CPUs this device may use */
	unsigned int *order;		/* usable CPUs in placement order */
	size_t nr_order;
	size_t sum;			/* min(rx queues, usable CPUs) */
	int *home;			/* per rx queue: its NET_RX CPU */
	int *irq_cpu;			/* per dev->irqs: planned CPU, -1 = leave */
	bool *irq_managed;		/* per dev->irqs: kernel-managed, left */
	struct mq_cpuset *rps;		/* per rx queue; NULL when rps KEEP */
	size_t nr_rps;
	int64_t *flow_cnt;		/* per rx queue, -1 = leave */
	struct mq_cpuset *xps;		/* per tx queue; NULL when xps KEEP */
	size_t nr_xps;
};

struct mq_placement {
	size_t nr_devs;
	struct mq_dev_placement *devs;	/* parallel to machine->netdevs */
	int64_t backlog;		/* netdev_max_backlog target, -1 leave */
	int64_t flow_entries;		/* rps_sock_flow_entries target, -1 */
	size_t nr_notes;
	char **notes;			/* warnings for the report */
};

/**
 * mq_place() - compute the placement for every interface of @m.
 * Return: 0 with @out filled (free with mq_placement_fini), or -1 with
 * @d set (MQ_EXIT_REFUSED when no CPU is usable, naming why).
 */
int mq_place(const struct mq_machine *m, const struct mq_policy *p,
	     struct mq_placement *out, struct mq_diag *d);
void mq_placement_fini(struct mq_placement *pl);

/* Add a warning to the placement's notes.  0, or -1 when out of memory. */
int mq_placement_note(struct mq_placement *pl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The backlog target for a link speed in Mb/s (0 = no opinion). */
int64_t mq_backlog_for_speed(int64_t speed_mbps);

#endif /* MQTUNE_PLACE_H */
