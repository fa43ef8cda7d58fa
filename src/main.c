/*
 * main.c - the command-line entry: global options, the command table, the
 * one diagnostic line and the exit status.
 *
 * This is the only place that prints a failure or calls exit(); every
 * other module fills a struct mq_diag and returns.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/cli.h"
#include "mqtune/parse.h"
#include "mqtune/render.h"

struct mq_command {
	const char *name;
	int (*run)(struct mq_ctx *ctx, struct mq_diag *d);
	const char *summary;
};

static const struct mq_command commands[] = {
	{ .name = "auto", .run = mq_cmd_auto,
	  .summary = "place each queue on its own core (IRQ, RPS, RFS, XPS, backlog)" },
	{ .name = "show", .run = mq_cmd_show,
	  .summary = "show queues, IRQs, affinity, RPS and XPS as they are now" },
};

static void usage(FILE *f)
{
	size_t i;
	int s;

	fprintf(f,
		"Usage: mqtune [OPTIONS] COMMAND [IFACE...]\n"
		"\n"
		"Make each NIC receive queue's NET_RX softirq run on its own core.\n"
		"With no IFACE, the interface of the default route is used.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-6s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json               print one JSON document (see docs/json.md)\n"
		"  -R, --sysroot DIR        read /proc and /sys below DIR (a snapshot)\n"
		"      --ethtool TRANSPORT  auto (default), netlink or ioctl\n"
		"  -q, --quiet              print nothing when nothing went wrong\n"
		"\n"
		"Options of auto:\n"
		"  -n, --dry-run            show what would change; write nothing\n"
		"      --cpus LIST          use only these CPUs (\"0-15,32-47\")\n"
		"      --exclude-cpus LIST  never use these CPUs\n"
		"      --rps auto|off|keep  plan RPS/RFS, clear it, or leave it (auto)\n"
		"      --rps-scope node|machine  RPS CPUs from the home's NUMA node\n"
		"                           only, or from every node (node)\n"
		"      --explain            say why: each home, the usable CPUs, Sum,\n"
		"                           the backlog; CPU sets in full\n"
		"      --xps auto|off|keep  plan XPS, clear it, or leave it (auto)\n"
		"      --backlog auto|keep|N  net.core.netdev_max_backlog (auto:\n"
		"                           raise by link speed, never lower)\n"
		"      --irqbalance warn|fail|ignore  when irqbalance runs (warn)\n"
		"      --wait SECONDS       wait this long for another run's lock (10)\n"
		"  -h, --help               this help\n"
		"  -V, --version            the version\n"
		"\n"
		"Exit status:\n");
	for (s = MQ_EXIT_OK; s <= MQ_EXIT_ETHTOOL; s++)
		fprintf(f, "  %2d  %s\n", s, mq_exit_describe((enum mq_exit)s));
}

static int parse_transport(const char *arg, enum mq_ethtool_transport *t)
{
	if (strcmp(arg, "auto") == 0)
		*t = MQ_ETHTOOL_AUTO;
	else if (strcmp(arg, "netlink") == 0)
		*t = MQ_ETHTOOL_NETLINK;
	else if (strcmp(arg, "ioctl") == 0)
		*t = MQ_ETHTOOL_IOCTL;
	else
		return -1;
	return 0;
}

enum {
	OPT_ETHTOOL = 256,
	OPT_CPUS,
	OPT_EXCLUDE,
	OPT_RPS,
	OPT_RPS_SCOPE,
	OPT_EXPLAIN,
	OPT_XPS,
	OPT_BACKLOG,
	OPT_IRQBALANCE,
	OPT_WAIT,
};

static int usage_error(const char *opt, const char *arg, const char *want)
{
	fprintf(stderr, "mqtune: %s: '%s' is not %s\n", opt, arg, want);
	return MQ_EXIT_USAGE;
}

static int parse_steer(const char *arg, enum mq_steer_mode *mode)
{
	if (strcmp(arg, "auto") == 0)
		*mode = MQ_STEER_AUTO;
	else if (strcmp(arg, "off") == 0)
		*mode = MQ_STEER_OFF;
	else if (strcmp(arg, "keep") == 0)
		*mode = MQ_STEER_KEEP;
	else
		return -1;
	return 0;
}

static int parse_backlog(const char *arg, struct mq_policy *p)
{
	uint64_t v;

	if (strcmp(arg, "auto") == 0) {
		p->backlog = MQ_BACKLOG_AUTO;
	} else if (strcmp(arg, "keep") == 0) {
		p->backlog = MQ_BACKLOG_KEEP;
	} else if (mq_parse_u64(arg, strlen(arg), &v) == 0 && v > 0 &&
		   v <= INT32_MAX) {
		p->backlog = MQ_BACKLOG_SET;
		p->backlog_value = (int64_t)v;
	} else {
		return -1;
	}
	return 0;
}

static int parse_irqbalance(const char *arg, enum mq_irqbalance_mode *mode)
{
	if (strcmp(arg, "warn") == 0)
		*mode = MQ_IRQBALANCE_WARN;
	else if (strcmp(arg, "fail") == 0)
		*mode = MQ_IRQBALANCE_FAIL;
	else if (strcmp(arg, "ignore") == 0)
		*mode = MQ_IRQBALANCE_IGNORE;
	else
		return -1;
	return 0;
}

static int parse_cpus(const char *arg, struct mq_cpuset *s,
		      const struct mq_cpuset **slot)
{
	if (!s->words && mq_cpuset_init(s, MQ_CPUSET_MAX_BITS))
		return -1;
	if (mq_cpuset_parse_list(s, arg, strlen(arg)) || mq_cpuset_empty(s))
		return -1;
	*slot = s;
	return 0;
}

static int parse_wait(const char *arg, long *ms)
{
	uint32_t v;

	if (mq_parse_u32(arg, strlen(arg), &v) || v > 86400)
		return -1;
	*ms = (long)v * 1000;
	return 0;
}

/* Options of `auto`; returns -1 when @c is not one of them. */
static int parse_auto_option(int c, const char *arg, struct mq_ctx *ctx)
{
	struct mq_policy *p = &ctx->policy;

	ctx->auto_options = true;
	switch (c) {
	case 'n':
		ctx->dry_run = true;
		return 0;
	case OPT_CPUS:
		return parse_cpus(arg, &ctx->only_cpus, &p->only_cpus) ?
			usage_error("--cpus", arg, "a CPU list like 0-3,8") : 0;
	case OPT_EXCLUDE:
		return parse_cpus(arg, &ctx->exclude_cpus, &p->exclude_cpus) ?
			usage_error("--exclude-cpus", arg, "a CPU list like 0-3,8") : 0;
	case OPT_RPS:
		return parse_steer(arg, &p->rps) ?
			usage_error("--rps", arg, "auto, off or keep") : 0;
	case OPT_EXPLAIN:
		ctx->explain = true;
		return 0;
	case OPT_RPS_SCOPE:
		if (strcmp(arg, "node") == 0)
			p->rps_scope = MQ_RPS_SCOPE_NODE;
		else if (strcmp(arg, "machine") == 0)
			p->rps_scope = MQ_RPS_SCOPE_MACHINE;
		else
			return usage_error("--rps-scope", arg, "node or machine");
		return 0;
	case OPT_XPS:
		return parse_steer(arg, &p->xps) ?
			usage_error("--xps", arg, "auto, off or keep") : 0;
	case OPT_BACKLOG:
		return parse_backlog(arg, p) ?
			usage_error("--backlog", arg, "auto, keep or a number") : 0;
	case OPT_IRQBALANCE:
		return parse_irqbalance(arg, &ctx->irqbalance) ?
			usage_error("--irqbalance", arg, "warn, fail or ignore") : 0;
	case OPT_WAIT:
		return parse_wait(arg, &ctx->wait_ms) ?
			usage_error("--wait", arg, "a number of seconds") : 0;
	}
	return -1;
}

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "sysroot", required_argument, NULL, 'R' },
	{ "ethtool", required_argument, NULL, OPT_ETHTOOL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "exclude-cpus", required_argument, NULL, OPT_EXCLUDE },
	{ "rps", required_argument, NULL, OPT_RPS },
	{ "rps-scope", required_argument, NULL, OPT_RPS_SCOPE },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "xps", required_argument, NULL, OPT_XPS },
	{ "backlog", required_argument, NULL, OPT_BACKLOG },
	{ "irqbalance", required_argument, NULL, OPT_IRQBALANCE },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, const char *optstring,
			 struct mq_ctx *ctx)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctx->json = true;
			break;
		case 'R':
			ctx->sysroot = optarg;
			break;
		case OPT_ETHTOOL:
			if (parse_transport(optarg, &ctx->transport)) {
				fprintf(stderr, "mqtune: --ethtool: '%s' is not auto, netlink or ioctl\n",
					optarg);
				return MQ_EXIT_USAGE;
			}
			break;
		case 'q':
			ctx->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return MQ_EXIT_OK;
		case 'V':
			printf("mqtune %s\n", MQ_VERSION);
			return MQ_EXIT_OK;
		default:
			if (c != '?' && c != ':') {
				int r = parse_auto_option(c, optarg, ctx);

				if (r == 0)
					break;
				if (r > 0)
					return r;
			}
			if (optopt && optopt < 256)
				fprintf(stderr, "mqtune: -%c: unknown option or missing value (see mqtune --help)\n",
					optopt);
			else
				fprintf(stderr, "mqtune: %s: unknown option or missing value (see mqtune --help)\n",
					argv[optind - 1]);
			return MQ_EXIT_USAGE;
		}
	}
	return -1;
}

