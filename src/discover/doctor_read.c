/*
 * doctor_read.c - read what `doctor` judges (doctor_read.h).
 *
 * Files go through struct mq_root, so a --sysroot snapshot stands for a
 * machine; the TCP sockets come from sock_diag and only from a live
 * kernel.  Nothing per socket is kept: the dump callback counts states,
 * groups TIME_WAIT sockets in a fixed table, keeps the fullest listeners
 * and collects only the inodes of CLOSE_WAIT sockets, which the walk of
 * /proc/PID/fd then joins with their owners.
 */
#include "mqtune/doctor_read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mqtune/classify.h"
#include "mqtune/ethtool.h"
#include "mqtune/parse.h"

#define FILE_MAX_SMALL (64 * 1024)
#define FILE_MAX_CONF (1024 * 1024)

/* Read @path whole; 1 when it is missing (a note), 0, or -1 with @d. */
static int read_whole(const struct mq_root *r, const char *path, size_t max,
		      char **out, struct mq_doc_facts *f, struct mq_diag *d)
{
	ssize_t n = mq_root_read_alloc(r, path, max, out);

	if (n == -ENOENT || n == -EACCES || n == -EPERM) {
		mq_doc_note(f, "%s: %s", path, strerror((int)-n));
		return 1;
	}
	if (n < 0)
		return mq_root_fail(r, d, path, (int)n);
	return 0;
}

static int malformed(const struct mq_root *r, struct mq_diag *d,
		     const char *path, size_t line)
{
	char real[MQ_PATH_MAX];

	mq_root_real_path(r, path, real, sizeof(real));
	if (line)
		return mq_diag_set(d, MQ_EXIT_SYSTEM, EINVAL,
				   "%s: malformed contents (line %zu)", real, line);
	return mq_diag_set(d, MQ_EXIT_SYSTEM, EINVAL, "%s: malformed contents",
			   real);
}

/* --- counters -------------------------------------------------------- */

static int read_softnet(const struct mq_root *r, struct mq_doc_facts *f,
			struct mq_diag *d)
{
	static const char path[] = "/proc/net/softnet_stat";
	char *buf = NULL;
	size_t bad = 0, i;
	int ret;

	ret = read_whole(r, path, (size_t)f->nr_cpu_ids * 256 + 4096, &buf, f, d);
	if (ret)
		return ret < 0 ? -1 : 0;
	ret = mq_parse_softnet(buf, strlen(buf), &f->softnet, &bad);
	free(buf);
	if (ret == MQ_PARSE_NOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (ret)
		return malformed(r, d, path, bad);
	if (!f->softnet.cpu_known) {
		/* before 5.10: row i is the i-th online CPU */
		int cpu = -1;

		if (mq_cpuset_weight(&f->online) != f->softnet.nr_rows) {
			mq_doc_note(f, "%s: %zu rows for %u online CPUs and no CPU "
				    "column: rows not matched to CPUs", path,
				    f->softnet.nr_rows, mq_cpuset_weight(&f->online));
			mq_softnet_free(&f->softnet);
			return 0;
		}
		for (i = 0; i < f->softnet.nr_rows; i++) {
			cpu = mq_cpuset_next(&f->online, cpu + 1);
			f->softnet.rows[i].cpu = (unsigned int)cpu;
		}
		f->softnet.cpu_known = true;
	}
	f->have_softnet = true;
	return 0;
}

static int read_softirqs(const struct mq_root *r, struct mq_doc_facts *f,
			 struct mq_diag *d)
{
	static const char path[] = "/proc/softirqs";
	char *buf = NULL;
	size_t bad = 0;
	int ret;

	ret = read_whole(r, path, (size_t)f->nr_cpu_ids * 160 + 4096, &buf, f, d);
	if (ret)
		return ret < 0 ? -1 : 0;
	ret = mq_parse_softirqs(buf, strlen(buf), &f->softirqs, &bad);
	free(buf);
	if (ret == MQ_PARSE_NOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (ret)
		return malformed(r, d, path, bad);
	f->have_softirqs = f->softirqs.net_rx != NULL;
	return 0;
}

static int read_keyed(const struct mq_root *r, const char *path, bool pairs,
		      struct mq_keyed *t, struct mq_doc_facts *f,
		      struct mq_diag *d)
{
	char *buf = NULL;
	size_t bad = 0;
	int ret;

