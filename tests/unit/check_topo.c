/*
 * check_topo.c - the CPU and NUMA topology reader (src/discover/topo.c) on tiny
 * sysroots written by each test.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mqtune/cpuset.h"
#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/root.h"
#include "mqtune/topo.h"

Suite *topo_suite(void);

#define TP_CPU "/sys/devices/system/cpu"
#define TP_NODE "/sys/devices/system/node"

struct tp_fx {
	char dir[64];
	struct mq_root root;
	struct mq_topo topo;
	struct mq_diag d;
};

static void tp_put(const char *dir, const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void tp_putf(const char *dir, const char *text, const char *fmt,
		    unsigned int n) __attribute__((format(printf, 3, 0)));

/* tp_put with a path built from @fmt and one number. */
static void tp_putf(const char *dir, const char *text, const char *fmt,
		    unsigned int n)
{
	char rel[256];

	snprintf(rel, sizeof(rel), fmt, n);
	tp_put(dir, rel, text);
}

/* One CPU's topology directory. */
static void tp_cpu(const char *dir, unsigned int cpu, const char *siblings,
		   int core, int package)
{
	char num[32];

	tp_putf(dir, siblings, TP_CPU "/cpu%u/topology/thread_siblings_list", cpu);
	snprintf(num, sizeof(num), "%d\n", core);
	tp_putf(dir, num, TP_CPU "/cpu%u/topology/core_id", cpu);
	snprintf(num, sizeof(num), "%d\n", package);
	tp_putf(dir, num, TP_CPU "/cpu%u/topology/physical_package_id", cpu);
}

/*
 * Every test's sysroot is made under one directory that the runner (not
 * the forked test) makes before the tests and removes after them, so a
 * test that fails or crashes half-way leaves nothing behind in /tmp.
 */
static char tp_base[40];

static void tp_base_make(void)
{
	snprintf(tp_base, sizeof(tp_base), "/tmp/mqtune-topo.XXXXXX");
	if (!mkdtemp(tp_base))
		tp_base[0] = '\0';
}

