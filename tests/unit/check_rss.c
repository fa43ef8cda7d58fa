/*
 * check_rss.c - the RSS indirection table: the equal spread, shares, the
 * compact text, what --rss decides (through mq_place, as place_device
 * calls it) and the MQ_T_RSS change of the plan.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/render.h"
#include "mqtune/rss.h"
#include "model_builder.h"

#include <json-c/json.h>

Suite *rss_suite(void);

/* ---- pure helpers ---- */

START_TEST(test_equal_fill)
{
	uint32_t t[10];
	uint32_t i;

	mq_rss_equal_fill(t, 10, 4);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(t[i], i % 4);
	ck_assert(mq_rss_is_equal(t, 10, 4));
	ck_assert(!mq_rss_is_equal(t, 10, 3));
	ck_assert(!mq_rss_is_equal(t, 10, 5));
	/* one queue (and 0, taken as 1): every entry is queue 0 */
	mq_rss_equal_fill(t, 10, 1);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(t[i], 0);
	ck_assert(mq_rss_is_equal(t, 10, 1));
	mq_rss_equal_fill(t, 10, 0);
	ck_assert(mq_rss_is_equal(t, 10, 1));
	/* same shares in another order is not the equal spread */
	{
		uint32_t blocks[4] = { 0, 0, 1, 1 };

		ck_assert(!mq_rss_is_equal(blocks, 4, 2));
	}
}
END_TEST

START_TEST(test_max_and_shares)
{
	/* ethtool -X eth0 weight 2 1 1 1 on an 8-entry table */
	uint32_t t[8] = { 0, 0, 0, 0, 1, 1, 2, 3 };
	struct mq_rss rss = { .source = MQ_RSS_SRC_NETLINK, .size = 8, .table = t };
	struct mq_rss none = { .source = MQ_RSS_SRC_NETLINK, .unsupported = true };
	uint32_t count[6];

	ck_assert_uint_eq(mq_rss_max_queue(&rss), 3);
	ck_assert_uint_eq(mq_rss_max_queue(&none), 0);
	mq_rss_shares(t, 8, count, 6);
	ck_assert_uint_eq(count[0], 4);
	ck_assert_uint_eq(count[1], 2);
	ck_assert_uint_eq(count[2], 1);
	ck_assert_uint_eq(count[3], 1);
	ck_assert_uint_eq(count[4], 0);
	ck_assert_uint_eq(count[5], 0);
	/* entries past the array are not counted (nor written) */
	memset(count, 0xff, sizeof(count));
	mq_rss_shares(t, 8, count, 2);
	ck_assert_uint_eq(count[0], 4);
	ck_assert_uint_eq(count[1], 2);
	ck_assert_uint_eq(count[2], 0xffffffffu);
}
END_TEST

START_TEST(test_format)
{
	uint32_t eq[128], weird[6] = { 0, 0, 3, 3, 3, 0 }, big[40];
	char buf[MQ_RSS_TEXT_MAX], tiny[8];
	uint32_t i;

	mq_rss_equal_fill(eq, 128, 4);
	ck_assert_str_eq(mq_rss_format(eq, 128, buf, sizeof(buf)),
			 "0-3 equal (128)");
	mq_rss_equal_fill(eq, 128, 1);
	ck_assert_str_eq(mq_rss_format(eq, 128, buf, sizeof(buf)),
			 "0 equal (128)");
	ck_assert_str_eq(mq_rss_format(weird, 6, buf, sizeof(buf)),
			 "0:3 3:3 (6)");
	ck_assert_str_eq(mq_rss_format(NULL, 0, buf, sizeof(buf)), "-");
	{	/* a queue number no kernel gives: still quick, still right */
		uint32_t huge[3] = { 4000000000u, 0, 4000000000u };

		ck_assert_str_eq(mq_rss_format(huge, 3, buf, sizeof(buf)),
				 "0:1 4000000000:2 (3)");
	}
	/* more queues than are listed: the count says how many */
	for (i = 0; i < 40; i++)
		big[i] = i < 20 ? 0 : i;
	ck_assert_str_eq(mq_rss_format(big, 40, buf, sizeof(buf)),
			 "0:20 20:1 21:1 22:1 23:1 24:1 25:1 26:1 27:1 28:1 29:1 "
			 "30:1 31:1 32:1 33:1 34:1 ... 21 queues (40)");
	/* a small buffer is cut, still terminated */
	mq_rss_format(weird, 6, tiny, sizeof(tiny));
	ck_assert_uint_lt(strlen(tiny), sizeof(tiny));
	ck_assert_str_eq(mq_rss_src_name(MQ_RSS_SRC_NETLINK), "netlink");
	ck_assert_str_eq(mq_rss_src_name(MQ_RSS_SRC_IOCTL), "ioctl");
	ck_assert_str_eq(mq_rss_src_name(MQ_RSS_SRC_NONE), "none");
}
END_TEST