	ret = read_whole(r, path, FILE_MAX_SMALL, &buf, f, d);
	if (ret)
		return ret < 0 ? -1 : 0;
	ret = pairs ? mq_parse_netstat(buf, strlen(buf), t, &bad) :
		      mq_parse_sockstat(buf, strlen(buf), t, &bad);
	free(buf);
	if (ret == MQ_PARSE_NOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	return ret ? malformed(r, d, path, bad) : 0;
}

/* Driver statistics that count received packets lost for lack of room. */
static bool drop_counter(const char *name)
{
	static const char *const words[] = {
		"no_buf", "nobuf", "no_buffer", "missed", "drop", "fifo",
		"overrun", "discard",
	};
	size_t i;

	if (strstr(name, "allowance_exceeded"))	/* ENA: the cloud's limits */
		return true;
	if (!strstr(name, "rx"))
		return false;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(name, words[i]))
			return true;
	return false;
}

/* ethtool -S counters of @nic that drop_counter() keeps and are not 0. */
static void read_driver_drops(const struct mq_root *r, struct mq_doc_nic *nic,
			      struct mq_doc_facts *f)
{
	struct mq_nic_counter *c = NULL;
	size_t n = 0, i;
	struct mq_diag d;

	if (!r->live)
		return;
	mq_diag_clear(&d);
	if (mq_ethtool_get_stats(nic->name, drop_counter, &c, &n, &d) < 0) {
		mq_doc_note(f, "%s", d.msg);
		return;
	}
	nic->nr_drv = 0;
	for (int pass = 0; pass < 2; pass++)	/* those not 0 first */
		for (i = 0; i < n && nic->nr_drv < MQ_DOC_DRV; i++) {
			struct mq_doc_counter *k = &nic->drv[nic->nr_drv];

			if ((c[i].value != 0) != (pass == 0))
				continue;
			snprintf(k->name, sizeof(k->name), "%s", c[i].name);
			k->value = c[i].value;
			nic->nr_drv++;
		}
	free(c);
}

static int read_nic_counters(const struct mq_root *r, const struct mq_netdev *dev,
			     struct mq_doc_nic *nic, struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	size_t i;

	for (i = 0; i < MQ_DOC_NIC_STATS; i++) {
		int64_t v;
		int ret;

		if (mq_path(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
			    dev->name, mq_doc_nic_stat_names[i]))
			return mq_root_fail(r, d, path, -ENAMETOOLONG);
		ret = mq_root_read_s64(r, path, &v);
		if (ret == -ENOENT) {
			nic->stats[i] = MQ_DOC_NONE;
			continue;
		}
		if (ret)
			return mq_root_fail(r, d, path, ret);
		nic->stats[i] = v;
	}
	return 0;
}

/*
 * The union of the RPS sets of the rx queues vector @j of @dev serves, in
 * @out (left unset when none has RPS on).  0, or -1 out of memory.
 */
static int irq_rps(const struct mq_netdev *dev, size_t j, struct mq_cpuset *out)
{
	size_t q;

	for (q = 0; q < dev->nr_rxq; q++) {
		const struct mq_rxq *rx = &dev->rxq[q];

		if (rx->irq != (int)j || !rx->has_rps || !rx->rps_cpus.words ||
		    mq_cpuset_empty(&rx->rps_cpus))
			continue;
		if (!out->words && mq_cpuset_init(out, rx->rps_cpus.nbits))
			return -1;
		mq_cpuset_or(out, &rx->rps_cpus);
	}
	return 0;
}

/* Each NIC's queue vectors and their counts in /proc/interrupts. */
static int read_irq_counts(const struct mq_root *r, const struct mq_machine *m,
			   struct mq_doc_facts *f, struct mq_diag *d)
{
	static const char path[] = "/proc/interrupts";
	struct mq_irq_counts c;
	unsigned int *want;
	size_t total = 0, i, j, k = 0, bad = 0;
	char *buf = NULL;
	int ret;

