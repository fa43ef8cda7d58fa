/*
 * render_restore.h - what `mqtune restore` did or would do, as text or
 * JSON (docs/json.md, docs/schema/restore.schema.json).
 */
#ifndef MQTUNE_RENDER_RESTORE_H
#define MQTUNE_RENDER_RESTORE_H

#include <stdbool.h>
#include <stdio.h>

#include "mqtune/diag.h"
#include "mqtune/restore.h"

struct mq_restore_report {
	const struct mq_restore *rs;
	const char *sysroot;		/* NULL on a live system */
	bool dry_run;
	bool pretty;			/* JSON: indented */
	bool forgotten;			/* the state file was rewritten */
	const struct mq_diag *failure;	/* NULL when the run succeeded */
};

/*
 * One row per value written back ("OBJECT  NOW -> ORIGINAL"), one per
 * entry not written and why, then a summary: how many restored, stale,
 * kept in the state file.  0 or -1 (I/O).
 */
int mq_render_restore_text(FILE *f, const struct mq_restore_report *rep);
int mq_render_restore_json(FILE *f, const struct mq_restore_report *rep);

#endif /* MQTUNE_RENDER_RESTORE_H */
