/*
 * place.c - the placement policy, as a pure function of the model.
 *
 * For each interface: the usable CPUs (online minus isolated, nohz_full
 * and --exclude-cpus, within --cpus), put in order -- the NIC's NUMA node
 * first (node 0 when it has none), one hardware thread per physical core
 * before any SMT sibling, then the other nodes by distance -- and rx queue
 * i gets the i-th CPU of that order as its home: its IRQ goes there, and
 * so does its NET_RX softirq.  Usable CPUs left over are each given to one
 * rx queue of the same NUMA node as its RPS set (--rps-scope machine: any
 * node; siblings of isolated or excluded CPUs come last); XPS maps every
 * usable CPU to the tx queue of the rx queue that owns it.  See
 * docs/policy.md for the reasons.
 */
#include "mqtune/place.h"
#include "mqtune/place_napi.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/channels.h"
#include "mqtune/rss.h"

int mq_placement_warn(struct mq_placement *pl, const char *code,
		      const char *object, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mq_vwarn(&pl->warnings, code, object, fmt, ap);
	va_end(ap);
	return rc;
}

/* Discovery's warnings (files read as unknown) go into the report too. */
static void copy_warnings(struct mq_placement *pl, const struct mq_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		mq_warn(&pl->warnings, w->list[i].code, w->list[i].object, "%s",
			w->list[i].message);
}

int64_t mq_backlog_for_speed(int64_t speed_mbps)
{
	/* See docs/policy.md: about 2 ms of minimum-size frames at 10G. */
	if (speed_mbps >= 40000)
		return 250000;
	if (speed_mbps >= 25000)
		return 100000;
	if (speed_mbps >= 10000)
		return 30000;
	return 0;
}

static int64_t round_up_pow2(int64_t v)
{
	int64_t p = 1;

	while (p < v && p < ((int64_t)1 << 40))
		p <<= 1;
	return p;
}

static int usable_cpus(const struct mq_topo *t, const struct mq_policy *p,
		       struct mq_cpuset *out, struct mq_diag *d)
{
	char why[160] = "";

	if (mq_cpuset_dup(out, &t->online))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	mq_cpuset_andnot(out, &t->isolated);
	mq_cpuset_andnot(out, &t->nohz_full);
	if (p->exclude_cpus)
		mq_cpuset_andnot(out, p->exclude_cpus);
	if (p->only_cpus)
		mq_cpuset_and(out, p->only_cpus);
	if (!mq_cpuset_empty(out))
		return 0;
	snprintf(why, sizeof(why), "%s%s%s%s",
		 mq_cpuset_empty(&t->isolated) ? "" : ", isolated",
		 mq_cpuset_empty(&t->nohz_full) ? "" : ", nohz_full",
		 p->exclude_cpus ? ", --exclude-cpus" : "",
		 p->only_cpus ? ", --cpus" : "");
	return mq_diag_set(d, MQ_EXIT_REFUSED, 0,
			   "no usable CPU: every online CPU is excluded (by %s)",
			   why[0] ? why + 2 : "nothing");
}

/* Which online CPUs each rule of section 1 removes; --cpus not online. */
static int usable_why(const struct mq_topo *t, const struct mq_policy *p,
		      struct mq_usable_why *w)
{
	unsigned int n = t->nr_cpu_ids, cpu;

	if (mq_cpuset_init(&w->isolated, n) || mq_cpuset_init(&w->nohz_full, n) ||
	    mq_cpuset_init(&w->excluded, n) || mq_cpuset_init(&w->outside, n) ||
	    mq_cpuset_init(&w->offline_named, p->only_cpus &&
			   p->only_cpus->nbits > n ? p->only_cpus->nbits : n))
		return -1;
	/* --cpus may name CPUs beyond nr_cpu_ids: not online either */
	for (cpu = n; p->only_cpus && cpu < p->only_cpus->nbits; cpu++)
		if (mq_cpuset_test(p->only_cpus, cpu))
			mq_cpuset_set(&w->offline_named, cpu);
	for (cpu = 0; cpu < n; cpu++) {
		bool on = mq_cpuset_test(&t->online, cpu);

		if (on && mq_cpuset_test(&t->isolated, cpu))
			mq_cpuset_set(&w->isolated, cpu);
		if (on && mq_cpuset_test(&t->nohz_full, cpu))
			mq_cpuset_set(&w->nohz_full, cpu);
		if (on && p->exclude_cpus && mq_cpuset_test(p->exclude_cpus, cpu))
			mq_cpuset_set(&w->excluded, cpu);
		if (on && p->only_cpus && !mq_cpuset_test(p->only_cpus, cpu))
			mq_cpuset_set(&w->outside, cpu);
		if (!on && p->only_cpus && mq_cpuset_test(p->only_cpus, cpu))
			mq_cpuset_set(&w->offline_named, cpu);
	}
	return 0;
}

static void usable_why_fini(struct mq_usable_why *w)
{
	mq_cpuset_fini(&w->isolated);
	mq_cpuset_fini(&w->nohz_full);
	mq_cpuset_fini(&w->excluded);
	mq_cpuset_fini(&w->outside);
	mq_cpuset_fini(&w->offline_named);
}

/*
 * Index into t->nodes where the order starts: the NIC's node (even when
 * none of its CPUs is usable, its distances still rank the others), else
 * node 0.
 */
static size_t start_node(const struct mq_topo *t, const struct mq_netdev *dev)
{
	size_t i;

	for (i = 0; i < t->nr_nodes; i++)
		if (dev->numa_node >= 0 && t->nodes[i].id == dev->numa_node)
			return i;
	for (i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].id == 0)
			return i;
	return 0;
}

static int first_sibling(const struct mq_topo *t, unsigned int cpu)
{
	int first = t->cpus[cpu].first_sibling;

	return first < 0 || (unsigned int)first >= t->nr_cpu_ids ?
		(int)cpu : first;
}

