/*
 * cmd_config.c - `mqtune config [IFACE...|--all]`: the config file merged
 * with the command line, per interface, with where each value came from;
 * and mq_cli_config(), which loads the file for every command that
 * needs it.
 */
#include "mqtune/cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/config_load.h"
#include "mqtune/managed.h"
#include "mqtune/discover.h"
#include "mqtune/render_config.h"

int mq_cli_config(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_resolved g;

	if (!ctx->config_loaded) {
		if (mq_config_load(&ctx->root, ctx->config_file, &ctx->config, d))
			return -1;
		ctx->config_loaded = true;
	}
	mq_config_resolve(&ctx->config, &ctx->cmdline, NULL, NULL, NULL, &g);
	ctx->irqbalance = mq_resolved_irqbalance(&g);
	ctx->wait_ms = mq_resolved_wait_ms(&g);
	return 0;
}

/* A [interface] section (name or glob) that matches @name. */
static int report(struct mq_ctx *ctx, const struct mq_machine *m,
		  struct mq_diag *d)
{
	struct mq_config_report rep = { .cfg = &ctx->config,
					 .sysroot = ctx->sysroot };
	const struct mq_netdev **devs;
	struct mq_resolved *res;
	size_t i, n = m ? m->nr_netdevs : 0;
	int ret;

	devs = calloc(n ? n : 1, sizeof(*devs));
	res = calloc(n ? n : 1, sizeof(*res));
	if (!devs || !res) {
		free(devs);
		free(res);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	mq_config_resolve(&ctx->config, &ctx->cmdline, NULL, NULL, NULL, &rep.global);
	for (i = 0; i < n; i++) {
		const struct mq_netdev *dev = &m->netdevs[i];

		devs[rep.nr] = dev;
		mq_config_resolve_netdev(&ctx->config, &ctx->cmdline, dev,
					 &res[rep.nr++]);
	}
	rep.devs = devs;
	rep.res = res;
	ctx->reported = true;
	if (ctx->json)
		ret = mq_render_config_json(ctx->out, &rep, ctx->pretty);
	else
		ret = mq_render_config_text(ctx->out, &rep);
	free(devs);
	free(res);
	if (mq_cli_report_done(ctx, ret, d))
		return -1;
	return 0;
}

bool mq_cli_config_names(const struct mq_ctx *ctx)
{
	return !ctx->nr_ifnames && mq_config_names_interfaces(&ctx->config);
}

int mq_cmd_config(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport,
					 .lean = true };
	struct mq_machine *m = NULL;
	struct mq_ifset set;
	const char **names;
	size_t i, n = 0;
	int ret;

	if (ctx->dry_run || ctx->explain)
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "config: %s is an option of auto, not of config",
				   ctx->dry_run ? "--dry-run" : "--explain");
	if (mq_cli_config(ctx, d))
		return -1;
	if (mq_cli_all_or_names(ctx, "config", d))
		return -1;
	/* the interfaces auto would apply: the run's part of the managed set */
	if (mq_managed_set(ctx, ctx->all, &set, d))
		return -1;
	names = calloc(set.nr ? set.nr : 1, sizeof(*names));
	if (!names) {
		mq_ifset_fini(&set);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	for (i = 0; i < set.nr; i++)
		if (set.selected[i])
			names[n++] = set.ptrs[i];
	ret = 0;
	if (n)
		ret = mq_discover(&ctx->root, &opts, names, n, &m, d);
	free(names);
	if (!ret)
		ret = report(ctx, m, d);
	mq_machine_free(m);
	mq_ifset_fini(&set);
	return ret;
}
