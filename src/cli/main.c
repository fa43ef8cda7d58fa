/*
 * main.c - the command-line entry: global options, the command table, the
 * one diagnostic line and the exit status.
 *
 * This is the only place that prints a failure or calls exit(); every
 * other module fills a struct mq_diag and returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mqtune/cli.h"
#include "mqtune/esc.h"
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
	{ .name = "check", .run = mq_cmd_check,
	  .summary = "compare the live state with the plan (exit 12 on drift)" },
	{ .name = "config", .run = mq_cmd_config,
	  .summary = "the effective options per interface, and where each is from" },
	{ .name = "restore", .run = mq_cmd_restore,
	  .summary = "put back the values from before mqtune changed them" },
	{ .name = "doctor", .run = mq_cmd_doctor,
	  .summary = "find what hurts networking (drops, sockets, queues, limits)" },
	{ .name = "watch", .run = mq_cmd_watch,
	  .summary = "apply, then re-apply what drifts on kernel events" },
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
		fprintf(f, "  %-7s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json               print one JSON document (see docs/json.md)\n"
		"  -R, --sysroot DIR        read /proc and /sys below DIR (a snapshot)\n"
		"      --ethtool TRANSPORT  auto (default), netlink or ioctl\n"
		"  -p, --pretty             indent the JSON (with -j)\n"
		"  -q, --quiet              print nothing when nothing went wrong;\n"
		"                           warnings still go to standard error\n"
		"      --config FILE        read FILE (a host path, not below\n"
		"                           --sysroot) instead of /etc/mqtune.conf\n"
		"      --all                every interface of the managed set: the\n"
		"                           ones the config file names, else every\n"
		"                           physical one with queue vectors (auto,\n"
		"                           check, config)\n"
		"  -h, --help               this help\n"
		"  -V, --version            the version\n"
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
		"      --backlog auto|keep|N  net.core.netdev_max_backlog, N from 1 to\n"
		"                           2147483647 (auto: raise by link speed,\n"
		"                           never lower)\n"
		"      --channels auto|keep|N  channels to activate (auto: Sum, the\n"
		"                           interface's share of the usable CPUs\n"
		"                           up to the driver's maximum; N from 1\n"
		"                           to that maximum)\n"
		"      --rss auto|equal|keep  the RSS indirection table (auto: an\n"
		"                           equal spread when it points at an\n"
		"                           inactive queue or the channels change)\n"
		"      --irqbalance warn|fail|ignore  when irqbalance runs (warn)\n"
		"      --wait SECONDS       wait this long for another run's lock\n"
		"                           (0-86400, default 10)\n"
		"\n"
		"Options of check (and the policy options of auto):\n"
		"      --prometheus         print node_exporter textfile metrics\n"

		"Options of restore (and -n, --wait as for auto):\n"
		"      --all                every interface the state file records,\n"
		"                           and the sysctls\n"
		"Options of doctor:\n"
		"      --interval SECONDS   judge counters by their increase over\n"
		"                           SECONDS (1-3600), not totals since boot\n"
		"\n"
		"Exit status:\n");
	for (s = MQ_EXIT_OK; s <= MQ_EXIT_LAST; s++)
		if (strcmp(mq_exit_name((enum mq_exit)s), "unknown") != 0)
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
	OPT_CHANNELS,
	OPT_RSS,
	OPT_IRQBALANCE,
	OPT_WAIT,
	OPT_CONFIG,
	OPT_ALL,
	OPT_PROMETHEUS,
	OPT_INTERVAL,
};

/*
 * One diagnostic line, "mqtune: MESSAGE", on standard error.  Whatever
 * came from the command line or the kernel is escaped (mq_esc_text), so
 * that a name holding a newline or an escape sequence still gives one
 * line that says what it holds.
 */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char msg[MQ_DIAG_MSG_MAX], esc[MQ_ESC_SIZE(MQ_DIAG_MSG_MAX)];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	fprintf(stderr, "mqtune: %s\n", mq_esc_text(msg, esc, sizeof(esc)));
}

static int usage_error(const char *opt, const char *arg, const char *want)
{
	say("%s: '%s' is not %s", opt, arg, want);
	return MQ_EXIT_USAGE;
}

/* The option @c of `auto` as its config key, or -1. */
static int auto_key(int c)
{
	switch (c) {
	case OPT_CPUS: return MQ_OPT_CPUS;
	case OPT_EXCLUDE: return MQ_OPT_EXCLUDE_CPUS;
	case OPT_RPS: return MQ_OPT_RPS;
	case OPT_RPS_SCOPE: return MQ_OPT_RPS_SCOPE;
	case OPT_XPS: return MQ_OPT_XPS;
	case OPT_BACKLOG: return MQ_OPT_BACKLOG;
	case OPT_CHANNELS: return MQ_OPT_CHANNELS;
	case OPT_RSS: return MQ_OPT_RSS;
	case OPT_IRQBALANCE: return MQ_OPT_IRQBALANCE;
	case OPT_WAIT: return MQ_OPT_WAIT;
	}
	return -1;
}

