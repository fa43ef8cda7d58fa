/*
 * render_auto_json.c - `mqtune auto --json`, the document an Ansible task
 * reads: the plan with current and planned values, whether anything
 * changed, the list of changes and their outcome (docs/json.md).
 */
#include <string.h>

#include "mqtune/json.h"
#include "mqtune/rss.h"
#include "render_int.h"

/*
 * {"current": ..., "planned": ...}.  Left as it is, planned equals
 * current; both are null only when the value is unknown here (@now NULL).
 */
static struct json_object *cpus_pair(const struct mq_cpuset *now,
				     const struct mq_cpuset *planned)
{
	struct json_object *o = json_object_new_object();

	if (!planned)
		planned = now;
	mq_json_put(o, "current", now ? mq_json_cpus(now) : NULL);
	mq_json_put(o, "planned", planned ? mq_json_cpus(planned) : NULL);
	return o;
}

static struct json_object *num_pair(int64_t now, int64_t planned)
{
	struct json_object *o = json_object_new_object();

	if (planned < 0)
		planned = now;
	mq_json_put(o, "current", mq_json_int_or_null(now));
	mq_json_put(o, "planned", now < 0 ? NULL : mq_json_int_or_null(planned));
	return o;
}

static struct json_object *vector_json(const struct mq_netdev *dev,
				       const struct mq_dev_placement *dp,
				       const struct mq_irq *irq,
				       struct mq_cpuset *one)
{
	size_t idx = (size_t)(irq - dev->irqs);
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "irq", json_object_new_int64(irq->irq));
	mq_json_put(o, "name", mq_json_str(irq->name));
	mq_json_put(o, "kind", json_object_new_string(mq_vec_kind_name(irq->kind)));
	mq_json_put(o, "managed", json_object_new_boolean(mq_render_irq_managed(irq)));
	mq_json_put(o, "affinity", cpus_pair(irq->has_affinity ? &irq->affinity : NULL,
					     irq->has_affinity ?
					     planned_irq(dp, idx, one) : NULL));
	mq_json_put(o, "effective", irq->has_effective ?
		    mq_json_cpus(&irq->effective) : NULL);
	return o;
}

static struct json_object *queue_json(const struct mq_netdev *dev,
				      const struct mq_dev_placement *dp,
				      size_t q, struct mq_cpuset *one)
{
	struct json_object *o = json_object_new_object();
	struct json_object *vectors = json_object_new_array();
	const struct mq_irq *v[2];
	size_t n = mq_netdev_queue_vectors(dev, q, v), k;

	mq_json_put(o, "queue", json_object_new_int64((int64_t)q));
	mq_json_put(o, "irqs", mq_render_queue_irqs(v, n));
	for (k = 0; k < n; k++)
		json_object_array_add(vectors, vector_json(dev, dp, v[k], one));
	mq_json_put(o, "vectors", vectors);
	mq_json_put(o, "home_cpu", q < dev->nr_rxq ?
		    mq_json_int_or_null(dp->home[q]) : NULL);
	mq_json_put(o, "rps_cpus", q < dev->nr_rxq && dev->rxq[q].has_rps ?
		    cpus_pair(&dev->rxq[q].rps_cpus, planned_rps(dev, dp, q)) : NULL);
	mq_json_put(o, "rps_flow_cnt", q < dev->nr_rxq ?
		    num_pair(dev->rxq[q].rps_flow_cnt, planned_flow(dev, dp, q)) : NULL);
	mq_json_put(o, "xps_cpus", q < dev->nr_txq && dev->txq[q].has_xps ?
		    cpus_pair(&dev->txq[q].xps_cpus, planned_xps(dev, dp, q)) : NULL);
	return o;
}

/*
 * The RSS table: null when not read here (a sysroot); else whether the
 * driver has one, its size, the compact texts now and planned (planned =
 * current when it is left; both null without a table) and why.
 */
static struct json_object *rss_json(const struct mq_netdev *dev,
				    const struct mq_dev_placement *dp)
{
	char now[MQ_RSS_TEXT_MAX], want[MQ_RSS_TEXT_MAX];
	struct json_object *o;
	bool table = dev->rss.table && dev->rss.size;

	if (dev->rss.source == MQ_RSS_SRC_NONE)
		return NULL;
	o = json_object_new_object();
	mq_json_put(o, "supported", json_object_new_boolean(!dev->rss.unsupported));
	mq_json_put(o, "size", json_object_new_int64(dev->rss.size));
	mq_json_put(o, "current", table ? json_object_new_string(
			    mq_rss_format(dev->rss.table, dev->rss.size, now,
					  sizeof(now))) : NULL);
	mq_json_put(o, "planned", !table ? NULL : json_object_new_string(
			    mq_rss_format(dp->rss_want ? dp->rss_want :
					  dev->rss.table, dev->rss.size, want,
					  sizeof(want))));
	mq_json_put(o, "reason", dp->rss_reason ?
		    json_object_new_string(dp->rss_reason) : NULL);
	return o;
}

