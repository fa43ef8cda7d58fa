/*
 * render_napi.c - an interface's threaded NAPI kernel threads in `show`
 * and `auto`, as text and as JSON members (docs/json.md).
 */
#include <stdlib.h>
#include <string.h>

#include "mqtune/esc.h"
#include "mqtune/table.h"
#include "render_int.h"

static const char *threaded_word(int v)
{
	switch (v) {
	case -1:
		return "unknown (no threaded file)";
	case 0:
		return "off";
	case 1:
		return "on";
	case 2:
		return "on, busy-poll";
	default:
		return "on";
	}
}

/* "rx-0", "tx-1", "rx-0,tx-0" or "?" */
static const char *queue_cell(const struct mq_napi_thread *th, char *buf,
			      size_t cap)
{
	if (th->rxq >= 0 && th->txq >= 0)
		snprintf(buf, cap, "rx-%d,tx-%d", th->rxq, th->txq);
	else if (th->rxq >= 0)
		snprintf(buf, cap, "rx-%d", th->rxq);
	else if (th->txq >= 0)
		snprintf(buf, cap, "tx-%d", th->txq);
	else
		snprintf(buf, cap, "?");
	return buf;
}

static bool any_inferred(const struct mq_netdev *dev)
{
	size_t i;

	for (i = 0; i < dev->nr_napi; i++)
		if (dev->napi[i].inferred)
			return true;
	return false;
}

static bool any_unknown_queue(const struct mq_netdev *dev)
{
	size_t i;

	for (i = 0; i < dev->nr_napi; i++)
		if (dev->napi[i].threaded && dev->napi[i].rxq < 0 &&
		    dev->napi[i].txq < 0)
			return true;
	return false;
}

static void notes(FILE *f, const char *indent, const struct mq_netdev *dev,
		  bool planning)
{
	if (any_inferred(dev))
		fprintf(f, "%snote: NAPI thread queues inferred from NAPI id "
			"order (the kernel reports no queue's NAPI id)\n",
			indent);
	if (any_unknown_queue(dev))
		fprintf(f, "%snote: a NAPI thread serving no known queue is "
			"left as it is\n", indent);
	if (planning && !dev->napi_live && dev->nr_napi)
		fprintf(f, "%snote: a --sysroot snapshot: NAPI threads are "
			"shown, not pinned (no thread runs there)\n", indent);
}

int mq_render_napi_text(FILE *f, const struct mq_netdev *dev,
			const struct mq_dev_placement *dp, bool only_changed)
{
	static const char *const show_head[] = { "THREAD", "PID", "NAPI ID",
						 "QUEUE", "AFFINITY" };
	static const char *const auto_head[] = { "THREAD", "PID", "QUEUE",
						 "HOME", "AFFINITY" };
	char name[MQ_ESC_SIZE(IFNAMSIZ)];
	struct mq_cpuset one = { 0 };
	struct mq_table tab;
	size_t i;
	int ret;

	if (dev->napi_threaded <= 0 && !dev->nr_napi)
		return 0;
	if (dp && mq_cpuset_init(&one, dev->local_cpus.nbits ?
				 dev->local_cpus.nbits : 1))
		return -1;
	mq_table_init(&tab, 5, dp ? auto_head : show_head);
	for (i = 0; i < dev->nr_napi; i++) {
		const struct mq_napi_thread *th = &dev->napi[i];
		char pid[16], id[16], q[32], home[16], aff[200], a[160], b[160];
		const struct mq_cpuset *want = dp ? planned_napi(dp, i, &one) :
						     NULL;
		bool moves = want && !mq_cpuset_equal(want, &th->affinity);
		const char *show_cells[5] = { th->comm, pid, id, q, aff };
		const char *auto_cells[5] = { th->comm, pid, q, home, aff };

		if (only_changed && !moves)
			continue;
		snprintf(pid, sizeof(pid), "%d", (int)th->pid);
		snprintf(id, sizeof(id), th->napi_id ? "%u" : "-", th->napi_id);
		queue_cell(th, q, sizeof(q));
		mq_render_cpus_short(&th->affinity, a, sizeof(a),
				     MQ_SET_CELL_MAX);
		if (moves)
			snprintf(aff, sizeof(aff), "%s -> %s", a,
				 mq_render_cpus_short(want, b, sizeof(b),
						      MQ_SET_CELL_MAX));
		else
			snprintf(aff, sizeof(aff), "%s", a);
		if (want)
			snprintf(home, sizeof(home), "%d",
				 dp->napi_cpu[i]);
		else
			snprintf(home, sizeof(home), "-");
		mq_table_add(&tab, dp ? auto_cells : show_cells);
	}
	if (only_changed && tab.nrows == 1) {
		mq_table_fini(&tab);
		mq_cpuset_fini(&one);
		return 0;
	}
	mq_esc_text(dev->name, name, sizeof(name));
	fprintf(f, "%s%s%sthreaded NAPI: %s; %zu thread%s%s%s\n",
		dp ? "" : "  ", dp ? name : "", dp ? " " : "",
		threaded_word(dev->napi_threaded), dev->nr_napi,
		dev->nr_napi == 1 ? "" : "s",
		dev->napi_source == MQ_NAPI_SRC_NETLINK ?
		" (pids from netdev netlink)" :
		dev->napi_source == MQ_NAPI_SRC_NAMES ?
		" (found by thread name)" : "",
		dev->napi_threaded > 0 && !dev->nr_napi ?
		": no napi/ thread found" : "");
	ret = tab.nrows > 1 ? mq_table_print(&tab, f, dp ? "  " : "    ") : 0;
	mq_table_fini(&tab);
	mq_cpuset_fini(&one);
	notes(f, dp ? "  " : "    ", dev, dp != NULL);
	return ret;
}

