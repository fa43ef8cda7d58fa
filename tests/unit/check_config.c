/*
 * check_config.c - the config file parser (src/base/config.c), the option
 * values it shares with the command line (src/base/options.c) and the
 * resolution of an interface's options (src/base/config_resolve.c).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "mqtune/config.h"
#include "mqtune/options.h"
#include "model_builder.h"

Suite *config_suite(void);

static int parse(const char *text, struct mq_config *c, struct mq_diag *d)
{
	mq_diag_clear(d);
	return mq_config_parse(text, strlen(text), "t.conf", c, d);
}

/* Parse @text, which must fail with exactly @msg and status 13. */
static void refused(const char *text, const char *msg)
{
	struct mq_config c;
	struct mq_diag d;

	ck_assert_msg(parse(text, &c, &d) == -1, "accepted: %s", text);
	ck_assert_int_eq(d.status, MQ_EXIT_CONFIG);
	ck_assert_str_eq(d.msg, msg);
	ck_assert_ptr_null(c.sects);
	ck_assert_uint_eq(c.nr, 0);
}

#define X16 "xxxxxxxxxxxxxxxx"
#define X128 X16 X16 X16 X16 X16 X16 X16 X16

static const struct { const char *text, *msg; } bad_cases[] = {
	{ "[global]\nrsp = off\n", "t.conf:2: unknown key 'rsp'" },
	{ "rps = off\n", "t.conf:1: 'rps' is outside any section (put it under [global])" },
	{ "[global]\nrps = of\n", "t.conf:2: rps: 'of' is not auto, off or keep" },
	{ "[global]\n\n# c\nxps = 1\n", "t.conf:4: xps: '1' is not auto, off or keep" },
	{ "[global]\nrps-scope = numa\n", "t.conf:2: rps-scope: 'numa' is not node or machine" },
	{ "[global]\nbacklog = 0\n",
	  "t.conf:2: backlog: '0' is not auto, keep or a number from 1 to 2147483647" },
	{ "[global]\nbacklog = 2147483648\n",
	  "t.conf:2: backlog: '2147483648' is not auto, keep or a number from 1 to 2147483647" },
	{ "[global]\ncpus = 3-1\n", "t.conf:2: cpus: '3-1' is not a CPU list like 0-3,8" },
	{ "[global]\nexclude-cpus = x\n", "t.conf:2: exclude-cpus: 'x' is not a CPU list like 0-3,8" },
	{ "[global]\ncpus = 0-3 # the first four\n",
	  "t.conf:2: cpus: '0-3 # the first four' is not a CPU list like 0-3,8" },
	{ "[global]\nwait = 86401\n", "t.conf:2: wait: '86401' is not a number of seconds from 0 to 86400" },
	{ "[global]\nirqbalance = no\n", "t.conf:2: irqbalance: 'no' is not warn, fail or ignore" },
	{ "[global]\nrps =\n", "t.conf:2: 'rps' needs a value (auto, off or keep)" },
	{ "[global]\nrps = \"\"\n", "t.conf:2: 'rps' needs a value (auto, off or keep)" },
	{ "[global]\nrps = \"off\n", "t.conf:2: rps: a quote must open and close the whole value (no escapes)" },
	{ "[global]\nrps off\n", "t.conf:2: not KEY = VALUE, a [section] or a # comment" },
	{ "[global]\n= off\n", "t.conf:2: no key before '='" },
	{ "[global]\nrps = off\nrps = auto\n",
	  "t.conf:3: 'rps' given twice in [global] (first at line 2)" },
	{ "[interface eth0]\nwait = 3\n", "t.conf:2: 'wait' is allowed in [global] only" },
	{ "[driver ixgbe]\nirqbalance = fail\n", "t.conf:2: 'irqbalance' is allowed in [global] only" },
	{ "[global]\n[global]\n", "t.conf:2: duplicate section [global] (first at line 1)" },
	{ "[interface eth0]\n\n[interface \"eth0\"]\n",
	  "t.conf:3: duplicate section [interface eth0] (first at line 1)" },
	{ "[pci 0000:3B:00.0]\n[pci 0000:3b:00.0]\n",
	  "t.conf:2: duplicate section [pci 0000:3b:00.0] (first at line 1)" },
	{ "[interface \"ens*\"]\n[interface ens*]\n",
	  "t.conf:2: duplicate section [interface \"ens*\"] (first at line 1)" },
	{ "[iface eth0]\n", "t.conf:1: unknown section 'iface' (global, interface, driver or pci)" },
	{ "[]\n", "t.conf:1: unknown section '' (global, interface, driver or pci)" },
	{ "[interface]\n", "t.conf:1: [interface] needs a name: [interface NAME]" },
	{ "[global x]\n", "t.conf:1: [global] takes no name" },
	{ "[global] x\n", "t.conf:1: a section header ends with ']' and nothing after it" },
	{ "[global\n", "t.conf:1: a section header ends with ']' and nothing after it" },
	{ "[interface a/b]\n",
	  "t.conf:1: [interface a/b]: not an interface name (1-127 bytes, no '/', ':' or blanks)" },
	/* 16 to 127 bytes: an alternative name; 128: too long for one */
	{ "[interface " X128 "]\n", "t.conf:1: section name longer than 127 bytes" },
	{ "[interface " X16 X16 "/]\n",
	  "t.conf:1: [interface " X16 X16 "/]: not an interface name (1-127 bytes, no '/', ':' or blanks)" },
	{ "[interface \"a b*\"]\n", "t.conf:1: [interface \"a b*\"]: not an interface name pattern" },
	{ "[pci 3b:00.0]\n", "t.conf:1: [pci 3b:00.0]: not a PCI address like 0000:3b:00.0" },
	{ "[pci 0000:3b:00.8]\n", "t.conf:1: [pci 0000:3b:00.8]: not a PCI address like 0000:3b:00.0" },
	{ "[pci 0000:3b:20.0]\n", "t.conf:1: [pci 0000:3b:20.0]: not a PCI address like 0000:3b:00.0" },
	{ "[driver ix/gbe]\n", "t.conf:1: [driver ix/gbe]: not a driver name" },
	{ "[interface \"eth\"0\"]\n",
	  "t.conf:1: section name: a quote must open and close the whole value (no escapes)" },
	{ "[global]\nrps = off\0\n", "t.conf:2: a NUL byte (not a text file)" },
};