static struct json_object *netdev_json(const struct mq_netdev *dev,
				       const struct mq_dev_placement *dp,
				       const struct mq_plan *plan, int idx)
{
	struct json_object *o = json_object_new_object();
	struct json_object *queues = json_object_new_array();
	struct mq_cpuset one = { 0 };
	size_t q;

	mq_json_put(o, "name", mq_json_str(dev->name));
	mq_json_put(o, "driver", mq_json_str(dev->driver));
	mq_json_put(o, "numa_node", json_object_new_int64(dev->numa_node));
	mq_json_put(o, "channels_source",
		    json_object_new_string(mq_chan_src_name(dev->channels.source)));
	mq_json_put(o, "channels", mq_render_channels_pair(dev, plan, idx));
	mq_json_put(o, "irq_source",
		    json_object_new_string(mq_irq_src_name(dev->irq_source)));
	mq_json_put(o, "rss", rss_json(dev, dp));
	mq_json_put(o, "rx_queues", json_object_new_int64((int64_t)dev->nr_rxq));
	mq_json_put(o, "tx_queues", json_object_new_int64((int64_t)dev->nr_txq));
	mq_json_put(o, "usable_cpus", mq_json_cpus(&dp->usable));
	mq_json_put(o, "nr_usable_cpus", json_object_new_int64((int64_t)dp->nr_order));
	mq_json_put(o, "sum", json_object_new_int64((int64_t)dp->sum));
	if (mq_cpuset_init(&one, dev->local_cpus.nbits) == 0) {
		for (q = 0; q < mq_netdev_nr_queues(dev); q++)
			json_object_array_add(queues, queue_json(dev, dp, q, &one));
		mq_cpuset_fini(&one);
	}
	mq_json_put(o, "queues", queues);
	mq_render_napi_json(o, dev, dp);
	return o;
}

/*
 * A change's old and new value as JSON text: CPU sets in list form from
 * the model and the placement ("" for the empty set, as everywhere in the
 * document), numbers as the plan shows them.
 */
static void change_values(const struct mq_report *rep,
			  const struct mq_change *c, struct json_object *o)
{
	const struct mq_cpuset *old = NULL, *want = NULL;
	struct mq_cpuset one = { 0 };
	const struct mq_netdev *dev;
	const struct mq_dev_placement *dp;

	if (c->dev >= 0 && (size_t)c->dev < rep->m->nr_netdevs) {
		dev = &rep->m->netdevs[c->dev];
		dp = &rep->pl->devs[c->dev];
		switch (c->target) {
		case MQ_T_IRQ_AFFINITY:
			if (c->index < dev->nr_irqs &&
			    mq_cpuset_init(&one, rep->m->topo.nr_cpu_ids) == 0) {
				old = &dev->irqs[c->index].affinity;
				want = planned_irq(dp, c->index, &one);
			}
			break;
		case MQ_T_RPS_CPUS:
			old = &dev->rxq[c->index].rps_cpus;
			want = planned_rps(dev, dp, c->index);
			break;
		case MQ_T_XPS_CPUS:
			old = &dev->txq[c->index].xps_cpus;
			want = planned_xps(dev, dp, c->index);
			break;
		case MQ_T_NAPI_AFFINITY:
			if (c->index < dev->nr_napi &&
			    mq_cpuset_init(&one, rep->m->topo.nr_cpu_ids) == 0) {
				old = &dev->napi[c->index].affinity;
				want = planned_napi(dp, c->index, &one);
			}
			break;
		default:
			break;
		}
	}
	if (old && want) {
		mq_json_put(o, "old", mq_json_cpus(old));
		mq_json_put(o, "new", mq_json_cpus(want));
	} else {
		mq_json_put(o, "old", json_object_new_string(c->old_display));
		mq_json_put(o, "new", json_object_new_string(c->new_display));
	}
	mq_cpuset_fini(&one);
}

static struct json_object *change_json(const struct mq_report *rep,
				       const struct mq_change *c)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "object", mq_json_str(c->object));
	mq_json_put(o, "path", mq_json_str(c->path));
	change_values(rep, c, o);
	mq_json_put(o, "state", json_object_new_string(mq_change_state_name(c->state)));
	if (c->target == MQ_T_IRQ_AFFINITY)
		mq_json_put(o, "pending", json_object_new_boolean(c->pending));
	return o;
}

static bool changed(const struct mq_report *rep)
{
	if (rep->dry_run)	/* refused (irqbalance) changes nothing */
		return rep->plan->nr > 0 && !rep->failure;
	return count_changes(rep->plan, MQ_CH_APPLIED) > 0 ||
	       count_changes(rep->plan, MQ_CH_RESTORE_FAILED) > 0;
}

int mq_render_auto_json(FILE *f, const struct mq_report *rep)
{
	struct json_object *sysctls = json_object_new_object();
	const struct mq_diag *fail = rep->failure;
	struct mq_json_out out;
	size_t i;

	mq_render_json_begin(&out, f, rep->sysroot, rep->pretty);
	mq_render_json_status(&out, rep->dry_run, changed(rep), fail);
	mq_json_out_array_begin(&out, "interfaces");
	for (i = 0; i < rep->m->nr_netdevs; i++)
		mq_json_out_item(&out, netdev_json(&rep->m->netdevs[i],
						   &rep->pl->devs[i], rep->plan,
						   (int)i));
	mq_json_out_array_end(&out);
	mq_json_put(sysctls, "netdev_max_backlog",
		    num_pair(rep->m->sysctls.netdev_max_backlog, rep->pl->backlog));
	mq_json_put(sysctls, "rps_sock_flow_entries",
		    num_pair(rep->m->sysctls.rps_sock_flow_entries,
			     rep->pl->flow_entries));
	mq_json_out_member(&out, "sysctls", sysctls);
	mq_json_out_array_begin(&out, "changes");
	for (i = 0; i < rep->plan->nr; i++)
		mq_json_out_item(&out, change_json(rep, &rep->plan->changes[i]));
	mq_json_out_array_end(&out);
	mq_json_out_array_begin(&out, "warnings");
	mq_render_warning_items(&out, &rep->pl->warnings);
	mq_json_out_array_end(&out);
	return mq_json_out_end(&out);
}
