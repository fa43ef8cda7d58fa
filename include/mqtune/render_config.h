/*
 * render_config.h - `mqtune config`: the effective options, text and JSON
 * (docs/config.md, docs/schema/config.schema.json).
 */
#ifndef MQTUNE_RENDER_CONFIG_H
#define MQTUNE_RENDER_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "mqtune/config.h"
#include "mqtune/model.h"

struct mq_config_report {
	const struct mq_config *cfg;	/* loaded (file may be missing) */
	const char *sysroot;		/* NULL on a live system */
	struct mq_resolved global;	/* resolved without an interface */
	size_t nr;
	const struct mq_netdev *const *devs;	/* nr interfaces */
	const struct mq_resolved *res;		/* parallel to devs */
};

/* One table per interface: key, value, source.  0 or -1 (write error). */
int mq_render_config_text(FILE *f, const struct mq_config_report *rep);
/* One JSON document.  0 or -1. */
int mq_render_config_json(FILE *f, const struct mq_config_report *rep,
			  bool pretty);

#endif /* MQTUNE_RENDER_CONFIG_H */
