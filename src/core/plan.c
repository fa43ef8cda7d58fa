/*
 * plan.c - from a placement to the list of writes, keeping only changes.
 *
 * Values are compared the way the kernel keeps them: CPU sets as sets
 * (not strings, so "0000,00000001" equals "1"), and flow counts after the
 * kernel's rounding up to a power of two (the placement already rounds).
 */
#include "mqtune/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/channels.h"
#include "mqtune/project.h"
#include "mqtune/rss.h"
#include "mqtune/state.h"

struct builder {
	const struct mq_machine *m;
	struct mq_plan *plan;
	size_t cap;
	int failed;
	bool *irq_seen;			/* by IRQ number: planned already */
	unsigned int irq_max;		/* size of irq_seen */
};

static struct mq_change *add_change(struct builder *b, enum mq_target target,
				    int dev, size_t index)
{
	struct mq_change *c;

	if (b->failed)
		return NULL;
	if (b->plan->nr == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct mq_change *bigger = realloc(b->plan->changes,
						   cap * sizeof(*bigger));

		if (!bigger) {
			b->failed = 1;
			return NULL;
		}
		b->plan->changes = bigger;
		b->cap = cap;
	}
	c = &b->plan->changes[b->plan->nr++];
	memset(c, 0, sizeof(*c));
	c->target = target;
	c->dev = dev;
	c->index = index;
	return c;
}

static char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *text(const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strdup(buf);
}

static char *list_or_dash(const struct mq_cpuset *s)
{
	char *list = mq_cpuset_format_list(s);

	if (list && !list[0]) {
		free(list);
		return strdup("-");
	}
	return list;
}

/* Fill value and displays; a failed allocation fails the whole build. */
static void set_texts(struct builder *b, struct mq_change *c, char *value,
		      char *old_display, char *new_display)
{
	c->value = value;
	c->old_display = old_display;
	c->new_display = new_display;
	if (!value || !old_display || !new_display)
		b->failed = 1;
}

/*
 * What the file held when discovery read it, so that an undo writes back
 * exactly that without reading the file a second time.  Without it apply
 * reads the file just before writing.
 */
static void set_saved(struct builder *b, struct mq_change *c, const char *raw)
{
	if (!raw)
		return;
	c->saved = strdup(raw);
	c->saved_len = strlen(raw);
	if (!c->saved)
		b->failed = 1;
}

/* "<mask>\n": masks of thousands of CPUs are long, so size it exactly. */
static char *mask_value(const struct mq_cpuset *s, unsigned int width)
{
	char *mask = mq_cpuset_format_mask(s, width), *v = NULL;
	size_t len;

	if (!mask)
		return NULL;
	len = strlen(mask);
	v = malloc(len + 2);
	if (v) {
		memcpy(v, mask, len);
		v[len] = '\n';
		v[len + 1] = '\0';
	}
	free(mask);
	return v;
}

/* A step that is not a file write, for interface @di. */
static struct mq_change *add_step(struct builder *b, enum mq_target target,
				  int di, const char *what)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	struct mq_change *c = add_change(b, target, di, 0);

	if (!c)
		return NULL;
	c->step = calloc(1, sizeof(*c->step));
	if (!c->step) {
		b->failed = 1;
		return NULL;
	}
	snprintf(c->step->ifname, sizeof(c->step->ifname), "%s", dev->name);
	c->step->ifindex = dev->ifindex;
	snprintf(c->object, sizeof(c->object), "%s %s", dev->name, what);
	return c;
}

static enum mq_ethtool_transport chan_transport(const struct mq_channels *ch)
{
	return ch->source == MQ_CHAN_IOCTL ? MQ_ETHTOOL_IOCTL :
	       MQ_ETHTOOL_NETLINK;
}

/* The state file's text of the table an RSS change replaces (the journal). */
static void saved_table(struct builder *b, struct mq_change *c,
			const struct mq_netdev *dev)
{
	c->saved = mq_rss_state_text(dev->rss.table, dev->rss.size);
	if (!c->saved)
		b->failed = 1;
	else
		c->saved_len = strlen(c->saved);
}

/*
 * The channel change, first of the interface's changes; before it, when
 * the channels shrink below a queue the RSS table names, that table made
 * an equal spread over the queues that stay (the kernel refuses the
 * shrink otherwise; with --rss keep, the driver's default instead).
 */