struct order_ctx {
	const struct mq_topo *t;
	const struct mq_cpuset *usable;
	const struct mq_cpuset *taken;	/* homes of interfaces placed before */
	const bool *near_isolated;	/* by first sibling */
	bool *core_seen;		/* by first sibling: a thread is in */
	bool *placed;			/* by CPU */
	unsigned int *out;
	unsigned int *why;		/* MQ_HOME_* bits, parallel to out */
	unsigned int node_why;		/* MQ_HOME_REMOTE... of this group */
	size_t n;
};

/*
 * Append the usable CPUs of @cpus: first those whose core has no
 * isolated, nohz_full or excluded thread, then the others (their work
 * would share execution units and caches with CPUs set apart); within
 * each, first the ones no earlier interface took, then the taken ones;
 * within those, one thread per physical core first, then the remaining
 * SMT siblings.
 */
static void append_group(struct order_ctx *o, const struct mq_cpuset *cpus)
{
	int pass, cpu;

	for (pass = 0; pass < 8; pass++) {
		bool near = pass >= 4, want_taken = pass & 2, siblings = pass & 1;

		for (cpu = mq_cpuset_next(cpus, 0); cpu >= 0;
		     cpu = mq_cpuset_next(cpus, (unsigned int)cpu + 1)) {
			int first = first_sibling(o->t, (unsigned int)cpu);
			unsigned int why = o->node_why;

			if (o->placed[cpu] ||
			    !mq_cpuset_test(o->usable, (unsigned int)cpu) ||
			    o->near_isolated[first] != near ||
			    mq_cpuset_test(o->taken, (unsigned int)cpu) != want_taken)
				continue;
			if (!siblings && o->core_seen[first])
				continue;
			if (o->core_seen[first])
				why |= MQ_HOME_SIBLING;
			else if (first != cpu)
				why |= MQ_HOME_OTHER_THREAD;
			if (want_taken)
				why |= MQ_HOME_SHARED;
			if (near)
				why |= MQ_HOME_NEAR_ISOLATED;
			o->core_seen[first] = true;
			o->placed[cpu] = true;
			o->why[o->n] = why;
			o->out[o->n++] = (unsigned int)cpu;
		}
	}
}

/* Cores (by first sibling) with an online thread the policy sets apart. */
static bool *near_isolated_cores(const struct mq_topo *t,
				 const struct mq_policy *p)
{
	bool *near = calloc(t->nr_cpu_ids ? t->nr_cpu_ids : 1, sizeof(bool));
	unsigned int cpu;

	if (!near)
		return NULL;
	for (cpu = 0; cpu < t->nr_cpu_ids; cpu++)
		if (mq_cpuset_test(&t->online, cpu) &&
		    (mq_cpuset_test(&t->isolated, cpu) ||
		     mq_cpuset_test(&t->nohz_full, cpu) ||
		     (p->exclude_cpus && mq_cpuset_test(p->exclude_cpus, cpu))))
			near[first_sibling(t, cpu)] = true;
	return near;
}

static int build_order(const struct mq_topo *t, const struct mq_netdev *dev,
		       const struct mq_policy *p, const struct mq_cpuset *taken,
		       struct mq_dev_placement *dp)
{
	size_t start = start_node(t, dev), i, k;
	struct order_ctx o = { .t = t, .usable = &dp->usable, .taken = taken };
	struct mq_cpuset rest = { 0 };
	size_t *nodes = calloc(t->nr_nodes ? t->nr_nodes : 1, sizeof(*nodes));
	bool *near = near_isolated_cores(t, p);
	bool local_empty;

	o.near_isolated = near;
	o.core_seen = calloc(t->nr_cpu_ids, sizeof(bool));
	o.placed = calloc(t->nr_cpu_ids, sizeof(bool));
	o.out = calloc(t->nr_cpu_ids, sizeof(unsigned int));
	o.why = calloc(t->nr_cpu_ids, sizeof(unsigned int));
	if (!nodes || !near || !o.core_seen || !o.placed || !o.out || !o.why ||
	    mq_cpuset_dup(&rest, &dp->usable)) {
		free(nodes);
		free(near);
		free(o.core_seen);
		free(o.placed);
		free(o.out);
		free(o.why);
		mq_cpuset_fini(&rest);
		return -1;
	}
	dp->start_node = t->nr_nodes ? t->nodes[start].id : -1;
	local_empty = t->nr_nodes &&
		!mq_cpuset_intersects(&t->nodes[start].cpus, &dp->usable);
	/* Nodes by distance from the start node; ties by id (stable). */
	for (i = 0; i < t->nr_nodes; i++)
		nodes[i] = i;
	for (i = 1; i < t->nr_nodes; i++)
		for (k = i; k > 0; k--) {
			const int *dist = t->nodes[start].distance;
			size_t a = nodes[k - 1], b = nodes[k];
			bool a_first = a == start ||
				(b != start && (dist[a] < dist[b] ||
				 (dist[a] == dist[b] && t->nodes[a].id < t->nodes[b].id)));

			if (a_first)
				break;
			nodes[k - 1] = b;
			nodes[k] = a;
		}
	for (i = 0; i < t->nr_nodes; i++) {
		o.node_why = dev->numa_node < 0 ? MQ_HOME_NO_NIC_NODE : 0;
		if (nodes[i] != start)
			o.node_why |= MQ_HOME_REMOTE |
				      (local_empty ? MQ_HOME_LOCAL_EMPTY : 0);
		append_group(&o, &t->nodes[nodes[i]].cpus);
		mq_cpuset_andnot(&rest, &t->nodes[nodes[i]].cpus);
	}
	o.node_why = MQ_HOME_NO_NODE |
		     (dev->numa_node < 0 ? MQ_HOME_NO_NIC_NODE : 0) |
		     (t->nr_nodes ? MQ_HOME_REMOTE : 0);
	append_group(&o, &rest);	/* CPUs of no node */
	free(nodes);
	free(near);
	free(o.core_seen);
	free(o.placed);
	mq_cpuset_fini(&rest);
	dp->order = o.out;
	dp->order_why = o.why;
	dp->nr_order = o.n;
	return 0;
}

static bool is_managed(const struct mq_netdev *dev, int idx)
{
	return idx >= 0 && !dev->irqs[idx].user_settable;
}

