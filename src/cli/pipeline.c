/*
 * pipeline.c - the steps `auto` and `check` share: the managed set,
 * discovery of all of it, the machine-wide placement, the run's part and
 * its plan.
 */
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mqtune/apply.h"
#include "mqtune/discover.h"
#include "mqtune/channels.h"
#include "mqtune/journal.h"
#include "mqtune/putback.h"

int mq_pipeline_discover(struct mq_ctx *ctx, bool all, bool lean,
			 struct mq_pipeline *pp, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport,
					 .lean = lean };
	memset(pp, 0, sizeof(*pp));
	pp->all = all;
	pp->lean = lean;
	if (mq_managed_set(ctx, all, &pp->set, d))
		return -1;
	if (mq_discover(&ctx->root, &opts, pp->set.ptrs, pp->set.nr, &pp->m, d)) {
		mq_ifset_fini(&pp->set);
		return -1;
	}
	/* "bond0 → eth0, eth1": a warning of the interface it stands for */
	if (mq_ifset_attach_notes(&pp->set, pp->m, d)) {
		mq_pipeline_fini(pp);
		return -1;
	}
	/* each interface's policy: its config sections, the command line */
	if (mq_config_policies(&ctx->config, &ctx->cmdline, pp->m, &pp->pols, d)) {
		mq_pipeline_fini(pp);
		return -1;
	}
	pp->per_dev = pp->pols.per_dev;
	/* the global one: for the sysctls when no interface is placed */
	if (mq_config_netdev_policy(&ctx->config, &ctx->cmdline, NULL,
				    pp->m->topo.nr_cpu_ids, &pp->global, d)) {
		mq_pipeline_fini(pp);
		return -1;
	}
	return 0;
}

/*
 * The channel steps of a plan of the machine as it is: each MQ_T_CHANNELS
 * change, with the RSS table change plan_channels() put right before it.
 * Moved into @out (the rest of @from is released).
 */
static int take_steps(struct mq_plan *from, struct mq_plan *out,
		      struct mq_diag *d)
{
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	out->nr_cpu_ids = from->nr_cpu_ids;
	out->changes = calloc(from->nr ? from->nr : 1, sizeof(*out->changes));
	if (!out->changes)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	for (i = 0; i < from->nr; i++) {
		struct mq_change *c = &from->changes[i];
		bool step = c->target == MQ_T_CHANNELS ||
			    (c->target == MQ_T_RSS && i + 1 < from->nr &&
			     from->changes[i + 1].target == MQ_T_CHANNELS &&
			     from->changes[i + 1].dev == c->dev);

		if (!step)
			continue;
		out->changes[n++] = *c;
		memset(c, 0, sizeof(*c));	/* moved: nothing left to free */
	}
	out->nr = n;
	mq_plan_fini(from);
	return 0;
}

/* @steps first, then @rest, into @out; both arrays given up. */
static int join_plans(struct mq_plan *steps, struct mq_plan *rest,
		      struct mq_plan *out, struct mq_diag *d)
{
	struct mq_change *all = calloc(steps->nr + rest->nr + 1, sizeof(*all));

