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

#include "mqtune/esc.h"
#include "mqtune/table.h"
#include "mqtune/rss.h"
#include "render_int.h"

/* "now" or "now -> planned"; returns whether it changes. */
static bool set_cell(char *cell, size_t cap, const struct mq_cpuset *now,
		     const struct mq_cpuset *planned, size_t max)
{
	char b[160];
	size_t len;

	mq_render_cpus_short(now, cell, cap, max);
	if (!planned || mq_cpuset_equal(now, planned))
		return false;
	mq_render_cpus_short(planned, b, sizeof(b), max);
	len = strlen(cell);
	snprintf(cell + len, cap - len, " -> %s", b);
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

/* Append to @buf (of @cap bytes) what fits. */
static void append(char *buf, size_t cap, const char *sep, const char *text)
{
	size_t len = strlen(buf);

	if (len + 1 < cap)
		snprintf(buf + len, cap - len, "%s%s", sep, text);
}

static bool affinity_cell(const struct mq_netdev *dev,
			  const struct mq_dev_placement *dp, size_t q,
			  char *irqs, size_t irqs_cap, char *names,
			  size_t names_cap, char *aff, size_t aff_cap)
{
	const struct mq_irq *v[2];
	size_t n = mq_netdev_queue_vectors(dev, q, v), k;
	struct mq_cpuset one = { 0 };
	bool changed = false;

	irqs[0] = names[0] = aff[0] = '\0';
	if (dev->irqs_after_change) {	/* projected: re-requested later */
		snprintf(irqs, irqs_cap, "after the channel change");
		snprintf(aff, aff_cap, "-");
		return false;
	}
	if (!n) {
		snprintf(irqs, irqs_cap, "-");
		snprintf(aff, aff_cap, "-");
		return false;
	}
	if (mq_cpuset_init(&one, dev->local_cpus.nbits))
		return false;
	for (k = 0; k < n; k++) {
		size_t idx = (size_t)(v[k] - dev->irqs);
		char part[200], num[16];

		changed |= set_cell(part, sizeof(part), &v[k]->affinity,
				    planned_irq(dp, idx, &one), MQ_SET_CELL_MAX);
		if (dp->irq_managed[idx])
			snprintf(part + strlen(part), sizeof(part) - strlen(part),
				 " (managed)");
		snprintf(num, sizeof(num), "%u", v[k]->irq);
		append(irqs, irqs_cap, k ? "," : "", num);
		append(names, names_cap, k ? "," : "", v[k]->name);
		append(aff, aff_cap, k ? " / " : "", part);
	}
	mq_cpuset_fini(&one);
	return changed;
}

static void queue_row(struct mq_table *tab, const struct mq_netdev *dev,
		      const struct mq_dev_placement *dp, size_t q,
		      bool only_changed)
{
	char qs[24], home[24] = "-", irqs[64], names[300], aff[400];
	char rps[300] = "n/a", rfs[64] = "n/a", xps[300] = "n/a";
	const char *cells[8] = { qs, home, irqs, names, aff, rps, rfs, xps };
	size_t max = MQ_SET_CELL_MAX;
	bool changed;

	snprintf(qs, sizeof(qs), "%zu", q);
	if (q < dev->nr_rxq && dp->home[q] >= 0)
		snprintf(home, sizeof(home), "%d", dp->home[q]);
	changed = affinity_cell(dev, dp, q, irqs, sizeof(irqs), names, sizeof(names),
				aff, sizeof(aff));
	if (q < dev->nr_rxq && dev->rxq[q].has_rps)
		changed |= set_cell(rps, sizeof(rps), &dev->rxq[q].rps_cpus,
				    planned_rps(dev, dp, q), max);
	if (q < dev->nr_rxq)
		changed |= num_cell(rfs, sizeof(rfs), dev->rxq[q].rps_flow_cnt,
				    planned_flow(dev, dp, q));
	if (q < dev->nr_txq && dev->txq[q].has_xps)
		changed |= set_cell(xps, sizeof(xps), &dev->txq[q].xps_cpus,
				    planned_xps(dev, dp, q), max);
	if (changed || !only_changed)
		mq_table_add(tab, cells);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Whether the order holds a core of @node with an isolated thread. */
static bool near_isolated_core_left(const struct mq_machine *m,
				    const struct mq_dev_placement *dp, int node)
{
	size_t i;

	for (i = 0; i < dp->nr_order; i++)
		if ((dp->order_why[i] & MQ_HOME_NEAR_ISOLATED) &&
		    !(dp->order_why[i] & MQ_HOME_SIBLING) &&
		    m->topo.cpus[dp->order[i]].node == node)
			return true;
	return false;
}

/* Why queue @q's home is where it is (docs/policy.md, sections 2 and 3). */
static void home_reason(const struct mq_machine *m,
			const struct mq_netdev *dev,
			const struct mq_dev_placement *dp, size_t q,
			char *buf, size_t cap)
{
	unsigned int why = dp->home_why[q];
	int cpu = dp->home[q];
	int node = cpu >= 0 ? m->topo.cpus[cpu].node : -1;
	size_t len;

	if (why & MQ_HOME_MANAGED) {
		snprintf(buf, cap, "its IRQ is kernel-managed: kept on its CPU");
		return;
	}
	if (why & MQ_HOME_NO_NODE)
		snprintf(buf, cap, "a CPU of no NUMA node");
	else if ((why & MQ_HOME_REMOTE) && (why & MQ_HOME_LOCAL_EMPTY))
		snprintf(buf, cap, "remote node %d: node %d%s has no usable CPU",
			 node, dp->start_node,
			 dev->numa_node >= 0 ? " (the NIC's)" : "");
	else if (why & MQ_HOME_REMOTE)
		snprintf(buf, cap, "remote node %d: the usable CPUs of node %d "
			 "are taken", node, dp->start_node);
	else if (why & MQ_HOME_NO_NIC_NODE)
		snprintf(buf, cap, "node %d (the NIC has no NUMA node)", node);
	else
		snprintf(buf, cap, "node %d (the NIC's)", node);
	len = strlen(buf);
	if ((why & MQ_HOME_SIBLING) && !(why & MQ_HOME_NEAR_ISOLATED) &&
	    near_isolated_core_left(m, dp, node))
		snprintf(buf + len, cap - len, ", SMT sibling: the other free "
			 "cores have an isolated or excluded thread");
	else
		snprintf(buf + len, cap - len, "%s",
			 (why & MQ_HOME_SIBLING) ? ", SMT sibling: no free core left" :
			 (why & MQ_HOME_OTHER_THREAD) ?
			 ", new core (its first free thread)" : ", new core");
	len = strlen(buf);
	if (why & MQ_HOME_SHARED)
		snprintf(buf + len, cap - len, ", also a home of an earlier interface");
	len = strlen(buf);
	if (why & MQ_HOME_NEAR_ISOLATED)
		snprintf(buf + len, cap - len, ", shares its core with an isolated "
			 "or excluded CPU (no other CPU left)");
	len = strlen(buf);
	if (why & MQ_HOME_WRAPPED)
		snprintf(buf + len, cap - len, ", wrap-around: %zu rx queues, "
			 "%zu usable CPU%s", dev->nr_rxq, dp->nr_order,
			 plural(dp->nr_order));
}

/* A full CPU set as a line "    LABEL: 0-3,8 (5 CPUs)". */
static void explain_set(FILE *f, const char *label,
			const struct mq_cpuset *set)
{
	char *list = mq_cpuset_format_list(set);
	unsigned int n = mq_cpuset_weight(set);

	fprintf(f, "    %s: %s (%u CPU%s)\n", label,
		list && list[0] ? list : "-", n, plural(n));
	free(list);
}

static void explain_netdev(FILE *f, const struct mq_report *rep, size_t idx)
{
	const struct mq_machine *m = rep->m;
	const struct mq_netdev *dev = &m->netdevs[idx];
	const struct mq_dev_placement *dp = &rep->pl->devs[idx];
	const struct mq_usable_why *w = &rep->pl->why;
	char label[64], reason[300];
	size_t q;

	fprintf(f, "  why:\n");
	explain_set(f, "online", &m->topo.online);
	if (!mq_cpuset_empty(&w->isolated))
		explain_set(f, "minus isolated", &w->isolated);
	if (!mq_cpuset_empty(&w->nohz_full))
		explain_set(f, "minus nohz_full", &w->nohz_full);
	if (!mq_cpuset_empty(&w->excluded))
		explain_set(f, "minus --exclude-cpus", &w->excluded);
	if (!mq_cpuset_empty(&w->outside))
		explain_set(f, "minus those not in --cpus", &w->outside);
	if (!mq_cpuset_empty(&w->offline_named))
		explain_set(f, "--cpus names, not online (ignored)",
			    &w->offline_named);
	explain_set(f, "usable", &dp->usable);
	if (dp->chan_why[0])
		fprintf(f, "    channels: %s\n", dp->chan_why);
	fprintf(f, "    Sum %zu = min(%zu rx queue%s, %zu usable CPU%s)\n",
		dp->sum, dev->nr_rxq, plural(dev->nr_rxq), dp->nr_order,
		plural(dp->nr_order));
	for (q = 0; q < dev->nr_rxq; q++) {
		if (dp->home[q] < 0)
			continue;
		home_reason(m, dev, dp, q, reason, sizeof(reason));
		fprintf(f, "    queue %zu home CPU %d: %s\n", q, dp->home[q],
			reason);
	}
	if (dp->rps_used)
		fprintf(f, "    RPS: each queue's set from %s\n",
			rep->pl->rps_scope == MQ_RPS_SCOPE_NODE ?
			"its home's NUMA node (--rps-scope node); CPUs of "
			"nodes without a home get none" :
			"every node (--rps-scope machine)");
	else if (dp->rps)
		fprintf(f, "    RPS: not used (as many queues as usable CPUs "
			"on the homes' nodes, or --rps off)\n");
	for (q = 0; q < dev->nr_rxq; q++) {
		const struct mq_cpuset *r = planned_rps(dev, dp, q);

		if (r && !mq_cpuset_empty(r)) {
			snprintf(label, sizeof(label), "rx-%zu rps_cpus", q);
			explain_set(f, label, r);
		}
	}
	for (q = 0; q < dev->nr_txq; q++) {
		const struct mq_cpuset *x = planned_xps(dev, dp, q);

		if (x && !mq_cpuset_empty(x)) {
			snprintf(label, sizeof(label), "tx-%zu xps_cpus", q);
			explain_set(f, label, x);
		}
	}
}

/* Why the backlog target is what it is (docs/policy.md, section 11). */
static void explain_system(FILE *f, const struct mq_report *rep)
{
	const struct mq_placement *pl = rep->pl;
	int64_t cur = rep->m->sysctls.netdev_max_backlog;
	size_t i, unknown = 0;

	fprintf(f, "why the backlog:\n");
	for (i = 0; i < rep->m->nr_netdevs; i++)
		unknown += rep->m->netdevs[i].speed_mbps <= 0;
	if (pl->backlog >= 0 && pl->backlog_speed > 0)
		fprintf(f, "  net.core.netdev_max_backlog: raised to %" PRId64
			" for a %" PRId64 " Mb/s link\n", pl->backlog,
			pl->backlog_speed);
	else if (pl->backlog >= 0)
		fprintf(f, "  net.core.netdev_max_backlog: set to %" PRId64
			" (--backlog)\n", pl->backlog);
	else if (cur < 0)
		fprintf(f, "  net.core.netdev_max_backlog: not available here\n");
	else if (pl->backlog_speed > 0)
		fprintf(f, "  net.core.netdev_max_backlog: left at %" PRId64
			": already at or above the target for %" PRId64
			" Mb/s\n", cur, pl->backlog_speed);
	else if (unknown == rep->m->nr_netdevs && unknown)
		fprintf(f, "  net.core.netdev_max_backlog: left alone: link "
			"speed unknown\n");
	else
		fprintf(f, "  net.core.netdev_max_backlog: left alone: no link "
			"of 10 Gb/s or more (or --backlog keep)\n");
}

/*
 * The interface's changes that are not file writes (channels, the RSS
 * table, NAPI threads), a line each: "  channels: combined 2 -> 4".
 */
static size_t print_steps(FILE *f, const struct mq_report *rep, size_t idx,
			  bool only_changed)
{
	char esc[MQ_ESC_SIZE(200)];
	size_t i, n = 0, skip = strlen(rep->m->netdevs[idx].name) + 1;

	for (i = 0; i < rep->plan->nr; i++) {
		const struct mq_change *c = &rep->plan->changes[i];
		const char *what = strlen(c->object) > skip ? c->object + skip :
				   c->object;

		/* the RSS line says the table; a table written so that the
		 * channels can shrink is said here, before their change */
		if (c->target == MQ_T_RSS &&
		    (i + 1 >= rep->plan->nr ||
		     rep->plan->changes[i + 1].target != MQ_T_CHANNELS))
			continue;
		if (!c->step || c->dev != (int)idx ||
		    (only_changed && c->state != MQ_CH_APPLIED &&
		     c->state != MQ_CH_FAILED))
			continue;
		fprintf(f, "  %s: %s -> %s", mq_esc_text(what, esc, sizeof(esc)),
			c->old_display, c->new_display);
		if (c->state != MQ_CH_PLANNED && c->state != MQ_CH_APPLIED)
			fprintf(f, " (%s)", mq_change_state_name(c->state));
		if (c->target == MQ_T_CHANNELS && rep->dry_run)
			fprintf(f, " (the driver makes its queues and vectors "
				"again: traffic can stop for a moment)");
		fputc('\n', f);
		n++;
	}
	return n;
}

/*
 * The RSS table's line: "rss: NOW" or "rss: NOW -> PLANNED (why)"; "" when
 * no table is known or (@only_changed) it is left.  Returns whether it
 * changes.
 */
static bool rss_line(const struct mq_netdev *dev,
		     const struct mq_dev_placement *dp, bool only_changed,
		     char *line, size_t cap)
{
	char now[MQ_RSS_TEXT_MAX], want[MQ_RSS_TEXT_MAX];
	bool change = dp->rss_want && dev->rss.table;

	line[0] = '\0';
	if (dev->rss.source == MQ_RSS_SRC_NONE || (only_changed && !change))
		return false;
	if (!dev->rss.table) {
		snprintf(line, cap, "  rss: no indirection table\n");
		return false;
	}
	mq_rss_format(dev->rss.table, dev->rss.size, now, sizeof(now));
	if (change)
		snprintf(line, cap, "  rss: %s -> %s (%s)\n", now,
			 mq_rss_format(dp->rss_want, dev->rss.size, want,
				       sizeof(want)), dp->rss_reason);
	else
		snprintf(line, cap, "  rss: %s%s%s\n", now,
			 dp->rss_reason ? ": " : "",
			 dp->rss_reason ? dp->rss_reason : "");
	return change;
}

static int print_netdev(FILE *f, const struct mq_report *rep, size_t idx,
			bool only_changed)
{
	const struct mq_netdev *dev = &rep->m->netdevs[idx];
	const struct mq_dev_placement *dp = &rep->pl->devs[idx];
	bool explain = rep->explain;
	static const char *const head[] = { "QUEUE", "HOME", "IRQ", "NAME",
					    "AFFINITY", "RPS", "RFS", "XPS" };
	char usable[200], rss[2 * MQ_RSS_TEXT_MAX + 160];
	char name[MQ_ESC_SIZE(IFNAMSIZ)], drv[MQ_ESC_SIZE(sizeof(dev->driver))];
	struct mq_table tab;
	size_t q;
	int ret = 0;
	bool rss_changes = rss_line(dev, dp, only_changed, rss, sizeof(rss));

	mq_table_init(&tab, 8, head);
	for (q = 0; q < mq_netdev_nr_queues(dev); q++)
		queue_row(&tab, dev, dp, q, only_changed);
	if (only_changed && tab.nrows == 1 && !rss_changes &&
	    !mq_render_dev_step(rep->plan, (int)idx, MQ_T_CHANNELS) &&
	    !mq_render_dev_step(rep->plan, (int)idx, MQ_T_NAPI_AFFINITY)) {
		mq_table_fini(&tab);
		return 0;
	}
	fprintf(f, "%s: driver %s, NUMA node %d, %zu rx / %zu tx queues, "
		"usable CPUs %s (%zu), Sum %zu, channels from %s\n",
		mq_esc_text(dev->name, name, sizeof(name)),
		dev->driver[0] ? mq_esc_text(dev->driver, drv, sizeof(drv)) : "(none)",
		dev->numa_node,
		dev->nr_rxq, dev->nr_txq,
		mq_render_cpus_short(&dp->usable, usable, sizeof(usable),
			   explain ? 0 : 2 * MQ_SET_CELL_MAX),
		dp->nr_order, dp->sum, mq_chan_src_name(dev->channels.source));
	print_steps(f, rep, idx, only_changed);
	fputs(rss, f);
	if (tab.nrows > 1 || !only_changed)
		ret = mq_table_print(&tab, f, "  ");
	mq_table_fini(&tab);
	if (!ret && explain)
		explain_netdev(f, rep, idx);
	return ret;
}

/* Whether no interface of the run has a known link speed. */
static bool speeds_unknown(const struct mq_machine *m)
{
	size_t i;

	for (i = 0; i < m->nr_netdevs; i++)
		if (m->netdevs[i].speed_mbps > 0)
			return false;
	return m->nr_netdevs > 0;
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
		fprintf(f, "  %-31s %s%s\n", rows[i].name,
			rows[i].now < 0 ? "not available here" : cell,
			i == 0 && !changed && rows[i].now >= 0 &&
			speeds_unknown(rep->m) ? "  (left alone: link speed "
			"unknown)" : "");
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
	char esc[MQ_ESC_SIZE(1024)];
	size_t i;

	/* A real run that changed nothing says so, and repeats only the
	 * warning that will make a later run change things again. */
	if (!rep->dry_run && !count_changes(rep->plan, MQ_CH_APPLIED)) {
		fprintf(f, "no changes\n");
		for (i = 0; i < rep->pl->warnings.n; i++)
			if (strcmp(rep->pl->warnings.list[i].code,
				   "irqbalance-running") == 0)
				fprintf(f, "warning: %s\n",
					mq_esc_text(rep->pl->warnings.list[i].message,
						    esc, sizeof(esc)));
		return ferror(f) ? -1 : 0;
	}
	for (i = 0; i < rep->m->nr_netdevs; i++)
		if (print_netdev(f, rep, i, only_changed) ||
		    mq_render_napi_text(f, &rep->m->netdevs[i],
					&rep->pl->devs[i], only_changed))
			return -1;
	print_sysctls(f, rep, only_changed);
	if (rep->explain)
		explain_system(f, rep);
	if (rep->pl->warnings.n)
		fprintf(f, "warnings:\n");
	for (i = 0; i < rep->pl->warnings.n; i++)
		fprintf(f, "  %s\n", mq_esc_text(rep->pl->warnings.list[i].message,
						 esc, sizeof(esc)));
	print_summary(f, rep);
	return ferror(f) ? -1 : 0;
}
