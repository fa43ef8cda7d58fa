/*
 * check_ifres.c - the pure name resolution (ifres.h): which names a user
 * may give, and the walk from a stacked device down to its leaves, over a
 * table of lower links standing for sysfs.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mqtune/ifres.h"

#define ARROW "\xe2\x86\x92"

/* "upper:lower1,lower2" per row; a device not listed has no lower. */
struct graph {
	const char *const *rows;
	int calls;
	const char *fail_on;	/* lowers of this one fail */
};

static int lowers(void *arg, const char *name, struct mq_namelist *out,
		  struct mq_diag *d)
{
	struct graph *g = arg;
	size_t len = strlen(name), i;

	g->calls++;
	if (g->fail_on && strcmp(name, g->fail_on) == 0)
		return mq_diag_set(d, MQ_EXIT_SYSTEM, EIO, "%s: broken", name);
	for (i = 0; g->rows[i]; i++) {
		const char *r = g->rows[i], *p;
		char one[IFNAMSIZ];

		if (strncmp(r, name, len) != 0 || r[len] != ':')
			continue;
		for (p = r + len + 1; *p;) {
			size_t n = strcspn(p, ",");

			memcpy(one, p, n);
			one[n] = '\0';
			ck_assert_int_eq(mq_namelist_add(out, one), 0);
			p += n + (p[n] == ',');
		}
	}
	return 0;
}

static const char *joined(const struct mq_namelist *l, char *buf, size_t cap)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < l->n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? " " : "",
					l->v[i]);
	return buf;
}

static const char *const stacked[] = {
	"bond0:eth0,eth1",
	"vlan10:bond0",
	"br0:veth0,veth1",
	"mv0:veth1",
	"both:vlan10,bond0,eth1",	/* eth0, eth1 reached twice and more */
	"loop1:loop2", "loop2:loop3", "loop3:loop1",
	"self:self",
	NULL,
};

START_TEST(test_resolve)
{
	static const struct { const char *name, *want; } cases[] = {
		{ "bond0", "eth0 eth1" },
		{ "vlan10", "eth0 eth1" },	/* VLAN on a bond on two NICs */
		{ "br0", "veth0 veth1" },
		{ "mv0", "veth1" },		/* non-physical leaves, as they are */
		{ "both", "eth0 eth1" },	/* each once */
		{ "eth0", "eth0" },		/* no lower: itself */
		{ "lo", "lo" },
	};
	struct graph g = { .rows = stacked };
	struct mq_namelist out;
	struct mq_diag d;
	char buf[200];

	ck_assert_int_eq(mq_ifres_stack(cases[_i].name, lowers, &g, &out, &d), 0);
	ck_assert_str_eq(joined(&out, buf, sizeof(buf)), cases[_i].want);
	mq_namelist_fini(&out);
}
END_TEST