START_TEST(test_bad)
{
	if (strchr(bad_cases[_i].text, '\0') &&
	    strstr(bad_cases[_i].msg, "NUL")) {
		/* the NUL case: parse with its real length */
		static const char t[] = "[global]\nrps = off\0\n";
		struct mq_config c;
		struct mq_diag d;

		mq_diag_clear(&d);
		ck_assert_int_eq(mq_config_parse(t, sizeof(t) - 1, "t.conf", &c, &d), -1);
		ck_assert_int_eq(d.status, MQ_EXIT_CONFIG);
		ck_assert_str_eq(d.msg, bad_cases[_i].msg);
		return;
	}
	refused(bad_cases[_i].text, bad_cases[_i].msg);
}
END_TEST

START_TEST(test_long_line)
{
	char buf[5000];
	struct mq_config c;
	struct mq_diag d;

	memset(buf, '#', sizeof(buf));
	memcpy(buf, "[global]\n", 9);
	ck_assert_int_eq(mq_config_parse(buf, sizeof(buf), "t.conf", &c, &d), -1);
	ck_assert_str_eq(d.msg, "t.conf:2: line longer than 4096 bytes");
}
END_TEST

/* Every key, in every form the format allows. */
START_TEST(test_every_key)
{
	static const char text[] =
		"# comment\n"
		"; also a comment\n"
		"  [ global ]  \n"
		"cpus = 0-7,16\n"
		"exclude-cpus=\"2\"\n"
		"\trps\t=\tkeep\t\r\n"
		"rps-scope = machine\n"
		"xps = off\n"
		"backlog = 30000\n"
		"channels = 6\n"
		"rss = equal\n"
		"irqbalance = ignore\n"
		"wait = 0\n"
		"[interface eth0]\n"
		"[interface \"ens*\"]\n"
		"backlog = keep\n"
		"[driver ixgbe]\n"
		"backlog = auto\n"
		"[pci 0000:3B:00.1]\n"
		"rps = auto";		/* no final newline */
	const struct mq_config_section *g;
	struct mq_config c;
	struct mq_diag d;
	char buf[64];

	ck_assert_int_eq(parse(text, &c, &d), 0);
	ck_assert(c.present);
	ck_assert_str_eq(c.file, "t.conf");
	ck_assert_uint_eq(c.nr, 5);
	g = &c.sects[0];
	ck_assert_int_eq(g->kind, MQ_SECT_GLOBAL);
	ck_assert_uint_eq(g->line, 3);
	ck_assert_uint_eq(g->opts.set, (1u << MQ_OPT_NR) - 1);
	ck_assert_str_eq(mq_opt_format(&g->opts, MQ_OPT_CPUS, buf, sizeof(buf)), "0-7,16");
	ck_assert_str_eq(mq_opt_format(&g->opts, MQ_OPT_EXCLUDE_CPUS, buf, sizeof(buf)), "2");
	ck_assert_int_eq(g->opts.rps, MQ_STEER_KEEP);
	ck_assert_int_eq(g->opts.rps_scope, MQ_RPS_SCOPE_MACHINE);
	ck_assert_int_eq(g->opts.xps, MQ_STEER_OFF);
	ck_assert_int_eq(g->opts.backlog, MQ_BACKLOG_SET);
	ck_assert_int_eq(g->opts.backlog_value, 30000);
	ck_assert_int_eq(g->opts.channels, MQ_CHANNELS_SET);
	ck_assert_uint_eq(g->opts.channels_value, 6);
	ck_assert_int_eq(g->opts.rss, MQ_RSS_EQUAL);
	ck_assert_int_eq(g->opts.irqbalance, MQ_IRQBALANCE_IGNORE);
	ck_assert_int_eq(g->opts.wait_ms, 0);
	ck_assert_uint_eq(g->opts.line[MQ_OPT_RPS], 6);
	ck_assert_uint_eq(g->opts.line[MQ_OPT_WAIT], 13);
	ck_assert_int_eq(c.sects[1].kind, MQ_SECT_NAME);
	ck_assert_str_eq(c.sects[1].arg, "eth0");
	ck_assert_uint_eq(c.sects[1].opts.set, 0);
	ck_assert_int_eq(c.sects[2].kind, MQ_SECT_GLOB);
	ck_assert_str_eq(c.sects[2].arg, "ens*");
	ck_assert_int_eq(c.sects[2].opts.backlog, MQ_BACKLOG_KEEP);
	ck_assert_int_eq(c.sects[3].kind, MQ_SECT_DRIVER);
	ck_assert_int_eq(c.sects[4].kind, MQ_SECT_PCI);
	ck_assert_str_eq(c.sects[4].arg, "0000:3b:00.1");	/* lower-cased */
	ck_assert_uint_eq(c.sects[4].opts.line[MQ_OPT_RPS], 20);
	ck_assert_str_eq(mq_sect_header(&c.sects[2], buf, sizeof(buf)),
			 "[interface \"ens*\"]");
	ck_assert_str_eq(mq_sect_header(&c.sects[4], buf, sizeof(buf)),
			 "[pci 0000:3b:00.1]");
	mq_config_fini(&c);
}
END_TEST

