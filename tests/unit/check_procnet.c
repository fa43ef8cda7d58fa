/*
 * check_procnet.c - unit tests for the doctor's counter parsers
 * (procnet.h): real layouts of several kernel eras, and hostile input.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/procnet.h"

#define T(lit) (lit), (sizeof(lit) - 1)

/* --- softnet_stat ----------------------------------------------------- */

/* Linux 6.18: 15 columns, CPUs 0, 2, 5 online (holes: row != CPU). */
static const char softnet_618[] =
	"000005ad 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000004 00000000 00000000 00000000 00000000 00000000\n"
	"0000d2ce 00000007 00000003 00000000 00000000 00000000 00000000 00000000 00000000 00000005 00000002 00000000 00000002 00000000 00000000\n"
	"ffffffff 00012345 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000005 00000001 00000000\n";

START_TEST(softnet_modern)
{
	struct mq_softnet s;
	size_t bad = 99;
	const struct mq_softnet_row *r;

	ck_assert_int_eq(mq_parse_softnet(T(softnet_618), &s, &bad), MQ_PARSE_OK);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(s.nr_rows, 3);
	ck_assert_uint_eq(s.nr_columns, 15);
	ck_assert(s.cpu_known);
	ck_assert_uint_eq(s.rows[1].cpu, 2);
	ck_assert_uint_eq(s.rows[1].dropped, 7);
	ck_assert_uint_eq(s.rows[1].time_squeeze, 3);
	ck_assert_uint_eq(s.rows[1].received_rps, 5);
	ck_assert_uint_eq(s.rows[1].flow_limit, 2);
	r = mq_softnet_cpu(&s, 5);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->dropped, 0x12345);
	ck_assert_uint_eq(r->processed, 0xffffffffu);
	ck_assert_ptr_null(mq_softnet_cpu(&s, 1));
	ck_assert_ptr_null(mq_softnet_cpu(&s, 6));
	mq_softnet_free(&s);
	ck_assert_ptr_null(s.rows);
}
END_TEST

START_TEST(softnet_old_kernels)
{
	struct mq_softnet s;

	/* 4.x: 11 columns, no CPU id: rows are online CPUs in order */
	ck_assert_int_eq(mq_parse_softnet(T(
		"00000010 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000003 00000004\n"
		"00000020 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n"),
		&s, NULL), MQ_PARSE_OK);
	ck_assert(!s.cpu_known);
	ck_assert_uint_eq(s.rows[1].cpu, 1);
	ck_assert_uint_eq(s.rows[0].flow_limit, 4);
	ck_assert_ptr_null(mq_softnet_cpu(&s, 0));
	mq_softnet_free(&s);
	/* 6.1: 13 columns, the last one is the CPU id; no final newline */
	ck_assert_int_eq(mq_parse_softnet(T(
		"00000010 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000003 00000004 00000000 00000007"),
		&s, NULL), MQ_PARSE_OK);
	ck_assert(s.cpu_known);
	ck_assert_uint_eq(s.rows[0].cpu, 7);
	mq_softnet_free(&s);
}
END_TEST

static const struct {
	const char *s;
	size_t len;
	size_t line;
} softnet_bad[] = {
#define B(lit, ln) { lit, sizeof(lit) - 1, ln }
	B("", 1),
	B("\n", 1),
	B("00000001 00000002\n", 1),					/* too few */
	B("0 0 0 0 0 0 0 0 0 0 0 0 0\n0 0 0 0 0 0 0 0 0 0 0 0\n", 2),	/* counts differ */
	B("0 0 0 0 0 0 0 0 0 0 0 0 1\n0 0 0 0 0 0 0 0 0 0 0 0 1\n", 2),	/* CPU twice */
	B("0 0 0 0 0 0 0 0 0 0 0 0 3\n0 0 0 0 0 0 0 0 0 0 0 0 1\n", 2),	/* decreasing */
	B("0 0 0 0 0 0 0 0 0 0 0 0 100000000\n", 1),			/* CPU id > 32 bits */
	B("0 0 0 0 0 0 0 0 g\n", 1),
	B("0 0 0 0 0 0 0 0 -1\n", 1),
	B("0 0 0 0 0 0 0 0 00000000000000000\n", 1),			/* 17 digits */
	B("0 0 0 0 0 0 0 0 0\0\n", 1),
	B("0 0 0 0 0 0 0 0 0\n\n", 2),
#undef B
};

