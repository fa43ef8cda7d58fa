/*
 * model_builder.c - in-memory machines for unit tests (model_builder.h).
 *
 * Allocates exactly as discovery does, so mq_machine_free() is the only
 * destructor; aborts on ENOMEM or a malformed argument.
 */
#include "model_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what)
{
	fprintf(stderr, "model_builder: %s\n", what);
	abort();
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

static void set_init(struct mq_cpuset *s, unsigned int nbits)
{
	if (mq_cpuset_init(s, nbits))
		die("mq_cpuset_init failed");
}

void mb_cpuset(struct mq_cpuset *s, unsigned int nbits, const char *list)
{
	set_init(s, nbits);
	if (mq_cpuset_parse_list(s, list, strlen(list)) != MQ_PARSE_OK) {
		fprintf(stderr, "model_builder: bad CPU list '%s' (capacity %u)\n",
			list, nbits);
		abort();
	}
}

struct mq_machine *mb_machine(unsigned int ncpus, unsigned int nnodes,
			      unsigned int smt)
{
	struct mq_machine *m = mq_machine_new();
	struct mq_topo *t;
	unsigned int cores, cpu, i, k;

	if (!m)
		die("out of memory");
	if (!ncpus || !smt || ncpus % smt)
		die("mb_machine: ncpus must be a non-zero multiple of smt");
	cores = ncpus / smt;
	if (nnodes > cores)
		die("mb_machine: more nodes than cores");
	t = &m->topo;
	t->nr_cpu_ids = ncpus;
	set_init(&t->possible, ncpus);
	set_init(&t->online, ncpus);
	set_init(&t->isolated, ncpus);
	set_init(&t->nohz_full, ncpus);
	t->cpus = xcalloc(ncpus, sizeof(*t->cpus));
	t->nr_nodes = nnodes;
	t->nodes = nnodes ? xcalloc(nnodes, sizeof(*t->nodes)) : NULL;
	for (i = 0; i < nnodes; i++) {
		t->nodes[i].id = (int)i;
		set_init(&t->nodes[i].cpus, ncpus);
		t->nodes[i].distance = xcalloc(nnodes, sizeof(int));
		for (k = 0; k < nnodes; k++)
			t->nodes[i].distance[k] =
				i == k ? MB_DIST_LOCAL : MB_DIST_REMOTE;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		unsigned int core = cpu % cores;
		int node = nnodes ? (int)((unsigned long)core * nnodes / cores)
				  : -1;

		mq_cpuset_set(&t->possible, cpu);
		mq_cpuset_set(&t->online, cpu);
		t->cpus[cpu].package = node < 0 ? 0 : node;
		t->cpus[cpu].core = (int)core;
		t->cpus[cpu].node = node;
		t->cpus[cpu].first_sibling = (int)core;
		if (node >= 0)
			mq_cpuset_set(&t->nodes[node].cpus, cpu);
	}
	t->smt = smt > 1;
	m->sysctls.netdev_max_backlog = MB_DEFAULT_BACKLOG;
	m->sysctls.rps_sock_flow_entries = MB_DEFAULT_FLOW_ENTRIES;
	return m;
}

void mb_distance(struct mq_machine *m, unsigned int a, unsigned int b,
		 int dist)
{
	if (a >= m->topo.nr_nodes || b >= m->topo.nr_nodes)
		die("mb_distance: no such node index");
	m->topo.nodes[a].distance[b] = dist;
	m->topo.nodes[b].distance[a] = dist;
}

void mb_add_empty_node(struct mq_machine *m, int id, int dist)
{
	struct mq_topo *t = &m->topo;
	size_t n = t->nr_nodes, i;
	struct mq_node *nd;

	if (n && t->nodes[n - 1].id >= id)
		die("mb_add_empty_node: ids must stay sorted");
	t->nodes = xrealloc(t->nodes, (n + 1) * sizeof(*t->nodes));
	for (i = 0; i < n; i++) {
		t->nodes[i].distance = xrealloc(t->nodes[i].distance,
						(n + 1) * sizeof(int));
		t->nodes[i].distance[n] = dist;
	}
	nd = &t->nodes[n];
	memset(nd, 0, sizeof(*nd));
	nd->id = id;
	set_init(&nd->cpus, t->nr_cpu_ids);
	nd->distance = xcalloc(n + 1, sizeof(int));
	for (i = 0; i < n; i++)
		nd->distance[i] = dist;
	nd->distance[n] = MB_DIST_LOCAL;
	t->nr_nodes = n + 1;
}

static void or_list(struct mq_machine *m, struct mq_cpuset *dst,
		    const char *list)
{
	struct mq_cpuset s;

	mb_cpuset(&s, m->topo.nr_cpu_ids, list);
	mq_cpuset_or(dst, &s);
	mq_cpuset_fini(&s);
}

void mb_isolate(struct mq_machine *m, const char *list)
{
	or_list(m, &m->topo.isolated, list);
}

void mb_nohz_full(struct mq_machine *m, const char *list)
{
	or_list(m, &m->topo.nohz_full, list);
}

void mb_offline(struct mq_machine *m, const char *list)
{
	struct mq_cpuset s;

	mb_cpuset(&s, m->topo.nr_cpu_ids, list);
	mq_cpuset_andnot(&m->topo.online, &s);
	mq_cpuset_fini(&s);
}

void mb_unknown_siblings(struct mq_machine *m)
{
	unsigned int cpu;

	for (cpu = 0; cpu < m->topo.nr_cpu_ids; cpu++)
		m->topo.cpus[cpu].first_sibling = -1;
}

/* Append a vector; returns its index. */
static size_t add_irq(struct mq_machine *m, struct mq_netdev *dev,
		      enum mq_vec_kind kind, int queue, const char *name)
{
	struct mq_irq *irq;
	unsigned int nbits = m->topo.nr_cpu_ids;
	size_t idx = dev->nr_irqs;
	int eff;

	dev->irqs = xrealloc(dev->irqs, (idx + 1) * sizeof(*dev->irqs));
	irq = &dev->irqs[idx];
	memset(irq, 0, sizeof(*irq));
	irq->irq = 100u + (unsigned int)m->nr_netdevs * 1000u +
		   (unsigned int)idx;
	irq->name = xstrdup(name);
	irq->kind = kind;
	irq->queue = queue;
	irq->role = kind == MQ_VEC_OTHER ? "misc" : "queue";
	if (mq_cpuset_dup(&irq->affinity, &m->topo.online))
		die("out of memory");
	set_init(&irq->effective, nbits);
	/* Like the x86 vector allocator: one CPU of the affinity. */
	eff = mq_cpuset_next(&m->topo.online, (unsigned int)(idx % nbits));
	if (eff < 0)
		eff = mq_cpuset_next(&m->topo.online, 0);
	if (eff >= 0)
		mq_cpuset_set(&irq->effective, (unsigned int)eff);
	irq->has_effective = true;
	irq->has_affinity = true;
	irq->user_settable = true;
	dev->nr_irqs = idx + 1;
	return idx;
}

struct mq_netdev *mb_netdev(struct mq_machine *m, const char *name,
			    size_t nr_rxq, size_t nr_txq, enum mb_vectors vec,
			    unsigned int nr_misc, int numa_node,
			    int64_t speed_mbps)
{
	unsigned int nbits = m->topo.nr_cpu_ids;
	struct mq_netdev *dev;
	char vname[64];
	size_t q, nq = nr_rxq > nr_txq ? nr_rxq : nr_txq, i;
	bool node_found = false;

	if (strlen(name) >= IFNAMSIZ)
		die("mb_netdev: name too long");
	m->netdevs = xrealloc(m->netdevs,
			      (m->nr_netdevs + 1) * sizeof(*m->netdevs));
	dev = &m->netdevs[m->nr_netdevs];
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->ifindex = (int)m->nr_netdevs + 2;
	snprintf(dev->driver, sizeof(dev->driver), "%s",
		 vec == MB_VEC_NONE ? "veth" : "ice");
	snprintf(dev->bus, sizeof(dev->bus), "%s",
		 vec == MB_VEC_NONE ? "" : "pci");
	if (vec != MB_VEC_NONE) {
		snprintf(dev->bus_address, sizeof(dev->bus_address),
			 "0000:%02zx:00.0", m->nr_netdevs + 1);
		snprintf(dev->fn_path, sizeof(dev->fn_path),
			 "/sys/class/net/%s/device", name);
	}
	dev->numa_node = numa_node;
	for (i = 0; i < m->topo.nr_nodes; i++)
		if (m->topo.nodes[i].id == numa_node && numa_node >= 0) {
			if (mq_cpuset_dup(&dev->local_cpus,
					  &m->topo.nodes[i].cpus))
				die("out of memory");
			node_found = true;
		}
	if (!node_found && mq_cpuset_dup(&dev->local_cpus, &m->topo.online))
		die("out of memory");
	dev->speed_mbps = speed_mbps;
	snprintf(dev->operstate, sizeof(dev->operstate), "up");
	dev->channels.source = vec == MB_VEC_NONE ? MQ_CHAN_SYSFS
						  : MQ_CHAN_NETLINK;
	if (vec == MB_VEC_SPLIT) {
		dev->channels.rx = dev->channels.max_rx = (uint32_t)nr_rxq;
		dev->channels.tx = dev->channels.max_tx = (uint32_t)nr_txq;
	} else {
		dev->channels.combined = (uint32_t)nq;
		dev->channels.max_combined = (uint32_t)nq;
	}
	dev->irq_source = vec == MB_VEC_NONE ? MQ_IRQSRC_NONE
					     : MQ_IRQSRC_NETLINK;
	dev->nr_rxq = nr_rxq;
	dev->nr_txq = nr_txq;
	dev->rxq = xcalloc(nr_rxq, sizeof(*dev->rxq));
	dev->txq = xcalloc(nr_txq, sizeof(*dev->txq));
	for (q = 0; q < nr_rxq; q++) {
		dev->rxq[q].irq = -1;
		set_init(&dev->rxq[q].rps_cpus, nbits);
		dev->rxq[q].has_rps = true;
		dev->rxq[q].rps_flow_cnt = 0;
	}
	for (q = 0; q < nr_txq; q++) {
		dev->txq[q].irq = -1;
		set_init(&dev->txq[q].xps_cpus, nbits);
		dev->txq[q].has_xps = true;
	}
	if (vec == MB_VEC_NONE) {
		m->nr_netdevs++;
		return dev;
	}
	for (i = 0; i < nr_misc; i++) {
		snprintf(vname, sizeof(vname), "%s-misc-%zu", name, i);
		add_irq(m, dev, MQ_VEC_OTHER, -1, vname);
	}
	if (vec == MB_VEC_COMBINED) {
		for (q = 0; q < nq; q++) {
			size_t idx;

			snprintf(vname, sizeof(vname), "%s-TxRx-%zu", name, q);
			idx = add_irq(m, dev, MQ_VEC_COMBINED, (int)q, vname);
			if (q < nr_rxq)
				dev->rxq[q].irq = (int)idx;
			if (q < nr_txq)
				dev->txq[q].irq = (int)idx;
		}
	} else {
		for (q = 0; q < nr_rxq; q++) {
			snprintf(vname, sizeof(vname), "%s-rx-%zu", name, q);
			dev->rxq[q].irq =
				(int)add_irq(m, dev, MQ_VEC_RX, (int)q, vname);
		}
		for (q = 0; q < nr_txq; q++) {
			snprintf(vname, sizeof(vname), "%s-tx-%zu", name, q);
			dev->txq[q].irq =
				(int)add_irq(m, dev, MQ_VEC_TX, (int)q, vname);
		}
	}
	m->nr_netdevs++;
	return dev;
}

void mb_managed(struct mq_netdev *dev, size_t idx, unsigned int cpu)
{
	struct mq_irq *irq;

	if (idx >= dev->nr_irqs)
		die("mb_managed: no such vector");
	irq = &dev->irqs[idx];
	if (cpu >= irq->affinity.nbits)
		die("mb_managed: CPU beyond nr_cpu_ids");
	irq->user_settable = false;
	mq_cpuset_zero(&irq->affinity);
	mq_cpuset_set(&irq->affinity, cpu);
	mq_cpuset_zero(&irq->effective);
	mq_cpuset_set(&irq->effective, cpu);
	irq->has_effective = true;
}