static void tp_base_remove(void)
{
	char cmd[80];

	if (!tp_base[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tp_base);
	if (system(cmd) != 0)
		fprintf(stderr, "check_topo: cannot remove %s\n", tp_base);
}

static void tp_setup(struct tp_fx *fx)
{
	struct mq_diag d;

	memset(fx, 0, sizeof(*fx));
	ck_assert_msg(tp_base[0], "no base directory");
	snprintf(fx->dir, sizeof(fx->dir), "%s/t.XXXXXX", tp_base);
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	mq_diag_clear(&d);
	ck_assert_msg(mq_root_open(&fx->root, fx->dir, &d) == 0, "%s", d.msg);
	mq_diag_clear(&fx->d);
}

static void tp_teardown(struct tp_fx *fx)
{
	char cmd[128];

	mq_topo_fini(&fx->topo);
	mq_root_close(&fx->root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int tp_read(struct tp_fx *fx)
{
	return mq_topo_read(&fx->root, &fx->topo, true, &fx->d);
}

static void tp_read_ok(struct tp_fx *fx)
{
	ck_assert_msg(tp_read(fx) == 0, "mq_topo_read: %s", fx->d.msg);
}

/* @s holds exactly the CPUs of @list. */
static void tp_assert_set(const struct mq_cpuset *s, const char *list)
{
	char *got = mq_cpuset_format_list(s);

	ck_assert_ptr_nonnull(got);
	ck_assert_msg(strcmp(got, list) == 0, "set is '%s', want '%s'", got, list);
	free(got);
}

/* A failed read: -1, MQ_EXIT_SYSTEM, the message names the real file. */
static void tp_assert_fails_naming(struct tp_fx *fx, const char *kpath)
{
	char real[256];

	ck_assert_int_eq(tp_read(fx), -1);
	ck_assert_int_eq(fx->d.status, MQ_EXIT_SYSTEM);
	snprintf(real, sizeof(real), "%s%s", fx->dir, kpath);
	ck_assert_msg(strstr(fx->d.msg, real) != NULL,
		      "message '%s' does not name %s", fx->d.msg, real);
}

/* 4 CPUs: cores 0 and 1, threads 0,2 and 1,3 (x86 numbering); 1 node. */
static void tp_four_smt(const char *dir)
{
	tp_put(dir, TP_CPU "/possible", "0-3\n");
	tp_put(dir, TP_CPU "/online", "0-3\n");
	tp_cpu(dir, 0, "0,2\n", 0, 0);
	tp_cpu(dir, 1, "1,3\n", 1, 0);
	tp_cpu(dir, 2, "0,2\n", 0, 0);
	tp_cpu(dir, 3, "1,3\n", 1, 0);
	tp_put(dir, TP_NODE "/online", "0\n");
	tp_put(dir, TP_NODE "/node0/cpulist", "0-3\n");
	tp_put(dir, TP_NODE "/node0/distance", "10\n");
}

/* 4 CPUs without SMT, 2 nodes: 0-1 and 2-3, distance 21. */
static void tp_two_nodes(const char *dir)
{
	unsigned int cpu;

	tp_put(dir, TP_CPU "/possible", "0-3\n");
	tp_put(dir, TP_CPU "/online", "0-3\n");
	for (cpu = 0; cpu < 4; cpu++) {
		char sib[8];

		snprintf(sib, sizeof(sib), "%u\n", cpu);
		tp_cpu(dir, cpu, sib, (int)cpu % 2, (int)cpu / 2);
	}
	tp_put(dir, TP_NODE "/online", "0-1\n");
	tp_put(dir, TP_NODE "/node0/cpulist", "0-1\n");
	tp_put(dir, TP_NODE "/node0/distance", "10 21\n");
	tp_put(dir, TP_NODE "/node1/cpulist", "2-3\n");
	tp_put(dir, TP_NODE "/node1/distance", "21 10\n");
}

START_TEST(test_topo_four_cpus_smt)
{
	static const int first[4] = { 0, 1, 0, 1 }, core[4] = { 0, 1, 0, 1 };
	struct tp_fx fx;
	unsigned int cpu;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_read_ok(&fx);
	ck_assert_uint_eq(fx.topo.nr_cpu_ids, 4);
	tp_assert_set(&fx.topo.possible, "0-3");
	tp_assert_set(&fx.topo.online, "0-3");
	tp_assert_set(&fx.topo.isolated, "");
	tp_assert_set(&fx.topo.nohz_full, "");
	ck_assert(fx.topo.smt);
	for (cpu = 0; cpu < 4; cpu++) {
		ck_assert_int_eq(fx.topo.cpus[cpu].first_sibling, first[cpu]);
		ck_assert_int_eq(fx.topo.cpus[cpu].core, core[cpu]);
		ck_assert_int_eq(fx.topo.cpus[cpu].package, 0);
		ck_assert_int_eq(fx.topo.cpus[cpu].node, 0);
	}
	ck_assert_uint_eq(fx.topo.nr_nodes, 1);
	ck_assert_int_eq(fx.topo.nodes[0].id, 0);
	tp_assert_set(&fx.topo.nodes[0].cpus, "0-3");
	ck_assert_int_eq(fx.topo.nodes[0].distance[0], 10);
	ck_assert_uint_eq(fx.topo.possible.nbits, 4);
	ck_assert_uint_eq(fx.topo.nodes[0].cpus.nbits, 4);
	ck_assert_int_eq(mq_topo_node_index(&fx.topo, 0), 0);
	ck_assert_int_eq(mq_topo_node_index(&fx.topo, 1), -1);
	tp_teardown(&fx);
}
END_TEST

START_TEST(test_topo_two_nodes)
{
	struct tp_fx fx;
	unsigned int cpu;

	tp_setup(&fx);
	tp_two_nodes(fx.dir);
	tp_read_ok(&fx);
	ck_assert(!fx.topo.smt);
	ck_assert_uint_eq(fx.topo.nr_nodes, 2);
	ck_assert_int_eq(fx.topo.nodes[0].id, 0);
	ck_assert_int_eq(fx.topo.nodes[1].id, 1);
	tp_assert_set(&fx.topo.nodes[0].cpus, "0-1");
	tp_assert_set(&fx.topo.nodes[1].cpus, "2-3");
	ck_assert_int_eq(fx.topo.nodes[0].distance[0], 10);
	ck_assert_int_eq(fx.topo.nodes[0].distance[1], 21);
	ck_assert_int_eq(fx.topo.nodes[1].distance[0], 21);
	ck_assert_int_eq(fx.topo.nodes[1].distance[1], 10);
	for (cpu = 0; cpu < 4; cpu++) {
		ck_assert_int_eq(fx.topo.cpus[cpu].first_sibling, (int)cpu);
		ck_assert_int_eq(fx.topo.cpus[cpu].node, (int)cpu / 2);
		ck_assert_int_eq(fx.topo.cpus[cpu].core, (int)cpu % 2);
		ck_assert_int_eq(fx.topo.cpus[cpu].package, (int)cpu / 2);
	}
	ck_assert_int_eq(mq_topo_node_index(&fx.topo, 1), 1);
	ck_assert_int_eq(mq_topo_node_index(&fx.topo, 2), -1);
	tp_teardown(&fx);
}
END_TEST

/* Sparse node ids (0 and 2): sorted by id, distances by index. */
START_TEST(test_topo_sparse_node_ids)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_two_nodes(fx.dir);
	tp_put(fx.dir, TP_NODE "/online", "0,2\n");
	tp_put(fx.dir, TP_NODE "/node2/cpulist", "2-3\n");
	tp_put(fx.dir, TP_NODE "/node2/distance", "32 10\n");
	tp_put(fx.dir, TP_NODE "/node0/distance", "10 32\n");
	tp_put(fx.dir, TP_NODE "/node1/cpulist", "garbage\n");	/* not online */
	tp_read_ok(&fx);
	ck_assert_uint_eq(fx.topo.nr_nodes, 2);
	ck_assert_int_eq(fx.topo.nodes[1].id, 2);
	ck_assert_int_eq(fx.topo.nodes[1].distance[0], 32);
	ck_assert_int_eq(fx.topo.cpus[3].node, 2);
	ck_assert_int_eq(mq_topo_node_index(&fx.topo, 2), 1);
	ck_assert_int_eq(mq_topo_node_index(&fx.topo, 1), -1);
	tp_teardown(&fx);
}
END_TEST

/* No /sys/devices/system/node: one node 0 with every online CPU. */
START_TEST(test_topo_no_numa)
{
	struct tp_fx fx;
	unsigned int cpu;
	char cmd[160];

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s" TP_NODE "'", fx.dir);
	ck_assert_int_eq(system(cmd), 0);
	tp_put(fx.dir, TP_CPU "/online", "0-2\n");
	tp_read_ok(&fx);
	ck_assert_uint_eq(fx.topo.nr_nodes, 1);
	ck_assert_int_eq(fx.topo.nodes[0].id, 0);
	tp_assert_set(&fx.topo.nodes[0].cpus, "0-2");
	ck_assert_int_eq(fx.topo.nodes[0].distance[0], 10);
	for (cpu = 0; cpu < 3; cpu++)
		ck_assert_int_eq(fx.topo.cpus[cpu].node, 0);
	ck_assert_int_eq(fx.topo.cpus[3].node, -1);
	tp_teardown(&fx);
}
END_TEST

/* CPU 3 offline: possible but not online, and its topology is absent. */
START_TEST(test_topo_offline_cpu)
{
	struct tp_fx fx;
	char cmd[160];

	tp_setup(&fx);
	tp_two_nodes(fx.dir);
	tp_put(fx.dir, TP_CPU "/online", "0-2\n");
	tp_put(fx.dir, TP_NODE "/node1/cpulist", "2\n");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s" TP_CPU "/cpu3/topology'", fx.dir);
	ck_assert_int_eq(system(cmd), 0);
	tp_read_ok(&fx);
	ck_assert_uint_eq(fx.topo.nr_cpu_ids, 4);
	tp_assert_set(&fx.topo.possible, "0-3");
	tp_assert_set(&fx.topo.online, "0-2");
	tp_assert_set(&fx.topo.nodes[1].cpus, "2");
	/* nothing is known of the offline CPU */
	ck_assert_int_eq(fx.topo.cpus[3].first_sibling, -1);
	ck_assert_int_eq(fx.topo.cpus[3].core, -1);
	ck_assert_int_eq(fx.topo.cpus[3].package, -1);
	ck_assert_int_eq(fx.topo.cpus[3].node, -1);
	ck_assert_int_eq(fx.topo.cpus[2].first_sibling, 2);
	ck_assert_int_eq(fx.topo.cpus[2].node, 1);
	tp_teardown(&fx);
}
END_TEST

/* An offline SMT sibling: its sibling stays a core of its own. */
START_TEST(test_topo_offline_sibling)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/online", "0-2\n");
	/* the kernel drops offline CPUs from the sibling list */
	tp_put(fx.dir, TP_CPU "/cpu1/topology/thread_siblings_list", "1\n");
	tp_read_ok(&fx);
	ck_assert(fx.topo.smt);		/* 0 and 2 are still one core */
	ck_assert_int_eq(fx.topo.cpus[1].first_sibling, 1);
	ck_assert_int_eq(fx.topo.cpus[2].first_sibling, 0);
	ck_assert_int_eq(fx.topo.cpus[3].first_sibling, -1);
	mq_topo_fini(&fx.topo);

	/* a stale sibling list still naming the offline CPU: CPU 1 is a
	 * core of its own and nothing is recorded for CPU 3 */
	tp_put(fx.dir, TP_CPU "/cpu1/topology/thread_siblings_list", "1,3\n");
	tp_read_ok(&fx);
	ck_assert_int_eq(fx.topo.cpus[1].first_sibling, 1);
	ck_assert_int_eq(fx.topo.cpus[3].first_sibling, -1);
	ck_assert_int_eq(fx.topo.cpus[3].core, -1);
	tp_teardown(&fx);
}
END_TEST

/* With every core single-threaded, smt is false even with SMT files. */
START_TEST(test_topo_smt_flag)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/online", "0-1\n");
	tp_put(fx.dir, TP_CPU "/cpu0/topology/thread_siblings_list", "0\n");
	tp_put(fx.dir, TP_CPU "/cpu1/topology/thread_siblings_list", "1\n");
	tp_read_ok(&fx);
	ck_assert(!fx.topo.smt);
	ck_assert_int_eq(fx.topo.cpus[0].first_sibling, 0);
	ck_assert_int_eq(fx.topo.cpus[1].first_sibling, 1);
	tp_teardown(&fx);
}
END_TEST

