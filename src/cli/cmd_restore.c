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
#include "mqtune/render_restore.h"
#include "mqtune/restore.h"

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

/* Apply, planning around IRQs the kernel manages now (it refuses them). */
static int apply(struct mq_ctx *ctx, struct mq_restore *rs, struct mq_diag *d)
{
	for (;;) {
		size_t managed = 0;
		int ret;

		if (!rs->plan.nr)
			return 0;
		ret = mq_apply(&ctx->root, &rs->plan, &managed, d);
		if (ret != MQ_APPLY_MANAGED)
			return ret;
		if (!mq_restore_drop_managed(rs))	/* nothing new: a bug */
			return mq_diag_set(d, MQ_EXIT_RESTORED, EIO,
					   "the kernel refused %zu IRQ affinity writes",
					   managed);
	}
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
	ret = mq_restore_plan(&ctx->root, m, rs, d);
	mq_machine_free(m);
	if (ret)
		return -1;
	if (!ctx->dry_run)
		ret = apply(ctx, rs, d);
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
