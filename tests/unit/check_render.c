/*
 * check_render.c - the renderers (src/render/render_json.c, render_auto_json.c,
 * render_auto_text.c): machines built in memory are rendered into a
 * memory FILE; JSON is parsed back with json-c and checked against the
 * documented layout (docs/json.md).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/cpuset.h"
#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/render.h"
#include "model_builder.h"

Suite *render_suite(void);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* A memory FILE and the text written to it. */
struct rr_out {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *rr_open(struct rr_out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	ck_assert_ptr_nonnull(o->f);
	return o->f;
}

static char *rr_close(struct rr_out *o)
{
	ck_assert_int_eq(fclose(o->f), 0);
	ck_assert_ptr_nonnull(o->buf);
	return o->buf;
}

static struct json_object *rr_parse(const char *text)
{
	struct json_object *doc = json_tokener_parse(text);

	ck_assert_msg(doc != NULL, "not JSON: %.200s", text);
	ck_assert(json_object_is_type(doc, json_type_object));
	return doc;
}

/* obj[key], which must exist (it may be JSON null: then NULL). */
static struct json_object *rr_key(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	ck_assert_ptr_nonnull(o);
	ck_assert_msg(json_object_object_get_ex(o, key, &v),
		      "no key '%s' in %s", key, json_object_to_json_string(o));
	return v;
}

static void rr_absent(struct json_object *o, const char *key)
{
	ck_assert_msg(!json_object_object_get_ex(o, key, NULL),
		      "unexpected key '%s'", key);
}

static void rr_null(struct json_object *o, const char *key)
{
	ck_assert_msg(rr_key(o, key) == NULL, "'%s' is %s, not null", key,
		      json_object_to_json_string(rr_key(o, key)));
}

static void rr_str(struct json_object *o, const char *key, const char *want)
{
	struct json_object *v = rr_key(o, key);

	ck_assert_msg(v && json_object_is_type(v, json_type_string),
		      "'%s' is not a string", key);
	ck_assert_msg(strcmp(json_object_get_string(v), want) == 0,
		      "'%s' is '%s', want '%s'", key, json_object_get_string(v),
		      want);
}

static void rr_int(struct json_object *o, const char *key, int64_t want)
{
	struct json_object *v = rr_key(o, key);

	ck_assert_msg(v && json_object_is_type(v, json_type_int),
		      "'%s' is not a number", key);
	ck_assert_int_eq(json_object_get_int64(v), want);
}

static void rr_bool(struct json_object *o, const char *key, bool want)
{
	struct json_object *v = rr_key(o, key);

	ck_assert_msg(v && json_object_is_type(v, json_type_boolean),
		      "'%s' is not a boolean", key);
	ck_assert_int_eq(json_object_get_boolean(v), want);
}

/* obj[key] as an array of @len entries. */
static struct json_object *rr_array(struct json_object *o, const char *key,
				    size_t len)
{
	struct json_object *v = rr_key(o, key);

	ck_assert_msg(v && json_object_is_type(v, json_type_array),
		      "'%s' is not an array", key);
	ck_assert_uint_eq(json_object_array_length(v), len);
	return v;
}

static struct json_object *rr_at(struct json_object *arr, size_t i)
{
	ck_assert_uint_lt(i, json_object_array_length(arr));
	return json_object_array_get_idx(arr, i);
}

static void rr_set(struct mq_cpuset *s, const char *list)
{
	ck_assert_int_eq(mq_cpuset_parse_list(s, list, strlen(list)),
			 MQ_PARSE_OK);
}

static void rr_policy_auto(struct mq_policy *p)
{
	memset(p, 0, sizeof(*p));
	/* the queues the model has: --channels is tested on its own */
	p->channels = MQ_CHANNELS_KEEP;
	p->rps = MQ_STEER_AUTO;
	p->xps = MQ_STEER_AUTO;
	p->backlog = MQ_BACKLOG_AUTO;
}

/* ------------------------------------------------------------------ */
/* show --json                                                         */
/* ------------------------------------------------------------------ */

/*
 * 16 CPUs, one node.
 * eth0: 2 combined queues, one misc vector; IRQs 100 (misc), 101, 102.
 * eth1: 3 rx / 2 tx split, one misc: 1100 (misc), rx 1101-1103, tx
 *       1104-1105; no NUMA node, speed unknown.
 * eth2: a veth, no vectors.
 */
static struct mq_machine *rr_show_machine(void)
{
	struct mq_machine *m = mb_machine(16, 1, 1);
	struct mq_netdev *e0, *e1;
	size_t i, d;

	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 1, 0, 10000);
	mb_netdev(m, "eth1", 3, 2, MB_VEC_SPLIT, 1, -1, -1);
	mb_netdev(m, "eth2", 1, 1, MB_VEC_NONE, 0, -1, -1);
	for (d = 0; d < 2; d++)
		for (i = 0; i < m->netdevs[d].nr_irqs; i++)
			m->netdevs[d].irqs[i].has_affinity = true;
	e0 = &m->netdevs[0];
	e1 = &m->netdevs[1];
	rr_set(&e0->rxq[0].rps_cpus, "0-3,8");
	rr_set(&e0->txq[1].xps_cpus, "5");
	e0->rxq[1].rps_flow_cnt = 4096;
	e1->irqs[2].has_affinity = false;	/* IRQ 1102: no handler */
	e1->irqs[2].user_settable = false;
	e1->rxq[1].has_rps = false;
	e1->rxq[2].rps_flow_cnt = -1;
	e1->txq[0].has_xps = false;
	mb_isolate(m, "3");
	m->sysctls.rps_sock_flow_entries = -1;
	return m;
}

