/*
 * check_events.c - the notification parsers (src/access/events.c) on
 * messages built the way the kernel lays them out, hostile ones too, and
 * the watch's schedule (src/core/settle.c).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "mqtune/events.h"
#include "mqtune/settle.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

Suite *events_suite(void);
Suite *settle_suite(void);

/* A message under construction. */
struct msg {
	unsigned char b[512];
	size_t len;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
	while (m->len % 4)
		m->b[m->len++] = 0;
}

static void attr(struct msg *m, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = type };

	put(m, &a, sizeof(a));
	if (n)
		put(m, p, n);
}

static void finish(struct msg *m)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->b;

	h->nlmsg_len = (uint32_t)m->len;
}

static void link_msg(struct msg *m, uint16_t type, int ifindex,
		     unsigned int flags, const char *name, int oper)
{
	struct nlmsghdr h = { .nlmsg_type = type };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
				 .ifi_flags = flags };

	memset(m, 0, sizeof(*m));
	put(m, &h, sizeof(h));
	put(m, &ifi, sizeof(ifi));
	if (name)
		attr(m, IFLA_IFNAME, name, strlen(name) + 1);
	if (oper >= 0) {
		unsigned char o = (unsigned char)oper;

		attr(m, IFLA_OPERSTATE, &o, 1);
	}
	finish(m);
}

#define FAMILY 21

static void ethtool_msg(struct msg *m, uint8_t cmd, uint32_t ifindex,
			const char *name)
{
	struct nlmsghdr h = { .nlmsg_type = FAMILY };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };
	struct msg nest = { .len = 0 };

	memset(m, 0, sizeof(*m));
	put(m, &h, sizeof(h));
	put(m, &g, sizeof(g));
	if (ifindex)
		attr(&nest, 1, &ifindex, sizeof(ifindex));
	if (name)
		attr(&nest, 2, name, strlen(name) + 1);
	attr(m, 1 | NLA_F_NESTED, nest.b, nest.len);
	{	/* an attribute a newer kernel adds after the header */
		uint32_t v = 7;

		attr(m, 9, &v, sizeof(v));
	}
	finish(m);
}

START_TEST(test_parse_newlink)
{
	struct msg m;
	struct mq_event e;

	link_msg(&m, RTM_NEWLINK, 3, IFF_UP | IFF_LOWER_UP, "eth0", 6);
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len, &e), 1);
	ck_assert_int_eq(e.kind, MQ_EV_LINK);
	ck_assert_int_eq(e.ifindex, 3);
	ck_assert_str_eq(e.ifname, "eth0");
	ck_assert_uint_eq(e.flags, IFF_UP | IFF_LOWER_UP);
	ck_assert_int_eq(e.operstate, 6);

	link_msg(&m, RTM_DELLINK, 9, 0, NULL, -1);
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len, &e), 1);
	ck_assert_int_eq(e.kind, MQ_EV_LINK_GONE);
	ck_assert_str_eq(e.ifname, "");
	ck_assert_int_eq(e.operstate, -1);

	link_msg(&m, RTM_NEWADDR, 3, 0, "eth0", -1);
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len, &e), 0);
}
END_TEST

START_TEST(test_parse_link_hostile)
{
	struct msg m;
	struct mq_event e;
	struct nlattr *a;

	link_msg(&m, RTM_NEWLINK, 3, 0, "eth0", -1);
	/* the message claims more bytes than were read */
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len - 4, &e), -1);
	ck_assert_int_eq(mq_events_parse_link(m.b, 8, &e), -1);
	/* an attribute longer than the message */
	a = (struct nlattr *)(m.b + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
	a->nla_len = 200;
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len, &e), -1);
	a->nla_len = 2;			/* shorter than its own header */
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len, &e), -1);
	/* a name without its NUL, and one of IFNAMSIZ bytes: no name */
	link_msg(&m, RTM_NEWLINK, 3, 0, NULL, -1);
	attr(&m, IFLA_IFNAME, "eth0", 4);
	finish(&m);
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len, &e), 1);
	ck_assert_str_eq(e.ifname, "");
	link_msg(&m, RTM_NEWLINK, 3, 0, "0123456789abcdef", -1);
	ck_assert_int_eq(mq_events_parse_link(m.b, m.len, &e), 1);
	ck_assert_str_eq(e.ifname, "");
	/* a header cut before ifinfomsg */
	link_msg(&m, RTM_NEWLINK, 3, 0, NULL, -1);
	((struct nlmsghdr *)m.b)->nlmsg_len = NLMSG_HDRLEN + 4;
	ck_assert_int_eq(mq_events_parse_link(m.b, NLMSG_HDRLEN + 4, &e), -1);
}
END_TEST

