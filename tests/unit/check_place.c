/*
 * check_place.c - property tests of the placement policy (src/core/place.c).
 *
 * Machines of many shapes are built in memory (model_builder.h) and every
 * placement is checked against the policy's properties rather than against
 * a recorded output: the usable set is recomputed from the rules, the
 * order is checked for node grouping, distance order and "one thread per
 * core before any sibling", the RPS sets for being a partition of the
 * usable CPUs with each home in its own set, the XPS sets for covering
 * every usable CPU exactly once, and so on (check_placement()).  Each test
 * then adds the assertions specific to its shape.
 *
 * The policy (docs/policy.md):
 *  1. usable = online - isolated - nohz_full - --exclude-cpus, within
 *     --cpus; empty -> -1 and MQ_EXIT_REFUSED naming why;
 *  2. order: the NIC's node first (node 0 when unknown), one thread per
 *     core before siblings, other nodes by distance; with several
 *     interfaces CPUs already homes of earlier ones come after the unused
 *     ones of the same node;
 *  3. rx queue i -> i-th CPU of the order (wrapping, with a note);
 *     separate tx vector i -> the CPU of rx queue i;
 *  4. RPS: when usable CPUs outnumber rx queues (or no queue IRQs), every
 *     non-home usable CPU goes to exactly one queue, same node preferred;
 *     flow_cnt = flow_entries / nq rounded up to a power of two;
 *  5. XPS: every usable CPU in exactly one tx queue's set;
 *  6. netdev_max_backlog: auto raise by link speed, never lower;
 *  7. kernel-managed IRQs left alone, their CPU is the queue's home;
 *  8. misc vectors never moved.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mqtune/cpuset.h"
#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/place.h"
#include "model_builder.h"

Suite *place_suite(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static void policy_auto(struct mq_policy *p)
{
	memset(p, 0, sizeof(*p));
	/* the queues the model has: --channels is tested on its own */
	p->channels = MQ_CHANNELS_KEEP;
	p->rps = MQ_STEER_AUTO;
	p->xps = MQ_STEER_AUTO;
	p->backlog = MQ_BACKLOG_AUTO;
}

static int core_of(const struct mq_topo *t, unsigned int cpu)
{
	int f = t->cpus[cpu].first_sibling;

	return f < 0 ? (int)cpu : f;
}

static int node_of(const struct mq_topo *t, int cpu)
{
	return cpu < 0 ? -1 : t->cpus[cpu].node;
}

static int node_index(const struct mq_topo *t, int id)
{
	size_t i;

	if (id < 0)
		return -1;
	for (i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].id == id)
			return (int)i;
	return -1;
}

static bool is_pow2(int64_t v)
{
	return v > 0 && (v & (v - 1)) == 0;
}

