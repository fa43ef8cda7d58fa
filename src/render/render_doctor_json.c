/*
 * render_doctor_json.c - doctor's findings as one JSON document
 * (docs/json.md, docs/schema/doctor.schema.json), printed finding by
 * finding.
 */
#include "mqtune/doctor_render.h"

#include "render_int.h"

static struct json_object *finding_json(const struct mq_finding *x)
{
	struct json_object *o = json_object_new_object();
	struct json_object *ev = json_object_new_object();
	size_t i;

	mq_json_put(o, "id", json_object_new_string(x->id));
	mq_json_put(o, "severity", json_object_new_string(mq_sev_name(x->sev)));
	mq_json_put(o, "object", mq_json_str(x->object));
	mq_json_put(o, "title", mq_json_str(x->title));
	for (i = 0; i < x->nr_ev; i++)
		mq_json_put(ev, x->ev[i].key, x->ev[i].is_text ?
			    mq_json_str(x->ev[i].text) :
			    json_object_new_int64(x->ev[i].num));
	mq_json_put(o, "evidence", ev);
	mq_json_put(o, "explanation", x->why[0] ? mq_json_str(x->why) : NULL);
	mq_json_put(o, "fix", x->fix[0] ? mq_json_str(x->fix) : NULL);
	return o;
}

int mq_render_doctor_json(FILE *f, const struct mq_findings *fs,
			  const struct mq_doc_facts *facts, const char *sysroot,
			  bool pretty)
{
	struct json_object *counts = json_object_new_object();
	size_t n[4] = { 0 }, i;
	struct mq_json_out out;
	enum mq_sev worst = mq_findings_worst(fs);

	for (i = 0; i < fs->nr; i++)
		n[fs->v[i].sev]++;
	mq_render_json_begin(&out, f, sysroot, pretty);
	mq_json_out_member(&out, "command", json_object_new_string("doctor"));
	mq_json_out_member(&out, "interval_s", facts->interval > 0 ?
			   json_object_new_double(facts->interval) : NULL);
	mq_json_out_member(&out, "sockets_read",
			   json_object_new_boolean(facts->have_sockets));
	mq_json_out_member(&out, "worst",
			   json_object_new_string(mq_sev_name(worst)));
	mq_json_out_member(&out, "exit_code", json_object_new_int64(
		worst == MQ_SEV_CRIT ? MQ_EXIT_DOCTOR_CRIT :
		worst == MQ_SEV_WARN ? MQ_EXIT_DOCTOR_WARN : MQ_EXIT_OK));
	for (i = 0; i < 4; i++)
		mq_json_put(counts, mq_sev_name((enum mq_sev)i),
			    json_object_new_int64((int64_t)n[i]));
	mq_json_out_member(&out, "counts", counts);
	mq_json_out_array_begin(&out, "findings");
	for (i = 0; i < fs->nr; i++)
		mq_json_out_item(&out, finding_json(&fs->v[i]));
	mq_json_out_array_end(&out);
	return mq_json_out_end(&out);
}