START_TEST(test_parse_ethtool)
{
	struct msg m;
	struct mq_event e;

	ethtool_msg(&m, 19, 4, "eth1");		/* CHANNELS_NTF */
	ck_assert_int_eq(mq_events_parse_ethtool(m.b, m.len, FAMILY, &e), 1);
	ck_assert_int_eq(e.kind, MQ_EV_CHANNELS);
	ck_assert_int_eq(e.ifindex, 4);
	ck_assert_str_eq(e.ifname, "eth1");
	ethtool_msg(&m, 17, 4, NULL);		/* RINGS_NTF, no name */
	ck_assert_int_eq(mq_events_parse_ethtool(m.b, m.len, FAMILY, &e), 1);
	ck_assert_int_eq(e.kind, MQ_EV_RINGS);
	ck_assert_str_eq(e.ifname, "");
	ethtool_msg(&m, 50, 4, "eth1");		/* RSS_NTF (6.17) */
	ck_assert_int_eq(mq_events_parse_ethtool(m.b, m.len, FAMILY, &e), 1);
	ck_assert_int_eq(e.kind, MQ_EV_RSS);
	ethtool_msg(&m, 21, 4, "eth1");		/* COALESCE_NTF: not watched */
	ck_assert_int_eq(mq_events_parse_ethtool(m.b, m.len, FAMILY, &e), 0);
	ethtool_msg(&m, 19, 4, "eth1");		/* another family's message */
	ck_assert_int_eq(mq_events_parse_ethtool(m.b, m.len, FAMILY + 1, &e), 0);
	/* a nested header running past its attribute */
	ethtool_msg(&m, 19, 4, "eth1");
	m.b[NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN] = 60;
	ck_assert_int_eq(mq_events_parse_ethtool(m.b, m.len, FAMILY, &e), -1);
	/* a message cut inside the genl header */
	ethtool_msg(&m, 19, 4, "eth1");
	((struct nlmsghdr *)m.b)->nlmsg_len = NLMSG_HDRLEN + 2;
	ck_assert_int_eq(mq_events_parse_ethtool(m.b, NLMSG_HDRLEN + 2, FAMILY, &e), -1);
}
END_TEST

Suite *events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_parse_newlink);
	tcase_add_test(tc, test_parse_link_hostile);
	tcase_add_test(tc, test_parse_ethtool);
	suite_add_tcase(s, tc);
	return s;
}

/* ---- settle ---- */

static struct mq_event ev(enum mq_event_kind k, int ifindex, const char *name,
			  unsigned int flags)
{
	struct mq_event e = { .kind = k, .ifindex = ifindex, .flags = flags,
			      .operstate = -1 };

	strcpy(e.ifname, name);
	return e;
}

#define RUNNING (IFF_UP | IFF_LOWER_UP)

START_TEST(test_settle_idle_sleeps_forever)
{
	struct mq_settle s;
	struct mq_trigger *t;
	struct mq_event e;

	mq_settle_init(&s, 200, 2000);
	ck_assert_int_eq(mq_settle_timeout(&s, 0), -1);
	ck_assert(!mq_settle_due(&s, 1000000));
	ck_assert_int_eq(mq_settle_seed(&s, 3, "eth0", true), 0);
	/* the same state again (a statistics or MTU change): nothing */
	e = ev(MQ_EV_LINK, 3, "eth0", RUNNING);
	ck_assert_int_eq(mq_settle_note(&s, &e, 10), 0);
	/* carrier down is not a heal */
	e = ev(MQ_EV_LINK, 3, "eth0", IFF_UP);
	ck_assert_int_eq(mq_settle_note(&s, &e, 20), 0);
	ck_assert_int_eq(mq_settle_timeout(&s, 20), -1);
	ck_assert_uint_eq(mq_settle_take(&s, &t), 0);
	ck_assert_ptr_null(t);
	mq_settle_fini(&s);
}
END_TEST

