/*
 * doctor.c - the rules of `mqtune doctor` (doctor.h): facts in, findings
 * out.  Pure: no I/O.  Every piece of advice is tied to what was seen;
 * where nothing is wrong the finding says so (ok) or only informs.  The
 * thresholds are documented in docs/doctor.md, finding by finding.
 */
#include "mqtune/doctor.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

const char *mq_sev_name(enum mq_sev s)
{
	static const char *const names[] = { "ok", "info", "warn", "crit" };

	return (unsigned int)s < 4 ? names[s] : "?";
}

struct rules {
	const struct mq_doc_facts *f;
	struct mq_findings *out;
	bool nomem;
	char window[48];	/* "since boot" or "in the last 5 s" */
	struct mq_finding scratch;	/* written to after a failure */
};

static bool f_interval(const struct rules *r)
{
	return r->f->interval > 0;
}

static struct mq_finding *add(struct rules *r, const char *id,
			      enum mq_sev sev, const char *object_fmt, ...)
	__attribute__((format(printf, 4, 5)));
static struct mq_finding *add(struct rules *r, const char *id,
			      enum mq_sev sev, const char *object_fmt, ...)
{
	struct mq_findings *fs = r->out;
	struct mq_finding *x;
	va_list ap;

	if (fs->nr == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 32;
		void *p = r->nomem ? NULL : realloc(fs->v, ncap * sizeof(*fs->v));

		if (!p) {
			r->nomem = true;
			memset(&r->scratch, 0, sizeof(r->scratch));
			return &r->scratch;
		}
		fs->v = p;
		fs->cap = ncap;
	}
	x = &fs->v[fs->nr++];
	memset(x, 0, sizeof(*x));
	snprintf(x->id, sizeof(x->id), "%s", id);
	x->sev = sev;
	va_start(ap, object_fmt);
	vsnprintf(x->object, sizeof(x->object), object_fmt, ap);
	va_end(ap);
	return x;
}

#define FMT(field) __attribute__((format(printf, 2, 3)))
static void title(struct mq_finding *x, const char *fmt, ...) FMT(title);
static void why(struct mq_finding *x, const char *fmt, ...) FMT(why);
static void fix(struct mq_finding *x, const char *fmt, ...) FMT(fix);
#undef FMT

#define SETTER(name)							\
	static void name(struct mq_finding *x, const char *fmt, ...)	\
	{								\
		va_list ap;						\
		va_start(ap, fmt);					\
		vsnprintf(x->name, sizeof(x->name), fmt, ap);		\
		va_end(ap);						\
	}
SETTER(title)
SETTER(why)
SETTER(fix)
#undef SETTER

static void ev(struct mq_finding *x, const char *key, int64_t v)
{
	struct mq_ev *e;

	if (x->nr_ev == MQ_EV_MAX || v == MQ_DOC_NONE)
		return;
	e = &x->ev[x->nr_ev++];
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->num = v;
}

