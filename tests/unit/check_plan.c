/*
 * check_plan.c - the plan builder (src/core/plan.c, mq_plan_build).
 *
 * A machine is built in memory (model_builder.h), placed with mq_place(),
 * and the model's *current* state is then changed so that some targets
 * already hold what the placement wants.  The plan must contain exactly
 * one change for every target that differs -- with the kernel path, the
 * exact bytes to write, the object text and the old/new displays -- and
 * none for the others.  Expected values are worked out by hand in the
 * comments, not copied from the output.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/cpuset.h"
#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "model_builder.h"

Suite *plan_suite(void);

#define PL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PL_BACKLOG "/proc/sys/net/core/netdev_max_backlog"
#define PL_ENTRIES "/proc/sys/net/core/rps_sock_flow_entries"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void pl_policy_auto(struct mq_policy *p)
{
	memset(p, 0, sizeof(*p));
	/* the queues the model has: channel steps are check_channels.c's */
	p->channels = MQ_CHANNELS_KEEP;
	p->rps = MQ_STEER_AUTO;
	p->xps = MQ_STEER_AUTO;
	p->backlog = MQ_BACKLOG_AUTO;
}

static void pl_place(const struct mq_machine *m, const struct mq_policy *p,
		     struct mq_placement *pl)
{
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_msg(mq_place(m, p, pl, &d) == 0, "mq_place failed: %s", d.msg);
}

static void pl_build(const struct mq_machine *m, const struct mq_placement *pl,
		     struct mq_plan *plan)
{
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_msg(mq_plan_build(m, pl, plan, &d) == 0,
		      "mq_plan_build failed: %s", d.msg);
	ck_assert_uint_eq(plan->nr_cpu_ids, m->topo.nr_cpu_ids);
	ck_assert(plan->nr == 0 || plan->changes != NULL);
}

/* The one change writing @path, or NULL; fails when there are two. */
static const struct mq_change *pl_find(const struct mq_plan *plan,
				       const char *path)
{
	const struct mq_change *found = NULL;
	size_t i;

	for (i = 0; i < plan->nr; i++)
		if (strcmp(plan->changes[i].path, path) == 0) {
			ck_assert_msg(!found, "two changes write %s", path);
			found = &plan->changes[i];
		}
	return found;
}

static void pl_assert_none(const struct mq_plan *plan, const char *path)
{
	ck_assert_msg(pl_find(plan, path) == NULL,
		      "unexpected change of %s", path);
}

/* Exactly one change of @path with these fields. */
static void pl_assert_change(const struct mq_plan *plan, const char *path,
			     enum mq_target target, int dev, size_t index,
			     const char *object, const char *value,
			     const char *old_display, const char *new_display)
{
	const struct mq_change *c = pl_find(plan, path);

	ck_assert_msg(c != NULL, "no change of %s", path);
	ck_assert_int_eq(c->target, target);
	ck_assert_int_eq(c->dev, dev);
	if (target != MQ_T_SYSCTL)
		ck_assert_uint_eq(c->index, index);
	ck_assert_str_eq(c->object, object);
	ck_assert_ptr_nonnull(c->value);
	ck_assert_str_eq(c->value, value);
	ck_assert_ptr_nonnull(c->old_display);
	ck_assert_str_eq(c->old_display, old_display);
	ck_assert_ptr_nonnull(c->new_display);
	ck_assert_str_eq(c->new_display, new_display);
	ck_assert_int_eq(c->state, MQ_CH_PLANNED);
	ck_assert_ptr_null(c->saved);
	ck_assert(!c->pending);
}

static void pl_path_irq(char *buf, size_t cap, unsigned int irq)
{
	snprintf(buf, cap, "/proc/irq/%u/smp_affinity_list", irq);
}

static void pl_path_q(char *buf, size_t cap, const char *dev, const char *dir,
		      size_t q, const char *file)
{
	snprintf(buf, cap, "/sys/class/net/%s/queues/%s-%zu/%s", dev, dir, q,
		 file);
}

static void pl_set_list(struct mq_cpuset *s, const char *list)
{
	ck_assert_int_eq(mq_cpuset_parse_list(s, list, strlen(list)),
			 MQ_PARSE_OK);
}

