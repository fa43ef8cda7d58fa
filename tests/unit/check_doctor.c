/*
 * check_doctor.c - unit tests for doctor's rules (core/doctor.c) on facts
 * built in memory: which finding, which object, which severity, and that
 * the advice is the right one (and never tcp_tw_recycle).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "mqtune/doctor.h"

static struct mq_doc_facts F;
static struct mq_findings FS;

static void setup(void)
{
	mq_doc_facts_init(&F);
	memset(&FS, 0, sizeof(FS));
}

static void teardown(void)
{
	mq_findings_fini(&FS);
	mq_doc_facts_fini(&F);
}

static void run(void)
{
	struct mq_diag d;

	mq_findings_fini(&FS);
	ck_assert_int_eq(mq_doctor_rules(&F, &FS, &d), 0);
}

/* The @n-th finding with @id (0-based), or NULL. */
static const struct mq_finding *find(const char *id, size_t n)
{
	size_t i;

	for (i = 0; i < FS.nr; i++)
		if (strcmp(FS.v[i].id, id) == 0 && n-- == 0)
			return &FS.v[i];
	return NULL;
}

static int64_t evnum(const struct mq_finding *x, const char *key)
{
	size_t i;

	for (i = 0; i < x->nr_ev; i++)
		if (strcmp(x->ev[i].key, key) == 0)
			return x->ev[i].num;
	ck_abort_msg("no evidence %s in %s", key, x->id);
	return 0;
}

static void softnet(size_t n)
{
	size_t i;

	F.softnet.rows = calloc(n, sizeof(*F.softnet.rows));
	ck_assert_ptr_nonnull(F.softnet.rows);
	F.softnet.nr_rows = n;
	F.softnet.nr_columns = 15;
	F.softnet.cpu_known = true;
	for (i = 0; i < n; i++) {
		F.softnet.rows[i].cpu = (unsigned int)(i < 2 ? i : i + 2);
		F.softnet.rows[i].processed = 100000;
	}
	F.have_softnet = true;
}

START_TEST(drops_name_the_cpu)
{
	const struct mq_finding *x;

	softnet(4);			/* CPUs 0, 1, 4, 5 */
	F.softnet.rows[3].dropped = 77;
	F.sys.netdev_max_backlog = 1000;
	run();
	x = find("softnet.dropped", 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->object, "cpu 5");
	ck_assert_int_eq(x->sev, MQ_SEV_WARN);
	ck_assert_int_eq(evnum(x, "dropped"), 77);
	ck_assert_ptr_nonnull(strstr(x->fix, "netdev_max_backlog=2000"));
	ck_assert_ptr_null(find("softnet.dropped", 1));	/* no "ok" as well */
	ck_assert_int_eq(mq_findings_worst(&FS), MQ_SEV_WARN);
	ck_assert_int_eq(FS.v[0].sev, MQ_SEV_WARN);	/* most severe first */
	/* the same seen over an interval: happening now */
	F.interval = 5;
	run();
	ck_assert_int_eq(find("softnet.dropped", 0)->sev, MQ_SEV_CRIT);
	ck_assert_ptr_nonnull(strstr(find("softnet.dropped", 0)->title,
				     "in the last 5 s"));
}
END_TEST

START_TEST(squeeze_thresholds)
{
	softnet(2);
	F.softnet.rows[0].time_squeeze = 100;	/* 1 per 1000 packets: warn */
	F.softnet.rows[1].time_squeeze = 99;	/* under: info, no fix */
	run();
	ck_assert_int_eq(find("softnet.time_squeeze", 0)->sev, MQ_SEV_WARN);
	ck_assert_str_eq(find("softnet.time_squeeze", 1)->object, "cpu 1");
	ck_assert_int_eq(find("softnet.time_squeeze", 1)->sev, MQ_SEV_INFO);
	ck_assert_str_eq(find("softnet.time_squeeze", 1)->fix, "");
}
END_TEST