static int64_t pow2_at_least(int64_t v)
{
	int64_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

/* Whether some note contains @w1 and, unless it is NULL, @w2. */
static bool has_note(const struct mq_placement *pl, const char *w1,
		     const char *w2)
{
	size_t i;

	for (i = 0; i < pl->warnings.n; i++)
		if (strstr(pl->warnings.list[i].message, w1) &&
		    (!w2 || strstr(pl->warnings.list[i].message, w2)))
			return true;
	return false;
}

/* The usable set recomputed from rule 1. */
static void expected_usable(const struct mq_machine *m,
			    const struct mq_policy *p, struct mq_cpuset *out)
{
	unsigned int cpu;

	ck_assert_int_eq(mq_cpuset_init(out, m->topo.nr_cpu_ids), 0);
	for (cpu = 0; cpu < m->topo.nr_cpu_ids; cpu++)
		if (mq_cpuset_test(&m->topo.online, cpu) &&
		    !mq_cpuset_test(&m->topo.isolated, cpu) &&
		    !mq_cpuset_test(&m->topo.nohz_full, cpu) &&
		    !(p->exclude_cpus && mq_cpuset_test(p->exclude_cpus, cpu)) &&
		    (!p->only_cpus || mq_cpuset_test(p->only_cpus, cpu)))
			mq_cpuset_set(out, cpu);
}

/* Vectors the driver has not requested yet count as queue IRQs. */
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

static bool rx_managed(const struct mq_netdev *dev, size_t q)
{
	int idx = dev->rxq[q].irq;

	return idx >= 0 && !dev->irqs[idx].user_settable;
}

static bool is_home(const struct mq_netdev *dev,
		    const struct mq_dev_placement *dp, unsigned int cpu)
{
	size_t q;

	for (q = 0; q < dev->nr_rxq; q++)
		if (dp->home[q] == (int)cpu)
			return true;
	return false;
}

/* Whether some queue's home is on the node of @cpu (rule 4, node scope). */
static bool home_on_node_of(const struct mq_topo *t,
			    const struct mq_netdev *dev,
			    const struct mq_dev_placement *dp, unsigned int cpu)
{
	size_t q;

	for (q = 0; q < dev->nr_rxq; q++)
		if (dp->home[q] >= 0 &&
		    t->cpus[dp->home[q]].node == t->cpus[cpu].node)
			return true;
	return false;
}

/* Whether a usable CPU that is nobody's home may go into an RPS set. */
static bool rps_may_take(const struct mq_topo *t, const struct mq_netdev *dev,
			 const struct mq_dev_placement *dp,
			 const struct mq_policy *p, unsigned int cpu)
{
	return p->rps_scope == MQ_RPS_SCOPE_MACHINE ||
	       home_on_node_of(t, dev, dp, cpu);
}

static bool rps_active_t(const struct mq_topo *t, const struct mq_netdev *dev,
			 const struct mq_dev_placement *dp,
			 const struct mq_policy *p)
{
	unsigned int cpu;

	if (p->rps != MQ_STEER_AUTO || !dev->nr_rxq ||
	    !(dev->nr_rxq < dp->nr_order || !has_queue_irqs(dev)))
		return false;
	if (!has_queue_irqs(dev))
		return true;
	/* sets of the home alone are not worth it */
	for (cpu = 0; cpu < t->nr_cpu_ids; cpu++)
		if (mq_cpuset_test(&dp->usable, cpu) && !is_home(dev, dp, cpu) &&
		    rps_may_take(t, dev, dp, p, cpu))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* The properties every placement must have                            */
/* ------------------------------------------------------------------ */

/* Whether a thread of @cpu's core is isolated, nohz_full or excluded. */
static bool near_isolated(const struct mq_machine *m, const struct mq_policy *p,
			  unsigned int cpu)
{
	const struct mq_topo *t = &m->topo;
	unsigned int c;

	for (c = 0; c < t->nr_cpu_ids; c++)
		if (core_of(t, c) == core_of(t, cpu) &&
		    mq_cpuset_test(&t->online, c) &&
		    (mq_cpuset_test(&t->isolated, c) ||
		     mq_cpuset_test(&t->nohz_full, c) ||
		     (p->exclude_cpus && mq_cpuset_test(p->exclude_cpus, c))))
			return true;
	return false;
}

/*
 * Rule 2, as a property of the sequence dp->order: within each node,
 * CPUs of cores with no isolated/excluded thread first, then the others;
 * within each of these parts unused CPUs before those earlier interfaces
 * use, and within those one thread per core before any sibling.
 */
static void check_order(const struct mq_machine *m, const struct mq_policy *p,
			const struct mq_netdev *dev,
			const struct mq_dev_placement *dp,
			const struct mq_cpuset *taken)
{
	const struct mq_topo *t = &m->topo;
	unsigned int n = t->nr_cpu_ids;
	bool *seen = calloc(n, sizeof(bool));
	bool *core_seen = calloc(n, sizeof(bool));
	bool *closed = calloc(t->nr_nodes + 1, sizeof(bool));
	int ref = node_index(t, dev->numa_node), prev_node = INT_MIN;
	long prev_dist = -1, prev_id = -1;
	bool in_taken = false, sibling_seen = false, in_near = false;
	size_t i;

	ck_assert(seen && core_seen && closed);
	ck_assert_uint_eq(dp->nr_order, mq_cpuset_weight(&dp->usable));
	ck_assert_ptr_nonnull(dp->order);
	/* Distances are ranked from the NIC's node, even when none of its
	 * CPUs is usable; from node 0 when the NIC has no (known) node. */
	if (ref < 0)
		ref = node_index(t, 0);
	if (ref < 0 && t->nr_nodes)
		ref = 0;
	if (ref >= 0 && mq_cpuset_intersects(&t->nodes[ref].cpus, &dp->usable))
		ck_assert_msg(node_of(t, (int)dp->order[0]) == t->nodes[ref].id,
			      "%s: order starts on node %d, not node %d",
			      dev->name, node_of(t, (int)dp->order[0]),
			      t->nodes[ref].id);
	for (i = 0; i < dp->nr_order; i++) {
		unsigned int cpu = dp->order[i];
		int node = node_of(t, (int)cpu), ni = node_index(t, node);
		long dist = ni < 0 || ref < 0 ? LONG_MAX
					      : t->nodes[ref].distance[ni];
		long id = ni < 0 ? LONG_MAX : node;
		bool tk = taken && mq_cpuset_test(taken, cpu);
		int core;

		ck_assert_msg(cpu < n, "%s: order[%zu] = %u beyond nr_cpu_ids",
			      dev->name, i, cpu);
		ck_assert_msg(mq_cpuset_test(&dp->usable, cpu),
			      "%s: order[%zu] = CPU %u is not usable",
			      dev->name, i, cpu);
		ck_assert_msg(!seen[cpu], "%s: CPU %u twice in the order",
			      dev->name, cpu);
		seen[cpu] = true;
		if (node != prev_node) {
			/* a new node segment: contiguous, by distance, id */
			int pi = node_index(t, prev_node);

			if (prev_node != INT_MIN)
				closed[pi < 0 ? t->nr_nodes : (size_t)pi] = true;
			ck_assert_msg(!closed[ni < 0 ? t->nr_nodes : (size_t)ni],
				      "%s: node %d's CPUs are not contiguous in "
				      "the order (at position %zu)",
				      dev->name, node, i);
			ck_assert_msg(dist > prev_dist ||
				      (dist == prev_dist && id > prev_id),
				      "%s: node %d (distance %ld) after node %d "
				      "(distance %ld)", dev->name, node, dist,
				      prev_node, prev_dist);
			prev_node = node;
			prev_dist = dist;
			prev_id = id;
			in_taken = false;
			sibling_seen = false;
			in_near = false;
		}
		/* siblings of isolated/excluded CPUs last within the node */
		if (near_isolated(m, p, cpu) && !in_near) {
			in_near = true;
			in_taken = false;
			sibling_seen = false;
		}
		ck_assert_msg(near_isolated(m, p, cpu) == in_near,
			      "%s: CPU %u (its core has no isolated or excluded "
			      "thread) after such a core's CPU in node %d",
			      dev->name, cpu, node);
		/* within a node, CPUs earlier interfaces use come last */
		if (tk && !in_taken) {
			in_taken = true;
			sibling_seen = false;
		}
		ck_assert_msg(tk == in_taken,
			      "%s: unused CPU %u after CPUs of node %d that "
			      "earlier interfaces use", dev->name, cpu, node);
		/* one thread per core before any sibling */
		core = core_of(t, cpu);
		if (core >= 0 && (unsigned int)core < n && core_seen[core])
			sibling_seen = true;
		else
			ck_assert_msg(!sibling_seen,
				      "%s: CPU %u (a new core) comes after an SMT "
				      "sibling at position %zu", dev->name, cpu, i);
		if (core >= 0 && (unsigned int)core < n)
			core_seen[core] = true;
	}
	free(seen);
	free(core_seen);
	free(closed);
}

/* Rules 3 and 7: homes. */
static void check_homes(const struct mq_netdev *dev,
			const struct mq_dev_placement *dp, unsigned int nbits)
{
	size_t nq = dev->nr_rxq, q, navail = 0, j = 0, i;
	bool *fixed = calloc(nbits, sizeof(bool));
	unsigned int *avail = calloc(dp->nr_order + 1, sizeof(unsigned int));

	ck_assert(fixed && avail);
	ck_assert_uint_eq(dp->sum, nq < dp->nr_order ? nq : dp->nr_order);
	if (nq)
		ck_assert_ptr_nonnull(dp->home);
	for (q = 0; q < nq; q++)
		if (rx_managed(dev, q)) {
			int cpu = mq_irq_current_cpu(&dev->irqs[dev->rxq[q].irq]);

			if (cpu >= 0) {
				ck_assert_msg(dp->home[q] == cpu,
					      "%s: queue %zu's managed IRQ is on CPU "
					      "%d but its home is %d", dev->name, q,
					      cpu, dp->home[q]);
				fixed[cpu] = true;
			}
		}
	for (i = 0; i < dp->nr_order; i++)
		if (!fixed[dp->order[i]])
			avail[navail++] = dp->order[i];
	if (!navail) {
		memcpy(avail, dp->order, dp->nr_order * sizeof(*avail));
		navail = dp->nr_order;
	}
	/* the other queues take the order, skipping managed CPUs, wrapping */
	for (q = 0; q < nq; q++) {
		if (rx_managed(dev, q) &&
		    mq_irq_current_cpu(&dev->irqs[dev->rxq[q].irq]) >= 0)
			continue;
		ck_assert_msg(dp->home[q] == (int)avail[j % navail],
			      "%s: queue %zu's home is %d, the order says %u",
			      dev->name, q, dp->home[q], avail[j % navail]);
		ck_assert(mq_cpuset_test(&dp->usable, (unsigned int)dp->home[q]));
		j++;
	}
	/* while CPUs remain, no two queues share a home */
	if (nq <= navail) {
		bool *used = calloc(nbits, sizeof(bool));

		ck_assert_ptr_nonnull(used);
		for (q = 0; q < nq; q++) {
			if (rx_managed(dev, q))
				continue;
			ck_assert_msg(!used[dp->home[q]],
				      "%s: two queues share home CPU %d",
				      dev->name, dp->home[q]);
			used[dp->home[q]] = true;
		}
		free(used);
	}
	free(fixed);
	free(avail);
}

/* Rules 3, 7 and 8: the planned CPU of every vector. */
static void check_irqs(const struct mq_netdev *dev,
		       const struct mq_dev_placement *dp)
{
	size_t i;

	if (dev->nr_irqs) {
		ck_assert_ptr_nonnull(dp->irq_cpu);
		ck_assert_ptr_nonnull(dp->irq_managed);
	}
	for (i = 0; i < dev->nr_irqs; i++) {
		const struct mq_irq *irq = &dev->irqs[i];
		int q = irq->queue;
		bool rx = q >= 0 && (size_t)q < dev->nr_rxq &&
			  dev->rxq[q].irq == (int)i;
		bool tx = q >= 0 && (size_t)q < dev->nr_txq &&
			  dev->txq[q].irq == (int)i;

		if (!rx && !tx) {
			ck_assert_msg(dp->irq_cpu[i] == -1 && !dp->irq_managed[i],
				      "%s: misc vector %u (%s) would be moved to %d",
				      dev->name, irq->irq, irq->name,
				      dp->irq_cpu[i]);
			continue;
		}
		if (!irq->user_settable) {
			ck_assert_msg(dp->irq_cpu[i] == -1 && dp->irq_managed[i],
				      "%s: managed vector %u not left alone",
				      dev->name, irq->irq);
			continue;
		}
		ck_assert(!dp->irq_managed[i]);
		ck_assert_msg(dp->irq_cpu[i] >= 0 &&
			      mq_cpuset_test(&dp->usable,
					     (unsigned int)dp->irq_cpu[i]),
			      "%s: vector %u planned on unusable CPU %d",
			      dev->name, irq->irq, dp->irq_cpu[i]);
		if (rx)
			ck_assert_msg(dp->irq_cpu[i] == dp->home[q],
				      "%s: rx vector of queue %d on CPU %d, home %d",
				      dev->name, q, dp->irq_cpu[i], dp->home[q]);
		else if ((size_t)q < dev->nr_rxq)
			ck_assert_msg(dp->irq_cpu[i] == dp->home[q],
				      "%s: tx vector of queue %d on CPU %d, but rx "
				      "queue %d's home is %d", dev->name, q,
				      dp->irq_cpu[i], q, dp->home[q]);
	}
}

/* Rule 4: RPS sets and RFS flow counts. */
static void check_rps(const struct mq_machine *m, const struct mq_netdev *dev,
		      const struct mq_policy *p, const struct mq_placement *pl,
		      const struct mq_dev_placement *dp)
{
	const struct mq_topo *t = &m->topo;
	size_t nq = dev->nr_rxq, q;
	unsigned int cpu;
	bool active = rps_active_t(t, dev, dp, p);

	ck_assert_int_eq(dp->rps_used, active);
	if (nq)
		ck_assert_ptr_nonnull(dp->flow_cnt);
	if (p->rps == MQ_STEER_KEEP) {
		ck_assert_ptr_null(dp->rps);
		for (q = 0; q < nq; q++)
			ck_assert_int_eq(dp->flow_cnt[q], -1);
		return;
	}
	ck_assert_ptr_nonnull(dp->rps);
	ck_assert_uint_eq(dp->nr_rps, nq);
	if (!active) {
		for (q = 0; q < nq; q++) {
			ck_assert_msg(mq_cpuset_empty(&dp->rps[q]),
				      "%s: RPS set of queue %zu not empty though "
				      "RPS is off", dev->name, q);
			ck_assert_int_eq(dp->flow_cnt[q], -1);
		}
		return;
	}
	/* every usable CPU: in the sets of the queues whose home it is, or
	 * (nobody's home) in exactly one set */
	for (cpu = 0; cpu < t->nr_cpu_ids; cpu++) {
		size_t owners = 0, homes = 0;

		for (q = 0; q < nq; q++) {
			bool in = mq_cpuset_test(&dp->rps[q], cpu);

			if (dp->home[q] == (int)cpu) {
				homes++;
				if (mq_cpuset_test(&dp->usable, cpu))
					ck_assert_msg(in, "%s: queue %zu's home %u "
						      "not in its RPS set",
						      dev->name, q, cpu);
			}
			owners += in;
		}
		if (!mq_cpuset_test(&dp->usable, cpu)) {
			ck_assert_msg(owners == 0, "%s: unusable CPU %u in an "
				      "RPS set", dev->name, cpu);
			continue;
		}
		if (homes)
			ck_assert_msg(owners == homes, "%s: home CPU %u in %zu RPS "
				      "sets, %zu queues home there", dev->name,
				      cpu, owners, homes);
		else if (rps_may_take(t, dev, dp, p, cpu))
			ck_assert_msg(owners == 1, "%s: CPU %u in %zu RPS sets",
				      dev->name, cpu, owners);
		else	/* node scope: no home on its node */
			ck_assert_msg(owners == 0, "%s: CPU %u (node %d, no home "
				      "there) in %zu RPS sets", dev->name, cpu,
				      t->cpus[cpu].node, owners);
	}
	/* same node preferred when a queue of that node exists; with node
	 * scope, only the home's node */
	for (q = 0; q < nq; q++)
		for (cpu = 0; cpu < t->nr_cpu_ids; cpu++) {
			if (p->rps_scope == MQ_RPS_SCOPE_NODE &&
			    mq_cpuset_test(&dp->rps[q], cpu))
				ck_assert_msg(node_of(t, (int)cpu) ==
					      node_of(t, dp->home[q]),
					      "%s: CPU %u (node %d) in the RPS set "
					      "of queue %zu, home %d on node %d",
					      dev->name, cpu, node_of(t, (int)cpu),
					      q, dp->home[q],
					      node_of(t, dp->home[q]));
			int node = node_of(t, (int)cpu);
			size_t r;
			bool local_queue = false;

			if (!mq_cpuset_test(&dp->rps[q], cpu) ||
			    dp->home[q] == (int)cpu ||
			    node_of(t, dp->home[q]) == node)
				continue;
			for (r = 0; r < nq && !local_queue; r++)
				local_queue = node_of(t, dp->home[r]) == node;
			ck_assert_msg(!local_queue,
				      "%s: CPU %u (node %d) given to queue %zu "
				      "(home %d, node %d) though a queue of node "
				      "%d exists", dev->name, cpu, node, q,
				      dp->home[q], node_of(t, dp->home[q]), node);
		}
	/* flow counts */
	for (q = 0; q < nq; q++) {
		int64_t fc = dp->flow_cnt[q];

		ck_assert_msg(is_pow2(fc), "%s: flow_cnt %lld not a power of 2",
			      dev->name, (long long)fc);
		ck_assert_msg(fc * (int64_t)nq >= MQ_RFS_MIN_FLOW_ENTRIES,
			      "%s: flow_cnt %lld * %zu queues < %d", dev->name,
			      (long long)fc, nq, MQ_RFS_MIN_FLOW_ENTRIES);
		if (pl->flow_entries > 0)
			ck_assert_msg(fc == pow2_at_least((pl->flow_entries +
							   (int64_t)nq - 1) /
							  (int64_t)nq),
				      "%s: flow_cnt %lld for %lld entries, %zu "
				      "queues", dev->name, (long long)fc,
				      (long long)pl->flow_entries, nq);
	}
}

/* Rule 5: XPS sets. */
static void check_xps(const struct mq_machine *m, const struct mq_netdev *dev,
		      const struct mq_policy *p, const struct mq_dev_placement *dp)
{
	const struct mq_topo *t = &m->topo;
	size_t ntx = dev->nr_txq, nrx = dev->nr_rxq, q;
	bool rps_on = dp->rps && rps_active_t(t, dev, dp, p);
	unsigned int cpu;

	if (p->xps == MQ_STEER_KEEP) {
		ck_assert_ptr_null(dp->xps);
		return;
	}
	ck_assert_ptr_nonnull(dp->xps);
	ck_assert_uint_eq(dp->nr_xps, ntx);
	if (p->xps == MQ_STEER_OFF) {
		for (q = 0; q < ntx; q++)
			ck_assert(mq_cpuset_empty(&dp->xps[q]));
		return;
	}
	if (!ntx)
		return;
	for (cpu = 0; cpu < t->nr_cpu_ids; cpu++) {
		size_t n = 0, r;
		int in_q = -1;
		bool any_owner = false, owner_match = false;

		for (q = 0; q < ntx; q++)
			if (mq_cpuset_test(&dp->xps[q], cpu)) {
				n++;
				in_q = (int)q;
			}
		if (!mq_cpuset_test(&dp->usable, cpu)) {
			ck_assert_msg(n == 0, "%s: unusable CPU %u in an XPS set",
				      dev->name, cpu);
			continue;
		}
		ck_assert_msg(n == 1, "%s: usable CPU %u in %zu XPS sets",
			      dev->name, cpu, n);
		/* the tx queue of an rx queue whose home / RPS set has it */
		for (r = 0; r < nrx; r++) {
			bool owns = rps_on ? mq_cpuset_test(&dp->rps[r], cpu)
					   : dp->home[r] == (int)cpu;

			if (!owns)
				continue;
			any_owner = true;
			if ((size_t)in_q == r % ntx)
				owner_match = true;
		}
		ck_assert_msg(!any_owner || owner_match,
			      "%s: CPU %u in XPS set of tx %d, not of the tx queue "
			      "of the rx queue that owns it", dev->name, cpu, in_q);
	}
}

/* Every property, for every interface of @m. */
static void check_placement(const struct mq_machine *m,
			    const struct mq_policy *p,
			    const struct mq_placement *pl)
{
	struct mq_cpuset taken, usable;
	size_t i, q;

	ck_assert_uint_eq(pl->nr_devs, m->nr_netdevs);
	ck_assert_int_eq(mq_cpuset_init(&taken, m->topo.nr_cpu_ids), 0);
	expected_usable(m, p, &usable);
	for (i = 0; i < m->nr_netdevs; i++) {
		const struct mq_netdev *dev = &m->netdevs[i];
		const struct mq_dev_placement *dp = &pl->devs[i];

		ck_assert_msg(mq_cpuset_equal(&dp->usable, &usable),
			      "%s: usable set differs from rule 1", dev->name);
		check_order(m, p, dev, dp, &taken);
		check_homes(dev, dp, m->topo.nr_cpu_ids);
		check_irqs(dev, dp);
		check_rps(m, dev, p, pl, dp);
		check_xps(m, dev, p, dp);
		/* --channels auto plans fewer queues: then none shares */
		if (dp->chan_change && p->channels == MQ_CHANNELS_AUTO)
			ck_assert_msg(dp->nr_active_rx <= dp->nr_order,
				      "%s: %zu channels planned on %zu CPUs",
				      dev->name, dp->nr_active_rx, dp->nr_order);
		if (dev->nr_rxq > dp->nr_order && !dp->chan_change)
			ck_assert_msg(has_note(pl, dev->name, "reduce"),
				      "%s: %zu queues on %zu CPUs without a note",
				      dev->name, dev->nr_rxq, dp->nr_order);
		for (q = 0; q < dev->nr_rxq; q++)
			if (dp->home[q] >= 0)
				mq_cpuset_set(&taken, (unsigned int)dp->home[q]);
	}
	if (pl->flow_entries != -1) {
		ck_assert_int_ge(pl->flow_entries, MQ_RFS_MIN_FLOW_ENTRIES);
		ck_assert_int_ge(pl->flow_entries,
				 m->sysctls.rps_sock_flow_entries);
	}
	mq_cpuset_fini(&taken);
	mq_cpuset_fini(&usable);
}

static void place_ok(const struct mq_machine *m, const struct mq_policy *p,
		     struct mq_placement *pl)
{
	struct mq_diag d;
	int rc;

	mq_diag_clear(&d);
	rc = mq_place(m, p, pl, &d);
	ck_assert_msg(rc == 0, "mq_place failed: status %d: %s", (int)d.status,
		      d.msg);
	check_placement(m, p, pl);
}

/* Place with the default (auto) policy; return the placement. */
static void place_auto(const struct mq_machine *m, struct mq_placement *pl)
{
	struct mq_policy p;

	policy_auto(&p);
	place_ok(m, &p, pl);
}

static bool any_set_has(const struct mq_cpuset *sets, size_t n,
			unsigned int cpu)
{
	size_t i;

	for (i = 0; sets && i < n; i++)
		if (mq_cpuset_test(&sets[i], cpu))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static const size_t one_node_queues[] = { 1, 2, 3, 4, 7, 8, 9, 16 };

START_TEST(test_one_node_no_smt)
{
	size_t nq = one_node_queues[_i], q, r;
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;

	mb_netdev(m, "eth0", nq, nq, MB_VEC_COMBINED, 1, 0, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->nr_order, 8);
	ck_assert_uint_eq(dp->sum, nq < 8 ? nq : 8);
	for (q = 0; q < nq; q++)
		for (r = q + 1; r < nq && r < 8; r++)
			ck_assert_int_ne(dp->home[q], dp->home[r]);
	for (q = 0; q < dp->nr_rps; q++)
		ck_assert_int_eq(!mq_cpuset_empty(&dp->rps[q]), nq < 8);
	ck_assert_int_eq(has_note(&pl, "reduce", NULL), nq > 8);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

static const size_t smt_queues[] = { 1, 4, 8, 12, 16, 20, 32, 40 };

START_TEST(test_two_nodes_smt_nic_node1)
{
	/* 16 cores, SMT 2: node 0 = 0-7,16-23, node 1 = 8-15,24-31 */
	size_t nq = smt_queues[_i], i, q;
	struct mq_machine *m = mb_machine(32, 2, 2);
	const struct mq_topo *t = &m->topo;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	bool cores[32] = { false };

	mb_netdev(m, "eth0", nq, nq, MB_VEC_COMBINED, 1, 1, 25000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->nr_order, 32);
	/* local node first: its 16 threads, then node 0's */
	for (i = 0; i < 32; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), i < 16 ? 1 : 0);
	/* the first 8 of each node are 8 distinct physical cores */
	for (i = 0; i < 32; i++) {
		int c = core_of(t, dp->order[i]);

		ck_assert_int_eq(cores[c], (i % 16) >= 8);
		cores[c] = true;
	}
	/* homes: local, and no sibling while a local core is free */
	for (q = 0; q < nq && q < 16; q++)
		ck_assert_int_eq(node_of(t, dp->home[q]), 1);
	for (q = 0; q < nq && q < 8; q++)
		for (i = 0; i < q; i++)
			ck_assert_int_ne(core_of(t, (unsigned int)dp->home[q]),
					 core_of(t, (unsigned int)dp->home[i]));
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_nic_node_unknown_starts_node0)
{
	struct mq_machine *m = mb_machine(32, 4, 2);
	const struct mq_topo *t = &m->topo;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t i;

	/* node 0 is far from 1, near 3: order 0, 3, then 1, 2 */
	mb_distance(m, 0, 1, 30);
	mb_distance(m, 0, 2, 21);
	mb_distance(m, 0, 3, 12);
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 0, -1, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), 0);
	for (i = 8; i < 16; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), 3);
	for (i = 16; i < 24; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), 2);
	for (i = 24; i < 32; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), 1);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(node_of(t, dp->home[i]), 0);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

