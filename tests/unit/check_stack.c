/*
 * check_stack.c - the lower_* links of a sysroot (stack.h): what sysfs
 * has (relative links through /sys/class/net), sorted; entries that are no
 * interface name left out; no directory, no lowers; and the walk over them.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mqtune/root.h"
#include "mqtune/stack.h"

Suite *stack_suite(void);

static char base[PATH_MAX];

static void mkdirs(const char *rel)
{
	char path[PATH_MAX * 2], *p;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (p = path + strlen(base) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

static void ln(const char *target, const char *rel)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	ck_assert_msg(symlink(target, path) == 0, "symlink %s: %s", path,
		      strerror(errno));
}

#define PCI "sys/devices/pci0000:00/0000:00:03.0"
#define VIRT "sys/devices/virtual/net"

static void build(void)
{
	snprintf(base, sizeof(base), "/tmp/mqtune-stack.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	mkdirs(PCI "/net/eth0/queues");
	mkdirs("sys/devices/pci0000:00/0000:00:04.0/net/eth1/queues");
	mkdirs(VIRT "/bond0/queues");
	mkdirs(VIRT "/vlan10/queues");
	mkdirs("sys/class/net");
	ln("../../devices/pci0000:00/0000:00:03.0/net/eth0", "sys/class/net/eth0");
	ln("../../devices/pci0000:00/0000:00:04.0/net/eth1", "sys/class/net/eth1");
	ln("../../devices/virtual/net/bond0", "sys/class/net/bond0");
	ln("../../devices/virtual/net/vlan10", "sys/class/net/vlan10");
	/* in readdir order not sorted; one entry that is no interface name */
	ln("../../../pci0000:00/0000:00:04.0/net/eth1", VIRT "/bond0/lower_eth1");
	ln("../../../pci0000:00/0000:00:03.0/net/eth0", VIRT "/bond0/lower_eth0");
	ln("../../../pci0000:00/0000:00:03.0/net/eth0", VIRT "/bond0/lower_abcdefghijklmnop");
	ln("../bond0", VIRT "/vlan10/lower_bond0");
	ln("../vlan10", VIRT "/bond0/upper_vlan10");
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_lowers)
{
	struct mq_root r;
	struct mq_diag d;
	struct mq_namelist l = { 0 };

	build();
	ck_assert_msg(mq_root_open(&r, base, &d) == 0, "%s", d.msg);
	ck_assert_int_eq(mq_stack_lowers(&r, "bond0", &l, &d), 0);
	ck_assert_uint_eq(l.n, 2);	/* sorted; upper_ and the bad name not */
	ck_assert_str_eq(l.v[0], "eth0");
	ck_assert_str_eq(l.v[1], "eth1");
	mq_namelist_fini(&l);
	ck_assert_int_eq(mq_stack_lowers(&r, "eth0", &l, &d), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(mq_stack_lowers(&r, "gone0", &l, &d), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(mq_stack_lowers(&r, "../x", &l, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_NODEV);
	/* VLAN on the bond on two NICs */
	ck_assert_int_eq(mq_stack_resolve(&r, "vlan10", &l, &d), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0], "eth0");
	ck_assert_str_eq(l.v[1], "eth1");
	mq_namelist_fini(&l);
	/* a loop made by hand */
	ln("../vlan10", VIRT "/bond0/lower_vlan10");
	ck_assert_int_eq(mq_stack_resolve(&r, "vlan10", &l, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_str_eq(d.msg, "vlan10: stacked devices form a loop: vlan10 "
			 "\xe2\x86\x92 bond0 \xe2\x86\x92 vlan10");
	mq_root_close(&r);
	teardown();
}
END_TEST

Suite *stack_suite(void)
{
	Suite *s = suite_create("stack");
	TCase *tc = tcase_create("stack");

	tcase_add_test(tc, test_lowers);
	suite_add_tcase(s, tc);
	return s;
}
