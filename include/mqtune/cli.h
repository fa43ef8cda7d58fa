/*
 * cli.h - what the command-line entry hands to each command.
 */
#ifndef MQTUNE_CLI_H
#define MQTUNE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/root.h"

struct mq_ctx {
	struct mq_root root;
	const char *sysroot;		/* NULL on a live system */
	enum mq_ethtool_transport transport;
	bool json;
	bool quiet;
	FILE *out;			/* report (text or JSON) */
	FILE *err;			/* warnings */
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

#endif /* MQTUNE_CLI_H */
