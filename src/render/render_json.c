/*
 * render_json.c - `mqtune show --json`, in the layout of docs/json.md.
 *
 * Field names and types here are an interface that playbooks depend on:
 * add fields, never rename or retype them within one format_version.
 */
#include "mqtune/render.h"

#include <stdlib.h>
#include <string.h>

#include "mqtune/json.h"
#include "mqtune/rss.h"
#include "render_int.h"

static struct json_object *vector_json(const struct mq_irq *irq, bool queue)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "irq", json_object_new_int64(irq->irq));
	mq_json_put(o, "name", mq_json_str(irq->name));
	if (queue)
		mq_json_put(o, "kind",
			    json_object_new_string(mq_vec_kind_name(irq->kind)));
	else
		mq_json_put(o, "role", json_object_new_string(irq->role));
	mq_json_put(o, "affinity", irq->has_affinity ?
		    mq_json_cpus(&irq->affinity) : NULL);
	mq_json_put(o, "effective", irq->has_effective ?
		    mq_json_cpus(&irq->effective) : NULL);
	mq_json_put(o, "managed", json_object_new_boolean(mq_render_irq_managed(irq)));
	return o;
}

struct json_object *mq_render_queue_irqs(const struct mq_irq *const *v,
					 size_t n)
{
	struct json_object *irqs = json_object_new_array();
	size_t k;

	for (k = 0; k < n; k++)
		json_object_array_add(irqs, json_object_new_int64(v[k]->irq));
	return irqs;
}

static struct json_object *queue_json(const struct mq_netdev *dev, size_t q)
{
	struct json_object *o = json_object_new_object();
	struct json_object *vectors = json_object_new_array();
	const struct mq_irq *v[2];
	size_t n = mq_netdev_queue_vectors(dev, q, v), k;

	mq_json_put(o, "queue", json_object_new_int64((int64_t)q));
	mq_json_put(o, "irqs", mq_render_queue_irqs(v, n));
	for (k = 0; k < n; k++)
		json_object_array_add(vectors, vector_json(v[k], true));
	mq_json_put(o, "vectors", vectors);
	mq_json_put(o, "rps_cpus", q < dev->nr_rxq && dev->rxq[q].has_rps ?
		    mq_json_cpus(&dev->rxq[q].rps_cpus) : NULL);
	mq_json_put(o, "rps_flow_cnt", q < dev->nr_rxq ?
		    mq_json_int_or_null(dev->rxq[q].rps_flow_cnt) : NULL);
	mq_json_put(o, "xps_cpus", q < dev->nr_txq && dev->txq[q].has_xps ?
		    mq_json_cpus(&dev->txq[q].xps_cpus) : NULL);
	return o;
}

/* A count, or null when the driver has no channel counts. */
static struct json_object *count_json(const struct mq_channels *ch, uint32_t v)
{
	return ch->unsupported ? NULL : json_object_new_int64(v);
}

static struct json_object *channels_json(const struct mq_channels *ch)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "source", json_object_new_string(mq_chan_src_name(ch->source)));
	mq_json_put(o, "supported", json_object_new_boolean(!ch->unsupported));
	mq_json_put(o, "rx", count_json(ch, ch->rx));
	mq_json_put(o, "tx", count_json(ch, ch->tx));
	mq_json_put(o, "other", count_json(ch, ch->other));
	mq_json_put(o, "combined", count_json(ch, ch->combined));
	mq_json_put(o, "max_rx", count_json(ch, ch->max_rx));
	mq_json_put(o, "max_tx", count_json(ch, ch->max_tx));
	mq_json_put(o, "max_other", count_json(ch, ch->max_other));
	mq_json_put(o, "max_combined", count_json(ch, ch->max_combined));
	return o;
}

const struct mq_change *mq_render_dev_step(const struct mq_plan *plan,
					   int dev, enum mq_target target)
{
	size_t i;

	for (i = 0; plan && i < plan->nr; i++)
		if (plan->changes[i].dev == dev &&
		    plan->changes[i].target == target && plan->changes[i].step)
			return &plan->changes[i];
	return NULL;
}

static struct json_object *counts_json(const struct mq_channels *ch,
				       bool max)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "rx", count_json(ch, max ? ch->max_rx : ch->rx));
	mq_json_put(o, "tx", count_json(ch, max ? ch->max_tx : ch->tx));
	mq_json_put(o, "other", count_json(ch, max ? ch->max_other : ch->other));
	mq_json_put(o, "combined", count_json(ch, max ? ch->max_combined :
					      ch->combined));
	return o;
}

