/*
 * render_restore_text.c - `mqtune restore` for people: the values written
 * back (or that would be), the entries not written and why, a summary.
 */
#include <stdio.h>
#include <string.h>

#include "mqtune/esc.h"
#include "mqtune/render_restore.h"
#include "mqtune/table.h"

static size_t count(const struct mq_restore *rs, enum mq_rfate f)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nr; i++)
		n += rs->items[i].fate == f;
	return n;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

int mq_render_restore_text(FILE *f, const struct mq_restore_report *rep)
{
	static const char *const head[] = { "OBJECT", "NOW", "", "ORIGINAL" };
	const struct mq_restore *rs = rep->rs;
	size_t writes = rs->plan.nr, same = count(rs, MQ_RF_SAME);
	size_t stale = count(rs, MQ_RF_STALE) + count(rs, MQ_RF_MANAGED);
	size_t left = mq_restore_remaining(rs), i;
	struct mq_table t;
	int ret = 0;

	if (!rs->nr) {
		fprintf(f, "nothing to restore%s\n",
			rs->state.nr ? " for these interfaces" : ": no state file");
		goto tail;
	}
	if (writes) {
		mq_table_init(&t, 4, head);
		for (i = 0; i < rs->plan.nr; i++) {
			const struct mq_change *c = &rs->plan.changes[i];
			const char *row[] = { c->object, c->old_display, "->",
					      c->new_display };

			mq_table_add(&t, row);
		}
		ret = mq_table_print(&t, f, "");
		mq_table_fini(&t);
	}
	for (i = 0; i < rs->nr; i++) {
		const struct mq_restore_item *it = &rs->items[i];
		char esc[MQ_ESC_SIZE(96)];

		if (it->fate != MQ_RF_STALE && it->fate != MQ_RF_MANAGED)
			continue;
		fprintf(f, "%s: not written back: %s\n",
			mq_esc_text(rs->state.entries[it->entry].object, esc,
				    sizeof(esc)), it->why);
	}
	if (rep->dry_run)
		fprintf(f, "%zu value%s would be restored", writes, plural(writes));
	else
		fprintf(f, "%zu value%s restored", writes, plural(writes));
	if (same)
		fprintf(f, ", %zu already original", same);
	if (stale)
		fprintf(f, ", %zu stale entr%s %sforgotten", stale,
			stale == 1 ? "y" : "ies", rep->dry_run ? "would be " : "");
	fprintf(f, "\n");
tail:
	if (rs->sysctls_left)
		fprintf(f, "sysctls kept: other interfaces still have entries "
			"(restore --all restores them)\n");
	if (rs->state.nr && (rep->forgotten || rep->dry_run))
		fprintf(f, "%zu entr%s %s in the state file\n", left,
			left == 1 ? "y" : "ies",
			rep->dry_run ? "would remain" : "remain");
	return ret || ferror(f) ? -1 : 0;
}
