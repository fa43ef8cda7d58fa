/*
 * topo.c - CPU and NUMA topology from /sys/devices/system/{cpu,node}.
 *
 * Shared files are read once: the SMT sibling list is read for the first
 * CPU of each core only and applied to all its siblings, and core and
 * package ids are taken from that first CPU too, so a 1024-CPU machine
 * costs about three reads per physical core rather than per thread.
 */
#include "mqtune/topo.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/parse.h"

#define CPU_DIR "/sys/devices/system/cpu"
#define NODE_DIR "/sys/devices/system/node"

/* nr_cpu_ids = the highest possible CPU + 1. */
static int read_possible(const struct mq_root *r, struct mq_topo *t,
			 struct mq_diag *d)
{
	struct mq_cpuset wide = { 0 };
	int last = -1, cpu, err;

	if (mq_cpuset_init(&wide, MQ_CPUSET_MAX_BITS))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	err = mq_root_read_cpulist(r, CPU_DIR "/possible", &wide);
	if (!err && mq_cpuset_empty(&wide))
		err = -EINVAL;
	if (err) {
		mq_cpuset_fini(&wide);
		return mq_root_fail(r, d, CPU_DIR "/possible", err);
	}
	for (cpu = mq_cpuset_next(&wide, 0); cpu >= 0;
	     cpu = mq_cpuset_next(&wide, (unsigned int)cpu + 1))
		last = cpu;
	t->nr_cpu_ids = (unsigned int)last + 1;
	err = mq_cpuset_init(&t->possible, t->nr_cpu_ids);
	if (!err)
		mq_cpuset_or(&t->possible, &wide);
	mq_cpuset_fini(&wide);
	if (err)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	return 0;
}

/*
 * An optional list file (isolated, nohz_full): missing means empty, and so
 * does the kernel's "(null)" for a mask it never allocated, padded with
 * spaces to nr_cpu_ids (nohz_full on CONFIG_NO_HZ_FULL=y kernels without
 * nohz_full=).  Read once; sysfs hands over at most a page.
 */
static int read_optional_list(const struct mq_root *r, const char *path,
			      struct mq_cpuset *s, struct mq_diag *d)
{
	char small[8192], *big = NULL;
	const char *buf = small;
	ssize_t n = mq_root_read(r, path, small, sizeof(small));
	int err;

	if (n == -EFBIG) {
		n = mq_root_read_alloc(r, path, mq_root_cpuset_max(s->nbits), &big);
		buf = big;
	}
	if (n == -ENOENT)
		return 0;
	if (n < 0)
		return mq_root_fail(r, d, path, (int)n);
	err = mq_cpuset_parse_list(s, buf, (size_t)n);
	if (mq_cpuset_text_is_null(buf, (size_t)n)) {
		mq_cpuset_zero(s);
		err = MQ_PARSE_OK;
	} else if (n >= MQ_NULL_CUT_LEN && buf[n - 1] != '\n') {
		/* sysfs_emit() cut the list at its page: the CPUs past the
		 * cut are unknown, and the last number may be cut too. */
		const char *pre = r->live ? "" : r->prefix;
		size_t plen = strlen(pre);

		free(big);
		if (plen && pre[plen - 1] == '/')
			plen--;
		return mq_diag_set(d, MQ_EXIT_SYSTEM, EOVERFLOW,
				   "%.*s%s: list cut short by the kernel's page-sized buffer",
				   (int)plen, pre, path);
	}
	free(big);
	if (err == MQ_PARSE_NOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	return err ? mq_root_fail(r, d, path, -EINVAL) : 0;
}

/*
 * core_id and physical_package_id: shown by `show`, needed by no policy
 * (the sibling groups are), and not read at all by a real `auto` run.  A
 * malformed or unreadable one is therefore unknown (-1) with a warning,
 * never a failure, so that show, a dry run and a real run agree.
 */
static int read_cpu_int(const struct mq_root *r, struct mq_topo *t,
			unsigned int cpu, const char *file, int *out,
			struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	int64_t v;
	int err;

	if (mq_path(path, sizeof(path), CPU_DIR "/cpu%u/topology/%s", cpu, file))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENAMETOOLONG, "path too long");
	err = mq_root_read_s64(r, path, &v);
	if (err == -ENOENT) {
		*out = -1;
		return 0;
	}
	if (!err && (v < -1 || v > 1000000000))
		err = -EINVAL;
	if (err == -ENOMEM)
		return mq_root_fail(r, d, path, err);
	if (err) {
		struct mq_diag why;

		*out = -1;
		mq_diag_clear(&why);
		mq_root_fail(r, &why, path, err);
		if (mq_warn(&t->warnings, "unreadable-topology", path,
			    "%s: ignored, cpu%u's %s shown as unknown",
			    why.msg, cpu, file))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
					   "out of memory");
		return 0;
	}
	*out = (int)v;
	return 0;
}