/* Copy every planned value into the model's current state. */
static void pl_copy_plan_into_model(struct mq_machine *m,
				    const struct mq_placement *pl)
{
	size_t i, j, q;

	for (i = 0; i < m->nr_netdevs; i++) {
		struct mq_netdev *dev = &m->netdevs[i];
		const struct mq_dev_placement *dp = &pl->devs[i];

		for (j = 0; j < dev->nr_irqs; j++)
			if (dp->irq_cpu[j] >= 0) {
				mq_cpuset_zero(&dev->irqs[j].affinity);
				mq_cpuset_set(&dev->irqs[j].affinity,
					      (unsigned int)dp->irq_cpu[j]);
			}
		for (q = 0; q < dev->nr_rxq; q++) {
			if (dp->rps && dev->rxq[q].has_rps) {
				mq_cpuset_zero(&dev->rxq[q].rps_cpus);
				mq_cpuset_or(&dev->rxq[q].rps_cpus, &dp->rps[q]);
			}
			if (dp->flow_cnt[q] >= 0 && dev->rxq[q].rps_flow_cnt >= 0)
				dev->rxq[q].rps_flow_cnt = dp->flow_cnt[q];
		}
		for (q = 0; q < dev->nr_txq && dp->xps; q++)
			if (dev->txq[q].has_xps) {
				mq_cpuset_zero(&dev->txq[q].xps_cpus);
				mq_cpuset_or(&dev->txq[q].xps_cpus, &dp->xps[q]);
			}
	}
	if (pl->backlog >= 0 && m->sysctls.netdev_max_backlog >= 0)
		m->sysctls.netdev_max_backlog = pl->backlog;
	if (pl->flow_entries >= 0 && m->sysctls.rps_sock_flow_entries >= 0)
		m->sysctls.rps_sock_flow_entries = pl->flow_entries;
}

/*
 * The reference machine: 8 CPUs, one node, no SMT; eth0 with 4 combined
 * queues on node 0 at 10 Gb/s.  Vectors are IRQs 100-103 (queue q = IRQ
 * 100 + q), each affine to 0-7; RPS/XPS empty, flow counts 0, backlog
 * 1000, flow entries 0.
 *
 * The placement (docs/policy.md): order 0..7, homes q -> CPU q, so IRQ
 * 100+q -> CPU q.  4 queues < 8 CPUs: RPS on; CPUs 4-7 are nobody's home
 * and go to the least-loaded queue in order, so rps[q] = {q, q+4} and
 * xps[q] = {q, q+4}.  Flow entries: max(32768, 0) = 32768, flow_cnt =
 * 32768 / 4 = 8192.  Backlog for 10 Gb/s: 30000 > 1000.
 */
static struct mq_machine *pl_ref_machine(void)
{
	struct mq_machine *m = mb_machine(8, 1, 1);

	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 0, 0, 10000);
	return m;
}

static const char *const pl_ref_masks[4] = { "11\n", "22\n", "44\n", "88\n" };
static const char *const pl_ref_lists[4] = { "0,4", "1,5", "2,6", "3,7" };

