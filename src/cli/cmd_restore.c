/*
 * cmd_restore.c - `mqtune restore [IFACE...|--all]`: write back the
 * values the state file recorded before mqtune first changed them, with
 * the same all-or-nothing apply as `auto`, then forget them.
 *
 * The same interfaces as `auto` without a name (the default-route
 * interface), every one recorded with --all.  The sysctls are machine-
 * wide: restored with --all, or when no other interface keeps an entry.
 * Root, the lock, the held signals and the exit statuses are auto's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mqtune/apply.h"
#include "mqtune/cli.h"
#include "mqtune/discover.h"
#include "mqtune/lock.h"
#include "mqtune/managed.h"
#include "mqtune/putback.h"
#include "mqtune/render_restore.h"
#include "mqtune/restore.h"

#include "pipeline.h"

static int render(struct mq_ctx *ctx, const struct mq_restore_report *rep)
{
	int ret = 0;

	ctx->reported = true;
	if (ctx->json)
		ret = mq_render_restore_json(ctx->out, rep);
	else if (!ctx->quiet && !rep->failure)
		ret = mq_render_restore_text(ctx->out, rep);
	errno = 0;
	if (fflush(ctx->out) != 0 || ret || ferror(ctx->out)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

/*
 * Apply the plan's changes from @from on, planning around IRQs the kernel
 * manages now (it refuses them).
 */
static int apply_from(struct mq_ctx *ctx, struct mq_restore *rs, size_t from,
		      struct mq_diag *d)
{
	for (;;) {
		struct mq_plan part = { .nr_cpu_ids = rs->plan.nr_cpu_ids,
					.changes = rs->plan.changes + from,
					.nr = rs->plan.nr - from };
		size_t managed = 0;
		int ret;

		if (!part.nr)
			return 0;
		ret = mq_apply(&ctx->root, &part, &managed, d);
		if (ret != MQ_APPLY_MANAGED)
			return ret;
		if (!mq_restore_drop_managed(rs, from))	/* nothing new: a bug */
			return mq_diag_set(d, MQ_EXIT_RESTORED, EIO,
					   "the kernel refused %zu IRQ affinity writes",
					   managed);
	}
}

/*
 * The interfaces discovered again once the channel change of @steps has
 * settled (@saved: the counts set back), into *@out: the driver makes its
 * vectors and queues again, some from a work queue, so discovery repeats
 * until two in a row agree (at most mq_cli_settle_pause()'s maximum;
 * then as they are).
 */
static int discover_settled(struct mq_ctx *ctx, const struct mq_restore *rs,
			    const struct mq_plan *steps, bool saved,
			    struct mq_machine **out, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport, .lean = true };
	struct mq_machine *prev = NULL;
	long waited = 0;

	for (;;) {
		bool last = mq_cli_settle_pause(&waited);

		if (mq_discover(&ctx->root, &opts, rs->ifname_ptrs, rs->nr_ifnames,
				out, d)) {
			mq_machine_free(prev);
			return -1;
		}
		if (prev && (mq_plan_settled(prev, *out, steps, saved) || last))
			break;
		mq_machine_free(prev);
		prev = *out;
	}
	mq_machine_free(prev);
	return 0;
}

/*
 * The second phase failed and was undone: set the counts back, and put
 * the vectors and queues the driver made again as they were (@before).
 */
static void undo_steps(struct mq_ctx *ctx, const struct mq_restore *rs,
		       struct mq_plan *steps, const struct mq_machine *before,
		       struct mq_diag *d)
{
	char extra[MQ_DIAG_MSG_MAX] = "";
	struct mq_machine *now = NULL;
	struct mq_diag why;
	size_t left = mq_apply_undo(&ctx->root, steps);

	mq_diag_clear(&why);
	if (left)
		snprintf(extra, sizeof(extra),
			 "; the channel counts of %zu interface%s could not be set back",
			 left, left == 1 ? "" : "s");
	else if (discover_settled(ctx, rs, steps, true, &now, &why) == 0)
		mq_cli_put_back(ctx, before, now, steps, extra, sizeof(extra));
	else
		snprintf(extra, sizeof(extra), "; the channel counts were set back, "
			 "their vectors not (%.200s)", why.msg);
	mq_machine_free(now);
	if (extra[0] && strlen(d->msg) + strlen(extra) < sizeof(d->msg))
		strcat(d->msg, extra);
	if (left)
		d->status = MQ_EXIT_PARTIAL;
}