START_TEST(test_settle_burst_is_one_heal)
{
	struct mq_settle s;
	struct mq_trigger *t;
	struct mq_event e;
	char why[64];

	mq_settle_init(&s, 200, 1000);
	mq_settle_seed(&s, 3, "eth0", false);
	e = ev(MQ_EV_CHANNELS, 3, "eth0", 0);
	ck_assert_int_eq(mq_settle_note(&s, &e, 100), 1);
	ck_assert_int_eq(mq_settle_timeout(&s, 100), 200);
	ck_assert_int_eq(mq_settle_timeout(&s, 250), 50);
	/* carrier up while settling: merged, and pushed back */
	e = ev(MQ_EV_LINK, 3, "eth0", RUNNING);
	ck_assert_int_eq(mq_settle_note(&s, &e, 250), 1);
	ck_assert(!mq_settle_due(&s, 449));
	ck_assert(mq_settle_due(&s, 450));
	ck_assert_int_eq(mq_settle_timeout(&s, 500), 0);
	ck_assert_uint_eq(mq_settle_take(&s, &t), 1);
	ck_assert_int_eq(t[0].ifindex, 3);
	ck_assert_uint_eq(t[0].why, MQ_WHY_CHANNELS | MQ_WHY_LINK_UP);
	ck_assert_str_eq(mq_why_text(t[0].why, why, sizeof(why)), "link-up,channels");
	free(t);
	ck_assert_int_eq(mq_settle_timeout(&s, 500), -1);
	mq_settle_fini(&s);
}
END_TEST

START_TEST(test_settle_storm_is_bounded)
{
	struct mq_settle s;
	struct mq_trigger *t;
	int64_t now;

	mq_settle_init(&s, 200, 1000);
	for (now = 0; now < 5000; now += 100) {
		struct mq_event e = ev(MQ_EV_RINGS, 5, "eth1", 0);

		mq_settle_note(&s, &e, now);
		if (mq_settle_due(&s, now))
			break;
	}
	ck_assert_int_eq(now, 1000);	/* first event + max, not never */
	ck_assert_uint_eq(mq_settle_take(&s, &t), 1);
	free(t);
	mq_settle_fini(&s);
}
END_TEST

START_TEST(test_settle_appear_rename_gone)
{
	struct mq_settle s;
	struct mq_trigger *t;
	struct mq_event e;
	size_t n;

	mq_settle_init(&s, 0, 0);
	e = ev(MQ_EV_LINK, 7, "eth2", 0);		/* never seen: appeared */
	ck_assert_int_eq(mq_settle_note(&s, &e, 0), 1);
	e = ev(MQ_EV_LINK, 7, "lan0", 0);		/* udev renames it */
	ck_assert_int_eq(mq_settle_note(&s, &e, 0), 1);
	e = ev(MQ_EV_LINK_GONE, 8, "eth3", 0);
	ck_assert_int_eq(mq_settle_note(&s, &e, 0), 1);
	e = ev(MQ_EV_LOST, 0, "", 0);
	ck_assert_int_eq(mq_settle_note(&s, &e, 0), 1);
	ck_assert(mq_settle_due(&s, 0));
	n = mq_settle_take(&s, &t);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(t[0].ifindex, 7);
	ck_assert_str_eq(t[0].ifname, "lan0");
	ck_assert_uint_eq(t[0].why, MQ_WHY_APPEARED | MQ_WHY_RENAMED);
	ck_assert_uint_eq(t[1].why, MQ_WHY_GONE);
	ck_assert_uint_eq(t[2].why, MQ_WHY_LOST);
	free(t);
	/* gone and back: appears again */
	e = ev(MQ_EV_LINK_GONE, 7, "lan0", 0);
	mq_settle_note(&s, &e, 1);
	free(mq_settle_take(&s, &t) ? t : NULL);
	e = ev(MQ_EV_LINK, 7, "lan0", 0);
	ck_assert_int_eq(mq_settle_note(&s, &e, 2), 1);
	ck_assert_uint_eq(mq_settle_take(&s, &t), 1);
	ck_assert_uint_eq(t[0].why, MQ_WHY_APPEARED);
	free(t);
	mq_settle_fini(&s);
}
END_TEST

START_TEST(test_why_text_fits)
{
	char buf[12];

	ck_assert_str_eq(mq_why_text(MQ_WHY_APPEARED | MQ_WHY_CHANNELS | MQ_WHY_GONE,
				     buf, sizeof(buf)), "appeared");
	ck_assert_str_eq(mq_why_text(0, buf, sizeof(buf)), "");
}
END_TEST

Suite *settle_suite(void)
{
	Suite *s = suite_create("settle");
	TCase *tc = tcase_create("schedule");

	tcase_add_test(tc, test_settle_idle_sleeps_forever);
	tcase_add_test(tc, test_settle_burst_is_one_heal);
	tcase_add_test(tc, test_settle_storm_is_bounded);
	tcase_add_test(tc, test_settle_appear_rename_gone);
	tcase_add_test(tc, test_why_text_fits);
	suite_add_tcase(s, tc);
	return s;
}
