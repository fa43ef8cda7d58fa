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

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A [interface] section (name or glob) that matches @name. */
static bool named_by_name(const struct mq_config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if ((c->sects[i].kind == MQ_SECT_NAME ||
		     c->sects[i].kind == MQ_SECT_GLOB) &&
		    mq_config_section_matches(&c->sects[i], name, NULL, NULL))
			return true;
	return false;
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/*
 * --all: the interfaces of /sys/class/net that have a device, and those
 * a name or glob section names; sorted.  (The managed set of issue 8 §1
 * narrows this after discovery.)
 */
static int list_all(struct mq_ctx *ctx, char ***out, size_t *nr,
		    struct mq_diag *d)
{
	DIR *dir = mq_root_opendir(&ctx->root, "/sys/class/net");
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!dir)
		return mq_root_fail(&ctx->root, d, "/sys/class/net", -errno);
	while ((e = readdir(dir))) {
		char path[MQ_PATH_MAX];
		struct stat st;

		if (e->d_name[0] == '.' || !mq_ifname_valid(e->d_name))
			continue;
		if (mq_path(path, sizeof(path), "/sys/class/net/%s/device", e->d_name) ||
		    (mq_root_stat(&ctx->root, path, &st) &&
		     !named_by_name(&ctx->config, e->d_name)))
			continue;
		if (n == cap) {
			char **more = realloc(names, (cap ? cap * 2 : 16) * sizeof(*more));

			if (!more)
				goto oom;
			names = more;
			cap = cap ? cap * 2 : 16;
		}
		names[n] = strdup(e->d_name);
		if (!names[n])
			goto oom;
		n++;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	*nr = n;
	return 0;
oom:
	closedir(dir);
	free_names(names, n);
	return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
}

static int report(struct mq_ctx *ctx, const struct mq_machine *m, bool all,
		  struct mq_diag *d)
{
	struct mq_config_report rep = { .cfg = &ctx->config,
					 .sysroot = ctx->sysroot };
	const struct mq_netdev **devs;
	struct mq_resolved *res;
	size_t i, n = m ? m->nr_netdevs : 0;
	bool filter = all && mq_config_names_interfaces(&ctx->config);
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

		if (filter && !mq_config_matches_netdev(&ctx->config, dev))
			continue;
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
	errno = 0;
	if (fflush(ctx->out) != 0 || ret || ferror(ctx->out))
		return mq_diag_set(d, MQ_EXIT_OUTPUT, errno ? errno : EIO,
				   "standard output: cannot write the report: %s",
				   strerror(errno ? errno : EIO));
	return 0;
}

int mq_cmd_config(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport,
					 .lean = true };
	char storage[IFNAMSIZ];
	const char *one = NULL;
	struct mq_machine *m = NULL;
	char **names = NULL;
	size_t nr = 0;
	int ret;

	if (ctx->dry_run || ctx->explain)
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "config: %s is an option of auto, not of config",
				   ctx->dry_run ? "--dry-run" : "--explain");
	if (mq_cli_config(ctx, d))
		return -1;
	if (ctx->all && ctx->nr_ifnames)
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "config: --all or interface names, not both");
	if (ctx->all) {
		if (list_all(ctx, &names, &nr, d))
			return -1;
		ctx->ifnames = (const char *const *)names;
		ctx->nr_ifnames = nr;
	} else if (mq_cli_ifnames(ctx, storage, &one, d)) {
		return -1;
	}
	ret = 0;
	if (ctx->nr_ifnames)
		ret = mq_discover(&ctx->root, &opts, ctx->ifnames, ctx->nr_ifnames,
				  &m, d);
	if (!ret)
		ret = report(ctx, m, ctx->all, d);
	mq_machine_free(m);
	if (names) {
		ctx->ifnames = NULL;
		ctx->nr_ifnames = 0;
		free_names(names, nr);
	}
	return ret;
}