/* The state file's text of a table, and back; anything else refused. */
START_TEST(test_state_text)
{
	static const char *const bad[] = {
		"", "\n", "0", "0 1", "0  1\n", " 0\n", "01\n", "0 1 \n",
		"0 1\n\n", "0 1\nx", "65536\n", "-1\n", "1 x\n", "+1\n",
		"0\t1\n", "4294967296\n", "99999999999\n",
	};
	uint32_t t[] = { 0, 1, 2, 65535, 10 }, *back, size, *big;
	char *text;
	size_t i, n;

	text = mq_rss_state_text(t, 5);
	ck_assert_str_eq(text, "0 1 2 65535 10\n");
	ck_assert_int_eq(mq_rss_parse_state(text, &back, &size), 0);
	ck_assert_uint_eq(size, 5);
	ck_assert_mem_eq(back, t, sizeof(t));
	free(back);
	free(text);
	ck_assert_ptr_null(mq_rss_state_text(t, 0));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(mq_rss_parse_state(bad[i], &back, &size) == -1,
			      "'%s' was taken", bad[i]);
		ck_assert_ptr_null(back);
		ck_assert_uint_eq(size, 0);
	}
	/* the largest table there is, and one entry more */
	n = MQ_RSS_STATE_MAX + 1;
	big = malloc(n * sizeof(*big));
	ck_assert_ptr_nonnull(big);
	for (i = 0; i < n; i++)
		big[i] = (uint32_t)(i % 7);
	text = mq_rss_state_text(big, (uint32_t)(n - 1));
	ck_assert_int_eq(mq_rss_parse_state(text, &back, &size), 0);
	ck_assert_uint_eq(size, MQ_RSS_STATE_MAX);
	ck_assert_mem_eq(back, big, (n - 1) * sizeof(*big));
	free(back);
	free(text);
	text = mq_rss_state_text(big, (uint32_t)n);
	ck_assert_int_eq(mq_rss_parse_state(text, &back, &size), -1);
	free(text);
	free(big);
}
END_TEST

/* ---- the decision, through mq_place ---- */

/* A machine of 8 CPUs with eth0 of @nrx queues and a table of @size
 * entries copied from @table (NULL: no table, unsupported). */
static struct mq_machine *rs_machine(size_t nrx, const uint32_t *table,
				     uint32_t size)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", nrx, nrx, MB_VEC_COMBINED,
					  0, 0, 10000);

	dev->rss.source = MQ_RSS_SRC_NETLINK;
	if (!table) {
		dev->rss.unsupported = true;
		return m;
	}
	dev->rss.table = malloc(size * sizeof(uint32_t));
	ck_assert_ptr_nonnull(dev->rss.table);
	memcpy(dev->rss.table, table, size * sizeof(uint32_t));
	dev->rss.size = size;
	return m;
}

static void rs_place(const struct mq_machine *m, enum mq_rss_mode mode,
		     struct mq_placement *pl)
{
	struct mq_policy p;
	struct mq_diag d;

	memset(&p, 0, sizeof(p));
	p.rps = MQ_STEER_AUTO;
	p.xps = MQ_STEER_AUTO;
	p.backlog = MQ_BACKLOG_AUTO;
	p.rss = mode;
	mq_diag_clear(&d);
	ck_assert_msg(mq_place(m, &p, pl, &d) == 0, "mq_place: %s", d.msg);
}

