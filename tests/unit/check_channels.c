/*
 * check_channels.c - --channels: how many channels each interface gets
 * (core/channels.c, called by mq_place), the machine as it will be after
 * the change (core/project.c), the plan's channel step and the RSS table
 * that must go first (core/plan.c), the counts as the state file keeps
 * them, and the settings put back after a failed run (core/putback.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/channels.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/project.h"
#include "mqtune/putback.h"

#include "model_builder.h"

Suite *channels_suite(void);

static void ch_policy(struct mq_policy *p, enum mq_channels_mode mode,
		      uint32_t n)
{
	memset(p, 0, sizeof(*p));
	p->backlog = MQ_BACKLOG_KEEP;
	p->channels = mode;
	p->channels_value = n;
}

/* A NIC with combined channels: @now of at most @max. */
static struct mq_netdev *ch_nic(struct mq_machine *m, const char *name,
				size_t now, uint32_t max, int node)
{
	struct mq_netdev *dev = mb_netdev(m, name, now, now, MB_VEC_COMBINED, 1,
					  node, 10000);

	dev->channels.max_combined = max;
	return dev;
}

static void ch_place(const struct mq_machine *m, const struct mq_policy *p,
		     struct mq_placement *pl)
{
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_msg(mq_place(m, p, pl, &d) == 0, "mq_place: %s", d.msg);
}

static const struct mq_warning *ch_warning(const struct mq_placement *pl,
					   const char *code)
{
	return mq_warnings_find(&pl->warnings, code);
}