struct json_object *mq_render_channels_pair(const struct mq_netdev *dev,
					    const struct mq_plan *plan, int idx)
{
	const struct mq_change *c = mq_render_dev_step(plan, idx, MQ_T_CHANNELS);
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "source", json_object_new_string(mq_chan_src_name(dev->channels.source)));
	mq_json_put(o, "current", counts_json(c ? &c->step->chan_saved :
					      &dev->channels, false));
	mq_json_put(o, "planned", counts_json(c ? &c->step->chan_want :
					      &dev->channels, false));
	mq_json_put(o, "max", counts_json(&dev->channels, true));
	mq_json_put(o, "vectors_after_change",
		    json_object_new_boolean(dev->irqs_after_change));
	return o;
}

/*
 * The RSS indirection table: null when not read (a sysroot, or unreadable:
 * a warning says why); else its transport, whether the driver has one,
 * its size, every entry, each queue's share (entries, by queue number up
 * to the highest named) and the compact text of the text report.
 */
static struct json_object *rss_json(const struct mq_rss *rss)
{
	struct json_object *o, *table, *shares;
	char text[MQ_RSS_TEXT_MAX];
	uint32_t i, n;
	uint32_t *count;

	if (rss->source == MQ_RSS_SRC_NONE)
		return NULL;
	o = json_object_new_object();
	table = json_object_new_array();
	shares = json_object_new_array();
	n = rss->table && rss->size ? mq_rss_max_queue(rss) : 0;
	/* queue numbers are below the rx rings; past any real count: none */
	n = n < MQ_RSS_SHARES_MAX && rss->table && rss->size ? n + 1 : 0;
	count = n ? calloc(n, sizeof(*count)) : NULL;
	for (i = 0; rss->table && i < rss->size; i++)
		json_object_array_add(table, json_object_new_int64(rss->table[i]));
	if (count) {
		mq_rss_shares(rss->table, rss->size, count, n);
		for (i = 0; i < n; i++)
			json_object_array_add(shares, json_object_new_int64(count[i]));
		free(count);
	}
	mq_json_put(o, "source", json_object_new_string(mq_rss_src_name(rss->source)));
	mq_json_put(o, "supported", json_object_new_boolean(!rss->unsupported));
	mq_json_put(o, "size", json_object_new_int64(rss->size));
	mq_json_put(o, "table", table);
	mq_json_put(o, "shares", shares);
	mq_json_put(o, "text", json_object_new_string(
			    mq_rss_format(rss->table, rss->size, text, sizeof(text))));
	return o;
}

static struct json_object *netdev_json(const struct mq_netdev *dev)
{
	struct json_object *o = json_object_new_object();
	struct json_object *queues = json_object_new_array();
	struct json_object *other = json_object_new_array();
	size_t nq = mq_netdev_nr_queues(dev), i;

	mq_json_put(o, "name", mq_json_str(dev->name));
	mq_json_put(o, "ifindex", json_object_new_int64(dev->ifindex));
	mq_json_put(o, "driver", mq_json_str(dev->driver));
	mq_json_put(o, "bus", mq_json_str(dev->bus));
	mq_json_put(o, "bus_address", mq_json_str(dev->bus_address));
	mq_json_put(o, "numa_node", json_object_new_int64(dev->numa_node));
	mq_json_put(o, "local_cpus", mq_json_cpus(&dev->local_cpus));
	mq_json_put(o, "speed_mbps", mq_json_int_or_null(dev->speed_mbps));
	mq_json_put(o, "operstate", mq_json_str(dev->operstate));
	mq_json_put(o, "channels", channels_json(&dev->channels));
	mq_json_put(o, "rss", rss_json(&dev->rss));
	mq_json_put(o, "irq_source",
		    json_object_new_string(mq_irq_src_name(dev->irq_source)));
	mq_json_put(o, "irq_state",
		    json_object_new_string(mq_netdev_irq_state(dev)));
	mq_json_put(o, "rx_queues", json_object_new_int64((int64_t)dev->nr_rxq));
	mq_json_put(o, "tx_queues", json_object_new_int64((int64_t)dev->nr_txq));
	for (i = 0; i < nq; i++)
		json_object_array_add(queues, queue_json(dev, i));
	mq_json_put(o, "queues", queues);
	for (i = 0; i < dev->nr_irqs; i++)
		if (!mq_netdev_irq_attached(dev, i))
			json_object_array_add(other, vector_json(&dev->irqs[i], false));
	mq_json_put(o, "other_irqs", other);
	mq_render_napi_json(o, dev, NULL);
	return o;
}

