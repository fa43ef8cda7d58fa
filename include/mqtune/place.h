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

/* Where a queue's RPS CPUs may come from (--rps-scope). */
enum mq_rps_scope {
	MQ_RPS_SCOPE_NODE = 0,	/* only the NUMA node of the queue's home */
	MQ_RPS_SCOPE_MACHINE,	/* any usable CPU */
};

enum mq_backlog_mode {
	MQ_BACKLOG_AUTO = 0,	/* raise to the link-speed target, never lower */
	MQ_BACKLOG_KEEP,
	MQ_BACKLOG_SET,		/* exactly backlog_value */
};

/* --channels: how many channels to activate. */
enum mq_channels_mode {
	MQ_CHANNELS_AUTO = 0,	/* Sum: min(maximum, the interface's share) */
	MQ_CHANNELS_KEEP,	/* leave the counts as they are */
	MQ_CHANNELS_SET,	/* exactly channels_value */
};

/* --rss: the RSS indirection table. */
enum mq_rss_mode {
	MQ_RSS_AUTO = 0,	/* equal spread when it points at an inactive
				   queue or this run changes the channels */
	MQ_RSS_EQUAL,		/* always the equal spread */
	MQ_RSS_KEEP,		/* never touched */
};

struct mq_policy {
	const struct mq_cpuset *only_cpus;	/* --cpus; NULL = no limit */
	const struct mq_cpuset *exclude_cpus;	/* --exclude-cpus; NULL */
	enum mq_steer_mode rps;
	enum mq_rps_scope rps_scope;		/* --rps-scope (node) */
	enum mq_steer_mode xps;
	enum mq_backlog_mode backlog;
	int64_t backlog_value;
	enum mq_channels_mode channels;
	uint32_t channels_value;		/* MQ_CHANNELS_SET: 1.. */
	enum mq_rss_mode rss;
};

/* RFS: the global socket flow table is raised to at least this. */
#define MQ_RFS_MIN_FLOW_ENTRIES 32768

/*
 * How a CPU got its place in a device's order, and why a queue got its
 * home (bit flags; none set = the first thread of a core of the NIC's own
 * node that no other queue of this run uses).
 */
#define MQ_HOME_SIBLING		0x001u	/* an SMT sibling: no free core left */
#define MQ_HOME_SHARED		0x002u	/* a home of an earlier interface */
#define MQ_HOME_NEAR_ISOLATED	0x004u	/* its core has an isolated,
					   nohz_full or excluded thread */
#define MQ_HOME_OTHER_THREAD	0x008u	/* a new core, but its first thread
					   is not usable: the first free one */
#define MQ_HOME_REMOTE		0x010u	/* not on the NIC's (start) node */
#define MQ_HOME_LOCAL_EMPTY	0x020u	/* ... which has no usable CPU */
#define MQ_HOME_NO_NIC_NODE	0x040u	/* the NIC has no NUMA node: node 0 */
#define MQ_HOME_WRAPPED		0x080u	/* more queues than CPUs: wrapped */
#define MQ_HOME_MANAGED		0x100u	/* its IRQ is kernel-managed: kept */
#define MQ_HOME_NO_NODE		0x200u	/* the CPU belongs to no node */
#define MQ_HOME_SHARED_VECTOR	0x400u	/* its vector is also an earlier
					   interface's (one PCI function):
					   the CPU that interface planned */

struct mq_dev_placement {
	struct mq_cpuset usable;	/* CPUs this device may use */
	/*
	 * Channels (--channels): the counts this run sets, when chan_change;
	 * nr_active_rx is the number of rx queues once they are set (the
	 * current number without a change): what RSS spreads over.
	 */
	bool chan_change;
	struct mq_channels chan_want;
	size_t nr_active_rx;
	char chan_why[200];		/* how the count was chosen, for --explain */
	enum mq_rss_mode rss_mode;	/* the interface's --rss */
	enum mq_channels_mode chan_mode;	/* and its --channels */
	/*
	 * RSS (--rss, core/rss.c): the indirection table this run writes,
	 * dev->rss.size entries, NULL = leave it; rss_reason (static text)
	 * says why it is written or left, NULL when there is nothing to say
	 * (no table known).
	 */
	uint32_t *rss_want;		/* owned */
	const char *rss_reason;
	unsigned int *order;		/* usable CPUs in placement order */
	unsigned int *order_why;	/* parallel to order: MQ_HOME_* bits */
	size_t nr_order;
	size_t sum;			/* min(rx queues, usable CPUs) */
	int start_node;			/* node id the order starts on, -1 */
	int *home;			/* per rx queue: its NET_RX CPU */
	unsigned int *home_why;		/* per rx queue: MQ_HOME_* bits */
	bool rps_used;			/* RPS planned non-empty (section 6) */
	int *irq_cpu;			/* per dev->irqs: planned CPU, -1 = leave */
	bool *irq_managed;		/* per dev->irqs: kernel-managed, left */
	struct mq_cpuset *rps;		/* per rx queue; NULL when rps KEEP */
	size_t nr_rps;
	int64_t *flow_cnt;		/* per rx queue, -1 = leave */
	struct mq_cpuset *xps;		/* per tx queue; NULL when xps KEEP */
	size_t nr_xps;
	/*
	 * Threaded NAPI (core/napi.c, place_napi.h): per dev->napi, the CPU
	 * its kernel thread is pinned to, -1 = leave it (not threaded, no
	 * queue known, or a --sysroot snapshot, where no thread can be).
	 */
	int *napi_cpu;			/* NULL when nr_napi is 0 */
	size_t nr_napi;
	int shares_with;		/* index of the earlier interface whose
					   vectors it shares (same IRQs), -1 */
	size_t warn_first, warn_end;	/* its warnings in the placement's
					   list: [warn_first, warn_end) */
};

