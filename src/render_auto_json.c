/*
 * render_auto_json.c - `mqtune auto --json`, the document an Ansible task
 * reads: the plan with current and planned values, whether anything
 * changed, the list of changes and their outcome (docs/json.md).
 */
#include "mqtune/json.h"
#include "render_int.h"

/* {"current": ..., "planned": ...}; planned null = left as it is. */
static struct json_object *cpus_pair(const struct mq_cpuset *now,
				     const struct mq_cpuset *planned)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "current", mq_json_cpus(now));
	mq_json_put(o, "planned", planned ? mq_json_cpus(planned) : NULL);
	return o;
}

static struct json_object *num_pair(int64_t now, int64_t planned)
{
	struct json_object *o = json_object_new_object();

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
	mq_json_put(o, "name", json_object_new_string(irq->name));
	mq_json_put(o, "kind", json_object_new_string(mq_vec_kind_name(irq->kind)));
	mq_json_put(o, "managed", json_object_new_boolean(dp->irq_managed[idx]));
	mq_json_put(o, "affinity", cpus_pair(&irq->affinity,
					     planned_irq(dp, idx, one)));
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
	if (n == 2) {
		struct json_object *irqs = json_object_new_array();

		json_object_array_add(irqs, json_object_new_int64(v[0]->irq));
		json_object_array_add(irqs, json_object_new_int64(v[1]->irq));
		mq_json_put(o, "irqs", irqs);
	} else {
		mq_json_put(o, "irq", n ? json_object_new_int64(v[0]->irq) : NULL);
	}
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

static struct json_object *netdev_json(const struct mq_netdev *dev,
				       const struct mq_dev_placement *dp)
{
	struct json_object *o = json_object_new_object();
	struct json_object *queues = json_object_new_array();
	struct mq_cpuset one = { 0 };
	size_t q;

	mq_json_put(o, "name", json_object_new_string(dev->name));
	mq_json_put(o, "driver", json_object_new_string(dev->driver));
	mq_json_put(o, "numa_node", json_object_new_int64(dev->numa_node));
	mq_json_put(o, "channels_source",
		    json_object_new_string(mq_chan_src_name(dev->channels.source)));
	mq_json_put(o, "irq_source",
		    json_object_new_string(mq_irq_src_name(dev->irq_source)));
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
	return o;
}

static struct json_object *change_json(const struct mq_change *c)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "object", json_object_new_string(c->object));
	mq_json_put(o, "path", json_object_new_string(c->path));
	mq_json_put(o, "old", json_object_new_string(c->old_display));
	mq_json_put(o, "new", json_object_new_string(c->new_display));
	mq_json_put(o, "state", json_object_new_string(mq_change_state_name(c->state)));
	if (c->target == MQ_T_IRQ_AFFINITY)
		mq_json_put(o, "pending", json_object_new_boolean(c->pending));
	return o;
}

static bool changed(const struct mq_report *rep)
{
	if (rep->dry_run)
		return rep->plan->nr > 0;
	return count_changes(rep->plan, MQ_CH_APPLIED) > 0 ||
	       count_changes(rep->plan, MQ_CH_RESTORE_FAILED) > 0;
}

int mq_render_auto_json(FILE *f, const struct mq_report *rep)
{
	struct json_object *sysctls = json_object_new_object();
	const struct mq_diag *fail = rep->failure;
	struct mq_json_out out;
	size_t i;

	mq_render_json_begin(&out, f, rep->sysroot);
	mq_json_out_member(&out, "dry_run", json_object_new_boolean(rep->dry_run));
	mq_json_out_member(&out, "changed", json_object_new_boolean(changed(rep)));
	mq_json_out_member(&out, "status", json_object_new_string(
				   mq_exit_name(fail ? fail->status : MQ_EXIT_OK)));
	mq_json_out_member(&out, "exit_code",
			   json_object_new_int64(fail ? fail->status : 0));
	mq_json_out_member(&out, "error",
			   fail ? json_object_new_string(fail->msg) : NULL);
	mq_json_out_array_begin(&out, "interfaces");
	for (i = 0; i < rep->m->nr_netdevs; i++)
		mq_json_out_item(&out, netdev_json(&rep->m->netdevs[i],
						   &rep->pl->devs[i]));
	mq_json_out_array_end(&out);
	mq_json_put(sysctls, "netdev_max_backlog",
		    num_pair(rep->m->sysctls.netdev_max_backlog, rep->pl->backlog));
	mq_json_put(sysctls, "rps_sock_flow_entries",
		    num_pair(rep->m->sysctls.rps_sock_flow_entries,
			     rep->pl->flow_entries));
	mq_json_out_member(&out, "sysctls", sysctls);
	mq_json_out_array_begin(&out, "changes");
	for (i = 0; i < rep->plan->nr; i++)
		mq_json_out_item(&out, change_json(&rep->plan->changes[i]));
	mq_json_out_array_end(&out);
	mq_json_out_array_begin(&out, "warnings");
	for (i = 0; i < rep->pl->nr_warnings; i++)
		mq_json_out_item(&out, mq_render_warning_json(&rep->pl->warnings[i]));
	mq_json_out_array_end(&out);
	return mq_json_out_end(&out);
}