static void plan_channels(struct builder *b, int di,
			  const struct mq_dev_placement *dp)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	char now[48], want[80];
	struct mq_change *c;

	if (!dp->chan_change)
		return;
	if (mq_rss_blocks_shrink(dev, dp->nr_active_rx) && dp->nr_active_rx) {
		/*
		 * A reset: the kernel no longer counts the table as set by a
		 * user (and refuses no shrink), the driver makes its default
		 * again over the new count, and the second phase writes what
		 * --rss wants.
		 */
		c = add_step(b, MQ_T_RSS, di, "rss");
		if (!c)
			return;
		/* read by netlink: written by netlink where the kernel has
		 * RSS_SET (6.17+), else by the ioctl */
		c->step->transport = dev->rss.source == MQ_RSS_SRC_IOCTL ?
				     MQ_ETHTOOL_IOCTL : MQ_ETHTOOL_AUTO;
		c->step->rss_size = 0;
		c->step->rss_saved_size = dev->rss.size;
		c->step->rss_saved = malloc(dev->rss.size * sizeof(uint32_t));
		if (!c->step->rss_saved) {
			b->failed = 1;
			return;
		}
		memcpy(c->step->rss_saved, dev->rss.table,
		       dev->rss.size * sizeof(uint32_t));
		saved_table(b, c, dev);
		snprintf(want, sizeof(want), "the driver's default, for the "
			 "shrink to %zu queue%s", dp->nr_active_rx,
			 dp->nr_active_rx == 1 ? "" : "s");
		set_texts(b, c, strdup(want), strdup("names queues that go"),
			  strdup(want));
	}
	c = add_step(b, MQ_T_CHANNELS, di, "channels");
	if (!c)
		return;
	c->step->transport = chan_transport(&dev->channels);
	c->step->chan_want = dp->chan_want;
	c->step->chan_saved = dev->channels;
	/* the state file's text of the counts replaced (the journal) */
	c->saved = strdup(mq_channels_state_text(&dev->channels, want,
						 sizeof(want)));
	if (!c->saved)
		b->failed = 1;
	else
		c->saved_len = strlen(c->saved);
	mq_channels_text(&dev->channels, now, sizeof(now));
	mq_channels_text(&dp->chan_want, want, sizeof(want));
	set_texts(b, c, strdup(want), strdup(now), strdup(want));
}

static void plan_irqs(struct builder *b, int di,
		      const struct mq_dev_placement *dp)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	struct mq_cpuset want = { 0 };
	size_t i;

	if (mq_cpuset_init(&want, b->m->topo.nr_cpu_ids)) {
		b->failed = 1;
		return;
	}
	for (i = 0; i < dev->nr_irqs; i++) {
		const struct mq_irq *irq = &dev->irqs[i];
		struct mq_change *c;
		char *list;

		if (dp->irq_cpu[i] < 0 || irq->irq >= b->irq_max ||
		    b->irq_seen[irq->irq])
			continue;
		b->irq_seen[irq->irq] = true;	/* shared vectors: once */
		mq_cpuset_zero(&want);
		mq_cpuset_set(&want, (unsigned int)dp->irq_cpu[i]);
		if (mq_cpuset_equal(&want, &irq->affinity))
			continue;
		c = add_change(b, MQ_T_IRQ_AFFINITY, di, i);
		if (!c)
			break;
		snprintf(c->path, sizeof(c->path), "/proc/irq/%u/smp_affinity_list",
			 irq->irq);
		snprintf(c->object, sizeof(c->object), "%s IRQ %u", dev->name,
			 irq->irq);
		list = mq_cpuset_format_list(&want);
		set_texts(b, c, list ? text("%s\n", list) : NULL,
			  list_or_dash(&irq->affinity), list_or_dash(&want));
		set_saved(b, c, irq->affinity_raw);
		free(list);
	}
	mq_cpuset_fini(&want);
}

static uint32_t *table_dup(const uint32_t *t, uint32_t size)
{
	uint32_t *copy = malloc((size_t)(size ? size : 1) * sizeof(*copy));

	if (copy && size)
		memcpy(copy, t, (size_t)size * sizeof(*copy));
	return copy;
}

/*
 * The RSS indirection table (ethtool -X), a step rather than a file: the
 * table to write and the one discovery read, for the undo.  Its transport
 * is the one that read it (ioctl), or netlink first (RSS_SET is 6.17+:
 * the ioctl when the kernel has no such command).
 */