static const size_t iso_queues[] = { 1, 4, 9, 16, 24 };

START_TEST(test_isolated_nohz_never_used)
{
	size_t nq = iso_queues[_i], q, i;
	struct mq_machine *m = mb_machine(16, 1, 2);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	static const unsigned int banned[] = { 2, 3, 10, 5, 12, 13 };

	mb_isolate(m, "2-3,10");
	mb_nohz_full(m, "5,12-13");
	mb_netdev(m, "eth0", nq, nq, MB_VEC_SPLIT, 2, 0, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->nr_order, 10);
	for (i = 0; i < ARRAY_SIZE(banned); i++) {
		unsigned int cpu = banned[i];

		ck_assert(!mq_cpuset_test(&dp->usable, cpu));
		for (q = 0; q < dp->nr_order; q++)
			ck_assert_uint_ne(dp->order[q], cpu);
		for (q = 0; q < nq; q++)
			ck_assert_int_ne(dp->home[q], (int)cpu);
		for (q = 0; q < m->netdevs[0].nr_irqs; q++)
			ck_assert_int_ne(dp->irq_cpu[q], (int)cpu);
		ck_assert(!any_set_has(dp->rps, dp->nr_rps, cpu));
		ck_assert(!any_set_has(dp->xps, dp->nr_xps, cpu));
	}
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

struct cpus_case {
	const char *only;	/* NULL: no --cpus */
	const char *exclude;	/* NULL: no --exclude-cpus */
	const char *isolated;
	const char *want;	/* usable set */
	int nic_node;
};

static const struct cpus_case cpus_cases[] = {
	{ "0-7,16-23", NULL, "", "0-7,16-23", 0 },
	{ "0-7,16-23", "4,20", "", "0-3,5-7,16-19,21-23", 0 },
	{ NULL, "0-15", "", "16-31", 1 },
	{ "8-31", "30-31", "8", "9-29", 1 },
	{ "1,3,5,7,9,11,13,15", NULL, "3", "1,5,7,9,11,13,15", 0 },
	{ "0-31", "", "", "0-31", 1 },
	{ "31", NULL, "", "31", 0 },
};

START_TEST(test_cpus_and_exclude)
{
	const struct cpus_case *c = &cpus_cases[_i];
	struct mq_machine *m = mb_machine(32, 2, 2);
	struct mq_cpuset only, excl, want;
	struct mq_policy p;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q;

	policy_auto(&p);
	if (c->only) {
		mb_cpuset(&only, 32, c->only);
		p.only_cpus = &only;
	}
	if (c->exclude) {
		mb_cpuset(&excl, 32, c->exclude);
		p.exclude_cpus = &excl;
	}
	mb_isolate(m, c->isolated);
	mb_cpuset(&want, 32, c->want);
	mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 1, c->nic_node, 10000);
	mb_netdev(m, "eth1", 3, 5, MB_VEC_SPLIT, 0, -1, 1000);
	place_ok(m, &p, &pl);
	for (q = 0; q < pl.nr_devs; q++) {
		dp = &pl.devs[q];
		ck_assert_msg(mq_cpuset_equal(&dp->usable, &want),
			      "case %d: usable differs", _i);
		ck_assert_uint_eq(dp->nr_order, mq_cpuset_weight(&want));
	}
	mq_placement_fini(&pl);
	if (c->only)
		mq_cpuset_fini(&only);
	if (c->exclude)
		mq_cpuset_fini(&excl);
	mq_cpuset_fini(&want);
	mq_machine_free(m);
}
END_TEST

