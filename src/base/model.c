/*
 * model.c - constructors and destructors of the discovered model.
 *
 * struct mq_machine owns its topology and interfaces; each interface owns
 * its vectors and queues; every CPU set is freed with its owner.
 */
#include "mqtune/model.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mq_vwarn(struct mq_warnings *w, const char *code, const char *object,
	     const char *fmt, va_list ap)
{
	struct mq_warning *bigger, *one;
	char buf[640], *copy;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	copy = strdup(buf);
	bigger = copy ? realloc(w->list, (w->n + 1) * sizeof(*w->list)) : NULL;
	if (!bigger) {
		free(copy);
		return -1;
	}
	w->list = bigger;
	one = &w->list[w->n++];
	snprintf(one->code, sizeof(one->code), "%s", code);
	snprintf(one->object, sizeof(one->object), "%s", object ? object : "");
	one->message = copy;
	return 0;
}

int mq_warn(struct mq_warnings *w, const char *code, const char *object,
	    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mq_vwarn(w, code, object, fmt, ap);
	va_end(ap);
	return rc;
}

const struct mq_warning *mq_warnings_find(const struct mq_warnings *w,
					  const char *code)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->list[i].code, code) == 0)
			return &w->list[i];
	return NULL;
}

void mq_warnings_fini(struct mq_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->list[i].message);
	free(w->list);
	w->list = NULL;
	w->n = 0;
}

struct mq_machine *mq_machine_new(void)
{
	return calloc(1, sizeof(struct mq_machine));
}

void mq_topo_fini(struct mq_topo *t)
{
	size_t i;

	mq_cpuset_fini(&t->possible);
	mq_cpuset_fini(&t->online);
	mq_cpuset_fini(&t->isolated);
	mq_cpuset_fini(&t->nohz_full);
	free(t->cpus);
	t->cpus = NULL;
	for (i = 0; i < t->nr_nodes; i++) {
		mq_cpuset_fini(&t->nodes[i].cpus);
		free(t->nodes[i].distance);
	}
	free(t->nodes);
	t->nodes = NULL;
	t->nr_nodes = 0;
	mq_warnings_fini(&t->warnings);
}

void mq_netdev_fini(struct mq_netdev *dev)
{
	size_t i;

	mq_cpuset_fini(&dev->local_cpus);
	for (i = 0; i < dev->nr_irqs; i++) {
		free(dev->irqs[i].name);
		free(dev->irqs[i].affinity_raw);
		mq_cpuset_fini(&dev->irqs[i].affinity);
		mq_cpuset_fini(&dev->irqs[i].effective);
	}
	free(dev->irqs);
	dev->irqs = NULL;
	dev->nr_irqs = 0;
	for (i = 0; i < dev->nr_rxq; i++) {
		mq_cpuset_fini(&dev->rxq[i].rps_cpus);
		free(dev->rxq[i].rps_raw);
		free(dev->rxq[i].flow_raw);
	}
	free(dev->rxq);
	dev->rxq = NULL;
	dev->nr_rxq = 0;
	for (i = 0; i < dev->nr_txq; i++) {
		mq_cpuset_fini(&dev->txq[i].xps_cpus);
		free(dev->txq[i].xps_raw);
	}
	free(dev->txq);
	dev->txq = NULL;
	dev->nr_txq = 0;
	free(dev->rss.table);
	dev->rss.table = NULL;
	dev->rss.size = 0;
	for (i = 0; i < dev->nr_napi; i++) {
		mq_cpuset_fini(&dev->napi[i].affinity);
		free(dev->napi[i].affinity_raw);
	}
	free(dev->napi);
	dev->napi = NULL;
	dev->nr_napi = 0;
	mq_warnings_fini(&dev->warnings);
}

const struct mq_netdev *mq_machine_netdev(const struct mq_machine *m,
					  const char *name)
{
	size_t i;

	for (i = 0; m && i < m->nr_netdevs; i++)
		if (strcmp(m->netdevs[i].name, name) == 0)
			return &m->netdevs[i];
	return NULL;
}