START_TEST(test_render_show_json_system)
{
	struct mq_machine *m = rr_show_machine();
	struct json_object *doc, *sys, *o, *arr;
	struct rr_out out;

	ck_assert_int_eq(mq_render_show_json(rr_open(&out), m, "/tmp/snap", true), 0);
	doc = rr_parse(rr_close(&out));
	ck_assert_int_eq(out.buf[out.len - 1], '\n');
	rr_int(doc, "format_version", 2);
	rr_str(doc, "mqtune_version", MQ_VERSION);
	rr_str(doc, "sysroot", "/tmp/snap");
	sys = rr_key(doc, "system");
	rr_int(sys, "nr_cpu_ids", 16);
	o = rr_key(sys, "cpus");
	rr_str(o, "possible", "0-15");
	rr_str(o, "online", "0-15");
	rr_str(o, "isolated", "3");
	rr_str(o, "nohz_full", "");
	rr_bool(sys, "smt", false);
	arr = rr_array(sys, "cpu_topology", 16);
	o = rr_at(arr, 5);
	rr_int(o, "cpu", 5);
	rr_int(o, "core", 5);
	rr_int(o, "node", 0);
	rr_str(o, "siblings", "5");
	arr = rr_array(sys, "numa_nodes", 1);
	rr_int(rr_at(arr, 0), "node", 0);
	rr_str(rr_at(arr, 0), "cpus", "0-15");
	arr = rr_array(rr_at(arr, 0), "distances", 1);
	ck_assert_int_eq(json_object_get_int64(rr_at(arr, 0)), 10);
	o = rr_key(sys, "sysctls");
	rr_int(o, "netdev_max_backlog", 1000);
	rr_null(o, "rps_sock_flow_entries");
	o = rr_key(sys, "irqbalance");
	rr_bool(o, "running", false);
	rr_null(o, "pid");
	rr_array(doc, "interfaces", 3);
	json_object_put(doc);
	free(out.buf);

	/* live: sysroot null; an SMT machine's siblings; irqbalance */
	mq_machine_free(m);
	m = mb_machine(8, 2, 2);
	m->irqbalance_pid = 1234;
	ck_assert_int_eq(mq_render_show_json(rr_open(&out), m, NULL, true), 0);
	doc = rr_parse(rr_close(&out));
	rr_null(doc, "sysroot");
	sys = rr_key(doc, "system");
	rr_bool(sys, "smt", true);
	/* 4 cores, SMT 2: CPU 1 and 5 are one core; node 0 = cores 0-1 */
	arr = rr_array(sys, "cpu_topology", 8);
	rr_str(rr_at(arr, 1), "siblings", "1,5");
	rr_str(rr_at(arr, 5), "siblings", "1,5");
	arr = rr_array(sys, "numa_nodes", 2);
	rr_str(rr_at(arr, 0), "cpus", "0-1,4-5");
	rr_str(rr_at(arr, 1), "cpus", "2-3,6-7");
	arr = rr_array(rr_at(arr, 1), "distances", 2);
	ck_assert_int_eq(json_object_get_int64(rr_at(arr, 0)), MB_DIST_REMOTE);
	ck_assert_int_eq(json_object_get_int64(rr_at(arr, 1)), MB_DIST_LOCAL);
	o = rr_key(sys, "irqbalance");
	rr_bool(o, "running", true);
	rr_int(o, "pid", 1234);
	rr_array(doc, "interfaces", 0);
	json_object_put(doc);
	free(out.buf);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_render_show_json_combined)
{
	struct mq_machine *m = rr_show_machine();
	struct json_object *doc, *ifc, *o, *q, *v, *arr;
	struct rr_out out;

	ck_assert_int_eq(mq_render_show_json(rr_open(&out), m, NULL, true), 0);
	doc = rr_parse(rr_close(&out));
	ifc = rr_at(rr_array(doc, "interfaces", 3), 0);
	rr_str(ifc, "name", "eth0");
	rr_int(ifc, "ifindex", 2);
	rr_str(ifc, "driver", "ice");
	rr_str(ifc, "bus", "pci");
	rr_str(ifc, "bus_address", "0000:01:00.0");
	rr_int(ifc, "numa_node", 0);
	rr_str(ifc, "local_cpus", "0-15");
	rr_int(ifc, "speed_mbps", 10000);
	rr_str(ifc, "operstate", "up");
	o = rr_key(ifc, "channels");
	rr_str(o, "source", "netlink");
	rr_int(o, "combined", 2);
	rr_int(o, "max_combined", 2);
	rr_int(o, "rx", 0);
	rr_str(ifc, "irq_source", "netlink");
	rr_int(ifc, "rx_queues", 2);
	rr_int(ifc, "tx_queues", 2);
	arr = rr_array(ifc, "queues", 2);

	q = rr_at(arr, 0);
	rr_int(q, "queue", 0);
	rr_absent(q, "irq");
	ck_assert_int_eq(json_object_get_int64(rr_at(rr_array(q, "irqs", 1), 0)), 101);
	v = rr_at(rr_array(q, "vectors", 1), 0);
	rr_int(v, "irq", 101);
	rr_str(v, "name", "eth0-TxRx-0");
	rr_str(v, "kind", "combined");
	rr_str(v, "affinity", "0-15");
	/* model_builder: effective on CPU (index % CPUs) = 1 */
	rr_str(v, "effective", "1");
	rr_bool(v, "managed", false);
	rr_absent(v, "user_settable");
	rr_str(q, "rps_cpus", "0-3,8");
	rr_int(q, "rps_flow_cnt", 0);
	rr_str(q, "xps_cpus", "");

	q = rr_at(arr, 1);
	rr_int(q, "queue", 1);
	ck_assert_int_eq(json_object_get_int64(rr_at(rr_array(q, "irqs", 1), 0)), 102);
	rr_str(q, "rps_cpus", "");
	rr_int(q, "rps_flow_cnt", 4096);
	rr_str(q, "xps_cpus", "5");

	arr = rr_array(ifc, "other_irqs", 1);
	v = rr_at(arr, 0);
	rr_int(v, "irq", 100);
	rr_str(v, "name", "eth0-misc-0");
	rr_str(v, "role", "misc");
	rr_str(v, "affinity", "0-15");
	rr_bool(v, "managed", false);
	rr_absent(v, "user_settable");
	json_object_put(doc);
	free(out.buf);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_render_show_json_split)
{
	struct mq_machine *m = rr_show_machine();
	struct json_object *doc, *ifc, *o, *q, *v, *arr, *irqs;
	struct rr_out out;

	ck_assert_int_eq(mq_render_show_json(rr_open(&out), m, NULL, true), 0);
	doc = rr_parse(rr_close(&out));
	ifc = rr_at(rr_array(doc, "interfaces", 3), 1);
	rr_str(ifc, "name", "eth1");
	rr_int(ifc, "numa_node", -1);
	rr_null(ifc, "speed_mbps");
	o = rr_key(ifc, "channels");
	rr_int(o, "rx", 3);
	rr_int(o, "tx", 2);
	rr_int(o, "combined", 0);
	rr_int(ifc, "rx_queues", 3);
	rr_int(ifc, "tx_queues", 2);
	/* max(3, 2) rows */
	arr = rr_array(ifc, "queues", 3);

	/* queue 0: separate rx and tx vectors */
	q = rr_at(arr, 0);
	rr_absent(q, "irq");		/* format 2: only "irqs" */
	irqs = rr_array(q, "irqs", 2);
	ck_assert_int_eq(json_object_get_int64(rr_at(irqs, 0)), 1101);
	ck_assert_int_eq(json_object_get_int64(rr_at(irqs, 1)), 1104);
	o = rr_array(q, "vectors", 2);
	rr_str(rr_at(o, 0), "kind", "rx");
	rr_int(rr_at(o, 0), "irq", 1101);
	rr_str(rr_at(o, 1), "kind", "tx");
	rr_int(rr_at(o, 1), "irq", 1104);
	rr_str(q, "rps_cpus", "");
	rr_null(q, "xps_cpus");		/* has_xps false */

	/* queue 1: the rx vector has no handler; no RPS file */
	q = rr_at(arr, 1);
	irqs = rr_array(q, "irqs", 2);
	ck_assert_int_eq(json_object_get_int64(rr_at(irqs, 0)), 1102);
	ck_assert_int_eq(json_object_get_int64(rr_at(irqs, 1)), 1105);
	v = rr_at(rr_array(q, "vectors", 2), 0);
	rr_null(v, "affinity");
	rr_bool(v, "managed", false);	/* no handler: not kernel-managed */
	rr_null(q, "rps_cpus");
	rr_int(q, "rps_flow_cnt", 0);
	rr_str(q, "xps_cpus", "");

	/* queue 2: rx only, one vector, no flow count file, no tx-2 */
	q = rr_at(arr, 2);
	rr_absent(q, "irq");
	ck_assert_int_eq(json_object_get_int64(rr_at(rr_array(q, "irqs", 1), 0)), 1103);
	v = rr_at(rr_array(q, "vectors", 1), 0);
	rr_str(v, "kind", "rx");
	rr_str(q, "rps_cpus", "");
	rr_null(q, "rps_flow_cnt");
	rr_null(q, "xps_cpus");

	v = rr_at(rr_array(ifc, "other_irqs", 1), 0);
	rr_int(v, "irq", 1100);

	/* eth2, a veth: no vectors at all */
	ifc = rr_at(rr_array(doc, "interfaces", 3), 2);
	rr_str(ifc, "irq_source", "none");
	rr_str(ifc, "bus", "");
	q = rr_at(rr_array(ifc, "queues", 1), 0);
	rr_absent(q, "irq");
	rr_array(q, "irqs", 0);		/* always a list, possibly empty */
	rr_array(q, "vectors", 0);
	rr_array(ifc, "other_irqs", 0);
	json_object_put(doc);
	free(out.buf);
	mq_machine_free(m);
}
END_TEST

