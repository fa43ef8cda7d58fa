/*
 * napi_threads.c - an interface's threaded NAPI kernel threads.
 *
 * The pids come from the netdev family's napi-get where the kernel
 * reports them (6.8+); the tx NAPIs some drivers add without a NAPI id
 * (virtio_net's) are not in that answer, and older kernels have none, so
 * the kernel threads named "napi/<dev>-<id>" under /proc are looked at as
 * well.  A thread counts only if it is a kernel thread (PF_KTHREAD, child
 * of kthreadd): a user process can name itself anything.
 */
#include "mqtune/napi_threads.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/ethtool.h"
#include "mqtune/parse.h"

#define NET_DIR "/sys/class/net"
#define COMM_CUT 15		/* TASK_COMM_LEN - 1, before Linux 5.17 */

int mq_napi_parse_stat(const char *buf, char *comm, size_t cap, pid_t *ppid,
		       unsigned long *flags)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	const char *p;
	char *end;
	unsigned long v;
	int field;
	size_t len;

	if (!open || !close || close < open || close[1] != ' ' || !cap)
		return -1;
	len = (size_t)(close - open - 1);
	if (len >= cap)
		len = cap - 1;
	memcpy(comm, open + 1, len);
	comm[len] = '\0';
	/* after ") ": state ppid pgrp session tty_nr tpgid flags */
	p = close + 2;
	if (!*p || *p == ' ' || p[1] != ' ')
		return -1;
	p += 2;
	for (field = 4; field <= 9; field++) {
		if (!isdigit((unsigned char)*p) && *p != '-')
			return -1;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || end == p || (*end != ' ' && *end != '\n'))
			return -1;
		if (field == 4) {
			if (v > INT_MAX)
				return -1;
			*ppid = (pid_t)v;
		} else if (field == 9) {
			*flags = v;
		}
		p = end + 1;
	}
	return 0;
}

bool mq_napi_name_match(const char *comm, const char *ifname,
			unsigned int *id)
{
	size_t nlen = strlen(ifname), clen = strlen(comm), pre = 5 + nlen + 1;
	unsigned long v = 0;
	const char *p;

	*id = 0;
	if (strncmp(comm, "napi/", 5) != 0 || clen < pre ||
	    strncmp(comm + 5, ifname, nlen) != 0 || comm[5 + nlen] != '-')
		return false;
	p = comm + pre;
	if (!*p)	/* "napi/enp0s31f6-": cut before the digits */
		return clen == COMM_CUT;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > UINT_MAX)
			return false;
	}
	*id = (unsigned int)v;
	return true;
}