START_TEST(close_wait_owner)
{
	const struct mq_finding *x;

	F.have_sockets = F.have_procs = true;
	F.states[MQ_TCP_CLOSE_WAIT] = 1500;
	F.nr_owners = 2;
	F.owners[0] = (struct mq_doc_owner){ .pid = 812, .comm = "java", .count = 1200 };
	F.owners[1] = (struct mq_doc_owner){ .pid = 9, .comm = "cron", .count = 3 };
	F.close_wait_unowned = 297;
	F.procs_denied = 4;
	run();
	x = find("tcp.close_wait", 0);
	ck_assert_str_eq(x->object, "pid 812 (java)");
	ck_assert_int_eq(x->sev, MQ_SEV_CRIT);
	ck_assert_int_eq(evnum(x, "close_wait"), 1200);
	ck_assert_ptr_nonnull(strstr(x->why, "close()"));
	ck_assert_ptr_nonnull(strstr(x->fix, "No sysctl"));
	ck_assert_int_eq(find("tcp.close_wait", 1)->sev, MQ_SEV_WARN);	/* 297 unowned */
	ck_assert_ptr_nonnull(strstr(find("tcp.close_wait", 1)->fix, "root"));
	ck_assert_int_eq(find("tcp.close_wait", 2)->sev, MQ_SEV_INFO);	/* cron: 3 */
}
END_TEST

START_TEST(time_wait_groups)
{
	const struct mq_finding *x;

	F.have_sockets = true;
	F.sys.have_port_range = true;
	F.sys.port_range[0] = 32768;
	F.sys.port_range[1] = 60999;		/* 28232 ports */
	F.sys.tcp_tw_reuse = 2;
	F.sys.tcp_max_tw_buckets = 262144;
	F.states[MQ_TCP_TIME_WAIT] = 20000;
	F.nr_tw_groups = 2;
	F.tw_groups[0] = (struct mq_doc_tw_group){ .outbound = true,
		.family = AF_INET, .addr = { 10, 0, 0, 5 }, .port = 5432, .count = 17000 };
	F.tw_groups[1] = (struct mq_doc_tw_group){ .outbound = false,
		.family = AF_INET6, .addr = { [15] = 1 }, .port = 80, .count = 3000 };
	run();
	x = find("tcp.time_wait", 0);
	ck_assert_str_eq(x->object, "to 10.0.0.5:5432");
	ck_assert_int_eq(x->sev, MQ_SEV_WARN);		/* 60% of the ports */
	ck_assert_ptr_nonnull(strstr(x->fix, "tcp_tw_reuse=1"));
	ck_assert_ptr_nonnull(strstr(x->fix, "Never tcp_tw_recycle"));
	ck_assert_ptr_nonnull(strstr(x->why, "tcp_fin_timeout does not change it"));
	x = find("tcp.time_wait", 1);
	ck_assert_str_eq(x->object, "on [::1]:80");
	ck_assert_int_eq(x->sev, MQ_SEV_INFO);
	ck_assert_ptr_null(find("tcp.tw_buckets", 0));
	/* near the bucket limit */
	F.sys.tcp_max_tw_buckets = 21000;
	run();
	ck_assert_int_eq(find("tcp.tw_buckets", 0)->sev, MQ_SEV_WARN);
	/* 95%: crit */
	F.tw_groups[0].count = 27000;
	run();
	ck_assert_int_eq(find("tcp.time_wait", 0)->sev, MQ_SEV_CRIT);
}
END_TEST

START_TEST(listener_full)
{
	const struct mq_finding *x;

	F.have_sockets = true;
	F.sys.somaxconn = 128;
	F.nr_listeners = F.nr_listeners_total = 2;
	F.listeners[0] = (struct mq_doc_listener){ .family = AF_INET,
		.addr = { 0 }, .port = 80, .queued = 129, .backlog = 128 };
	F.listeners[1] = (struct mq_doc_listener){ .family = AF_INET,
		.port = 22, .queued = 0, .backlog = 128 };
	run();
	x = find("listen.queue", 0);
	ck_assert_str_eq(x->object, "LISTEN 0.0.0.0:80");
	ck_assert_int_eq(x->sev, MQ_SEV_CRIT);
	ck_assert_ptr_nonnull(strstr(x->fix, "somaxconn"));
	ck_assert_ptr_null(find("listen.queue", 1));
}
END_TEST