/* The placement is what the comment above says (so the rest holds). */
static void pl_check_ref_placement(const struct mq_placement *pl)
{
	const struct mq_dev_placement *dp = &pl->devs[0];
	size_t q;

	ck_assert_uint_eq(pl->nr_devs, 1);
	ck_assert_ptr_nonnull(dp->rps);
	ck_assert_ptr_nonnull(dp->xps);
	for (q = 0; q < 4; q++) {
		struct mq_cpuset want;

		ck_assert_int_eq(dp->irq_cpu[q], (int)q);
		mb_cpuset(&want, 8, pl_ref_lists[q]);
		ck_assert(mq_cpuset_equal(&dp->rps[q], &want));
		ck_assert(mq_cpuset_equal(&dp->xps[q], &want));
		mq_cpuset_fini(&want);
		ck_assert_int_eq(dp->flow_cnt[q], 8192);
	}
	ck_assert_int_eq(pl->backlog, 30000);
	ck_assert_int_eq(pl->flow_entries, 32768);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

/* Fresh machine: every target differs; check every field of every change. */
START_TEST(test_plan_fresh_values)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160], obj[96], val[32], nw[16];
	size_t q;

	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_check_ref_placement(&pl);
	pl_build(m, &pl, &plan);
	/* 4 IRQs + 4 x (rps, flow) + 4 xps + 2 sysctls */
	ck_assert_uint_eq(plan.nr, 18);
	for (q = 0; q < 4; q++) {
		pl_path_irq(path, sizeof(path), 100 + (unsigned int)q);
		snprintf(obj, sizeof(obj), "eth0 IRQ %u", 100 + (unsigned int)q);
		snprintf(val, sizeof(val), "%zu\n", q);
		snprintf(nw, sizeof(nw), "%zu", q);
		pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, q, obj, val,
				 "0-7", nw);

		pl_path_q(path, sizeof(path), "eth0", "rx", q, "rps_cpus");
		snprintf(obj, sizeof(obj), "eth0 rx-%zu rps_cpus", q);
		pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, q, obj,
				 pl_ref_masks[q], "-", pl_ref_lists[q]);

		pl_path_q(path, sizeof(path), "eth0", "rx", q, "rps_flow_cnt");
		snprintf(obj, sizeof(obj), "eth0 rx-%zu rps_flow_cnt", q);
		pl_assert_change(&plan, path, MQ_T_RPS_FLOW_CNT, 0, q, obj,
				 "8192\n", "0", "8192");

		pl_path_q(path, sizeof(path), "eth0", "tx", q, "xps_cpus");
		snprintf(obj, sizeof(obj), "eth0 tx-%zu xps_cpus", q);
		pl_assert_change(&plan, path, MQ_T_XPS_CPUS, 0, q, obj,
				 pl_ref_masks[q], "-", pl_ref_lists[q]);
	}
	pl_assert_change(&plan, PL_BACKLOG, MQ_T_SYSCTL, -1, 0,
			 "net.core.netdev_max_backlog", "30000\n", "1000",
			 "30000");
	pl_assert_change(&plan, PL_ENTRIES, MQ_T_SYSCTL, -1, 0,
			 "net.core.rps_sock_flow_entries", "32768\n", "0",
			 "32768");
	mq_plan_fini(&plan);
	ck_assert_uint_eq(plan.nr, 0);
	ck_assert_ptr_null(plan.changes);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Some targets already hold the planned value: no change for them only. */
