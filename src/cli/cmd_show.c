/*
 * cmd_show.c - `mqtune show [IFACE...]`: discover, then render.
 */
#include "mqtune/cli.h"

#include <errno.h>
#include <string.h>

#include "mqtune/discover.h"
#include "mqtune/managed.h"
#include "mqtune/render.h"
#include "mqtune/route.h"

int mq_cli_ifnames(struct mq_ctx *ctx, char storage[IFNAMSIZ],
		   const char **one, struct mq_diag *d)
{
	size_t i;

	for (i = 0; i < ctx->nr_ifnames; i++)
		if (!ctx->ifnames[i][0])
			return mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
					   "empty interface name");
	if (ctx->nr_ifnames)
		return 0;
	if (mq_default_route_ifname(&ctx->root, storage, d))
		return -1;
	*one = storage;
	ctx->ifnames = one;
	ctx->nr_ifnames = 1;
	return 0;
}

int mq_cli_all_or_names(const struct mq_ctx *ctx, const char *cmd,
			struct mq_diag *d)
{
	if (ctx->all && ctx->nr_ifnames)
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "%s: --all or interface names, not both", cmd);
	return 0;
}

int mq_cli_report_done(struct mq_ctx *ctx, int ret, struct mq_diag *d)
{
	int err;

	errno = 0;
	if (fflush(ctx->out) == 0 && !ret && !ferror(ctx->out))
		return 0;
	err = errno ? errno : EIO;
	return mq_diag_set(d, MQ_EXIT_OUTPUT, err,
			   "standard output: cannot write the report: %s",
			   strerror(err));
}

int mq_cmd_show(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport };
	char storage[IFNAMSIZ];
	const char *one = NULL;
	struct mq_machine *m;
	struct mq_ifset set;
	int ret;

	if (ctx->auto_option[0])
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "show: %s is an option of auto, not of show",
				   ctx->auto_option);
	if (ctx->check_option[0])
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "show: %s is an option of check, not of show",
				   ctx->check_option);
	if (mq_cli_ifnames(ctx, storage, &one, d))
		return -1;
	/* altnames and stacked devices: the devices they stand for */
	if (mq_managed_names(ctx, &set, d))
		return -1;
	ret = mq_discover(&ctx->root, &opts, set.ptrs, set.nr, &m, d);
	if (!ret && mq_ifset_attach_notes(&set, m, d)) {
		mq_machine_free(m);
		ret = -1;
	}
	mq_ifset_fini(&set);
	if (ret)
		return -1;
	ctx->reported = true;
	if (ctx->json)
		ret = mq_render_show_json(ctx->out, m, ctx->sysroot, ctx->pretty);
	else
		ret = mq_render_show_text(ctx->out, m);
	mq_machine_free(m);
	if (mq_cli_report_done(ctx, ret, d))
		return -1;
	return 0;
}