struct empty_case {
	const char *isolated, *nohz, *offline, *only, *exclude;
	const char *why;	/* the message names this */
};

static const struct empty_case empty_cases[] = {
	{ "0-7", "", "", NULL, NULL, "isolated" },
	{ "", "0-7", "", NULL, NULL, "nohz_full" },
	{ "0-3", "4-7", "", NULL, NULL, "nohz_full" },
	{ "", "", "", NULL, "0-7", "--exclude-cpus" },
	{ "", "", "4-7", "4-7", NULL, "--cpus" },
	{ "", "", "", "", NULL, "--cpus" },
	{ "0-3", "", "", "0-3", NULL, "--cpus" },
	{ "", "", "", "2-5", "0-5", "--exclude-cpus" },
};

START_TEST(test_empty_usable_refused)
{
	const struct empty_case *c = &empty_cases[_i];
	struct mq_machine *m = mb_machine(8, 1, 2);
	struct mq_cpuset only, excl;
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_diag d;

	policy_auto(&p);
	mb_isolate(m, c->isolated);
	mb_nohz_full(m, c->nohz);
	mb_offline(m, c->offline);
	if (c->only) {
		mb_cpuset(&only, 8, c->only);
		p.only_cpus = &only;
	}
	if (c->exclude) {
		mb_cpuset(&excl, 8, c->exclude);
		p.exclude_cpus = &excl;
	}
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 0, 10000);
	mq_diag_clear(&d);
	memset(&pl, 0x5a, sizeof(pl));
	ck_assert_int_eq(mq_place(m, &p, &pl, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_REFUSED);
	ck_assert_msg(strstr(d.msg, c->why) != NULL,
		      "case %d: message '%s' does not name '%s'", _i, d.msg,
		      c->why);
	ck_assert_msg(strstr(d.msg, "CPU") != NULL, "message '%s'", d.msg);
	/* nothing left allocated; fini is still safe */
	ck_assert_ptr_null(pl.devs);
	ck_assert_uint_eq(pl.nr_devs, 0);
	mq_placement_fini(&pl);
	if (c->only)
		mq_cpuset_fini(&only);
	if (c->exclude)
		mq_cpuset_fini(&excl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_queues_more_than_cpus)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q;

	mb_netdev(m, "eth7", 10, 10, MB_VEC_COMBINED, 1, 0, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->sum, 4);
	for (q = 0; q < 10; q++) {
		ck_assert_int_eq(dp->home[q], (int)dp->order[q % 4]);
		ck_assert(mq_cpuset_empty(&dp->rps[q]));
		ck_assert_int_eq(dp->flow_cnt[q], -1);
	}
	ck_assert(has_note(&pl, "eth7", "reduce"));
	ck_assert_int_eq(pl.flow_entries, -1);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* exactly as many queues as CPUs: no note, no RPS */
	m = mb_machine(8, 2, 2);
	mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 0, 1, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert(!has_note(&pl, "reduce", NULL));
	for (q = 0; q < 8; q++)
		ck_assert(mq_cpuset_empty(&dp->rps[q]));
	ck_assert_int_eq(pl.flow_entries, -1);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

struct rps_case {
	unsigned int ncpus, nnodes, smt;
	size_t nq;
	int nic_node;
};

static const struct rps_case rps_cases[] = {
	{ 16, 2, 1, 12, 0 },
	{ 16, 2, 1, 4, 0 },
	{ 16, 2, 1, 9, 1 },
	{ 32, 2, 2, 20, 1 },
	{ 48, 3, 2, 5, 2 },
	{ 64, 4, 2, 33, 3 },
	{ 12, 1, 2, 5, 0 },
	{ 24, 2, 1, 23, -1 },
};

START_TEST(test_rps_partition)
{
	/* each case with node scope (the default), then machine scope */
	const struct rps_case *c = &rps_cases[_i % ARRAY_SIZE(rps_cases)];
	bool machine = _i >= (int)ARRAY_SIZE(rps_cases);
	struct mq_policy p;
	struct mq_machine *m = mb_machine(c->ncpus, c->nnodes, c->smt);
	const struct mq_topo *t = &m->topo;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	struct mq_cpuset all, want;
	size_t q, r;
	unsigned int cpu;

	policy_auto(&p);
	p.rps_scope = machine ? MQ_RPS_SCOPE_MACHINE : MQ_RPS_SCOPE_NODE;
	mb_netdev(m, "eth0", c->nq, c->nq, MB_VEC_COMBINED, 1, c->nic_node,
		  25000);
	place_ok(m, &p, &pl);
	dp = &pl.devs[0];
	ck_assert_int_eq(mq_cpuset_init(&all, c->ncpus), 0);
	/* the union: every usable CPU (machine), or those of the nodes
	 * that hold a home (node) */
	ck_assert_int_eq(mq_cpuset_init(&want, c->ncpus), 0);
	for (cpu = 0; cpu < c->ncpus; cpu++)
		if (mq_cpuset_test(&dp->usable, cpu) &&
		    (machine || home_on_node_of(t, &m->netdevs[0], dp, cpu)))
			mq_cpuset_set(&want, cpu);
	for (q = 0; q < c->nq; q++) {
		ck_assert(mq_cpuset_test(&dp->rps[q], (unsigned int)dp->home[q]));
		for (r = q + 1; r < c->nq; r++)
			ck_assert_msg(!mq_cpuset_intersects(&dp->rps[q], &dp->rps[r]),
				      "RPS sets of %zu and %zu overlap", q, r);
		mq_cpuset_or(&all, &dp->rps[q]);
	}
	ck_assert(mq_cpuset_equal(&all, &want));
	/* a CPU of a node that has homes goes to a queue of that node */
	for (cpu = 0; cpu < c->ncpus; cpu++) {
		bool node_has_home = false;
		int owner = -1;

		for (q = 0; q < c->nq; q++) {
			if (node_of(t, dp->home[q]) == node_of(t, (int)cpu))
				node_has_home = true;
			if (mq_cpuset_test(&dp->rps[q], cpu))
				owner = (int)q;
		}
		ck_assert_int_eq(owner >= 0, machine || node_has_home);
		if (node_has_home)
			ck_assert_int_eq(node_of(t, dp->home[owner]),
					 node_of(t, (int)cpu));
	}
	mq_cpuset_fini(&all);
	mq_cpuset_fini(&want);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_exactly_one_queue)
{
	struct mq_machine *m = mb_machine(16, 2, 2);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q;

	m->sysctls.rps_sock_flow_entries = 0;
	mb_netdev(m, "eth0", 1, 4, MB_VEC_SPLIT, 1, 1, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->sum, 1);
	ck_assert_int_eq(node_of(&m->topo, dp->home[0]), 1);
	/* RPS stays on the home's node (8 CPUs), XPS covers all 16 */
	ck_assert(mq_cpuset_equal(&dp->rps[0], &m->topo.nodes[1].cpus));
	ck_assert(mq_cpuset_equal(&dp->xps[0], &dp->usable));
	for (q = 1; q < 4; q++)
		ck_assert(mq_cpuset_empty(&dp->xps[q]));
	ck_assert_int_eq(pl.flow_entries, MQ_RFS_MIN_FLOW_ENTRIES);
	ck_assert_int_eq(dp->flow_cnt[0], MQ_RFS_MIN_FLOW_ENTRIES);
	/* tx 0's separate vector follows rx queue 0 */
	ck_assert_int_eq(dp->irq_cpu[m->netdevs[0].txq[0].irq], dp->home[0]);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

struct split_case {
	size_t nrx, ntx;
	unsigned int nmisc;
};

static const struct split_case split_cases[] = {
	{ 8, 8, 2 }, { 4, 6, 1 }, { 6, 4, 0 }, { 20, 20, 1 }, { 16, 16, 3 },
};

START_TEST(test_split_vectors)
{
	const struct split_case *c = &split_cases[_i];
	struct mq_machine *m = mb_machine(16, 2, 2);
	const struct mq_netdev *dev;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q, i;

	mb_netdev(m, "eth0", c->nrx, c->ntx, MB_VEC_SPLIT, c->nmisc, 0, 40000);
	dev = &m->netdevs[0];
	place_auto(m, &pl);
	dp = &pl.devs[0];
	for (q = 0; q < c->nrx && q < c->ntx; q++) {
		int rx = dev->rxq[q].irq, tx = dev->txq[q].irq;

		ck_assert_int_ne(rx, tx);
		ck_assert_int_eq(dp->irq_cpu[rx], dp->home[q]);
		ck_assert_int_eq(dp->irq_cpu[tx], dp->irq_cpu[rx]);
	}
	for (i = 0; i < c->nmisc; i++)
		ck_assert_int_eq(dp->irq_cpu[i], -1);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_managed_irqs)
{
	struct mq_machine *m = mb_machine(32, 2, 2);
	struct mq_netdev *dev;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q;

	dev = mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 1, 0, 10000);
	/* vector 0 is misc; queue q's vector is q + 1 */
	mb_managed(dev, 0 + 1, 9);	/* queue 0 on node 1's CPU 9 */
	mb_managed(dev, 3 + 1, 2);	/* queue 3 on CPU 2 */
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_int_eq(dp->irq_cpu[1], -1);
	ck_assert(dp->irq_managed[1]);
	ck_assert_int_eq(dp->irq_cpu[4], -1);
	ck_assert(dp->irq_managed[4]);
	ck_assert_int_eq(dp->home[0], 9);
	ck_assert_int_eq(dp->home[3], 2);
	for (q = 0; q < 8; q++) {
		if (q == 0 || q == 3)
			continue;
		ck_assert_int_ne(dp->home[q], 9);
		ck_assert_int_ne(dp->home[q], 2);
		ck_assert(!dp->irq_managed[q + 1]);
		ck_assert_int_eq(dp->irq_cpu[q + 1], dp->home[q]);
	}
	ck_assert_int_eq(dp->irq_cpu[0], -1);	/* misc */
	ck_assert(!dp->irq_managed[0]);
	ck_assert(has_note(&pl, "managed", NULL));
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* every queue vector managed, one per CPU 0-3 */
	m = mb_machine(16, 1, 1);
	dev = mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 0, 0, 10000);
	for (q = 0; q < 4; q++)
		mb_managed(dev, q, (unsigned int)(3 - q));
	place_auto(m, &pl);
	dp = &pl.devs[0];
	for (q = 0; q < 4; q++) {
		ck_assert_int_eq(dp->home[q], (int)(3 - q));
		ck_assert_int_eq(dp->irq_cpu[q], -1);
		ck_assert(mq_cpuset_test(&dp->rps[q], (unsigned int)(3 - q)));
	}
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* 4 CPUs, 3 queues, queue 2 managed on CPU 1: the others avoid it */
	m = mb_machine(4, 1, 1);
	dev = mb_netdev(m, "eth0", 3, 3, MB_VEC_COMBINED, 0, 0, 10000);
	mb_managed(dev, 2, 1);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_int_eq(dp->home[2], 1);
	ck_assert_int_ne(dp->home[0], 1);
	ck_assert_int_ne(dp->home[1], 1);
	ck_assert_int_ne(dp->home[0], dp->home[1]);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* managed on a CPU mqtune may not use: still left alone, and that
	 * CPU appears in no RPS or XPS set */
	m = mb_machine(8, 1, 1);
	dev = mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 1, 0, 10000);
	mb_managed(dev, 1, 7);
	mb_isolate(m, "7");
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_int_eq(dp->irq_cpu[1], -1);
	ck_assert(dp->irq_managed[1]);
	ck_assert_int_eq(dp->home[0], 7);
	ck_assert(!any_set_has(dp->rps, dp->nr_rps, 7));
	ck_assert(!any_set_has(dp->xps, dp->nr_xps, 7));
	ck_assert_int_ge(dp->irq_cpu[2], 0);
	ck_assert_int_ne(dp->irq_cpu[2], 7);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

