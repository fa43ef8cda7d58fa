/*
 * cli.h - what the command-line entry hands to each command.
 */
#ifndef MQTUNE_CLI_H
#define MQTUNE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/place.h"
#include "mqtune/root.h"

enum mq_irqbalance_mode {
	MQ_IRQBALANCE_WARN = 0,
	MQ_IRQBALANCE_FAIL,
	MQ_IRQBALANCE_IGNORE,
};

struct mq_ctx {
	struct mq_root root;
	const char *sysroot;		/* NULL on a live system */
	enum mq_ethtool_transport transport;
	bool json;
	bool pretty;			/* -p: indented JSON */
	bool quiet;
	bool reported;			/* a command printed its report */
	char auto_option[24];		/* the first option only `auto` takes,
					   as written ("--wait", "-n"); "" */
	FILE *out;			/* report (text or JSON) */
	FILE *err;			/* warnings */
	/* `auto` */
	bool dry_run;
	bool explain;			/* --explain */
	struct mq_policy policy;	/* cpusets below are owned by main */
	struct mq_cpuset only_cpus, exclude_cpus;
	long wait_ms;
	enum mq_irqbalance_mode irqbalance;
	/* `auto` and `check` */
	bool all;			/* --all: the whole managed set */
	/* `check` */
	bool prometheus;		/* --prometheus: textfile metrics */
	char check_option[24];		/* the first option only `check` takes */
	/* The interfaces named on the command line. */
	const char *const *ifnames;
	size_t nr_ifnames;
};

/*
 * Resolve the interface list: the names given, or the default-route
 * interface when none is.  @storage holds that name.  0 or -1 with @d.
 */
int mq_cli_ifnames(struct mq_ctx *ctx, char storage[IFNAMSIZ],
		   const char **one, struct mq_diag *d);

int mq_cmd_show(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_auto(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_check(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_watch(struct mq_ctx *ctx, struct mq_diag *d);

#endif /* MQTUNE_CLI_H */