START_TEST(test_sum_is_min_of_max_and_cpus)
{
	/* { CPUs, channels now, maximum, planned } */
	static const unsigned int cases[][4] = {
		{ 4, 8, 8, 4 },		/* fewer CPUs: shrink to them */
		{ 8, 2, 2, 2 },		/* the maximum bounds it */
		{ 8, 2, 64, 8 },	/* grow to the CPUs */
		{ 8, 8, 64, 8 },	/* already Sum: no change */
		{ 1, 4, 4, 1 },		/* one CPU: one queue */
	};
	const unsigned int *c = cases[_i];
	struct mq_machine *m = mb_machine(c[0], 1, 1);
	struct mq_placement pl;
	struct mq_policy p;
	const struct mq_dev_placement *dp;

	ch_nic(m, "eth0", c[1], c[2], 0);
	ch_policy(&p, MQ_CHANNELS_AUTO, 0);
	ch_place(m, &p, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->chan_want.combined, c[3]);
	ck_assert_uint_eq(dp->nr_active_rx, c[3]);
	ck_assert_int_eq(dp->chan_change, c[1] != c[3]);
	ck_assert_ptr_nonnull(strstr(dp->chan_why, "auto: combined"));
	/* other channels never change */
	ck_assert_uint_eq(dp->chan_want.other, m->netdevs[0].channels.other);
	ck_assert_ptr_null(ch_warning(&pl, "queues-share-cores"));
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Two NICs on one node share its CPUs; each gets its own cores. */
START_TEST(test_nics_on_one_node_share_it)
{
	struct mq_machine *m = mb_machine(16, 1, 1);
	struct mq_placement pl;
	struct mq_policy p;
	const struct mq_warning *w;

	ch_nic(m, "eth0", 16, 64, 0);
	ch_nic(m, "eth1", 16, 64, 0);
	ch_policy(&p, MQ_CHANNELS_AUTO, 0);
	ch_place(m, &p, &pl);
	ck_assert_uint_eq(pl.devs[0].chan_want.combined, 8);
	ck_assert_uint_eq(pl.devs[1].chan_want.combined, 8);
	w = ch_warning(&pl, "channels-shared");
	ck_assert_ptr_nonnull(w);
	ck_assert_msg(strstr(w->message, "node 0's 16 usable CPUs (0-15) are "
			     "shared: eth0 8, eth1 8"), "%s", w->message);
	mq_placement_fini(&pl);

	/* a NIC whose maximum is below its share leaves the rest */
	m->netdevs[0].channels.max_combined = 4;
	ch_place(m, &p, &pl);
	ck_assert_uint_eq(pl.devs[0].chan_want.combined, 4);
	ck_assert_uint_eq(pl.devs[1].chan_want.combined, 12);
	w = ch_warning(&pl, "channels-shared");
	ck_assert_msg(w && strstr(w->message, "eth0 4 (its maximum), eth1 12"),
		      "%s", w ? w->message : "none");
	mq_placement_fini(&pl);

	/* a fixed one (--channels keep) takes its queues first */
	m->netdevs[0].channels.max_combined = 64;
	{
		struct mq_policy keep, autop;
		const struct mq_policy *per[2] = { &keep, &autop };
		struct mq_diag d;

		ch_policy(&keep, MQ_CHANNELS_KEEP, 0);
		ch_policy(&autop, MQ_CHANNELS_AUTO, 0);
		mq_diag_clear(&d);
		ck_assert_int_eq(mq_place_each(m, per, &pl, &d), 0);
		ck_assert(!pl.devs[0].chan_change);
		/* its 16 queues that cannot change do not starve the other */
		ck_assert_uint_eq(pl.devs[1].chan_want.combined, 8);
		w = ch_warning(&pl, "channels-shared");
		ck_assert_msg(w && strstr(w->message, "eth0 16 (fixed), eth1 8"),
			      "%s", w ? w->message : "none");
		mq_placement_fini(&pl);
		/* a single-queue one asks for one CPU: the other gets the rest */
		m->netdevs[0].nr_rxq = 1;	/* its other 15 are not counted */
		mq_diag_clear(&d);
		ck_assert_int_eq(mq_place_each(m, per, &pl, &d), 0);
		m->netdevs[0].nr_rxq = 16;	/* so that all 16 are freed */
		ck_assert_uint_eq(pl.devs[1].chan_want.combined, 15);
		mq_placement_fini(&pl);
	}
	mq_machine_free(m);
}
END_TEST

/* NICs on different nodes: each its node's CPUs; no node: every CPU. */
START_TEST(test_nodes_and_no_node)
{
	struct mq_machine *m = mb_machine(16, 2, 1);	/* 0-7, 8-15 */
	struct mq_placement pl;
	struct mq_policy p;

	ch_nic(m, "eth0", 2, 64, 0);
	ch_nic(m, "eth1", 2, 64, 1);
	ch_nic(m, "eth2", 2, 64, -1);
	ch_policy(&p, MQ_CHANNELS_AUTO, 0);
	ch_place(m, &p, &pl);
	ck_assert_uint_eq(pl.devs[0].chan_want.combined, 8);
	ck_assert_uint_eq(pl.devs[1].chan_want.combined, 8);
	ck_assert_uint_eq(pl.devs[2].chan_want.combined, 16);
	ck_assert_ptr_null(ch_warning(&pl, "channels-shared"));
	mq_placement_fini(&pl);

	/* isolated CPUs are not in any pool */
	mb_isolate(m, "4-7");
	ch_place(m, &p, &pl);
	ck_assert_uint_eq(pl.devs[0].chan_want.combined, 4);
	ck_assert_uint_eq(pl.devs[2].chan_want.combined, 12);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_set_keep_and_unchangeable)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_placement pl;
	struct mq_policy p;
	struct mq_diag d;
	const struct mq_warning *w;

	ch_nic(m, "eth0", 4, 16, 0);
	ch_policy(&p, MQ_CHANNELS_SET, 12);
	ch_place(m, &p, &pl);
	ck_assert(pl.devs[0].chan_change);
	ck_assert_uint_eq(pl.devs[0].chan_want.combined, 12);
	/* more queues than CPUs on request: said, without advice to reduce */
	ck_assert_ptr_null(ch_warning(&pl, "queues-share-cores"));
	mq_placement_fini(&pl);

	ch_policy(&p, MQ_CHANNELS_SET, 17);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_place(m, &p, &pl, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_USAGE);
	ck_assert_str_eq(d.msg, "eth0: --channels 17 is more than the 16 combined "
			 "channels its driver allows");

	ch_policy(&p, MQ_CHANNELS_KEEP, 0);
	ch_place(m, &p, &pl);
	ck_assert(!pl.devs[0].chan_change);
	ck_assert_uint_eq(pl.devs[0].nr_active_rx, 4);
	mq_placement_fini(&pl);

	/* counted from sysfs (a snapshot): left, N said not applied */
	m->netdevs[0].channels.source = MQ_CHAN_SYSFS;
	ch_policy(&p, MQ_CHANNELS_SET, 2);
	ch_place(m, &p, &pl);
	ck_assert(!pl.devs[0].chan_change);
	w = ch_warning(&pl, "channels-unchangeable");
	ck_assert_msg(w && strstr(w->message, "eth0: --channels 2 not applied: "
				  "counted from the queue directories"),
		      "%s", w ? w->message : "none");
	mq_placement_fini(&pl);

	/* combined and separate channels in use: left as they are */
	m->netdevs[0].channels.source = MQ_CHAN_NETLINK;
	m->netdevs[0].channels.rx = 2;
	m->netdevs[0].channels.max_rx = 2;
	ch_policy(&p, MQ_CHANNELS_AUTO, 0);
	ch_place(m, &p, &pl);
	ck_assert(!pl.devs[0].chan_change);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* A driver with rx and tx channels (veth): both move, tx to its maximum. */
START_TEST(test_rx_tx_channels)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "v0", 8, 8, MB_VEC_NONE, 0, -1, -1);
	struct mq_placement pl;
	struct mq_policy p;
	char buf[48];

	dev->channels.source = MQ_CHAN_NETLINK;
	dev->channels.combined = dev->channels.max_combined = 0;
	dev->channels.max_rx = dev->channels.rx = 8;
	dev->channels.max_tx = 3;
	dev->channels.tx = 3;
	ch_policy(&p, MQ_CHANNELS_AUTO, 0);
	ch_place(m, &p, &pl);
	ck_assert(pl.devs[0].chan_change);
	ck_assert_uint_eq(pl.devs[0].chan_want.rx, 4);
	ck_assert_uint_eq(pl.devs[0].chan_want.tx, 3);
	ck_assert_uint_eq(pl.devs[0].chan_want.combined, 0);
	ck_assert_str_eq(mq_channels_text(&pl.devs[0].chan_want, buf, sizeof(buf)),
			 "rx 4 tx 3");
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_state_text)
{
	static const char *const bad[] = {
		"", "rx 1 tx 2 other 0", "rx +1 tx 2 other 0 combined 8",
		"rx 1 tx 2 other 0 combined 8 ", "rx 1  tx 2 other 0 combined 8",
		"combined 8", "rx 1 tx 2 other 0 combined 99999999999",
	};
	struct mq_channels ch = { .rx = 1, .tx = 2, .other = 1, .combined = 8 }, got;
	char buf[96];
	size_t i;

	ck_assert_str_eq(mq_channels_state_text(&ch, buf, sizeof(buf)),
			 "rx 1 tx 2 other 1 combined 8");
	memset(&got, 0, sizeof(got));
	ck_assert_int_eq(mq_channels_parse_state(buf, &got), 0);
	ck_assert(mq_channels_equal(&got, &ch));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mq_channels_parse_state(bad[i], &got) == -1,
			      "accepted '%s'", bad[i]);
}
END_TEST

