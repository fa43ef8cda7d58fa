/*
 * pipeline.h - private to the cli layer: what `auto` and `check` share.
 *
 * Discovery and placement run over the whole managed set (managed.h);
 * the plan is built for the run's part only (mq_part, plan.h).
 */
#ifndef MQTUNE_CLI_PIPELINE_H
#define MQTUNE_CLI_PIPELINE_H

#include <stdbool.h>

#include "mqtune/cli.h"
#include "mqtune/config.h"
#include "mqtune/managed.h"
#include "mqtune/model.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/project.h"

struct mq_pipeline {
	struct mq_ifset set;		/* managed set + named, machine order */
	struct mq_machine *m;		/* discovered: every interface of set */
	struct mq_policies pols;	/* per interface: config + command line */
	const struct mq_policy *const *per_dev; /* pols.per_dev, parallel to
					   m->netdevs */
	struct mq_dev_policy global;	/* [global] + command line: for the
					   sysctls when no interface is placed */
	/* filled by mq_pipeline_plan, released by mq_pipeline_unplan */
	struct mq_placement pl;		/* machine-wide */
	struct mq_part part;		/* this run's interfaces */
	struct mq_plan plan;		/* the part's writes */
	bool planned;
	/*
	 * When the run changes channels (project.h): the placement of the
	 * machine as it is (pl_now), the machine as it will be (proj), and
	 * pl and part are the projection's; plan starts with the nr_steps
	 * channel steps (and an RSS table that must go first).
	 */
	bool projected;
	struct mq_placement pl_now;
	struct mq_projection proj;
	size_t nr_steps;
	/* how the set was discovered, to discover it again */
	bool all, lean;
	/* the machine before this run changed channels (restoring it) */
	struct mq_machine *before;
};

/*
 * The interfaces (--all or the names, see mq_managed_set) and the
 * discovery of the whole set.  0 or -1 with @d (then nothing to free).
 */
int mq_pipeline_discover(struct mq_ctx *ctx, bool all, bool lean,
			 struct mq_pipeline *pp, struct mq_diag *d);

/* Place (machine-wide), take the part, build its plan.  0 or -1 with @d. */
int mq_pipeline_plan(struct mq_ctx *ctx, struct mq_pipeline *pp,
		     struct mq_diag *d);
void mq_pipeline_unplan(struct mq_pipeline *pp);

/**
 * mq_pipeline_apply() - plan, refuse or warn about a running irqbalance
 * (--irqbalance), and with @apply write the plan (mq_apply), re-planning
 * around IRQs the kernel refuses because it manages them.
 * Return: 0, or -1 with @d set.  Unless planning itself failed, @pp is
 * left planned (its plan's states say what happened) for the report;
 * the caller unplans it.
 */
int mq_pipeline_apply(struct mq_ctx *ctx, struct mq_pipeline *pp, bool apply,
		      struct mq_diag *d);
void mq_pipeline_fini(struct mq_pipeline *pp);

/*
 * One pause of the wait for a driver to settle after a channel change
 * (100 ms), added to *@waited; true once the wait reached its maximum
 * (5 s): discover once more, and go on as things are.
 */
bool mq_cli_settle_pause(long *waited);

/*
 * After a failed run set the channel counts of @steps back and the driver
 * settled (@now): put the vectors and queues it made again as @before had
 * them, and say in @extra (of @cap bytes) what was and was not put back
 * ("; the channel counts were set back, with 12 settings ...").
 */
void mq_cli_put_back(struct mq_ctx *ctx, const struct mq_machine *before,
		     const struct mq_machine *now, const struct mq_plan *steps,
		     char *extra, size_t cap);

#endif /* MQTUNE_CLI_PIPELINE_H */