START_TEST(test_plan_some_equal)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_netdev *dev = &m->netdevs[0];
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];

	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_check_ref_placement(&pl);
	/* IRQ 101 already on CPU 1 */
	mq_cpuset_zero(&dev->irqs[1].affinity);
	mq_cpuset_set(&dev->irqs[1].affinity, 1);
	/* rx-2 RPS already 2,6 */
	pl_set_list(&dev->rxq[2].rps_cpus, "2,6");
	/* rx-0 flow count already 8192 */
	dev->rxq[0].rps_flow_cnt = 8192;
	/* tx-3 XPS already 3,7 */
	pl_set_list(&dev->txq[3].xps_cpus, "3,7");
	/* backlog already at the target */
	m->sysctls.netdev_max_backlog = 30000;
	/* rx-1 flow count differs the other way: 16384 -> 8192 */
	dev->rxq[1].rps_flow_cnt = 16384;
	/* IRQ 103 on a superset of its target: still a change */
	pl_set_list(&dev->irqs[3].affinity, "3,7");

	pl_build(m, &pl, &plan);
	ck_assert_uint_eq(plan.nr, 18 - 5);

	pl_path_irq(path, sizeof(path), 101);
	pl_assert_none(&plan, path);
	pl_path_q(path, sizeof(path), "eth0", "rx", 2, "rps_cpus");
	pl_assert_none(&plan, path);
	pl_path_q(path, sizeof(path), "eth0", "rx", 0, "rps_flow_cnt");
	pl_assert_none(&plan, path);
	pl_path_q(path, sizeof(path), "eth0", "tx", 3, "xps_cpus");
	pl_assert_none(&plan, path);
	pl_assert_none(&plan, PL_BACKLOG);

	pl_path_irq(path, sizeof(path), 100);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 0, "eth0 IRQ 100",
			 "0\n", "0-7", "0");
	pl_path_irq(path, sizeof(path), 103);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 3, "eth0 IRQ 103",
			 "3\n", "3,7", "3");
	pl_path_q(path, sizeof(path), "eth0", "rx", 1, "rps_flow_cnt");
	pl_assert_change(&plan, path, MQ_T_RPS_FLOW_CNT, 0, 1,
			 "eth0 rx-1 rps_flow_cnt", "8192\n", "16384", "8192");
	pl_path_q(path, sizeof(path), "eth0", "rx", 3, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 3, "eth0 rx-3 rps_cpus",
			 "88\n", "-", "3,7");
	pl_path_q(path, sizeof(path), "eth0", "tx", 0, "xps_cpus");
	pl_assert_change(&plan, path, MQ_T_XPS_CPUS, 0, 0, "eth0 tx-0 xps_cpus",
			 "11\n", "-", "0,4");
	pl_assert_change(&plan, PL_ENTRIES, MQ_T_SYSCTL, -1, 0,
			 "net.core.rps_sock_flow_entries", "32768\n", "0",
			 "32768");
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* A non-empty current set that differs shows its list as old display. */
START_TEST(test_plan_old_display_nonempty)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_netdev *dev = &m->netdevs[0];
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];

	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_set_list(&dev->rxq[1].rps_cpus, "0-3,6");
	pl_set_list(&dev->txq[2].xps_cpus, "7");
	pl_build(m, &pl, &plan);
	pl_path_q(path, sizeof(path), "eth0", "rx", 1, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 1, "eth0 rx-1 rps_cpus",
			 "22\n", "0-3,6", "1,5");
	pl_path_q(path, sizeof(path), "eth0", "tx", 2, "xps_cpus");
	pl_assert_change(&plan, path, MQ_T_XPS_CPUS, 0, 2, "eth0 tx-2 xps_cpus",
			 "44\n", "7", "2,6");
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Sets are compared as sets, whatever text they were read from. */
START_TEST(test_plan_sets_compare_as_sets)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_netdev *dev = &m->netdevs[0];
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];
	size_t q;

	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_copy_plan_into_model(m, &pl);
	/* rebuild the same sets from other texts: masks with leading zero
	 * groups, lists written with ranges of one, bits set high to low */
	for (q = 0; q < 4; q++) {
		static const char *const masks[4] = {
			"00000000,00000011\n", "0022", "00000044", "0,00000088\n"
		};
		ck_assert_int_eq(mq_cpuset_parse_mask(&dev->rxq[q].rps_cpus,
						      masks[q], strlen(masks[q])),
				 MQ_PARSE_OK);
		mq_cpuset_zero(&dev->txq[q].xps_cpus);
		mq_cpuset_set(&dev->txq[q].xps_cpus, (unsigned int)q + 4);
		mq_cpuset_set(&dev->txq[q].xps_cpus, (unsigned int)q);
	}
	pl_set_list(&dev->irqs[0].affinity, "0-0");
	pl_build(m, &pl, &plan);
	ck_assert_uint_eq(plan.nr, 0);
	mq_plan_fini(&plan);

	/* and a set that differs by one CPU is a change */
	mq_cpuset_clear(&dev->rxq[3].rps_cpus, 7);
	pl_build(m, &pl, &plan);
	ck_assert_uint_eq(plan.nr, 1);
	pl_path_q(path, sizeof(path), "eth0", "rx", 3, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 3, "eth0 rx-3 rps_cpus",
			 "88\n", "3", "3,7");
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Planned value copied into the model: nothing to do; also on a re-run. */
struct pl_shape {
	unsigned int ncpus, nnodes, smt;
	size_t rxq, txq;
	enum mb_vectors vec;
	unsigned int misc;
	int node;
	int64_t speed;
	bool second;		/* add a second, split-vector interface */
	bool managed;		/* make vector 1 of the first kernel-managed */
};

static const struct pl_shape pl_shapes[] = {
	{ 8, 1, 1, 4, 4, MB_VEC_COMBINED, 0, 0, 10000, false, false },
	{ 32, 2, 2, 8, 8, MB_VEC_COMBINED, 1, 1, 25000, true, false },
	{ 16, 2, 1, 4, 2, MB_VEC_SPLIT, 2, -1, 40000, false, true },
	{ 72, 2, 2, 3, 5, MB_VEC_COMBINED, 1, 0, 100000, true, true },
	{ 4, 1, 1, 8, 8, MB_VEC_COMBINED, 0, 0, -1, false, false },
	{ 8, 1, 1, 2, 2, MB_VEC_NONE, 0, -1, -1, false, false },
};