static struct mq_plan ch_plan(const struct mq_machine *m,
			      const struct mq_placement *pl)
{
	struct mq_plan plan;
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_msg(mq_plan_build(m, pl, &plan, &d) == 0, "%s", d.msg);
	return plan;
}

/*
 * The dry run's machine: the planned queues, no vectors yet; placed
 * again it plans no channel change, and no IRQ write for the changed one.
 */
START_TEST(test_projection)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_placement pl, again;
	struct mq_projection proj;
	struct mq_policy p;
	struct mq_plan plan;
	struct mq_diag d;
	const struct mq_netdev *pd;
	size_t i;

	ch_nic(m, "eth0", 2, 16, 0);
	ch_policy(&p, MQ_CHANNELS_AUTO, 0);
	ch_place(m, &p, &pl);
	ck_assert(mq_placement_changes_channels(&pl));
	plan = ch_plan(m, &pl);
	ck_assert_uint_gt(plan.nr, 0);
	ck_assert_int_eq(plan.changes[0].target, MQ_T_CHANNELS);
	ck_assert_str_eq(plan.changes[0].object, "eth0 channels");
	ck_assert_str_eq(plan.changes[0].old_display, "combined 2");
	ck_assert_str_eq(plan.changes[0].new_display, "combined 8");
	ck_assert_str_eq(plan.changes[0].saved, "rx 0 tx 0 other 0 combined 2");
	ck_assert_ptr_nonnull(plan.changes[0].step);
	ck_assert_uint_eq(plan.changes[0].step->chan_want.combined, 8);
	ck_assert_uint_eq(plan.changes[0].step->chan_saved.combined, 2);
	mq_plan_fini(&plan);

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_project_channels(m, &pl, &proj, &d), 0);
	pd = &proj.m.netdevs[0];
	ck_assert_uint_eq(pd->nr_rxq, 8);
	ck_assert_uint_eq(pd->nr_txq, 8);
	ck_assert_uint_eq(pd->nr_irqs, 0);
	ck_assert(pd->irqs_after_change);
	ck_assert(pd->channels_changed);
	ck_assert(mq_cpuset_empty(&pd->rxq[7].rps_cpus));
	ck_assert_int_eq(pd->rxq[7].rps_flow_cnt, 0);
	ck_assert_ptr_eq(pd->rxq[0].rps_raw, m->netdevs[0].rxq[0].rps_raw);
	ch_place(&proj.m, &p, &again);
	ck_assert(!mq_placement_changes_channels(&again));
	for (i = 0; i < 8; i++)		/* every queue its own CPU */
		ck_assert_int_eq(again.devs[0].home[i], (int)i);
	plan = ch_plan(&proj.m, &again);
	for (i = 0; i < plan.nr; i++)
		ck_assert_int_ne(plan.changes[i].target, MQ_T_IRQ_AFFINITY);
	mq_plan_fini(&plan);
	mq_placement_fini(&again);
	mq_projection_fini(&proj);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Shrinking below a queue the RSS table names: the table goes first. */