START_TEST(descriptors)
{
	F.sys.have_file_nr = true;
	F.sys.file_nr[0] = 69999;
	F.sys.file_nr[2] = 100000;
	F.have_procs = true;
	F.nr_procs = 2;
	F.procs[0] = (struct mq_doc_proc){ .pid = 5, .comm = "nginx", .nfds = 900,
					   .soft = 1024, .hard = 4096 };
	F.procs[1] = (struct mq_doc_proc){ .pid = 6, .comm = "redis", .nfds = 600,
					   .soft = 1024, .hard = 4096 };
	run();
	ck_assert_int_eq(find("fd.system", 0)->sev, MQ_SEV_OK);
	ck_assert_int_eq(find("fd.process", 0)->sev, MQ_SEV_WARN);	/* 88% */
	ck_assert_ptr_nonnull(strstr(find("fd.process", 0)->fix, "LimitNOFILE="));
	ck_assert_ptr_nonnull(strstr(find("fd.process", 0)->fix, "limits.conf"));
	ck_assert_int_eq(find("fd.process", 1)->sev, MQ_SEV_INFO);
	F.sys.file_nr[0] = 70000;
	run();
	ck_assert_int_eq(find("fd.system", 0)->sev, MQ_SEV_WARN);
}
END_TEST

START_TEST(tw_recycle)
{
	F.nr_recycle = 1;
	strcpy(F.recycle[0].file, "/etc/sysctl.conf");
	F.recycle[0].line = 12;
	strcpy(F.recycle[0].value, "1");
	run();
	ck_assert_str_eq(find("sysctl.tcp_tw_recycle", 0)->object, "/etc/sysctl.conf:12");
	ck_assert_int_eq(find("sysctl.tcp_tw_recycle", 0)->sev, MQ_SEV_WARN);
	ck_assert_ptr_null(find("sysctl.tcp_tw_recycle", 1));
	F.sys.tcp_tw_recycle = 1;		/* an old kernel with it on */
	run();
	ck_assert_int_eq(find("sysctl.tcp_tw_recycle", 0)->sev, MQ_SEV_CRIT);
	ck_assert_int_eq(find("sysctl.tcp_tw_recycle", 1)->sev, MQ_SEV_WARN);
	ck_assert_int_eq(FS.v[0].sev, MQ_SEV_CRIT);
}
END_TEST

START_TEST(delta)
{
	struct mq_doc_facts prev;
	struct mq_kv kv = { "TcpExt", "ListenOverflows", 10 };
	struct mq_kv kv2 = { "Tcp", "CurrEstab", 7 };

	mq_doc_facts_init(&prev);
	softnet(1);
	F.softnet.rows[0].dropped = 5;		/* a 32-bit counter wrapped */
	F.softnet.rows[0].time_squeeze = 30;
	prev.softnet.rows = calloc(1, sizeof(*prev.softnet.rows));
	prev.softnet.nr_rows = 1;
	prev.softnet.cpu_known = prev.have_softnet = true;
	prev.softnet.rows[0].dropped = 0xfffffff0u;
	prev.softnet.rows[0].time_squeeze = 10;
	F.netstat.v = calloc(2, sizeof(*F.netstat.v));
	F.netstat.v[0] = kv;
	F.netstat.v[0].value = 25;
	F.netstat.v[1] = kv2;
	F.netstat.nr = F.netstat.cap = 2;
	prev.netstat.v = calloc(2, sizeof(*prev.netstat.v));
	prev.netstat.v[0] = kv;
	prev.netstat.v[1] = kv2;
	prev.netstat.v[1].value = 3;
	prev.netstat.nr = prev.netstat.cap = 2;
	mq_doc_facts_delta(&F, &prev, 2);
	ck_assert_uint_eq(F.softnet.rows[0].dropped, 5);
	ck_assert_uint_eq(F.softnet.rows[0].time_squeeze, 20);
	ck_assert_int_eq(F.netstat.v[0].value, 15);
	ck_assert_int_eq(F.netstat.v[1].value, 7);	/* a gauge */
	ck_assert(F.interval == 2);
	mq_doc_facts_fini(&prev);
}
END_TEST