START_TEST(test_plan_idempotent)
{
	const struct pl_shape *s = &pl_shapes[_i];
	struct mq_machine *m = mb_machine(s->ncpus, s->nnodes, s->smt);
	struct mq_netdev *dev;
	struct mq_policy p;
	struct mq_placement pl, pl2;
	struct mq_plan plan;

	dev = mb_netdev(m, "eth0", s->rxq, s->txq, s->vec, s->misc, s->node,
			s->speed);
	if (s->managed)
		mb_managed(dev, s->misc + 1, s->ncpus - 1);
	if (s->second)
		mb_netdev(m, "eth1", 2, 3, MB_VEC_SPLIT, 1, 0, 1000);
	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	ck_assert_uint_gt(plan.nr, 0);
	mq_plan_fini(&plan);

	pl_copy_plan_into_model(m, &pl);
	pl_build(m, &pl, &plan);
	ck_assert_msg(plan.nr == 0, "shape %d: %zu changes left, first %s",
		      _i, plan.nr, plan.nr ? plan.changes[0].path : "");
	mq_plan_fini(&plan);

	/* a second run on the system the first one left: nothing either */
	pl_place(m, &p, &pl2);
	pl_build(m, &pl2, &plan);
	ck_assert_msg(plan.nr == 0, "shape %d re-run: %zu changes, first %s",
		      _i, plan.nr, plan.nr ? plan.changes[0].path : "");
	mq_plan_fini(&plan);
	mq_placement_fini(&pl2);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Files that do not exist are never planned. */
START_TEST(test_plan_missing_files)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_netdev *dev = &m->netdevs[0];
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];
	size_t i;

	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_check_ref_placement(&pl);
	dev->rxq[1].has_rps = false;		/* no rx-1/rps_cpus */
	dev->txq[0].has_xps = false;		/* no tx-0/xps_cpus */
	dev->rxq[3].rps_flow_cnt = -1;		/* no rx-3/rps_flow_cnt */
	m->sysctls.netdev_max_backlog = -1;	/* not in this netns */
	m->sysctls.rps_sock_flow_entries = -1;
	pl_build(m, &pl, &plan);
	ck_assert_uint_eq(plan.nr, 18 - 5);
	pl_path_q(path, sizeof(path), "eth0", "rx", 1, "rps_cpus");
	pl_assert_none(&plan, path);
	pl_path_q(path, sizeof(path), "eth0", "tx", 0, "xps_cpus");
	pl_assert_none(&plan, path);
	pl_path_q(path, sizeof(path), "eth0", "rx", 3, "rps_flow_cnt");
	pl_assert_none(&plan, path);
	pl_assert_none(&plan, PL_BACKLOG);
	pl_assert_none(&plan, PL_ENTRIES);
	for (i = 0; i < plan.nr; i++)
		ck_assert_int_ne(plan.changes[i].target, MQ_T_SYSCTL);
	/* rx-1's flow count is still there and still planned */
	pl_path_q(path, sizeof(path), "eth0", "rx", 1, "rps_flow_cnt");
	ck_assert_ptr_nonnull(pl_find(&plan, path));
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* keep modes leave whole target kinds alone. */
START_TEST(test_plan_keep_modes)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	size_t i;

	pl_policy_auto(&p);
	p.rps = MQ_STEER_KEEP;
	p.xps = MQ_STEER_KEEP;
	p.backlog = MQ_BACKLOG_KEEP;
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	/* only the 4 IRQs: no RPS (so no RFS nor flow entries), no XPS,
	 * no backlog */
	ck_assert_uint_eq(plan.nr, 4);
	for (i = 0; i < plan.nr; i++)
		ck_assert_int_eq(plan.changes[i].target, MQ_T_IRQ_AFFINITY);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* --rps off / --xps off on a machine with masks set: clear them. */
START_TEST(test_plan_off_clears)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_netdev *dev = &m->netdevs[0];
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];

	pl_set_list(&dev->rxq[0].rps_cpus, "0-7");
	pl_set_list(&dev->txq[1].xps_cpus, "1");
	pl_policy_auto(&p);
	p.rps = MQ_STEER_OFF;
	p.xps = MQ_STEER_OFF;
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	/* 8 bits: 2 hex digits of zeros */
	pl_path_q(path, sizeof(path), "eth0", "rx", 0, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 0, "eth0 rx-0 rps_cpus",
			 "00\n", "0-7", "-");
	pl_path_q(path, sizeof(path), "eth0", "tx", 1, "xps_cpus");
	pl_assert_change(&plan, path, MQ_T_XPS_CPUS, 0, 1, "eth0 tx-1 xps_cpus",
			 "00\n", "1", "-");
	/* the others are empty already */
	pl_path_q(path, sizeof(path), "eth0", "rx", 1, "rps_cpus");
	pl_assert_none(&plan, path);
	pl_path_q(path, sizeof(path), "eth0", "tx", 0, "xps_cpus");
	pl_assert_none(&plan, path);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/*
 * A kernel-managed vector (IRQ 101, queue 1, on CPU 5) is never written.
 * Its CPU stays queue 1's home; the others take the order without CPU 5:
 * queue 0 -> 0, queue 2 -> 1, queue 3 -> 2.
 */