/* show (text): a header per interface and a row per queue. */
START_TEST(test_render_show_text)
{
	struct mq_machine *m = rr_show_machine();
	struct rr_out out;
	const char *text;

	ck_assert_int_eq(mq_render_show_text(rr_open(&out), m), 0);
	text = rr_close(&out);
	ck_assert_ptr_nonnull(strstr(text, "eth0: driver ice"));
	ck_assert_ptr_nonnull(strstr(text, "eth1: driver ice"));
	ck_assert_ptr_nonnull(strstr(text, "0-3,8"));
	ck_assert_ptr_nonnull(strstr(text, "1101,1104"));
	ck_assert_ptr_nonnull(strstr(text, "eth0-misc-0"));
	free(out.buf);
	mq_machine_free(m);
}
END_TEST

static size_t rr_longest_line(const char *text)
{
	size_t best = 0, len = 0;

	for (; *text; text++) {
		len = *text == '\n' ? 0 : len + 1;
		if (len > best)
			best = len;
	}
	return best;
}

/* show's table cuts long CPU sets as auto's does (issue 7: 300-column rows). */
START_TEST(test_render_show_text_short_sets)
{
	struct mq_machine *m = mb_machine(256, 4, 2);
	struct mq_netdev *dev;
	struct rr_out out;
	const char *text;
	unsigned int cpu;

	dev = mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 1, 0, 100000);
	dev->rxq[0].has_rps = true;
	for (cpu = 0; cpu < 256; cpu += 8)
		mq_cpuset_set(&dev->rxq[0].rps_cpus, cpu);
	ck_assert_int_eq(mq_render_show_text(rr_open(&out), m), 0);
	text = rr_close(&out);
	ck_assert_msg(strstr(text, "0,8,16,24,32,40,... (32 CPUs)"), "%s", text);
	ck_assert_msg(rr_longest_line(text) < 160, "a %zu-column line:\n%s",
		      rr_longest_line(text), text);
	free(out.buf);
	mq_machine_free(m);
}
END_TEST