START_TEST(test_rss_before_shrink)
{
	struct mq_machine *m = mb_machine(2, 1, 1);
	struct mq_netdev *dev = ch_nic(m, "eth0", 4, 8, 0);
	struct mq_placement pl;
	struct mq_projection proj;
	struct mq_policy p;
	struct mq_plan plan;
	struct mq_diag d;
	uint32_t i;

	dev->rss.source = MQ_RSS_SRC_IOCTL;
	dev->rss.size = 16;
	dev->rss.table = calloc(16, sizeof(uint32_t));
	ck_assert_ptr_nonnull(dev->rss.table);
	for (i = 0; i < 16; i++)
		dev->rss.table[i] = i % 4;
	ck_assert(mq_rss_blocks_shrink(dev, 2));
	ck_assert(!mq_rss_blocks_shrink(dev, 4));
	ch_policy(&p, MQ_CHANNELS_AUTO, 0);
	ch_place(m, &p, &pl);
	plan = ch_plan(m, &pl);
	ck_assert_uint_ge(plan.nr, 2);
	ck_assert_int_eq(plan.changes[0].target, MQ_T_RSS);
	ck_assert_int_eq(plan.changes[1].target, MQ_T_CHANNELS);
	/* a reset (size 0): then the kernel refuses no shrink */
	ck_assert_uint_eq(plan.changes[0].step->rss_size, 0);
	ck_assert_ptr_null(plan.changes[0].step->rss_want);
	ck_assert_uint_eq(plan.changes[0].step->rss_saved_size, 16);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(plan.changes[0].step->rss_saved[i], i % 4);
	ck_assert_int_eq(plan.changes[0].step->transport, MQ_ETHTOOL_IOCTL);
	mq_plan_fini(&plan);

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_project_channels(m, &pl, &proj, &d), 0);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(proj.m.netdevs[0].rss.table[i], i % 2);
	mq_projection_fini(&proj);
	mq_placement_fini(&pl);

	/* --rss keep: the same reset */
	p.rss = MQ_RSS_KEEP;
	ch_place(m, &p, &pl);
	plan = ch_plan(m, &pl);
	ck_assert_int_eq(plan.changes[0].target, MQ_T_RSS);
	ck_assert_uint_eq(plan.changes[0].step->rss_size, 0);
	ck_assert_ptr_null(plan.changes[0].step->rss_want);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* After a failed run: the re-created vectors by name, queues by index. */
START_TEST(test_put_back)
{
	struct mq_machine *before = mb_machine(4, 1, 1);
	struct mq_machine *now = mb_machine(4, 1, 1);
	struct mq_netdev *a = mb_netdev(before, "eth0", 2, 2, MB_VEC_COMBINED, 0, 0, -1);
	struct mq_netdev *b = mb_netdev(now, "eth0", 2, 2, MB_VEC_COMBINED, 0, 0, -1);
	const char *names[] = { "eth0" };
	struct mq_plan plan;
	struct mq_diag d;

	free(a->irqs[1].affinity_raw);
	a->irqs[1].affinity_raw = strdup("3\n");
	mq_cpuset_zero(&a->irqs[1].affinity);
	mq_cpuset_set(&a->irqs[1].affinity, 3);
	b->irqs[1].irq += 100;		/* a new number, the same name */
	free(a->rxq[1].rps_raw);
	a->rxq[1].rps_raw = strdup("4\n");
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_plan_put_back(before, now, names, 1, &plan, &d), 0);
	ck_assert_uint_eq(plan.nr, 2);
	ck_assert_int_eq(plan.changes[0].target, MQ_T_IRQ_AFFINITY);
	ck_assert_uint_eq(plan.changes[0].index, 1);
	ck_assert_str_eq(plan.changes[0].value, "3\n");
	ck_assert_int_eq(plan.changes[1].target, MQ_T_RPS_CPUS);
	ck_assert_str_eq(plan.changes[1].path, "/sys/class/net/eth0/queues/rx-1/rps_cpus");
	ck_assert_str_eq(plan.changes[1].value, "4\n");
	mq_plan_fini(&plan);
	mq_machine_free(before);
	mq_machine_free(now);
}
END_TEST

Suite *channels_suite(void)
{
	Suite *s = suite_create("channels");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_sum_is_min_of_max_and_cpus, 0, 5);
	tcase_add_test(tc, test_nics_on_one_node_share_it);
	tcase_add_test(tc, test_nodes_and_no_node);
	tcase_add_test(tc, test_set_keep_and_unchangeable);
	tcase_add_test(tc, test_rx_tx_channels);
	tcase_add_test(tc, test_state_text);
	tcase_add_test(tc, test_projection);
	tcase_add_test(tc, test_rss_before_shrink);
	tcase_add_test(tc, test_put_back);
	suite_add_tcase(s, tc);
	return s;
}