START_TEST(test_plan_managed_irq)
{
	struct mq_machine *m = pl_ref_machine();
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];
	size_t i;

	mb_managed(&m->netdevs[0], 1, 5);
	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	pl_path_irq(path, sizeof(path), 101);
	pl_assert_none(&plan, path);
	for (i = 0; i < plan.nr; i++)
		if (plan.changes[i].target == MQ_T_IRQ_AFFINITY)
			ck_assert_uint_ne(plan.changes[i].index, 1);
	pl_path_irq(path, sizeof(path), 100);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 0, "eth0 IRQ 100",
			 "0\n", "0-7", "0");
	pl_path_irq(path, sizeof(path), 102);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 2, "eth0 IRQ 102",
			 "1\n", "0-7", "1");
	pl_path_irq(path, sizeof(path), 103);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 3, "eth0 IRQ 103",
			 "2\n", "0-7", "2");
	mq_plan_fini(&plan);

	/* even when its affinity is far from anything planned */
	pl_set_list(&m->netdevs[0].irqs[1].affinity, "0-7");
	pl_build(m, &pl, &plan);
	pl_path_irq(path, sizeof(path), 101);
	pl_assert_none(&plan, path);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Misc vectors (not serving a queue) are never written. */
START_TEST(test_plan_misc_vectors_untouched)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];

	/* IRQs 100, 101 misc; 102-103 queues */
	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 2, 0, -1);
	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	pl_path_irq(path, sizeof(path), 100);
	pl_assert_none(&plan, path);
	pl_path_irq(path, sizeof(path), 101);
	pl_assert_none(&plan, path);
	pl_path_irq(path, sizeof(path), 102);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 2, "eth0 IRQ 102",
			 "0\n", "0-7", "0");
	pl_path_irq(path, sizeof(path), 103);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 3, "eth0 IRQ 103",
			 "1\n", "0-7", "1");
	/* speed unknown: backlog left alone */
	pl_assert_none(&plan, PL_BACKLOG);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/*
 * Order: per interface its IRQs (in vector order), then per rx queue its
 * RPS mask and RFS flow count, then the XPS masks; the sysctls last.
 */
static int pl_rank_phase(const struct mq_change *c)
{
	switch (c->target) {
	case MQ_T_CHANNELS:
	case MQ_T_RSS:
	case MQ_T_IRQ_AFFINITY:
		return 0;
	case MQ_T_RPS_CPUS:
	case MQ_T_RPS_FLOW_CNT:
		return 1;
	case MQ_T_XPS_CPUS:
	case MQ_T_NAPI_AFFINITY:
		return 2;
	case MQ_T_SYSCTL:
		break;
	}
	return 3;
}

START_TEST(test_plan_order)
{
	struct mq_machine *m = mb_machine(16, 2, 1);
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	size_t i, nirq[2] = { 0, 0 }, nsys = 0;
	long prev_key = -1;

	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 0, 25000);
	mb_netdev(m, "eth1", 2, 2, MB_VEC_SPLIT, 1, 1, -1);
	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	for (i = 0; i < plan.nr; i++) {
		const struct mq_change *c = &plan.changes[i];
		int phase = pl_rank_phase(c);
		long dev = c->dev < 0 ? 2 : c->dev, key, sub;

		if (phase == 3) {
			ck_assert_int_eq(c->dev, -1);
			nsys++;
			sub = 0;
		} else {
			ck_assert_int_ge(c->dev, 0);
			ck_assert_int_le(c->dev, 1);
			if (phase == 0)
				nirq[c->dev]++;
			sub = phase == 1 ? (long)c->index * 2 +
				(c->target == MQ_T_RPS_FLOW_CNT) : (long)c->index;
		}
		key = (dev * 4 + phase) * 1000 + sub;
		ck_assert_msg(phase == 3 ? key >= prev_key : key > prev_key,
			      "change %zu (%s) out of order", i, c->path);
		prev_key = key;
	}
	/* all 4 queue vectors of eth0 and all 4 of eth1 (2 rx + 2 tx) */
	ck_assert_uint_eq(nirq[0], 4);
	ck_assert_uint_eq(nirq[1], 4);
	/* 25 Gb/s backlog and the RFS table */
	ck_assert_uint_eq(nsys, 2);
	ck_assert_int_eq(plan.changes[plan.nr - 1].target, MQ_T_SYSCTL);
	ck_assert_int_eq(plan.changes[plan.nr - 2].target, MQ_T_SYSCTL);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/*
 * Split vectors: the tx vector of queue i follows rx queue i's CPU.
 * 8 CPUs, eth0 rx 2 / tx 2: rx-0 IRQ 100, rx-1 101, tx-0 102, tx-1 103.
 */