/* ------------------------------------------------------------------ */
/* auto --json and auto (text)                                         */
/* ------------------------------------------------------------------ */

/*
 * 8 CPUs, one node; eth0 with 4 combined queues at 25 Gb/s and one misc
 * vector: IRQ 100 misc, queue q -> IRQ 101 + q (vector index q + 1).
 * Queue 1's vector (IRQ 102) is kernel-managed on CPU 6.
 *
 * The placement: CPU 6 is queue 1's home; the others take the order 0..7
 * without 6: queue 0 -> 0, queue 2 -> 1, queue 3 -> 2.  RPS is on (4
 * queues, 8 CPUs): CPUs 3, 4, 5, 7 go one each to queues 0, 1, 2, 3.
 * Backlog for 25 Gb/s: 100000; flow entries 32768.
 */
struct rr_auto {
	struct mq_machine *m;
	struct mq_placement pl;
	struct mq_plan plan;
};

static void rr_auto_setup(struct rr_auto *a)
{
	struct mq_policy p;
	struct mq_diag d;

	a->m = mb_machine(8, 1, 1);
	mb_netdev(a->m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 0, 25000);
	mb_managed(&a->m->netdevs[0], 2, 6);
	rr_policy_auto(&p);
	mq_diag_clear(&d);
	ck_assert_msg(mq_place(a->m, &p, &a->pl, &d) == 0, "%s", d.msg);
	ck_assert_msg(mq_plan_build(a->m, &a->pl, &a->plan, &d) == 0, "%s", d.msg);
}

static void rr_auto_teardown(struct rr_auto *a)
{
	mq_plan_fini(&a->plan);
	mq_placement_fini(&a->pl);
	mq_machine_free(a->m);
}

static void rr_auto_replan(struct rr_auto *a)
{
	struct mq_diag d;

	mq_plan_fini(&a->plan);
	ck_assert_int_eq(mq_plan_build(a->m, &a->pl, &a->plan, &d), 0);
}

/* Make the model hold every planned value. */
static void rr_auto_converge(struct rr_auto *a)
{
	struct mq_netdev *dev = &a->m->netdevs[0];
	const struct mq_dev_placement *dp = &a->pl.devs[0];
	size_t i;

	for (i = 0; i < dev->nr_irqs; i++)
		if (dp->irq_cpu[i] >= 0) {
			mq_cpuset_zero(&dev->irqs[i].affinity);
			mq_cpuset_set(&dev->irqs[i].affinity,
				      (unsigned int)dp->irq_cpu[i]);
		}
	for (i = 0; i < dev->nr_rxq; i++) {
		mq_cpuset_zero(&dev->rxq[i].rps_cpus);
		mq_cpuset_or(&dev->rxq[i].rps_cpus, &dp->rps[i]);
		dev->rxq[i].rps_flow_cnt = dp->flow_cnt[i];
	}
	for (i = 0; i < dev->nr_txq; i++) {
		mq_cpuset_zero(&dev->txq[i].xps_cpus);
		mq_cpuset_or(&dev->txq[i].xps_cpus, &dp->xps[i]);
	}
	a->m->sysctls.netdev_max_backlog = a->pl.backlog;
	a->m->sysctls.rps_sock_flow_entries = a->pl.flow_entries;
	rr_auto_replan(a);
	ck_assert_uint_eq(a->plan.nr, 0);
}