START_TEST(test_topo_isolated_nohz)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/isolated", "1\n");
	tp_put(fx.dir, TP_CPU "/nohz_full", "(null)\n");
	tp_read_ok(&fx);
	tp_assert_set(&fx.topo.isolated, "1");
	tp_assert_set(&fx.topo.nohz_full, "");
	ck_assert_uint_eq(fx.topo.isolated.nbits, 4);
	mq_topo_fini(&fx.topo);

	/* empty files, and a real nohz_full list */
	tp_put(fx.dir, TP_CPU "/isolated", "\n");
	tp_put(fx.dir, TP_CPU "/nohz_full", "2-3\n");
	tp_read_ok(&fx);
	tp_assert_set(&fx.topo.isolated, "");
	tp_assert_set(&fx.topo.nohz_full, "2-3");
	mq_topo_fini(&fx.topo);

	/* a malformed isolated list fails, naming the file */
	tp_put(fx.dir, TP_CPU "/isolated", "1-x\n");
	tp_assert_fails_naming(&fx, TP_CPU "/isolated");
	tp_teardown(&fx);
}
END_TEST

START_TEST(test_topo_malformed_online)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/online", "0-\n");
	tp_assert_fails_naming(&fx, TP_CPU "/online");
	mq_topo_fini(&fx.topo);
	/* a CPU online that is not possible is malformed too */
	tp_put(fx.dir, TP_CPU "/online", "0-4\n");
	tp_assert_fails_naming(&fx, TP_CPU "/online");
	mq_topo_fini(&fx.topo);
	/* and so is an empty online list */
	tp_put(fx.dir, TP_CPU "/online", "\n");
	tp_assert_fails_naming(&fx, TP_CPU "/online");
	tp_teardown(&fx);
}
END_TEST