/* Sibling group, core and package of @cpu, applied to all its siblings. */
static int read_core(const struct mq_root *r, struct mq_topo *t,
		     unsigned int cpu, struct mq_cpuset *sib, bool ids,
		     struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	int core = -1, package = -1, s, err;

	if (mq_path(path, sizeof(path),
		    CPU_DIR "/cpu%u/topology/thread_siblings_list", cpu))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENAMETOOLONG, "path too long");
	err = mq_root_read_cpulist(r, path, sib);
	if (err == -ENOENT) {	/* no topology directory: a core of its own */
		mq_cpuset_zero(sib);
		err = 0;
	} else if (err) {
		return mq_root_fail(r, d, path, err);
	}
	mq_cpuset_and(sib, &t->online);
	mq_cpuset_set(sib, cpu);
	if (ids && (read_cpu_int(r, t, cpu, "core_id", &core, d) ||
		    read_cpu_int(r, t, cpu, "physical_package_id", &package, d)))
		return -1;
	if (mq_cpuset_weight(sib) > 1)
		t->smt = true;
	for (s = mq_cpuset_next(sib, 0); s >= 0;
	     s = mq_cpuset_next(sib, (unsigned int)s + 1)) {
		struct mq_cpu *c = &t->cpus[s];

		if (c->first_sibling >= 0)
			continue;	/* inconsistent sysfs: keep the first */
		c->first_sibling = mq_cpuset_next(sib, 0);
		c->core = core;
		c->package = package;
	}
	return 0;
}

static int read_cpus(const struct mq_root *r, struct mq_topo *t, bool ids,
		     struct mq_diag *d)
{
	struct mq_cpuset sib = { 0 };
	unsigned int i;
	int cpu, err = 0;

	t->cpus = calloc(t->nr_cpu_ids, sizeof(*t->cpus));
	if (!t->cpus || mq_cpuset_init(&sib, t->nr_cpu_ids))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	for (i = 0; i < t->nr_cpu_ids; i++) {
		t->cpus[i].package = -1;
		t->cpus[i].core = -1;
		t->cpus[i].node = -1;
		t->cpus[i].first_sibling = -1;
	}
	for (cpu = mq_cpuset_next(&t->online, 0); cpu >= 0 && !err;
	     cpu = mq_cpuset_next(&t->online, (unsigned int)cpu + 1))
		if (t->cpus[cpu].first_sibling < 0)
			err = read_core(r, t, (unsigned int)cpu, &sib, ids, d);
	mq_cpuset_fini(&sib);
	return err;
}

static int parse_distances(struct mq_node *node, size_t nr_nodes,
			   const char *buf)
{
	const char *p = buf;
	size_t i;

	node->distance = calloc(nr_nodes ? nr_nodes : 1, sizeof(int));
	if (!node->distance)
		return -ENOMEM;
	for (i = 0; i < nr_nodes; i++) {
		const char *end = p;
		uint32_t v;

		while (*end >= '0' && *end <= '9')
			end++;
		if (mq_parse_u32(p, (size_t)(end - p), &v) || v > 1000)
			return -EINVAL;
		node->distance[i] = (int)v;
		if (i + 1 < nr_nodes && *end != ' ')
			return -EINVAL;
		p = end + (i + 1 < nr_nodes);
	}
	return (*p == '\0' || (p[0] == '\n' && p[1] == '\0')) ? 0 : -EINVAL;
}

static int read_node(const struct mq_root *r, struct mq_topo *t,
		     struct mq_node *node, struct mq_diag *d)
{
	char path[MQ_PATH_MAX], buf[4096];
	ssize_t n;
	int cpu, err;