/*
 * Options of `auto`; returns -1 when @c is not one of them.  The values
 * go to ctx->cmdline, parsed as the config file's are (options.c), so
 * that the command line can be told from the file and override it.
 */
static int parse_auto_option(int c, const char *arg, struct mq_ctx *ctx)
{
	char opt[32];
	int k, r;

	switch (c) {
	case 'n':
		ctx->dry_run = true;
		return 0;
	case OPT_EXPLAIN:
		ctx->explain = true;
		return 0;
	case OPT_PROMETHEUS:
		ctx->prometheus = true;
		return 0;
	}
	k = auto_key(c);
	if (k < 0)
		return -1;
	r = mq_opt_parse(&ctx->cmdline, (enum mq_opt)k, arg, strlen(arg));
	if (r == -2) {
		say("out of memory");
		return MQ_EXIT_FAILURE;
	}
	snprintf(opt, sizeof(opt), "--%s", mq_opt_name((enum mq_opt)k));
	return r ? usage_error(opt, arg, mq_opt_want((enum mq_opt)k)) : 0;
}

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
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
	{ "channels", required_argument, NULL, OPT_CHANNELS },
	{ "rss", required_argument, NULL, OPT_RSS },
	{ "irqbalance", required_argument, NULL, OPT_IRQBALANCE },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ NULL, 0, NULL, 0 },
};

#define NR_LONG (sizeof(long_options) / sizeof(long_options[0]) - 1)

/*
 * The element getopt_long() worked on in its last call: the first one at
 * or after @from that looks like an option.  GNU getopt skips (and later
 * moves) the operands before it, but never the elements from optind on.
 */