void mq_machine_free(struct mq_machine *m)
{
	size_t i;

	if (!m)
		return;
	mq_topo_fini(&m->topo);
	for (i = 0; i < m->nr_netdevs; i++)
		mq_netdev_fini(&m->netdevs[i]);
	free(m->netdevs);
	free(m->sysctls.backlog_raw);
	free(m->sysctls.flow_entries_raw);
	free(m);
}

bool mq_ifname_valid(const char *name)
{
	return mq_ifname_valid_in(name, IFNAMSIZ);
}

bool mq_ifname_valid_in(const char *name, size_t cap)
{
	size_t len = name ? strnlen(name, cap) : 0;
	size_t i;

	if (len == 0 || len >= cap)
		return false;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '/' || c == ':' || isspace(c) || iscntrl(c))
			return false;
	}
	return true;
}

size_t mq_netdev_nr_queues(const struct mq_netdev *dev)
{
	return dev->nr_rxq > dev->nr_txq ? dev->nr_rxq : dev->nr_txq;
}

bool mq_netdev_irq_attached(const struct mq_netdev *dev, size_t idx)
{
	size_t q = (size_t)dev->irqs[idx].queue;

	if (dev->irqs[idx].queue < 0)
		return false;
	return (q < dev->nr_rxq && dev->rxq[q].irq == (int)idx) ||
	       (q < dev->nr_txq && dev->txq[q].irq == (int)idx);
}

size_t mq_netdev_queue_vectors(const struct mq_netdev *dev, size_t q,
			       const struct mq_irq *out[2])
{
	int rx = q < dev->nr_rxq ? dev->rxq[q].irq : -1;
	int tx = q < dev->nr_txq ? dev->txq[q].irq : -1;
	size_t n = 0;

	if (rx >= 0)
		out[n++] = &dev->irqs[rx];
	if (tx >= 0 && tx != rx)
		out[n++] = &dev->irqs[tx];
	return n;
}

int mq_irq_current_cpu(const struct mq_irq *irq)
{
	int cpu = -1;

	if (irq->has_effective)
		cpu = mq_cpuset_next(&irq->effective, 0);
	if (cpu < 0)
		cpu = mq_cpuset_next(&irq->affinity, 0);
	return cpu;
}

const char *mq_netdev_irq_state(const struct mq_netdev *dev)
{
	if (!dev->nr_irqs)
		return "none";
	return dev->irqs_unrequested ? "unrequested" : "requested";
}

const char *mq_chan_src_name(enum mq_chan_src src)
{
	switch (src) {
	case MQ_CHAN_NETLINK:
		return "netlink";
	case MQ_CHAN_IOCTL:
		return "ioctl";
	case MQ_CHAN_SYSFS:
		return "sysfs";
	case MQ_CHAN_NONE:
		break;
	}
	return "none";
}

const char *mq_drv_src_name(enum mq_drv_src src)
{
	switch (src) {
	case MQ_DRV_SYSFS:
		return "sysfs";
	case MQ_DRV_ETHTOOL:
		return "ethtool";
	case MQ_DRV_NONE:
		break;
	}
	return "none";
}

const char *mq_irq_src_name(enum mq_irq_src src)
{
	switch (src) {
	case MQ_IRQSRC_NETLINK:
		return "netlink";
	case MQ_IRQSRC_NAMES:
		return "names";
	case MQ_IRQSRC_INTX:
		return "intx";
	case MQ_IRQSRC_NONE:
		break;
	}
	return "none";
}

const char *mq_napi_src_name(enum mq_napi_src src)
{
	switch (src) {
	case MQ_NAPI_SRC_NETLINK:
		return "netlink";
	case MQ_NAPI_SRC_NAMES:
		return "names";
	case MQ_NAPI_SRC_NONE:
		break;
	}
	return "none";
}