/*
 * Homes: queues whose vector the kernel manages keep its CPU; the others
 * take the device's CPU order, skipping CPUs already held that way.
 */
static int assign_homes(const struct mq_netdev *dev,
			struct mq_dev_placement *dp, unsigned int nr_cpu_ids,
			const int *owner_cpu)
{
	size_t nq = dev->nr_rxq, q, navail = 0, j = 0, i;
	unsigned int *avail = calloc(dp->nr_order ? dp->nr_order : 1,
				     sizeof(*avail));
	bool *fixed = calloc(nr_cpu_ids, sizeof(bool));

	unsigned int *avail_why = calloc(dp->nr_order ? dp->nr_order : 1,
					 sizeof(*avail_why));

	dp->home = calloc(nq ? nq : 1, sizeof(int));
	dp->home_why = calloc(nq ? nq : 1, sizeof(unsigned int));
	if (!avail || !avail_why || !fixed || !dp->home || !dp->home_why) {
		free(avail_why);
		free(avail);
		free(fixed);
		return -1;
	}
	for (q = 0; q < nq; q++) {
		dp->home[q] = -1;
		if (is_managed(dev, dev->rxq[q].irq)) {
			dp->home[q] = mq_irq_current_cpu(&dev->irqs[dev->rxq[q].irq]);
			dp->home_why[q] = MQ_HOME_MANAGED;
			if (dp->home[q] >= 0)
				fixed[dp->home[q]] = true;
		} else if (dev->rxq[q].irq >= 0 &&
			   owner_cpu[dev->rxq[q].irq] >= 0) {
			/* the vector is planned by an earlier interface */
			dp->home[q] = owner_cpu[dev->rxq[q].irq];
			dp->home_why[q] = MQ_HOME_SHARED_VECTOR;
		}
	}
	for (i = 0; i < dp->nr_order; i++)
		if (!fixed[dp->order[i]]) {
			avail_why[navail] = dp->order_why[i];
			avail[navail++] = dp->order[i];
		}
	if (!navail) {
		memcpy(avail, dp->order, dp->nr_order * sizeof(*avail));
		memcpy(avail_why, dp->order_why, dp->nr_order * sizeof(*avail_why));
		navail = dp->nr_order;
	}
	for (q = 0; q < nq; q++)
		if (dp->home[q] < 0) {
			dp->home_why[q] = avail_why[j % navail] |
					  (j >= navail ? MQ_HOME_WRAPPED : 0);
			dp->home[q] = (int)avail[j++ % navail];
		}
	dp->sum = nq < dp->nr_order ? nq : dp->nr_order;
	free(avail);
	free(avail_why);
	free(fixed);
	return 0;
}

static int assign_irqs(const struct mq_netdev *dev,
		       struct mq_dev_placement *dp, const int *owner_cpu)
{
	size_t i;

	dp->irq_cpu = calloc(dev->nr_irqs ? dev->nr_irqs : 1, sizeof(int));
	dp->irq_managed = calloc(dev->nr_irqs ? dev->nr_irqs : 1, sizeof(bool));
	if (!dp->irq_cpu || !dp->irq_managed)
		return -1;
	for (i = 0; i < dev->nr_irqs; i++) {
		const struct mq_irq *irq = &dev->irqs[i];
		size_t q = (size_t)irq->queue;

		dp->irq_cpu[i] = -1;
		if (!mq_netdev_irq_attached(dev, i))
			continue;	/* misc/config vectors stay as they are */
		if (!irq->user_settable) {
			dp->irq_managed[i] = true;
			continue;
		}
		if (owner_cpu[i] >= 0)	/* planned once, by the first */
			dp->irq_cpu[i] = owner_cpu[i];
		else if (q < dev->nr_rxq && dev->rxq[q].irq == (int)i)
			dp->irq_cpu[i] = dp->home[q];
		else if (dev->nr_rxq)	/* a separate tx vector: follow rx */
			dp->irq_cpu[i] = dp->home[q % dev->nr_rxq];
		else
			dp->irq_cpu[i] = (int)dp->order[q % dp->nr_order];
	}
	return 0;
}

static int cpu_node(const struct mq_topo *t, int cpu)
{
	return cpu >= 0 ? t->cpus[cpu].node : -1;
}

/*
 * Every usable CPU gets one owner rx queue: its home queue; for CPUs that
 * are nobody's home, first those on a node where some queue has its home,
 * the least-loaded queue whose home is on the same NUMA node; then the
 * CPUs of nodes without any home, the least-loaded queue of all (XPS
 * uses them; RPS only with --rps-scope machine).  Ties go to the lowest
 * queue number.
 */
/* A min-heap of queue numbers by (load, queue number): the least-loaded
 * queue, ties to the lowest number, in O(log queues) a CPU. */
struct queue_heap {
	size_t *q;		/* a slice of the caller's array */
	size_t n;
	const size_t *load;
};

static bool heap_less(const struct queue_heap *h, size_t a, size_t b)
{
	return h->load[a] < h->load[b] || (h->load[a] == h->load[b] && a < b);
}

static void heap_down(struct queue_heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i, tmp;

		if (l < h->n && heap_less(h, h->q[l], h->q[m]))
			m = l;
		if (l + 1 < h->n && heap_less(h, h->q[l + 1], h->q[m]))
			m = l + 1;
		if (m == i)
			return;
		tmp = h->q[i];
		h->q[i] = h->q[m];
		h->q[m] = tmp;
		i = m;
	}
}

static void heap_make(struct queue_heap *h)
{
	for (size_t i = h->n / 2; i-- > 0;)
		heap_down(h, i);
}

struct by_node_ctx {
	const int *qnode;
};