START_TEST(test_empty_file)
{
	struct mq_config c;
	struct mq_diag d;
	struct mq_resolved r;
	int k;

	ck_assert_int_eq(parse("", &c, &d), 0);
	ck_assert_uint_eq(c.nr, 1);
	ck_assert(!mq_config_names_interfaces(&c));
	mq_config_resolve(&c, NULL, "eth0", "ixgbe", "", &r);
	for (k = 0; k < MQ_OPT_NR; k++)
		ck_assert_int_eq(r.kind[k], MQ_SRC_DEFAULT);
	ck_assert_int_eq(mq_resolved_wait_ms(&r), 10000);
	mq_config_fini(&c);
}
END_TEST

static const char prec_text[] =
	"[global]\n"				/* 1 */
	"rps = off\n"				/* 2 */
	"xps = off\n"				/* 3 */
	"backlog = 1000\n"			/* 4 */
	"[interface eth0]\n"			/* 5 */
	"rps = keep\n"				/* 6 */
	"[pci 0000:3b:00.0]\n"			/* 7 */
	"rps = auto\n"				/* 8 */
	"xps = keep\n"				/* 9 */
	"[interface \"eth*\"]\n"		/* 10 */
	"xps = auto\n"				/* 11 */
	"cpus = 0-3\n"				/* 12 */
	"[driver ixgbe]\n"			/* 13 */
	"backlog = 2000\n"			/* 14 */
	"cpus = 4-7\n"				/* 15 */
	"[interface \"e*\"]\n"			/* 16 */
	"cpus = 8\n";				/* 17 */