	for (i = 0; i < m->nr_netdevs; i++)
		total += m->netdevs[i].nr_irqs;
	if (!total)
		return 0;
	want = calloc(total, sizeof(*want));
	if (!want)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	for (i = 0; i < m->nr_netdevs; i++)
		for (j = 0; j < m->netdevs[i].nr_irqs; j++)
			want[k++] = m->netdevs[i].irqs[j].irq;
	ret = read_whole(r, path, mq_root_interrupts_max(f->nr_cpu_ids), &buf, f, d);
	if (ret) {
		free(want);
		return ret < 0 ? -1 : 0;
	}
	ret = mq_parse_irq_counts(buf, strlen(buf), want, total, &c, &bad);
	free(buf);
	free(want);
	if (ret == MQ_PARSE_NOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (ret)
		return malformed(r, d, path, bad);
	k = 0;
	for (i = 0; i < m->nr_netdevs; i++) {
		const struct mq_netdev *dev = &m->netdevs[i];
		struct mq_doc_nic *nic = &f->nics[i];

		nic->irqs = calloc(dev->nr_irqs ? dev->nr_irqs : 1, sizeof(*nic->irqs));
		nic->col_cpu = calloc(c.nr_columns ? c.nr_columns : 1,
				      sizeof(*nic->col_cpu));
		nic->counts = calloc(dev->nr_irqs * c.nr_columns + 1,
				     sizeof(*nic->counts));
		if (!nic->irqs || !nic->col_cpu || !nic->counts) {
			mq_irq_counts_free(&c);
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
		}
		nic->nr_irqs = dev->nr_irqs;
		nic->nr_cols = c.nr_columns;
		memcpy(nic->col_cpu, c.cpus, c.nr_columns * sizeof(*c.cpus));
		memcpy(nic->counts, c.counts + k * c.nr_columns,
		       dev->nr_irqs * c.nr_columns * sizeof(*c.counts));
		for (j = 0; j < dev->nr_irqs; j++, k++) {
			struct mq_doc_irq *q = &nic->irqs[j];
			unsigned int col;

			const struct mq_irq *vi = &dev->irqs[j];

			q->irq = vi->irq;
			q->queue = mq_netdev_irq_attached(dev, j) ? vi->queue : -1;
			q->role = q->queue >= 0 ? mq_vec_kind_name(vi->kind) : NULL;
			if (q->queue >= 0 && irq_rps(dev, j, &q->rps)) {
				mq_irq_counts_free(&c);
				return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
						   "out of memory");
			}
			q->planned_cpu = -1;
			q->cur_cpu = -1;
			/* the affinity set (what auto writes), else where the
			 * kernel delivers it when the set has several CPUs */
			if (vi->has_affinity && mq_cpuset_weight(&vi->affinity) == 1)
				q->cur_cpu = mq_cpuset_next(&vi->affinity, 0);
			else if (vi->has_effective &&
				 mq_cpuset_weight(&vi->effective) == 1)
				q->cur_cpu = mq_cpuset_next(&vi->effective, 0);
			for (col = 0; col < c.nr_columns; col++) {
				uint64_t v = c.counts[k * c.nr_columns + col];

				q->total += v;
				if (v > q->top_count) {
					q->top_count = v;
					q->top_cpu = c.cpus[col];
				}
			}
		}
	}
	mq_irq_counts_free(&c);
	return 0;
}

int mq_doctor_read_counters(const struct mq_root *r, const struct mq_machine *m,
			    struct mq_doc_facts *f, struct mq_diag *d)
{
	size_t i;

	if (m && !f->online.words) {
		f->nr_cpu_ids = m->topo.nr_cpu_ids;
		if (mq_cpuset_dup(&f->online, &m->topo.online) ||
		    mq_cpuset_dup(&f->isolated, &m->topo.isolated))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	if (read_softnet(r, f, d) || read_softirqs(r, f, d) ||
	    read_keyed(r, "/proc/net/netstat", true, &f->netstat, f, d) ||
	    read_keyed(r, "/proc/net/snmp", true, &f->netstat, f, d))
		return -1;
	if (!m)
		return 0;
	if (!f->nics && m->nr_netdevs) {
		f->nics = calloc(m->nr_netdevs, sizeof(*f->nics));
		if (!f->nics)
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
		f->nr_nics = m->nr_netdevs;
	}
	for (i = 0; i < m->nr_netdevs; i++) {
		snprintf(f->nics[i].name, sizeof(f->nics[i].name), "%s",
			 m->netdevs[i].name);
		if (read_nic_counters(r, &m->netdevs[i], &f->nics[i], d))
			return -1;
		read_driver_drops(r, &f->nics[i], f);
	}
	return read_irq_counts(r, m, f, d);
}

/* --- sysctls and configuration files ----------------------------------- */

static int64_t read_sysctl(const struct mq_root *r, const char *path,
			   struct mq_diag *d, int *err)
{
	int64_t v;
	int ret = mq_root_read_s64(r, path, &v);