START_TEST(test_topo_malformed_distance)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_two_nodes(fx.dir);
	tp_put(fx.dir, TP_NODE "/node1/distance", "10 x\n");
	tp_assert_fails_naming(&fx, TP_NODE "/node1/distance");
	mq_topo_fini(&fx.topo);
	/* too few, too many, a trailing blank */
	tp_put(fx.dir, TP_NODE "/node1/distance", "21\n");
	tp_assert_fails_naming(&fx, TP_NODE "/node1/distance");
	mq_topo_fini(&fx.topo);
	tp_put(fx.dir, TP_NODE "/node1/distance", "21 10 10\n");
	tp_assert_fails_naming(&fx, TP_NODE "/node1/distance");
	mq_topo_fini(&fx.topo);
	tp_put(fx.dir, TP_NODE "/node1/distance", "21,10\n");
	tp_assert_fails_naming(&fx, TP_NODE "/node1/distance");
	mq_topo_fini(&fx.topo);
	tp_put(fx.dir, TP_NODE "/node0/distance", "10 21 \n");
	tp_put(fx.dir, TP_NODE "/node1/distance", "21 10\n");
	tp_assert_fails_naming(&fx, TP_NODE "/node0/distance");
	tp_teardown(&fx);
}
END_TEST

START_TEST(test_topo_missing_possible)
{
	struct tp_fx fx;
	char path[160];

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	snprintf(path, sizeof(path), "%s" TP_CPU "/possible", fx.dir);
	ck_assert_int_eq(unlink(path), 0);
	tp_assert_fails_naming(&fx, TP_CPU "/possible");
	ck_assert_int_eq(fx.d.err, ENOENT);
	mq_topo_fini(&fx.topo);
	/* malformed and empty possible fail too */
	tp_put(fx.dir, TP_CPU "/possible", "0-3x\n");
	tp_assert_fails_naming(&fx, TP_CPU "/possible");
	mq_topo_fini(&fx.topo);
	tp_put(fx.dir, TP_CPU "/possible", "");
	tp_assert_fails_naming(&fx, TP_CPU "/possible");
	tp_teardown(&fx);
}
END_TEST