/* A device below itself, however far down: one line naming the loop. */
START_TEST(test_loop)
{
	struct graph g = { .rows = stacked };
	struct mq_namelist out;
	struct mq_diag d;

	ck_assert_int_eq(mq_ifres_stack("loop1", lowers, &g, &out, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_int_eq(d.err, ELOOP);
	ck_assert_str_eq(d.msg, "loop1: stacked devices form a loop: loop1 " ARROW
			 " loop2 " ARROW " loop3 " ARROW " loop1");
	ck_assert_uint_eq(out.n, 0);
	ck_assert_ptr_null(out.v);
	ck_assert_int_eq(mq_ifres_stack("self", lowers, &g, &out, &d), -1);
	ck_assert_str_eq(d.msg, "self: stacked devices form a loop: self " ARROW " self");
}
END_TEST

/* The kernel's MAX_NEST_DEV: 8 devices in a chain, the top one included. */
START_TEST(test_depth)
{
	static const char *const chain[] = {
		"d1:d2", "d2:d3", "d3:d4", "d4:d5", "d5:d6", "d6:d7", "d7:d8",
		"d8:d9", NULL,
	};
	struct graph g = { .rows = chain };
	struct mq_namelist out;
	struct mq_diag d;

	ck_assert_int_eq(mq_ifres_stack("d2", lowers, &g, &out, &d), 0);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_str_eq(out.v[0], "d9");
	mq_namelist_fini(&out);
	ck_assert_int_eq(mq_ifres_stack("d1", lowers, &g, &out, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_int_eq(d.err, EMLINK);
	ck_assert_ptr_nonnull(strstr(d.msg, "d1: stacked deeper than the kernel's 8 levels: d1 "
				     ARROW " d2 "));
	ck_assert_ptr_nonnull(strstr(d.msg, " d8 " ARROW " d9"));
}
END_TEST

/* A diamond is walked once below where it meets; a failure is passed on. */
START_TEST(test_walk_once)
{
	static const char *const diamond[] = {
		"top:a,b", "a:mid", "b:mid", "mid:eth0,eth1", NULL,
	};
	struct graph g = { .rows = diamond };
	struct mq_namelist out;
	struct mq_diag d;
	char buf[100];

	ck_assert_int_eq(mq_ifres_stack("top", lowers, &g, &out, &d), 0);
	ck_assert_str_eq(joined(&out, buf, sizeof(buf)), "eth0 eth1");
	ck_assert_int_eq(g.calls, 6);	/* top a mid eth0 eth1 b; mid not twice */
	mq_namelist_fini(&out);
	g.fail_on = "mid";
	ck_assert_int_eq(mq_ifres_stack("top", lowers, &g, &out, &d), -1);
	ck_assert_str_eq(d.msg, "mid: broken");
	ck_assert_uint_eq(out.n, 0);
	ck_assert_int_eq(mq_ifres_stack("a/b", lowers, &g, &out, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_NODEV);
}
END_TEST

START_TEST(test_names)
{
	char n127[128], n128[129];
	struct mq_namelist l = { 0 };
	char buf[64];

	memset(n127, 'a', 127);
	n127[127] = '\0';
	memset(n128, 'a', 128);
	n128[128] = '\0';
	ck_assert(mq_ifres_name_valid("eth0"));
	ck_assert(mq_ifres_name_valid("abcdefghijklmnop"));	/* 16: altname */
	ck_assert(mq_ifres_name_valid(n127));
	ck_assert(!mq_ifres_name_valid(n128));
	ck_assert(!mq_ifres_name_valid(""));
	ck_assert(!mq_ifres_name_valid(NULL));
	ck_assert(!mq_ifres_name_valid("."));
	ck_assert(!mq_ifres_name_valid(".."));
	ck_assert(!mq_ifres_name_valid("a/b"));
	ck_assert(!mq_ifres_name_valid("a:b"));
	ck_assert(!mq_ifres_name_valid("a b"));
	ck_assert(!mq_ifres_name_valid("a\nb"));
	/* the list only takes kernel names, each once */
	ck_assert_int_eq(mq_namelist_add(&l, "eth1"), 0);
	ck_assert_int_eq(mq_namelist_add(&l, "eth0"), 0);
	ck_assert_int_eq(mq_namelist_add(&l, "eth1"), 0);
	ck_assert_int_eq(mq_namelist_add(&l, "abcdefghijklmnop"), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(l.n, 2);
	ck_assert(mq_namelist_has(&l, "eth0"));
	ck_assert(!mq_namelist_has(&l, "eth2"));
	ck_assert_str_eq(mq_ifres_format("bond0", &l, buf, sizeof(buf)),
			 "bond0 " ARROW " eth1, eth0");
	/* cut to fit, never inside a character */
	ck_assert_str_eq(mq_ifres_format("bond0", &l, buf, 10), "bond0 " ARROW);
	ck_assert_str_eq(mq_ifres_format("bond0", &l, buf, 9), "bond0 ");
	ck_assert_str_eq(mq_ifres_format("bond0", &l, buf, 8), "bond0 ");
	mq_namelist_fini(&l);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

Suite *ifres_suite(void);
Suite *ifres_suite(void)
{
	Suite *s = suite_create("ifres");
	TCase *tc = tcase_create("ifres");

	tcase_add_loop_test(tc, test_resolve, 0, 7);
	tcase_add_test(tc, test_loop);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_walk_once);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
