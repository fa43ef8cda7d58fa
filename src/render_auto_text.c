/*
 * render_auto_text.c - `mqtune auto` for people.
 *
 * A changed value reads "now -> planned"; an unchanged one is printed
 * alone, so changes stand out in a dry run of every row.  A real run
 * prints only the rows it changed, or "no changes".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/table.h"
#include "render_int.h"

/* "now" or "now -> planned"; returns whether it changes. */
static bool set_cell(char *cell, size_t cap, const struct mq_cpuset *now,
		     const struct mq_cpuset *planned)
{
	char a[160], b[160];

	mq_render_cpus(now, a, sizeof(a));
	if (!planned || mq_cpuset_equal(now, planned)) {
		snprintf(cell, cap, "%s", a);
		return false;
	}
	snprintf(cell, cap, "%s -> %s", a, mq_render_cpus(planned, b, sizeof(b)));
	return true;
}

static bool num_cell(char *cell, size_t cap, int64_t now, int64_t planned)
{
	if (now < 0)
		snprintf(cell, cap, "n/a");
	else if (planned < 0 || planned == now)
		snprintf(cell, cap, "%" PRId64, now);
	else
		snprintf(cell, cap, "%" PRId64 " -> %" PRId64, now, planned);
	return now >= 0 && planned >= 0 && planned != now;
}

static bool affinity_cell(const struct mq_netdev *dev,
			  const struct mq_dev_placement *dp, size_t q,
			  char *irqs, char *names, char *aff, size_t cap)
{
	const struct mq_irq *v[2];
	size_t n = mq_netdev_queue_vectors(dev, q, v), k;
	struct mq_cpuset one = { 0 };
	bool changed = false;

	irqs[0] = names[0] = aff[0] = '\0';
	if (!n) {
		snprintf(irqs, cap, "-");
		snprintf(aff, cap, "-");
		return false;
	}
	if (mq_cpuset_init(&one, dev->local_cpus.nbits))
		return false;
	for (k = 0; k < n; k++) {
		size_t idx = (size_t)(v[k] - dev->irqs);
		char part[200];
		size_t len;

		changed |= set_cell(part, sizeof(part), &v[k]->affinity,
				    planned_irq(dp, idx, &one));
		if (dp->irq_managed[idx])
			snprintf(part + strlen(part), sizeof(part) - strlen(part),
				 " (managed)");
		len = strlen(irqs);
		snprintf(irqs + len, cap - len, "%s%u", k ? "," : "", v[k]->irq);
		len = strlen(names);
		snprintf(names + len, cap - len, "%s%s", k ? "," : "", v[k]->name);
		len = strlen(aff);
		snprintf(aff + len, cap - len, "%s%s", k ? " / " : "", part);
	}
	mq_cpuset_fini(&one);
	return changed;
}

static void queue_row(struct mq_table *tab, const struct mq_netdev *dev,
		      const struct mq_dev_placement *dp, size_t q,
		      bool only_changed)
{
	char qs[24], irqs[64], names[300], aff[400];
	char rps[300] = "n/a", rfs[64] = "n/a", xps[300] = "n/a";
	const char *cells[7] = { qs, irqs, names, aff, rps, rfs, xps };
	bool changed;

	snprintf(qs, sizeof(qs), "%zu", q);
	changed = affinity_cell(dev, dp, q, irqs, names, aff, sizeof(names));
	if (q < dev->nr_rxq && dev->rxq[q].has_rps)
		changed |= set_cell(rps, sizeof(rps), &dev->rxq[q].rps_cpus,
				    planned_rps(dev, dp, q));
	if (q < dev->nr_rxq)
		changed |= num_cell(rfs, sizeof(rfs), dev->rxq[q].rps_flow_cnt,
				    planned_flow(dev, dp, q));
	if (q < dev->nr_txq && dev->txq[q].has_xps)
		changed |= set_cell(xps, sizeof(xps), &dev->txq[q].xps_cpus,
				    planned_xps(dev, dp, q));
	if (changed || !only_changed)
		mq_table_add(tab, cells);
}