START_TEST(test_topo_malformed_core_id)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/cpu1/topology/core_id", "one\n");
	tp_put(fx.dir, TP_CPU "/cpu0/topology/physical_package_id", "-7\n");
	/* Not needed by any policy and not read by a real auto run: unknown
	 * with a warning naming the file, not a failure (dry run = real). */
	tp_read_ok(&fx);
	ck_assert_int_eq(fx.topo.cpus[1].core, -1);
	ck_assert_int_eq(fx.topo.cpus[3].core, -1);	/* its sibling */
	ck_assert_int_eq(fx.topo.cpus[1].package, 0);
	ck_assert_int_eq(fx.topo.cpus[0].package, -1);
	ck_assert_int_eq(fx.topo.cpus[0].core, 0);
	ck_assert_int_eq(fx.topo.cpus[1].first_sibling, 1);
	ck_assert_uint_eq(fx.topo.warnings.n, 2);
	ck_assert_ptr_nonnull(strstr(fx.topo.warnings.list[0].message, "cpu0/topology/physical_package_id: malformed contents"));
	ck_assert_ptr_nonnull(strstr(fx.topo.warnings.list[1].message, "cpu1/topology/core_id: malformed contents"));
	mq_topo_fini(&fx.topo);
	ck_assert_uint_eq(fx.topo.warnings.n, 0);
	/* Without ids (a real auto run) they are not read at all. */
	ck_assert_int_eq(mq_topo_read(&fx.root, &fx.topo, false, &fx.d), 0);
	ck_assert_uint_eq(fx.topo.warnings.n, 0);
	tp_teardown(&fx);
}
END_TEST