/*
 * The channel counts first (phase 1): the driver makes its vectors,
 * queues and NAPI threads again, so the rest is planned again on the
 * interfaces discovered once it settled (phase 2).  A failure in phase 2
 * sets the counts back too.  The signals are held through both phases.
 */
static int apply_in_phases(struct mq_ctx *ctx, struct mq_restore *rs,
			   const struct mq_machine *before, struct mq_diag *d)
{
	struct mq_plan steps = { .nr_cpu_ids = rs->plan.nr_cpu_ids,
				 .changes = rs->plan.changes,
				 .nr = rs->nr_steps };
	struct mq_machine *now = NULL;
	size_t managed = 0;
	sigset_t old;
	int ret;

	if (mq_apply_hold_signals(&old))
		return mq_diag_set(d, MQ_EXIT_FAILURE, errno,
				   "cannot hold signals during the restore: %s",
				   strerror(errno));
	ret = mq_apply(&ctx->root, &steps, &managed, d);
	if (!ret) {
		ret = discover_settled(ctx, rs, &steps, false, &now, d);
		if (!ret)
			ret = mq_restore_replan(&ctx->root, now, rs, d);
		if (!ret)
			ret = apply_from(ctx, rs, rs->nr_steps, d);
		if (ret)
			undo_steps(ctx, rs, &steps, before, d);
		mq_machine_free(now);
	}
	mq_apply_release_signals(&old);
	return ret ? -1 : 0;
}

static int restore(struct mq_ctx *ctx, struct mq_restore *rs, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport,
					 .lean = !ctx->dry_run };
	struct mq_restore_report rep = { .rs = rs, .sysroot = ctx->sysroot,
					 .dry_run = ctx->dry_run,
					 .pretty = ctx->pretty };
	struct mq_machine *m = NULL;
	int ret = 0;

	if (mq_restore_select(&ctx->root, ctx->ifnames, ctx->nr_ifnames,
			      ctx->all, rs, d))
		return -1;
	if (rs->nr_ifnames &&
	    mq_discover(&ctx->root, &opts, rs->ifname_ptrs, rs->nr_ifnames, &m, d))
		return -1;
	if (mq_restore_plan(&ctx->root, m, rs, d)) {
		mq_machine_free(m);
		return -1;
	}
	if (!ctx->dry_run)
		ret = rs->nr_steps ? apply_in_phases(ctx, rs, m, d) :
		      apply_from(ctx, rs, 0, d);
	mq_machine_free(m);
	if (!ret && !ctx->dry_run) {
		ret = mq_restore_forget(&ctx->root, rs, d);
		if (ret && d->status == MQ_EXIT_STATE) {
			char msg[MQ_DIAG_MSG_MAX];

			snprintf(msg, sizeof(msg), "%s", d->msg);
			mq_diag_set(d, MQ_EXIT_STATE, d->err,
				    "%.400s; the values were restored and their "
				    "entries stay (a later restore finds them "
				    "original and forgets them)", msg);
		}
		rep.forgotten = !ret;
	}
	rep.failure = ret ? d : NULL;
	if (render(ctx, &rep) && !ret)
		ret = mq_diag_set(d, MQ_EXIT_OUTPUT, errno,
				  "standard output: cannot write the report: %s; "
				  "what was restored stays restored", strerror(errno));
	return ret;
}

int mq_cmd_restore(struct mq_ctx *ctx, struct mq_diag *d)
{
	char storage[IFNAMSIZ];
	const char *one = NULL;
	struct mq_restore rs = { 0 };
	struct mq_cli_run run;
	struct mq_ifset set;
	const char *const *given;
	size_t nr_given;
	int ret;

	if (ctx->policy_option[0])
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "restore: %s is an option of auto, not of restore",
				   ctx->policy_option);
	if (mq_cli_all_or_names(ctx, "restore", d))
		return -1;
	if (!ctx->all && mq_cli_ifnames(ctx, storage, &one, d))
		return -1;
	/* altnames and stacked devices: the devices they stand for */
	if (!ctx->all && mq_managed_names(ctx, &set, d))
		return -1;
	given = ctx->ifnames;
	nr_given = ctx->nr_ifnames;
	if (!ctx->all) {
		ctx->ifnames = set.ptrs;
		ctx->nr_ifnames = set.nr;
	}
	ret = mq_cli_run_begin(ctx, &run, "restoring", d);
	if (!ret) {
		ret = restore(ctx, &rs, d);
		mq_restore_fini(&rs);
		mq_cli_run_end(ctx, &run, ret);
	}
	ctx->ifnames = given;
	ctx->nr_ifnames = nr_given;
	if (!ctx->all)
		mq_ifset_fini(&set);
	return ret;
}
