/*
 * project.c - the interfaces as they will be after their channel change.
 */
#include "mqtune/project.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool mq_placement_changes_channels(const struct mq_placement *pl)
{
	size_t i;

	for (i = 0; i < pl->nr_devs; i++)
		if (pl->devs[i].chan_change)
			return true;
	return false;
}

bool mq_rss_blocks_shrink(const struct mq_netdev *dev, size_t nr_rx)
{
	uint32_t i;

	for (i = 0; i < dev->rss.size && dev->rss.table; i++)
		if (dev->rss.table[i] >= nr_rx)
			return true;
	return false;
}

/* New queues as the kernel makes them: empty masks, a flow count of 0. */
static int project_queues(const struct mq_netdev *from, struct mq_netdev *to,
			  size_t nr_rx, size_t nr_tx, unsigned int nbits)
{
	size_t q;

	to->rxq = calloc(nr_rx ? nr_rx : 1, sizeof(*to->rxq));
	to->txq = calloc(nr_tx ? nr_tx : 1, sizeof(*to->txq));
	if (!to->rxq || !to->txq)
		return -1;
	for (q = 0; q < nr_rx; q++) {
		struct mq_rxq *r = &to->rxq[q];

		if (q < from->nr_rxq) {
			*r = from->rxq[q];	/* borrowed masks and texts */
		} else {
			r->has_rps = from->nr_rxq ? from->rxq[0].has_rps : true;
			r->rps_flow_cnt = from->nr_rxq &&
					  from->rxq[0].rps_flow_cnt < 0 ? -1 : 0;
			r->rps_raw = r->flow_raw = NULL;
			memset(&r->rps_cpus, 0, sizeof(r->rps_cpus));
		}
		r->irq = -1;
	}
	for (q = 0; q < nr_tx; q++) {
		struct mq_txq *t = &to->txq[q];

		if (q < from->nr_txq) {
			*t = from->txq[q];
		} else {
			t->has_xps = from->nr_txq ? from->txq[0].has_xps : true;
			t->xps_raw = NULL;
			memset(&t->xps_cpus, 0, sizeof(t->xps_cpus));
		}
		t->irq = -1;
	}
	/* the new ones own their (empty) masks */
	for (q = from->nr_rxq; q < nr_rx; q++)
		if (mq_cpuset_init(&to->rxq[q].rps_cpus, nbits))
			return -1;
	for (q = from->nr_txq; q < nr_tx; q++)
		if (mq_cpuset_init(&to->txq[q].xps_cpus, nbits))
			return -1;
	return 0;
}

static size_t tx_queues(const struct mq_netdev *dev,
			const struct mq_channels *want)
{
	const struct mq_channels *now = &dev->channels;
	size_t before = (size_t)now->combined + now->tx;
	size_t after = (size_t)want->combined + want->tx;

	/* the queue directories, as the counts move (XDP queues and the like
	 * stay as many more as they were) */
	if (dev->nr_txq + after < before)
		return after;
	return dev->nr_txq + after - before;
}

static int project_rss(const struct mq_netdev *from, struct mq_netdev *to,
		       size_t nr_rx)
{
	uint32_t i;

	to->rss.table = NULL;
	if (!from->rss.table || !mq_rss_blocks_shrink(from, nr_rx) || !nr_rx)
		return 0;
	to->rss.table = malloc(from->rss.size * sizeof(*to->rss.table));
	if (!to->rss.table)
		return -1;
	for (i = 0; i < from->rss.size; i++)
		to->rss.table[i] = (uint32_t)(i % nr_rx);
	return 0;
}

int mq_project_channels(const struct mq_machine *m,
			const struct mq_placement *pl,
			struct mq_projection *out, struct mq_diag *d)
{
	size_t n = m->nr_netdevs, i;

	memset(out, 0, sizeof(*out));
	out->m = *m;
	out->m.netdevs = calloc(n ? n : 1, sizeof(*out->m.netdevs));
	out->changed = calloc(n ? n : 1, sizeof(*out->changed));
	out->old_rxq = calloc(n ? n : 1, sizeof(*out->old_rxq));
	out->old_txq = calloc(n ? n : 1, sizeof(*out->old_txq));
	out->rss_owned = calloc(n ? n : 1, sizeof(*out->rss_owned));
	if (!out->m.netdevs || !out->changed || !out->old_rxq ||
	    !out->old_txq || !out->rss_owned)
		goto nomem;
	for (i = 0; i < n; i++) {
		const struct mq_netdev *from = &m->netdevs[i];
		struct mq_netdev *to = &out->m.netdevs[i];
		const struct mq_dev_placement *dp = &pl->devs[i];
		size_t nr_rx, nr_tx;

		*to = *from;
		if (i >= pl->nr_devs || !dp->chan_change)
			continue;
		nr_rx = dp->nr_active_rx;
		nr_tx = tx_queues(from, &dp->chan_want);
		out->changed[i] = true;
		out->old_rxq[i] = from->nr_rxq;
		out->old_txq[i] = from->nr_txq;
		to->rxq = NULL;
		to->txq = NULL;
		to->nr_rxq = to->nr_txq = 0;
		if (project_queues(from, to, nr_rx, nr_tx, m->topo.nr_cpu_ids) ||
		    project_rss(from, to, nr_rx)) {
			out->rss_owned[i] = to->rss.table;
			to->nr_rxq = nr_rx;
			to->nr_txq = nr_tx;
			goto nomem;
		}
		to->nr_rxq = nr_rx;
		to->nr_txq = nr_tx;
		to->channels = dp->chan_want;
		to->channels_changed = true;
		to->irqs = NULL;
		to->nr_irqs = 0;
		to->irqs_after_change = from->nr_irqs > 0;
		out->rss_owned[i] = to->rss.table;
		if (!to->rss.table)	/* the table stays as it is */
			to->rss.table = from->rss.table;
	}
	return 0;
nomem:
	mq_projection_fini(out);
	return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
}

void mq_projection_fini(struct mq_projection *p)
{
	size_t i, q;

	for (i = 0; p->changed && i < p->m.nr_netdevs; i++) {
		struct mq_netdev *dev = &p->m.netdevs[i];

		if (!p->changed[i])
			continue;
		for (q = p->old_rxq[i]; dev->rxq && q < dev->nr_rxq; q++)
			mq_cpuset_fini(&dev->rxq[q].rps_cpus);
		for (q = p->old_txq[i]; dev->txq && q < dev->nr_txq; q++)
			mq_cpuset_fini(&dev->txq[q].xps_cpus);
		free(dev->rxq);
		free(dev->txq);
	}
	for (i = 0; p->rss_owned && i < p->m.nr_netdevs; i++)
		free(p->rss_owned[i]);
	free(p->rss_owned);
	free(p->m.netdevs);
	free(p->changed);
	free(p->old_rxq);
	free(p->old_txq);
	memset(p, 0, sizeof(*p));
}