static char *rr_auto_json(const struct rr_auto *a, bool dry_run,
			  const struct mq_diag *failure)
{
	struct mq_report rep = {
		.m = a->m, .pl = &a->pl, .plan = &a->plan, .sysroot = NULL,
		.dry_run = dry_run, .failure = failure,
	};
	struct rr_out out;

	ck_assert_int_eq(mq_render_auto_json(rr_open(&out), &rep), 0);
	return rr_close(&out);
}

static char *rr_auto_text(const struct rr_auto *a, bool dry_run,
			  const struct mq_diag *failure)
{
	struct mq_report rep = {
		.m = a->m, .pl = &a->pl, .plan = &a->plan, .sysroot = NULL,
		.dry_run = dry_run, .failure = failure,
	};
	struct rr_out out;

	ck_assert_int_eq(mq_render_auto_text(rr_open(&out), &rep), 0);
	return rr_close(&out);
}

START_TEST(test_render_auto_json_dry_run)
{
	static const char *const planned[4] = { "0", NULL, "1", "2" };
	static const int home[4] = { 0, 6, 1, 2 };
	struct rr_auto a;
	struct json_object *doc, *ifc, *arr, *q, *v, *o, *ch;
	char *text;
	size_t i;
	bool managed_warned = false;

	rr_auto_setup(&a);
	ck_assert_uint_gt(a.plan.nr, 0);
	text = rr_auto_json(&a, true, NULL);
	doc = rr_parse(text);
	rr_int(doc, "format_version", 2);
	rr_str(doc, "mqtune_version", MQ_VERSION);
	rr_null(doc, "sysroot");
	rr_bool(doc, "dry_run", true);
	rr_bool(doc, "changed", true);
	rr_str(doc, "status", "ok");
	rr_int(doc, "exit_code", 0);
	rr_null(doc, "error");

	ifc = rr_at(rr_array(doc, "interfaces", 1), 0);
	rr_str(ifc, "name", "eth0");
	rr_str(ifc, "driver", "ice");
	rr_int(ifc, "numa_node", 0);
	rr_str(ifc, "channels_source", "netlink");
	rr_str(ifc, "irq_source", "netlink");
	rr_int(ifc, "rx_queues", 4);
	rr_int(ifc, "tx_queues", 4);
	rr_str(ifc, "usable_cpus", "0-7");
	rr_int(ifc, "nr_usable_cpus", 8);
	rr_int(ifc, "sum", 4);
	arr = rr_array(ifc, "queues", 4);
	for (i = 0; i < 4; i++) {
		q = rr_at(arr, i);
		rr_int(q, "queue", (int64_t)i);
		rr_absent(q, "irq");
		ck_assert_int_eq(json_object_get_int64(rr_at(rr_array(q, "irqs", 1), 0)),
				 101 + (int64_t)i);
		rr_int(q, "home_cpu", home[i]);
		v = rr_at(rr_array(q, "vectors", 1), 0);
		rr_int(v, "irq", 101 + (int64_t)i);
		rr_str(v, "kind", "combined");
		rr_bool(v, "managed", planned[i] == NULL);
		o = rr_key(v, "affinity");
		if (planned[i]) {
			rr_str(o, "current", "0-7");
			rr_str(o, "planned", planned[i]);
		} else {
			rr_str(o, "current", "6");
			rr_str(o, "planned", "6");	/* left: planned = current */
		}
		/* each planned value agrees with the placement */
		ck_assert_int_eq(a.pl.devs[0].irq_cpu[i + 1],
				 planned[i] ? atoi(planned[i]) : -1);
		o = rr_key(q, "rps_flow_cnt");
		rr_int(o, "current", 0);
		rr_int(o, "planned", 8192);
		o = rr_key(q, "xps_cpus");
		rr_str(o, "current", "");
	}
	o = rr_key(rr_at(arr, 0), "rps_cpus");
	rr_str(o, "current", "");
	rr_str(o, "planned", "0,3");
	o = rr_key(rr_at(arr, 1), "rps_cpus");
	rr_str(o, "planned", "4,6");
	o = rr_key(rr_at(arr, 3), "xps_cpus");
	rr_str(o, "planned", "2,7");

	o = rr_key(doc, "sysctls");
	rr_int(rr_key(o, "netdev_max_backlog"), "current", 1000);
	rr_int(rr_key(o, "netdev_max_backlog"), "planned", 100000);
	rr_int(rr_key(o, "rps_sock_flow_entries"), "current", 0);
	rr_int(rr_key(o, "rps_sock_flow_entries"), "planned", 32768);

	/* 3 IRQs + 4 RPS + 4 flow counts + 4 XPS + 2 sysctls */
	ck_assert_uint_eq(a.plan.nr, 17);
	arr = rr_array(doc, "changes", a.plan.nr);
	for (i = 0; i < a.plan.nr; i++) {
		const struct mq_change *c = &a.plan.changes[i];

		ch = rr_at(arr, i);
		rr_str(ch, "state", "planned");
		rr_str(ch, "object", c->object);
		rr_str(ch, "path", c->path);
		/* the empty CPU set is "" here too, not the text's "-" */
		rr_str(ch, "old", strcmp(c->old_display, "-") ? c->old_display : "");
		rr_str(ch, "new", strcmp(c->new_display, "-") ? c->new_display : "");
		if (c->target == MQ_T_IRQ_AFFINITY)
			rr_bool(ch, "pending", false);
		else
			rr_absent(ch, "pending");
	}
	ch = rr_at(arr, 0);
	rr_str(ch, "object", "eth0 IRQ 101");
	rr_str(ch, "path", "/proc/irq/101/smp_affinity_list");
	rr_str(ch, "old", "0-7");
	rr_str(ch, "new", "0");

	arr = rr_key(doc, "warnings");
	ck_assert(json_object_is_type(arr, json_type_array));
	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *w = rr_at(arr, i);

		/* warnings are objects of exactly code, object, message */
		ck_assert(json_object_is_type(w, json_type_object));
		ck_assert_int_eq(json_object_object_length(w), 3);
		ck_assert(json_object_is_type(rr_key(w, "code"), json_type_string));
		ck_assert(json_object_is_type(rr_key(w, "object"), json_type_string));
		ck_assert(json_object_is_type(rr_key(w, "message"), json_type_string));
		if (strcmp(json_object_get_string(rr_key(w, "code")),
			   "managed-irq") == 0) {
			rr_str(w, "object", "IRQ 102");
			managed_warned |= strstr(json_object_get_string(
					rr_key(w, "message")), "IRQ 102") != NULL;
		}
	}
	ck_assert_msg(managed_warned, "no warning about managed IRQ 102");
	json_object_put(doc);
	free(text);
	rr_auto_teardown(&a);
}
END_TEST