	if (ret == 0)
		return v;
	if (ret != -ENOENT && ret != -EACCES && !*err) {
		*err = -1;
		mq_root_fail(r, d, path, ret);
	}
	return MQ_DOC_NONE;
}

static int read_tuple(const struct mq_root *r, const char *path, uint64_t *out,
		      size_t n, bool *have, struct mq_doc_facts *f,
		      struct mq_diag *d)
{
	char buf[256];
	ssize_t len = mq_root_read(r, path, buf, sizeof(buf));

	if (len == -ENOENT || len == -EACCES) {
		mq_doc_note(f, "%s: %s", path, strerror((int)-len));
		return 0;
	}
	if (len < 0)
		return mq_root_fail(r, d, path, (int)len);
	if (mq_parse_u64_tuple(buf, (size_t)len, out, n))
		return malformed(r, d, path, 0);
	*have = true;
	return 0;
}

static int read_sysctls(const struct mq_root *r, struct mq_doc_facts *f,
			struct mq_diag *d)
{
	static const struct {
		const char *path;
		size_t off;
	} tab[] = {
#define S(p, field) { p, offsetof(struct mq_doc_sysctls, field) }
		S("/proc/sys/net/core/netdev_max_backlog", netdev_max_backlog),
		S("/proc/sys/net/core/netdev_budget", netdev_budget),
		S("/proc/sys/net/core/netdev_budget_usecs", netdev_budget_usecs),
		S("/proc/sys/net/core/somaxconn", somaxconn),
		S("/proc/sys/net/ipv4/tcp_max_syn_backlog", tcp_max_syn_backlog),
		S("/proc/sys/net/ipv4/tcp_syncookies", tcp_syncookies),
		S("/proc/sys/net/ipv4/tcp_tw_reuse", tcp_tw_reuse),
		S("/proc/sys/net/ipv4/tcp_fin_timeout", tcp_fin_timeout),
		S("/proc/sys/net/ipv4/tcp_max_tw_buckets", tcp_max_tw_buckets),
		S("/proc/sys/net/ipv4/tcp_max_orphans", tcp_max_orphans),
		S("/proc/sys/fs/file-max", file_max),
		S("/proc/sys/fs/nr_open", nr_open),
		S("/proc/sys/net/ipv4/tcp_tw_recycle", tcp_tw_recycle),
#undef S
	};
	struct mq_doc_sysctls *s = &f->sys;
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		*(int64_t *)(void *)((char *)s + tab[i].off) =
			read_sysctl(r, tab[i].path, d, &err);
	if (err)
		return -1;
	if (read_tuple(r, "/proc/sys/net/ipv4/tcp_mem", s->tcp_mem, 3,
		       &s->have_tcp_mem, f, d) ||
	    read_tuple(r, "/proc/sys/net/ipv4/ip_local_port_range", s->port_range,
		       2, &s->have_port_range, f, d) ||
	    read_tuple(r, "/proc/sys/fs/file-nr", s->file_nr, 3, &s->have_file_nr,
		       f, d))
		return -1;
	return 0;
}

static void conf_file(const struct mq_root *r, const char *path,
		      struct mq_doc_facts *f)
{
	struct mq_doc_conf *c;
	char *buf = NULL, value[32];
	size_t line;
	ssize_t n;

