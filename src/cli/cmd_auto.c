/*
 * cmd_auto.c - `mqtune auto [IFACE...]`: discover, place, plan, and then
 * either show the plan (--dry-run) or apply it under the lock.
 *
 * Root is checked before anything is written, and the lock is taken
 * before discovery, so the state that is planned against is the state
 * that is changed.  When the kernel refuses an IRQ affinity write because
 * it manages that IRQ, everything written is undone, the IRQ is marked
 * managed, and the plan is made again around it.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mqtune/apply.h"
#include "mqtune/cli.h"
#include "mqtune/esc.h"
#include "mqtune/lock.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/render.h"

#include "pipeline.h"

static size_t count_applied(const struct mq_plan *plan)
{
	size_t i, n = 0;

	for (i = 0; i < plan->nr; i++)
		n += plan->changes[i].state == MQ_CH_APPLIED;
	return n;
}

/* With the text report suppressed (-q), the warnings go to stderr. */
static void warnings_to_stderr(const struct mq_ctx *ctx,
			       const struct mq_placement *pl)
{
	size_t i;

	for (i = 0; i < pl->warnings.n; i++) {
		char esc[MQ_ESC_SIZE(MQ_DIAG_MSG_MAX)];

		fprintf(ctx->err, "mqtune: warning: %s\n",
			mq_esc_text(pl->warnings.list[i].message, esc, sizeof(esc)));
	}
}

/*
 * Print the report and push it out, so that a full disk or a closed pipe
 * is known here, after the apply.  0, or -1 with errno.
 */
static int render(struct mq_ctx *ctx, const struct mq_report *rep)
{
	int ret = 0;

	ctx->reported = true;
	if (ctx->json)
		ret = mq_render_auto_json(ctx->out, rep);
	else if (ctx->quiet && !rep->failure)
		warnings_to_stderr(ctx, rep->pl);
	else if (!rep->failure)
		ret = mq_render_auto_text(ctx->out, rep);
	errno = 0;
	if (fflush(ctx->out) != 0 || ret || ferror(ctx->out)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* The report could not be written (status 11): say what did happen. */
static int output_failed(const struct mq_ctx *ctx, const struct mq_plan *plan,
			 int err, struct mq_diag *d)
{
	size_t applied = count_applied(plan);

	if (ctx->dry_run || !applied)
		return mq_diag_set(d, MQ_EXIT_OUTPUT, err,
				   "standard output: cannot write the report: %s; "
				   "nothing was changed", strerror(err));
	return mq_diag_set(d, MQ_EXIT_OUTPUT, err,
			   "standard output: cannot write the report: %s; "
			   "the %zu change%s stay applied", strerror(err), applied,
			   applied == 1 ? "" : "s");
}

/*
 * Place, plan and (unless dry run) apply (mq_pipeline_apply), then report.
 * The placement covers the whole managed set; the plan, the apply and the
 * report only this run's part of it.
 */
static int plan_and_apply(struct mq_ctx *ctx, struct mq_pipeline *pp,
			  struct mq_diag *d)
{
	struct mq_report rep = { .sysroot = ctx->sysroot,
				 .dry_run = ctx->dry_run,
				 .pretty = ctx->pretty,
				 .explain = ctx->explain };
	int ret = mq_pipeline_apply(ctx, pp, !ctx->dry_run, d);

	if (!pp->planned)
		return -1;
	rep.m = &pp->part.m;
	rep.pl = &pp->part.pl;
	rep.plan = &pp->plan;
	rep.failure = ret ? d : NULL;
	if (render(ctx, &rep) && !ret)
		ret = output_failed(ctx, &pp->plan, errno, d);
	mq_pipeline_unplan(pp);
	return ret;
}

int mq_cmd_auto(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_pipeline pp;
	struct mq_cli_run run;
	char storage[IFNAMSIZ];
	const char *one = NULL;
	int ret;

	if (ctx->check_option[0])
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "auto: %s is an option of check, not of auto",
				   ctx->check_option);
	if (mq_cli_all_or_names(ctx, "auto", d))
		return -1;
	if (mq_cli_config(ctx, d))	/* a bad file: status 13, nothing read */
		return -1;
	/* the names (or the config's, or the default route) before anything */
	if (!ctx->all && !mq_cli_config_names(ctx) &&
	    mq_cli_ifnames(ctx, storage, &one, d))
		return -1;
	if (mq_cli_run_begin(ctx, &run, "changing", d))
		return -1;
	ret = mq_pipeline_discover(ctx, ctx->all, !ctx->dry_run, &pp, d);
	if (!ret) {
		ret = plan_and_apply(ctx, &pp, d);
		mq_pipeline_fini(&pp);
	}
	mq_cli_run_end(ctx, &run, ret);
	return ret;
}