static int print_netdev(FILE *f, const struct mq_netdev *dev,
			const struct mq_dev_placement *dp, bool only_changed)
{
	static const char *const head[] = { "QUEUE", "IRQ", "NAME", "AFFINITY",
					    "RPS", "RFS", "XPS" };
	char usable[200];
	struct mq_table tab;
	size_t q;
	int ret = 0;

	mq_table_init(&tab, 7, head);
	for (q = 0; q < mq_netdev_nr_queues(dev); q++)
		queue_row(&tab, dev, dp, q, only_changed);
	if (only_changed && tab.nrows == 1) {
		mq_table_fini(&tab);
		return 0;
	}
	fprintf(f, "%s: driver %s, NUMA node %d, %zu rx / %zu tx queues, "
		"usable CPUs %s (%zu), Sum %zu, channels from %s\n", dev->name,
		dev->driver[0] ? dev->driver : "(none)", dev->numa_node,
		dev->nr_rxq, dev->nr_txq,
		mq_render_cpus(&dp->usable, usable, sizeof(usable)),
		dp->nr_order, dp->sum, mq_chan_src_name(dev->channels.source));
	ret = mq_table_print(&tab, f, "  ");
	mq_table_fini(&tab);
	return ret;
}

static void print_sysctls(FILE *f, const struct mq_report *rep,
			  bool only_changed)
{
	const struct mq_sysctls *s = &rep->m->sysctls;
	struct { const char *name; int64_t now, planned; } rows[] = {
		{ "net.core.netdev_max_backlog", s->netdev_max_backlog,
		  rep->pl->backlog },
		{ "net.core.rps_sock_flow_entries", s->rps_sock_flow_entries,
		  rep->pl->flow_entries },
	};
	size_t i;
	bool header = false;

	for (i = 0; i < 2; i++) {
		char cell[64];
		bool changed = num_cell(cell, sizeof(cell), rows[i].now,
					rows[i].planned);

		if (only_changed && !changed)
			continue;
		if (!header)
			fprintf(f, "sysctls:\n");
		header = true;
		fprintf(f, "  %-31s %s\n", rows[i].name,
			rows[i].now < 0 ? "not available here" : cell);
	}
}

static void print_summary(FILE *f, const struct mq_report *rep)
{
	const struct mq_plan *plan = rep->plan;
	size_t applied = count_changes(plan, MQ_CH_APPLIED), pending = 0, i;

	for (i = 0; i < plan->nr; i++)
		pending += plan->changes[i].state == MQ_CH_APPLIED &&
			   plan->changes[i].pending;
	if (rep->dry_run && plan->nr)
		fprintf(f, "dry run: %zu change%s planned, nothing written\n",
			plan->nr, plan->nr == 1 ? "" : "s");
	else if (rep->dry_run)
		fprintf(f, "dry run: no changes needed\n");
	else if (!rep->failure && applied)
		fprintf(f, "%zu change%s applied\n", applied,
			applied == 1 ? "" : "s");
	else if (!rep->failure)
		fprintf(f, "no changes\n");
	if (pending)
		fprintf(f, "%zu IRQ%s will move at %s next interrupt (effective "
			"affinity pending: no interrupt remapping)\n", pending,
			pending == 1 ? "" : "s", pending == 1 ? "its" : "their");
}

int mq_render_auto_text(FILE *f, const struct mq_report *rep)
{
	bool only_changed = !rep->dry_run;
	size_t i;

	/* A real run that changed nothing says so, and repeats only the
	 * warning that will make a later run change things again. */
	if (!rep->dry_run && !count_changes(rep->plan, MQ_CH_APPLIED)) {
		fprintf(f, "no changes\n");
		for (i = 0; i < rep->pl->nr_warnings; i++)
			if (strcmp(rep->pl->warnings[i].code,
				   "irqbalance-running") == 0)
				fprintf(f, "warning: %s\n",
					rep->pl->warnings[i].message);
		return ferror(f) ? -1 : 0;
	}
	for (i = 0; i < rep->m->nr_netdevs; i++)
		if (print_netdev(f, &rep->m->netdevs[i], &rep->pl->devs[i],
				 only_changed))
			return -1;
	print_sysctls(f, rep, only_changed);
	if (rep->pl->nr_warnings)
		fprintf(f, "warnings:\n");
	for (i = 0; i < rep->pl->nr_warnings; i++)
		fprintf(f, "  %s\n", rep->pl->warnings[i].message);
	print_summary(f, rep);
	return ferror(f) ? -1 : 0;
}