	if (f->nr_recycle == sizeof(f->recycle) / sizeof(f->recycle[0]))
		return;
	n = mq_root_read_alloc(r, path, FILE_MAX_CONF, &buf);
	if (n < 0)
		return;		/* unreadable: not a setting we can report */
	if (mq_sysctl_conf_find(buf, (size_t)n, "net.ipv4.tcp_tw_recycle", &line,
				value, sizeof(value))) {
		c = &f->recycle[f->nr_recycle++];
		snprintf(c->file, sizeof(c->file), "%s", path);
		c->line = line;
		snprintf(c->value, sizeof(c->value), "%s", value);
	}
	free(buf);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* *.conf in @dir, in name order (as sysctl --system reads them). */
static void conf_dir(const struct mq_root *r, const char *dir,
		     struct mq_doc_facts *f)
{
	char *names[256], path[MQ_PATH_MAX];
	struct dirent *e;
	size_t n = 0, i;
	DIR *dh = mq_root_opendir(r, dir);

	if (!dh)
		return;
	while ((e = readdir(dh)) && n < sizeof(names) / sizeof(names[0])) {
		size_t len = strlen(e->d_name);

		if (len > 5 && strcmp(e->d_name + len - 5, ".conf") == 0) {
			names[n] = strdup(e->d_name);
			if (names[n])
				n++;
		}
	}
	closedir(dh);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (i = 0; i < n; i++) {
		if (!mq_path(path, sizeof(path), "%s/%s", dir, names[i]))
			conf_file(r, path, f);
		free(names[i]);
	}
}

/* --- sockets ----------------------------------------------------------- */

#define TW_SLOTS 4096

struct sock_scan {
	struct mq_doc_facts *f;
	uint64_t lo, hi;		/* ip_local_port_range */
	struct mq_doc_tw_group *slots;	/* TW_SLOTS, open addressing */
	size_t used;
	uint32_t *cw;			/* CLOSE_WAIT inodes */
	size_t nr_cw, cap_cw;
	uint64_t nr_cw_owned;		/* matched in some /proc/PID/fd */
	bool nomem;
};

static uint32_t hash_group(const struct mq_doc_tw_group *g)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ g->addr[i]) * 16777619u;
	h = (h ^ g->port) * 16777619u;
	h = (h ^ g->family) * 16777619u;
	return (h ^ (uint32_t)g->outbound) * 16777619u;
}

static void tw_add(struct sock_scan *s, const struct mq_sock *k)
{
	struct mq_doc_tw_group g;
	uint32_t h;
	size_t n;

	memset(&g, 0, sizeof(g));
	g.family = k->family;
	g.outbound = k->sport >= s->lo && k->sport <= s->hi;
	memcpy(g.addr, g.outbound ? k->dst : k->src, 16);
	g.port = g.outbound ? k->dport : k->sport;
	h = hash_group(&g);
	for (n = 0; n < TW_SLOTS; n++) {
		struct mq_doc_tw_group *e = &s->slots[(h + n) % TW_SLOTS];

		if (e->count == 0) {
			if (s->used * 4 >= TW_SLOTS * 3)
				break;	/* table three quarters full */
			*e = g;
			e->count = 1;
			s->used++;
			return;
		}
		if (e->outbound == g.outbound && e->family == g.family &&
		    e->port == g.port && memcmp(e->addr, g.addr, 16) == 0) {
			e->count++;
			return;
		}
	}
	s->f->tw_ungrouped++;
}

static double fill(const struct mq_doc_listener *l)
{
	return l->backlog ? (double)l->queued / l->backlog : (l->queued ? 1e9 : 0);
}

/*
 * Keep the @cap items with the largest @key in @arr (length *@n, largest
 * first): the slot @item goes to, or -1 when it is not among them.
 */
#define TOP_SLOT(arr, n, cap, key, item_key, pos) do {			\
	if (*(n) < (cap)) {						\
		(pos) = (long)(*(n))++;					\
	} else if (key(&(arr)[(cap) - 1]) >= (item_key)) {		\
		(pos) = -1;						\
	} else {							\
		(pos) = (long)(cap) - 1;				\
	}								\
	while ((pos) > 0 && key(&(arr)[(pos) - 1]) < (item_key)) {	\
		(arr)[(pos)] = (arr)[(pos) - 1];			\
		(pos)--;						\
	}								\
} while (0)

static void listener_add(struct mq_doc_facts *f, const struct mq_sock *k)
{
	struct mq_doc_listener l;
	long pos;

	memset(&l, 0, sizeof(l));
	l.family = k->family;
	memcpy(l.addr, k->src, 16);
	l.port = k->sport;
	l.queued = k->rqueue;
	l.backlog = k->wqueue;
	f->nr_listeners_total++;
	if (l.queued && 2 * (uint64_t)l.queued >= l.backlog)
		f->nr_listeners_near++;
	TOP_SLOT(f->listeners, &f->nr_listeners, MQ_DOC_TOP, fill, fill(&l), pos);
	if (pos >= 0)
		f->listeners[pos] = l;
}

static int on_sock(const struct mq_sock *k, void *arg)
{
	struct sock_scan *s = arg;
	struct mq_doc_facts *f = s->f;

	if (k->state >= MQ_TCP_NR_STATES)
		return 0;
	f->states[k->state]++;
	if (k->family == AF_INET6)
		f->states6[k->state]++;
	switch (k->state) {
	case MQ_TCP_TIME_WAIT:
		tw_add(s, k);
		break;
	case MQ_TCP_LISTEN:
		listener_add(f, k);
		break;
	case MQ_TCP_CLOSE_WAIT:
		if (s->nr_cw == s->cap_cw) {
			size_t ncap = s->cap_cw ? s->cap_cw * 2 : 256;
			void *p = realloc(s->cw, ncap * sizeof(*s->cw));

			if (!p) {
				s->nomem = true;
				return 1;
			}
			s->cw = p;
			s->cap_cw = ncap;
		}
		if (k->inode)
			s->cw[s->nr_cw++] = k->inode;
		else
			f->close_wait_unowned++;
		break;
	case MQ_TCP_FIN_WAIT1:
	case MQ_TCP_FIN_WAIT2:
	case MQ_TCP_LAST_ACK:
	case MQ_TCP_CLOSING:
		if (k->inode == 0) {
			f->orphans++;
			if (k->state == MQ_TCP_FIN_WAIT2)
				f->orphans_fin_wait2++;
		}
		break;
	}
	return 0;
}

static int group_cmp(const void *a, const void *b)
{
	const struct mq_doc_tw_group *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int read_sockets(struct sock_scan *s, struct mq_diag *d)
{
	struct mq_doc_facts *f = s->f;
	size_t i, n = 0;
	int ret;

	s->lo = f->sys.have_port_range ? f->sys.port_range[0] : 32768;
	s->hi = f->sys.have_port_range ? f->sys.port_range[1] : 60999;
	s->slots = calloc(TW_SLOTS, sizeof(*s->slots));
	if (!s->slots)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	ret = mq_sockdiag_dump(AF_INET, MQ_TCP_ALL_STATES, on_sock, s, d);
	if (ret < 0 && !s->nomem) {
		/* no sock_diag here (a container, a seccomp filter): the
		 * socket findings are skipped, the rest still runs */
		mq_doc_note(f, "TCP sockets not read: %s", d->msg);
		mq_diag_clear(d);
		memset(f->states, 0, sizeof(f->states));
		memset(f->states6, 0, sizeof(f->states6));
		f->orphans = f->orphans_fin_wait2 = f->tw_ungrouped = 0;
		f->nr_listeners = f->nr_listeners_total = f->nr_listeners_near = 0;
		f->close_wait_unowned = 0;
		s->nr_cw = 0;
		free(s->slots);
		s->slots = NULL;
		return 0;
	}
	if (ret == 0) {
		struct mq_diag d6;

		mq_diag_clear(&d6);
		ret = mq_sockdiag_dump(AF_INET6, MQ_TCP_ALL_STATES, on_sock, s, &d6);
		if (ret < 0) {
			mq_doc_note(f, "%s", d6.msg);	/* no IPv6 here */
			ret = 0;
		}
	}
	if (s->nomem)
		ret = mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (ret) {
		free(s->slots);
		return -1;
	}
	for (i = 0; i < TW_SLOTS; i++)
		if (s->slots[i].count)
			s->slots[n++] = s->slots[i];
	qsort(s->slots, n, sizeof(*s->slots), group_cmp);
	f->nr_tw_groups = n < MQ_DOC_TOP ? n : MQ_DOC_TOP;
	memcpy(f->tw_groups, s->slots, f->nr_tw_groups * sizeof(*s->slots));
	free(s->slots);
	s->slots = NULL;
	if (s->nr_cw)
		qsort(s->cw, s->nr_cw, sizeof(*s->cw), u32_cmp);
	f->have_sockets = true;
	return 0;
}

/* --- processes --------------------------------------------------------- */

#define FD_LIMIT_MIN 100	/* fewer descriptors: the limit is not read */

static void read_comm(const struct mq_root *r, int pid, char *buf, size_t cap)
{
	char path[MQ_PATH_MAX];

	buf[0] = '\0';
	if (!mq_path(path, sizeof(path), "/proc/%d/comm", pid))
		mq_root_read_word(r, path, buf, cap);
}

static double owner_key(const struct mq_doc_owner *o)
{
	return (double)o->count;
}

static void owner_add(struct mq_doc_facts *f, const struct mq_root *r, int pid,
		      uint64_t count)
{
	struct mq_doc_owner o = { .pid = pid, .count = count };
	long pos;

	TOP_SLOT(f->owners, &f->nr_owners, MQ_DOC_TOP, owner_key, (double)count,
		 pos);
	if (pos < 0)
		return;
	read_comm(r, pid, o.comm, sizeof(o.comm));
	f->owners[pos] = o;
}

static double use_of(const struct mq_doc_proc *p)
{
	return p->soft && p->soft != UINT64_MAX ? (double)p->nfds / p->soft : 0;
}

static void proc_limit(struct mq_doc_facts *f, const struct mq_root *r, int pid,
		       uint64_t nfds)
{
	struct mq_doc_proc p = { .pid = pid, .nfds = nfds };
	char path[MQ_PATH_MAX], buf[4096];
	ssize_t n;
	long pos;

	if (mq_path(path, sizeof(path), "/proc/%d/limits", pid))
		return;
	n = mq_root_read(r, path, buf, sizeof(buf));
	if (n < 0 || mq_parse_limit(buf, (size_t)n, "Max open files", &p.soft,
				    &p.hard))
		return;
	if (use_of(&p) < 0.5)
		return;
	TOP_SLOT(f->procs, &f->nr_procs, MQ_DOC_TOP, use_of, use_of(&p), pos);
	if (pos < 0)
		return;
	read_comm(r, pid, p.comm, sizeof(p.comm));
	f->procs[pos] = p;
}
/* "socket:[12345]" */
static bool socket_inode(const char *link, uint32_t *ino)
{
	size_t n = strlen(link);

	if (n < 10 || strncmp(link, "socket:[", 8) || link[n - 1] != ']')
		return false;
	return mq_parse_u32(link + 8, n - 9, ino) == MQ_PARSE_OK;
}

/*
 * One process: count its descriptors, and when CLOSE_WAIT sockets exist,
 * read each link (relative to the fd directory root opened, one
 * component from readdir: nothing is followed) and match the inodes.
 */
static void scan_pid(const struct mq_root *r, int pid, struct sock_scan *s)
{
	struct mq_doc_facts *f = s->f;
	char path[MQ_PATH_MAX], link[64];
	uint64_t nfds = 0, cw = 0;
	struct dirent *e;
	DIR *dh;

	if (mq_path(path, sizeof(path), "/proc/%d/fd", pid))
		return;
	dh = mq_root_opendir(r, path);
	if (!dh) {
		if (errno == EACCES || errno == EPERM)
			f->procs_denied++;
		return;
	}
	while ((e = readdir(dh))) {
		ssize_t n;
		uint32_t ino;

		if (e->d_name[0] == '.')
			continue;
		nfds++;
		if (!s->nr_cw)
			continue;
		n = readlinkat(dirfd(dh), e->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (socket_inode(link, &ino) &&
		    bsearch(&ino, s->cw, s->nr_cw, sizeof(*s->cw), u32_cmp))
			cw++;
	}
	closedir(dh);
	if (cw) {
		owner_add(f, r, pid, cw);
		s->nr_cw_owned += cw;
	}
	if (nfds >= FD_LIMIT_MIN)
		proc_limit(f, r, pid, nfds);
}

static void scan_procs(const struct mq_root *r, struct sock_scan *s)
{
	struct mq_doc_facts *f = s->f;
	struct dirent *e;
	DIR *dh = mq_root_opendir(r, "/proc");

	if (!dh) {
		mq_doc_note(f, "/proc: %s", strerror(errno));
		return;
	}
	while ((e = readdir(dh))) {
		uint32_t pid;

		if (mq_parse_u32(e->d_name, strlen(e->d_name), &pid) ||
		    pid == 0 || pid > INT32_MAX || strchr(e->d_name, '\n'))
			continue;
		scan_pid(r, (int)pid, s);
	}
	closedir(dh);
	f->have_procs = true;
	if (s->nr_cw > s->nr_cw_owned)
		f->close_wait_unowned += s->nr_cw - s->nr_cw_owned;
	if (f->procs_denied)
		mq_doc_note(f, "/proc/PID/fd of %zu processes not readable (other "
			    "users' processes need root): their CLOSE_WAIT sockets "
			    "and descriptors are not counted", f->procs_denied);
}

/* --- the whole state --------------------------------------------------- */

static void read_rings(const struct mq_machine *m, struct mq_doc_facts *f)
{
	size_t i;

	for (i = 0; i < f->nr_nics && i < m->nr_netdevs; i++) {
		struct mq_doc_nic *nic = &f->nics[i];
		const struct mq_channels *ch = &m->netdevs[i].channels;
		struct mq_rings rg;
		struct mq_diag d;

		if (ch->source != MQ_CHAN_NONE && !ch->unsupported &&
		    ch->source != MQ_CHAN_SYSFS) {
			nic->have_channels = true;
			nic->combined = ch->combined;
			nic->max_combined = ch->max_combined;
			nic->rx_ch = ch->rx;
			nic->max_rx_ch = ch->max_rx;
		}
		mq_diag_clear(&d);
		if (mq_ethtool_get_rings(nic->name, &rg, &d) == 0) {
			nic->have_rings = true;
			nic->rx_ring = rg.rx;
			nic->rx_ring_max = rg.rx_max;
			nic->tx_ring = rg.tx;
			nic->tx_ring_max = rg.tx_max;
		} else if (d.msg[0]) {
			mq_doc_note(f, "%s", d.msg);
		}
	}
}

static void read_nic_link(const struct mq_root *r, const struct mq_machine *m,
			  struct mq_doc_facts *f)
{
	char path[MQ_PATH_MAX];
	size_t i;

	for (i = 0; i < f->nr_nics && i < m->nr_netdevs; i++) {
		struct mq_doc_nic *nic = &f->nics[i];
		const struct mq_netdev *dev = &m->netdevs[i];

		nic->speed_mbps = dev->speed_mbps;
		nic->threaded = -1;
		if (!mq_path(path, sizeof(path), "/sys/class/net/%s/threaded",
			     dev->name)) {
			int64_t v;

			if (mq_root_read_s64(r, path, &v) == 0)
				nic->threaded = v != 0;
		}
		snprintf(nic->operstate, sizeof(nic->operstate), "%s",
			 dev->operstate);
		if (!mq_path(path, sizeof(path), "/sys/class/net/%s/duplex",
			     dev->name) &&
		    mq_root_read_word(r, path, nic->duplex, sizeof(nic->duplex)))
			nic->duplex[0] = '\0';
	}
}

int mq_doctor_read_state(const struct mq_root *r, const struct mq_machine *m,
			 struct mq_doc_facts *f, struct mq_diag *d)
{
	static const char *const conf_dirs[] = {
		"/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
		"/usr/lib/sysctl.d", "/lib/sysctl.d",
	};
	struct sock_scan s = { .f = f };
	size_t i;

	f->live = r->live;
	if (read_sysctls(r, f, d) ||
	    read_keyed(r, "/proc/net/sockstat", false, &f->sockstat, f, d) ||
	    read_keyed(r, "/proc/net/sockstat6", false, &f->sockstat, f, d))
		return -1;
	conf_file(r, "/etc/sysctl.conf", f);
	for (i = 0; i < sizeof(conf_dirs) / sizeof(conf_dirs[0]); i++)
		conf_dir(r, conf_dirs[i], f);
	if (m) {
		read_nic_link(r, m, f);
		if (r->live)
			read_rings(m, f);
	}
	if (r->live) {
		if (read_sockets(&s, d)) {
			free(s.cw);
			return -1;
		}
	} else {
		mq_doc_note(f, "TCP sockets: not read in a sysroot (sock_diag "
			    "needs the live kernel)");
	}
	scan_procs(r, &s);
	free(s.cw);
	return 0;
}
