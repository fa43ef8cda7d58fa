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
	size_t i;

	memset(pp, 0, sizeof(*pp));
	if (mq_managed_set(ctx, all, &pp->set, d))
		return -1;
	if (mq_discover(&ctx->root, &opts, pp->set.ptrs, pp->set.nr, &pp->m, d)) {
		mq_ifset_fini(&pp->set);
		return -1;
	}
	pp->per_dev = calloc(pp->m->nr_netdevs ? pp->m->nr_netdevs : 1,
			     sizeof(*pp->per_dev));
	if (!pp->per_dev) {
		mq_pipeline_fini(pp);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	/*
	 * CONFIG FILE HOOK: per-interface policies (the config's sections
	 * over the command line) go here; today one policy for all.
	 */
	for (i = 0; i < pp->m->nr_netdevs; i++)
		pp->per_dev[i] = &ctx->policy;
	return 0;
}

int mq_pipeline_plan(struct mq_ctx *ctx, struct mq_pipeline *pp,
		     struct mq_diag *d)
{
	(void)ctx;
	if (mq_place_each(pp->m, pp->per_dev, &pp->pl, d))
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
	free(pp->per_dev);
	mq_machine_free(pp->m);
	mq_ifset_fini(&pp->set);
	memset(pp, 0, sizeof(*pp));
}