/* Missing node cpulist: the read fails and says which file. */
START_TEST(test_topo_missing_node_cpulist)
{
	struct tp_fx fx;
	char path[160];

	tp_setup(&fx);
	tp_two_nodes(fx.dir);
	snprintf(path, sizeof(path), "%s" TP_NODE "/node1/cpulist", fx.dir);
	ck_assert_int_eq(unlink(path), 0);
	tp_assert_fails_naming(&fx, TP_NODE "/node1/cpulist");
	tp_teardown(&fx);
}
END_TEST

/*
 * A node without a distance file: topo.c reads that as "distances
 * unknown: local 10, remote 20".  It must not crash.
 */
START_TEST(test_topo_missing_distance)
{
	struct tp_fx fx;
	char path[160];

	tp_setup(&fx);
	tp_two_nodes(fx.dir);
	snprintf(path, sizeof(path), "%s" TP_NODE "/node1/distance", fx.dir);
	ck_assert_int_eq(unlink(path), 0);
	tp_read_ok(&fx);
	ck_assert_int_eq(fx.topo.nodes[1].distance[0], 20);
	ck_assert_int_eq(fx.topo.nodes[1].distance[1], 10);
	ck_assert_int_eq(fx.topo.nodes[0].distance[1], 21);
	tp_teardown(&fx);
}
END_TEST

/* Wide machine: nr_cpu_ids from possible, not online; sets sized to it. */
START_TEST(test_topo_nr_cpu_ids)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/possible", "0-3,100\n");
	tp_read_ok(&fx);
	ck_assert_uint_eq(fx.topo.nr_cpu_ids, 101);
	ck_assert_uint_eq(fx.topo.online.nbits, 101);
	ck_assert_uint_eq(fx.topo.nodes[0].cpus.nbits, 101);
	tp_assert_set(&fx.topo.possible, "0-3,100");
	ck_assert_int_eq(fx.topo.cpus[100].first_sibling, -1);
	ck_assert_int_eq(fx.topo.cpus[100].node, -1);
	tp_teardown(&fx);
}
END_TEST

/*
 * nohz_full of a CONFIG_NO_HZ_FULL=y kernel booted without nohz_full=:
 * "(null)" right-justified to nr_cpu_ids, as sysfs_emit() leaves it in a
 * 4 KiB page.  The empty set, at every width.
 */
static const unsigned int null_widths[] = { 4, 6, 7, 64, 1024, 4096 };

