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

struct mq_command {
	const char *name;
	int (*run)(struct mq_ctx *ctx, struct mq_diag *d);
	const char *summary;
};

static const struct mq_command commands[] = {
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

enum { OPT_ETHTOOL = 256 };

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "sysroot", required_argument, NULL, 'R' },
	{ "ethtool", required_argument, NULL, OPT_ETHTOOL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
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

int main(int argc, char **argv)
{
	struct mq_ctx ctx = { .out = stdout, .err = stderr };
	const struct mq_command *cmd;
	struct mq_diag diag;
	int status;

	mq_diag_clear(&diag);
	/* Options before the command, then options anywhere after it. */
	status = parse_options(argc, argv, "+jR:qhV", &ctx);
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
	status = parse_options(argc, argv, "jR:qhV", &ctx);
	if (status >= 0)
		return status;
	ctx.ifnames = (const char *const *)&argv[optind];
	ctx.nr_ifnames = (size_t)(argc - optind);
	if (mq_root_open(&ctx.root, ctx.sysroot, &diag) == 0) {
		if (cmd->run(&ctx, &diag) == 0)
			diag.status = MQ_EXIT_OK;
		mq_root_close(&ctx.root);
	}
	if (diag.status != MQ_EXIT_OK)
		fprintf(stderr, "mqtune: %s\n", diag.msg);
	if (fflush(stdout) != 0 && diag.status == MQ_EXIT_OK)
		return MQ_EXIT_FAILURE;
	return diag.status;
}