static const struct mq_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int run_cli(int argc, char **argv, struct mq_ctx *c)
{
	const struct mq_command *cmd;
	struct mq_diag diag;
	int status;

	mq_diag_clear(&diag);
	/* Options before the command, then options anywhere after it. */
	status = parse_options(argc, argv, "+jR:qhVn", c);
	if (status >= 0)
		return status;
	if (optind >= argc) {
		usage(stderr);
		return MQ_EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "mqtune: %s: unknown command (see mqtune --help)\n",
			argv[optind]);
		return MQ_EXIT_USAGE;
	}
	/* Re-scan the rest as its own argv (argv[0] = the command). */
	argv += optind;
	argc -= optind;
	optind = 0;
	status = parse_options(argc, argv, "jR:qhVn", c);
	if (status >= 0)
		return status;
	c->ifnames = (const char *const *)&argv[optind];
	c->nr_ifnames = (size_t)(argc - optind);
	if (mq_root_open(&c->root, c->sysroot, &diag) == 0) {
		if (cmd->run(c, &diag) == 0)
			diag.status = MQ_EXIT_OK;
		mq_root_close(&c->root);
	}
	if (diag.status != MQ_EXIT_OK) {
		fprintf(stderr, "mqtune: %s\n", diag.msg);
		if (c->json && !c->reported)
			mq_render_error_json(stdout, &diag);
	}
	if (fflush(stdout) != 0 && diag.status == MQ_EXIT_OK)
		return MQ_EXIT_FAILURE;
	return diag.status;
}

int main(int argc, char **argv)
{
	struct mq_ctx ctx = { .out = stdout, .err = stderr, .wait_ms = 10000 };
	int status = run_cli(argc, argv, &ctx);

	/* The only allocations that outlive a command: the option sets. */
	mq_cpuset_fini(&ctx.only_cpus);
	mq_cpuset_fini(&ctx.exclude_cpus);
	return status;
}