	if (!all) {
		mq_plan_fini(steps);
		mq_plan_fini(rest);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	if (steps->nr)
		memcpy(all, steps->changes, steps->nr * sizeof(*all));
	if (rest->nr)
		memcpy(all + steps->nr, rest->changes, rest->nr * sizeof(*all));
	out->nr_cpu_ids = rest->nr_cpu_ids ? rest->nr_cpu_ids : steps->nr_cpu_ids;
	out->nr = steps->nr + rest->nr;
	out->changes = all;
	free(steps->changes);
	free(rest->changes);
	memset(steps, 0, sizeof(*steps));
	memset(rest, 0, sizeof(*rest));
	return 0;
}

/*
 * The run changes channels: its channel steps come from the plan of the
 * machine as it is; everything else is placed and planned on the machine
 * as it will be (project.h), so that a dry run shows the homes the new
 * queues get, and `check` the drift the change would mend.
 */
static int plan_projected(struct mq_pipeline *pp, struct mq_diag *d)
{
	struct mq_part now_part;
	struct mq_plan now_plan, steps, rest;

	if (mq_part_make(pp->m, &pp->pl, pp->set.selected, &now_part, d))
		return -1;
	if (mq_plan_build(&now_part.m, &now_part.pl, &now_plan, d)) {
		mq_part_fini(&now_part);
		return -1;
	}
	mq_part_fini(&now_part);
	if (take_steps(&now_plan, &steps, d))
		return -1;
	pp->pl_now = pp->pl;
	memset(&pp->pl, 0, sizeof(pp->pl));
	if (mq_project_channels(pp->m, &pp->pl_now, &pp->proj, d))
		goto fail_steps;
	pp->projected = true;
	if (mq_place_each(&pp->proj.m, pp->per_dev, &pp->pl, d))
		goto fail_proj;
	if (mq_part_make(&pp->proj.m, &pp->pl, pp->set.selected, &pp->part, d))
		goto fail_pl;
	if (mq_plan_build(&pp->part.m, &pp->part.pl, &rest, d))
		goto fail_part;
	pp->nr_steps = steps.nr;
	if (join_plans(&steps, &rest, &pp->plan, d))
		goto fail_part;
	return 0;
fail_part:
	mq_part_fini(&pp->part);
fail_pl:
	mq_placement_fini(&pp->pl);
fail_proj:
	mq_projection_fini(&pp->proj);
	pp->projected = false;
fail_steps:
	mq_plan_fini(&steps);
	pp->pl = pp->pl_now;
	memset(&pp->pl_now, 0, sizeof(pp->pl_now));
	mq_placement_fini(&pp->pl);
	return -1;
}

int mq_pipeline_plan(struct mq_ctx *ctx, struct mq_pipeline *pp,
		     struct mq_diag *d)
{
	(void)ctx;
	/* no interface at all: the [global] and command line's sysctl values */
	if (pp->m->nr_netdevs ? mq_place_each(pp->m, pp->per_dev, &pp->pl, d) :
	    mq_place(pp->m, &pp->global.policy, &pp->pl, d))
		return -1;
	pp->nr_steps = 0;
	if (mq_placement_changes_channels(&pp->pl)) {
		if (plan_projected(pp, d))
			return -1;
		pp->planned = true;
		return 0;
	}
	if (mq_part_make(pp->m, &pp->pl, pp->set.selected, &pp->part, d)) {
		mq_placement_fini(&pp->pl);
		return -1;
	}
	if (mq_plan_build(&pp->part.m, &pp->part.pl, &pp->plan, d)) {
		mq_part_fini(&pp->part);
		mq_placement_fini(&pp->pl);
		return -1;
	}
	pp->planned = true;
	return 0;
}

void mq_pipeline_unplan(struct mq_pipeline *pp)
{
	if (!pp->planned)
		return;
	mq_plan_fini(&pp->plan);
	mq_part_fini(&pp->part);
	mq_placement_fini(&pp->pl);
	if (pp->projected) {
		mq_placement_fini(&pp->pl_now);
		mq_projection_fini(&pp->proj);
		pp->projected = false;
	}
	pp->nr_steps = 0;
	pp->planned = false;
}

void mq_pipeline_fini(struct mq_pipeline *pp)
{
	mq_pipeline_unplan(pp);
	mq_policies_fini(&pp->pols);
	mq_dev_policy_fini(&pp->global);
	mq_machine_free(pp->m);
	mq_machine_free(pp->before);
	mq_ifset_fini(&pp->set);
	memset(pp, 0, sizeof(*pp));
}

/* ---- plan and apply, around kernel-managed IRQs ---- */

/*
 * Mark every IRQ whose write the kernel refused (left MQ_CH_FAILED by
 * mq_apply) as managed, on every interface of the machine @m that lists
 * it.  @part: the machine the plan's device indexes refer to.  Returns how
 * many were newly marked.
 */
static size_t mark_managed(struct mq_machine *m, const struct mq_machine *part,
			   const struct mq_plan *plan)
{
	size_t n = 0, c, i, k;

	for (c = 0; c < plan->nr; c++) {
		const struct mq_change *ch = &plan->changes[c];
		unsigned int irq;

		if (ch->target != MQ_T_IRQ_AFFINITY || ch->state != MQ_CH_FAILED ||
		    ch->dev < 0 || (size_t)ch->dev >= part->nr_netdevs ||
		    ch->index >= part->netdevs[ch->dev].nr_irqs)
			continue;
		irq = part->netdevs[ch->dev].irqs[ch->index].irq;
		for (i = 0; i < m->nr_netdevs; i++)
			for (k = 0; k < m->netdevs[i].nr_irqs; k++) {
				struct mq_irq *q = &m->netdevs[i].irqs[k];

				if (q->irq == irq && q->user_settable) {
					q->user_settable = false;
					n++;
				}
			}
	}
	return n;
}

/* IRQs the placement puts on a CPU: what irqbalance could move away. */
static size_t placed_irqs(const struct mq_machine *m,
			  const struct mq_placement *pl)
{
	size_t i, k, n = 0;

	for (i = 0; i < m->nr_netdevs && i < pl->nr_devs; i++)
		for (k = 0; k < m->netdevs[i].nr_irqs; k++)
			n += pl->devs[i].irq_cpu[k] >= 0;
	return n;
}

/*
 * A running irqbalance matters only for the IRQs this run places: with
 * none (veth, tun, every vector kernel-managed) there is nothing it could
 * undo, so neither a refusal nor a warning.
 */
static int irqbalance_check(const struct mq_ctx *ctx,
			    const struct mq_machine *m,
			    struct mq_placement *pl, struct mq_diag *d)
{
	size_t n;