/* Nothing to change: changed false, no changes, planned == current. */
START_TEST(test_render_auto_json_nothing)
{
	struct rr_auto a;
	struct json_object *doc, *q, *o;
	char *text;

	rr_auto_setup(&a);
	rr_auto_converge(&a);
	text = rr_auto_json(&a, true, NULL);
	doc = rr_parse(text);
	rr_bool(doc, "changed", false);
	rr_array(doc, "changes", 0);
	q = rr_at(rr_array(rr_at(rr_array(doc, "interfaces", 1), 0),
			   "queues", 4), 2);
	o = rr_key(rr_at(rr_array(q, "vectors", 1), 0), "affinity");
	rr_str(o, "current", "1");
	rr_str(o, "planned", "1");
	/* backlog at the target: the second run leaves it (planned = current) */
	o = rr_key(rr_key(doc, "sysctls"), "netdev_max_backlog");
	ck_assert(json_object_is_type(rr_key(o, "planned"), json_type_int));
	ck_assert(json_object_equal(rr_key(o, "current"), rr_key(o, "planned")));
	json_object_put(doc);
	free(text);
	rr_auto_teardown(&a);
}
END_TEST

/* A dry run refused (irqbalance, --irqbalance fail) changes nothing. */
START_TEST(test_render_auto_json_dry_run_refused)
{
	struct rr_auto a;
	struct mq_diag d;
	struct json_object *doc;
	char *text;

	rr_auto_setup(&a);
	ck_assert_uint_gt(a.plan.nr, 0);
	mq_diag_clear(&d);
	mq_diag_set(&d, MQ_EXIT_REFUSED, 0, "irqbalance is running (pid 1)");
	text = rr_auto_json(&a, true, &d);
	doc = rr_parse(text);
	rr_bool(doc, "dry_run", true);
	rr_bool(doc, "changed", false);
	rr_str(doc, "status", "refused");
	rr_int(doc, "exit_code", 9);
	json_object_put(doc);
	free(text);
	rr_auto_teardown(&a);
}
END_TEST

/* A real run: changed follows applied / restore-failed states. */
START_TEST(test_render_auto_json_real_run)
{
	struct rr_auto a;
	struct mq_diag d;
	struct json_object *doc, *arr;
	char *text;
	size_t i;

	rr_auto_setup(&a);
	ck_assert_uint_ge(a.plan.nr, 3);

	/* failed at the second write, the first undone: nothing changed */
	a.plan.changes[0].state = MQ_CH_RESTORED;
	a.plan.changes[1].state = MQ_CH_FAILED;
	mq_diag_set(&d, MQ_EXIT_RESTORED, 1, "eth0 IRQ 102: cannot write");
	text = rr_auto_json(&a, false, &d);
	doc = rr_parse(text);
	rr_bool(doc, "dry_run", false);
	rr_bool(doc, "changed", false);
	rr_str(doc, "status", "restored");
	rr_int(doc, "exit_code", 7);
	rr_str(doc, "error", "eth0 IRQ 102: cannot write");
	arr = rr_array(doc, "changes", a.plan.nr);
	rr_str(rr_at(arr, 0), "state", "restored");
	rr_str(rr_at(arr, 1), "state", "failed");
	rr_str(rr_at(arr, 2), "state", "planned");
	json_object_put(doc);
	free(text);

	/* undoing failed: that change is left applied */
	a.plan.changes[0].state = MQ_CH_RESTORE_FAILED;
	mq_diag_set(&d, MQ_EXIT_PARTIAL, 1, "partial");
	text = rr_auto_json(&a, false, &d);
	doc = rr_parse(text);
	rr_bool(doc, "changed", true);
	rr_str(doc, "status", "partial");
	rr_int(doc, "exit_code", 8);
	rr_str(rr_at(rr_key(doc, "changes"), 0), "state", "restore-failed");
	json_object_put(doc);
	free(text);

	/* all applied, one IRQ pending */
	for (i = 0; i < a.plan.nr; i++)
		a.plan.changes[i].state = MQ_CH_APPLIED;
	a.plan.changes[0].pending = true;
	text = rr_auto_json(&a, false, NULL);
	doc = rr_parse(text);
	rr_bool(doc, "changed", true);
	rr_str(doc, "status", "ok");
	rr_null(doc, "error");
	rr_bool(rr_at(rr_key(doc, "changes"), 0), "pending", true);
	rr_str(rr_at(rr_key(doc, "changes"), 0), "state", "applied");
	json_object_put(doc);
	free(text);
	rr_auto_teardown(&a);
}
END_TEST

