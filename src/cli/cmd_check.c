/*
 * cmd_check.c - `mqtune check [IFACE...|--all]`: the same managed set,
 * discovery, placement and plan as `auto`, written nowhere: every change
 * the plan holds is a value that drifted from what mqtune would set.
 *
 * No lock and no root: it only reads.  Kernel-managed IRQs are never
 * planned, and the plan compares the requested affinity, not the
 * effective one, so neither they nor a pending move count as drift.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "mqtune/cli.h"
#include "mqtune/render.h"

#include "pipeline.h"

int mq_cmd_check(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_pipeline pp;
	struct mq_check_report rep = { 0 };
	char storage[IFNAMSIZ];
	const char *one = NULL;
	int ret;

	if (mq_cli_all_or_names(ctx, "check", d))
		return -1;
	if (ctx->prometheus && ctx->json)
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "check: --prometheus or --json, not both");
	if (mq_cli_config(ctx, d))	/* a bad file: status 13, nothing read */
		return -1;
	/* the names (or the config's, or the default route) before anything */
	if (!ctx->all && !mq_cli_config_names(ctx) &&
	    mq_cli_ifnames(ctx, storage, &one, d))
		return -1;
	/* everything is read, as a dry run of auto would */
	if (mq_pipeline_discover(ctx, ctx->all, false, &pp, d))
		return -1;
	if (mq_pipeline_plan(ctx, &pp, d)) {
		mq_pipeline_fini(&pp);
		return -1;
	}
	rep.m = &pp.part.m;
	rep.pl = &pp.part.pl;
	rep.plan = &pp.plan;
	rep.sysroot = ctx->sysroot;
	rep.pretty = ctx->pretty;
	rep.timestamp = (double)time(NULL);
	ctx->reported = true;
	if (ctx->json)
		ret = mq_render_check_json(ctx->out, &rep);
	else if (ctx->prometheus)
		ret = mq_render_check_prometheus(ctx->out, &rep);
	else if (ctx->quiet)
		ret = 0;
	else
		ret = mq_render_check_text(ctx->out, &rep);
	if (mq_cli_report_done(ctx, ret, d))
		ret = -1;
	else if (pp.plan.nr)
		ret = mq_diag_set(d, MQ_EXIT_DRIFT, 0,
				  "%zu value%s drifted from the plan%s",
				  pp.plan.nr, pp.plan.nr == 1 ? "" : "s",
				  ctx->quiet || ctx->json || ctx->prometheus ?
				  "" : " (listed above)");
	mq_pipeline_fini(&pp);
	return ret;
}
