/*
 * cmd_doctor.c - `mqtune doctor [IFACE...]`: read the machine, judge it
 * (core/doctor.c), report; the exit status is the worst severity (15
 * warn, 16 crit).  Reads only: nothing is written, no lock is taken.
 */
#include "mqtune/cli.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "mqtune/discover.h"
#include "mqtune/doctor.h"
#include "mqtune/doctor_read.h"
#include "mqtune/doctor_render.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/route.h"

#include "pipeline.h"

static void sleep_s(unsigned int s)
{
	struct timespec ts = { .tv_sec = s };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The interfaces named, else the default route's; none is no failure. */
static size_t doctor_ifnames(struct mq_ctx *ctx, char storage[IFNAMSIZ],
			     const char **one, struct mq_doc_facts *f)
{
	struct mq_diag d;

	if (ctx->nr_ifnames)
		return ctx->nr_ifnames;
	mq_diag_clear(&d);
	if (mq_default_route_ifname(&ctx->root, storage, &d)) {
		mq_doc_note(f, "NIC findings skipped: %s",
			    d.msg);
		return 0;
	}
	*one = storage;
	ctx->ifnames = one;
	return ctx->nr_ifnames = 1;
}

/* One change of the plan counted against its interface's facts. */
static void count_change(const struct mq_change *ch, struct mq_doc_nic *nic)
{
	switch (ch->target) {
	case MQ_T_IRQ_AFFINITY:
		nic->drift_irq++;
		break;
	case MQ_T_RPS_CPUS:
		nic->drift_rps++;
		break;
	case MQ_T_RPS_FLOW_CNT:
		nic->drift_flow++;
		break;
	case MQ_T_XPS_CPUS:
		nic->drift_xps++;
		break;
	case MQ_T_SYSCTL:	/* machine-wide: counted once, drift_sysctl */
		break;
	default:	/* targets added later (channels, RSS...) */
		nic->drift_other++;
		break;
	}
	if (!nic->drift_first[0])
		snprintf(nic->drift_first, sizeof(nic->drift_first), "%s: %s, planned %s",
			 ch->object, ch->old_display ? ch->old_display : "?",
			 ch->new_display ? ch->new_display : "?");
}

static struct mq_doc_nic *nic_named(struct mq_doc_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nr_nics; i++)
		if (strcmp(f->nics[i].name, name) == 0)
			return &f->nics[i];
	return NULL;
}

/*
 * nic.plan and nic.channels: mqtune's plan for the examined interfaces,
 * made exactly as `mqtune check IFACE...` makes it (the config file, the
 * managed set, the machine-wide placement, the part of these interfaces
 * and its plan), so that doctor and check never disagree.  A config file
 * or machine the policy refuses is a note, not a failure: doctor still
 * reports everything else.
 */
static void plan_homes(struct mq_ctx *ctx, struct mq_doc_facts *f)
{
	struct mq_pipeline pp;
	struct mq_diag d;
	size_t i, j, c, nsys = 0;

	mq_diag_clear(&d);
	if (!ctx->nr_ifnames || !f->nr_nics)
		return;
	if (mq_cli_config(ctx, &d)) {
		mq_doc_note(f, "no plan to compare with: %s", d.msg);
		return;
	}
	if (mq_pipeline_discover(ctx, false, false, &pp, &d)) {
		mq_doc_note(f, "no plan to compare with: %s", d.msg);
		return;
	}
	if (mq_pipeline_plan(ctx, &pp, &d)) {
		mq_doc_note(f, "no plan to compare with: %s", d.msg);
		mq_pipeline_fini(&pp);
		return;
	}
	for (c = 0; c < pp.plan.nr; c++)
		nsys += pp.plan.changes[c].dev < 0;
	for (i = 0; i < pp.part.m.nr_netdevs && i < pp.part.pl.nr_devs; i++) {
		const struct mq_netdev *dev = &pp.part.m.netdevs[i];
		const struct mq_dev_placement *dp = &pp.part.pl.devs[i];
		struct mq_doc_nic *nic = nic_named(f, dev->name);

		if (!nic)
			continue;
		for (j = 0; j < nic->nr_irqs; j++) {
			size_t k;

			for (k = 0; k < dev->nr_irqs; k++)
				if (dev->irqs[k].irq == nic->irqs[j].irq)
					nic->irqs[j].planned_cpu = dp->irq_cpu[k];
		}
		for (c = 0; c < pp.plan.nr; c++)
			if (pp.plan.changes[c].dev == (int)i)
				count_change(&pp.plan.changes[c], nic);
		nic->drift_sysctl = nsys;
		for (c = 0; !nic->drift_first[0] && c < pp.plan.nr; c++)
			if (pp.plan.changes[c].dev < 0)
				count_change(&pp.plan.changes[c], nic);
		nic->have_plan = true;
		nic->usable_cpus = mq_cpuset_weight(&dp->usable);
		nic->sum = dp->sum;
	}
	mq_pipeline_fini(&pp);
}

