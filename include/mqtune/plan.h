/*
 * plan.h - the placement turned into the list of file writes it needs.
 *
 * Pure: compares the placement with the current state in the model and
 * keeps only what differs (compared as CPU sets and numbers, as the kernel
 * will store them), so a second run on an unchanged system plans nothing.
 */
#ifndef MQTUNE_PLAN_H
#define MQTUNE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/ethtool_transport.h"
#include "mqtune/model.h"
#include "mqtune/place.h"

enum mq_target {
	MQ_T_IRQ_AFFINITY,	/* /proc/irq/N/smp_affinity_list */
	MQ_T_RPS_CPUS,		/* rx-N/rps_cpus */
	MQ_T_RPS_FLOW_CNT,	/* rx-N/rps_flow_cnt */
	MQ_T_XPS_CPUS,		/* tx-N/xps_cpus */
	MQ_T_SYSCTL,		/* /proc/sys/net/core/... */
	/* Steps that are not a file write (change.step set, path ""): */
	MQ_T_CHANNELS,		/* ethtool -L: channel counts */
	MQ_T_RSS,		/* ethtool -X: the RSS indirection table */
	MQ_T_NAPI_AFFINITY,	/* a threaded NAPI kthread's CPU affinity */
};

/*
 * What a step that is not a file write needs to do and undo it (step.h
 * carries it out).  Owned by its change.
 */
struct mq_step {
	char ifname[IFNAMSIZ];
	int ifindex;
	enum mq_ethtool_transport transport;	/* the one discovery used */
	/* MQ_T_CHANNELS */
	struct mq_channels chan_want, chan_saved;
	/* MQ_T_RSS: rss_size 0 in rss_want = reset to the driver's default */
	uint32_t rss_size, rss_saved_size;
	uint32_t *rss_want, *rss_saved;		/* owned */
	/* MQ_T_NAPI_AFFINITY: the CPUs are the change's value (a list) */
	pid_t pid;
};

enum mq_change_state {
	MQ_CH_PLANNED = 0,	/* not written (dry run, or not reached) */
	MQ_CH_APPLIED,		/* written and read back */
	MQ_CH_FAILED,		/* the write that failed */
	MQ_CH_RESTORED,		/* written, then undone */
	MQ_CH_RESTORE_FAILED,	/* written, and undoing it failed */
};

#define MQ_CHANGE_PATH_MAX 160

struct mq_change {
	enum mq_target target;
	int dev;			/* index into machine->netdevs, -1 */
	size_t index;			/* irq index (affinity) or queue */
	char path[MQ_CHANGE_PATH_MAX];	/* kernel path written */
	char object[96];		/* "eth0 IRQ 45", "eth0 rx-3 rps_cpus" */
	char *value;			/* exactly what is written */
	char *old_display;		/* "0-63", "1000" */
	char *new_display;
	char *saved;			/* raw previous contents, for undo (from
					   discovery, or read by apply) */
	struct mq_step *step;		/* owned; NULL for a file write */
	/* Filled in by apply. */
	enum mq_change_state state;
	size_t saved_len;
	int err;			/* errno of the failed write */
	char *err_text;			/* owned: the kernel's words for a
					   failed step (netlink extack), NULL */
	bool pending;			/* effective affinity not moved yet */
};

struct mq_plan {
	unsigned int nr_cpu_ids;	/* capacity for reading sets back */
	size_t nr;
	struct mq_change *changes;	/* owned; in write order */
};

/**
 * mq_plan_build() - the writes that make the system match @pl.
 * Order: per interface the IRQ affinities, then per rx queue its RPS mask
 * and RFS flow count, then the XPS masks, then its threaded NAPI threads'
 * affinities (MQ_T_NAPI_AFFINITY: object "eth0 napi/eth0-8193", value a
 * CPU list, saved the Cpus_allowed_list text discovery read, index the
 * thread's in dev->napi); then the sysctls.  An IRQ that
 * several interfaces list (shared vectors) is planned once, with the
 * first.  Return: 0, or -1 with @d set (out of memory).
 */
int mq_plan_build(const struct mq_machine *m, const struct mq_placement *pl,
		  struct mq_plan *out, struct mq_diag *d);
void mq_plan_fini(struct mq_plan *plan);
/* Release every change from the @nr th on: @plan keeps its first @nr. */
void mq_plan_truncate(struct mq_plan *plan, size_t nr);

/*
 * The part of a machine-wide placement that one run applies or checks:
 * the selected interfaces only, as a machine and a placement of their
 * own (shallow views: the netdevs and device placements are copies of
 * the structs of @m and @pl, whose members they borrow; @m and @pl must
 * outlive the part).  Its warnings are owned: the machine-wide ones
 * (topology, options, sysctls) and those of the selected interfaces.
 * Build the plan of the run with mq_plan_build(&part.m, &part.pl, ...):
 * its changes then name only the selected interfaces, plus the sysctls.
 */
struct mq_part {
	struct mq_machine m;
	struct mq_placement pl;
	size_t *index;			/* owned: part dev i = machine dev index[i] */
};

/* 0, or -1 with @d set (out of memory).  @selected parallel to netdevs. */
int mq_part_make(const struct mq_machine *m, const struct mq_placement *pl,
		 const bool *selected, struct mq_part *out, struct mq_diag *d);
void mq_part_fini(struct mq_part *part);

/* Release a step and what it owns (NULL is fine). */
void mq_step_free(struct mq_step *s);

/* Name of a change state: "planned", "applied", "failed"... */
const char *mq_change_state_name(enum mq_change_state s);

#endif /* MQTUNE_PLAN_H */