static void plan_rss(struct builder *b, int di,
		     const struct mq_dev_placement *dp)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	char now[MQ_RSS_TEXT_MAX], want[MQ_RSS_TEXT_MAX];
	struct mq_change *c;
	struct mq_step *st;

	if (!dp->rss_want || !dev->rss.table || !dev->rss.size ||
	    memcmp(dp->rss_want, dev->rss.table,
		   (size_t)dev->rss.size * sizeof(uint32_t)) == 0)
		return;
	c = add_change(b, MQ_T_RSS, di, 0);
	if (!c)
		return;
	snprintf(c->object, sizeof(c->object), "%s rss", dev->name);
	mq_rss_format(dev->rss.table, dev->rss.size, now, sizeof(now));
	mq_rss_format(dp->rss_want, dev->rss.size, want, sizeof(want));
	set_texts(b, c, strdup(want), strdup(now), strdup(want));
	st = calloc(1, sizeof(*st));
	c->step = st;
	if (!st) {
		b->failed = 1;
		return;
	}
	snprintf(st->ifname, sizeof(st->ifname), "%s", dev->name);
	st->ifindex = dev->ifindex;
	st->transport = dev->rss.source == MQ_RSS_SRC_IOCTL ? MQ_ETHTOOL_IOCTL :
			MQ_ETHTOOL_AUTO;
	/*
	 * The equal spread over the active queues is the driver's default:
	 * asked for as a reset (size 0), the table stays the kernel's, not
	 * one set by a user, so the driver keeps it equal over a later
	 * channel count and the kernel does not refuse an `ethtool -L` that
	 * shrinks below it.
	 */
	st->rss_size = mq_rss_is_equal(dp->rss_want, dev->rss.size,
				       (uint32_t)dp->nr_active_rx) ? 0 :
		       dev->rss.size;
	st->rss_want = table_dup(dp->rss_want, dev->rss.size);
	st->rss_saved_size = dev->rss.size;
	st->rss_saved = table_dup(dev->rss.table, dev->rss.size);
	if (!st->rss_want || !st->rss_saved)
		b->failed = 1;
	saved_table(b, c, dev);
}

static void plan_mask(struct builder *b, int di, size_t q, enum mq_target t,
		      const struct mq_cpuset *now, const char *raw,
		      const struct mq_cpuset *want)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	bool rx = t == MQ_T_RPS_CPUS;
	struct mq_change *c;

	if (mq_cpuset_equal(now, want))
		return;
	c = add_change(b, t, di, q);
	if (!c)
		return;
	snprintf(c->path, sizeof(c->path), "/sys/class/net/%s/queues/%s-%zu/%s",
		 dev->name, rx ? "rx" : "tx", q, rx ? "rps_cpus" : "xps_cpus");
	snprintf(c->object, sizeof(c->object), "%s %s-%zu %s", dev->name,
		 rx ? "rx" : "tx", q, rx ? "rps_cpus" : "xps_cpus");
	set_texts(b, c, mask_value(want, b->m->topo.nr_cpu_ids),
		  list_or_dash(now), list_or_dash(want));
	set_saved(b, c, raw);
}

static void plan_flow(struct builder *b, int di, size_t q, int64_t now,
		      const char *raw, int64_t want)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	struct mq_change *c;

	if (want < 0 || now < 0 || now == want)
		return;
	c = add_change(b, MQ_T_RPS_FLOW_CNT, di, q);
	if (!c)
		return;
	snprintf(c->path, sizeof(c->path),
		 "/sys/class/net/%s/queues/rx-%zu/rps_flow_cnt", dev->name, q);
	snprintf(c->object, sizeof(c->object), "%s rx-%zu rps_flow_cnt",
		 dev->name, q);
	set_texts(b, c, text("%" PRId64 "\n", want), text("%" PRId64, now),
		  text("%" PRId64, want));
	set_saved(b, c, raw);
}

