/*
 * putback.c - the old vector and queue settings, planned again after the
 * old channel counts are back.
 */
#include "mqtune/putback.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/channels.h"

struct pb {
	struct mq_plan *plan;
	size_t cap;
	bool failed;
};

static void add(struct pb *b, enum mq_target t, int dev, size_t index,
		const char *path, const char *object, const char *raw)
{
	struct mq_change *c;

	if (b->failed)
		return;
	if (b->plan->nr == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		struct mq_change *more = realloc(b->plan->changes,
						 cap * sizeof(*more));

		if (!more) {
			b->failed = true;
			return;
		}
		b->plan->changes = more;
		b->cap = cap;
	}
	c = &b->plan->changes[b->plan->nr++];
	memset(c, 0, sizeof(*c));
	c->target = t;
	c->dev = dev;
	c->index = index;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->object, sizeof(c->object), "%s", object);
	c->value = strdup(raw);
	c->old_display = strdup("now");
	c->new_display = strdup(raw);
	if (!c->value || !c->old_display || !c->new_display)
		b->failed = true;
	else	/* the display without its newline */
		c->new_display[strcspn(c->new_display, "\n")] = '\0';
}

static const struct mq_netdev *find(const struct mq_machine *m,
				    const char *name, int *idx)
{
	size_t i;

	for (i = 0; i < m->nr_netdevs; i++)
		if (strcmp(m->netdevs[i].name, name) == 0) {
			*idx = (int)i;
			return &m->netdevs[i];
		}
	return NULL;
}

static bool same_text(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return a == b;
	la = strcspn(a, "\n");
	lb = strcspn(b, "\n");
	return la == lb && memcmp(a, b, la) == 0;
}

static void put_back_irqs(struct pb *b, const struct mq_netdev *old,
			  const struct mq_netdev *now, int di)
{
	char path[MQ_CHANGE_PATH_MAX], obj[96];
	size_t i, k;

	for (i = 0; i < now->nr_irqs; i++) {
		const struct mq_irq *v = &now->irqs[i];

		if (!v->has_affinity || !v->user_settable || !v->name[0])
			continue;
		for (k = 0; k < old->nr_irqs; k++) {
			const struct mq_irq *o = &old->irqs[k];

			if (strcmp(o->name, v->name) != 0 || !o->affinity_raw)
				continue;
			if (!mq_cpuset_equal(&o->affinity, &v->affinity)) {
				snprintf(path, sizeof(path),
					 "/proc/irq/%u/smp_affinity_list", v->irq);
				snprintf(obj, sizeof(obj), "%s IRQ %u", now->name,
					 v->irq);
				add(b, MQ_T_IRQ_AFFINITY, di, i, path, obj,
				    o->affinity_raw);
			}
			break;
		}
	}
}

static void put_back_queues(struct pb *b, const struct mq_netdev *old,
			    const struct mq_netdev *now, int di)
{
	char path[MQ_CHANGE_PATH_MAX], obj[96];
	size_t q;

	for (q = 0; q < old->nr_rxq && q < now->nr_rxq; q++) {
		const struct mq_rxq *o = &old->rxq[q], *n = &now->rxq[q];

		if (o->has_rps && n->has_rps && o->rps_raw &&
		    !same_text(o->rps_raw, n->rps_raw)) {
			snprintf(path, sizeof(path),
				 "/sys/class/net/%s/queues/rx-%zu/rps_cpus",
				 now->name, q);
			snprintf(obj, sizeof(obj), "%s rx-%zu rps_cpus", now->name, q);
			add(b, MQ_T_RPS_CPUS, di, q, path, obj, o->rps_raw);
		}
		if (o->flow_raw && n->flow_raw &&
		    !same_text(o->flow_raw, n->flow_raw)) {
			snprintf(path, sizeof(path),
				 "/sys/class/net/%s/queues/rx-%zu/rps_flow_cnt",
				 now->name, q);
			snprintf(obj, sizeof(obj), "%s rx-%zu rps_flow_cnt",
				 now->name, q);
			add(b, MQ_T_RPS_FLOW_CNT, di, q, path, obj, o->flow_raw);
		}
	}
	for (q = 0; q < old->nr_txq && q < now->nr_txq; q++) {
		const struct mq_txq *o = &old->txq[q], *n = &now->txq[q];

		if (o->has_xps && n->has_xps && o->xps_raw &&
		    !same_text(o->xps_raw, n->xps_raw)) {
			snprintf(path, sizeof(path),
				 "/sys/class/net/%s/queues/tx-%zu/xps_cpus",
				 now->name, q);
			snprintf(obj, sizeof(obj), "%s tx-%zu xps_cpus", now->name, q);
			add(b, MQ_T_XPS_CPUS, di, q, path, obj, o->xps_raw);
		}
	}
}

int mq_plan_put_back(const struct mq_machine *before,
		     const struct mq_machine *now, const char *const *names,
		     size_t n, struct mq_plan *out, struct mq_diag *d)
{
	struct pb b = { .plan = out };
	size_t i;

	memset(out, 0, sizeof(*out));
	out->nr_cpu_ids = now->topo.nr_cpu_ids;
	for (i = 0; i < n; i++) {
		const struct mq_netdev *old, *cur;
		int oi, ci;

		old = find(before, names[i], &oi);
		cur = find(now, names[i], &ci);
		if (!old || !cur)
			continue;
		put_back_irqs(&b, old, cur, ci);
		put_back_queues(&b, old, cur, ci);
	}
	if (b.failed) {
		mq_plan_fini(out);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	return 0;
}

static bool same_vectors(const struct mq_netdev *a, const struct mq_netdev *b)
{
	size_t i;

	if (a->nr_irqs != b->nr_irqs || a->nr_rxq != b->nr_rxq ||
	    a->nr_txq != b->nr_txq || a->irqs_unrequested != b->irqs_unrequested)
		return false;
	for (i = 0; i < a->nr_irqs; i++)
		if (a->irqs[i].irq != b->irqs[i].irq ||
		    a->irqs[i].has_affinity != b->irqs[i].has_affinity ||
		    strcmp(a->irqs[i].name, b->irqs[i].name) != 0)
			return false;
	return true;
}

bool mq_plan_settled(const struct mq_machine *prev, const struct mq_machine *cur,
		     const struct mq_plan *steps, bool saved)
{
	size_t i;

	for (i = 0; i < steps->nr; i++) {
		const struct mq_change *c = &steps->changes[i];
		const struct mq_netdev *a, *b;
		const struct mq_channels *ch;

		if (c->target != MQ_T_CHANNELS || !c->step)
			continue;
		ch = saved ? &c->step->chan_saved : &c->step->chan_want;
		a = mq_machine_netdev(prev, c->step->ifname);
		b = mq_machine_netdev(cur, c->step->ifname);
		if (!a || !b || !same_vectors(a, b) ||
		    b->nr_rxq != mq_channels_rx_queues(ch))
			return false;
	}
	return true;
}