static void ev_text(struct mq_finding *x, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ev_text(struct mq_finding *x, const char *key, const char *fmt, ...)
{
	struct mq_ev *e;
	va_list ap;

	if (x->nr_ev == MQ_EV_MAX)
		return;
	e = &x->ev[x->nr_ev++];
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->is_text = true;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

static int64_t s64(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* A sysctl's value for text: "1000", or "unknown". */
static const char *val(int64_t v, char *buf, size_t cap)
{
	if (v == MQ_DOC_NONE)
		snprintf(buf, cap, "unknown");
	else
		snprintf(buf, cap, "%" PRId64, v);
	return buf;
}

/* Twice @v, for "raise it" advice; a sane floor when unknown. */
static int64_t twice(int64_t v, int64_t floor)
{
	if (v == MQ_DOC_NONE || v < floor / 2)
		return floor;
	return v > INT32_MAX / 2 ? INT32_MAX : v * 2;
}

static int64_t counter(const struct mq_doc_facts *f, const char *prefix,
		       const char *name)
{
	int64_t v;

	return mq_keyed_get(&f->netstat, prefix, name, &v) ? MQ_DOC_NONE : v;
}

static int64_t window_s(const struct mq_doc_facts *f)
{
	return f->interval > 0 ? (int64_t)(f->interval + 0.5) : MQ_DOC_NONE;
}

/* --- 1. receive path: softnet_stat ------------------------------------ */

static void rule_softnet(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_doc_sysctls *s = &f->sys;
	bool dropped = false, squeezed = false;
	char b1[24], b2[24];
	size_t i;

	if (!f->have_softnet)
		return;
	for (i = 0; i < f->softnet.nr_rows; i++) {
		const struct mq_softnet_row *row = &f->softnet.rows[i];
		struct mq_finding *x;

		if (row->dropped) {
			dropped = true;
			x = add(r, "softnet.dropped",
				f->interval > 0 ? MQ_SEV_CRIT : MQ_SEV_WARN,
				"cpu %u", row->cpu);
			title(x, "CPU %u dropped %" PRIu64 " packets %s: its backlog "
			      "queue was full", row->cpu, row->dropped, r->window);
			ev(x, "cpu", row->cpu);
			ev(x, "dropped", s64(row->dropped));
			ev(x, "processed", s64(row->processed));
			ev(x, "received_rps", s64(row->received_rps));
			ev(x, "netdev_max_backlog", s->netdev_max_backlog);
			ev(x, "window_s", window_s(f));
			if (f->interval > 0)
				ev(x, "dropped_per_s",
				   (int64_t)((double)row->dropped / f->interval + 0.5));
			why(x, "Each CPU queues packets handed to it by RPS/RFS, by "
			    "netif_rx() (veth, tunnels, loopback) and by drivers "
			    "without NAPI, up to net.core.netdev_max_backlog (now "
			    "%s) packets; beyond that they are dropped and counted "
			    "in /proc/net/softnet_stat column 2 of that CPU.",
			    val(s->netdev_max_backlog, b1, sizeof(b1)));
			fix(x, "sysctl -w net.core.netdev_max_backlog=%" PRId64
			    " and the same line in /etc/sysctl.d/90-net.conf to "
			    "keep it. If CPU %u takes the drops while other CPUs "
			    "are idle, spread the receive work instead (mqtune "
			    "auto: RPS over the queue's node).",
			    twice(s->netdev_max_backlog, 2000), row->cpu);
		}
		if (row->time_squeeze) {
			bool often = row->time_squeeze * 1000 >= row->processed;

			squeezed = true;
			x = add(r, "softnet.time_squeeze",
				often ? MQ_SEV_WARN : MQ_SEV_INFO, "cpu %u", row->cpu);
			title(x, "CPU %u ran out of NET_RX budget %" PRIu64
			      " times %s (%s)", row->cpu, row->time_squeeze,
			      r->window, often ? "at least 1 per 1000 packets" :
			      "rarely: under 1 per 1000 packets");
			ev(x, "cpu", row->cpu);
			ev(x, "time_squeeze", s64(row->time_squeeze));
			ev(x, "processed", s64(row->processed));
			ev(x, "netdev_budget", s->netdev_budget);
			ev(x, "netdev_budget_usecs", s->netdev_budget_usecs);
			ev(x, "window_s", window_s(f));
			if (f->interval > 0)
				ev(x, "time_squeeze_per_s",
				   (int64_t)((double)row->time_squeeze / f->interval + 0.5));
			why(x, "One NET_RX softirq run may handle net.core."
			    "netdev_budget (now %s) packets or run net.core."
			    "netdev_budget_usecs (now %s us); when work is left "
			    "it stops (softnet_stat column 3) and the rest waits "
			    "for the next run or for ksoftirqd, adding latency.",
			    val(s->netdev_budget, b1, sizeof(b1)),
			    val(s->netdev_budget_usecs, b2, sizeof(b2)));
			if (often)
				fix(x, "First check that the receive queues are "
				    "spread (netrx.spread, nic.irqs): one CPU "
				    "serving several queues runs out first. Then "
				    "sysctl -w net.core.netdev_budget=%" PRId64
				    " net.core.netdev_budget_usecs=%" PRId64
				    " (persist them in /etc/sysctl.d/).",
				    twice(s->netdev_budget, 600),
				    twice(s->netdev_budget_usecs, 4000));
		}
		if (row->flow_limit) {
			x = add(r, "softnet.flow_limit", MQ_SEV_INFO, "cpu %u",
				row->cpu);
			title(x, "Flow limit dropped %" PRIu64 " packets of heavy "
			      "flows on CPU %u %s", row->flow_limit, row->cpu,
			      r->window);
			ev(x, "cpu", row->cpu);
			ev(x, "flow_limit_count", s64(row->flow_limit));
			why(x, "net.core.flow_limit_cpu_bitmap enables per-flow "
			    "limits on this CPU's backlog: a few heavy flows are "
			    "dropped first so that the others are not. This is "
			    "the configured behaviour.");
		}
	}
	if (!dropped) {
		struct mq_finding *x = add(r, "softnet.dropped", MQ_SEV_OK,
					   "all CPUs");

		title(x, "No CPU dropped packets from its backlog %s", r->window);
		ev(x, "cpus", (int64_t)f->softnet.nr_rows);
		ev(x, "netdev_max_backlog", s->netdev_max_backlog);
	}
	if (!squeezed) {
		struct mq_finding *x = add(r, "softnet.time_squeeze", MQ_SEV_OK,
					   "all CPUs");

		title(x, "No CPU ran out of NET_RX budget %s", r->window);
	}
}

/* --- 2. NET_RX spread ------------------------------------------------- */

static void rule_netrx(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_softirqs *si = &f->softirqs;
	uint64_t total = 0, max = 0;
	unsigned int i, max_cpu = 0, online = 0, busy = 0;
	struct mq_finding *x;
	double mean;

	if (!f->have_softirqs)
		return;
	for (i = 0; i < si->nr_cpus; i++) {
		unsigned int cpu = si->cpus[i];

		if (f->online.words && !mq_cpuset_test(&f->online, cpu))
			continue;
		online++;
		total += si->net_rx[i];
		busy += si->net_rx[i] > 0;
		if (si->net_rx[i] > max) {
			max = si->net_rx[i];
			max_cpu = cpu;
		}
	}
	if (online < 2 || total < 1000) {
		x = add(r, "netrx.spread", MQ_SEV_INFO, "NET_RX");
		title(x, online < 2 ? "One online CPU: nothing to spread" :
		      "Too little NET_RX work %s to judge its spread", r->window);
		ev(x, "net_rx_total", s64(total));
		ev(x, "cpus", online);
		return;
	}
	mean = (double)total / online;
	x = add(r, "netrx.spread", max >= 4 * mean ? MQ_SEV_WARN : MQ_SEV_OK,
		"NET_RX");
	title(x, "NET_RX softirqs %s: CPU %u ran %.0f%% of %" PRIu64 " on %u "
	      "online CPUs (%.1f times the mean)", r->window, max_cpu,
	      100.0 * (double)max / (double)total, total, online, max / mean);
	ev(x, "net_rx_total", s64(total));
	ev(x, "busiest_cpu", max_cpu);
	ev(x, "busiest_count", s64(max));
	ev(x, "mean_per_cpu", (int64_t)(mean + 0.5));
	ev(x, "imbalance_pct", (int64_t)(100.0 * max / mean + 0.5));
	ev(x, "cpus_with_net_rx", busy);
	ev(x, "cpus", online);
	if (x->sev == MQ_SEV_WARN) {
		why(x, "Receive processing (NET_RX) runs where the queue's "
		    "interrupt or its RPS CPUs are; one CPU doing most of it "
		    "is the first to drop (softnet.dropped) or run out of "
		    "budget (softnet.time_squeeze) while the others idle. "
		    "Causes: one receive queue, all queue IRQs on one CPU, or "
		    "a few large flows hashing to one queue.");
		fix(x, "mqtune show IFACE to see where the queues are, then "
		    "mqtune auto IFACE: one queue per core, RPS where there "
		    "are fewer queues than cores; if the NIC has fewer "
		    "channels than it supports, raise them (ethtool -L IFACE "
		    "combined N).");
	}
	/* isolated CPUs doing receive work */
	if (f->isolated.words)
		for (i = 0; i < si->nr_cpus; i++) {
			unsigned int cpu = si->cpus[i];

			if (!mq_cpuset_test(&f->isolated, cpu) ||
			    si->net_rx[i] * 100 < total)
				continue;
			x = add(r, "netrx.isolated", MQ_SEV_WARN, "cpu %u", cpu);
			title(x, "Isolated CPU %u ran %.1f%% of the NET_RX work %s",
			      cpu, 100.0 * (double)si->net_rx[i] / (double)total,
			      r->window);
			ev(x, "cpu", cpu);
			ev(x, "net_rx", s64(si->net_rx[i]));
			ev(x, "net_rx_total", s64(total));
			why(x, "CPUs in isolcpus= are kept for latency-sensitive "
			    "work; packet processing there interrupts it.");
			fix(x, "mqtune auto IFACE: its plan never uses isolated "
			    "CPUs for IRQs, RPS or XPS; check a queue IRQ "
			    "pinned there by hand (mqtune show).");
		}
}

/* --- 3. NICs ----------------------------------------------------------- */

/* Whether busy queue vector @i shares its CPU with another queue's. */
static bool irq_shared(const struct mq_doc_nic *n, size_t i)
{
	size_t j;

	for (j = 0; j < n->nr_irqs; j++)
		if (j != i && n->irqs[j].queue >= 0 && n->irqs[j].total &&
		    n->irqs[j].queue != n->irqs[i].queue &&
		    n->irqs[j].top_cpu == n->irqs[i].top_cpu)
			return true;
	return false;
}

static void rule_nic_irqs(struct rules *r, const struct mq_doc_nic *n)
{
	unsigned int shared_cpu = 0;
	size_t i, queues = 0, shared = 0;
	struct mq_finding *x;

	for (i = 0; i < n->nr_irqs; i++) {
		if (n->irqs[i].queue < 0 || !n->irqs[i].total)
			continue;
		queues++;
		if (irq_shared(n, i)) {
			if (!shared)
				shared_cpu = n->irqs[i].top_cpu;
			shared++;
		}
	}
	if (queues < 2)
		return;
	x = add(r, "nic.irqs", shared ? MQ_SEV_WARN : MQ_SEV_OK, "%s", n->name);
	if (shared)
		title(x, "%s: %zu of its %zu busy queue IRQs share a CPU with "
		      "another queue's (CPU %u first)", n->name, shared, queues,
		      shared_cpu);
	else
		title(x, "%s: each of its %zu busy queue IRQs is served by its "
		      "own CPU %s", n->name, queues, r->window);
	ev(x, "busy_queue_irqs", (int64_t)queues);
	ev(x, "sharing", (int64_t)shared);
	for (i = 0; i < n->nr_irqs && x->nr_ev < MQ_EV_MAX; i++)
		if (n->irqs[i].queue >= 0 && n->irqs[i].total) {
			char key[32];

			snprintf(key, sizeof(key), "irq_%u", n->irqs[i].irq);
			ev_text(x, key, "queue %d: %" PRIu64 " interrupts, %.0f%% "
				"on CPU %u", n->irqs[i].queue, n->irqs[i].total,
				100.0 * (double)n->irqs[i].top_count /
				(double)n->irqs[i].total, n->irqs[i].top_cpu);
		}
	if (shared) {
		why(x, "Queues whose interrupts land on the same CPU share its "
		    "NET_RX budget: the NIC has more queues than the CPUs that "
		    "serve them.");
		fix(x, "mqtune auto %s (mqtune auto -n %s shows the plan first).",
		    n->name, n->name);
	}
}

/* NET_RX runs on @cpu (in the window); -1 when softirqs has no column. */
static int64_t net_rx_on(const struct mq_softirqs *si, unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < si->nr_cpus; i++)
		if (si->cpus[i] == cpu)
			return s64(si->net_rx[i]);
	return -1;
}

#define IRQ_CPU_MIN 1000	/* interrupts on its CPU, to be judged */

/*
 * A queue vector's interrupts against NET_RX on the CPU they land on (and
 * on its RPS CPUs).  Without threaded NAPI an interrupt's napi_schedule()
 * raises NET_RX on the CPU it fired on, so that CPU runs NET_RX about as
 * often as the vector fires there (fewer when several vectors' polls
 * share one run); a CPU that ran NET_RX fewer than once per 10 of its
 * interrupts did the receive work somewhere else.
 */
static void rule_netrx_irq(struct rules *r, const struct mq_doc_nic *n)
{
	const struct mq_softirqs *si = &r->f->softirqs;
	size_t i, judged = 0, off = 0;
	uint64_t rx_total = 0;
	struct mq_finding *x;
	char first[200] = "";

	if (!r->f->have_softirqs || !n->irqs)
		return;
	for (i = 0; i < si->nr_cpus; i++)
		rx_total += si->net_rx[i];
	for (i = 0; i < n->nr_irqs; i++) {
		const struct mq_doc_irq *q = &n->irqs[i];

		judged += q->queue >= 0 && q->top_count >= IRQ_CPU_MIN &&
			  q->top_count * 2 >= q->total &&
			  net_rx_on(si, q->top_cpu) >= 0;
	}
	if (!judged)
		return;
	if (n->threaded == 1) {
		x = add(r, "netrx.irq_cpu", MQ_SEV_INFO, "%s", n->name);
		title(x, "%s: threaded NAPI: its receive work runs in kernel "
		      "threads, not as NET_RX, so /proc/softirqs cannot show "
		      "where", n->name);
		ev(x, "threaded", 1);
		ev(x, "queue_irqs", (int64_t)judged);
		why(x, "With /sys/class/net/%s/threaded = 1 an interrupt wakes "
		    "the queue's napi/%s-N kernel thread, which polls the ring "
		    "wherever the scheduler runs it; NET_RX counts do not move "
		    "with it. Where the threads run: ps -eLo psr,comm | grep "
		    "napi/%s.", n->name, n->name, n->name);
		return;
	}
	x = add(r, "netrx.irq_cpu", MQ_SEV_OK, "%s", n->name);
	ev(x, "queue_irqs", (int64_t)judged);
	ev(x, "elsewhere", 0);
	ev(x, "net_rx_total", s64(rx_total));
	ev(x, "threaded", n->threaded);
	for (i = 0; i < n->nr_irqs; i++) {
		const struct mq_doc_irq *q = &n->irqs[i];
		int64_t here = net_rx_on(si, q->top_cpu), there = here;
		double share = q->total ? 100.0 * (double)q->top_count /
					  (double)q->total : 0;
		char kind[16] = "";
		char key[32], rps[64] = "";
		int c;

		if (q->queue < 0 || q->top_count < IRQ_CPU_MIN ||
		    q->top_count * 2 < q->total || here < 0)
			continue;
		/* with RPS, NET_RX also runs on the queue's RPS CPUs */
		if (q->rps.words) {
			mq_cpuset_print_list(&q->rps, rps, sizeof(rps));
			for (c = mq_cpuset_next(&q->rps, 0); c >= 0;
			     c = mq_cpuset_next(&q->rps, (unsigned int)c + 1))
				if ((unsigned int)c != q->top_cpu &&
				    net_rx_on(si, (unsigned int)c) > 0)
					there += net_rx_on(si, (unsigned int)c);
		}
		if ((uint64_t)there * 10 >= q->top_count)
			continue;
		if (q->role)
			snprintf(kind, sizeof(kind), " (%s)", q->role);
		if (!off++) {
			if (rps[0])
				snprintf(first, sizeof(first), "IRQ %u of %s queue %d%s "
					 "fires on CPU %u (%.0f%% of its %" PRIu64
					 " interrupts) but CPU %u and its RPS CPUs %s "
					 "ran only %" PRId64 " NET_RX", q->irq, n->name,
					 q->queue, kind, q->top_cpu, share, q->total,
					 q->top_cpu, rps, there);
			else if (here == 0)
				snprintf(first, sizeof(first), "IRQ %u of %s queue %d%s "
					 "fires on CPU %u (%.0f%% of its %" PRIu64
					 " interrupts) but CPU %u ran no NET_RX",
					 q->irq, n->name, q->queue, kind, q->top_cpu,
					 share, q->total, q->top_cpu);
			else
				snprintf(first, sizeof(first), "IRQ %u of %s queue %d%s "
					 "fires on CPU %u (%.0f%% of its %" PRIu64
					 " interrupts) but CPU %u ran only %" PRId64
					 " NET_RX (%.1f%% of all)", q->irq, n->name,
					 q->queue, kind, q->top_cpu, share, q->total,
					 q->top_cpu, here, rx_total ? 100.0 *
					 (double)here / (double)rx_total : 0);
		}
		snprintf(key, sizeof(key), "irq_%u", q->irq);
		ev_text(x, key, "queue %d%s: %" PRIu64 " of %" PRIu64 " on CPU %u; "
			"NET_RX there %" PRId64 "%s%s", q->queue, kind, q->top_count,
			q->total, q->top_cpu, here, rps[0] ? ", RPS " : "", rps);
	}
	x->ev[1].num = (int64_t)off;
	if (!off) {
		title(x, "%s: each of its %zu busy queue IRQs fires on a CPU "
		      "that runs NET_RX %s", n->name, judged, r->window);
		return;
	}
	x->sev = MQ_SEV_WARN;
	if (off > 1)
		title(x, "%s %s; %zu of its %zu busy queue IRQs alike", first,
		      r->window, off, judged);
	else
		title(x, "%s %s", first, r->window);
	why(x, "Without threaded NAPI (/sys/class/net/%s/threaded is not 1) a "
	    "queue interrupt schedules the ring's poll as a NET_RX softirq "
	    "on the CPU it fired on (a tx vector's completion poll too), and "
	    "with RPS NET_RX also runs on the rx queue's RPS CPUs; so the CPU an IRQ lands on should run NET_RX "
	    "about as often as the IRQ fires there. NET_RX is counted per "
	    "CPU, not per queue: this compares the vector's interrupts on "
	    "its CPU with all NET_RX of that CPU (and of its RPS CPUs). "
	    "Fewer than one run per 10 interrupts means the packets were "
	    "processed elsewhere: busy polling (napi_defer_hard_irqs, "
	    "net.core.busy_poll, SO_BUSY_POLL), a per-queue threaded NAPI, "
	    "or counters since boot that mix an earlier life of these IRQ "
	    "numbers.", n->name);
	fix(x, "mqtune doctor --interval 10 %s tells whether it happens now; "
	    "cat /sys/class/net/%s/napi_defer_hard_irqs "
	    "/proc/sys/net/core/busy_poll shows busy polling; mqtune auto %s "
	    "puts each queue's IRQ on its home CPU and its RPS set beside it "
	    "(mqtune auto -n %s shows the plan first).", n->name, n->name,
	    n->name, n->name);
}

/*
 * The interface against mqtune's own plan: the values `mqtune check`
 * would report as drifted for it (cmd_doctor ran the same pipeline: the
 * config file, the managed set, the machine-wide placement), the
 * machine-wide sysctls included, so that doctor and check agree.
 */
static void rule_nic_plan(struct rules *r, const struct mq_doc_nic *n)
{
	size_t i, planned = 0, drift;
	struct mq_finding *x;

	if (!n->have_plan)
		return;
	for (i = 0; i < n->nr_irqs; i++)
		planned += n->irqs[i].queue >= 0 && n->irqs[i].planned_cpu >= 0;
	drift = n->drift_irq + n->drift_rps + n->drift_flow + n->drift_xps +
		n->drift_other + n->drift_sysctl;
	x = add(r, "nic.plan", drift ? MQ_SEV_INFO : MQ_SEV_OK, "%s", n->name);
	if (drift)
		title(x, "%s: %zu value%s differ from mqtune's plan, as mqtune "
		      "check %s reports them (%s%s)", n->name, drift,
		      drift == 1 ? "" : "s", n->name, n->drift_first,
		      drift > 1 ? ", ..." : "");
	else
		title(x, "%s: every value is where mqtune's plan puts it "
		      "(mqtune check %s: no drift)", n->name, n->name);
	ev(x, "queue_irqs_planned", (int64_t)planned);
	ev(x, "elsewhere", (int64_t)n->drift_irq);
	ev(x, "drifted", (int64_t)drift);
	ev(x, "rps_cpus", (int64_t)n->drift_rps);
	ev(x, "rps_flow_cnt", (int64_t)n->drift_flow);
	ev(x, "xps_cpus", (int64_t)n->drift_xps);
	ev(x, "sysctls", (int64_t)n->drift_sysctl);
	if (n->drift_other)
		ev(x, "other", (int64_t)n->drift_other);
	if (drift) {
		why(x, "Informational: a placement other than mqtune's is not "
		    "a problem by itself; netrx.spread, nic.irqs, "
		    "netrx.irq_cpu and softnet.* say whether it hurts. The "
		    "plan is the one mqtune auto and mqtune check make, with "
		    "the configuration file.");
		fix(x, "mqtune check %s lists the values; mqtune auto -n %s "
		    "shows the changes; mqtune auto %s applies them.",
		    n->name, n->name, n->name);
	}
}

/* Drop counters of the driver (ethtool -S) that are not 0. */
static void rule_nic_driver(struct rules *r, const struct mq_doc_nic *n)
{
	bool cloud = false;
	uint64_t sum = 0;
	struct mq_finding *x;
	size_t i, nz = 0;

	for (i = 0; i < n->nr_drv; i++)
		if (n->drv[i].value) {
			nz++;
			sum += n->drv[i].value;
			cloud |= strstr(n->drv[i].name, "allowance_exceeded") != NULL;
		}
	if (!nz)
		return;
	x = add(r, "nic.driver_drops", MQ_SEV_WARN, "%s", n->name);
	title(x, "%s: %zu driver counters of lost receive packets are not 0 "
	      "%s (%" PRIu64 " in all)", n->name, nz, r->window, sum);
	for (i = 0; i < n->nr_drv; i++)
		if (n->drv[i].value)
			ev(x, n->drv[i].name, s64(n->drv[i].value));
	if (cloud) {
		why(x, "The cloud provider's network allowance (packets per "
		    "second, bandwidth, connections) was exceeded: the "
		    "hypervisor dropped the packets before this kernel saw "
		    "them. No kernel setting changes that.");
		fix(x, "Less traffic per instance, or an instance type with a "
		    "higher allowance; ethtool -S %s shows which limit.",
		    n->name);
	} else {
		why(x, "The driver counts packets it could not hand to the "
		    "stack: no free receive buffer (a ring the CPUs did not "
		    "empty in time), or a full hardware FIFO. The names are "
		    "the driver's own (ethtool -S).");
		fix(x, "Spread the queues over their own CPUs (mqtune auto %s) "
		    "and, if the rings are below their maximum, raise them "
		    "(ethtool -g %s, then ethtool -G %s rx N).", n->name,
		    n->name, n->name);
	}
}

static void rule_nic(struct rules *r, const struct mq_doc_nic *n)
{
	static const int hw[] = { 0, 1, 2 };	/* missed, fifo, over */
	int64_t hwdrops = 0;
	struct mq_finding *x;
	size_t i;

	for (i = 0; i < 3; i++)
		if (n->stats[hw[i]] != MQ_DOC_NONE)
			hwdrops += n->stats[hw[i]];
	if (hwdrops > 0) {
		x = add(r, "nic.rx_missed", f_interval(r) ? MQ_SEV_CRIT : MQ_SEV_WARN,
			"%s", n->name);
		title(x, "%s: the NIC dropped %" PRId64 " received packets %s for "
		      "lack of ring buffers", n->name, hwdrops, r->window);
		for (i = 0; i < 4; i++)
			ev(x, mq_doc_nic_stat_names[i], n->stats[i]);
		if (n->have_rings) {
			ev(x, "rx_ring", n->rx_ring);
			ev(x, "rx_ring_max", n->rx_ring_max);
		}
		why(x, "The NIC had no free descriptor in a receive ring: the "
		    "host did not empty the ring fast enough (a busy or "
		    "shared CPU, a small ring, a burst).");
		if (n->have_rings && n->rx_ring < n->rx_ring_max)
			fix(x, "ethtool -G %s rx %u (now %u; the maximum), and "
			    "spread the queues over more CPUs (mqtune auto %s).",
			    n->name, n->rx_ring_max, n->rx_ring, n->name);
		else if (n->have_channels && n->max_combined > n->combined)
			fix(x, "The rings are at their maximum or unknown: use "
			    "more queues (ethtool -L %s combined %u, now %u) "
			    "and spread them (mqtune auto %s).", n->name,
			    n->max_combined, n->combined, n->name);
		else
			fix(x, "Spread the queues over their own CPUs (mqtune "
			    "auto %s); the rings are at their maximum or "
			    "unknown (ethtool -g %s).", n->name, n->name);
	} else if (n->stats[0] != MQ_DOC_NONE) {
		x = add(r, "nic.rx_missed", MQ_SEV_OK, "%s", n->name);
		title(x, "%s: no receive ring overruns %s", n->name, r->window);
	}
	if (n->stats[3] != MQ_DOC_NONE && n->stats[3] > 0) {
		x = add(r, "nic.rx_dropped", MQ_SEV_INFO, "%s", n->name);
		title(x, "%s: the kernel dropped %" PRId64 " received packets %s",
		      n->name, n->stats[3], r->window);
		ev(x, "rx_dropped", n->stats[3]);
		ev(x, "rx_packets", n->stats[4]);
		why(x, "rx_dropped counts packets the stack discarded for this "
		    "device: unknown protocols or VLANs, a full per-CPU "
		    "backlog, inactive bonding slaves. Not a NIC fault by "
		    "itself; softnet.dropped tells whether backlogs overflowed.");
	}
	if (n->have_rings) {
		x = add(r, "nic.rings", MQ_SEV_INFO, "%s", n->name);
		title(x, "%s: rx ring %u of %u descriptors, tx ring %u of %u",
		      n->name, n->rx_ring, n->rx_ring_max, n->tx_ring,
		      n->tx_ring_max);
		ev(x, "rx", n->rx_ring);
		ev(x, "rx_max", n->rx_ring_max);
		ev(x, "tx", n->tx_ring);
		ev(x, "tx_max", n->tx_ring_max);
		why(x, "Larger rings absorb bursts at the cost of memory and "
		    "cache; raise them only when nic.rx_missed shows drops.");
	}
	if (n->have_channels) {
		uint32_t cur = n->combined ? n->combined : n->rx_ch;
		uint32_t max = n->combined ? n->max_combined : n->max_rx_ch;

		x = add(r, "nic.channels", MQ_SEV_INFO, "%s", n->name);
		if (n->usable_cpus)
			title(x, "%s: %u of %u %s channels in use; mqtune's "
			      "policy has %u CPUs for it", n->name, cur, max,
			      n->combined ? "combined" : "rx", n->usable_cpus);
		else
			title(x, "%s: %u of %u %s channels in use", n->name, cur,
			      max, n->combined ? "combined" : "rx");
		ev(x, "channels", cur);
		ev(x, "max", max);
		if (n->usable_cpus)
			ev(x, "usable_cpus", n->usable_cpus);
		if (n->have_plan)
			ev(x, "sum", (int64_t)n->sum);
		if (n->usable_cpus && cur < max && cur < n->usable_cpus) {
			uint32_t want = max < n->usable_cpus ? max : n->usable_cpus;

			why(x, "Fewer queues than usable CPUs: RPS spreads the "
			    "rest in software. More hardware queues spread it "
			    "without the extra IPIs, if the receive path needs "
			    "it (netrx.spread, softnet.*).");
			fix(x, "Only with such a symptom: ethtool -L %s %s %u, then "
			    "mqtune auto %s.", n->name,
			    n->combined ? "combined" : "rx", want, n->name);
		}
	}
	if (strcmp(n->duplex, "half") == 0) {
		x = add(r, "nic.link", MQ_SEV_WARN, "%s", n->name);
		title(x, "%s: link at half duplex", n->name);
		ev_text(x, "duplex", "%s", n->duplex);
		ev(x, "speed_mbps", n->speed_mbps);
		why(x, "Half duplex on a modern link means a failed "
		    "autonegotiation: collisions and late drops follow.");
		fix(x, "ethtool %s; enable autonegotiation on both ends "
		    "(ethtool -s %s autoneg on) or check the cable.", n->name,
		    n->name);
	}
	rule_nic_driver(r, n);
	rule_nic_irqs(r, n);
	rule_netrx_irq(r, n);
	rule_nic_plan(r, n);
}

/* --- 4. TCP sockets ---------------------------------------------------- */

static void rule_states(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	struct mq_finding *x = add(r, "tcp.states", MQ_SEV_INFO, "tcp");
	uint64_t total = 0, total6 = 0;
	unsigned int s;

	for (s = 0; s < MQ_TCP_NR_STATES; s++)
		total += f->states[s];
	for (s = 0; s < MQ_TCP_NR_STATES; s++)
		total6 += f->states6[s];
	title(x, "%" PRIu64 " TCP sockets (%" PRIu64 " IPv6): %" PRIu64
	      " established, %" PRIu64 " time-wait, %" PRIu64 " close-wait, %"
	      PRIu64 " listening", total, total6,
	      f->states[MQ_TCP_ESTABLISHED], f->states[MQ_TCP_TIME_WAIT],
	      f->states[MQ_TCP_CLOSE_WAIT], f->states[MQ_TCP_LISTEN]);
	ev(x, "total", s64(total));
	ev(x, "ipv6_total", s64(total6));
	ev(x, "ipv6_time_wait", s64(f->states6[MQ_TCP_TIME_WAIT]));
	ev(x, "ipv6_close_wait", s64(f->states6[MQ_TCP_CLOSE_WAIT]));
	for (s = 1; s < MQ_TCP_NR_STATES; s++)
		if (f->states[s]) {
			char key[32];
			size_t i;

			snprintf(key, sizeof(key), "%s",
				 s == MQ_TCP_ESTABLISHED ? "established" :
				 s == MQ_TCP_CLOSE ? "close" : mq_tcp_state_name(s));
			for (i = 0; key[i]; i++)
				key[i] = key[i] == '-' ? '_' :
					 (char)(key[i] | 0x20);
			ev(x, key, s64(f->states[s]));
		}
}

static void rule_time_wait(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_doc_sysctls *s = &f->sys;
	uint64_t tw = f->states[MQ_TCP_TIME_WAIT];
	uint64_t lo = s->have_port_range ? s->port_range[0] : 32768;
	uint64_t hi = s->have_port_range ? s->port_range[1] : 60999;
	uint64_t ports = hi >= lo ? hi - lo + 1 : 1;
	int64_t overflow = counter(f, "TcpExt", "TCPTimeWaitOverflow");
	bool any = false;
	struct mq_finding *x;
	char ep[80], b1[24];
	size_t i;

	for (i = 0; i < f->nr_tw_groups; i++) {
		const struct mq_doc_tw_group *g = &f->tw_groups[i];
		double share = (double)g->count / (double)ports;

		mq_doc_endpoint(g->family, g->addr, g->port, ep, sizeof(ep));
		if (g->outbound) {
			enum mq_sev sev = share >= 0.9 ? MQ_SEV_CRIT :
					  share >= 0.5 ? MQ_SEV_WARN : MQ_SEV_INFO;

			if (sev == MQ_SEV_INFO && g->count < 1000)
				continue;
			any = true;
			x = add(r, "tcp.time_wait", sev, "to %s", ep);
			title(x, "%" PRIu64 " TIME-WAIT sockets of connections this "
			      "host opened to %s: %.0f%% of its %" PRIu64
			      " local ports", g->count, ep, 100 * share, ports);
			ev(x, "time_wait", s64(g->count));
			ev_text(x, "remote", "%s", ep);
			ev_text(x, "ip_local_port_range", "%" PRIu64 " %" PRIu64,
				lo, hi);
			ev(x, "tcp_tw_reuse", s->tcp_tw_reuse);
			why(x, "This host opens many short connections to %s and "
			    "closes them first; each closed connection keeps its "
			    "local port for 60 s in TIME-WAIT (fixed in the "
			    "kernel; tcp_fin_timeout does not change it). When "
			    "the ports toward one address and port run out, "
			    "connect() fails with EADDRNOTAVAIL.", ep);
			fix(x, "Reuse connections in the client (keep-alive, a "
			    "connection pool). sysctl -w net.ipv4.tcp_tw_reuse=1 "
			    "(now %s) lets new outbound connections take over "
			    "TIME-WAIT ports safely (TCP timestamps). A wider "
			    "net.ipv4.ip_local_port_range (now %" PRIu64 " %"
			    PRIu64 ", e.g. 10240 65535, with listening ports in "
			    "ip_local_reserved_ports) gives more room. Never "
			    "tcp_tw_recycle: removed in Linux 4.12, it broke "
			    "clients behind NAT.", val(s->tcp_tw_reuse, b1,
			    sizeof(b1)), lo, hi);
		} else if (g->count >= 1000) {
			any = true;
			x = add(r, "tcp.time_wait", MQ_SEV_INFO, "on %s", ep);
			title(x, "%" PRIu64 " TIME-WAIT sockets of connections "
			      "accepted on %s", g->count, ep);
			ev(x, "time_wait", s64(g->count));
			ev_text(x, "local", "%s", ep);
			why(x, "This server closes its connections first, so the "
			    "TIME-WAIT state stays here; it costs a few hundred "
			    "bytes per socket and no port (the local port is "
			    "the listening one). Harmless below "
			    "tcp_max_tw_buckets (tcp.tw_buckets).");
		}
	}
	if (tw && s->tcp_max_tw_buckets > 0) {
		bool near = (double)tw >= 0.9 * (double)s->tcp_max_tw_buckets;

		if (near || (overflow != MQ_DOC_NONE && overflow > 0)) {
			any = true;
			x = add(r, "tcp.tw_buckets", MQ_SEV_WARN, "tcp");
			title(x, "%" PRIu64 " TIME-WAIT sockets of at most %" PRId64
			      "; %s overflows %s", tw, s->tcp_max_tw_buckets,
			      val(overflow, b1, sizeof(b1)), r->window);
			ev(x, "time_wait", s64(tw));
			ev(x, "tcp_max_tw_buckets", s->tcp_max_tw_buckets);
			ev(x, "TCPTimeWaitOverflow", overflow);
			why(x, "Past net.ipv4.tcp_max_tw_buckets the kernel "
			    "closes connections without TIME-WAIT (counted in "
			    "TCPTimeWaitOverflow): late packets of an old "
			    "connection can then corrupt a new one.");
			fix(x, "Cut the number of short connections (keep-alive, "
			    "pools); if the memory is there, sysctl -w "
			    "net.ipv4.tcp_max_tw_buckets=%" PRId64 ".",
			    twice(s->tcp_max_tw_buckets, 262144));
		}
	}
	if (!any) {
		x = add(r, "tcp.time_wait", MQ_SEV_OK, "tcp");
		title(x, "%" PRIu64 " TIME-WAIT sockets: no pile-up", tw);
		ev(x, "time_wait", s64(tw));
		ev(x, "tcp_max_tw_buckets", s->tcp_max_tw_buckets);
	}
}

static enum mq_sev close_wait_sev(uint64_t n)
{
	return n >= 1000 ? MQ_SEV_CRIT : n >= 10 ? MQ_SEV_WARN : MQ_SEV_INFO;
}

static void rule_close_wait(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	uint64_t cw = f->states[MQ_TCP_CLOSE_WAIT];
	struct mq_finding *x;
	size_t i;

	if (!cw) {
		x = add(r, "tcp.close_wait", MQ_SEV_OK, "tcp");
		title(x, "No socket in CLOSE-WAIT");
		return;
	}
	for (i = 0; i < f->nr_owners; i++) {
		const struct mq_doc_owner *o = &f->owners[i];

		x = add(r, "tcp.close_wait", close_wait_sev(o->count),
			"pid %d (%s)", o->pid, o->comm);
		title(x, "%s (pid %d) holds %" PRIu64 " sockets in CLOSE-WAIT",
		      o->comm, o->pid, o->count);
		ev(x, "pid", o->pid);
		ev_text(x, "comm", "%s", o->comm);
		ev(x, "close_wait", s64(o->count));
		ev(x, "close_wait_total", s64(cw));
		why(x, "The peers closed these connections (their FIN arrived) "
		    "and %s never called close() on its sockets. CLOSE-WAIT "
		    "has no timer: the sockets, their buffers and descriptors "
		    "stay until the program closes them or exits. This is a "
		    "bug in that program (end of file from read() not "
		    "handled, a pool that keeps dead connections), not a "
		    "kernel setting.", o->comm);
		fix(x, "Fix %s to close a connection when read() returns 0 or "
		    "fails; ss -tanp state close-wait shows the peers. "
		    "Restarting it frees them for now. No sysctl ends "
		    "CLOSE-WAIT (tcp_fin_timeout applies to FIN-WAIT-2).",
		    o->comm);
	}
	if (f->close_wait_unowned) {
		x = add(r, "tcp.close_wait", close_wait_sev(f->close_wait_unowned),
			"owner unknown");
		title(x, "%" PRIu64 " sockets in CLOSE-WAIT whose process was "
		      "not found", f->close_wait_unowned);
		ev(x, "close_wait", s64(f->close_wait_unowned));
		ev(x, "fd_dirs_unreadable", (int64_t)f->procs_denied);
		why(x, "A CLOSE-WAIT socket belongs to a program that has not "
		    "closed it; the owner is found through /proc/PID/fd, "
		    "which for other users' processes only root may read.");
		fix(x, "%s", f->procs_denied ?
		    "Run mqtune doctor as root to name the owners." :
		    "ss -tanp state close-wait names the owners.");
	}
}

static void rule_orphans(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_doc_sysctls *s = &f->sys;
	int64_t orphans, fin2 = s64(f->orphans_fin_wait2);
	enum mq_sev sev = MQ_SEV_OK;
	struct mq_finding *x;
	char b1[24], b2[24];

	if (mq_keyed_get(&f->sockstat, "TCP", "orphan", &orphans))
		orphans = f->have_sockets ? s64(f->orphans) : MQ_DOC_NONE;
	if (orphans == MQ_DOC_NONE)
		return;
	if (s->tcp_max_orphans > 0) {
		if ((double)orphans >= 0.9 * (double)s->tcp_max_orphans)
			sev = MQ_SEV_CRIT;
		else if ((double)orphans >= 0.5 * (double)s->tcp_max_orphans)
			sev = MQ_SEV_WARN;
	}
	if (sev == MQ_SEV_OK && f->have_sockets && fin2 >= 1000)
		sev = MQ_SEV_WARN;
	else if (sev == MQ_SEV_OK && fin2 > 0)
		sev = MQ_SEV_INFO;
	x = add(r, "tcp.orphans", sev, "tcp");
	if (f->have_sockets)
		title(x, "%" PRId64 " orphaned TCP sockets (no process), %s in "
		      "FIN-WAIT-2; net.ipv4.tcp_max_orphans is %s", orphans,
		      val(fin2, b1, sizeof(b1)),
		      val(s->tcp_max_orphans, b2, sizeof(b2)));
	else
		title(x, "%" PRId64 " orphaned TCP sockets (no process); "
		      "net.ipv4.tcp_max_orphans is %s", orphans,
		      val(s->tcp_max_orphans, b2, sizeof(b2)));
	ev(x, "orphans", orphans);
	if (f->have_sockets)
		ev(x, "orphans_fin_wait2", fin2);
	ev(x, "tcp_max_orphans", s->tcp_max_orphans);
	ev(x, "tcp_fin_timeout", s->tcp_fin_timeout);
	why(x, "A program closed these sockets and the kernel finishes the "
	    "close alone. net.ipv4.tcp_fin_timeout (now %s s) is how long "
	    "an orphaned socket waits in FIN-WAIT-2 for the peer's FIN; it "
	    "does not shorten TIME-WAIT. Past net.ipv4.tcp_max_orphans the "
	    "kernel resets orphans at once (\"too many orphaned sockets\").",
	    val(s->tcp_fin_timeout, b1, sizeof(b1)));
	if (sev >= MQ_SEV_WARN)
		fix(x, "If FIN-WAIT-2 orphans pile up (peers that never close), "
		    "sysctl -w net.ipv4.tcp_fin_timeout=30; if the orphan "
		    "count nears its limit and memory allows, sysctl -w "
		    "net.ipv4.tcp_max_orphans=%" PRId64 ".",
		    twice(s->tcp_max_orphans, 65536));
}

/* --- 5. listen queues and the handshake -------------------------------- */

static void rule_listen(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_doc_sysctls *s = &f->sys;
	int64_t ovf = counter(f, "TcpExt", "ListenOverflows");
	int64_t drops = counter(f, "TcpExt", "ListenDrops");
	int64_t reqq = counter(f, "TcpExt", "TCPReqQFullDrop");
	int64_t sent = counter(f, "TcpExt", "SyncookiesSent");
	int64_t recv = counter(f, "TcpExt", "SyncookiesRecv");
	int64_t failed = counter(f, "TcpExt", "SyncookiesFailed");
	struct mq_finding *x;
	char b1[24], b2[24], ep[80];
	size_t i;

	if (ovf > 0 || drops > 0) {
		x = add(r, "listen.overflows", MQ_SEV_WARN, "tcp");
		title(x, "%s accept queue overflows, %s listen drops %s",
		      val(ovf, b1, sizeof(b1)), val(drops, b2, sizeof(b2)),
		      r->window);
		ev(x, "ListenOverflows", ovf);
		ev(x, "ListenDrops", drops);
		ev(x, "somaxconn", s->somaxconn);
		ev(x, "window_s", window_s(f));
		why(x, "A listening socket's accept queue was full: the program "
		    "did not accept() fast enough, or listens with a small "
		    "backlog. The kernel dropped the handshake's last ACK or "
		    "the SYN; clients wait for a retransmission (1 s and "
		    "more).");
		fix(x, "Find the listener (listen.queue below, or ss -ltn: "
		    "Recv-Q against Send-Q); raise the backlog in its listen() "
		    "call or configuration (e.g. nginx listen ... backlog=N), "
		    "which the kernel caps at net.core.somaxconn (now %s): "
		    "raise that too if the program asks for more; and let it "
		    "accept faster (more workers).",
		    val(s->somaxconn, b1, sizeof(b1)));
	} else if (ovf != MQ_DOC_NONE) {
		x = add(r, "listen.overflows", MQ_SEV_OK, "tcp");
		title(x, "No accept queue overflowed %s", r->window);
		ev(x, "ListenOverflows", ovf);
	}
	for (i = 0; f->have_sockets && i < f->nr_listeners; i++) {
		const struct mq_doc_listener *l = &f->listeners[i];

		if (!l->queued || 2 * (uint64_t)l->queued < l->backlog)
			continue;
		mq_doc_endpoint(l->family, l->addr, l->port, ep, sizeof(ep));
		x = add(r, "listen.queue", l->queued >= l->backlog ?
			MQ_SEV_CRIT : MQ_SEV_WARN, "LISTEN %s", ep);
		title(x, "%s: %u connections wait in an accept queue of %u",
		      ep, l->queued, l->backlog);
		ev_text(x, "listen", "%s", ep);
		ev(x, "queued", l->queued);
		ev(x, "backlog", l->backlog);
		ev(x, "somaxconn", s->somaxconn);
		why(x, "Connections that completed the handshake wait here "
		    "until the program calls accept(); a full queue drops new "
		    "ones (listen.overflows).%s",
		    s->somaxconn != MQ_DOC_NONE && l->backlog >= s->somaxconn ?
		    " Its backlog is capped by net.core.somaxconn." : "");
		fix(x, "Make the program behind %s accept faster (more "
		    "workers, no blocking in the accept loop); raise its "
		    "listen() backlog%s.", ep,
		    s->somaxconn != MQ_DOC_NONE && l->backlog >= s->somaxconn ?
		    " together with net.core.somaxconn" : "");
	}
	if (reqq > 0) {
		x = add(r, "listen.syn_queue", MQ_SEV_WARN, "tcp");
		title(x, "%" PRId64 " SYNs dropped with a full SYN queue %s",
		      reqq, r->window);
		ev(x, "TCPReqQFullDrop", reqq);
		ev(x, "tcp_max_syn_backlog", s->tcp_max_syn_backlog);
		ev(x, "tcp_syncookies", s->tcp_syncookies);
		why(x, "Half-open connections wait in the SYN queue "
		    "(net.ipv4.tcp_max_syn_backlog, now %s); when it is full "
		    "and SYN cookies are off, new SYNs are dropped.",
		    val(s->tcp_max_syn_backlog, b1, sizeof(b1)));
		if (s->tcp_syncookies == 0)
			fix(x, "sysctl -w net.ipv4.tcp_syncookies=1 (now 0): "
			    "cookies answer SYNs when the queue is full.");
		else
			fix(x, "sysctl -w net.ipv4.tcp_max_syn_backlog=%" PRId64
			    "; check for a SYN flood (many SYN-RECV sockets "
			    "from few sources).", twice(s->tcp_max_syn_backlog,
			    2048));
	}
	if (sent > 0 || failed > 0) {
		x = add(r, "listen.syncookies", MQ_SEV_INFO, "tcp");
		title(x, "SYN cookies %s: %s sent, %s received, %s failed",
		      r->window, val(sent, b1, sizeof(b1)),
		      val(recv, b2, sizeof(b2)), val(failed, ep, sizeof(ep)));
		ev(x, "SyncookiesSent", sent);
		ev(x, "SyncookiesRecv", recv);
		ev(x, "SyncookiesFailed", failed);
		ev(x, "tcp_syncookies", s->tcp_syncookies);
		why(x, "The kernel answers with SYN cookies when a SYN queue "
		    "overflows: a SYN flood, or a listener whose queue is too "
		    "small for its connection rate. Cookies lose some TCP "
		    "options (window scaling without timestamps).");
	}
}

/* --- 6. TCP memory ----------------------------------------------------- */

static void rule_memory(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_doc_sysctls *s = &f->sys;
	int64_t mem, press = counter(f, "TcpExt", "TCPMemoryPressures");
	int64_t abort = counter(f, "TcpExt", "TCPAbortOnMemory");
	enum mq_sev sev = MQ_SEV_OK;
	struct mq_finding *x;

	if (mq_keyed_get(&f->sockstat, "TCP", "mem", &mem) || !s->have_tcp_mem)
		return;
	if ((uint64_t)mem >= s->tcp_mem[2])
		sev = MQ_SEV_CRIT;
	else if ((uint64_t)mem >= s->tcp_mem[1])
		sev = MQ_SEV_WARN;
	else if ((press != MQ_DOC_NONE && press > 0) ||
		 (abort != MQ_DOC_NONE && abort > 0))
		sev = MQ_SEV_WARN;
	x = add(r, "tcp.memory", sev, "tcp");
	title(x, "TCP uses %" PRId64 " pages of memory; pressure starts at %"
	      PRIu64 ", the limit is %" PRIu64 " (tcp_mem)", mem, s->tcp_mem[1],
	      s->tcp_mem[2]);
	ev(x, "mem_pages", mem);
	ev(x, "tcp_mem_min", s64(s->tcp_mem[0]));
	ev(x, "tcp_mem_pressure", s64(s->tcp_mem[1]));
	ev(x, "tcp_mem_max", s64(s->tcp_mem[2]));
	ev(x, "TCPMemoryPressures", press);
	ev(x, "TCPAbortOnMemory", abort);
	if (sev == MQ_SEV_OK)
		return;
	why(x, "Above the pressure value of net.ipv4.tcp_mem the kernel "
	    "shrinks socket buffers (slower transfers); at the maximum new "
	    "buffer memory is refused and connections are reset "
	    "(TCPAbortOnMemory). TCPMemoryPressures counts entries into "
	    "pressure %s.", r->window);
	fix(x, "Find what holds the memory: ss -tm (a large Recv-Q is a "
	    "program that does not read; a large Send-Q, slow peers). If "
	    "the machine has the memory, raise the limits: sysctl -w "
	    "net.ipv4.tcp_mem=\"%" PRIu64 " %" PRIu64 " %" PRIu64 "\" (pages "
	    "of 4 KiB) and persist it in /etc/sysctl.d/.",
	    s->tcp_mem[0] * 2, s->tcp_mem[1] * 2, s->tcp_mem[2] * 2);
}

/* --- 7. descriptors ---------------------------------------------------- */

static void rule_fds(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_doc_sysctls *s = &f->sys;
	struct mq_finding *x;
	char b1[24];
	size_t i;

	if (s->have_file_nr && s->file_nr[2]) {
		double use = (double)s->file_nr[0] / (double)s->file_nr[2];

		x = add(r, "fd.system", use >= 0.9 ? MQ_SEV_CRIT :
			use >= 0.7 ? MQ_SEV_WARN : MQ_SEV_OK, "fs.file-max");
		title(x, "%" PRIu64 " file handles allocated of fs.file-max %"
		      PRIu64 " (%.0f%%)", s->file_nr[0], s->file_nr[2], 100 * use);
		ev(x, "allocated", s64(s->file_nr[0]));
		ev(x, "free", s64(s->file_nr[1]));
		ev(x, "file_max", s64(s->file_nr[2]));
		ev(x, "nr_open", s->nr_open);
		if (x->sev != MQ_SEV_OK) {
			why(x, "At fs.file-max no process can open a file or "
			    "socket (ENFILE, \"Too many open files in system\").");
			fix(x, "sysctl -w fs.file-max=%" PRIu64 " and persist it "
			    "in /etc/sysctl.d/; then find the processes holding "
			    "them (fd.process; ls /proc/*/fd | wc -l) in case "
			    "one leaks.", s->file_nr[2] * 2);
		}
	}
	if (!f->have_procs)
		return;
	for (i = 0; i < f->nr_procs; i++) {
		const struct mq_doc_proc *p = &f->procs[i];
		double use = (double)p->nfds / (double)p->soft;
		enum mq_sev sev = use >= 0.9 ? MQ_SEV_CRIT :
				  use >= 0.8 ? MQ_SEV_WARN : MQ_SEV_INFO;

		x = add(r, "fd.process", sev, "pid %d (%s)", p->pid, p->comm);
		title(x, "%s (pid %d) has %" PRIu64 " descriptors open of its "
		      "limit %" PRIu64 " (%.0f%%)", p->comm, p->pid, p->nfds,
		      p->soft, 100 * use);
		ev(x, "pid", p->pid);
		ev_text(x, "comm", "%s", p->comm);
		ev(x, "open_fds", s64(p->nfds));
		ev(x, "soft_limit", s64(p->soft));
		ev(x, "hard_limit", s64(p->hard));
		ev(x, "nr_open", s->nr_open);
		why(x, "At its RLIMIT_NOFILE soft limit the process cannot "
		    "accept connections or open files (EMFILE, \"Too many open "
		    "files\"); a count that keeps growing is a descriptor leak.");
		if (sev >= MQ_SEV_WARN)
			fix(x, "Raise its limit: for a systemd service, "
			    "LimitNOFILE=%" PRIu64 " in a drop-in (systemctl edit "
			    "UNIT) and a restart; otherwise \"USER soft nofile %"
			    PRIu64 "\" and \"USER hard nofile %" PRIu64 "\" in "
			    "/etc/security/limits.conf (from the next login), "
			    "or the program raises its soft limit to the hard "
			    "limit itself (setrlimit). The hard limit cannot "
			    "exceed fs.nr_open (now %s).",
			    p->soft * 4 > 1048576 ? p->soft * 4 : 1048576,
			    p->soft * 4 > 65536 ? p->soft * 4 : 65536,
			    p->soft * 4 > 1048576 ? p->soft * 4 : 1048576,
			    val(s->nr_open, b1, sizeof(b1)));
	}
	if (!f->nr_procs) {
		x = add(r, "fd.process", MQ_SEV_OK, "processes");
		title(x, "No process uses half of its descriptor limit");
		ev(x, "fd_dirs_unreadable", (int64_t)f->procs_denied);
	}
}

/* --- 8. the sysctls ---------------------------------------------------- */

static void rule_sysctls(struct rules *r)
{
	const struct mq_doc_facts *f = r->f;
	const struct mq_doc_sysctls *s = &f->sys;
	static const struct {
		const char *name;
		size_t off;
		const char *what;
	} tab[] = {
#define S(n, field, w) { n, offsetof(struct mq_doc_sysctls, field), w }
		S("fs.file-max", file_max, "system-wide limit of open file handles (fd.system)"),
		S("fs.nr_open", nr_open, "ceiling of any process's RLIMIT_NOFILE hard limit (fd.process)"),
		S("net.ipv4.tcp_syncookies", tcp_syncookies, "SYN cookies, sent only when a SYN queue overflows (1, the default; keep it) (listen.syn_queue)"),
		S("net.ipv4.tcp_tw_reuse", tcp_tw_reuse, "new outbound connections may take over TIME-WAIT ports: 1 on, 2 loopback only (the default since 4.19); helps outbound piles only (tcp.time_wait)"),
		S("net.ipv4.tcp_fin_timeout", tcp_fin_timeout, "seconds an orphaned socket waits in FIN-WAIT-2; it does not change TIME-WAIT, which lasts 60 s, fixed in the kernel (tcp.orphans)"),
		S("net.ipv4.tcp_max_tw_buckets", tcp_max_tw_buckets, "most TIME-WAIT sockets kept; more are closed early (tcp.tw_buckets)"),
		S("net.core.somaxconn", somaxconn, "cap on every listen() backlog (listen.overflows, listen.queue)"),
		S("net.ipv4.tcp_max_syn_backlog", tcp_max_syn_backlog, "length of each listener's SYN queue (listen.syn_queue)"),
		S("net.core.netdev_max_backlog", netdev_max_backlog, "per-CPU input queue for RPS and netif_rx() (softnet.dropped)"),
		S("net.core.netdev_budget", netdev_budget, "packets per NET_RX run (softnet.time_squeeze)"),
		S("net.core.netdev_budget_usecs", netdev_budget_usecs, "microseconds per NET_RX run (softnet.time_squeeze)"),
		S("net.ipv4.tcp_max_orphans", tcp_max_orphans, "most orphaned sockets before they are reset (tcp.orphans)"),
#undef S
	};
	struct mq_finding *x;
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		int64_t v = *(const int64_t *)(const void *)((const char *)s +
							     tab[i].off);

		if (v == MQ_DOC_NONE)
			continue;
		const char *rel = strrchr(tab[i].what, '(');

		x = add(r, "sysctl.value", MQ_SEV_INFO, "%s", tab[i].name);
		title(x, "%s = %" PRId64 "%s%s", tab[i].name, v, rel ? " " : "",
		      rel ? rel : "");
		ev(x, "value", v);
		why(x, "%s. Informational: change it only for the symptom of "
		    "the finding named, which has its own advice.", tab[i].what);
	}
	if (s->have_port_range) {
		x = add(r, "sysctl.value", MQ_SEV_INFO,
			"net.ipv4.ip_local_port_range");
		title(x, "net.ipv4.ip_local_port_range = %" PRIu64 " %" PRIu64
		      " (tcp.time_wait)", s->port_range[0], s->port_range[1]);
		why(x, "The local ports of outbound connections: one per "
		    "connection to the same remote address and port, held "
		    "60 s in TIME-WAIT after an active close.");
		ev(x, "low", s64(s->port_range[0]));
		ev(x, "high", s64(s->port_range[1]));
	}
	for (i = 0; i < f->nr_recycle; i++) {
		const struct mq_doc_conf *c = &f->recycle[i];

		x = add(r, "sysctl.tcp_tw_recycle", MQ_SEV_WARN, "%s:%zu",
			c->file, c->line);
		title(x, "%s line %zu sets net.ipv4.tcp_tw_recycle = %s", c->file,
		      c->line, c->value);
		ev_text(x, "file", "%s", c->file);
		ev(x, "line", (int64_t)c->line);
		ev_text(x, "value", "%s", c->value);
		ev(x, "present_in_kernel", s->tcp_tw_recycle != MQ_DOC_NONE);
		why(x, "tcp_tw_recycle was removed in Linux 4.12: it dropped "
		    "connections from clients behind NAT (and, with randomized "
		    "timestamp offsets, from any client). %s",
		    s->tcp_tw_recycle == MQ_DOC_NONE ?
		    "This kernel has no such setting: sysctl --system reports "
		    "an unknown key for this line." :
		    "This kernel still has it.");
		fix(x, "Delete the line from %s. For outbound TIME-WAIT piles "
		    "use net.ipv4.tcp_tw_reuse=1 instead.", c->file);
	}
	if (s->tcp_tw_recycle != MQ_DOC_NONE && s->tcp_tw_recycle != 0) {
		x = add(r, "sysctl.tcp_tw_recycle", MQ_SEV_CRIT,
			"net.ipv4.tcp_tw_recycle");
		title(x, "net.ipv4.tcp_tw_recycle = %" PRId64 " on this kernel",
		      s->tcp_tw_recycle);
		ev(x, "value", s->tcp_tw_recycle);
		why(x, "It drops SYNs from clients behind NAT whose timestamps "
		    "are not monotonic; connections fail at random.");
		fix(x, "sysctl -w net.ipv4.tcp_tw_recycle=0 and remove it from "
		    "/etc/sysctl.conf and /etc/sysctl.d/.");
	}
}

/* --- driver ------------------------------------------------------------ */

static void sort_by_severity(struct mq_findings *fs)
{
	size_t i, j;

	/* insertion sort: stable, and n is small */
	for (i = 1; i < fs->nr; i++) {
		struct mq_finding tmp = fs->v[i];

		for (j = i; j > 0 && fs->v[j - 1].sev < tmp.sev; j--)
			fs->v[j] = fs->v[j - 1];
		fs->v[j] = tmp;
	}
}

int mq_doctor_rules(const struct mq_doc_facts *f, struct mq_findings *out,
		    struct mq_diag *d)
{
	struct rules r = { .f = f, .out = out };
	size_t i;

	memset(out, 0, sizeof(*out));
	if (f->interval > 0)
		snprintf(r.window, sizeof(r.window), "in the last %.0f s",
			 f->interval);
	else
		snprintf(r.window, sizeof(r.window), "since boot");
	rule_softnet(&r);
	rule_netrx(&r);
	for (i = 0; i < f->nr_nics; i++)
		rule_nic(&r, &f->nics[i]);
	if (f->have_sockets) {
		rule_states(&r);
		rule_time_wait(&r);
		rule_close_wait(&r);
	}
	rule_orphans(&r);
	rule_listen(&r);
	rule_memory(&r);
	rule_fds(&r);
	rule_sysctls(&r);
	for (i = 0; i < f->nr_notes; i++) {
		struct mq_finding *x = add(&r, "doctor.skipped", MQ_SEV_INFO,
					   "doctor");

		title(x, "%s", f->notes[i]);
	}
	if (r.nomem) {
		mq_findings_fini(out);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	sort_by_severity(out);
	return 0;
}

enum mq_sev mq_findings_worst(const struct mq_findings *fs)
{
	enum mq_sev w = MQ_SEV_OK;
	size_t i;

	for (i = 0; i < fs->nr; i++)
		if (fs->v[i].sev > w)
			w = fs->v[i].sev;
	return w;
}

void mq_findings_fini(struct mq_findings *fs)
{
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* --- --interval --------------------------------------------------------- */

static uint64_t grew(uint64_t now, uint64_t before)
{
	return now >= before ? now - before : now;
}

/*
 * Each vector's per-CPU counts of @a become the increase since @b (the
 * same vector by position, the same CPU by its column's id; a CPU that
 * came online in between counts from 0), and its total and busiest CPU
 * those of the window.
 */
static void irq_delta(struct mq_doc_nic *a, const struct mq_doc_nic *b)
{
	size_t j, c, e;

	for (j = 0; j < a->nr_irqs; j++) {
		struct mq_doc_irq *q = &a->irqs[j];

		q->total = q->top_count = 0;
		q->top_cpu = 0;
		for (c = 0; c < a->nr_cols; c++) {
			uint64_t *v = &a->counts[j * a->nr_cols + c];

			for (e = 0; j < b->nr_irqs && b->irqs[j].irq == q->irq &&
			     e < b->nr_cols; e++)
				if (b->col_cpu[e] == a->col_cpu[c]) {
					*v = grew(*v, b->counts[j * b->nr_cols + e]);
					break;
				}
			q->total += *v;
			if (*v > q->top_count) {
				q->top_count = *v;
				q->top_cpu = a->col_cpu[c];
			}
		}
	}
}

void mq_doc_facts_delta(struct mq_doc_facts *cur,
			const struct mq_doc_facts *prev, double interval)
{
	size_t i, j;

	cur->interval = interval;
	for (i = 0; cur->have_softnet && prev->have_softnet &&
		    i < cur->softnet.nr_rows; i++) {
		struct mq_softnet_row *a = &cur->softnet.rows[i];
		const struct mq_softnet_row *b = mq_softnet_cpu(&prev->softnet,
								a->cpu);
		struct mq_softnet_row zero = { .cpu = a->cpu };

		if (!b)
			b = &zero;	/* came online in between */
		a->processed = grew(a->processed, b->processed);
		a->dropped = grew(a->dropped, b->dropped);
		a->time_squeeze = grew(a->time_squeeze, b->time_squeeze);
		a->received_rps = grew(a->received_rps, b->received_rps);
		a->flow_limit = grew(a->flow_limit, b->flow_limit);
	}
	if (cur->have_softirqs && prev->have_softirqs)
		for (i = 0; i < cur->softirqs.nr_cpus; i++)
			for (j = 0; j < prev->softirqs.nr_cpus; j++)
				if (prev->softirqs.cpus[j] == cur->softirqs.cpus[i]) {
					cur->softirqs.net_rx[i] =
						grew(cur->softirqs.net_rx[i],
						     prev->softirqs.net_rx[j]);
					break;
				}
	for (i = 0; i < cur->netstat.nr; i++) {
		struct mq_kv *kv = &cur->netstat.v[i];
		int64_t before;

		if (mq_keyed_get(&prev->netstat, kv->prefix, kv->name, &before))
			continue;
		/* gauges (Tcp: CurrEstab, MaxConn) stay as they are */
		if (strcmp(kv->name, "CurrEstab") == 0 ||
		    strcmp(kv->name, "MaxConn") == 0 || kv->value < 0)
			continue;
		kv->value = before <= kv->value ? kv->value - before : kv->value;
	}
	for (i = 0; i < cur->nr_nics && i < prev->nr_nics; i++) {
		struct mq_doc_nic *a = &cur->nics[i];
		const struct mq_doc_nic *b = &prev->nics[i];

		for (j = 0; j < MQ_DOC_NIC_STATS; j++)
			if (a->stats[j] != MQ_DOC_NONE && b->stats[j] != MQ_DOC_NONE)
				a->stats[j] = a->stats[j] >= b->stats[j] ?
					      a->stats[j] - b->stats[j] : a->stats[j];
		for (j = 0; j < a->nr_drv; j++) {
			size_t k;

			for (k = 0; k < b->nr_drv; k++)
				if (strcmp(a->drv[j].name, b->drv[k].name) == 0) {
					a->drv[j].value = grew(a->drv[j].value,
							       b->drv[k].value);
					break;
				}
		}
		irq_delta(a, b);
	}
}