static void plan_queues(struct builder *b, int di,
			const struct mq_dev_placement *dp)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	size_t q;

	for (q = 0; q < dev->nr_rxq; q++) {
		const struct mq_rxq *rxq = &dev->rxq[q];

		if (dp->rps && rxq->has_rps)
			plan_mask(b, di, q, MQ_T_RPS_CPUS, &rxq->rps_cpus,
				  rxq->rps_raw, &dp->rps[q]);
		plan_flow(b, di, q, rxq->rps_flow_cnt, rxq->flow_raw,
			  dp->flow_cnt[q]);
	}
	for (q = 0; q < dev->nr_txq && dp->xps; q++)
		if (dev->txq[q].has_xps)
			plan_mask(b, di, q, MQ_T_XPS_CPUS, &dev->txq[q].xps_cpus,
				  dev->txq[q].xps_raw, &dp->xps[q]);
}

/*
 * Each threaded NAPI kernel thread whose affinity is not its CPU: a step
 * (sched_setaffinity), not a file write.  The value is the CPU list; the
 * saved text is the affinity as discovery read it, for the undo.
 */
static void plan_napi(struct builder *b, int di,
		      const struct mq_dev_placement *dp)
{
	const struct mq_netdev *dev = &b->m->netdevs[di];
	struct mq_cpuset want = { 0 };
	size_t i;

	if (!dp->napi_cpu || !dp->nr_napi)
		return;
	if (mq_cpuset_init(&want, b->m->topo.nr_cpu_ids)) {
		b->failed = 1;
		return;
	}
	for (i = 0; i < dp->nr_napi && i < dev->nr_napi; i++) {
		const struct mq_napi_thread *th = &dev->napi[i];
		struct mq_change *c;

		if (dp->napi_cpu[i] < 0 ||
		    (unsigned int)dp->napi_cpu[i] >= want.nbits)
			continue;
		mq_cpuset_zero(&want);
		mq_cpuset_set(&want, (unsigned int)dp->napi_cpu[i]);
		if (mq_cpuset_equal(&want, &th->affinity))
			continue;
		c = add_change(b, MQ_T_NAPI_AFFINITY, di, i);
		if (!c)
			break;
		snprintf(c->object, sizeof(c->object), "%s %s", dev->name,
			 th->comm);
		c->step = calloc(1, sizeof(*c->step));
		if (!c->step) {
			b->failed = 1;
			break;
		}
		snprintf(c->step->ifname, sizeof(c->step->ifname), "%s",
			 dev->name);
		c->step->ifindex = dev->ifindex;
		c->step->pid = th->pid;
		set_texts(b, c, mq_cpuset_format_list(&want),
			  list_or_dash(&th->affinity), list_or_dash(&want));
		set_saved(b, c, th->affinity_raw);
	}
	mq_cpuset_fini(&want);
}

static void plan_sysctl(struct builder *b, const char *path, const char *name,
			int64_t now, const char *raw, int64_t want)
{
	struct mq_change *c;

	if (want < 0 || now < 0 || want == now)
		return;
	c = add_change(b, MQ_T_SYSCTL, -1, 0);
	if (!c)
		return;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->object, sizeof(c->object), "%s", name);
	set_texts(b, c, text("%" PRId64 "\n", want), text("%" PRId64, now),
		  text("%" PRId64, want));
	set_saved(b, c, raw);
}

int mq_plan_build(const struct mq_machine *m, const struct mq_placement *pl,
		  struct mq_plan *out, struct mq_diag *d)
{
	struct builder b = { .m = m, .plan = out };
	size_t i, k;