/*
 * A warning of the report.  @code is a stable kebab-case id that scripts
 * may match (the list is in docs/policy.md, "Warnings"); @object names
 * what it is about (an interface, "IRQ 45", "--cpus", "irqbalance");
 * @message is the whole sentence, as the text report prints it.
 */
/* Why CPUs are not usable (section 1 of docs/policy.md); online CPUs. */
struct mq_usable_why {
	struct mq_cpuset isolated;	/* online and isolated */
	struct mq_cpuset nohz_full;	/* online and nohz_full */
	struct mq_cpuset excluded;	/* online and in --exclude-cpus */
	struct mq_cpuset outside;	/* online and not in --cpus */
	struct mq_cpuset offline_named;	/* in --cpus but not online */
};

struct mq_placement {
	size_t nr_devs;
	struct mq_dev_placement *devs;	/* parallel to machine->netdevs */
	int64_t backlog;		/* netdev_max_backlog target, -1 leave */
	int64_t backlog_speed;		/* the speed it is for (Mb/s), -1 */
	int64_t flow_entries;		/* rps_sock_flow_entries target, -1 */
	enum mq_rps_scope rps_scope;	/* the policy's */
	struct mq_usable_why why;	/* what made CPUs unusable */
	struct mq_warnings warnings;	/* owned, in report order */
};

/**
 * mq_place_each() - compute the placement for every interface of @m, in
 * the order of m->netdevs (the machine's stable order: earlier interfaces
 * take the free cores first), each under its own policy.
 * @per_dev: parallel to m->netdevs; per_dev[i] is the policy of netdevs[i]
 *
 * Machine-wide values combine over the interfaces (docs/policy.md,
 * "Combining policies"): netdev_max_backlog is the highest target any
 * interface asks for (--backlog N is written exactly, auto only raises,
 * keep has no opinion); rps_sock_flow_entries the highest any interface
 * with RFS wants.  The usable-CPU reasons (out->why) and the RPS scope of
 * the report are those of per_dev[0].
 *
 * Netdevs that share vectors (the same IRQ numbers: one PCI function with
 * two ports) are placed once: a later one's queues sharing an IRQ take
 * the CPU the earlier one planned for it (MQ_HOME_SHARED_VECTOR), with a
 * "shared-vectors" note; its own rx/tx queue files are planned as usual.
 *
 * Return: 0 with @out filled (free with mq_placement_fini), or -1 with
 * @d set (MQ_EXIT_REFUSED when no CPU is usable, naming why).
 */
int mq_place_each(const struct mq_machine *m,
		  const struct mq_policy *const *per_dev,
		  struct mq_placement *out, struct mq_diag *d);

/*
 * mq_place_each() with the policy @p for every interface; with no
 * interface at all, @p's --backlog N still sets the backlog.
 */
int mq_place(const struct mq_machine *m, const struct mq_policy *p,
	     struct mq_placement *out, struct mq_diag *d);
void mq_placement_fini(struct mq_placement *pl);

/*
 * Add a warning to the placement (code and object are copied, cut to fit;
 * the message is formatted).  0, or -1 when out of memory.
 */
int mq_placement_warn(struct mq_placement *pl, const char *code,
		      const char *object, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The backlog target for a link speed in Mb/s (0 = no opinion). */
int64_t mq_backlog_for_speed(int64_t speed_mbps);

#endif /* MQTUNE_PLACE_H */