START_TEST(test_precedence)
{
	struct mq_config c;
	struct mq_diag d;
	struct mq_resolved r;
	char buf[64];

	ck_assert_int_eq(parse(prec_text, &c, &d), 0);
	/* name > pci > glob > driver > global; the later glob wins */
	mq_config_resolve(&c, NULL, "eth0", "ixgbe", "0000:3b:00.0", &r);
	ck_assert_int_eq(r.from[MQ_OPT_RPS]->rps, MQ_STEER_KEEP);
	ck_assert_uint_eq(r.line[MQ_OPT_RPS], 6);
	ck_assert_int_eq(r.from[MQ_OPT_XPS]->xps, MQ_STEER_KEEP);
	ck_assert_uint_eq(r.line[MQ_OPT_XPS], 9);
	ck_assert_uint_eq(r.line[MQ_OPT_BACKLOG], 14);
	ck_assert_str_eq(mq_resolved_format(&r, MQ_OPT_CPUS, buf, sizeof(buf)), "8");
	ck_assert_uint_eq(r.line[MQ_OPT_CPUS], 17);
	ck_assert_str_eq(mq_resolved_source(&r, &c, MQ_OPT_CPUS, buf, sizeof(buf)),
			 "t.conf:17");
	ck_assert_int_eq(r.kind[MQ_OPT_RPS_SCOPE], MQ_SRC_DEFAULT);
	ck_assert_str_eq(mq_resolved_source(&r, &c, MQ_OPT_RPS_SCOPE, buf, sizeof(buf)),
			 "default");
	/* another ixgbe, other name and address */
	mq_config_resolve(&c, NULL, "ens1", "ixgbe", "0000:5e:00.0", &r);
	ck_assert_int_eq(r.from[MQ_OPT_RPS]->rps, MQ_STEER_OFF);
	ck_assert_uint_eq(r.line[MQ_OPT_RPS], 2);
	ck_assert_uint_eq(r.line[MQ_OPT_CPUS], 17);	/* "e*" */
	ck_assert_uint_eq(r.line[MQ_OPT_BACKLOG], 14);
	/* nothing but [global] */
	mq_config_resolve(&c, NULL, "bond0", "bonding", "", &r);
	ck_assert_uint_eq(r.line[MQ_OPT_BACKLOG], 4);
	ck_assert_int_eq(r.kind[MQ_OPT_CPUS], MQ_SRC_DEFAULT);
	ck_assert(!mq_config_matches(&c, "bond0", "bonding", ""));
	ck_assert(!mq_config_matches(&c, "veth1", "veth", ""));	/* anchored */
	ck_assert(mq_config_matches(&c, "eno1", "", ""));		/* "e*" */
	mq_config_fini(&c);
}
END_TEST

START_TEST(test_cmdline_wins)
{
	struct mq_config c;
	struct mq_diag d;
	struct mq_resolved r;
	struct mq_opts cl;
	char buf[64];

	ck_assert_int_eq(parse(prec_text, &c, &d), 0);
	mq_opts_init(&cl);
	ck_assert_int_eq(mq_opt_parse(&cl, MQ_OPT_RPS, "off", 3), 0);
	ck_assert_int_eq(mq_opt_parse(&cl, MQ_OPT_CPUS, "1-2", 3), 0);
	ck_assert_int_eq(mq_opt_parse(&cl, MQ_OPT_WAIT, "5", 1), 0);
	mq_config_resolve(&c, &cl, "eth0", "ixgbe", "0000:3b:00.0", &r);
	ck_assert_int_eq(r.kind[MQ_OPT_RPS], MQ_SRC_CMDLINE);
	ck_assert_int_eq(r.from[MQ_OPT_RPS]->rps, MQ_STEER_OFF);
	ck_assert_str_eq(mq_resolved_source(&r, &c, MQ_OPT_RPS, buf, sizeof(buf)),
			 "command line");
	ck_assert_str_eq(mq_resolved_format(&r, MQ_OPT_CPUS, buf, sizeof(buf)), "1-2");
	ck_assert_int_eq(mq_resolved_wait_ms(&r), 5000);
	ck_assert_int_eq(r.kind[MQ_OPT_XPS], MQ_SRC_FILE);	/* not given */
	mq_opts_fini(&cl);
	mq_config_fini(&c);
}
END_TEST

