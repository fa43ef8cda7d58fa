/*
 * pipeline.c - the steps `auto` and `check` share: the managed set,
 * discovery of all of it, the machine-wide placement, the run's part and
 * its plan.
 */
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/apply.h"
#include "mqtune/discover.h"
#include "mqtune/journal.h"

int mq_pipeline_discover(struct mq_ctx *ctx, bool all, bool lean,
			 struct mq_pipeline *pp, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport,
					 .lean = lean };
	memset(pp, 0, sizeof(*pp));
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

int mq_pipeline_plan(struct mq_ctx *ctx, struct mq_pipeline *pp,
		     struct mq_diag *d)
{
	(void)ctx;
	/* no interface at all: the [global] and command line's sysctl values */
	if (pp->m->nr_netdevs ? mq_place_each(pp->m, pp->per_dev, &pp->pl, d) :
	    mq_place(pp->m, &pp->global.policy, &pp->pl, d))
		return -1;
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
	pp->planned = false;
}

void mq_pipeline_fini(struct mq_pipeline *pp)
{
	mq_pipeline_unplan(pp);
	mq_policies_fini(&pp->pols);
	mq_dev_policy_fini(&pp->global);
	mq_machine_free(pp->m);
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
 */
int mq_pipeline_apply(struct mq_ctx *ctx, struct mq_pipeline *pp, bool apply,
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
		if (!ret && apply)
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