static const size_t veth_queues[] = { 1, 4, 16, 24 };

START_TEST(test_no_irqs_veth)
{
	size_t nq = veth_queues[_i], q;
	struct mq_machine *m = mb_machine(16, 2, 2);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;

	mb_netdev(m, "veth0", nq, nq, MB_VEC_NONE, 0, -1, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(m->netdevs[0].nr_irqs, 0);
	ck_assert_uint_eq(dp->nr_rps, nq);
	for (q = 0; q < nq; q++) {
		ck_assert(mq_cpuset_test(&dp->rps[q], (unsigned int)dp->home[q]));
		ck_assert(is_pow2(dp->flow_cnt[q]));
	}
	ck_assert_int_ge(pl.flow_entries, MQ_RFS_MIN_FLOW_ENTRIES);
	ck_assert(has_note(&pl, "veth0", "interrupt"));
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_two_interfaces_same_node)
{
	static const size_t sizes[][3] = {
		{ 4, 4, 0 }, { 8, 8, 0 }, { 4, 4, 8 }, { 3, 5, 7 }, { 1, 1, 14 },
	};
	size_t k;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct mq_machine *m = mb_machine(32, 2, 2);
		struct mq_placement pl;
		bool used[32] = { false };
		size_t i, q;

		for (i = 0; i < 3; i++) {
			char name[8];

			if (!sizes[k][i])
				continue;
			snprintf(name, sizeof(name), "eth%zu", i);
			mb_netdev(m, name, sizes[k][i], sizes[k][i],
				  MB_VEC_COMBINED, 1, 0, 10000);
		}
		place_auto(m, &pl);
		for (i = 0; i < pl.nr_devs; i++) {
			const struct mq_dev_placement *dp = &pl.devs[i];

			for (q = 0; q < m->netdevs[i].nr_rxq; q++) {
				int h = dp->home[q];

				ck_assert_msg(!used[h], "shape %zu: %s queue %zu "
					      "shares home %d", k,
					      m->netdevs[i].name, q, h);
				used[h] = true;
				/* 16 queues in all fit node 0 */
				ck_assert_int_eq(node_of(&m->topo, h), 0);
			}
		}
		mq_placement_fini(&pl);
		mq_machine_free(m);
	}
}
END_TEST

struct xps_case {
	size_t nrx, ntx;
	enum mq_steer_mode rps, xps;
	enum mb_vectors vec;
};

static const struct xps_case xps_cases[] = {
	{ 8, 8, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_COMBINED },
	{ 8, 4, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_COMBINED },
	{ 4, 8, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_COMBINED },
	{ 4, 8, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_SPLIT },
	{ 1, 4, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_COMBINED },
	{ 24, 24, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_COMBINED },
	{ 24, 3, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_SPLIT },
	{ 8, 8, MQ_STEER_OFF, MQ_STEER_AUTO, MB_VEC_COMBINED },
	{ 8, 8, MQ_STEER_KEEP, MQ_STEER_AUTO, MB_VEC_COMBINED },
	{ 8, 8, MQ_STEER_AUTO, MQ_STEER_OFF, MB_VEC_COMBINED },
	{ 8, 8, MQ_STEER_AUTO, MQ_STEER_KEEP, MB_VEC_COMBINED },
	{ 8, 8, MQ_STEER_KEEP, MQ_STEER_KEEP, MB_VEC_COMBINED },
	{ 8, 8, MQ_STEER_OFF, MQ_STEER_OFF, MB_VEC_SPLIT },
	{ 6, 6, MQ_STEER_AUTO, MQ_STEER_AUTO, MB_VEC_NONE },
};

