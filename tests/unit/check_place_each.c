/*
 * check_place_each.c - the machine-wide placement (issue 8): per-interface
 * policies and how the machine-wide sysctls combine, interfaces sharing
 * one function's vectors, and the part of the plan one run applies.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "model_builder.h"

Suite *place_each_suite(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void policy_auto(struct mq_policy *p)
{
	memset(p, 0, sizeof(*p));
	/* the queues the model has: --channels is tested on its own */
	p->channels = MQ_CHANNELS_KEEP;
	p->rps = MQ_STEER_AUTO;
	p->xps = MQ_STEER_AUTO;
	p->backlog = MQ_BACKLOG_AUTO;
}

struct combine_case {
	int64_t speed0, speed1;
	enum mq_backlog_mode mode0, mode1;
	int64_t value0, value1;
	int64_t cur;
	int64_t want;		/* pl.backlog */
};

static const struct combine_case combine_cases[] = {
	/* the highest target any interface asks for */
	{ 10000, 40000, MQ_BACKLOG_AUTO, MQ_BACKLOG_AUTO, 0, 0, 1000, 250000 },
	/* keep = no opinion: the other interface decides */
	{ 10000, 40000, MQ_BACKLOG_AUTO, MQ_BACKLOG_KEEP, 0, 0, 1000, 30000 },
	{ 10000, 40000, MQ_BACKLOG_KEEP, MQ_BACKLOG_KEEP, 0, 0, 1000, -1 },
	/* a number is one more target; with one, the result is exact */
	{ 10000, 1000, MQ_BACKLOG_AUTO, MQ_BACKLOG_SET, 0, 5000, 1000, 30000 },
	{ 10000, 1000, MQ_BACKLOG_AUTO, MQ_BACKLOG_SET, 0, 50000, 1000, 50000 },
	{ 10000, 1000, MQ_BACKLOG_AUTO, MQ_BACKLOG_SET, 0, 5000, 90000, 30000 },
	{ 10000, 1000, MQ_BACKLOG_KEEP, MQ_BACKLOG_SET, 0, 5000, 90000, 5000 },
	/* auto alone never lowers */
	{ 10000, 1000, MQ_BACKLOG_AUTO, MQ_BACKLOG_KEEP, 0, 0, 90000, -1 },
};

START_TEST(test_backlog_combines)
{
	const struct combine_case *c = &combine_cases[_i];
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_policy p0, p1;
	const struct mq_policy *per_dev[2] = { &p0, &p1 };
	struct mq_placement pl;
	struct mq_diag d;

	policy_auto(&p0);
	policy_auto(&p1);
	p0.backlog = c->mode0;
	p0.backlog_value = c->value0;
	p1.backlog = c->mode1;
	p1.backlog_value = c->value1;
	m->sysctls.netdev_max_backlog = c->cur;
	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 1, 0, c->speed0);
	mb_netdev(m, "eth1", 2, 2, MB_VEC_COMBINED, 1, 0, c->speed1);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_place_each(m, per_dev, &pl, &d), 0);
	ck_assert_msg(pl.backlog == c->want, "case %d: backlog %lld, want %lld",
		      _i, (long long)pl.backlog, (long long)c->want);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Each interface under its own policy: --cpus of one does not bind the other. */
START_TEST(test_policy_per_interface)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_policy p0, p1;
	const struct mq_policy *per_dev[2] = { &p0, &p1 };
	struct mq_cpuset only;
	struct mq_placement pl;
	struct mq_diag d;
	size_t q;

	policy_auto(&p0);
	policy_auto(&p1);
	mb_cpuset(&only, 8, "6-7");
	p1.only_cpus = &only;
	p1.rps = MQ_STEER_KEEP;
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 0, 0, 10000);
	mb_netdev(m, "eth1", 2, 2, MB_VEC_COMBINED, 0, 0, 10000);
	ck_assert_int_eq(mq_place_each(m, per_dev, &pl, &d), 0);
	for (q = 0; q < 4; q++)
		ck_assert_int_eq(pl.devs[0].home[q], (int)q);
	ck_assert_int_eq(pl.devs[1].home[0], 6);
	ck_assert_int_eq(pl.devs[1].home[1], 7);
	ck_assert_ptr_nonnull(pl.devs[0].rps);
	ck_assert_ptr_null(pl.devs[1].rps);	/* keep */
	mq_placement_fini(&pl);
	mq_cpuset_fini(&only);
	mq_machine_free(m);
}
END_TEST

/* Two ports of one function: the same IRQ numbers in both netdevs. */
static struct mq_machine *dual_port(size_t nq)
{
	struct mq_machine *m = mb_machine(16, 1, 2);
	struct mq_netdev *a, *b;
	size_t k;

