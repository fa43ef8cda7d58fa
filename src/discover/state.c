/*
 * state.c - what the kernel is doing now: RPS/RFS/XPS per queue, the
 * net.core sysctls, and whether irqbalance runs.
 *
 * Missing files are facts, not errors: a kernel without CONFIG_RPS has no
 * rps_cpus, xps_cpus answers ENOENT on a single-queue device, and the
 * net.core sysctls exist only in the initial network namespace.
 */
#include "mqtune/state.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/parse.h"

#define NET_DIR "/sys/class/net"

/* Read a mask file into @s; *present = false when the kernel has none. */
static int read_queue_mask(const struct mq_root *r, const char *path,
			   struct mq_cpuset *s, bool *present, char **raw,
			   struct mq_diag *d)
{
	int err = mq_root_read_cpumask_raw(r, path, s, raw);

	*present = err == 0;
	if (err == -ENOENT)
		return 0;
	return err ? mq_root_fail(r, d, path, err) : 0;
}

static int read_rxq(const struct mq_root *r, const struct mq_netdev *dev,
		    size_t q, struct mq_rxq *rxq, struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	int err;

	mq_path(path, sizeof(path), NET_DIR "/%s/queues/rx-%zu/rps_cpus",
		dev->name, q);
	if (read_queue_mask(r, path, &rxq->rps_cpus, &rxq->has_rps,
			    &rxq->rps_raw, d))
		return -1;
	mq_path(path, sizeof(path), NET_DIR "/%s/queues/rx-%zu/rps_flow_cnt",
		dev->name, q);
	err = mq_root_read_s64_raw(r, path, &rxq->rps_flow_cnt, &rxq->flow_raw);
	if (err == -ENOENT)
		rxq->rps_flow_cnt = -1;
	else if (err || rxq->rps_flow_cnt < 0)
		return mq_root_fail(r, d, path, err ? err : -EINVAL);
	return 0;
}

int mq_state_read_queues(const struct mq_root *r, const struct mq_topo *t,
			 struct mq_netdev *dev, struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	size_t q;

	/* the queue files are read, and written, relative to it */
	if (mq_path(path, sizeof(path), NET_DIR "/%s/queues", dev->name) == 0)
		mq_root_keep_dir(r, path);
	for (q = 0; q < dev->nr_rxq; q++) {
		if (mq_cpuset_init(&dev->rxq[q].rps_cpus, t->nr_cpu_ids))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
					   "out of memory");
		if (read_rxq(r, dev, q, &dev->rxq[q], d))
			return -1;
	}
	for (q = 0; q < dev->nr_txq; q++) {
		struct mq_txq *txq = &dev->txq[q];

		if (mq_cpuset_init(&txq->xps_cpus, t->nr_cpu_ids))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
					   "out of memory");
		mq_path(path, sizeof(path), NET_DIR "/%s/queues/tx-%zu/xps_cpus",
			dev->name, q);
		if (read_queue_mask(r, path, &txq->xps_cpus, &txq->has_xps,
				    &txq->xps_raw, d))
			return -1;
	}
	return 0;
}

static int read_sysctl(const struct mq_root *r, const char *path,
		       int64_t *out, char **raw, struct mq_diag *d)
{
	int err = mq_root_read_s64_raw(r, path, out, raw);

	if (err == -ENOENT) {
		*out = -1;
		return 0;
	}
	if (!err && *out < 0)
		err = -EINVAL;
	return err ? mq_root_fail(r, d, path, err) : 0;
}

int mq_state_read_sysctls(const struct mq_root *r, struct mq_sysctls *s,
			  struct mq_diag *d)
{
	if (read_sysctl(r, MQ_SYSCTL_BACKLOG, &s->netdev_max_backlog,
			&s->backlog_raw, d) ||
	    read_sysctl(r, MQ_SYSCTL_FLOW_ENTRIES, &s->rps_sock_flow_entries,
			&s->flow_entries_raw, d))
		return -1;
	return 0;
}

pid_t mq_state_find_irqbalance(const struct mq_root *r)
{
	char path[MQ_PATH_MAX], comm[32];
	struct dirent *e;
	pid_t found = 0;
	DIR *dp = mq_root_opendir(r, "/proc");

	if (!dp)
		return 0;
	while (!found && (e = readdir(dp))) {
		int pid;

		if (!mq_parse_pid_dir(e->d_name, &pid))
			continue;
		if (mq_path(path, sizeof(path), "/proc/%s/comm", e->d_name) ||
		    mq_root_read_word(r, path, comm, sizeof(comm)))
			continue;	/* the process went away meanwhile */
		if (strcmp(comm, "irqbalance") == 0)
			found = (pid_t)pid;
	}
	closedir(dp);
	return found;
}