START_TEST(test_plan_split_vectors)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];

	mb_netdev(m, "eth0", 2, 2, MB_VEC_SPLIT, 0, 0, -1);
	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	pl_path_irq(path, sizeof(path), 100);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 0, "eth0 IRQ 100",
			 "0\n", "0-7", "0");
	pl_path_irq(path, sizeof(path), 101);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 1, "eth0 IRQ 101",
			 "1\n", "0-7", "1");
	pl_path_irq(path, sizeof(path), 102);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 2, "eth0 IRQ 102",
			 "0\n", "0-7", "0");
	pl_path_irq(path, sizeof(path), 103);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 3, "eth0 IRQ 103",
			 "1\n", "0-7", "1");
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/*
 * Mask width follows nr_cpu_ids: ceil(n/4) hex digits in groups of 8 from
 * the right.  72 CPUs, --cpus 0,64,71, one queue: home CPU 0, and the
 * single queue's RPS and XPS sets are all three CPUs.  Bits 0, 64 and 71:
 * group 0 = 00000001, group 1 = 0, group 2 (8 bits = 2 digits) = 0x81.
 */
START_TEST(test_plan_mask_72)
{
	struct mq_machine *m = mb_machine(72, 1, 1);
	struct mq_cpuset only;
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];

	mb_netdev(m, "eth0", 1, 1, MB_VEC_COMBINED, 0, 0, -1);
	mb_cpuset(&only, 72, "0,64,71");
	pl_policy_auto(&p);
	p.only_cpus = &only;
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	pl_path_irq(path, sizeof(path), 100);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 0, "eth0 IRQ 100",
			 "0\n", "0-71", "0");
	pl_path_q(path, sizeof(path), "eth0", "rx", 0, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 0, "eth0 rx-0 rps_cpus",
			 "81,00000000,00000001\n", "-", "0,64,71");
	pl_path_q(path, sizeof(path), "eth0", "tx", 0, "xps_cpus");
	pl_assert_change(&plan, path, MQ_T_XPS_CPUS, 0, 0, "eth0 tx-0 xps_cpus",
			 "81,00000000,00000001\n", "-", "0,64,71");
	mq_plan_fini(&plan);

	/* the placement's set alone decides the value: {0} and {71} */
	mq_cpuset_zero(&pl.devs[0].rps[0]);
	mq_cpuset_set(&pl.devs[0].rps[0], 0);
	mq_cpuset_zero(&pl.devs[0].xps[0]);
	mq_cpuset_set(&pl.devs[0].xps[0], 71);
	pl_build(m, &pl, &plan);
	pl_path_q(path, sizeof(path), "eth0", "rx", 0, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 0, "eth0 rx-0 rps_cpus",
			 "00,00000000,00000001\n", "-", "0");
	pl_path_q(path, sizeof(path), "eth0", "tx", 0, "xps_cpus");
	pl_assert_change(&plan, path, MQ_T_XPS_CPUS, 0, 0, "eth0 tx-0 xps_cpus",
			 "80,00000000,00000000\n", "-", "71");
	mq_plan_fini(&plan);
	mq_cpuset_fini(&only);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* 4 CPUs: one hex digit; the single queue's RPS set is 0-3 = "f". */
START_TEST(test_plan_mask_4)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160];

	mb_netdev(m, "eth0", 1, 1, MB_VEC_COMBINED, 0, 0, -1);
	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	pl_path_q(path, sizeof(path), "eth0", "rx", 0, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 0, "eth0 rx-0 rps_cpus",
			 "f\n", "-", "0-3");
	/* one queue: flow_cnt = 32768 / 1 */
	pl_path_q(path, sizeof(path), "eth0", "rx", 0, "rps_flow_cnt");
	pl_assert_change(&plan, path, MQ_T_RPS_FLOW_CNT, 0, 0,
			 "eth0 rx-0 rps_flow_cnt", "32768\n", "0", "32768");
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/*
 * 1024 CPUs: 256 hex digits = 32 groups of 8.  --cpus 0,1023 with one
 * queue: bit 0 is the last group's 00000001, bit 1023 the first group's
 * 80000000.
 */