	mb_netdev(m, "eth0", nq, nq, MB_VEC_COMBINED, 1, 0, 40000);
	b = mb_netdev(m, "eth1", nq, nq, MB_VEC_COMBINED, 1, 0, 40000);
	a = &m->netdevs[0];
	for (k = 0; k < b->nr_irqs; k++)
		b->irqs[k].irq = a->irqs[k].irq;
	return m;
}

START_TEST(test_shared_vectors_placed_once)
{
	struct mq_machine *m = dual_port(4);
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_plan plan;
	struct mq_diag d;
	const struct mq_warning *w;
	size_t q, c, irq_changes = 0;

	policy_auto(&p);
	ck_assert_int_eq(mq_place(m, &p, &pl, &d), 0);
	ck_assert_int_eq(pl.devs[0].shares_with, -1);
	ck_assert_int_eq(pl.devs[1].shares_with, 0);
	for (q = 0; q < 4; q++) {
		int i0 = m->netdevs[0].rxq[q].irq, i1 = m->netdevs[1].rxq[q].irq;

		ck_assert_int_eq(pl.devs[1].home[q], pl.devs[0].home[q]);
		ck_assert_int_eq(pl.devs[1].irq_cpu[i1], pl.devs[0].irq_cpu[i0]);
		ck_assert(pl.devs[1].home_why[q] & MQ_HOME_SHARED_VECTOR);
		ck_assert(!(pl.devs[0].home_why[q] & MQ_HOME_SHARED_VECTOR));
	}
	w = mq_warnings_find(&pl.warnings, "shared-vectors");
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(w->object, "eth1");
	ck_assert_ptr_null(mq_warnings_find(&pl.warnings, "shared-homes"));
	ck_assert_int_eq(mq_plan_build(m, &pl, &plan, &d), 0);
	for (c = 0; c < plan.nr; c++)
		irq_changes += plan.changes[c].target == MQ_T_IRQ_AFFINITY;
	ck_assert_uint_eq(irq_changes, 4);	/* once, not twice */
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/*
 * The part of one interface: its changes and the sysctls only, its
 * warnings and the machine-wide ones; the same values as the whole plan.
 */
START_TEST(test_part_of_the_plan)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	bool sel[3] = { false, true, false };
	struct mq_policy p;
	struct mq_placement pl;
	struct mq_part part;
	struct mq_plan whole, plan;
	struct mq_diag d;
	size_t c, k, sysctls = 0;

	policy_auto(&p);
	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 0, 10000);
	mb_netdev(m, "eth1", 8, 8, MB_VEC_COMBINED, 1, 0, 10000);
	mb_netdev(m, "eth2", 16, 16, MB_VEC_COMBINED, 1, 0, 10000);
	ck_assert_int_eq(mq_place(m, &p, &pl, &d), 0);
	ck_assert_int_eq(mq_part_make(m, &pl, sel, &part, &d), 0);
	ck_assert_uint_eq(part.m.nr_netdevs, 1);
	ck_assert_uint_eq(part.index[0], 1);
	ck_assert_str_eq(part.m.netdevs[0].name, "eth1");
	ck_assert_int_eq(part.pl.devs[0].home[0], pl.devs[1].home[0]);
	ck_assert_int_eq(mq_plan_build(&part.m, &part.pl, &plan, &d), 0);
	ck_assert_int_eq(mq_plan_build(m, &pl, &whole, &d), 0);
	for (c = 0; c < plan.nr; c++) {
		const struct mq_change *ch = &plan.changes[c];
		bool found = false;

		if (ch->target == MQ_T_SYSCTL) {
			sysctls++;
			continue;
		}
		ck_assert_int_eq(ch->dev, 0);
		ck_assert_msg(strncmp(ch->object, "eth1 ", 5) == 0, "%s", ch->object);
		for (k = 0; k < whole.nr && !found; k++)
			found = strcmp(whole.changes[k].path, ch->path) == 0 &&
				strcmp(whole.changes[k].value, ch->value) == 0;
		ck_assert_msg(found, "%s not in the whole plan", ch->path);
	}
	ck_assert_uint_gt(sysctls, 0);
	/* eth2's warning (16 queues on 8 CPUs) is not in the part */
	ck_assert_ptr_nonnull(mq_warnings_find(&pl.warnings, "queues-share-cores"));
	ck_assert_ptr_null(mq_warnings_find(&part.pl.warnings, "queues-share-cores"));
	mq_plan_fini(&plan);
	mq_plan_fini(&whole);
	mq_part_fini(&part);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

Suite *place_each_suite(void)
{
	Suite *s = suite_create("place_each");
	TCase *tc = tcase_create("place_each");

	tcase_add_loop_test(tc, test_backlog_combines, 0,
			    (int)ARRAY_SIZE(combine_cases));
	tcase_add_test(tc, test_policy_per_interface);
	tcase_add_test(tc, test_shared_vectors_placed_once);
	tcase_add_test(tc, test_part_of_the_plan);
	suite_add_tcase(s, tc);
	return s;
}