START_TEST(test_matching)
{
	struct mq_config c;
	struct mq_diag d;

	ck_assert_int_eq(parse("[interface \"ens[0-3]\"]\n[driver mlx5_core]\n"
			       "[pci 0000:3b:00.0]\n[interface eth9]\n", &c, &d), 0);
	ck_assert(mq_config_names_interfaces(&c));
	ck_assert(mq_config_matches(&c, "ens2", "", ""));
	ck_assert(!mq_config_matches(&c, "ens4", "", ""));
	ck_assert(!mq_config_matches(&c, "ens20", "", ""));
	ck_assert(mq_config_matches(&c, "x", "mlx5_core", ""));
	ck_assert(!mq_config_matches(&c, "x", "mlx4_en", ""));
	ck_assert(mq_config_matches(&c, "x", "", "0000:3b:00.0"));
	ck_assert(!mq_config_matches(&c, "x", "", "0000:3b:00.1"));
	ck_assert(mq_config_matches(&c, "eth9", "", ""));
	ck_assert(!mq_config_matches(&c, "eth90", "", ""));
	ck_assert(!mq_config_matches(&c, "x", "", ""));	/* "" driver never */
	mq_config_fini(&c);
}
END_TEST

START_TEST(test_policy)
{
	struct mq_config c;
	struct mq_diag d;
	struct mq_resolved r;
	struct mq_dev_policy p, q;

	ck_assert_int_eq(parse("[global]\ncpus = 1-3,100\nexclude-cpus = 2\n"
			       "rps = off\nbacklog = 7\n[interface eth1]\n"
			       "xps = keep\n", &c, &d), 0);
	mq_config_resolve(&c, NULL, "eth0", "", "", &r);
	ck_assert_int_eq(mq_resolved_policy(&r, 8, &p, &d), 0);
	ck_assert_ptr_eq(p.policy.only_cpus, &p.only);
	ck_assert_ptr_eq(p.policy.exclude_cpus, &p.exclude);
	ck_assert_uint_eq(p.only.nbits, 101);	/* CPU 100 kept for the warning */
	ck_assert_uint_eq(p.exclude.nbits, 8);
	ck_assert(mq_cpuset_test(&p.only, 100));
	ck_assert_uint_eq(mq_cpuset_weight(&p.only), 4);
	ck_assert_int_eq(p.policy.rps, MQ_STEER_OFF);
	ck_assert_int_eq(p.policy.backlog, MQ_BACKLOG_SET);
	ck_assert_int_eq(p.policy.backlog_value, 7);
	mq_config_resolve(&c, NULL, "eth1", "", "", &r);
	ck_assert_int_eq(mq_resolved_policy(&r, 8, &q, &d), 0);
	ck_assert(!mq_policy_equal(&p.policy, &q.policy));
	q.policy.xps = p.policy.xps;
	ck_assert(mq_policy_equal(&p.policy, &q.policy));
	mq_dev_policy_fini(&q);
	mq_config_resolve(&c, NULL, "eth2", "", "", &r);
	ck_assert_int_eq(mq_resolved_policy(&r, 8, &q, &d), 0);
	ck_assert(mq_policy_equal(&p.policy, &q.policy));
	mq_dev_policy_fini(&q);
	mq_dev_policy_fini(&p);
	/* no CPU list anywhere: no sets */
	mq_config_fini(&c);
	ck_assert_int_eq(parse("", &c, &d), 0);
	mq_config_resolve(&c, NULL, "eth0", "", "", &r);
	ck_assert_int_eq(mq_resolved_policy(&r, 8, &p, &d), 0);
	ck_assert_ptr_null(p.policy.only_cpus);
	ck_assert_ptr_null(p.policy.exclude_cpus);
	mq_dev_policy_fini(&p);
	mq_config_fini(&c);
}
END_TEST

