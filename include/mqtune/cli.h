/*
 * cli.h - what the command-line entry hands to each command.
 */
#ifndef MQTUNE_CLI_H
#define MQTUNE_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "mqtune/config.h"
#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/options.h"
#include "mqtune/place.h"
#include "mqtune/root.h"

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
	struct mq_policy policy;	/* the effective one (cmd_auto fills it) */
	long wait_ms;			/* effective: command line, else file */
	enum mq_irqbalance_mode irqbalance;
	/* `auto`, `check`, `config`, `restore` */
	bool all;			/* --all: the whole managed set */
	/* `check` */
	bool prometheus;		/* --prometheus: textfile metrics */
	char check_option[24];		/* the first option only `check` takes */
	/* The config file (docs/config.md). */
	struct mq_opts cmdline;		/* the auto options as given on the
					   command line (owned by main) */
	const char *config_file;	/* --config FILE; NULL: the default */
	struct mq_config config;	/* loaded by mq_cli_config (owned) */
	bool config_loaded;
	char policy_option[24];		/* the first option of auto that
					   restore does not take, as written */
	/* `doctor` */
	unsigned int interval_s;	/* --interval: 0 = totals since boot */
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

/* --all with interface names: "@cmd: --all or interface names, not
 * both", status 2.  0 or -1 with @d. */
int mq_cli_all_or_names(const struct mq_ctx *ctx, const char *cmd,
			struct mq_diag *d);

/*
 * Load the config file into ctx->config once (later calls return 0):
 * --config FILE, else /etc/mqtune.conf below the root.  0 or -1 with @d
 * (MQ_EXIT_CONFIG).  Then ctx->irqbalance and ctx->wait_ms are the
 * effective [global] values (command line over file over default).
 */
int mq_cli_config(struct mq_ctx *ctx, struct mq_diag *d);

/*
 * No interface named on the command line, and a config file that names
 * some: a run is then for the config's interfaces (as --all).
 */
bool mq_cli_config_names(const struct mq_ctx *ctx);

/*
 * Push the report out (@ret: what its renderer returned), so that a full
 * disk or a closed pipe is found: 0, or -1 with @d (MQ_EXIT_OUTPUT,
 * "standard output: cannot write the report: CAUSE").
 */
int mq_cli_report_done(struct mq_ctx *ctx, int ret, struct mq_diag *d);

/* A run that writes (auto, restore): its lock and held signals. */
struct mq_cli_run {
	int lock;		/* -1: none (a dry run) */
	bool holding;		/* signals held since the lock */
	sigset_t held;		/* the mask to give back */
};

/*
 * Unless --dry-run: root on a live system (else MQ_EXIT_PERM, "@what IRQ
 * affinity... needs root"), the lock (waiting up to --wait), then
 * SIGTERM, SIGINT, SIGHUP and SIGQUIT held.  0, or -1 with @d.
 */
int mq_cli_run_begin(struct mq_ctx *ctx, struct mq_cli_run *run,
		     const char *what, struct mq_diag *d);
/* Release the lock; after a successful run (@ret 0) the held signals. */
void mq_cli_run_end(struct mq_ctx *ctx, struct mq_cli_run *run, int ret);

int mq_cmd_show(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_config(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_auto(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_check(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_restore(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_doctor(struct mq_ctx *ctx, struct mq_diag *d);
int mq_cmd_watch(struct mq_ctx *ctx, struct mq_diag *d);

#endif /* MQTUNE_CLI_H */