START_TEST(softnet_hostile)
{
	struct mq_softnet s;
	size_t bad = 0;

	ck_assert_int_eq(mq_parse_softnet(softnet_bad[_i].s, softnet_bad[_i].len,
					  &s, &bad), MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(bad, softnet_bad[_i].line);
	ck_assert_ptr_null(s.rows);
	ck_assert_uint_eq(s.nr_rows, 0);
}
END_TEST

START_TEST(softnet_many_columns)
{
	char buf[4096] = "";
	struct mq_softnet s;
	int i;

	for (i = 0; i < 64; i++)
		strcat(buf, "1 ");
	ck_assert_int_eq(mq_parse_softnet(buf, strlen(buf), &s, NULL), MQ_PARSE_OK);
	mq_softnet_free(&s);
	strcat(buf, "1");
	ck_assert_int_eq(mq_parse_softnet(buf, strlen(buf), &s, NULL), MQ_PARSE_SYNTAX);
}
END_TEST

/* --- softirqs ---------------------------------------------------------- */

static const char softirqs_holes[] =
	"                    CPU0       CPU1       CPU4       \n"
	"          HI:          0          0          0\n"
	"       TIMER:     631812     546095          1\n"
	"      NET_TX:          5          6          7\n"
	"      NET_RX:     100000         20     900000\n"
	"         RCU:     329473     327153          3\n";

START_TEST(softirqs_ok)
{
	struct mq_softirqs s;

	ck_assert_int_eq(mq_parse_softirqs(T(softirqs_holes), &s, NULL), MQ_PARSE_OK);
	ck_assert_uint_eq(s.nr_cpus, 3);
	ck_assert_uint_eq(s.cpus[2], 4);
	ck_assert_uint_eq(s.net_rx[2], 900000);
	ck_assert_uint_eq(s.net_tx[1], 6);
	mq_softirqs_free(&s);
	ck_assert_ptr_null(s.net_rx);
	/* no NET_RX row: parsed, but NULL */
	ck_assert_int_eq(mq_parse_softirqs(T("  CPU0\n  HI: 1\n"), &s, NULL), MQ_PARSE_OK);
	ck_assert_ptr_null(s.net_rx);
	mq_softirqs_free(&s);
}
END_TEST

static const struct {
	const char *s;
	size_t len;
	size_t line;
} softirqs_bad[] = {
#define B(lit, ln) { lit, sizeof(lit) - 1, ln }
	B("", 1),
	B("CPU1 CPU0\n", 1),
	B("CPU0 CPU0\n", 1),
	B("CPU0 GPU1\n", 1),
	B("CPU\n", 1),
	B("CPU-1\n", 1),
	B("CPU0 CPU1\nNET_RX: 1\n", 2),
	B("CPU0 CPU1\nNET_RX: 1 2 3\n", 2),
	B("CPU0\nNET_RX: x\n", 2),
	B("CPU0\nNET_RX 1\n", 2),
	B("CPU0\nNET_RX: 1\nNET_RX: 2\n", 3),
	B("CPU0\nNET_RX: 99999999999999999999\n", 2),
	B("CPU0\nNET_RX: \0\n", 1),
#undef B
};

START_TEST(softirqs_hostile)
{
	struct mq_softirqs s;
	size_t bad = 0;

	ck_assert_int_eq(mq_parse_softirqs(softirqs_bad[_i].s, softirqs_bad[_i].len,
					   &s, &bad), MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(bad, softirqs_bad[_i].line);
	ck_assert_ptr_null(s.cpus);
	ck_assert_ptr_null(s.net_rx);
}
END_TEST

/* --- netstat, snmp, sockstat ------------------------------------------ */

static const char netstat_txt[] =
	"TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops\n"
	"TcpExt: 0 1 17 18\n"
	"IpExt: InNoRoutes InOctets\n"
	"IpExt: 0 123456789012\n";
static const char snmp_txt[] =
	"Tcp: RtoAlgorithm RtoMin MaxConn CurrEstab\n"
	"Tcp: 1 200 -1 4\n";

START_TEST(netstat_ok)
{
	struct mq_keyed t = { 0 };
	int64_t v;

	ck_assert_int_eq(mq_parse_netstat(T(netstat_txt), &t, NULL), MQ_PARSE_OK);
	ck_assert_int_eq(mq_parse_netstat(T(snmp_txt), &t, NULL), MQ_PARSE_OK);
	ck_assert_int_eq(mq_keyed_get(&t, "TcpExt", "ListenOverflows", &v), 0);
	ck_assert_int_eq(v, 17);
	ck_assert_int_eq(mq_keyed_get(&t, "IpExt", "InOctets", &v), 0);
	ck_assert_int_eq(v, 123456789012LL);
	ck_assert_int_eq(mq_keyed_get(&t, "Tcp", "MaxConn", &v), 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(mq_keyed_get(&t, "Tcp", "ListenOverflows", &v), -1);
	ck_assert_uint_eq(t.nr, 10);
	mq_keyed_free(&t);
}
END_TEST

static const struct {
	const char *s;
	size_t len;
	size_t line;
} netstat_bad[] = {
#define B(lit, ln) { lit, sizeof(lit) - 1, ln }
	B("", 1),
	B("TcpExt: A B\n", 1),				/* no value line */
	B("TcpExt: A B\nTcpExt: 1\n", 2),		/* fewer values */
	B("TcpExt: A\nTcpExt: 1 2\n", 2),		/* more values */
	B("TcpExt: A\nIpExt: 1\n", 2),			/* prefixes differ */
	B("TcpExt A\nTcpExt 1\n", 2),
	B("TcpExt: A\nTcpExt: x\n", 2),
	B("TcpExt: A\nTcpExt: --1\n", 2),
	B("TcpExt: A\nTcpExt: -\n", 2),
	B("TcpExt: A\nTcpExt: 1\0\n", 1),
	B("TcpExt: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nTcpExt: 1\n", 2),
#undef B
};

START_TEST(netstat_hostile)
{
	struct mq_keyed t = { 0 };
	size_t bad = 0;

	ck_assert_int_eq(mq_parse_netstat(netstat_bad[_i].s, netstat_bad[_i].len,
					  &t, &bad), MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(bad, netstat_bad[_i].line);
	ck_assert_uint_eq(t.nr, 0);
	mq_keyed_free(&t);
}
END_TEST

START_TEST(sockstat_ok)
{
	struct mq_keyed t = { 0 };
	int64_t v;
	size_t bad = 7;

	ck_assert_int_eq(mq_parse_sockstat(T(
		"sockets: used 14\n"
		"TCP: inuse 1 orphan 0 tw 2 alloc 1 mem 241\n"
		"UDP: inuse 0 mem 0\n"
		"FRAG: inuse 0 memory 0\n"), &t, NULL), MQ_PARSE_OK);
	ck_assert_int_eq(mq_parse_sockstat(T("TCP6: inuse 3\n"), &t, NULL), MQ_PARSE_OK);
	ck_assert_int_eq(mq_keyed_get(&t, "TCP", "mem", &v), 0);
	ck_assert_int_eq(v, 241);
	ck_assert_int_eq(mq_keyed_get(&t, "TCP", "tw", &v), 0);
	ck_assert_int_eq(v, 2);
	ck_assert_int_eq(mq_keyed_get(&t, "TCP6", "inuse", &v), 0);
	ck_assert_int_eq(v, 3);
	/* hostile: odd token count, bad number, no prefix; the table keeps
	 * what it had */
	ck_assert_int_eq(mq_parse_sockstat(T("TCP: inuse\n"), &t, &bad), MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(bad, 1);
	ck_assert_int_eq(mq_parse_sockstat(T("TCP: inuse 1\nUDP: mem 1x\n"), &t, &bad),
			 MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(bad, 2);
	ck_assert_int_eq(mq_parse_sockstat(T("inuse 1\n"), &t, NULL), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_sockstat(T(""), &t, NULL), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_sockstat(T("TCP: a\0 1\n"), &t, NULL), MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(t.nr, 11);
	mq_keyed_free(&t);
}
END_TEST

/* --- limits ------------------------------------------------------------ */

static const char limits_txt[] =
	"Limit                     Soft Limit           Hard Limit           Units     \n"
	"Max cpu time              unlimited            unlimited            seconds   \n"
	"Max open files            1024                 524288               files     \n"
	"Max locked memory         8388608              8388608              bytes     \n";

START_TEST(limits_ok)
{
	uint64_t s = 0, h = 0;

	ck_assert_int_eq(mq_parse_limit(T(limits_txt), "Max open files", &s, &h),
			 MQ_PARSE_OK);
	ck_assert_uint_eq(s, 1024);
	ck_assert_uint_eq(h, 524288);
	ck_assert_int_eq(mq_parse_limit(T(limits_txt), "Max cpu time", &s, &h),
			 MQ_PARSE_OK);
	ck_assert(s == UINT64_MAX && h == UINT64_MAX);
	/* hostile */
	ck_assert_int_eq(mq_parse_limit(T(limits_txt), "Max open", &s, &h),
			 MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_limit(T("Max open files 12\n"), "Max open files",
					&s, &h), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_limit(T("Max open files x 1\n"), "Max open files",
					&s, &h), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_limit(T("Max open files -1 1\n"), "Max open files",
					&s, &h), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_limit(T(""), "Max open files", &s, &h),
			 MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_limit(T("Max open files 1\0 2\n"), "Max open files",
					&s, &h), MQ_PARSE_SYNTAX);
}
END_TEST

/* --- tuples, interrupts, sysctl.conf ---------------------------------- */

START_TEST(tuples)
{
	uint64_t v[3] = { 7, 7, 7 };

	ck_assert_int_eq(mq_parse_u64_tuple(T("486\t0\t2466170\n"), v, 3), MQ_PARSE_OK);
	ck_assert_uint_eq(v[2], 2466170);
	ck_assert_int_eq(mq_parse_u64_tuple(T("32768\t60999\n"), v, 2), MQ_PARSE_OK);
	ck_assert_uint_eq(v[1], 60999);
	ck_assert_int_eq(mq_parse_u64_tuple(T("1 2\n"), v, 3), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_u64_tuple(T("1 2 3 4\n"), v, 3), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_u64_tuple(T("1 2 -3\n"), v, 3), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_u64_tuple(T("1 2\n3\n"), v, 3), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_u64_tuple(T("1 2 3\n\n"), v, 3), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_u64_tuple(T("1 2 3\0"), v, 3), MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_u64_tuple(T("1 2 18446744073709551616"), v, 3),
			 MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(v[1], 60999);		/* untouched on failure */
}
END_TEST

static const char interrupts_txt[] =
	"           CPU0       CPU2       \n"
	"  0:         36          0   IO-APIC   2-edge      timer\n"
	" 41:        100       5000   PCI-MSIX-0000:00:03.0  1-edge  virtio0-input.0\n"
	" 42:          7          8   PCI-MSIX-0000:00:03.0  2-edge  virtio0-output.0\n"
	"NMI:          0          0   Non-maskable interrupts\n"
	"ERR:          0\n";

START_TEST(irq_counts)
{
	unsigned int want[] = { 42, 41, 99, 41 };
	struct mq_irq_counts c;
	size_t bad = 5;

	ck_assert_int_eq(mq_parse_irq_counts(T(interrupts_txt), want, 4, &c, &bad),
			 MQ_PARSE_OK);
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(c.nr_columns, 2);
	ck_assert_uint_eq(c.cpus[1], 2);
	ck_assert(c.found[0] && c.found[1] && !c.found[2] && c.found[3]);
	ck_assert_uint_eq(c.counts[1 * 2 + 1], 5000);
	ck_assert_uint_eq(c.counts[3 * 2 + 1], 5000);
	ck_assert_uint_eq(c.counts[0 * 2 + 0], 7);
	ck_assert_uint_eq(c.counts[2 * 2 + 0], 0);
	mq_irq_counts_free(&c);
	ck_assert_int_eq(mq_parse_irq_counts(T("CPU0\n41: x\n"), want, 4, &c, &bad),
			 MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(bad, 2);
	ck_assert_int_eq(mq_parse_irq_counts(T("CPU0\n41: 1\n41: 2\n"), want, 4, &c, &bad),
			 MQ_PARSE_SYNTAX);
	ck_assert_uint_eq(bad, 3);
	ck_assert_int_eq(mq_parse_irq_counts(T("CPU0 CPU1\n42: 1\n"), want, 4, &c, &bad),
			 MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_parse_irq_counts(T("garbage\n"), want, 4, &c, &bad),
			 MQ_PARSE_SYNTAX);
	ck_assert_ptr_null(c.counts);
}
END_TEST

START_TEST(sysctl_conf)
{
	char v[16];
	size_t line = 0;

	ck_assert_int_eq(mq_sysctl_conf_find(T(
		"# net.ipv4.tcp_tw_recycle = 1\n"
		"; net.ipv4.tcp_tw_recycle = 1\n"
		"net.ipv4.tcp_tw_reuse = 1\n"
		"  net/ipv4/tcp_tw_recycle=0\n"
		"-net.ipv4.tcp_tw_recycle = 1 \r\n"),
		"net.ipv4.tcp_tw_recycle", &line, v, sizeof(v)), 1);
	ck_assert_uint_eq(line, 5);
	ck_assert_str_eq(v, "1");
	ck_assert_int_eq(mq_sysctl_conf_find(T("net.ipv4.tcp_tw_recycled = 1\n"
					       "net.ipv4.tcp_tw_recycle\n"
					       "x\0net.ipv4.tcp_tw_recycle=1\n"),
					     "net.ipv4.tcp_tw_recycle", &line, v,
					     sizeof(v)), 0);
	ck_assert_int_eq(mq_sysctl_conf_find(T("net.ipv4.tcp_tw_recycle = 11111111111111111111111\n"),
					     "net.ipv4.tcp_tw_recycle", &line, v, 4), 1);
	ck_assert_str_eq(v, "111");
}
END_TEST

Suite *procnet_suite(void);
Suite *procnet_suite(void)
{
	Suite *s = suite_create("procnet");
	TCase *tc = tcase_create("parsers");

	tcase_add_test(tc, softnet_modern);
	tcase_add_test(tc, softnet_old_kernels);
	tcase_add_loop_test(tc, softnet_hostile, 0,
			    sizeof(softnet_bad) / sizeof(softnet_bad[0]));
	tcase_add_test(tc, softnet_many_columns);
	tcase_add_test(tc, softirqs_ok);
	tcase_add_loop_test(tc, softirqs_hostile, 0,
			    sizeof(softirqs_bad) / sizeof(softirqs_bad[0]));
	tcase_add_test(tc, netstat_ok);
	tcase_add_loop_test(tc, netstat_hostile, 0,
			    sizeof(netstat_bad) / sizeof(netstat_bad[0]));
	tcase_add_test(tc, sockstat_ok);
	tcase_add_test(tc, limits_ok);
	tcase_add_test(tc, tuples);
	tcase_add_test(tc, irq_counts);
	tcase_add_test(tc, sysctl_conf);
	suite_add_tcase(s, tc);
	return s;
}