static struct json_object *topology_json(const struct mq_topo *t)
{
	struct json_object *arr = json_object_new_array();
	struct mq_cpuset sib = { 0 };
	int cpu;

	if (mq_cpuset_init(&sib, t->nr_cpu_ids))
		return arr;
	for (cpu = mq_cpuset_next(&t->online, 0); cpu >= 0;
	     cpu = mq_cpuset_next(&t->online, (unsigned int)cpu + 1)) {
		struct json_object *o = json_object_new_object();
		const struct mq_cpu *c = &t->cpus[cpu];
		int s;

		mq_cpuset_zero(&sib);
		for (s = mq_cpuset_next(&t->online, 0); s >= 0;
		     s = mq_cpuset_next(&t->online, (unsigned int)s + 1))
			if (t->cpus[s].first_sibling == c->first_sibling)
				mq_cpuset_set(&sib, (unsigned int)s);
		mq_json_put(o, "cpu", json_object_new_int64(cpu));
		mq_json_put(o, "package", json_object_new_int64(c->package));
		mq_json_put(o, "core", json_object_new_int64(c->core));
		mq_json_put(o, "node", json_object_new_int64(c->node));
		mq_json_put(o, "siblings", mq_json_cpus(&sib));
		json_object_array_add(arr, o);
	}
	mq_cpuset_fini(&sib);
	return arr;
}

static struct json_object *nodes_json(const struct mq_topo *t)
{
	struct json_object *arr = json_object_new_array();
	size_t i, k;

	for (i = 0; i < t->nr_nodes; i++) {
		struct json_object *o = json_object_new_object();
		struct json_object *dist = json_object_new_array();

		for (k = 0; k < t->nr_nodes; k++)
			json_object_array_add(dist,
				json_object_new_int64(t->nodes[i].distance[k]));
		mq_json_put(o, "node", json_object_new_int64(t->nodes[i].id));
		mq_json_put(o, "cpus", mq_json_cpus(&t->nodes[i].cpus));
		mq_json_put(o, "distances", dist);
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *system_json(const struct mq_machine *m)
{
	const struct mq_topo *t = &m->topo;
	struct json_object *o = json_object_new_object();
	struct json_object *cpus = json_object_new_object();
	struct json_object *sysctls = json_object_new_object();
	struct json_object *irqb = json_object_new_object();

	mq_json_put(o, "nr_cpu_ids", json_object_new_int64(t->nr_cpu_ids));
	mq_json_put(cpus, "possible", mq_json_cpus(&t->possible));
	mq_json_put(cpus, "online", mq_json_cpus(&t->online));
	mq_json_put(cpus, "isolated", mq_json_cpus(&t->isolated));
	mq_json_put(cpus, "nohz_full", mq_json_cpus(&t->nohz_full));
	mq_json_put(o, "cpus", cpus);
	mq_json_put(o, "smt", json_object_new_boolean(t->smt));
	mq_json_put(o, "cpu_topology", topology_json(t));
	mq_json_put(o, "numa_nodes", nodes_json(t));
	mq_json_put(sysctls, "netdev_max_backlog",
		    mq_json_int_or_null(m->sysctls.netdev_max_backlog));
	mq_json_put(sysctls, "rps_sock_flow_entries",
		    mq_json_int_or_null(m->sysctls.rps_sock_flow_entries));
	mq_json_put(o, "sysctls", sysctls);
	mq_json_put(irqb, "running", json_object_new_boolean(m->irqbalance_pid != 0));
	mq_json_put(irqb, "pid", m->irqbalance_pid ?
		    json_object_new_int64(m->irqbalance_pid) : NULL);
	mq_json_put(o, "irqbalance", irqb);
	return o;
}

struct json_object *mq_render_warning_json(const struct mq_warning *w)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "code", mq_json_str(w->code));
	mq_json_put(o, "object", w->object[0] ? mq_json_str(w->object) : NULL);
	mq_json_put(o, "message", mq_json_str(w->message));
	return o;
}