START_TEST(test_xps_and_modes)
{
	const struct xps_case *c = &xps_cases[_i];
	struct mq_machine *m = mb_machine(16, 2, 2);
	struct mq_policy p;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	unsigned int cpu;
	size_t q;

	policy_auto(&p);
	p.rps = c->rps;
	p.xps = c->xps;
	mb_netdev(m, "eth0", c->nrx, c->ntx, c->vec, 1, 1, 10000);
	place_ok(m, &p, &pl);
	dp = &pl.devs[0];
	if (c->xps == MQ_STEER_AUTO)
		for (cpu = 0; cpu < 16; cpu++) {
			size_t n = 0;

			for (q = 0; q < c->ntx; q++)
				n += mq_cpuset_test(&dp->xps[q], cpu);
			ck_assert_uint_eq(n, 1);
		}
	if (c->rps == MQ_STEER_KEEP)
		ck_assert_ptr_null(dp->rps);
	if (c->xps == MQ_STEER_KEEP)
		ck_assert_ptr_null(dp->xps);
	if (c->rps != MQ_STEER_AUTO) {
		for (q = 0; q < c->nrx; q++)
			ck_assert_int_eq(dp->flow_cnt[q], -1);
		ck_assert_int_eq(pl.flow_entries, -1);
	}
	/* IRQ affinity is planned whatever the steering modes */
	for (q = 0; q < c->nrx && c->vec != MB_VEC_NONE; q++)
		ck_assert_int_eq(dp->irq_cpu[m->netdevs[0].rxq[q].irq],
				 dp->home[q]);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

static const size_t flow_queues[] = { 1, 3, 5, 7, 64, 100 };
static const int64_t flow_sysctls[] = { 0, 1000, 32768, 40000, 65536,
					1 << 20, -1 };

START_TEST(test_flow_cnt)
{
	size_t nq = flow_queues[_i / ARRAY_SIZE(flow_sysctls)], q;
	int64_t cur = flow_sysctls[_i % ARRAY_SIZE(flow_sysctls)];
	struct mq_machine *m = mb_machine(128, 2, 2);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	struct mq_policy p;

	/* machine scope: RPS (and so RFS) is used whenever the queues are
	 * fewer than the CPUs, even when the homes fill node 0 */
	policy_auto(&p);
	p.rps_scope = MQ_RPS_SCOPE_MACHINE;
	m->sysctls.rps_sock_flow_entries = cur;
	mb_netdev(m, "eth0", nq, nq, MB_VEC_COMBINED, 1, 0, 10000);
	place_ok(m, &p, &pl);
	dp = &pl.devs[0];
	if (cur < 0) {
		ck_assert_int_eq(pl.flow_entries, -1);
		ck_assert(has_note(&pl, "rps_sock_flow_entries", NULL));
	} else {
		ck_assert_int_ge(pl.flow_entries, MQ_RFS_MIN_FLOW_ENTRIES);
		ck_assert_int_ge(pl.flow_entries, cur);
	}
	for (q = 0; q < nq; q++) {
		int64_t fc = dp->flow_cnt[q];

		ck_assert(is_pow2(fc));
		ck_assert_int_ge(fc * (int64_t)nq, MQ_RFS_MIN_FLOW_ENTRIES);
		if (pl.flow_entries > 0) {
			ck_assert_int_ge(fc * (int64_t)nq, pl.flow_entries);
			/* the smallest such power of two */
			ck_assert_int_lt((fc / 2) * (int64_t)nq,
					 pl.flow_entries);
		}
	}
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

struct backlog_case {
	int64_t speed0, speed1;	/* speed1 0: one interface */
	int64_t cur;
	enum mq_backlog_mode mode;
	int64_t value;
	int64_t want;
	bool note;
};

static const struct backlog_case backlog_cases[] = {
	{ 10000, 0, 1000, MQ_BACKLOG_AUTO, 0, 30000, false },
	{ 25000, 0, 1000, MQ_BACKLOG_AUTO, 0, 100000, false },
	{ 40000, 0, 1000, MQ_BACKLOG_AUTO, 0, 250000, false },
	{ 100000, 0, 1000, MQ_BACKLOG_AUTO, 0, 250000, false },
	{ 1000, 0, 1000, MQ_BACKLOG_AUTO, 0, -1, false },
	{ -1, 0, 1000, MQ_BACKLOG_AUTO, 0, -1, false },
	{ 10000, 0, 50000, MQ_BACKLOG_AUTO, 0, -1, false },	/* no lower */
	{ 10000, 0, 30000, MQ_BACKLOG_AUTO, 0, -1, false },	/* no change */
	{ 25000, 0, 30000, MQ_BACKLOG_AUTO, 0, 100000, false },
	{ 1000, 25000, 1000, MQ_BACKLOG_AUTO, 0, 100000, false },
	{ 40000, 10000, 1000, MQ_BACKLOG_AUTO, 0, 250000, false },
	{ 10000, 0, 1000, MQ_BACKLOG_SET, 5000, 5000, false },
	{ 10000, 0, 1000, MQ_BACKLOG_SET, 500, 500, false },	/* lowers */
	{ 100000, 0, 1000, MQ_BACKLOG_SET, 2000, 2000, false },
	{ 100000, 0, 1000, MQ_BACKLOG_KEEP, 0, -1, false },
	{ 10000, 0, -1, MQ_BACKLOG_AUTO, 0, -1, true },
	{ 10000, 0, -1, MQ_BACKLOG_SET, 5000, -1, true },
};

START_TEST(test_backlog)
{
	const struct backlog_case *c = &backlog_cases[_i];
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_policy p;
	struct mq_placement pl;

	policy_auto(&p);
	p.backlog = c->mode;
	p.backlog_value = c->value;
	m->sysctls.netdev_max_backlog = c->cur;
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 0, c->speed0);
	if (c->speed1)
		mb_netdev(m, "eth1", 2, 2, MB_VEC_COMBINED, 1, 0, c->speed1);
	place_ok(m, &p, &pl);
	ck_assert_msg(pl.backlog == c->want, "case %d: backlog %lld, want %lld",
		      _i, (long long)pl.backlog, (long long)c->want);
	ck_assert_int_eq(has_note(&pl, "netdev_max_backlog", NULL), c->note);
	if (c->mode == MQ_BACKLOG_AUTO && pl.backlog != -1)
		ck_assert_int_gt(pl.backlog, c->cur);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_backlog_for_speed)
{
	static const int64_t tab[][2] = {
		{ -1, 0 }, { 0, 0 }, { 100, 0 }, { 1000, 0 }, { 9999, 0 },
		{ 10000, 30000 }, { 24999, 30000 }, { 25000, 100000 },
		{ 39999, 100000 }, { 40000, 250000 }, { 100000, 250000 },
		{ 400000, 250000 }, { INT64_MAX, 250000 },
	};
	size_t i;
	int64_t prev = 0;

	for (i = 0; i < ARRAY_SIZE(tab); i++) {
		int64_t got = mq_backlog_for_speed(tab[i][0]);

		ck_assert_msg(got == tab[i][1], "speed %lld: %lld, want %lld",
			      (long long)tab[i][0], (long long)got,
			      (long long)tab[i][1]);
		ck_assert_int_ge(got, prev);	/* monotonic */
		prev = got;
	}
}
END_TEST

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_big_machine)
{
	/* 1024 CPUs, 8 nodes, SMT 2: 512 cores, 64 per node */
	struct mq_machine *m = mb_machine(1024, 8, 2);
	const struct mq_topo *t = &m->topo;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	unsigned int a, b;
	size_t q, i;
	double t0, t1;

	/* two sockets of four nodes: 12 within a socket, 32 across */
	for (a = 0; a < 8; a++)
		for (b = a + 1; b < 8; b++)
			mb_distance(m, a, b, a / 4 == b / 4 ? 12 + (int)(b - a)
							    : 32);
	mb_isolate(m, "0-1,512-513");
	mb_netdev(m, "eth0", 128, 128, MB_VEC_COMBINED, 1, 5, 100000);
	mb_netdev(m, "eth1", 64, 64, MB_VEC_SPLIT, 2, 4, 25000);
	mb_netdev(m, "veth0", 8, 8, MB_VEC_NONE, 0, -1, -1);
	t0 = now();
	place_auto(m, &pl);
	t1 = now();
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->nr_order, 1020);
	/* node 5's 128 threads, then 4 and 6 (distance 13), then 7 ... */
	for (i = 0; i < 128; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), 5);
	for (i = 128; i < 256; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), 4);
	for (i = 256; i < 384; i++)
		ck_assert_int_eq(node_of(t, (int)dp->order[i]), 6);
	for (q = 0; q < 128; q++)
		ck_assert_int_eq(node_of(t, dp->home[q]), 5);
	/* the first 64 homes are 64 distinct physical cores */
	for (q = 0; q < 64; q++)
		for (i = 0; i < q; i++)
			ck_assert_int_ne(t->cpus[dp->home[q]].first_sibling,
					 t->cpus[dp->home[i]].first_sibling);
	/* eth1 on node 4, which eth0 did not use as homes */
	for (q = 0; q < 64; q++) {
		int h = pl.devs[1].home[q];

		ck_assert_int_eq(node_of(t, h), 4);
		for (i = 0; i < 128; i++)
			ck_assert_int_ne(h, dp->home[i]);
	}
	ck_assert_int_eq(pl.backlog, 250000);
	mq_placement_fini(&pl);
	mq_machine_free(m);
	ck_assert_msg(t1 - t0 < 2.0, "placing 1024 CPUs took %.3f s", t1 - t0);
}
END_TEST

/*
 * Rule 2 when the NIC's own node has no usable CPU: the node comes first
 * (empty), then "the other nodes by NUMA distance" -- from the NIC's node,
 * so the nearest node to the NIC leads.
 */
START_TEST(test_nic_node_empty_nearest_first)
{
	struct mq_machine *m = mb_machine(16, 4, 1);
	const struct mq_topo *t = &m->topo;
	struct mq_cpuset excl;
	struct mq_policy p;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q;

	/* nodes 0,1 close, 2,3 close, far across */
	mb_distance(m, 0, 1, 12);
	mb_distance(m, 2, 3, 12);
	mb_distance(m, 0, 2, 30);
	mb_distance(m, 0, 3, 30);
	mb_distance(m, 1, 2, 30);
	mb_distance(m, 1, 3, 30);
	policy_auto(&p);
	mb_cpuset(&excl, 16, "12-15");	/* all of node 3 */
	p.exclude_cpus = &excl;
	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 1, 3, 10000);
	place_ok(m, &p, &pl);
	dp = &pl.devs[0];
	ck_assert_msg(node_of(t, (int)dp->order[0]) == 2,
		      "NIC on node 3 (excluded): order starts on node %d, "
		      "the nearest node to the NIC is 2",
		      node_of(t, (int)dp->order[0]));
	for (q = 0; q < 2; q++)
		ck_assert_int_eq(node_of(t, dp->home[q]), 2);
	mq_placement_fini(&pl);
	mq_cpuset_fini(&excl);
	mq_machine_free(m);
}
END_TEST