START_TEST(test_render_error_json)
{
	struct mq_diag d;
	struct json_object *doc;
	struct rr_out out;

	mq_diag_set(&d, MQ_EXIT_REFUSED, 0,
		    "no usable CPU: every online CPU is excluded (by --cpus)");
	ck_assert_int_eq(mq_render_error_json(rr_open(&out), &d, true), 0);
	doc = rr_parse(rr_close(&out));
	rr_int(doc, "format_version", 2);
	rr_str(doc, "mqtune_version", MQ_VERSION);
	rr_bool(doc, "changed", false);
	rr_str(doc, "status", "refused");
	rr_int(doc, "exit_code", 9);
	rr_str(doc, "error",
	       "no usable CPU: every online CPU is excluded (by --cpus)");
	json_object_put(doc);
	free(out.buf);

	mq_diag_set(&d, MQ_EXIT_LOCKED, 0, "locked by \"pid 5\"");
	ck_assert_int_eq(mq_render_error_json(rr_open(&out), &d, true), 0);
	doc = rr_parse(rr_close(&out));
	rr_str(doc, "status", "locked");
	rr_int(doc, "exit_code", 6);
	rr_str(doc, "error", "locked by \"pid 5\"");
	json_object_put(doc);
	free(out.buf);

	mq_diag_set(&d, MQ_EXIT_SYSTEM, 2, "/x: No such file or directory");
	ck_assert_int_eq(mq_render_error_json(rr_open(&out), &d, true), 0);
	doc = rr_parse(rr_close(&out));
	rr_str(doc, "status", "system");
	rr_int(doc, "exit_code", 5);
	json_object_put(doc);
	free(out.buf);
}
END_TEST

/* A real run that applied nothing says exactly "no changes". */
START_TEST(test_render_auto_text_no_changes)
{
	struct rr_auto a;
	struct mq_diag d;
	char *text;

	rr_auto_setup(&a);
	ck_assert_uint_gt(a.pl.warnings.n, 0);	/* the managed-IRQ warning */
	rr_auto_converge(&a);
	text = rr_auto_text(&a, false, NULL);
	ck_assert_str_eq(text, "no changes\n");
	free(text);
	rr_auto_teardown(&a);

	/* changes planned, none applied (the first write was refused and
	 * nothing is left changed) */
	rr_auto_setup(&a);
	a.plan.changes[0].state = MQ_CH_FAILED;
	mq_diag_set(&d, MQ_EXIT_RESTORED, 1, "failed");
	text = rr_auto_text(&a, false, &d);
	ck_assert_str_eq(text, "no changes\n");
	free(text);
	rr_auto_teardown(&a);
}
END_TEST

/* A dry run shows "now -> planned" for what changes. */
START_TEST(test_render_auto_text_dry_run)
{
	struct rr_auto a;
	char *text;
	const char *p, *nl;

	rr_auto_setup(&a);
	text = rr_auto_text(&a, true, NULL);
	ck_assert_ptr_nonnull(strstr(text, "eth0"));
	ck_assert_ptr_nonnull(strstr(text, "0-7 -> 0"));
	ck_assert_ptr_nonnull(strstr(text, "1000 -> 100000"));
	ck_assert_ptr_null(strstr(text, "no changes\n"));
	for (p = text; (nl = strchr(p, '\n')); p = nl + 1)
		ck_assert_msg(nl == p || nl[-1] != ' ',
			      "trailing blank: '%.*s'", (int)(nl - p), p);
	free(text);
	rr_auto_teardown(&a);
}
END_TEST

START_TEST(test_render_cpus)
{
	struct mq_cpuset s;
	char buf[8], big[64];

	ck_assert_int_eq(mq_cpuset_init(&s, 64), 0);
	ck_assert_str_eq(mq_render_cpus(&s, big, sizeof(big)), "-");
	rr_set(&s, "0-3,8");
	ck_assert_str_eq(mq_render_cpus(&s, big, sizeof(big)), "0-3,8");
	/* "0,2,4,6,8,10" does not fit 8: cut with "..." */
	rr_set(&s, "0,2,4,6,8,10");
	mq_render_cpus(&s, buf, sizeof(buf));
	ck_assert_uint_lt(strlen(buf), sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "..."));
	mq_cpuset_fini(&s);
}
END_TEST

/* Place, plan and render the auto text of @m (default policy, or scope). */
static char *rr_place_text(struct mq_machine *m, enum mq_rps_scope scope,
			   bool explain)
{
	struct mq_placement pl;
	struct mq_plan plan;
	struct mq_policy p;
	struct mq_diag d;
	struct rr_out out;
	struct mq_report rep = { .m = m, .pl = &pl, .plan = &plan,
				 .dry_run = true, .explain = explain };
	char *text;

	rr_policy_auto(&p);
	p.rps_scope = scope;
	mq_diag_clear(&d);
	ck_assert_msg(mq_place(m, &p, &pl, &d) == 0, "%s", d.msg);
	ck_assert_msg(mq_plan_build(m, &pl, &plan, &d) == 0, "%s", d.msg);
	ck_assert_int_eq(mq_render_auto_text(rr_open(&out), &rep), 0);
	text = rr_close(&out);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	return text;
}