	if (!m->irqbalance_pid || ctx->irqbalance == MQ_IRQBALANCE_IGNORE)
		return 0;
	n = placed_irqs(m, pl);
	if (!n)
		return 0;
	if (ctx->irqbalance == MQ_IRQBALANCE_FAIL)
		return mq_diag_set(d, MQ_EXIT_REFUSED, 0,
				   "irqbalance is running (pid %d) and would undo the affinity "
				   "of the %zu IRQ%s placed here; stop it or use "
				   "--irqbalance warn|ignore",
				   (int)m->irqbalance_pid, n, n == 1 ? "" : "s");
	mq_placement_warn(pl, "irqbalance-running", "irqbalance",
			  "irqbalance is running (pid %d) and may move the %zu IRQ%s "
			  "placed here: stop it (systemctl disable --now irqbalance) or "
			  "ban them (IRQBALANCE_BANNED_CPULIST / --banirq)",
			  (int)m->irqbalance_pid, n, n == 1 ? "" : "s");
	return 0;
}

/*
 * One apply learns every IRQ the kernel refuses, so one re-plan is the
 * rule; another comes only when the new plan moves an IRQ the first did
 * not touch.  Each round marks at least one more IRQ, so it ends.
 * Without channel steps in the plan.
 */
static int apply_files(struct mq_ctx *ctx, struct mq_pipeline *pp, bool apply,
		       struct mq_diag *d)
{
	for (;;) {
		size_t managed = 0;
		int ret, applied = 0;

		if (mq_pipeline_plan(ctx, pp, d))
			return -1;
		ret = irqbalance_check(ctx, &pp->part.m, &pp->part.pl, d);
		/* the originals reach the state file before the first write */
		if (!ret && apply)
			ret = mq_journal_record(&ctx->root, &pp->part.m, &pp->plan,
						&pp->part.pl, d);
		if (!ret && apply && !pp->nr_steps)
			applied = mq_apply(&ctx->root, &pp->plan, &managed, d);
		if (applied == MQ_APPLY_MANAGED &&
		    mark_managed(pp->m, &pp->part.m, &pp->plan)) {
			mq_pipeline_unplan(pp);
			continue;
		}
		if (applied == MQ_APPLY_MANAGED)	/* nothing new: a bug */
			mq_diag_set(d, MQ_EXIT_RESTORED, EIO,
				    "the kernel refused %zu IRQ affinity writes already planned around",
				    managed);
		return ret || applied ? -1 : 0;
	}
}

/* ---- a run that changes channels ---- */

#define SETTLE_STEP_MS 100
#define SETTLE_MAX_MS 5000

bool mq_cli_settle_pause(long *waited)
{
	struct timespec ts = { 0, SETTLE_STEP_MS * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	*waited += SETTLE_STEP_MS;
	return *waited >= SETTLE_MAX_MS;
}

/*
 * Discover the set again (as @pp was) into @cur once the channel change
 * has settled (at most mq_cli_settle_pause()'s maximum; then as it is).
 */
static int settle_discover(struct mq_ctx *ctx, const struct mq_pipeline *pp,
			   const struct mq_plan *steps, bool saved,
			   struct mq_pipeline *cur, struct mq_diag *d)
{
	struct mq_pipeline prev;
	long waited = 0;
	bool have_prev = false, last;

	for (;;) {
		last = mq_cli_settle_pause(&waited);
		if (mq_pipeline_discover(ctx, pp->all, pp->lean, cur, d)) {
			if (have_prev)
				mq_pipeline_fini(&prev);
			return -1;
		}
		if (have_prev && (mq_plan_settled(prev.m, cur->m, steps, saved) ||
				  last)) {
			mq_pipeline_fini(&prev);
			return 0;
		}
		if (have_prev)
			mq_pipeline_fini(&prev);
		prev = *cur;
		have_prev = true;
	}
}

/*
 * The discovery after the channel change replaces @pp (unplanned); the
 * machine before it becomes pp->before, for setting things back.
 */
static int rediscover(struct mq_ctx *ctx, struct mq_pipeline *pp,
		      const struct mq_plan *steps, struct mq_diag *d)
{
	struct mq_pipeline cur;
	size_t i;

	if (settle_discover(ctx, pp, steps, false, &cur, d))
		return -1;
	mq_pipeline_unplan(pp);
	cur.before = pp->m;
	pp->m = NULL;
	mq_pipeline_fini(pp);
	*pp = cur;
	for (i = 0; i < steps->nr; i++) {
		const struct mq_change *c = &steps->changes[i];
		size_t k;

		if (c->target != MQ_T_CHANNELS || !c->step)
			continue;
		for (k = 0; k < pp->m->nr_netdevs; k++)
			if (strcmp(pp->m->netdevs[k].name, c->step->ifname) == 0)
				pp->m->netdevs[k].channels_changed = true;
	}
	return 0;
}

/*
 * The second phase plans with the counts as they now are: an interface
 * whose driver did not take the counts set is left at what it took (it
 * would be changed again and again otherwise).
 */
static void keep_channels(struct mq_pipeline *pp, const struct mq_plan *steps)
{
	size_t i, k;

	for (i = 0; i < steps->nr; i++) {
		const struct mq_change *c = &steps->changes[i];

		if (c->target != MQ_T_CHANNELS || !c->step)
			continue;
		for (k = 0; k < pp->m->nr_netdevs && k < pp->pols.nr; k++)
			if (strcmp(pp->m->netdevs[k].name, c->step->ifname) == 0 &&
			    !mq_channels_equal(&pp->m->netdevs[k].channels,
					       &c->step->chan_want))
				pp->pols.devs[k].policy.channels = MQ_CHANNELS_KEEP;
	}
}

/* Say where the driver did not take the counts exactly. */
static void counts_taken(struct mq_pipeline *pp, const struct mq_plan *steps)
{
	size_t i;

	for (i = 0; i < steps->nr; i++) {
		const struct mq_change *c = &steps->changes[i];
		const struct mq_netdev *dev;
		char want[48], got[48];

		if (c->target != MQ_T_CHANNELS || !c->step ||
		    c->state != MQ_CH_APPLIED)
			continue;
		dev = mq_machine_netdev(pp->m, c->step->ifname);
		if (!dev || mq_channels_equal(&dev->channels, &c->step->chan_want))
			continue;
		mq_placement_warn(&pp->part.pl, "channels-not-taken", dev->name,
				  "%s: channels set to %s, the driver shows %s",
				  dev->name,
				  mq_channels_text(&c->step->chan_want, want, sizeof(want)),
				  mq_channels_text(&dev->channels, got, sizeof(got)));
	}
}

void mq_cli_put_back(struct mq_ctx *ctx, const struct mq_machine *before,
		     const struct mq_machine *now, const struct mq_plan *steps,
		     char *extra, size_t cap)
{
	const char *names[64];
	struct mq_plan back;
	struct mq_diag why;
	size_t n = 0, i, managed = 0;

	mq_diag_clear(&why);
	for (i = 0; i < steps->nr && n < 64; i++)
		if (steps->changes[i].target == MQ_T_CHANNELS)
			names[n++] = steps->changes[i].step->ifname;
	if (mq_plan_put_back(before, now, names, n, &back, &why)) {
		snprintf(extra, cap, "; the channel counts were set back, not the "
			 "settings of their vectors and queues (%.200s)", why.msg);
		return;
	}
	if (back.nr && mq_apply(&ctx->root, &back, &managed, &why))
		snprintf(extra, cap, "; the channel counts were set back, but not "
			 "the settings of their new vectors and queues (%.200s)",
			 why.msg);
	else
		snprintf(extra, cap, "; the channel counts were set back, with %zu "
			 "setting%s of their vectors and queues",
			 back.nr, back.nr == 1 ? "" : "s");
	mq_plan_fini(&back);
}

/*
 * The second phase failed and was undone: set the counts back, and the
 * vectors and queues the driver made again as they were before the run.
 * Adds to @d's message what could not be put back.
 */
static void undo_channels(struct mq_ctx *ctx, struct mq_pipeline *pp,
			  struct mq_plan *steps, struct mq_diag *d)
{
	struct mq_pipeline now;
	struct mq_diag why;
	size_t left;
	char extra[MQ_DIAG_MSG_MAX] = "";

	left = mq_apply_undo(&ctx->root, steps);
	mq_diag_clear(&why);
	if (left) {
		snprintf(extra, sizeof(extra),
			 "; the channel counts of %zu interface%s could not be set back",
			 left, left == 1 ? "" : "s");
	} else if (settle_discover(ctx, pp, steps, true, &now, &why) == 0) {
		/* without the second discovery, pp->m is the machine before */
		mq_cli_put_back(ctx, pp->before ? pp->before : pp->m, now.m, steps,
				extra, sizeof(extra));
		mq_pipeline_fini(&now);
	} else {
		snprintf(extra, sizeof(extra),
			 "; the channel counts were set back, their vectors not (%.200s)",
			 why.msg);
	}
	if (extra[0] && strlen(d->msg) + strlen(extra) < sizeof(d->msg))
		strcat(d->msg, extra);
	if (left)
		d->status = MQ_EXIT_PARTIAL;
}

/*
 * Channels first, because drivers free and request their vectors again
 * and reset their settings: the channel steps (phase 1), a discovery once
 * the change has settled, then everything else planned on the new
 * vectors (phase 2).  A failure in phase 2 sets the counts back too.
 * The signals an apply holds are held through both phases.
 */
static int apply_with_channels(struct mq_ctx *ctx, struct mq_pipeline *pp,
			       struct mq_diag *d)
{
	struct mq_plan steps = { 0 }, rest = { 0 }, done;
	size_t managed = 0, i;
	sigset_t old;
	int ret;

	if (mq_apply_hold_signals(&old))
		return mq_diag_set(d, MQ_EXIT_FAILURE, errno,
				   "cannot hold signals during the apply: %s",
				   strerror(errno));
	/* phase 1: move the steps out of the plan */
	steps.nr_cpu_ids = pp->plan.nr_cpu_ids;
	steps.changes = calloc(pp->nr_steps + 1, sizeof(*steps.changes));
	if (!steps.changes) {
		mq_apply_release_signals(&old);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	for (i = 0; i < pp->nr_steps; i++)
		steps.changes[i] = pp->plan.changes[i];
	steps.nr = pp->nr_steps;
	memmove(pp->plan.changes, pp->plan.changes + steps.nr,
		(pp->plan.nr - steps.nr) * sizeof(*pp->plan.changes));
	pp->plan.nr -= steps.nr;
	pp->nr_steps = 0;
	ret = mq_apply(&ctx->root, &steps, &managed, d);
	if (!ret) {	/* phase 2 */
		ret = rediscover(ctx, pp, &steps, d);
		if (!ret) {
			keep_channels(pp, &steps);
			ret = apply_files(ctx, pp, true, d);
		}
		if (pp->planned)
			counts_taken(pp, &steps);
		if (ret)
			undo_channels(ctx, pp, &steps, d);
	}
	/* the report: the steps, then phase 2's changes */
	if (pp->planned) {
		rest = pp->plan;
		memset(&pp->plan, 0, sizeof(pp->plan));
		if (join_plans(&steps, &rest, &done, ret ? NULL : d) == 0)
			pp->plan = done;
	} else {
		mq_plan_fini(&steps);
	}
	mq_apply_release_signals(&old);
	return ret ? -1 : 0;
}

int mq_pipeline_apply(struct mq_ctx *ctx, struct mq_pipeline *pp, bool apply,
		      struct mq_diag *d)
{
	if (apply_files(ctx, pp, apply, d))
		return -1;
	if (!apply || !pp->nr_steps)
		return 0;
	return apply_with_channels(ctx, pp, d);
}