void mq_render_warning_items(struct mq_json_out *out, const struct mq_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		mq_json_out_item(out, mq_render_warning_json(&w->list[i]));
}

/*
 * What `show` warns about, in one array: files read as unknown, a link
 * that is down, a running irqbalance.
 */
static void show_warnings(struct mq_json_out *out, const struct mq_machine *m)
{
	char msg[256];
	struct mq_warning w;
	size_t i;

	mq_json_out_array_begin(out, "warnings");
	mq_render_warning_items(out, &m->topo.warnings);
	for (i = 0; i < m->nr_netdevs; i++) {
		const struct mq_netdev *dev = &m->netdevs[i];

		mq_render_warning_items(out, &dev->warnings);

		if (strcmp(dev->operstate, "down") &&
		    strcmp(dev->operstate, "lowerlayerdown") &&
		    strcmp(dev->operstate, "notpresent"))
			continue;
		snprintf(w.code, sizeof(w.code), "link-down");
		snprintf(w.object, sizeof(w.object), "%s", dev->name);
		snprintf(msg, sizeof(msg), "%s: the link is down (operstate %s)",
			 dev->name, dev->operstate);
		w.message = msg;
		mq_json_out_item(out, mq_render_warning_json(&w));
	}
	if (m->irqbalance_pid) {
		snprintf(w.code, sizeof(w.code), "irqbalance-running");
		snprintf(w.object, sizeof(w.object), "irqbalance");
		snprintf(msg, sizeof(msg), "irqbalance is running (pid %d) and "
			 "moves IRQs by load", (int)m->irqbalance_pid);
		w.message = msg;
		mq_json_out_item(out, mq_render_warning_json(&w));
	}
	mq_json_out_array_end(out);
}

void mq_render_json_begin(struct mq_json_out *out, FILE *f,
			  const char *sysroot, bool pretty)
{
	mq_json_out_begin(out, f, pretty);
	mq_json_out_member(out, "format_version",
			   json_object_new_int64(MQ_JSON_FORMAT_VERSION));
	mq_json_out_member(out, "mqtune_version",
			   json_object_new_string(MQ_VERSION));
	mq_json_out_member(out, "sysroot",
			   sysroot ? mq_json_str(sysroot) : NULL);
}

void mq_render_json_status(struct mq_json_out *out, bool dry_run, bool changed,
			   const struct mq_diag *fail)
{
	mq_json_out_member(out, "dry_run", json_object_new_boolean(dry_run));
	mq_json_out_member(out, "changed", json_object_new_boolean(changed));
	mq_json_out_member(out, "status", json_object_new_string(
				   mq_exit_name(fail ? fail->status : MQ_EXIT_OK)));
	mq_json_out_member(out, "exit_code",
			   json_object_new_int64(fail ? fail->status : 0));
	mq_json_out_member(out, "error", fail ? mq_json_str(fail->msg) : NULL);
}

int mq_render_show_json(FILE *f, const struct mq_machine *m,
			const char *sysroot, bool pretty)
{
	struct mq_json_out out;
	size_t i;

	mq_render_json_begin(&out, f, sysroot, pretty);
	mq_json_out_member(&out, "system", system_json(m));
	mq_json_out_array_begin(&out, "interfaces");
	for (i = 0; i < m->nr_netdevs; i++)
		mq_json_out_item(&out, netdev_json(&m->netdevs[i]));
	mq_json_out_array_end(&out);
	show_warnings(&out, m);
	return mq_json_out_end(&out);
}

int mq_render_error_json(FILE *f, const struct mq_diag *d, bool pretty)
{
	struct json_object *doc = json_object_new_object();

	mq_json_put(doc, "format_version",
		    json_object_new_int64(MQ_JSON_FORMAT_VERSION));
	mq_json_put(doc, "mqtune_version", json_object_new_string(MQ_VERSION));
	mq_json_put(doc, "changed", json_object_new_boolean(false));
	mq_json_put(doc, "status", json_object_new_string(mq_exit_name(d->status)));
	mq_json_put(doc, "exit_code", json_object_new_int64(d->status));
	mq_json_put(doc, "error", mq_json_str(d->msg));
	return mq_json_print(f, doc, pretty);
}