static void assert_equal_want(const struct mq_dev_placement *dp,
			      uint32_t size, uint32_t n)
{
	ck_assert_ptr_nonnull(dp->rss_want);
	ck_assert(mq_rss_is_equal(dp->rss_want, size, n));
	ck_assert_ptr_nonnull(dp->rss_reason);
}

/* virtio_net after `ethtool -L eth0 combined 2`: the table still names
 * queues 2 and 3, which no longer receive. */
START_TEST(test_auto_points_past_active)
{
	uint32_t t[128];
	struct mq_machine *m;
	struct mq_placement pl;

	mq_rss_equal_fill(t, 128, 4);
	m = rs_machine(2, t, 128);
	rs_place(m, MQ_RSS_AUTO, &pl);
	ck_assert_uint_eq(pl.devs[0].nr_active_rx, 2);
	assert_equal_want(&pl.devs[0], 128, 2);
	ck_assert_str_eq(pl.devs[0].rss_reason,
			 "it names rx queues that are not active");
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* An operator's weights over the active queues survive auto. */
START_TEST(test_auto_keeps_uneven)
{
	uint32_t t[8] = { 0, 0, 0, 0, 1, 1, 2, 3 };
	struct mq_machine *m = rs_machine(4, t, 8);
	struct mq_placement pl;

	rs_place(m, MQ_RSS_AUTO, &pl);
	ck_assert_ptr_null(pl.devs[0].rss_want);
	ck_assert_ptr_nonnull(pl.devs[0].rss_reason);
	ck_assert_ptr_nonnull(strstr(pl.devs[0].rss_reason, "kept"));
	mq_placement_fini(&pl);
	/* ... but not --rss equal */
	rs_place(m, MQ_RSS_EQUAL, &pl);
	assert_equal_want(&pl.devs[0], 8, 4);
	ck_assert_str_eq(pl.devs[0].rss_reason, "--rss equal");
	mq_placement_fini(&pl);
	/* ... and never --rss keep */
	rs_place(m, MQ_RSS_KEEP, &pl);
	ck_assert_ptr_null(pl.devs[0].rss_want);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* After the run's channel change (its second phase) auto spreads even an
 * uneven table over the active queues. */
START_TEST(test_auto_channels_changed)
{
	uint32_t t[8] = { 0, 0, 0, 0, 1, 1, 2, 3 };
	struct mq_machine *m = rs_machine(4, t, 8);
	struct mq_placement pl;

	m->netdevs[0].channels_changed = true;
	rs_place(m, MQ_RSS_AUTO, &pl);
	assert_equal_want(&pl.devs[0], 8, 4);
	ck_assert_str_eq(pl.devs[0].rss_reason, "the channel count changes");
	mq_placement_fini(&pl);
	rs_place(m, MQ_RSS_KEEP, &pl);
	ck_assert_ptr_null(pl.devs[0].rss_want);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* Already the equal spread: nothing to write, in any mode. */
START_TEST(test_equal_already)
{
	uint32_t t[64];
	struct mq_machine *m;
	struct mq_placement pl;
	enum mq_rss_mode mode;

	mq_rss_equal_fill(t, 64, 4);
	m = rs_machine(4, t, 64);
	for (mode = MQ_RSS_AUTO; mode <= MQ_RSS_KEEP; mode++) {
		rs_place(m, mode, &pl);
		ck_assert_ptr_null(pl.devs[0].rss_want);
		mq_placement_fini(&pl);
	}
	m->netdevs[0].channels_changed = true;
	rs_place(m, MQ_RSS_AUTO, &pl);
	ck_assert_ptr_null(pl.devs[0].rss_want);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* One active queue: the equal table is all zeros. */
START_TEST(test_one_queue)
{
	uint32_t t[16];
	struct mq_machine *m;
	struct mq_placement pl;
	uint32_t i;

	mq_rss_equal_fill(t, 16, 2);
	m = rs_machine(1, t, 16);
	rs_place(m, MQ_RSS_AUTO, &pl);
	ck_assert_ptr_nonnull(pl.devs[0].rss_want);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(pl.devs[0].rss_want[i], 0);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* No table: not an error; a note only when it tells something. */
START_TEST(test_no_table)
{
	struct mq_machine *m = rs_machine(4, NULL, 0);
	struct mq_placement pl;

	rs_place(m, MQ_RSS_AUTO, &pl);
	ck_assert_ptr_null(pl.devs[0].rss_want);
	ck_assert_ptr_null(mq_warnings_find(&pl.warnings, "no-rss-table"));
	mq_placement_fini(&pl);
	rs_place(m, MQ_RSS_EQUAL, &pl);
	ck_assert_ptr_null(pl.devs[0].rss_want);
	ck_assert_ptr_nonnull(mq_warnings_find(&pl.warnings, "no-rss-table"));
	/* the note is the interface's */
	ck_assert_uint_eq(pl.devs[0].warn_end - pl.devs[0].warn_first, 1);
	mq_placement_fini(&pl);
	/* not read at all (a sysroot): nothing to say */
	m->netdevs[0].rss.source = MQ_RSS_SRC_NONE;
	m->netdevs[0].rss.unsupported = false;
	rs_place(m, MQ_RSS_EQUAL, &pl);
	ck_assert_ptr_null(pl.devs[0].rss_want);
	ck_assert_ptr_null(pl.devs[0].rss_reason);
	ck_assert_ptr_null(mq_warnings_find(&pl.warnings, "no-rss-table"));
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* ---- the plan ---- */

static void rs_build(const struct mq_machine *m, const struct mq_placement *pl,
		     struct mq_plan *plan)
{
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_msg(mq_plan_build(m, pl, plan, &d) == 0, "plan: %s", d.msg);
}

static const struct mq_change *find_rss(const struct mq_plan *plan,
					size_t *at)
{
	size_t i;

	for (i = 0; i < plan->nr; i++)
		if (plan->changes[i].target == MQ_T_RSS) {
			if (at)
				*at = i;
			return &plan->changes[i];
		}
	return NULL;
}

START_TEST(test_plan_rss_change)
{
	uint32_t t[128];
	struct mq_machine *m;
	struct mq_placement pl;
	struct mq_plan plan;
	const struct mq_change *c;
	size_t at = 0, i;

	mq_rss_equal_fill(t, 128, 4);
	m = rs_machine(2, t, 128);
	m->netdevs[0].ifindex = 7;
	rs_place(m, MQ_RSS_AUTO, &pl);
	rs_build(m, &pl, &plan);
	c = find_rss(&plan, &at);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->object, "eth0 rss");
	ck_assert_str_eq(c->path, "");
	ck_assert_int_eq(c->dev, 0);
	ck_assert_str_eq(c->old_display, "0-3 equal (128)");
	ck_assert_str_eq(c->new_display, "0-1 equal (128)");
	/* the state file's text of the table replaced (the journal's entry) */
	ck_assert_ptr_nonnull(c->saved);
	{
		uint32_t *back, size;

		ck_assert_int_eq(mq_rss_parse_state(c->saved, &back, &size), 0);
		ck_assert_uint_eq(size, 128);
		ck_assert(mq_rss_is_equal(back, 128, 4));
		ck_assert(strncmp(c->saved, "0 1 2 3 0 1 ", 12) == 0);
		free(back);
	}
	ck_assert_uint_eq(c->saved_len, strlen(c->saved));
	ck_assert_ptr_nonnull(c->step);
	ck_assert_str_eq(c->step->ifname, "eth0");
	ck_assert_int_eq(c->step->ifindex, 7);
	ck_assert_int_eq(c->step->transport, MQ_ETHTOOL_AUTO);
	/* the equal spread over the active queues goes as a reset (0): the
	 * driver's default, which the kernel does not count as set by a user */
	ck_assert_uint_eq(c->step->rss_size, 0);
	ck_assert_uint_eq(c->step->rss_saved_size, 128);
	ck_assert(mq_rss_is_equal(c->step->rss_want, 128, 2));
	ck_assert(mq_rss_is_equal(c->step->rss_saved, 128, 4));
	/* the step owns copies, not the model's or the placement's table */
	ck_assert_ptr_ne(c->step->rss_saved, m->netdevs[0].rss.table);
	ck_assert_ptr_ne(c->step->rss_want, pl.devs[0].rss_want);
	/* order: the table before the interface's IRQs and queue files */
	for (i = 0; i < at; i++)
		ck_assert_int_ne(plan.changes[i].dev, 0);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);

	/* the ioctl read it: the ioctl writes it */
	m->netdevs[0].rss.source = MQ_RSS_SRC_IOCTL;
	rs_place(m, MQ_RSS_AUTO, &pl);
	rs_build(m, &pl, &plan);
	c = find_rss(&plan, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->step->transport, MQ_ETHTOOL_IOCTL);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* A rerun after the write finds the equal table: no change. */
START_TEST(test_plan_rss_idempotent)
{
	uint32_t t[128];
	struct mq_machine *m;
	struct mq_placement pl;
	struct mq_plan plan;

	mq_rss_equal_fill(t, 128, 2);
	m = rs_machine(2, t, 128);
	rs_place(m, MQ_RSS_EQUAL, &pl);
	rs_build(m, &pl, &plan);
	ck_assert_ptr_null(find_rss(&plan, NULL));
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
	/* keep: an uneven table pointing past the queues stays too */
	{
		uint32_t past[4] = { 0, 5, 5, 1 };

		m = rs_machine(2, past, 4);
		rs_place(m, MQ_RSS_KEEP, &pl);
		rs_build(m, &pl, &plan);
		ck_assert_ptr_null(find_rss(&plan, NULL));
		mq_plan_fini(&plan);
		mq_placement_fini(&pl);
		mq_machine_free(m);
	}
}
END_TEST

/* ---- rendering ---- */

static char *rs_text(FILE *f, char **buf)
{
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_ptr_nonnull(*buf);
	return *buf;
}

/* show: a line on a live system, the JSON member with every entry. */
START_TEST(test_render_show)
{
	uint32_t t[8] = { 0, 0, 0, 0, 1, 1, 2, 3 };
	struct mq_machine *m = rs_machine(4, t, 8);
	struct json_object *doc, *ifs, *rss, *v;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	m->netdevs[0].rss.source = MQ_RSS_SRC_IOCTL;
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(mq_render_show_text(f, m), 0);
	ck_assert_ptr_nonnull(strstr(rs_text(f, &buf),
				     "\n  rss (ioctl): 0:4 1:2 2:1 3:1 (8)\n"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(mq_render_show_json(f, m, NULL, false), 0);
	doc = json_tokener_parse(rs_text(f, &buf));
	ck_assert_ptr_nonnull(doc);
	ck_assert(json_object_object_get_ex(doc, "interfaces", &ifs));
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(ifs, 0),
					    "rss", &rss));
	ck_assert(json_object_object_get_ex(rss, "source", &v));
	ck_assert_str_eq(json_object_get_string(v), "ioctl");
	ck_assert(json_object_object_get_ex(rss, "size", &v));
	ck_assert_int_eq(json_object_get_int(v), 8);
	ck_assert(json_object_object_get_ex(rss, "table", &v));
	ck_assert_uint_eq(json_object_array_length(v), 8);
	ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(v, 4)), 1);
	ck_assert(json_object_object_get_ex(rss, "shares", &v));
	ck_assert_uint_eq(json_object_array_length(v), 4);
	ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(v, 0)), 4);
	ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(v, 3)), 1);
	ck_assert(json_object_object_get_ex(rss, "text", &v));
	ck_assert_str_eq(json_object_get_string(v), "0:4 1:2 2:1 3:1 (8)");
	json_object_put(doc);
	free(buf);

	/* a snapshot: no line, and null */
	free(m->netdevs[0].rss.table);
	memset(&m->netdevs[0].rss, 0, sizeof(m->netdevs[0].rss));
	buf = NULL;
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(mq_render_show_text(f, m), 0);
	ck_assert_ptr_null(strstr(rs_text(f, &buf), "rss"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(mq_render_show_json(f, m, NULL, false), 0);
	doc = json_tokener_parse(rs_text(f, &buf));
	ck_assert(json_object_object_get_ex(doc, "interfaces", &ifs));
	ck_assert(json_object_object_get_ex(json_object_array_get_idx(ifs, 0),
					    "rss", &rss));
	ck_assert_ptr_null(rss);
	json_object_put(doc);
	free(buf);
	mq_machine_free(m);
}
END_TEST

/* auto: the line "rss: NOW -> PLANNED (why)", the JSON member, check. */
START_TEST(test_render_auto_and_check)
{
	uint32_t t[128];
	struct mq_machine *m;
	struct mq_placement pl;
	struct mq_plan plan;
	struct json_object *doc, *ifs, *rss, *v, *chs;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	bool found = false;

	mq_rss_equal_fill(t, 128, 4);
	m = rs_machine(2, t, 128);
	rs_place(m, MQ_RSS_AUTO, &pl);
	rs_build(m, &pl, &plan);
	{
		struct mq_report rep = { .m = m, .pl = &pl, .plan = &plan,
					 .dry_run = true };
		struct mq_check_report crep = { .m = m, .pl = &pl, .plan = &plan };

		f = open_memstream(&buf, &len);
		ck_assert_int_eq(mq_render_auto_text(f, &rep), 0);
		ck_assert_ptr_nonnull(strstr(rs_text(f, &buf),
			"\n  rss: 0-3 equal (128) -> 0-1 equal (128) (it names rx "
			"queues that are not active)\n"));
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		ck_assert_int_eq(mq_render_auto_json(f, &rep), 0);
		doc = json_tokener_parse(rs_text(f, &buf));
		ck_assert_ptr_nonnull(doc);
		ck_assert(json_object_object_get_ex(doc, "interfaces", &ifs));
		ck_assert(json_object_object_get_ex(
				  json_object_array_get_idx(ifs, 0), "rss", &rss));
		ck_assert(json_object_object_get_ex(rss, "current", &v));
		ck_assert_str_eq(json_object_get_string(v), "0-3 equal (128)");
		ck_assert(json_object_object_get_ex(rss, "planned", &v));
		ck_assert_str_eq(json_object_get_string(v), "0-1 equal (128)");
		ck_assert(json_object_object_get_ex(doc, "changes", &chs));
		for (i = 0; i < json_object_array_length(chs); i++) {
			struct json_object *c = json_object_array_get_idx(chs, i);

			ck_assert(json_object_object_get_ex(c, "object", &v));
			if (strcmp(json_object_get_string(v), "eth0 rss"))
				continue;
			found = true;
			ck_assert(json_object_object_get_ex(c, "path", &v));
			ck_assert_str_eq(json_object_get_string(v), "");
			ck_assert(json_object_object_get_ex(c, "new", &v));
			ck_assert_str_eq(json_object_get_string(v), "0-1 equal (128)");
		}
		ck_assert(found);
		json_object_put(doc);
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		ck_assert_int_eq(mq_render_check_text(f, &crep), 0);
		ck_assert_ptr_nonnull(strstr(rs_text(f, &buf), "eth0 rss"));
		ck_assert_ptr_nonnull(strstr(buf, "0-1 equal (128)"));
		ck_assert_ptr_nonnull(strstr(buf, "0-3 equal (128)"));
		free(buf);
	}
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

Suite *rss_suite(void)
{
	Suite *s = suite_create("rss");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_equal_fill);
	tcase_add_test(tc, test_max_and_shares);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_state_text);
	tcase_add_test(tc, test_auto_points_past_active);
	tcase_add_test(tc, test_auto_keeps_uneven);
	tcase_add_test(tc, test_auto_channels_changed);
	tcase_add_test(tc, test_equal_already);
	tcase_add_test(tc, test_one_queue);
	tcase_add_test(tc, test_no_table);
	tcase_add_test(tc, test_plan_rss_change);
	tcase_add_test(tc, test_plan_rss_idempotent);
	tcase_add_test(tc, test_render_show);
	tcase_add_test(tc, test_render_auto_and_check);
	suite_add_tcase(s, tc);
	return s;
}
