/*
 * render.h - the model (and later plans and results) as text or JSON.
 *
 * Renderers take const pointers and a FILE; they never read the system.
 */
#ifndef MQTUNE_RENDER_H
#define MQTUNE_RENDER_H

#include <stdio.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"

#define MQ_JSON_FORMAT_VERSION 2

/* `mqtune show` as a readable table per interface.  0 or -1 (I/O). */
int mq_render_show_text(FILE *f, const struct mq_machine *m);

/* `mqtune show --json` (docs/json.md).  @sysroot NULL on a live system. */
int mq_render_show_json(FILE *f, const struct mq_machine *m,
			const char *sysroot, bool pretty);

/* What `mqtune auto` did or would do. */
struct mq_report {
	const struct mq_machine *m;
	const struct mq_placement *pl;
	const struct mq_plan *plan;
	const char *sysroot;		/* NULL on a live system */
	bool dry_run;
	bool pretty;			/* JSON: indented, not one line */
	bool explain;			/* --explain: reasons, full CPU sets */
	const struct mq_diag *failure;	/* NULL when the run succeeded */
};

/*
 * `mqtune auto` for people: per interface a header and one row per queue
 * with "now -> planned" where a value changes (all rows in a dry run, the
 * changed rows in a real one), the sysctls, the warnings and a summary.
 */
int mq_render_auto_text(FILE *f, const struct mq_report *rep);

/* `mqtune auto --json` (docs/json.md). */
int mq_render_auto_json(FILE *f, const struct mq_report *rep);

/* What `mqtune check` found: the plan's changes are the drifted values. */
struct mq_check_report {
	const struct mq_machine *m;	/* the run's interfaces (a part) */
	const struct mq_placement *pl;
	const struct mq_plan *plan;	/* each change: one drifted value */
	const char *sysroot;		/* NULL on a live system */
	bool pretty;
	double timestamp;		/* seconds since the epoch */
};

/* `mqtune check`: one row per drifted value (object, planned, found). */
int mq_render_check_text(FILE *f, const struct mq_check_report *rep);
/* `mqtune check --json` (docs/json.md, docs/schema/check.schema.json). */
int mq_render_check_json(FILE *f, const struct mq_check_report *rep);
/* `mqtune check --prometheus`: node_exporter textfile-collector metrics. */
int mq_render_check_prometheus(FILE *f, const struct mq_check_report *rep);

/*
 * A failure before any report could be made, as a JSON document with the
 * same status fields as `auto --json`, so a playbook always gets JSON.
 */
int mq_render_error_json(FILE *f, const struct mq_diag *d, bool pretty);

/* "0-3,8" into @buf (truncated with "..." when too long). */
const char *mq_render_cpus(const struct mq_cpuset *s, char *buf, size_t cap);

#endif /* MQTUNE_RENDER_H */