START_TEST(endpoint_text)
{
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t a4[16] = { 192, 168, 1, 2 };
	char buf[64];

	mq_doc_endpoint(AF_INET6, a6, 443, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[2001:db8::1]:443");
	mq_doc_endpoint(AF_INET, a4, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.168.1.2:0");
	ck_assert_str_eq(mq_sev_name(MQ_SEV_CRIT), "crit");
	ck_assert_str_eq(mq_sev_name((enum mq_sev)9), "?");
}
END_TEST

START_TEST(driver_drops)
{
	const struct mq_finding *x;

	F.nics = calloc(1, sizeof(*F.nics));
	ck_assert_ptr_nonnull(F.nics);
	F.nr_nics = 1;
	strcpy(F.nics[0].name, "eth0");
	for (size_t i = 0; i < MQ_DOC_NIC_STATS; i++)
		F.nics[0].stats[i] = MQ_DOC_NONE;
	F.nics[0].nr_drv = 2;
	strcpy(F.nics[0].drv[0].name, "rx_no_buffer_count");
	F.nics[0].drv[0].value = 42;
	strcpy(F.nics[0].drv[1].name, "rx_queue_0_drops");
	run();
	x = find("nic.driver_drops", 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->sev, MQ_SEV_WARN);
	ck_assert_uint_eq(x->nr_ev, 1);			/* zeros left out */
	ck_assert_int_eq(evnum(x, "rx_no_buffer_count"), 42);
	ck_assert_ptr_nonnull(strstr(x->fix, "ethtool -G eth0"));
	strcpy(F.nics[0].drv[1].name, "pps_allowance_exceeded");
	F.nics[0].drv[1].value = 7;
	run();
	x = find("nic.driver_drops", 0);
	ck_assert_ptr_nonnull(strstr(x->why, "No kernel setting"));
	F.nics[0].drv[0].value = 0;
	F.nics[0].drv[1].value = 0;
	run();
	ck_assert_ptr_null(find("nic.driver_drops", 0));
}
END_TEST

/*
 * One NIC "eth0" with @n queue vectors (IRQ 40 + j, queue j) and CPUs
 * 0..3 in /proc/interrupts and /proc/softirqs; counts set by the tests,
 * then mq_doc_facts_delta() against an all-zero sample makes each
 * vector's total and busiest CPU from them.
 */
static void nic_irqs(struct mq_doc_facts *f, size_t n)
{
	size_t j;

	f->nics = calloc(1, sizeof(*f->nics));
	ck_assert_ptr_nonnull(f->nics);
	f->nr_nics = 1;
	strcpy(f->nics[0].name, "eth0");
	for (j = 0; j < MQ_DOC_NIC_STATS; j++)
		f->nics[0].stats[j] = MQ_DOC_NONE;
	f->nics[0].threaded = 0;
	f->nics[0].irqs = calloc(n, sizeof(*f->nics[0].irqs));
	f->nics[0].col_cpu = calloc(4, sizeof(unsigned int));
	f->nics[0].counts = calloc(n * 4, sizeof(uint64_t));
	ck_assert(f->nics[0].irqs && f->nics[0].col_cpu && f->nics[0].counts);
	f->nics[0].nr_irqs = n;
	f->nics[0].nr_cols = 4;
	for (j = 0; j < 4; j++)
		f->nics[0].col_cpu[j] = (unsigned int)j;
	for (j = 0; j < n; j++) {
		f->nics[0].irqs[j].irq = 40 + (unsigned int)j;
		f->nics[0].irqs[j].queue = (int)j;
		f->nics[0].irqs[j].role = "combined";
		f->nics[0].irqs[j].cur_cpu = -1;
		f->nics[0].irqs[j].planned_cpu = -1;
	}
	f->softirqs.nr_cpus = 4;
	f->softirqs.cpus = calloc(4, sizeof(unsigned int));
	f->softirqs.net_rx = calloc(4, sizeof(uint64_t));
	f->softirqs.net_tx = calloc(4, sizeof(uint64_t));
	ck_assert(f->softirqs.cpus && f->softirqs.net_rx && f->softirqs.net_tx);
	for (j = 0; j < 4; j++)
		f->softirqs.cpus[j] = (unsigned int)j;
	f->have_softirqs = true;
}

/* The counts of F as totals: deltas against an empty sample. */
static void settle_counts(void)
{
	struct mq_doc_facts zero;

	mq_doc_facts_init(&zero);
	nic_irqs(&zero, F.nics[0].nr_irqs);
	mq_doc_facts_delta(&F, &zero, 0);
	F.interval = 0;
	mq_doc_facts_fini(&zero);
}

START_TEST(irq_delta_per_cpu)
{
	struct mq_doc_facts prev;

	mq_doc_facts_init(&prev);
	nic_irqs(&F, 1);
	nic_irqs(&prev, 1);
	/* since boot mostly on CPU 1; in the window only CPU 2 grew */
	prev.nics[0].counts[1] = 900000;
	prev.nics[0].counts[2] = 100;
	F.nics[0].counts[1] = 900000;
	F.nics[0].counts[2] = 5100;
	/* the columns in another order the second time are matched by id */
	F.nics[0].col_cpu[0] = 3;
	F.nics[0].col_cpu[3] = 0;
	F.nics[0].counts[0] = 7;	/* CPU 3 */
	prev.nics[0].counts[3] = 2;	/* CPU 3 */
	mq_doc_facts_delta(&F, &prev, 5);
	ck_assert_uint_eq(F.nics[0].irqs[0].top_cpu, 2);
	ck_assert_uint_eq(F.nics[0].irqs[0].top_count, 5000);
	ck_assert_uint_eq(F.nics[0].irqs[0].total, 5005);
	ck_assert_uint_eq(F.nics[0].counts[0], 5);
	/* a counter that went down (device reset) counts from 0 */
	prev.nics[0].counts[2] = 9999999;
	F.nics[0].counts[2] = 5100;
	F.nics[0].counts[1] = 900000;
	mq_doc_facts_delta(&F, &prev, 5);
	ck_assert_uint_eq(F.nics[0].irqs[0].top_count, 5100);
	mq_doc_facts_fini(&prev);
}
END_TEST

START_TEST(netrx_irq_cpu)
{
	const struct mq_finding *x;

	nic_irqs(&F, 2);
	F.nics[0].counts[0 * 4 + 1] = 10000;	/* IRQ 40 on CPU 1 */
	F.nics[0].counts[0 * 4 + 0] = 200;
	F.nics[0].counts[1 * 4 + 2] = 8000;	/* IRQ 41 on CPU 2 */
	F.softirqs.net_rx[1] = 999;		/* < 1 per 10 interrupts */
	F.softirqs.net_rx[2] = 800;		/* exactly 1 per 10: fine */
	F.softirqs.net_rx[3] = 50000;
	settle_counts();
	run();
	x = find("netrx.irq_cpu", 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->sev, MQ_SEV_WARN);
	ck_assert_int_eq(evnum(x, "queue_irqs"), 2);
	ck_assert_int_eq(evnum(x, "elsewhere"), 1);
	ck_assert_ptr_nonnull(strstr(x->title, "IRQ 40 of eth0 queue 0 (combined) fires "
				     "on CPU 1 (98% of its 10200 interrupts) "
				     "but CPU 1 ran only 999 NET_RX"));
	ck_assert_ptr_nonnull(strstr(x->why, "per CPU, not per queue"));
	ck_assert_ptr_nonnull(strstr(x->fix, "mqtune auto eth0"));
	ck_assert_ptr_null(find("netrx.irq_cpu", 1));
	/* RPS on CPU 3 for that queue: NET_RX may run there */
	ck_assert_int_eq(mq_cpuset_init(&F.nics[0].irqs[0].rps, 4), 0);
	mq_cpuset_set(&F.nics[0].irqs[0].rps, 3);
	run();
	x = find("netrx.irq_cpu", 0);
	ck_assert_int_eq(x->sev, MQ_SEV_OK);
	ck_assert_int_eq(evnum(x, "elsewhere"), 0);
	/* an RPS set that ran no NET_RX either: said with the set */
	F.softirqs.net_rx[3] = 0;
	run();
	x = find("netrx.irq_cpu", 0);
	ck_assert_int_eq(x->sev, MQ_SEV_WARN);
	ck_assert_ptr_nonnull(strstr(x->title, "CPU 1 and its RPS CPUs 3 ran "
				     "only 999 NET_RX"));
	/* threaded NAPI: not judged, said */
	F.nics[0].threaded = 1;
	run();
	x = find("netrx.irq_cpu", 0);
	ck_assert_int_eq(x->sev, MQ_SEV_INFO);
	ck_assert_ptr_nonnull(strstr(x->title, "threaded NAPI"));
	F.nics[0].threaded = 0;
	/* interrupts spread (no CPU has half) or too few: nothing judged */
	F.nics[0].counts[0 * 4 + 0] = 10000;
	F.nics[0].counts[0 * 4 + 2] = 10000;
	F.nics[0].counts[1 * 4 + 2] = 999;
	settle_counts();
	run();
	ck_assert_ptr_null(find("netrx.irq_cpu", 0));
}
END_TEST

START_TEST(nic_plan_drift)
{
	const struct mq_finding *x;

	nic_irqs(&F, 1);
	F.nics[0].have_plan = true;
	F.nics[0].irqs[0].planned_cpu = 2;
	run();
	x = find("nic.plan", 0);
	ck_assert_int_eq(x->sev, MQ_SEV_OK);
	ck_assert_int_eq(evnum(x, "drifted"), 0);
	F.nics[0].drift_sysctl = 1;	/* machine-wide drift counts too */
	strcpy(F.nics[0].drift_first, "net.core.netdev_max_backlog: 1000, planned 2000");
	run();
	x = find("nic.plan", 0);
	ck_assert_int_eq(x->sev, MQ_SEV_INFO);
	ck_assert_int_eq(evnum(x, "drifted"), 1);
	ck_assert_int_eq(evnum(x, "sysctls"), 1);
	ck_assert_ptr_nonnull(strstr(x->title, "netdev_max_backlog: 1000, planned 2000"));
	F.nics[0].have_plan = false;
	run();
	ck_assert_ptr_null(find("nic.plan", 0));
}
END_TEST

START_TEST(empty_facts)
{
	/* nothing readable: no finding claims a problem */
	run();
	ck_assert_int_le(mq_findings_worst(&FS), MQ_SEV_INFO);
}
END_TEST

Suite *doctor_suite(void);
Suite *doctor_suite(void)
{
	Suite *s = suite_create("doctor");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, drops_name_the_cpu);
	tcase_add_test(tc, squeeze_thresholds);
	tcase_add_test(tc, close_wait_owner);
	tcase_add_test(tc, time_wait_groups);
	tcase_add_test(tc, listener_full);
	tcase_add_test(tc, descriptors);
	tcase_add_test(tc, tw_recycle);
	tcase_add_test(tc, delta);
	tcase_add_test(tc, endpoint_text);
	tcase_add_test(tc, driver_drops);
	tcase_add_test(tc, irq_delta_per_cpu);
	tcase_add_test(tc, netrx_irq_cpu);
	tcase_add_test(tc, nic_plan_drift);
	tcase_add_test(tc, empty_facts);
	suite_add_tcase(s, tc);
	return s;
}
