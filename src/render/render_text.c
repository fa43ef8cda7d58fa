/*
 * render_text.c - `mqtune show` for people: a header per interface and
 * one aligned row per queue, then the vectors that serve no queue.
 */
#include "mqtune/render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/esc.h"
#include "mqtune/table.h"
#include "mqtune/rss.h"
#include "render_int.h"

/*
 * These run for every cell of a table with a row per queue (thousands on
 * a large machine): the list is printed straight into the cell's buffer,
 * with no allocation, and the CPUs are counted only for a cut list.
 */
const char *mq_render_cpus(const struct mq_cpuset *s, char *buf, size_t cap)
{
	size_t n;

	if (!cap)
		return buf;
	n = mq_cpuset_print_list(s, buf, cap);
	if (n == 0 && cap > 1)
		memcpy(buf, "-", 2);
	else if (n == cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
	return buf;
}

/*
 * A CPU set in ranges ("0-3,8"), cut after whole items when longer than
 * @max characters, with the total: "0-3,8,10,... (31 CPUs)".  @max 0 =
 * no limit (up to @cap).
 */
const char *mq_render_cpus_short(const struct mq_cpuset *set, char *buf,
				 size_t cap, size_t max)
{
	/* the first item whole, however long @max: at most 11 characters */
	char head[MQ_SET_CELL_MAX + 32];
	size_t len, cut;
	unsigned int n;

	if (!max || max + 13 > sizeof(head))
		return mq_render_cpus(set, buf, cap);
	len = mq_cpuset_print_list(set, head, max + 13);
	if (len <= max && len < cap) {	/* whole: no need to print it again */
		if (len)
			memcpy(buf, head, len + 1);
		else if (cap > 1)
			memcpy(buf, "-", 2);
		else
			buf[0] = '\0';
		return buf;
	}
	if (len <= max)
		return mq_render_cpus(set, buf, cap);
	for (cut = max; cut > 0 && head[cut] != ','; cut--)
		;
	if (!cut)		/* one item longer than max: keep it */
		for (cut = 0; head[cut] && head[cut] != ','; cut++)
			;
	n = mq_cpuset_weight(set);
	snprintf(buf, cap, "%.*s,... (%u CPU%s)", (int)cut, head, n,
		 n == 1 ? "" : "s");
	return buf;
}

static void join_cell(char *cell, size_t cap, const char *sep,
		      const char *part)
{
	size_t len = strlen(cell), n = strlen(part), k;

	/* Joined cells are display only: cut what does not fit. */
	for (k = 0; len && sep[k] && len + 1 < cap; k++)
		cell[len++] = sep[k];
	if (n > cap - 1 - len)
		n = cap - 1 - len;
	memcpy(cell + len, part, n);
	cell[len + n] = '\0';
}

static void queue_row(struct mq_table *tab, const struct mq_netdev *dev,
		      size_t q)
{
	char qs[16], irq[32] = "", name[512] = "", aff[256] = "", eff[256] = "";
	char rps[256] = "", xps[256] = "", tmp[200];
	const struct mq_irq *v[2];
	size_t n = mq_netdev_queue_vectors(dev, q, v), i;
	const char *cells[7] = { qs, irq, name, aff, eff, rps, xps };

	snprintf(qs, sizeof(qs), "%zu", q);
	for (i = 0; i < n; i++) {
		snprintf(tmp, sizeof(tmp), "%u", v[i]->irq);
		join_cell(irq, sizeof(irq), ",", tmp);
		join_cell(name, sizeof(name), ",", v[i]->name[0] ? v[i]->name : "?");
		join_cell(aff, sizeof(aff), " / ",
			  mq_render_cpus_short(&v[i]->affinity, tmp, sizeof(tmp),
					       MQ_SET_CELL_MAX));
		join_cell(eff, sizeof(eff), " / ", v[i]->has_effective ?
			  mq_render_cpus_short(&v[i]->effective, tmp, sizeof(tmp),
					       MQ_SET_CELL_MAX) : "n/a");
	}
	if (!n)
		snprintf(irq, sizeof(irq), "-");
	if (q < dev->nr_rxq && dev->rxq[q].has_rps)
		mq_render_cpus_short(&dev->rxq[q].rps_cpus, rps, sizeof(rps),
				     MQ_SET_CELL_MAX);
	else
		snprintf(rps, sizeof(rps), "n/a");
	if (q < dev->nr_txq && dev->txq[q].has_xps)
		mq_render_cpus_short(&dev->txq[q].xps_cpus, xps, sizeof(xps),
				     MQ_SET_CELL_MAX);
	else
		snprintf(xps, sizeof(xps), "n/a");
	mq_table_add(tab, cells);
}

static int print_other(FILE *f, const struct mq_netdev *dev)
{
	static const char *const head[] = { "IRQ", "NAME", "ROLE", "AFFINITY",
					    "EFFECTIVE" };
	struct mq_table tab;
	size_t i;
	int ret;

	mq_table_init(&tab, 5, head);
	for (i = 0; i < dev->nr_irqs; i++) {
		const struct mq_irq *irq = &dev->irqs[i];
		char num[16], aff[200], eff[200];
		const char *cells[5] = { num, irq->name[0] ? irq->name : "(none)",
					 irq->role, aff, eff };

		if (mq_netdev_irq_attached(dev, i))
			continue;
		snprintf(num, sizeof(num), "%u", irq->irq);
		if (irq->has_affinity)
			mq_render_cpus(&irq->affinity, aff, sizeof(aff));
		else
			snprintf(aff, sizeof(aff), "n/a");
		if (irq->has_effective)
			mq_render_cpus(&irq->effective, eff, sizeof(eff));
		else
			snprintf(eff, sizeof(eff), "n/a");
		mq_table_add(&tab, cells);
	}
	ret = 0;
	if (tab.nrows > 1) {
		fprintf(f, "  vectors serving no queue:\n");
		ret = mq_table_print(&tab, f, "    ");
	}
	mq_table_fini(&tab);
	return ret;
}

static void print_header(FILE *f, const struct mq_netdev *dev)
{
	const struct mq_channels *ch = &dev->channels;
	char cpus[200], speed[32];
	char name[MQ_ESC_SIZE(IFNAMSIZ)], drv[MQ_ESC_SIZE(sizeof(dev->driver))];

	if (dev->speed_mbps > 0)
		snprintf(speed, sizeof(speed), "%" PRId64 " Mb/s", dev->speed_mbps);
	else
		snprintf(speed, sizeof(speed), "speed unknown");
	fprintf(f, "%s: driver %s, %s %s, NUMA node %d, local CPUs %s, %s, %s\n",
		mq_esc_text(dev->name, name, sizeof(name)),
		dev->driver[0] ? mq_esc_text(dev->driver, drv, sizeof(drv)) : "(none)",
		dev->bus[0] ? dev->bus : "virtual",
		dev->bus_address[0] ? dev->bus_address : "-", dev->numa_node,
		mq_render_cpus(&dev->local_cpus, cpus, sizeof(cpus)), speed,
		dev->operstate);
	if (ch->unsupported)
		fprintf(f, "  channels (%s): not supported\n",
			mq_chan_src_name(ch->source));
	else
		fprintf(f, "  channels (%s): combined %u/%u, rx %u/%u, tx %u/%u, other %u/%u\n",
			mq_chan_src_name(ch->source), ch->combined, ch->max_combined,
			ch->rx, ch->max_rx, ch->tx, ch->max_tx, ch->other, ch->max_other);
	if (dev->rss.source != MQ_RSS_SRC_NONE) {	/* live systems only */
		char rss[MQ_RSS_TEXT_MAX];

		fprintf(f, "  rss (%s): %s\n", mq_rss_src_name(dev->rss.source),
			dev->rss.unsupported ? "no indirection table" :
			mq_rss_format(dev->rss.table, dev->rss.size, rss,
				      sizeof(rss)));
	}
	fprintf(f, "  queues: %zu rx, %zu tx; vectors: %zu (%s)\n", dev->nr_rxq,
		dev->nr_txq, dev->nr_irqs,
		dev->irq_source == MQ_IRQSRC_NONE ? "device has no IRQs" :
		dev->irqs_unrequested ? (strcmp(dev->operstate, "up") ?
			"IRQs not requested yet (link down)" :
			"IRQs not requested yet") :
		dev->irq_source == MQ_IRQSRC_NETLINK ? "queue map from netdev netlink" :
		dev->irq_source == MQ_IRQSRC_INTX ? "a legacy INTx line" :
		"queue map from IRQ names");
}

static void print_warnings(FILE *f, const struct mq_warnings *w)
{
	char esc[MQ_ESC_SIZE(640)];
	size_t i;

	for (i = 0; i < w->n; i++)
		fprintf(f, "  warning: %s\n",
			mq_esc_text(w->list[i].message, esc, sizeof(esc)));
}

static int print_netdev(FILE *f, const struct mq_netdev *dev)
{
	static const char *const head[] = { "QUEUE", "IRQ", "NAME", "AFFINITY",
					    "EFFECTIVE", "RPS", "XPS" };
	size_t nq = mq_netdev_nr_queues(dev), q;
	struct mq_table tab;
	int ret;

	print_header(f, dev);
	print_warnings(f, &dev->warnings);
	mq_table_init(&tab, 7, head);
	for (q = 0; q < nq; q++)
		queue_row(&tab, dev, q);
	ret = mq_table_print(&tab, f, "  ");
	mq_table_fini(&tab);
	if (!ret)
		ret = print_other(f, dev);
	return ret ? ret : mq_render_napi_text(f, dev, NULL, false);
}

static void print_sysctl(FILE *f, const char *name, int64_t v)
{
	if (v < 0)
		fprintf(f, "  %s: not available here\n", name);
	else
		fprintf(f, "  %s = %" PRId64 "\n", name, v);
}

static void print_system(FILE *f, const struct mq_machine *m)
{
	const struct mq_topo *t = &m->topo;
	char on[200], iso[200], nohz[200];

	fprintf(f, "system: CPUs online %s (%u), isolated %s, nohz_full %s, "
		"%zu NUMA node%s, SMT %s\n",
		mq_render_cpus(&t->online, on, sizeof(on)),
		mq_cpuset_weight(&t->online),
		mq_render_cpus(&t->isolated, iso, sizeof(iso)),
		mq_render_cpus(&t->nohz_full, nohz, sizeof(nohz)), t->nr_nodes,
		t->nr_nodes == 1 ? "" : "s", t->smt ? "on" : "off");
	print_sysctl(f, "net.core.netdev_max_backlog",
		     m->sysctls.netdev_max_backlog);
	print_sysctl(f, "net.core.rps_sock_flow_entries",
		     m->sysctls.rps_sock_flow_entries);
	if (m->irqbalance_pid)
		fprintf(f, "  irqbalance: running (pid %d)\n",
			(int)m->irqbalance_pid);
	else
		fprintf(f, "  irqbalance: not running\n");
	print_warnings(f, &t->warnings);
}

int mq_render_show_text(FILE *f, const struct mq_machine *m)
{
	size_t i;

	for (i = 0; i < m->nr_netdevs; i++) {
		if (print_netdev(f, &m->netdevs[i]))
			return -1;
		fputc('\n', f);
	}
	print_system(f, m);
	return ferror(f) ? -1 : 0;
}