/* The command line's parser is this one: same words, same limits. */
START_TEST(test_opt_parse)
{
	struct mq_opts o;
	char buf[32];

	mq_opts_init(&o);
	ck_assert_int_eq(mq_opt_lookup("rps-scope", 9), MQ_OPT_RPS_SCOPE);
	ck_assert_int_eq(mq_opt_lookup("rps", 3), MQ_OPT_RPS);
	ck_assert_int_eq(mq_opt_lookup("rp", 2), -1);
	ck_assert_int_eq(mq_opt_lookup("dry-run", 7), -1);
	ck_assert(mq_opt_global_only(MQ_OPT_WAIT));
	ck_assert(mq_opt_global_only(MQ_OPT_IRQBALANCE));
	ck_assert(!mq_opt_global_only(MQ_OPT_BACKLOG));
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_BACKLOG, "2147483647", 10), 0);
	ck_assert_str_eq(mq_opt_format(&o, MQ_OPT_BACKLOG, buf, sizeof(buf)), "2147483647");
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_BACKLOG, "-1", 2), -1);
	ck_assert_int_eq(o.backlog_value, 2147483647);	/* unchanged */
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_WAIT, "86400", 5), 0);
	ck_assert_int_eq(o.wait_ms, 86400000L);
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_CPUS, "", 0), -1);
	ck_assert(!mq_opts_has(&o, MQ_OPT_CPUS));
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_CPUS, "0-3", 2), -1);	/* "0-" */
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_CPUS, "0,3", 1), 0);	/* "0" */
	ck_assert_str_eq(mq_opt_format(&o, MQ_OPT_CPUS, buf, sizeof(buf)), "0");
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_RPS, "autox", 4), 0);	/* "auto" */
	ck_assert_int_eq(mq_opt_parse(&o, MQ_OPT_RPS, "Auto", 4), -1);
	mq_opts_fini(&o);
}
END_TEST

/* One policy per netdev of a model: driver and PCI address from the model. */
START_TEST(test_policies)
{
	struct mq_machine *m = mb_machine(16, 1, 2);
	struct mq_netdev *dev;
	struct mq_policies pols;
	struct mq_config c;
	struct mq_diag d;
	struct mq_opts cl;

	dev = mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 1, 0, 10000);
	snprintf(dev->driver, sizeof(dev->driver), "ixgbe");
	snprintf(dev->bus, sizeof(dev->bus), "pci");
	snprintf(dev->bus_address, sizeof(dev->bus_address), "0000:3b:00.0");
	dev = mb_netdev(m, "eth1", 4, 4, MB_VEC_COMBINED, 1, 0, 10000);
	snprintf(dev->driver, sizeof(dev->driver), "ixgbe");
	snprintf(dev->bus, sizeof(dev->bus), "pci");
	snprintf(dev->bus_address, sizeof(dev->bus_address), "0000:3b:00.1");
	mb_netdev(m, "veth0", 1, 1, MB_VEC_NONE, 0, -1, -1);
	ck_assert_int_eq(parse("[global]\nxps = off\n[driver ixgbe]\nrps = off\n"
			       "[pci 0000:3b:00.1]\ncpus = 8-15\n", &c, &d), 0);
	mq_opts_init(&cl);
	ck_assert_int_eq(mq_opt_parse(&cl, MQ_OPT_BACKLOG, "keep", 4), 0);
	ck_assert_int_eq(mq_config_policies(&c, &cl, m, &pols, &d), 0);
	ck_assert_uint_eq(pols.nr, 3);
	ck_assert_ptr_eq(pols.per_dev[1], &pols.devs[1].policy);
	ck_assert_int_eq(pols.per_dev[0]->rps, MQ_STEER_OFF);
	ck_assert_ptr_null(pols.per_dev[0]->only_cpus);
	ck_assert_int_eq(pols.per_dev[1]->rps, MQ_STEER_OFF);
	ck_assert_ptr_nonnull(pols.per_dev[1]->only_cpus);
	ck_assert_uint_eq(pols.per_dev[1]->only_cpus->nbits, 16);
	ck_assert_uint_eq(mq_cpuset_weight(pols.per_dev[1]->only_cpus), 8);
	ck_assert_int_eq(pols.per_dev[2]->rps, MQ_STEER_AUTO);
	ck_assert_int_eq(pols.per_dev[2]->xps, MQ_STEER_OFF);
	ck_assert_int_eq(pols.per_dev[2]->backlog, MQ_BACKLOG_KEEP);
	ck_assert(mq_config_matches_netdev(&c, &m->netdevs[0]));
	ck_assert(!mq_config_matches_netdev(&c, &m->netdevs[2]));
	mq_policies_fini(&pols);
	ck_assert_ptr_null(pols.devs);
	mq_opts_fini(&cl);
	mq_config_fini(&c);
	mq_machine_free(m);
}
END_TEST