/* Issue 7: a HOME column; long CPU sets cut with their total. */
START_TEST(test_render_auto_text_home_and_short_sets)
{
	struct mq_machine *m = mb_machine(256, 4, 2);
	char *text;

	mb_netdev(m, "eth0", 8, 8, MB_VEC_COMBINED, 1, 0, 100000);
	text = rr_place_text(m, MQ_RPS_SCOPE_MACHINE, false);
	ck_assert_msg(strstr(text, "QUEUE  HOME  IRQ"), "%s", text);
	/* queue 0: home 0, 32 RPS CPUs as a cut list with the total */
	ck_assert_msg(strstr(text, ",... (32 CPUs)"), "%s", text);
	ck_assert_msg(rr_longest_line(text) < 160, "a %zu-column line:\n%s",
		      rr_longest_line(text), text);
	free(text);
	/* --explain gives the full sets */
	text = rr_place_text(m, MQ_RPS_SCOPE_MACHINE, true);
	ck_assert_msg(strstr(text, "rx-0 rps_cpus: 0,8,16,24,32,40,48,56,64,72,"
			     "80,88,96,104,112,120,128,136,144,152,160,168,176,"
			     "184,192,200,208,216,224,232,240,248 (32 CPUs)"),
		      "%s", text);
	free(text);
	mq_machine_free(m);
}
END_TEST

/* Issue 7: --explain says why: usable set, Sum, each home, the backlog. */
START_TEST(test_render_auto_text_explain)
{
	struct mq_machine *m = mb_machine(32, 2, 2);
	char *text;

	mb_isolate(m, "8-11");
	mb_netdev(m, "eth0", 12, 12, MB_VEC_COMBINED, 1, 1, -1);
	text = rr_place_text(m, MQ_RPS_SCOPE_NODE, false);
	ck_assert_msg(!strstr(text, "why:"), "%s", text);
	ck_assert_msg(strstr(text, "1000  (left alone: link speed unknown)"),
		      "%s", text);
	free(text);
	text = rr_place_text(m, MQ_RPS_SCOPE_NODE, true);
	ck_assert_msg(strstr(text, "    minus isolated: 8-11 (4 CPUs)\n"), "%s", text);
	ck_assert_msg(strstr(text, "    usable: 0-7,12-31 (28 CPUs)\n"), "%s", text);
	ck_assert_msg(strstr(text, "    Sum 12 = min(12 rx queues, 28 usable CPUs)\n"),
		      "%s", text);
	ck_assert_msg(strstr(text, "queue 0 home CPU 12: node 1 (the NIC's), new core\n"),
		      "%s", text);
	ck_assert_msg(strstr(text, "queue 4 home CPU 28: node 1 (the NIC's), SMT "
			     "sibling: the other free cores have an isolated "
			     "or excluded thread\n"), "%s", text);
	ck_assert_msg(strstr(text, "queue 8 home CPU 24: node 1 (the NIC's), ") &&
		      strstr(text, "shares its core with an isolated"), "%s", text);
	ck_assert_msg(strstr(text, "left alone: link speed unknown"), "%s", text);
	free(text);
	mq_machine_free(m);

	/* one CPU: grammar, wrap-around */
	m = mb_machine(1, 1, 1);
	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 0, 0, 10000);
	text = rr_place_text(m, MQ_RPS_SCOPE_NODE, true);
	ck_assert_msg(strstr(text, "Sum 1 = min(2 rx queues, 1 usable CPU)"), "%s", text);
	ck_assert_msg(strstr(text, "wrap-around: 2 rx queues, 1 usable CPU"), "%s", text);
	ck_assert_msg(strstr(text, "ethtool -L eth0 combined 1"), "%s", text);
	ck_assert_msg(strstr(text, "raised to 30000 for a 10000 Mb/s link"), "%s", text);
	free(text);
	mq_machine_free(m);
}
END_TEST

Suite *render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("render");

	tcase_add_test(tc, test_render_show_json_system);
	tcase_add_test(tc, test_render_show_json_combined);
	tcase_add_test(tc, test_render_show_json_split);
	tcase_add_test(tc, test_render_show_text);
	tcase_add_test(tc, test_render_show_text_short_sets);
	tcase_add_test(tc, test_render_auto_json_dry_run);
	tcase_add_test(tc, test_render_auto_json_nothing);
	tcase_add_test(tc, test_render_auto_json_dry_run_refused);
	tcase_add_test(tc, test_render_auto_json_real_run);
	tcase_add_test(tc, test_render_error_json);
	tcase_add_test(tc, test_render_auto_text_no_changes);
	tcase_add_test(tc, test_render_auto_text_dry_run);
	tcase_add_test(tc, test_render_cpus);
	tcase_add_test(tc, test_render_auto_text_home_and_short_sets);
	tcase_add_test(tc, test_render_auto_text_explain);
	suite_add_tcase(s, tc);
	return s;
}