	if (mq_cpuset_init(&node->cpus, t->nr_cpu_ids))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (mq_path(path, sizeof(path), NODE_DIR "/node%d/cpulist", node->id))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENAMETOOLONG, "path too long");
	err = mq_root_read_cpulist(r, path, &node->cpus);
	if (err)
		return mq_root_fail(r, d, path, err);
	mq_cpuset_and(&node->cpus, &t->online);
	for (cpu = mq_cpuset_next(&node->cpus, 0); cpu >= 0;
	     cpu = mq_cpuset_next(&node->cpus, (unsigned int)cpu + 1))
		t->cpus[cpu].node = node->id;
	if (mq_path(path, sizeof(path), NODE_DIR "/node%d/distance", node->id))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENAMETOOLONG, "path too long");
	n = mq_root_read(r, path, buf, sizeof(buf));
	err = n < 0 ? (int)n : parse_distances(node, t->nr_nodes, buf);
	if (err == -ENOENT) {	/* distances unknown: local 10, remote 20 */
		size_t i;

		free(node->distance);
		node->distance = calloc(t->nr_nodes, sizeof(int));
		if (!node->distance)
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
					   "out of memory");
		for (i = 0; i < t->nr_nodes; i++)
			node->distance[i] = &t->nodes[i] == node ? 10 : 20;
		err = 0;
	}
	return err ? mq_root_fail(r, d, path, err) : 0;
}

static int read_nodes(const struct mq_root *r, struct mq_topo *t,
		      struct mq_diag *d)
{
	struct mq_cpuset ids = { 0 };
	size_t i = 0;
	int id, err;

	if (mq_cpuset_init(&ids, 4096))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	err = mq_root_read_cpulist(r, NODE_DIR "/online", &ids);
	if (err == -ENOENT) {	/* kernel without NUMA: one node 0 */
		mq_cpuset_zero(&ids);
		mq_cpuset_set(&ids, 0);
	} else if (err || mq_cpuset_empty(&ids)) {
		mq_cpuset_fini(&ids);
		return mq_root_fail(r, d, NODE_DIR "/online", err ? err : -EINVAL);
	}
	t->nr_nodes = mq_cpuset_weight(&ids);
	t->nodes = calloc(t->nr_nodes, sizeof(*t->nodes));
	if (!t->nodes) {
		mq_cpuset_fini(&ids);
		t->nr_nodes = 0;
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	for (id = mq_cpuset_next(&ids, 0); id >= 0;
	     id = mq_cpuset_next(&ids, (unsigned int)id + 1))
		t->nodes[i++].id = id;
	mq_cpuset_fini(&ids);
	if (err == -ENOENT) {
		t->nodes[0].distance = calloc(1, sizeof(int));
		if (!t->nodes[0].distance ||
		    mq_cpuset_dup(&t->nodes[0].cpus, &t->online))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
		t->nodes[0].distance[0] = 10;
		for (id = mq_cpuset_next(&t->online, 0); id >= 0;
		     id = mq_cpuset_next(&t->online, (unsigned int)id + 1))
			t->cpus[id].node = 0;
		return 0;
	}
	for (i = 0; i < t->nr_nodes; i++)
		if (read_node(r, t, &t->nodes[i], d))
			return -1;
	return 0;
}

int mq_topo_read(const struct mq_root *r, struct mq_topo *t, bool ids,
		 struct mq_diag *d)
{
	int err;

	memset(t, 0, sizeof(*t));
	if (read_possible(r, t, d))
		return -1;
	if (mq_cpuset_init(&t->online, t->nr_cpu_ids) ||
	    mq_cpuset_init(&t->isolated, t->nr_cpu_ids) ||
	    mq_cpuset_init(&t->nohz_full, t->nr_cpu_ids))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	err = mq_root_read_cpulist(r, CPU_DIR "/online", &t->online);
	if (!err && mq_cpuset_empty(&t->online))
		err = -EINVAL;
	if (err)
		return mq_root_fail(r, d, CPU_DIR "/online", err);
	if (read_optional_list(r, CPU_DIR "/isolated", &t->isolated, d) ||
	    read_optional_list(r, CPU_DIR "/nohz_full", &t->nohz_full, d))
		return -1;
	if (read_cpus(r, t, ids, d))
		return -1;
	return read_nodes(r, t, d);
}

int mq_topo_node_index(const struct mq_topo *t, int id)
{
	size_t i;

	for (i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].id == id)
			return (int)i;
	return -1;
}