START_TEST(test_topo_nohz_null_padded)
{
	unsigned int n = null_widths[_i];
	size_t pad = n > 6 ? n - 6 : 0, len = pad + 7;
	char *text = malloc(len + 1), possible[32];
	struct tp_fx fx;

	ck_assert_ptr_nonnull(text);
	memset(text, ' ', pad);
	memcpy(text + pad, "(null)\n", 8);
	if (len > 4095)
		len = 4095;
	text[len] = '\0';
	tp_setup(&fx);
	tp_four_smt(fx.dir);
	snprintf(possible, sizeof(possible), "0-%u\n", n - 1);
	tp_put(fx.dir, TP_CPU "/possible", possible);
	tp_put(fx.dir, TP_CPU "/nohz_full", text);
	tp_put(fx.dir, TP_CPU "/isolated", "\n");
	tp_read_ok(&fx);
	ck_assert_uint_eq(fx.topo.nr_cpu_ids, n);
	tp_assert_set(&fx.topo.nohz_full, "");
	tp_assert_set(&fx.topo.isolated, "");
	mq_topo_fini(&fx.topo);

	/* Not every padded text is "(null)". */
	text[len - 2] = 'x';
	tp_put(fx.dir, TP_CPU "/nohz_full", text);
	tp_assert_fails_naming(&fx, TP_CPU "/nohz_full");
	tp_teardown(&fx);
	free(text);
}
END_TEST

/*
 * isolated and nohz_full are printed into one page: a list longer than
 * 4095 bytes is cut there, without its newline.  The CPUs past the cut
 * are unknown, so that is a failure naming the file, not a shorter list.
 */
START_TEST(test_topo_list_cut_by_page)
{
	char *text = malloc(16384), *p = text;
	unsigned int cpu;
	struct tp_fx fx;

	ck_assert_ptr_nonnull(text);
	for (cpu = 0; cpu < 4096; cpu += 2)
		p += sprintf(p, "%s%u", cpu ? "," : "", cpu);
	ck_assert_int_gt(p - text, 4095);
	text[4095] = '\0';		/* what sysfs_emit() leaves */
	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/possible", "0-4095\n");
	tp_put(fx.dir, TP_CPU "/isolated", text);
	tp_assert_fails_naming(&fx, TP_CPU "/isolated");
	ck_assert_ptr_nonnull(strstr(fx.d.msg, "cut short"));
	tp_teardown(&fx);
	free(text);
}
END_TEST

/* Kernels without CONFIG_NO_HZ_FULL: an empty file, or none at all. */
START_TEST(test_topo_nohz_empty_or_absent)
{
	struct tp_fx fx;

	tp_setup(&fx);
	tp_four_smt(fx.dir);
	tp_put(fx.dir, TP_CPU "/nohz_full", "");
	tp_read_ok(&fx);
	tp_assert_set(&fx.topo.nohz_full, "");
	tp_assert_set(&fx.topo.isolated, "");
	tp_teardown(&fx);
}
END_TEST

Suite *topo_suite(void)
{
	Suite *s = suite_create("topo");
	TCase *tc = tcase_create("topo");

	tcase_add_test(tc, test_topo_four_cpus_smt);
	tcase_add_test(tc, test_topo_two_nodes);
	tcase_add_test(tc, test_topo_sparse_node_ids);
	tcase_add_test(tc, test_topo_no_numa);
	tcase_add_test(tc, test_topo_offline_cpu);
	tcase_add_test(tc, test_topo_offline_sibling);
	tcase_add_test(tc, test_topo_smt_flag);
	tcase_add_test(tc, test_topo_isolated_nohz);
	tcase_add_loop_test(tc, test_topo_nohz_null_padded, 0,
			    sizeof(null_widths) / sizeof(null_widths[0]));
	tcase_add_test(tc, test_topo_nohz_empty_or_absent);
	tcase_add_test(tc, test_topo_list_cut_by_page);
	tcase_add_test(tc, test_topo_malformed_online);
	tcase_add_test(tc, test_topo_malformed_distance);
	tcase_add_test(tc, test_topo_missing_possible);
	tcase_add_test(tc, test_topo_malformed_core_id);
	tcase_add_test(tc, test_topo_missing_node_cpulist);
	tcase_add_test(tc, test_topo_missing_distance);
	tcase_add_test(tc, test_topo_nr_cpu_ids);
	tcase_add_unchecked_fixture(tc, tp_base_make, tp_base_remove);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
