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
#include "mqtune/route.h"

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

/*
 * Where mqtune auto would put each queue vector (the default policy), for
 * nic.plan; a machine the policy refuses is a note, not a failure.
 */
static void plan_homes(struct mq_ctx *ctx, const struct mq_machine *m,
		       struct mq_doc_facts *f)
{
	struct mq_placement pl;
	struct mq_diag d;
	size_t i, j;

	mq_diag_clear(&d);
	memset(&pl, 0, sizeof(pl));
	if (!m->nr_netdevs)
		return;
	if (mq_place(m, &ctx->policy, &pl, &d)) {
		mq_doc_note(f, "no plan to compare with: %s", d.msg);
		return;
	}
	for (i = 0; i < pl.nr_devs && i < f->nr_nics; i++) {
		struct mq_doc_nic *nic = &f->nics[i];

		for (j = 0; j < nic->nr_irqs && j < m->netdevs[i].nr_irqs; j++)
			nic->irqs[j].planned_cpu = pl.devs[i].irq_cpu[j];
		nic->have_plan = nic->irqs != NULL;
		nic->usable_cpus = mq_cpuset_weight(&pl.devs[i].usable);
	}
	mq_placement_fini(&pl);
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
	plan_homes(ctx, m, &f);
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