/* [interface UPPER] applies to what UPPER resolved to, below its own name. */
START_TEST(test_via)
{
	struct mq_config c;
	struct mq_diag d;
	struct mq_resolved r;
	const struct mq_config_via via[] = {
		{ .lower = "eth0", .upper = "bond0" },
		{ .lower = "eth1", .upper = "bond0" },
		{ .lower = "eth1", .upper = "uplink-" X16 },
	};

	ck_assert_int_eq(parse("[interface bond0]\nrps = off\nxps = off\n"
			       "[interface eth1]\nrps = auto\n"
			       "[interface uplink-" X16 "]\nbacklog = keep\n"
			       "[interface \"eth*\"]\nxps = keep\n", &c, &d), 0);
	/* no via table: bond0's section is nobody's */
	ck_assert(!mq_config_matches(&c, "ens2", "", ""));
	mq_config_resolve(&c, NULL, "eth0", "", "", &r);
	ck_assert_int_eq(r.kind[MQ_OPT_RPS], MQ_SRC_DEFAULT);
	ck_assert_int_eq(mq_config_set_via(&c, via, 3), 0);
	ck_assert_uint_eq(c.nr_via, 3);
	mq_config_resolve(&c, NULL, "eth0", "", "", &r);
	ck_assert_int_eq(r.kind[MQ_OPT_RPS], MQ_SRC_FILE);
	ck_assert_int_eq(r.from[MQ_OPT_RPS]->rps, MQ_STEER_OFF);
	ck_assert_uint_eq(r.line[MQ_OPT_RPS], 2);
	/* a name section (bond0's) over a glob one */
	ck_assert_int_eq(r.from[MQ_OPT_XPS]->xps, MQ_STEER_OFF);
	/* eth1's own section over bond0's; the altname's applies too */
	mq_config_resolve(&c, NULL, "eth1", "", "", &r);
	ck_assert_int_eq(r.from[MQ_OPT_RPS]->rps, MQ_STEER_AUTO);
	ck_assert_uint_eq(r.line[MQ_OPT_RPS], 5);
	ck_assert_int_eq(r.kind[MQ_OPT_BACKLOG], MQ_SRC_FILE);
	ck_assert(mq_config_section_applies(&c, &c.sects[1], "eth0", "", ""));
	ck_assert(!mq_config_section_applies(&c, &c.sects[1], "eth2", "", ""));
	ck_assert(!mq_config_section_matches(&c.sects[1], "eth0", "", ""));
	ck_assert(mq_config_matches(&c, "eth0", "", ""));
	/* a pattern matching the bond: at its rank, below eth*'s own match */
	mq_config_fini(&c);
	ck_assert_int_eq(parse("[interface \"bond*\"]\nrps = off\nxps = off\n"
			       "[interface \"e*\"]\nxps = keep\n", &c, &d), 0);
	ck_assert_int_eq(mq_config_set_via(&c, via, 3), 0);
	mq_config_resolve(&c, NULL, "eth0", "", "", &r);
	ck_assert_int_eq(r.from[MQ_OPT_RPS]->rps, MQ_STEER_OFF);
	ck_assert_int_eq(r.from[MQ_OPT_XPS]->xps, MQ_STEER_KEEP);
	mq_config_resolve(&c, NULL, "ens0", "", "", &r);
	ck_assert_int_eq(r.kind[MQ_OPT_RPS], MQ_SRC_DEFAULT);
	/* replaced, not added to */
	ck_assert_int_eq(mq_config_set_via(&c, NULL, 0), 0);
	ck_assert_uint_eq(c.nr_via, 0);
	ck_assert(!mq_config_section_applies(&c, &c.sects[1], "eth0", "", ""));
	mq_config_fini(&c);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_every_key);
	tcase_add_test(tc, test_empty_file);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_cmdline_wins);
	tcase_add_test(tc, test_matching);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_opt_parse);
	tcase_add_test(tc, test_policies);
	tcase_add_test(tc, test_via);
	suite_add_tcase(s, tc);
	return s;
}