int mq_napi_status_cpus(const char *status, char **out)
{
	static const char key[] = "Cpus_allowed_list:";
	const char *p = status, *v, *e;

	*out = NULL;
	while (p && *p) {
		if (strncmp(p, key, sizeof(key) - 1) == 0) {
			v = p + sizeof(key) - 1;
			while (*v == '\t' || *v == ' ')
				v++;
			e = strchr(v, '\n');
			if (!e)
				e = v + strlen(v);
			*out = strndup(v, (size_t)(e - v));
			return *out ? 0 : -ENOMEM;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

/* ---- queue attribution ---- */

static int by_id(const void *a, const void *b)
{
	const struct mq_napi_thread *x = *(const struct mq_napi_thread *const *)a;
	const struct mq_napi_thread *y = *(const struct mq_napi_thread *const *)b;

	if (x->napi_id != y->napi_id)
		return x->napi_id < y->napi_id ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int by_pid(const void *a, const void *b)
{
	const struct mq_napi_thread *x = *(const struct mq_napi_thread *const *)a;
	const struct mq_napi_thread *y = *(const struct mq_napi_thread *const *)b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int by_queue(const void *a, const void *b)
{
	const struct mq_napi_thread *x = a, *y = b;
	long xr = x->rxq >= 0 ? x->rxq : LONG_MAX;
	long yr = y->rxq >= 0 ? y->rxq : LONG_MAX;
	long xt = x->txq >= 0 ? x->txq : LONG_MAX;
	long yt = y->txq >= 0 ? y->txq : LONG_MAX;

	if (xr != yr)
		return xr < yr ? -1 : 1;
	if (xt != yt)
		return xt < yt ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * Whether the threads were made in the order their NAPIs were added
 * (threaded on before the queues were made: pids rise with the NAPI id),
 * rather than all at once when threaded NAPI was switched on (the kernel
 * walks its NAPI list newest first: pids fall as the ids rise).
 */
static bool made_in_add_order(struct mq_napi_thread **v, size_t n)
{
	long score = 0;
	size_t i;

	for (i = 1; i < n; i++)
		score += v[i]->pid > v[i - 1]->pid ? 1 : -1;
	return score > 0;
}

void mq_napi_attribute(struct mq_netdev *dev,
		       const struct mq_queue_napi *queues, size_t nq)
{
	struct mq_napi_thread **ided, **noid;
	size_t i, j, ni = 0, nz = 0;
	bool reported = false;

	for (i = 0; i < dev->nr_napi; i++) {
		dev->napi[i].rxq = dev->napi[i].txq = -1;
		dev->napi[i].inferred = false;
	}
	for (j = 0; j < nq; j++)
		if (queues[j].napi_id)
			reported = true;
	ided = calloc(dev->nr_napi ? dev->nr_napi : 1, sizeof(*ided));
	noid = calloc(dev->nr_napi ? dev->nr_napi : 1, sizeof(*noid));
	if (!ided || !noid)
		goto sort;	/* nothing attributed: still a valid model */
	for (i = 0; i < dev->nr_napi; i++) {
		struct mq_napi_thread *th = &dev->napi[i];

		if (!th->napi_id) {
			noid[nz++] = th;
			continue;
		}
		ided[ni++] = th;
		if (!reported)
			continue;
		for (j = 0; j < nq; j++) {
			const struct mq_queue_napi *q = &queues[j];

			if (q->napi_id != th->napi_id)
				continue;
			if (!q->is_tx && th->rxq < 0 && q->queue < dev->nr_rxq)
				th->rxq = (int)q->queue;
			if (q->is_tx && th->txq < 0 && q->queue < dev->nr_txq)
				th->txq = (int)q->queue;
		}
	}
	qsort(ided, ni, sizeof(*ided), by_id);
	if (!reported)		/* rx queue k: the k-th lowest NAPI id */
		for (i = 0; i < ni && i < dev->nr_rxq; i++) {
			ided[i]->rxq = (int)i;
			ided[i]->inferred = true;
		}
	/* NAPIs without an id (tx NAPIs): tx queue k is the k-th made */
	qsort(noid, nz, sizeof(*noid), by_pid);
	if (nz && !made_in_add_order(ided, ni))
		for (i = 0; i < nz / 2; i++) {
			struct mq_napi_thread *tmp = noid[i];

			noid[i] = noid[nz - 1 - i];
			noid[nz - 1 - i] = tmp;
		}
	for (i = 0; i < nz && i < dev->nr_txq; i++) {
		noid[i]->txq = (int)i;
		noid[i]->inferred = true;
	}
sort:
	free(ided);
	free(noid);
	if (dev->nr_napi > 1)
		qsort(dev->napi, dev->nr_napi, sizeof(*dev->napi), by_queue);
}

/* ---- reading ---- */

struct found {
	struct mq_napi_thread *v;
	size_t n, cap;
};

static struct mq_napi_thread *find_pid(struct found *f, pid_t pid)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].pid == pid)
			return &f->v[i];
	return NULL;
}

static void found_fini(struct found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		mq_cpuset_fini(&f->v[i].affinity);
		free(f->v[i].affinity_raw);
	}
	free(f->v);
}

/*
 * Read /proc/PID/stat: 1 when it is a kernel thread, with its name in
 * @comm; 0 when not (or gone); -1 with @d on a malformed file.
 */
static int read_kthread(const struct mq_root *r, pid_t pid, char *comm,
			size_t cap, struct mq_diag *d)
{
	char path[MQ_PATH_MAX], buf[2048];
	unsigned long flags = 0;
	pid_t ppid = 0;
	ssize_t n;

	if (mq_path(path, sizeof(path), "/proc/%d/stat", (int)pid))
		return 0;
	n = mq_root_read(r, path, buf, sizeof(buf));
	if (n < 0)
		return 0;	/* gone meanwhile, or not a process */
	if (mq_napi_parse_stat(buf, comm, cap, &ppid, &flags))
		return mq_root_fail(r, d, path, -EINVAL);
	return (flags & MQ_PF_KTHREAD) && ppid == MQ_KTHREADD_PID;
}

bool mq_napi_thread_is(const struct mq_root *r, pid_t pid, const char *comm)
{
	char now[64];
	struct mq_diag d;

	mq_diag_clear(&d);
	return read_kthread(r, pid, now, sizeof(now), &d) == 1 &&
	       strcmp(now, comm) == 0;
}

/* Its affinity; 1 when read, 0 when the thread is gone, -1 with @d. */
static int read_affinity(const struct mq_root *r, const struct mq_topo *t,
			 struct mq_napi_thread *th, struct mq_diag *d)
{
	char path[MQ_PATH_MAX], *buf = NULL, *list = NULL;
	ssize_t n;
	int err;

	if (mq_path(path, sizeof(path), "/proc/%d/status", (int)th->pid))
		return 0;
	n = mq_root_read_alloc(r, path, 16384 + 2 * mq_root_cpuset_max(
				       t->nr_cpu_ids), &buf);
	if (n == -ENOENT || n == -ESRCH)
		return 0;
	if (n < 0)
		return mq_root_fail(r, d, path, (int)n);
	err = mq_napi_status_cpus(buf, &list);
	free(buf);
	if (err == -ENOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (err)
		return mq_root_fail(r, d, path, -EINVAL);
	if (mq_cpuset_init(&th->affinity, t->nr_cpu_ids)) {
		free(list);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	if (mq_cpuset_parse_list(&th->affinity, list, strlen(list)) !=
	    MQ_PARSE_OK) {
		free(list);
		mq_cpuset_fini(&th->affinity);
		return mq_root_fail(r, d, path, -EINVAL);
	}
	th->affinity_raw = list;
	return 1;
}

/* Add @pid named @comm with @id; 1 added, 0 gone, -1 with @d. */
static int add_thread(const struct mq_root *r, const struct mq_topo *t,
		      struct found *f, pid_t pid, const char *comm,
		      unsigned int id, struct mq_diag *d)
{
	struct mq_napi_thread *th;
	int ret;

	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 8;
		void *p = realloc(f->v, cap * sizeof(*f->v));

		if (!p)
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
					   "out of memory");
		f->v = p;
		f->cap = cap;
	}
	th = &f->v[f->n];
	memset(th, 0, sizeof(*th));
	th->pid = pid;
	th->napi_id = id;
	th->irq = -1;
	th->rxq = th->txq = -1;
	snprintf(th->comm, sizeof(th->comm), "%s", comm);
	ret = read_affinity(r, t, th, d);
	if (ret == 1)
		f->n++;
	return ret;
}

/*
 * Whether a thread named for NAPI @id can be one of the device's: thread
 * names carry no network namespace, so another namespace's interface of
 * the same name has threads of the same form.  NAPI ids are unique
 * machine-wide: when napi-get answered (@nl), an id it did not list is
 * another device's.  A NAPI without an id (0) is never listed: taken.
 */
static bool ours(unsigned int id, bool nl, const struct mq_napi_info *ni,
		 size_t nn)
{
	size_t i;

	if (!nl || id == 0)
		return true;
	for (i = 0; i < nn; i++)
		if (ni[i].id == id)
			return true;
	return false;
}

/* The kernel threads named napi/<dev>-<id>. */
static int scan_names(const struct mq_root *r, const struct mq_topo *t,
		      const struct mq_netdev *dev, struct found *f, bool nl,
		      const struct mq_napi_info *ni, size_t nn,
		      struct mq_diag *d)
{
	DIR *dp = mq_root_opendir(r, "/proc");
	struct dirent *e;
	int ret = 0;

	if (!dp)
		return 0;	/* no /proc in this snapshot: no threads */
	while ((e = readdir(dp))) {
		char comm[64];
		unsigned int id;
		int pid, k;

		if (!mq_parse_pid_dir(e->d_name, &pid))
			continue;
		/* cheap test first: the name, then whether a kthread */
		if (pid <= MQ_KTHREADD_PID || find_pid(f, pid))
			continue;
		k = read_kthread(r, pid, comm, sizeof(comm), d);
		if (k < 0) {
			ret = -1;
			break;
		}
		if (!k || !mq_napi_name_match(comm, dev->name, &id) ||
		    !ours(id, nl, ni, nn))
			continue;
		if (add_thread(r, t, f, pid, comm, id, d) < 0) {
			ret = -1;
			break;
		}
	}
	closedir(dp);
	return ret;
}

/* napi-get's threads (6.8+); the netlink answers kept for attribution. */
static int from_netlink(const struct mq_root *r, const struct mq_topo *t,
			const struct mq_netdev *dev, struct found *f,
			const struct mq_napi_info *ni, size_t nn,
			bool *any_threaded, struct mq_diag *d)
{
	size_t i;

	*any_threaded = false;
	for (i = 0; i < nn; i++) {
		char comm[64];
		int k;

		if (ni[i].threaded > 0)
			*any_threaded = true;
		if (ni[i].pid <= MQ_KTHREADD_PID)
			continue;
		k = read_kthread(r, ni[i].pid, comm, sizeof(comm), d);
		if (k < 0)
			return -1;
		if (!k)
			continue;	/* gone, or not what netlink said */
		k = add_thread(r, t, f, ni[i].pid, comm, ni[i].id, d);
		if (k < 0)
			return -1;
		if (k == 0)
			continue;
		f->v[f->n - 1].irq = ni[i].irq;
		if (ni[i].threaded >= 0)
			f->v[f->n - 1].threaded = ni[i].threaded > 0;
		else
			f->v[f->n - 1].threaded = dev->napi_threaded > 0;
		*any_threaded = true;
	}
	return 0;
}

static int read_threaded(const struct mq_root *r, struct mq_netdev *dev,
			 struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	int64_t v = -1;
	int err;

	dev->napi_threaded = -1;
	if (mq_path(path, sizeof(path), NET_DIR "/%s/threaded", dev->name))
		return 0;
	err = mq_root_read_s64(r, path, &v);
	if (err == -EINVAL)
		return mq_root_fail(r, d, path, err);
	if (err)	/* no such file (before 5.12), or not readable now */
		return 0;
	if (v < 0 || v > 255)
		return mq_root_fail(r, d, path, -EINVAL);
	dev->napi_threaded = (int)v;
	return 0;
}

int mq_napi_read(const struct mq_root *r, const struct mq_topo *t,
		 struct mq_netdev *dev, struct mq_diag *d)
{
	struct mq_napi_info *ni = NULL;
	struct mq_queue_napi *qi = NULL;
	struct found f = { .v = NULL };
	size_t nn = 0, nq = 0, i, from_nl = 0;
	bool nl_threaded = false, nl = false;

	dev->napi_live = r->live;
	dev->napi_source = MQ_NAPI_SRC_NONE;
	if (read_threaded(r, dev, d))
		return -1;
	if (r->live && dev->ifindex > 0) {
		struct mq_diag ignored;

		/* an improvement, not a requirement, as for the IRQ map */
		mq_diag_clear(&ignored);
		nl = mq_netdev_napi_list(dev->ifindex, &ni, &nn, &qi, &nq,
					 &ignored) == 0;
		if (!nl) {
			free(ni);
			free(qi);
			ni = NULL;
			qi = NULL;
			nn = nq = 0;
		}
	}
	if (from_netlink(r, t, dev, &f, ni, nn, &nl_threaded, d))
		goto fail;
	from_nl = f.n;
	if ((dev->napi_threaded > 0 || nl_threaded) &&
	    scan_names(r, t, dev, &f, nl, ni, nn, d))
		goto fail;
	for (i = from_nl; i < f.n; i++)
		f.v[i].threaded = dev->napi_threaded > 0;
	dev->napi = f.v;
	dev->nr_napi = f.n;
	if (f.n)
		dev->napi_source = from_nl ? MQ_NAPI_SRC_NETLINK :
					     MQ_NAPI_SRC_NAMES;
	mq_napi_attribute(dev, qi, nq);
	free(ni);
	free(qi);
	return 0;
fail:
	found_fini(&f);
	free(ni);
	free(qi);
	return -1;
}