static int cmp_node_then_queue(const void *a, const void *b, void *arg)
{
	const int *qnode = ((const struct by_node_ctx *)arg)->qnode;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (qnode[x] != qnode[y])
		return qnode[x] < qnode[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The slice of @sorted (queues by home node) whose home is on @node. */
static struct queue_heap node_slice(size_t *sorted, size_t nq,
				    const int *qnode, int node,
				    const size_t *load)
{
	size_t lo = 0, hi = nq, end;

	while (lo < hi) {	/* first queue of @node or above */
		size_t mid = lo + (hi - lo) / 2;

		if (qnode[sorted[mid]] < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < nq && qnode[sorted[end]] == node; end++)
		;
	return (struct queue_heap){ .q = sorted + lo, .n = end - lo,
				    .load = load };
}

/*
 * Every usable CPU gets one owner rx queue: its home queue; for CPUs that
 * are nobody's home, first those on a node where some queue has its home,
 * the least-loaded queue whose home is on the same NUMA node; then the
 * CPUs of nodes without any home, the least-loaded queue of all (XPS
 * uses them; RPS only with --rps-scope machine).  Ties go to the lowest
 * queue number.
 */
static int assign_owners(const struct mq_topo *t, const struct mq_netdev *dev,
			 const struct mq_dev_placement *dp, int *owner)
{
	size_t nq = dev->nr_rxq, i, q;
	size_t *load = calloc(nq ? nq : 1, sizeof(*load));
	size_t *sorted = calloc(nq ? 2 * nq : 1, sizeof(*sorted));
	int *qnode = calloc(nq ? nq : 1, sizeof(*qnode));
	struct queue_heap all;
	int ret = -1;

	if (!load || !sorted || !qnode)
		goto out;
	for (i = 0; i < t->nr_cpu_ids; i++)
		owner[i] = -1;
	for (q = 0; q < nq; q++) {
		int h = dp->home[q];

		qnode[q] = cpu_node(t, h);
		sorted[q] = q;
		sorted[nq + q] = q;
		if (h >= 0 && mq_cpuset_test(&dp->usable, (unsigned int)h) &&
		    owner[h] < 0) {
			owner[h] = (int)q;
			load[q]++;
		}
	}
	ret = 0;
	if (!nq)
		goto out;
	/* pass 0: the least-loaded queue homed on the CPU's node; each
	 * node's queues are one slice of @sorted, kept as a heap */
	qsort_r(sorted, nq, sizeof(*sorted), cmp_node_then_queue,
		&(struct by_node_ctx){ .qnode = qnode });
	for (i = 0; i < nq;) {
		struct queue_heap h = node_slice(sorted, nq, qnode,
						 qnode[sorted[i]], load);

		heap_make(&h);
		i += h.n;
	}
	for (i = 0; i < dp->nr_order; i++) {
		unsigned int cpu = dp->order[i];
		struct queue_heap h;

		if (owner[cpu] >= 0)
			continue;
		h = node_slice(sorted, nq, qnode, cpu_node(t, (int)cpu), load);
		if (!h.n)
			continue;	/* no home on its node: pass 1 */
		owner[cpu] = (int)h.q[0];
		load[h.q[0]]++;
		heap_down(&h, 0);
	}
	/* pass 1: the least-loaded queue of all */
	all = (struct queue_heap){ .q = sorted + nq, .n = nq, .load = load };
	heap_make(&all);
	for (i = 0; i < dp->nr_order; i++) {
		unsigned int cpu = dp->order[i];

		if (owner[cpu] >= 0)
			continue;
		owner[cpu] = (int)all.q[0];
		load[all.q[0]]++;
		heap_down(&all, 0);
	}
out:
	free(qnode);
	free(sorted);
	free(load);
	return ret;
}

static struct mq_cpuset *new_sets(size_t n, unsigned int nbits)
{
	struct mq_cpuset *s = calloc(n ? n : 1, sizeof(*s));
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++)
		if (mq_cpuset_init(&s[i], nbits)) {
			while (i--)
				mq_cpuset_fini(&s[i]);
			free(s);
			return NULL;
		}
	return s;
}

/*
 * Whether the queues are served by IRQs of their own: vectors attached
 * to queues, or vectors the driver has not requested yet (link down, or
 * freed again by a link down).  The plan must not depend on the link
 * state, so the second counts as the first.
 */
static bool has_queue_irqs(const struct mq_netdev *dev)
{
	size_t q;

	if (dev->irqs_unrequested)
		return true;
	for (q = 0; q < dev->nr_rxq; q++)
		if (dev->rxq[q].irq >= 0)
			return true;
	return false;
}

/* RPS sets, RFS flow counts; returns the flow entries this device wants. */
static int64_t plan_rps(const struct mq_machine *m, const struct mq_netdev *dev,
			const struct mq_policy *p, struct mq_dev_placement *dp,
			const int *owner)
{
	size_t nq = dev->nr_rxq, q;
	unsigned int cpu;
	bool active, extra = false;
	int64_t entries;

	if (p->rps == MQ_STEER_KEEP || !nq)
		return -1;
	/* With RSS spreading over every core already, RPS only adds IPIs;
	 * a device without IRQs has nothing but RPS to steer with. */
	active = p->rps == MQ_STEER_AUTO &&
		 (nq < dp->nr_order || !has_queue_irqs(dev));
	if (!active)
		return -1;
	for (cpu = 0; cpu < m->topo.nr_cpu_ids; cpu++) {
		int o = owner[cpu];

		if (o < 0)
			continue;
		/* node scope: only CPUs of the node of the queue's home */
		if (p->rps_scope == MQ_RPS_SCOPE_NODE &&
		    cpu_node(&m->topo, (int)cpu) !=
		    cpu_node(&m->topo, dp->home[o]))
			continue;
		mq_cpuset_set(&dp->rps[o], cpu);
		if ((int)cpu != dp->home[o])
			extra = true;
	}
	for (q = 0; q < nq; q++)
		if (dp->home[q] >= 0 &&
		    mq_cpuset_test(&dp->usable, (unsigned int)dp->home[q]))
			mq_cpuset_set(&dp->rps[q], (unsigned int)dp->home[q]);
	/* Sets of their home alone would only queue packets to the same
	 * CPU: not worth it (the CPUs left are on nodes without a home). */
	if (!extra && has_queue_irqs(dev)) {
		for (q = 0; q < nq; q++)
			mq_cpuset_zero(&dp->rps[q]);
		return -1;
	}
	dp->rps_used = true;
	entries = round_up_pow2(m->sysctls.rps_sock_flow_entries);
	if (entries < MQ_RFS_MIN_FLOW_ENTRIES)
		entries = MQ_RFS_MIN_FLOW_ENTRIES;
	for (q = 0; q < nq; q++)
		dp->flow_cnt[q] = round_up_pow2((entries + (int64_t)nq - 1) /
						(int64_t)nq);
	return entries;
}

static void plan_xps(const struct mq_machine *m, const struct mq_netdev *dev,
		     struct mq_dev_placement *dp, const int *owner)
{
	size_t ntx = dev->nr_txq, i;
	unsigned int cpu;

	if (!ntx)
		return;
	if (!dev->nr_rxq) {	/* no rx queues: spread CPUs in order */
		for (i = 0; i < dp->nr_order; i++)
			mq_cpuset_set(&dp->xps[i % ntx], dp->order[i]);
		return;
	}
	for (cpu = 0; cpu < m->topo.nr_cpu_ids; cpu++)
		if (owner[cpu] >= 0)
			mq_cpuset_set(&dp->xps[(size_t)owner[cpu] % ntx], cpu);
}

static int place_steering(const struct mq_machine *m,
			  const struct mq_netdev *dev,
			  const struct mq_policy *p,
			  struct mq_dev_placement *dp, int64_t *entries)
{
	unsigned int nbits = m->topo.nr_cpu_ids;
	int *owner = calloc(nbits, sizeof(int));
	size_t q;

	*entries = -1;
	dp->flow_cnt = calloc(dev->nr_rxq ? dev->nr_rxq : 1, sizeof(int64_t));
	if (!owner || !dp->flow_cnt || assign_owners(&m->topo, dev, dp, owner))
		goto nomem;
	for (q = 0; q < dev->nr_rxq; q++)
		dp->flow_cnt[q] = -1;
	if (p->rps != MQ_STEER_KEEP) {
		dp->rps = new_sets(dev->nr_rxq, nbits);
		if (!dp->rps)
			goto nomem;
		dp->nr_rps = dev->nr_rxq;
		*entries = plan_rps(m, dev, p, dp, owner);
	}
	if (p->xps != MQ_STEER_KEEP) {
		dp->xps = new_sets(dev->nr_txq, nbits);
		if (!dp->xps)
			goto nomem;
		dp->nr_xps = dev->nr_txq;
		if (p->xps == MQ_STEER_AUTO)
			plan_xps(m, dev, dp, owner);
	}
	free(owner);
	return 0;
nomem:
	free(owner);
	return -1;
}

/* "0-3,8" into @buf, cut with "..." when it does not fit. */
static const char *list_of(const struct mq_cpuset *set, char *buf, size_t cap)
{
	char *list = mq_cpuset_format_list(set);

	if (!list)
		snprintf(buf, cap, "?");
	else if (strlen(list) >= cap && cap > 4)
		snprintf(buf, cap, "%.*s...", (int)(cap - 4), list);
	else
		snprintf(buf, cap, "%s", list[0] ? list : "-");
	free(list);
	return buf;
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * The channel command that gives @dev @n queues: "ethtool -L eth0
 * combined 8", or "rx 8 tx 8" for a driver with separate rx and tx
 * channels; "" when the channel count is not known (not supported).
 */
static void channel_command(const struct mq_netdev *dev, size_t n,
			    char *buf, size_t cap)
{
	const struct mq_channels *ch = &dev->channels;

	buf[0] = '\0';
	if (ch->source == MQ_CHAN_NONE)
		return;
	if (ch->combined || (!ch->rx && !ch->tx))
		snprintf(buf, cap, "ethtool -L %s combined %zu", dev->name, n);
	else if (ch->tx)
		snprintf(buf, cap, "ethtool -L %s rx %zu tx %zu", dev->name, n, n);
	else
		snprintf(buf, cap, "ethtool -L %s rx %zu", dev->name, n);
}

static bool link_down(const struct mq_netdev *dev)
{
	return strcmp(dev->operstate, "down") == 0 ||
	       strcmp(dev->operstate, "lowerlayerdown") == 0 ||
	       strcmp(dev->operstate, "notpresent") == 0;
}

static void shared_homes_warning(struct mq_placement *pl,
				 const struct mq_machine *m, size_t idx,
				 const struct mq_cpuset *taken_before)
{
	const struct mq_netdev *dev = &m->netdevs[idx];
	const struct mq_dev_placement *dp = &pl->devs[idx];
	struct mq_cpuset shared = { 0 }, free_cpus = { 0 };
	char others[128] = "", list[96], flist[96];
	size_t q, i, n;
	int node = dp->start_node;

	if (mq_cpuset_init(&shared, m->topo.nr_cpu_ids) ||
	    mq_cpuset_init(&free_cpus, m->topo.nr_cpu_ids))
		goto out;
	for (q = 0; q < dev->nr_rxq; q++)
		if (dp->home[q] >= 0 &&
		    !(dp->home_why[q] & (MQ_HOME_MANAGED | MQ_HOME_SHARED_VECTOR)) &&
		    mq_cpuset_test(taken_before, (unsigned int)dp->home[q]))
			mq_cpuset_set(&shared, (unsigned int)dp->home[q]);
	n = mq_cpuset_weight(&shared);
	if (!n)
		goto out;
	for (i = 0; i < idx; i++) {
		const struct mq_dev_placement *e = &pl->devs[i];
		bool hit = false;

		if (dp->shares_with == (int)i)
			continue;
		for (q = 0; q < m->netdevs[i].nr_rxq && !hit; q++)
			hit = e->home[q] >= 0 &&
			      mq_cpuset_test(&shared, (unsigned int)e->home[q]);
		if (hit)
			snprintf(others + strlen(others),
				 sizeof(others) - strlen(others), "%s%s",
				 others[0] ? ", " : "", m->netdevs[i].name);
	}
	/* usable CPUs of the NIC's node that no interface of the run uses */
	for (i = 0; i < m->topo.nr_nodes; i++)
		if (m->topo.nodes[i].id == node) {
			mq_cpuset_or(&free_cpus, &m->topo.nodes[i].cpus);
			mq_cpuset_and(&free_cpus, &dp->usable);
			mq_cpuset_andnot(&free_cpus, taken_before);
			for (q = 0; q < dev->nr_rxq; q++)
				if (dp->home[q] >= 0)
					mq_cpuset_clear(&free_cpus,
							(unsigned int)dp->home[q]);
		}
	if (!mq_cpuset_empty(&free_cpus))
		mq_placement_warn(pl, "shared-homes", dev->name,
				  "%s: %zu home%s shared with %s (CPU%s %s) while node %d "
				  "still has free CPUs (%s)", dev->name, n,
				  plural(n, "", "s"), others, plural(n, "", "s"),
				  list_of(&shared, list, sizeof(list)), node,
				  list_of(&free_cpus, flist, sizeof(flist)));
	else
		mq_placement_warn(pl, "shared-homes", dev->name,
				  "%s: %zu home%s shared with %s (CPU%s %s): no free "
				  "CPU left%s", dev->name, n, plural(n, "", "s"),
				  others, plural(n, "", "s"),
				  list_of(&shared, list, sizeof(list)),
				  node >= 0 ? " on its node" : "");
out:
	mq_cpuset_fini(&shared);
	mq_cpuset_fini(&free_cpus);
}

static void device_warnings(struct mq_placement *pl, const struct mq_machine *m,
			    size_t idx, const struct mq_cpuset *taken_before)
{
	const struct mq_netdev *dev = &m->netdevs[idx];
	const struct mq_dev_placement *dp = &pl->devs[idx];
	char cmd[96], obj[64];
	size_t i, q, remote = 0, homes = 0;

	if (link_down(dev))
		mq_placement_warn(pl, "link-down", dev->name,
				  "%s: the link is down (operstate %s): its speed is "
				  "unknown, and some drivers request their IRQs only "
				  "when it is up: run mqtune again then", dev->name,
				  dev->operstate);
	if (dev->nr_rxq > dp->nr_order && !dp->chan_change &&
	    dp->chan_mode == MQ_CHANNELS_SET) {
		mq_placement_warn(pl, "queues-share-cores", dev->name,
				  "%s: %zu rx queues but %zu usable CPU%s: queues share "
				  "CPUs (--channels %zu)", dev->name, dev->nr_rxq,
				  dp->nr_order, plural(dp->nr_order, "", "s"),
				  dev->nr_rxq);
	} else if (dev->nr_rxq > dp->nr_order && !dp->chan_change) {
		channel_command(dev, dp->nr_order, cmd, sizeof(cmd));
		mq_placement_warn(pl, "queues-share-cores", dev->name,
				  "%s: %zu rx queue%s but %zu usable CPU%s: queues share "
				  "CPUs; %s%s%s", dev->name, dev->nr_rxq,
				  plural(dev->nr_rxq, "", "s"), dp->nr_order,
				  plural(dp->nr_order, "", "s"),
				  cmd[0] ? "reduce the channels to match: " :
				  "the channel count cannot be changed here",
				  cmd, "");
	}
	if (dev->irq_source == MQ_IRQSRC_NONE)
		mq_placement_warn(pl, "no-irq-vectors", dev->name,
				  "%s: the device has no interrupt vectors: IRQ affinity "
				  "skipped, RPS and XPS still apply", dev->name);
	else if (dev->irqs_unrequested)
		mq_placement_warn(pl, "irqs-not-requested", dev->name,
				  "%s: IRQs not requested yet%s: IRQ affinity skipped, "
				  "RPS and XPS still apply; run mqtune again once the "
				  "link is up", dev->name,
				  link_down(dev) ? " (link down)" : "");
	copy_warnings(pl, &dev->warnings);
	if (dp->shares_with >= 0)
		mq_placement_warn(pl, "shared-vectors", dev->name,
				  "%s: shares its interrupt vectors with %s (one PCI "
				  "function%s%s): they are placed once, with %s; the rx "
				  "and tx queue files of %s are planned on their own",
				  dev->name, m->netdevs[dp->shares_with].name,
				  dev->bus_address[0] ? ", " : "", dev->bus_address,
				  m->netdevs[dp->shares_with].name, dev->name);
	for (i = 0; i < dev->nr_irqs; i++)
		if (dp->irq_managed[i]) {
			snprintf(obj, sizeof(obj), "IRQ %u", dev->irqs[i].irq);
			mq_placement_warn(pl, "managed-irq", obj,
					  "%s: IRQ %u (%s) is managed by the kernel: left "
					  "on CPU %d", dev->name, dev->irqs[i].irq,
					  dev->irqs[i].name,
					  mq_irq_current_cpu(&dev->irqs[i]));
		}
	/* every home remote: only when the NIC has a node of its own */
	for (q = 0; q < dev->nr_rxq; q++) {
		if (dp->home[q] < 0 || (dp->home_why[q] & MQ_HOME_MANAGED))
			continue;
		homes++;
		remote += !!(dp->home_why[q] & MQ_HOME_REMOTE);
	}
	if (homes && remote == homes && dev->numa_node >= 0)
		mq_placement_warn(pl, "remote-homes", dev->name,
				  "%s: every home is off the NIC's NUMA node %d%s: its "
				  "packets cross the interconnect", dev->name,
				  dev->numa_node,
				  (dp->home_why[0] & MQ_HOME_LOCAL_EMPTY) ?
				  ", which has no usable CPU" : "");
	shared_homes_warning(pl, m, idx, taken_before);
}

/* Warnings about the options, before any interface's. */
static void option_warnings(struct mq_placement *pl)
{
	char list[96];
	unsigned int n = mq_cpuset_weight(&pl->why.offline_named);

	if (n)
		mq_placement_warn(pl, "offline-cpus-named", "--cpus",
				  "--cpus names %u CPU%s that %s not online (%s): "
				  "ignored", n, n == 1 ? "" : "s",
				  n == 1 ? "is" : "are",
				  list_of(&pl->why.offline_named, list, sizeof(list)));
}

/* The lowest and the highest IRQ number of @dev ([1] < [0] when none). */
static void irq_range(const struct mq_netdev *dev, unsigned int range[2])
{
	range[0] = UINT_MAX;
	range[1] = 0;
	for (size_t k = 0; k < dev->nr_irqs; k++) {
		range[0] = dev->irqs[k].irq < range[0] ? dev->irqs[k].irq : range[0];
		range[1] = dev->irqs[k].irq > range[1] ? dev->irqs[k].irq : range[1];
	}
}

/*
 * Per vector of interface @idx: the CPU an earlier interface planned for
 * the same IRQ number (two ports of one PCI function list the same
 * msi_irqs), -1 when none did.  *@with: the first such interface, -1.
 * NULL when out of memory.
 */
static int *shared_vectors(const struct mq_machine *m,
			   const struct mq_placement *pl, size_t idx, int *with)
{
	const struct mq_netdev *dev = &m->netdevs[idx];
	int *cpu = calloc(dev->nr_irqs ? dev->nr_irqs : 1, sizeof(int));
	unsigned int (*range)[2] = calloc(idx ? idx : 1, sizeof(*range));
	size_t i, j, k;

	if (!cpu || !range) {
		free(cpu);
		free(range);
		return NULL;
	}
	/* two interfaces share vectors only where their IRQ ranges meet */
	for (j = 0; j < idx; j++)
		irq_range(&m->netdevs[j], range[j]);
	*with = -1;
	for (i = 0; i < dev->nr_irqs; i++) {
		cpu[i] = -1;
		if (!mq_netdev_irq_attached(dev, i) || !dev->irqs[i].user_settable)
			continue;
		for (j = 0; j < idx && cpu[i] < 0; j++) {
			const struct mq_netdev *e = &m->netdevs[j];

			if (dev->irqs[i].irq < range[j][0] ||
			    dev->irqs[i].irq > range[j][1])
				continue;
			for (k = 0; k < e->nr_irqs; k++)
				if (e->irqs[k].irq == dev->irqs[i].irq &&
				    pl->devs[j].irq_cpu[k] >= 0) {
					cpu[i] = pl->devs[j].irq_cpu[k];
					if (*with < 0)
						*with = (int)j;
					break;
				}
		}
	}
	free(range);
	return cpu;
}

static int place_device(const struct mq_machine *m, size_t idx,
			const struct mq_policy *p, struct mq_cpuset *taken,
			struct mq_placement *pl, int64_t *entries,
			struct mq_diag *d)
{
	const struct mq_netdev *dev = &m->netdevs[idx];
	struct mq_dev_placement *dp = &pl->devs[idx];
	struct mq_cpuset before = { 0 };
	int *owner_cpu = NULL;
	size_t q;

	dp->shares_with = -1;
	owner_cpu = shared_vectors(m, pl, idx, &dp->shares_with);
	if (!owner_cpu ||
	    build_order(&m->topo, dev, p, taken, dp) ||
	    assign_homes(dev, dp, m->topo.nr_cpu_ids, owner_cpu) ||
	    assign_irqs(dev, dp, owner_cpu) ||
	    place_steering(m, dev, p, dp, entries) ||
	    mq_place_napi(dev, dp) ||
	    mq_cpuset_dup(&before, taken)) {
		free(owner_cpu);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	free(owner_cpu);
	for (q = 0; q < dev->nr_rxq; q++)
		if (dp->home[q] >= 0)
			mq_cpuset_set(taken, (unsigned int)dp->home[q]);
	dp->warn_first = pl->warnings.n;
	if (mq_rss_place(dev, p, dp, pl)) {	/* after nr_active_rx */
		mq_cpuset_fini(&before);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	device_warnings(pl, m, idx, &before);
	dp->warn_end = pl->warnings.n;
	mq_cpuset_fini(&before);
	return 0;
}

/*
 * What the interfaces ask of net.core.netdev_max_backlog, combined: the
 * highest target any of them asks for (--backlog N: N; auto: the target
 * of its link speed; keep: no opinion).  *@exact when some interface gave
 * a number: then the target is written as it is, else only raised.
 */
static int64_t backlog_target(const struct mq_machine *m,
			      const struct mq_policy *const *per_dev,
			      const struct mq_policy *first, bool *exact,
			      int64_t *speed)
{
	size_t i, n = m->nr_netdevs ? m->nr_netdevs : 1;
	int64_t target = 0;

	*exact = false;
	*speed = -1;
	for (i = 0; i < n; i++) {	/* no interface: @first's number */
		const struct mq_policy *p = m->nr_netdevs ? per_dev[i] : first;
		int64_t want = 0;

		if (p->backlog == MQ_BACKLOG_SET) {
			want = p->backlog_value;
			*exact = true;
		} else if (p->backlog == MQ_BACKLOG_AUTO && m->nr_netdevs) {
			want = mq_backlog_for_speed(m->netdevs[i].speed_mbps);
		}
		if (want > target) {
			target = want;
			*speed = p->backlog == MQ_BACKLOG_AUTO ?
				m->netdevs[i].speed_mbps : -1;
		}
	}
	return target;
}

static void place_sysctls(const struct mq_machine *m, int64_t entries,
			  int64_t backlog, bool exact, struct mq_placement *pl)
{
	int64_t cur_backlog = m->sysctls.netdev_max_backlog;
	int64_t cur_entries = m->sysctls.rps_sock_flow_entries;

	pl->backlog = -1;
	pl->flow_entries = -1;
	if (backlog > 0 && cur_backlog < 0)
		mq_placement_warn(pl, "sysctl-unavailable", "net.core.netdev_max_backlog",
				  "net.core.netdev_max_backlog is not available in this "
			 "network namespace: left alone");
	else if (backlog > 0 && (exact || backlog > cur_backlog))
		pl->backlog = backlog;
	if (entries > 0 && cur_entries < 0)
		mq_placement_warn(pl, "sysctl-unavailable", "net.core.rps_sock_flow_entries",
				  "net.core.rps_sock_flow_entries is not available in "
			 "this network namespace: RFS flow table left alone");
	else if (entries > 0)
		pl->flow_entries = entries > cur_entries ? entries : cur_entries;
}

/*
 * Channels first (channels.h): each interface's usable CPUs, and the
 * groups that share a pool of them: the interfaces starting on one NUMA
 * node share its usable CPUs; on a machine of several nodes, those
 * without a node of their own share every usable CPU.  A group whose
 * node has no usable CPU shares the usable CPUs of its members.
 */
static int size_channels(const struct mq_machine *m,
			 const struct mq_policy *const *per_dev,
			 struct mq_placement *pl, struct mq_diag *d)
{
	const struct mq_topo *t = &m->topo;
	size_t n = m->nr_netdevs, ng = t->nr_nodes + 1, i, g;
	struct mq_cpuset *pool = calloc(ng, sizeof(*pool));
	int *group = calloc(n ? n : 1, sizeof(*group));
	int ret = -1;

	if (!pool || !group)
		goto oom;
	for (g = 0; g < ng; g++)
		if (mq_cpuset_init(&pool[g], t->nr_cpu_ids))
			goto oom;
	for (i = 0; i < n; i++) {
		const struct mq_netdev *dev = &m->netdevs[i];

		if (usable_cpus(t, per_dev[i], &pl->devs[i].usable, d))
			goto out;
		pl->devs[i].rss_mode = per_dev[i]->rss;
		pl->devs[i].chan_mode = per_dev[i]->channels;
		g = t->nr_nodes > 1 && dev->numa_node < 0 ? t->nr_nodes :
		    start_node(t, dev);
		group[i] = (int)g;
		mq_cpuset_or(&pool[g], &pl->devs[i].usable);
	}
	for (g = 0; g < t->nr_nodes; g++) {
		struct mq_cpuset local = { 0 };

		if (mq_cpuset_dup(&local, &pool[g]))
			goto oom;
		mq_cpuset_and(&local, &t->nodes[g].cpus);
		if (!mq_cpuset_empty(&local)) {
			mq_cpuset_fini(&pool[g]);
			pool[g] = local;
		} else {
			mq_cpuset_fini(&local);
		}
	}
	ret = mq_channels_size(m, per_dev, group, pool, ng, pl, d);
	goto out;
oom:
	ret = mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
out:
	for (g = 0; pool && g < ng; g++)
		mq_cpuset_fini(&pool[g]);
	free(pool);
	free(group);
	return ret;
}

/* @first: the policy of the report, and of the sysctls with no interface. */
static int place_all(const struct mq_machine *m,
		     const struct mq_policy *const *per_dev,
		     const struct mq_policy *first, struct mq_placement *pl,
		     struct mq_diag *d)
{
	struct mq_cpuset taken = { 0 };
	int64_t entries = -1, backlog;
	bool exact;
	size_t i;

	memset(pl, 0, sizeof(*pl));
	pl->rps_scope = first->rps_scope;
	pl->devs = calloc(m->nr_netdevs ? m->nr_netdevs : 1, sizeof(*pl->devs));
	if (!pl->devs || mq_cpuset_init(&taken, m->topo.nr_cpu_ids) ||
	    usable_why(&m->topo, first, &pl->why)) {
		mq_cpuset_fini(&taken);
		mq_placement_fini(pl);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	copy_warnings(pl, &m->topo.warnings);
	option_warnings(pl);
	pl->nr_devs = m->nr_netdevs;
	if (size_channels(m, per_dev, pl, d)) {
		mq_cpuset_fini(&taken);
		mq_placement_fini(pl);
		return -1;
	}
	for (i = 0; i < m->nr_netdevs; i++) {
		int64_t want = -1;

		if (place_device(m, i, per_dev[i], &taken, pl, &want, d)) {
			mq_cpuset_fini(&taken);
			mq_placement_fini(pl);
			return -1;
		}
		if (want > entries)
			entries = want;
	}
	mq_cpuset_fini(&taken);
	backlog = backlog_target(m, per_dev, first, &exact, &pl->backlog_speed);
	place_sysctls(m, entries, backlog, exact, pl);
	return 0;
}

int mq_place_each(const struct mq_machine *m,
		  const struct mq_policy *const *per_dev,
		  struct mq_placement *pl, struct mq_diag *d)
{
	static const struct mq_policy none = { .backlog = MQ_BACKLOG_KEEP };

	return place_all(m, per_dev, m->nr_netdevs ? per_dev[0] : &none, pl, d);
}

int mq_place(const struct mq_machine *m, const struct mq_policy *p,
	     struct mq_placement *pl, struct mq_diag *d)
{
	const struct mq_policy **per_dev;
	size_t i;
	int ret;

	per_dev = calloc(m->nr_netdevs ? m->nr_netdevs : 1, sizeof(*per_dev));
	if (!per_dev)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	for (i = 0; i < m->nr_netdevs; i++)
		per_dev[i] = p;
	ret = place_all(m, per_dev, p, pl, d);
	free(per_dev);
	return ret;
}

static void free_sets(struct mq_cpuset *s, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		mq_cpuset_fini(&s[i]);
	free(s);
}

void mq_placement_fini(struct mq_placement *pl)
{
	size_t i;

	for (i = 0; i < pl->nr_devs; i++) {
		struct mq_dev_placement *dp = &pl->devs[i];

		mq_cpuset_fini(&dp->usable);
		free(dp->order);
		free(dp->order_why);
		free(dp->home);
		free(dp->home_why);
		free(dp->irq_cpu);
		free(dp->irq_managed);
		free(dp->flow_cnt);
		free(dp->rss_want);
		free_sets(dp->rps, dp->nr_rps);
		free_sets(dp->xps, dp->nr_xps);
		free(dp->napi_cpu);
	}
	free(pl->devs);
	usable_why_fini(&pl->why);
	mq_warnings_fini(&pl->warnings);
	memset(pl, 0, sizeof(*pl));
}