static const char *current_element(int argc, char **argv, int from)
{
	int i;

	for (i = from > 0 ? from : 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return argv[i];
	return "";
}

/* The option @c as the user wrote it ("--wait", "-n") into @buf. */
static const char *option_spelling(const char *elem, int c, char *buf,
				   size_t cap)
{
	size_t i;

	if (strncmp(elem, "--", 2) == 0) {
		for (i = 0; i < NR_LONG; i++)
			if (long_options[i].val == c) {
				snprintf(buf, cap, "--%s", long_options[i].name);
				return buf;
			}
	}
	snprintf(buf, cap, "-%c", c);
	return buf;
}

/* Why getopt_long() refused the long option @elem ("--json=1"). */
static void long_option_error(const char *elem)
{
	const char *name = elem + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name), i;
	const struct option *hit = NULL;
	int matches = 0;

	for (i = 0; i < NR_LONG; i++) {
		const struct option *o = &long_options[i];

		if (strncmp(o->name, name, len) != 0)
			continue;
		if (strlen(o->name) == len) {	/* exact: no ambiguity */
			hit = o;
			matches = 1;
			break;
		}
		hit = o;
		matches++;
	}
	if (matches == 0)
		say("--%.*s: unknown option (see mqtune --help)", (int)len, name);
	else if (matches > 1)
		say("--%.*s: ambiguous option (see mqtune --help)", (int)len, name);
	else if (hit->has_arg == no_argument && eq)
		say("--%s: takes no value (given '%s')", hit->name, eq + 1);
	else
		say("--%s: needs a value (see mqtune --help)", hit->name);
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, const char *optstring,
			 struct mq_ctx *ctx)
{
	int c, from = optind;

	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, long_options, NULL)) != -1) {
		const char *elem = current_element(argc, argv, from);

		from = optind;
		switch (c) {
		case 'j':
			ctx->json = true;
			break;
		case 'p':
			ctx->pretty = true;
			break;
		case 'R':
			ctx->sysroot = optarg;
			break;
		case OPT_ETHTOOL:
			if (parse_transport(optarg, &ctx->transport))
				return usage_error("--ethtool", optarg,
						   "auto, netlink or ioctl");
			break;
		case 'q':
			ctx->quiet = true;
			break;
		case OPT_CONFIG:
			ctx->config_file = optarg;
			break;
		case OPT_ALL:
			ctx->all = true;
			break;
		case OPT_INTERVAL: {
			uint32_t v;

			if (mq_parse_u32(optarg, strlen(optarg), &v) || v < 1 ||
			    v > 3600)
				return usage_error("--interval", optarg,
						   "a number of seconds from 1 to 3600");
			ctx->interval_s = v;
			break;
		}
		case 'h':
			usage(stdout);
			return MQ_EXIT_OK;
		case 'V':
			printf("mqtune %s\n", MQ_VERSION);
			return MQ_EXIT_OK;
		case '?':
		case ':':
			if (strncmp(elem, "--", 2) == 0)
				long_option_error(elem);
			else if (c == ':')
				say("-%c: needs a value (see mqtune --help)", optopt);
			else
				say("-%c: unknown option (see mqtune --help)", optopt);
			return MQ_EXIT_USAGE;
		default: {
			int r = parse_auto_option(c, optarg, ctx);

			if (r > 0)
				return r;
			if (r < 0) {
				say("%s: unknown option (see mqtune --help)", elem);
				return MQ_EXIT_USAGE;
			}
			if (c == OPT_PROMETHEUS && !ctx->check_option[0])
				option_spelling(elem, c, ctx->check_option,
						sizeof(ctx->check_option));
			else if (c != OPT_PROMETHEUS && !ctx->auto_option[0])
				option_spelling(elem, c, ctx->auto_option,
						sizeof(ctx->auto_option));
			/* restore takes -n, --wait and --all of these */
			if (!ctx->policy_option[0] && c != 'n' && c != OPT_WAIT &&
			    c != OPT_ALL)
				option_spelling(elem, c, ctx->policy_option,
						sizeof(ctx->policy_option));
			break;
		}
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

/*
 * --sysroot must name a directory; that is a fact about the command line
 * (status 2), checked before the access layer opens it.
 */
static int check_sysroot(const char *dir)
{
	int fd;

	if (!dir)
		return 0;
	if (!dir[0]) {
		say("--sysroot: empty path");
		return MQ_EXIT_USAGE;
	}
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		say("--sysroot %s: %s", dir, strerror(errno));
		return MQ_EXIT_USAGE;
	}
	close(fd);
	return 0;
}

/* The report could not be written: status 11, said once. */
static int output_failed(int err)
{
	say("standard output: cannot write the report: %s",
	    strerror(err ? err : EIO));
	return MQ_EXIT_OUTPUT;
}

static int run_cli(int argc, char **argv, struct mq_ctx *c)
{
	const struct mq_command *cmd;
	struct mq_diag diag;
	int status;

	mq_diag_clear(&diag);
	/* Options before the command, then options anywhere after it. */
	status = parse_options(argc, argv, "+:jpR:qhVn", c);
	if (status >= 0)
		return status;
	if (optind >= argc) {
		say("no command given");
		fprintf(stderr, "Usage: mqtune [OPTIONS] {auto|show|check|config|restore|doctor} [IFACE...]; "
			"see mqtune --help\n");
		return MQ_EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		say("%s: unknown command: auto, show, check, config, restore or doctor (see mqtune --help)",
		    argv[optind]);
		return MQ_EXIT_USAGE;
	}
	/* Re-scan the rest as its own argv (argv[0] = the command). */
	argv += optind;
	argc -= optind;
	optind = 0;
	status = parse_options(argc, argv, ":jpR:qhVn", c);
	if (status >= 0)
		return status;
	if (c->pretty && !c->json) {
		say("--pretty (-p): only with --json (-j)");
		return MQ_EXIT_USAGE;
	}
	if (c->interval_s && cmd->run != mq_cmd_doctor) {
		say("%s: --interval is an option of doctor", cmd->name);
		return MQ_EXIT_USAGE;
	}
	if (c->all && cmd->run == mq_cmd_show) {
		say("show: --all is an option of auto, check, config and restore, not of show");
		return MQ_EXIT_USAGE;
	}
	status = check_sysroot(c->sysroot);
	if (status)
		return status;
	c->ifnames = (const char *const *)&argv[optind];
	c->nr_ifnames = (size_t)(argc - optind);
	if (mq_root_open(&c->root, c->sysroot, &diag) == 0) {
		if (cmd->run(c, &diag) == 0)
			diag.status = MQ_EXIT_OK;
		mq_root_close(&c->root);
	}
	if (diag.status != MQ_EXIT_OK) {
		say("%s", diag.msg);
		if (c->json && !c->reported && diag.status != MQ_EXIT_OUTPUT)
			mq_render_error_json(stdout, &diag, c->pretty);
	}
	if (fflush(stdout) != 0 && diag.status == MQ_EXIT_OK)
		return output_failed(errno);
	return diag.status;
}

int main(int argc, char **argv)
{
	struct mq_ctx ctx = { .out = stdout, .err = stderr,
			      .wait_ms = MQ_WAIT_DEFAULT_MS };
	int status;

	mq_opts_init(&ctx.cmdline);
	status = run_cli(argc, argv, &ctx);
	/* The only allocations that outlive a command. */
	mq_opts_fini(&ctx.cmdline);
	mq_config_fini(&ctx.config);
	return status;
}