/* Hostile shapes: must not crash, and the properties still hold. */
START_TEST(test_hostile_cpuless_node)
{
	struct mq_machine *m = mb_machine(16, 2, 2);
	struct mq_placement pl;

	/* a memory-only node 2 hosting the NIC */
	mb_add_empty_node(m, 2, 25);
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 2, 10000);
	mb_netdev(m, "eth1", 20, 20, MB_VEC_SPLIT, 1, 1, 10000);
	place_auto(m, &pl);
	ck_assert_uint_eq(pl.devs[0].nr_order, 16);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* a node whose CPUs are all offline, NIC on it */
	m = mb_machine(24, 3, 2);
	mb_offline(m, "4-7,16-19");	/* node 1 */
	mb_netdev(m, "eth0", 6, 6, MB_VEC_COMBINED, 1, 1, 10000);
	place_auto(m, &pl);
	ck_assert_uint_eq(pl.devs[0].nr_order, 16);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_hostile_unknown_siblings)
{
	struct mq_machine *m = mb_machine(16, 2, 2);
	struct mq_placement pl;
	size_t q;

	mb_unknown_siblings(m);
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 0, 10000);
	mb_netdev(m, "eth1", 16, 16, MB_VEC_COMBINED, 1, 1, 10000);
	place_auto(m, &pl);
	for (q = 0; q < 4; q++)
		ck_assert_int_eq(node_of(&m->topo, pl.devs[0].home[q]), 0);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* only some unknown */
	m = mb_machine(16, 1, 2);
	m->topo.cpus[3].first_sibling = -1;
	m->topo.cpus[11].first_sibling = -1;
	mb_netdev(m, "eth0", 12, 12, MB_VEC_COMBINED, 1, 0, 10000);
	place_auto(m, &pl);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_hostile_zero_rx_queues)
{
	struct mq_machine *m = mb_machine(8, 1, 2);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t i;

	/* tx-only vectors */
	mb_netdev(m, "eth0", 0, 4, MB_VEC_COMBINED, 1, 0, 10000);
	mb_netdev(m, "eth1", 0, 3, MB_VEC_SPLIT, 0, 0, 10000);
	mb_netdev(m, "eth2", 0, 0, MB_VEC_COMBINED, 2, 0, 10000);
	mb_netdev(m, "veth0", 0, 0, MB_VEC_NONE, 0, -1, -1);
	mb_netdev(m, "veth1", 0, 2, MB_VEC_NONE, 0, -1, -1);
	place_auto(m, &pl);
	for (i = 0; i < pl.nr_devs; i++) {
		dp = &pl.devs[i];
		ck_assert_uint_eq(dp->sum, 0);
		ck_assert_uint_eq(dp->nr_rps, 0);
	}
	/* tx vectors still planned on usable CPUs */
	dp = &pl.devs[0];
	for (i = 1; i < m->netdevs[0].nr_irqs; i++)
		ck_assert(dp->irq_cpu[i] >= 0);
	ck_assert_int_eq(pl.devs[2].irq_cpu[0], -1);
	ck_assert_int_eq(pl.devs[2].irq_cpu[1], -1);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_hostile_misc_shapes)
{
	struct mq_machine *m;
	struct mq_placement pl;
	struct mq_policy p;
	struct mq_cpuset only;

	/* no NUMA node at all */
	m = mb_machine(8, 0, 2);
	mb_netdev(m, "eth0", 3, 3, MB_VEC_COMBINED, 1, -1, 10000);
	mb_netdev(m, "eth1", 12, 12, MB_VEC_COMBINED, 1, 0, 10000);
	place_auto(m, &pl);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* no interface */
	m = mb_machine(8, 1, 1);
	place_auto(m, &pl);
	ck_assert_uint_eq(pl.nr_devs, 0);
	ck_assert_int_eq(pl.backlog, -1);
	ck_assert_int_eq(pl.flow_entries, -1);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* NIC on a node that does not exist */
	m = mb_machine(16, 2, 2);
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 9, 10000);
	place_auto(m, &pl);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* many offline CPUs at the end of nr_cpu_ids; --cpus wider than
	 * the machine */
	m = mb_machine(64, 2, 2);
	mb_offline(m, "6-31,38-63");
	policy_auto(&p);
	mb_cpuset(&only, 256, "0-3,32-33,40,200-255");
	p.only_cpus = &only;
	mb_netdev(m, "eth0", 8, 8, MB_VEC_SPLIT, 1, 1, 10000);
	place_ok(m, &p, &pl);
	ck_assert_uint_eq(pl.devs[0].nr_order, 6);
	mq_placement_fini(&pl);
	mq_cpuset_fini(&only);
	mq_machine_free(m);

	/* --cpus of a smaller capacity than nr_cpu_ids; CPUs across
	 * word boundaries */
	m = mb_machine(130, 2, 2);
	policy_auto(&p);
	mb_cpuset(&only, 8, "0-3");
	p.only_cpus = &only;
	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 1, 1, 10000);
	place_ok(m, &p, &pl);
	ck_assert_uint_eq(pl.devs[0].nr_order, 4);
	mq_placement_fini(&pl);
	mq_cpuset_fini(&only);
	policy_auto(&p);
	mb_netdev(m, "eth1", 40, 40, MB_VEC_SPLIT, 1, 1, 10000);
	place_ok(m, &p, &pl);
	mq_placement_fini(&pl);
	mq_machine_free(m);

	/* a single CPU */
	m = mb_machine(1, 1, 1);
	mb_netdev(m, "eth0", 4, 2, MB_VEC_SPLIT, 1, 0, 10000);
	mb_netdev(m, "veth0", 1, 1, MB_VEC_NONE, 0, -1, -1);
	place_auto(m, &pl);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Issue 7: RPS stays on the home's node; isolated cores' siblings last */
/* ------------------------------------------------------------------ */

/* The README's machine: queue 0's RPS set was 0,8,16,24 (0, 16 remote). */
/*
 * A NIC whose driver has not requested its IRQs yet (link down, or freed
 * by a link down) gets the same homes and the same RPS decision as when
 * they exist: a boot-time run must not write what the next run undoes.
 */
START_TEST(test_unrequested_irqs_same_plan)
{
	struct mq_machine *up = mb_machine(8, 1, 1);
	struct mq_machine *down = mb_machine(8, 1, 1);
	struct mq_netdev *dev;
	struct mq_placement a, b;
	size_t q;

	mb_netdev(up, "eth0", 8, 8, MB_VEC_COMBINED, 1, 0, 10000);
	dev = mb_netdev(down, "eth0", 8, 8, MB_VEC_NONE, 0, 0, 10000);
	dev->irqs_unrequested = true;
	dev->irq_source = MQ_IRQSRC_NAMES;
	place_auto(up, &a);
	place_auto(down, &b);
	ck_assert(!a.devs[0].rps_used);
	ck_assert_msg(!b.devs[0].rps_used,
		      "RPS planned only because the IRQs are not requested yet");
	ck_assert_int_eq(b.flow_entries, a.flow_entries);
	for (q = 0; q < 8; q++) {
		ck_assert_int_eq(b.devs[0].home[q], a.devs[0].home[q]);
		ck_assert(mq_cpuset_equal(&b.devs[0].rps[q], &a.devs[0].rps[q]));
		ck_assert_int_eq(b.devs[0].flow_cnt[q], a.devs[0].flow_cnt[q]);
	}
	ck_assert_ptr_nonnull(mq_warnings_find(&b.warnings, "irqs-not-requested"));
	mq_placement_fini(&a);
	mq_placement_fini(&b);
	mq_machine_free(up);
	mq_machine_free(down);
}
END_TEST