static struct json_object *queue_or_null(int q)
{
	return q >= 0 ? json_object_new_int64(q) : NULL;
}

void mq_render_napi_json(struct json_object *o, const struct mq_netdev *dev,
			 const struct mq_dev_placement *dp)
{
	struct json_object *arr = json_object_new_array();
	struct mq_cpuset one = { 0 };
	bool have_one = false;
	size_t i;

	if (dp)
		have_one = mq_cpuset_init(&one, dev->local_cpus.nbits ?
					  dev->local_cpus.nbits : 1) == 0;
	for (i = 0; i < dev->nr_napi; i++) {
		const struct mq_napi_thread *th = &dev->napi[i];
		struct json_object *t = json_object_new_object();

		mq_json_put(t, "name", mq_json_str(th->comm));
		mq_json_put(t, "pid", json_object_new_int64(th->pid));
		mq_json_put(t, "napi_id", th->napi_id ?
			    json_object_new_int64(th->napi_id) : NULL);
		mq_json_put(t, "irq", th->irq >= 0 ?
			    json_object_new_int64(th->irq) : NULL);
		mq_json_put(t, "rx_queue", queue_or_null(th->rxq));
		mq_json_put(t, "tx_queue", queue_or_null(th->txq));
		mq_json_put(t, "queue_inferred",
			    json_object_new_boolean(th->inferred));
		mq_json_put(t, "threaded", json_object_new_boolean(th->threaded));
		if (dp) {
			struct json_object *pair = json_object_new_object();
			const struct mq_cpuset *want = have_one ?
				planned_napi(dp, i, &one) : NULL;

			mq_json_put(pair, "current", mq_json_cpus(&th->affinity));
			mq_json_put(pair, "planned",
				    mq_json_cpus(want ? want : &th->affinity));
			mq_json_put(t, "affinity", pair);
		} else {
			mq_json_put(t, "affinity", mq_json_cpus(&th->affinity));
		}
		json_object_array_add(arr, t);
	}
	if (have_one)
		mq_cpuset_fini(&one);
	mq_json_put(o, "napi_threaded", dev->napi_threaded >= 0 ?
		    json_object_new_int64(dev->napi_threaded) : NULL);
	mq_json_put(o, "napi_source", json_object_new_string(
			    mq_napi_src_name(dev->napi_source)));
	mq_json_put(o, "napi_threads", arr);
}
