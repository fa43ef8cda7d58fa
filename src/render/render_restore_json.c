/*
 * render_restore_json.c - `mqtune restore --json`: the status fields of
 * `auto --json`, then one item per entry chosen (what it holds, what the
 * file holds now, what was done) and how many entries remain
 * (docs/json.md, docs/schema/restore.schema.json).
 */
#include <string.h>

#include "mqtune/json.h"
#include "mqtune/render_restore.h"
#include "render_int.h"

static struct json_object *item_json(const struct mq_restore *rs,
				     const struct mq_restore_item *it)
{
	const struct mq_sentry *e = &rs->state.entries[it->entry];
	const struct mq_change *c = it->change >= 0 ?
		&rs->plan.changes[it->change] : NULL;
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "object", mq_json_str(e->object));
	mq_json_put(o, "kind", json_object_new_string(mq_state_kind_name(e->target)));
	mq_json_put(o, "path", mq_json_str(e->path));
	mq_json_put(o, "interface", e->ifname[0] ? mq_json_str(e->ifname) : NULL);
	mq_json_put(o, "action", json_object_new_string(mq_rfate_name(it->fate)));
	mq_json_put(o, "original", mq_json_str(e->value));
	mq_json_put(o, "current", it->now ? mq_json_str(it->now) : NULL);
	mq_json_put(o, "state", c ? json_object_new_string(
			    mq_change_state_name(c->state)) : NULL);
	mq_json_put(o, "reason", it->why[0] ? mq_json_str(it->why) : NULL);
	return o;
}

static bool changed(const struct mq_restore_report *rep)
{
	size_t i;

	if (rep->dry_run)
		return rep->rs->plan.nr > 0 && !rep->failure;
	for (i = 0; i < rep->rs->plan.nr; i++)
		if (rep->rs->plan.changes[i].state == MQ_CH_APPLIED ||
		    rep->rs->plan.changes[i].state == MQ_CH_RESTORE_FAILED)
			return true;
	return false;
}

int mq_render_restore_json(FILE *f, const struct mq_restore_report *rep)
{
	const struct mq_diag *fail = rep->failure;
	const struct mq_restore *rs = rep->rs;
	struct mq_json_out out;
	size_t i;

	mq_render_json_begin(&out, f, rep->sysroot, rep->pretty);
	mq_render_json_status(&out, rep->dry_run, changed(rep), fail);
	mq_json_out_member(&out, "state_file", json_object_new_string(MQ_STATE_PATH));
	mq_json_out_member(&out, "other_boot", json_object_new_boolean(rs->other_boot));
	mq_json_out_member(&out, "sysctls_restored", json_object_new_boolean(
				   rs->sysctls && !rs->other_boot));
	mq_json_out_array_begin(&out, "entries");
	for (i = 0; i < rs->nr; i++)
		mq_json_out_item(&out, item_json(rs, &rs->items[i]));
	mq_json_out_array_end(&out);
	mq_json_out_member(&out, "remaining", json_object_new_int64(
				   (int64_t)(rep->forgotten || rep->dry_run ?
					     mq_restore_remaining(rs) : rs->state.nr)));
	return mq_json_out_end(&out);
}