START_TEST(test_plan_mask_1024)
{
	struct mq_machine *m = mb_machine(1024, 2, 2);
	struct mq_cpuset only;
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	char path[160], want[32 * 9 + 2];
	const struct mq_change *c;
	size_t g, commas = 0;

	mb_netdev(m, "eth0", 1, 1, MB_VEC_COMBINED, 0, 0, -1);
	mb_cpuset(&only, 1024, "0,1023");
	pl_policy_auto(&p);
	p.only_cpus = &only;
	/* 0 and 1023 are on different nodes: machine scope puts both in
	 * the one queue's RPS set (node scope would leave 1023 out) */
	p.rps_scope = MQ_RPS_SCOPE_MACHINE;
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	want[0] = '\0';
	for (g = 0; g < 32; g++)
		strcat(want, g == 0 ? "80000000," : g == 31 ? "00000001\n"
							     : "00000000,");
	pl_path_q(path, sizeof(path), "eth0", "rx", 0, "rps_cpus");
	pl_assert_change(&plan, path, MQ_T_RPS_CPUS, 0, 0, "eth0 rx-0 rps_cpus",
			 want, "-", "0,1023");
	c = pl_find(&plan, path);
	ck_assert_uint_eq(strlen(c->value), 256 + 31 + 1);
	for (g = 0; c->value[g]; g++)
		commas += c->value[g] == ',';
	ck_assert_uint_eq(commas, 31);
	pl_path_q(path, sizeof(path), "eth0", "tx", 0, "xps_cpus");
	pl_assert_change(&plan, path, MQ_T_XPS_CPUS, 0, 0, "eth0 tx-0 xps_cpus",
			 want, "-", "0,1023");
	pl_path_irq(path, sizeof(path), 100);
	pl_assert_change(&plan, path, MQ_T_IRQ_AFFINITY, 0, 0, "eth0 IRQ 100",
			 "0\n", "0-1023", "0");
	mq_plan_fini(&plan);
	mq_cpuset_fini(&only);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* No interface at all: only sysctls can change (here none: no opinion). */
START_TEST(test_plan_no_interfaces)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;

	pl_policy_auto(&p);
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	ck_assert_uint_eq(plan.nr, 0);
	mq_plan_fini(&plan);
	/* --backlog 5000 on such a machine: just the sysctl */
	mq_placement_fini(&pl);
	p.backlog = MQ_BACKLOG_SET;
	p.backlog_value = 5000;
	pl_place(m, &p, &pl);
	pl_build(m, &pl, &plan);
	ck_assert_uint_eq(plan.nr, 1);
	pl_assert_change(&plan, PL_BACKLOG, MQ_T_SYSCTL, -1, 0,
			 "net.core.netdev_max_backlog", "5000\n", "1000", "5000");
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_plan_state_names)
{
	ck_assert_str_eq(mq_change_state_name(MQ_CH_PLANNED), "planned");
	ck_assert_str_eq(mq_change_state_name(MQ_CH_APPLIED), "applied");
	ck_assert_str_eq(mq_change_state_name(MQ_CH_FAILED), "failed");
	ck_assert_str_eq(mq_change_state_name(MQ_CH_RESTORED), "restored");
	ck_assert_str_eq(mq_change_state_name(MQ_CH_RESTORE_FAILED),
			 "restore-failed");
}
END_TEST

Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, test_plan_fresh_values);
	tcase_add_test(tc, test_plan_some_equal);
	tcase_add_test(tc, test_plan_old_display_nonempty);
	tcase_add_test(tc, test_plan_sets_compare_as_sets);
	tcase_add_loop_test(tc, test_plan_idempotent, 0,
			    (int)PL_ARRAY_SIZE(pl_shapes));
	tcase_add_test(tc, test_plan_missing_files);
	tcase_add_test(tc, test_plan_keep_modes);
	tcase_add_test(tc, test_plan_off_clears);
	tcase_add_test(tc, test_plan_managed_irq);
	tcase_add_test(tc, test_plan_misc_vectors_untouched);
	tcase_add_test(tc, test_plan_order);
	tcase_add_test(tc, test_plan_split_vectors);
	tcase_add_test(tc, test_plan_mask_72);
	tcase_add_test(tc, test_plan_mask_4);
	tcase_add_test(tc, test_plan_mask_1024);
	tcase_add_test(tc, test_plan_no_interfaces);
	tcase_add_test(tc, test_plan_state_names);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
