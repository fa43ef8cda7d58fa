/*
 * pipeline.c - the steps `auto` and `check` share: the managed set,
 * discovery of all of it, the machine-wide placement, the run's part and
 * its plan.
 */
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/discover.h"

int mq_pipeline_discover(struct mq_ctx *ctx, bool all, bool lean,
			 struct mq_pipeline *pp, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport,
					 .lean = lean };
	memset(pp, 0, sizeof(*pp));
	if (mq_managed_set(ctx, all, &pp->set, d))
		return -1;
	if (mq_discover(&ctx->root, &opts, pp->set.ptrs, pp->set.nr, &pp->m, d)) {
		mq_ifset_fini(&pp->set);
		return -1;
	}
	/* each interface's policy: its config sections, the command line */
	if (mq_config_policies(&ctx->config, &ctx->cmdline, pp->m, &pp->pols, d)) {
		mq_pipeline_fini(pp);
		return -1;
	}
	pp->per_dev = pp->pols.per_dev;
	/* the global one: for the sysctls when no interface is placed */
	if (mq_config_netdev_policy(&ctx->config, &ctx->cmdline, NULL,
				    pp->m->topo.nr_cpu_ids, &pp->global, d)) {
		mq_pipeline_fini(pp);
		return -1;
	}
	return 0;
}

int mq_pipeline_plan(struct mq_ctx *ctx, struct mq_pipeline *pp,
		     struct mq_diag *d)
{
	(void)ctx;
	/* no interface at all: the [global] and command line's sysctl values */
	if (pp->m->nr_netdevs ? mq_place_each(pp->m, pp->per_dev, &pp->pl, d) :
	    mq_place(pp->m, &pp->global.policy, &pp->pl, d))
		return -1;
	if (mq_part_make(pp->m, &pp->pl, pp->set.selected, &pp->part, d)) {
		mq_placement_fini(&pp->pl);
		return -1;
	}
	if (mq_plan_build(&pp->part.m, &pp->part.pl, &pp->plan, d)) {
		mq_part_fini(&pp->part);
		mq_placement_fini(&pp->pl);
		return -1;
	}
	pp->planned = true;
	return 0;
}

void mq_pipeline_unplan(struct mq_pipeline *pp)
{
	if (!pp->planned)
		return;
	mq_plan_fini(&pp->plan);
	mq_part_fini(&pp->part);
	mq_placement_fini(&pp->pl);
	pp->planned = false;
}

void mq_pipeline_fini(struct mq_pipeline *pp)
{
	mq_pipeline_unplan(pp);
	mq_policies_fini(&pp->pols);
	mq_dev_policy_fini(&pp->global);
	mq_machine_free(pp->m);
	mq_ifset_fini(&pp->set);
	memset(pp, 0, sizeof(*pp));
}