START_TEST(test_rps_node_scope_readme)
{
	struct mq_machine *m = mb_machine(32, 2, 2);
	const struct mq_topo *t = &m->topo;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	struct mq_cpuset want;
	struct mq_policy p;
	size_t q;
	unsigned int cpu;

	mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 1, 1, 25000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert(dp->rps_used);
	for (q = 0; q < 8; q++) {
		char list[16];

		ck_assert_int_eq(dp->home[q], (int)(8 + q));
		snprintf(list, sizeof(list), "%zu,%zu", 8 + q, 24 + q);
		mb_cpuset(&want, 32, list);
		ck_assert_msg(mq_cpuset_equal(&dp->rps[q], &want),
			      "queue %zu: RPS set is not %s", q, list);
		mq_cpuset_fini(&want);
	}
	/* node 0's CPUs get no RPS work, but still send on a queue */
	for (cpu = 0; cpu < 32; cpu++)
		if (node_of(t, (int)cpu) == 0) {
			ck_assert(!any_set_has(dp->rps, dp->nr_rps, cpu));
			ck_assert(any_set_has(dp->xps, dp->nr_xps, cpu));
		}
	mq_placement_fini(&pl);

	/* --rps-scope machine: the old spread over both nodes */
	policy_auto(&p);
	p.rps_scope = MQ_RPS_SCOPE_MACHINE;
	place_ok(m, &p, &pl);
	mb_cpuset(&want, 32, "0,8,16,24");
	ck_assert(mq_cpuset_equal(&pl.devs[0].rps[0], &want));
	mq_cpuset_fini(&want);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* 256 CPUs, 4 nodes: an 8-queue NIC had 31 RPS CPUs per queue, all nodes. */
START_TEST(test_rps_node_scope_256)
{
	struct mq_machine *m = mb_machine(256, 4, 2);
	const struct mq_topo *t = &m->topo;
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q, total = 0;
	unsigned int cpu;

	mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 1, 0, 100000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	for (q = 0; q < 8; q++) {
		ck_assert_int_eq(node_of(t, dp->home[q]), 0);
		ck_assert_uint_eq(mq_cpuset_weight(&dp->rps[q]), 8);
		total += mq_cpuset_weight(&dp->rps[q]);
		for (cpu = 0; cpu < 256; cpu++)
			if (mq_cpuset_test(&dp->rps[q], cpu))
				ck_assert_int_eq(node_of(t, (int)cpu), 0);
	}
	ck_assert_uint_eq(total, 64);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Homes fill the only node with homes: RPS sets would hold just the home. */
START_TEST(test_rps_node_scope_nothing_left)
{
	struct mq_machine *m = mb_machine(16, 2, 1);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	size_t q;

	mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 1, 0, 10000);
	place_auto(m, &pl);
	dp = &pl.devs[0];
	ck_assert(!dp->rps_used);
	for (q = 0; q < 8; q++) {
		ck_assert(mq_cpuset_empty(&dp->rps[q]));
		ck_assert_int_eq(dp->flow_cnt[q], -1);
	}
	ck_assert_int_eq(pl.flow_entries, -1);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/*
 * 32 CPUs, 2 nodes, SMT 2: node 1 = 8-15,24-31.  With 8-11 isolated (or
 * excluded) the homes were 12-15,24-27: 24-27 share cores with 8-11.
 */
START_TEST(test_isolated_siblings_last)
{
	bool exclude = _i & 1, twelve = _i & 2;
	size_t nq = twelve ? 12 : 8, q;
	struct mq_machine *m = mb_machine(32, 2, 2);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	struct mq_cpuset ex;
	struct mq_policy p;
	static const int want[12] = { 12, 13, 14, 15, 28, 29, 30, 31,
				      24, 25, 26, 27 };

	policy_auto(&p);
	mb_cpuset(&ex, 32, "8-11");
	if (exclude)
		p.exclude_cpus = &ex;
	else
		mb_isolate(m, "8-11");
	mb_netdev(m, "eth0", nq, nq, MB_VEC_COMBINED, 1, 1, 10000);
	place_ok(m, &p, &pl);
	dp = &pl.devs[0];
	for (q = 0; q < nq; q++)
		ck_assert_msg(dp->home[q] == want[q], "queue %zu: home %d, not %d",
			      q, dp->home[q], want[q]);
	ck_assert_uint_eq(dp->home_why[0], 0);
	ck_assert_uint_eq(dp->home_why[4], MQ_HOME_SIBLING);
	if (twelve)
		ck_assert(dp->home_why[8] & MQ_HOME_NEAR_ISOLATED);
	mq_placement_fini(&pl);
	mq_cpuset_fini(&ex);
	mq_machine_free(m);
}
END_TEST

/* Why each home: remote node, the NIC's node with no usable CPU, wrap. */
START_TEST(test_home_reasons)
{
	struct mq_machine *m = mb_machine(8, 2, 1);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;
	struct mq_cpuset ex;
	struct mq_policy p;

	/* node 0 = 0-3, node 1 = 4-7; node 1 excluded */
	policy_auto(&p);
	mb_cpuset(&ex, 8, "4-7");
	p.exclude_cpus = &ex;
	mb_netdev(m, "eth0", 6, 6, MB_VEC_COMBINED, 0, 1, 10000);
	mb_netdev(m, "eth1", 1, 1, MB_VEC_COMBINED, 0, -1, 10000);
	place_ok(m, &p, &pl);
	dp = &pl.devs[0];
	ck_assert_int_eq(dp->start_node, 1);
	ck_assert(dp->home_why[0] & MQ_HOME_REMOTE);
	ck_assert(dp->home_why[0] & MQ_HOME_LOCAL_EMPTY);
	ck_assert(!(dp->home_why[3] & MQ_HOME_WRAPPED));
	ck_assert(dp->home_why[4] & MQ_HOME_WRAPPED);
	/* eth1: no NUMA node, starts on node 0; its CPU is eth0's home */
	dp = &pl.devs[1];
	ck_assert_int_eq(dp->start_node, 0);
	ck_assert(dp->home_why[0] & MQ_HOME_NO_NIC_NODE);
	ck_assert(dp->home_why[0] & MQ_HOME_SHARED);
	ck_assert(!(dp->home_why[0] & MQ_HOME_REMOTE));
	mq_placement_fini(&pl);
	mq_cpuset_fini(&ex);
	mq_machine_free(m);
}
END_TEST

/* The warning with @code about @object, or NULL. */
static const struct mq_warning *find_warning(const struct mq_placement *pl,
					     const char *code,
					     const char *object)
{
	size_t i;

	for (i = 0; i < pl->warnings.n; i++)
		if (strcmp(pl->warnings.list[i].code, code) == 0 &&
		    strcmp(pl->warnings.list[i].object, object) == 0)
			return &pl->warnings.list[i];
	return NULL;
}

/* Structured warnings: stable codes, the object, exact advice, grammar. */
START_TEST(test_warning_codes)
{
	struct mq_machine *m = mb_machine(8, 2, 1);
	struct mq_placement pl;
	const struct mq_warning *w;
	struct mq_cpuset only;
	struct mq_policy p;
	struct mq_netdev *dev;

	/* node 0 = 0-3, node 1 = 4-7; --cpus 0-3,6-7 with 6-7 offline */
	mb_offline(m, "6-7");
	policy_auto(&p);
	mb_cpuset(&only, 8, "0-3,6-7");
	p.only_cpus = &only;
	dev = mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 0, 0, 10000);
	(void)dev;
	mb_netdev(m, "eth1", 6, 6, MB_VEC_SPLIT, 0, 1, -1);
	snprintf(m->netdevs[1].operstate, sizeof(m->netdevs[1].operstate),
		 "down");
	place_ok(m, &p, &pl);
	w = find_warning(&pl, "offline-cpus-named", "--cpus");
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(strstr(w->message, "2 CPUs that are not online (6-7)"));
	w = find_warning(&pl, "queues-share-cores", "eth0");
	ck_assert_ptr_nonnull(w);
	ck_assert_msg(strstr(w->message, "8 rx queues but 4 usable CPUs") &&
		      strstr(w->message, "ethtool -L eth0 combined 4"),
		      "%s", w->message);
	w = find_warning(&pl, "queues-share-cores", "eth1");
	ck_assert_ptr_nonnull(w);
	ck_assert_msg(strstr(w->message, "ethtool -L eth1 rx 4 tx 4"), "%s",
		      w->message);
	w = find_warning(&pl, "link-down", "eth1");
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_null(find_warning(&pl, "link-down", "eth0"));
	/* eth1's node 1 has no usable CPU: every home is remote */
	w = find_warning(&pl, "remote-homes", "eth1");
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(strstr(w->message, "no usable CPU"));
	ck_assert_ptr_null(find_warning(&pl, "remote-homes", "eth0"));
	/* eth1's homes are eth0's */
	w = find_warning(&pl, "shared-homes", "eth1");
	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(strstr(w->message, "eth0"));
	ck_assert_ptr_eq(mq_warnings_find(&pl.warnings, "link-down"),
			 find_warning(&pl, "link-down", "eth1"));
	mq_placement_fini(&pl);
	mq_cpuset_fini(&only);
	mq_machine_free(m);

	/* one CPU: "1 usable CPU", "2 rx queues" */
	m = mb_machine(1, 1, 1);
	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 0, 0, -1);
	place_auto(m, &pl);
	w = find_warning(&pl, "queues-share-cores", "eth0");
	ck_assert_ptr_nonnull(w);
	ck_assert_msg(strstr(w->message, "2 rx queues but 1 usable CPU:") &&
		      strstr(w->message, "ethtool -L eth0 combined 1"), "%s",
		      w->message);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

Suite *place_suite(void)
{
	Suite *s = suite_create("place");
	TCase *tc = tcase_create("place");

	tcase_add_loop_test(tc, test_one_node_no_smt, 0,
			    (int)ARRAY_SIZE(one_node_queues));
	tcase_add_loop_test(tc, test_two_nodes_smt_nic_node1, 0,
			    (int)ARRAY_SIZE(smt_queues));
	tcase_add_test(tc, test_nic_node_unknown_starts_node0);
	tcase_add_loop_test(tc, test_isolated_nohz_never_used, 0,
			    (int)ARRAY_SIZE(iso_queues));
	tcase_add_loop_test(tc, test_cpus_and_exclude, 0,
			    (int)ARRAY_SIZE(cpus_cases));
	tcase_add_loop_test(tc, test_empty_usable_refused, 0,
			    (int)ARRAY_SIZE(empty_cases));
	tcase_add_test(tc, test_queues_more_than_cpus);
	tcase_add_loop_test(tc, test_rps_partition, 0, 2 *
			    (int)ARRAY_SIZE(rps_cases));
	tcase_add_test(tc, test_exactly_one_queue);
	tcase_add_loop_test(tc, test_split_vectors, 0,
			    (int)ARRAY_SIZE(split_cases));
	tcase_add_test(tc, test_managed_irqs);
	tcase_add_loop_test(tc, test_no_irqs_veth, 0,
			    (int)ARRAY_SIZE(veth_queues));
	tcase_add_test(tc, test_two_interfaces_same_node);
	tcase_add_loop_test(tc, test_xps_and_modes, 0,
			    (int)ARRAY_SIZE(xps_cases));
	tcase_add_loop_test(tc, test_flow_cnt, 0,
			    (int)(ARRAY_SIZE(flow_queues) *
				  ARRAY_SIZE(flow_sysctls)));
	tcase_add_loop_test(tc, test_backlog, 0,
			    (int)ARRAY_SIZE(backlog_cases));
	tcase_add_test(tc, test_backlog_for_speed);
	tcase_add_test(tc, test_big_machine);
	tcase_add_test(tc, test_nic_node_empty_nearest_first);
	tcase_add_test(tc, test_hostile_cpuless_node);
	tcase_add_test(tc, test_hostile_unknown_siblings);
	tcase_add_test(tc, test_hostile_zero_rx_queues);
	tcase_add_test(tc, test_hostile_misc_shapes);
	tcase_add_test(tc, test_unrequested_irqs_same_plan);
	tcase_add_test(tc, test_rps_node_scope_readme);
	tcase_add_test(tc, test_rps_node_scope_256);
	tcase_add_test(tc, test_rps_node_scope_nothing_left);
	tcase_add_loop_test(tc, test_isolated_siblings_last, 0, 4);
	tcase_add_test(tc, test_home_reasons);
	tcase_add_test(tc, test_warning_codes);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