static int report(struct mq_ctx *ctx, const struct mq_findings *fs,
		  const struct mq_doc_facts *f, struct mq_diag *d)
{
	enum mq_sev worst = mq_findings_worst(fs);
	size_t i, nw = 0, nc = 0;
	int ret = 0;

	ctx->reported = true;
	if (ctx->json)
		ret = mq_render_doctor_json(ctx->out, fs, f, ctx->sysroot,
					    ctx->pretty);
	else if (!ctx->quiet)
		ret = mq_render_doctor_text(ctx->out, fs, f, false);
	if (mq_cli_report_done(ctx, ret, d))
		return -1;
	for (i = 0; i < fs->nr; i++) {
		nw += fs->v[i].sev == MQ_SEV_WARN;
		nc += fs->v[i].sev == MQ_SEV_CRIT;
	}
	if (worst == MQ_SEV_CRIT)
		return mq_diag_set(d, MQ_EXIT_DOCTOR_CRIT, 0,
				   "doctor: %zu critical and %zu warning findings",
				   nc, nw);
	if (worst == MQ_SEV_WARN)
		return mq_diag_set(d, MQ_EXIT_DOCTOR_WARN, 0,
				   "doctor: %zu warning findings", nw);
	return 0;
}

int mq_cmd_doctor(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport };
	struct mq_doc_facts f, prev;
	struct mq_findings fs = { 0 };
	char storage[IFNAMSIZ];
	const char *one = NULL;
	struct mq_machine *m = NULL;
	size_t n, i;
	int ret = -1;

	if (ctx->auto_option[0])
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "doctor: %s is an option of auto, not of doctor",
				   ctx->auto_option);
	for (i = 0; i < ctx->nr_ifnames; i++)
		if (!ctx->ifnames[i][0])
			return mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
					   "empty interface name");
	mq_doc_facts_init(&f);
	mq_doc_facts_init(&prev);
	n = doctor_ifnames(ctx, storage, &one, &f);
	if (mq_discover(&ctx->root, &opts, ctx->ifnames, n, &m, d))
		goto out;
	if (ctx->interval_s) {
		if (mq_doctor_read_counters(&ctx->root, m, &prev, d))
			goto out;
		sleep_s(ctx->interval_s);
	}
	if (mq_doctor_read_counters(&ctx->root, m, &f, d) ||
	    mq_doctor_read_state(&ctx->root, m, &f, d))
		goto out;
	if (ctx->interval_s)
		mq_doc_facts_delta(&f, &prev, ctx->interval_s);
	plan_homes(ctx, &f);
	if (mq_doctor_rules(&f, &fs, d))
		goto out;
	ret = report(ctx, &fs, &f, d);
out:
	mq_findings_fini(&fs);
	mq_doc_facts_fini(&prev);
	mq_doc_facts_fini(&f);
	mq_machine_free(m);
	return ret;
}