	memset(out, 0, sizeof(*out));
	out->nr_cpu_ids = m->topo.nr_cpu_ids;
	for (i = 0; i < m->nr_netdevs; i++)
		for (k = 0; k < m->netdevs[i].nr_irqs; k++)
			if (m->netdevs[i].irqs[k].irq >= b.irq_max)
				b.irq_max = m->netdevs[i].irqs[k].irq + 1;
	b.irq_seen = calloc(b.irq_max ? b.irq_max : 1, sizeof(bool));
	if (!b.irq_seen)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	for (i = 0; i < m->nr_netdevs && i < pl->nr_devs; i++) {
		/* order (issue 10): channels, RSS, IRQ affinity, RPS, XPS */
		plan_channels(&b, (int)i, &pl->devs[i]);
		plan_rss(&b, (int)i, &pl->devs[i]);
		plan_irqs(&b, (int)i, &pl->devs[i]);
		plan_queues(&b, (int)i, &pl->devs[i]);
		plan_napi(&b, (int)i, &pl->devs[i]);
	}
	plan_sysctl(&b, MQ_SYSCTL_FLOW_ENTRIES, "net.core.rps_sock_flow_entries",
		    m->sysctls.rps_sock_flow_entries, m->sysctls.flow_entries_raw,
		    pl->flow_entries);
	plan_sysctl(&b, MQ_SYSCTL_BACKLOG, "net.core.netdev_max_backlog",
		    m->sysctls.netdev_max_backlog, m->sysctls.backlog_raw,
		    pl->backlog);
	free(b.irq_seen);
	if (b.failed) {
		mq_plan_fini(out);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	if (out->nr && out->nr < b.cap) {	/* give back the doubling slack */
		struct mq_change *fit = realloc(out->changes,
						out->nr * sizeof(*fit));

		if (fit)
			out->changes = fit;
	}
	return 0;
}

void mq_plan_truncate(struct mq_plan *plan, size_t nr)
{
	while (plan->nr > nr) {
		struct mq_change *c = &plan->changes[--plan->nr];

		free(c->value);
		free(c->old_display);
		free(c->new_display);
		free(c->saved);
		mq_step_free(c->step);
		free(c->err_text);
		memset(c, 0, sizeof(*c));
	}
}

void mq_plan_fini(struct mq_plan *plan)
{
	mq_plan_truncate(plan, 0);
	free(plan->changes);
	memset(plan, 0, sizeof(*plan));
}

static bool in_device_range(const struct mq_placement *pl, size_t w)
{
	size_t i;

	for (i = 0; i < pl->nr_devs; i++)
		if (w >= pl->devs[i].warn_first && w < pl->devs[i].warn_end)
			return true;
	return false;
}

static int copy_warning(struct mq_warnings *to, const struct mq_warning *w)
{
	return mq_warn(to, w->code, w->object[0] ? w->object : NULL, "%s",
		       w->message);
}

int mq_part_make(const struct mq_machine *m, const struct mq_placement *pl,
		 const bool *selected, struct mq_part *out, struct mq_diag *d)
{
	size_t n = m->nr_netdevs < pl->nr_devs ? m->nr_netdevs : pl->nr_devs;
	size_t i, w, k = 0;
	int failed = 0;

	memset(out, 0, sizeof(*out));
	out->m = *m;
	out->pl = *pl;
	out->m.netdevs = calloc(n ? n : 1, sizeof(*out->m.netdevs));
	out->pl.devs = calloc(n ? n : 1, sizeof(*out->pl.devs));
	out->index = calloc(n ? n : 1, sizeof(*out->index));
	memset(&out->pl.warnings, 0, sizeof(out->pl.warnings));
	if (!out->m.netdevs || !out->pl.devs || !out->index)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (selected && !selected[i])
			continue;
		out->m.netdevs[k] = m->netdevs[i];
		out->pl.devs[k] = pl->devs[i];
		out->index[k++] = i;
	}
	out->m.nr_netdevs = k;
	out->pl.nr_devs = k;
	/* the report order: machine-wide ones and the part's, as placed */
	for (w = 0; w < pl->warnings.n; w++) {
		bool keep = !in_device_range(pl, w);

		for (i = 0; i < k && !keep; i++)
			keep = w >= out->pl.devs[i].warn_first &&
			       w < out->pl.devs[i].warn_end;
		if (keep)
			failed |= copy_warning(&out->pl.warnings,
					       &pl->warnings.list[w]);
	}
	for (i = 0; i < k; i++)		/* ranges mean nothing here */
		out->pl.devs[i].warn_first = out->pl.devs[i].warn_end = 0;
	if (failed)
		goto nomem;
	return 0;
nomem:
	mq_part_fini(out);
	return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
}

void mq_part_fini(struct mq_part *part)
{
	free(part->m.netdevs);
	free(part->pl.devs);
	free(part->index);
	mq_warnings_fini(&part->pl.warnings);
	memset(part, 0, sizeof(*part));
}

void mq_step_free(struct mq_step *s)
{
	if (!s)
		return;
	free(s->rss_want);
	free(s->rss_saved);
	free(s);
}

const char *mq_change_state_name(enum mq_change_state s)
{
	switch (s) {
	case MQ_CH_APPLIED:
		return "applied";
	case MQ_CH_FAILED:
		return "failed";
	case MQ_CH_RESTORED:
		return "restored";
	case MQ_CH_RESTORE_FAILED:
		return "restore-failed";
	case MQ_CH_PLANNED:
		break;
	}
	return "planned";
}
