/*
 * render.h - the model (and later plans and results) as text or JSON.
 *
 * Renderers take const pointers and a FILE; they never read the system.
 */
#ifndef MQTUNE_RENDER_H
#define MQTUNE_RENDER_H

#include <stdio.h>

#include "mqtune/model.h"

#define MQ_JSON_FORMAT_VERSION 1

/* `mqtune show` as a readable table per interface.  0 or -1 (I/O). */
int mq_render_show_text(FILE *f, const struct mq_machine *m);

/* `mqtune show --json` (docs/json.md).  @sysroot NULL on a live system. */
int mq_render_show_json(FILE *f, const struct mq_machine *m,
			const char *sysroot);

/* "0-3,8" into @buf (truncated with "..." when too long). */
const char *mq_render_cpus(const struct mq_cpuset *s, char *buf, size_t cap);

#endif /* MQTUNE_RENDER_H */
