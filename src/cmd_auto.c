/*
 * cmd_auto.c - `mqtune auto [IFACE...]`: discover, place, plan, and then
 * either show the plan (--dry-run) or apply it under the lock.
 *
 * Root is checked before anything is written, and the lock is taken
 * before discovery, so the state that is planned against is the state
 * that is changed.  When the kernel refuses an IRQ affinity write because
 * it manages that IRQ, everything written is undone, the IRQ is marked
 * managed, and the plan is made again around it.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mqtune/apply.h"
#include "mqtune/cli.h"
#include "mqtune/discover.h"
#include "mqtune/lock.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/render.h"

/*
 * Mark every IRQ whose write the kernel refused (left MQ_CH_FAILED by
 * mq_apply) as managed, on every interface that shares it.  Returns how
 * many were newly marked.
 */
static size_t mark_managed(struct mq_machine *m, const struct mq_plan *plan)
{
	size_t n = 0, c, i, k;

	for (c = 0; c < plan->nr; c++) {
		const struct mq_change *ch = &plan->changes[c];
		unsigned int irq;

		if (ch->target != MQ_T_IRQ_AFFINITY || ch->state != MQ_CH_FAILED ||
		    ch->dev < 0 || (size_t)ch->dev >= m->nr_netdevs ||
		    ch->index >= m->netdevs[ch->dev].nr_irqs)
			continue;
		irq = m->netdevs[ch->dev].irqs[ch->index].irq;
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

static int irqbalance_check(const struct mq_ctx *ctx,
			    const struct mq_machine *m,
			    struct mq_placement *pl, struct mq_diag *d)
{
	if (!m->irqbalance_pid || ctx->irqbalance == MQ_IRQBALANCE_IGNORE)
		return 0;
	if (ctx->irqbalance == MQ_IRQBALANCE_FAIL)
		return mq_diag_set(d, MQ_EXIT_REFUSED, 0,
				   "irqbalance is running (pid %d) and would undo the IRQ affinity; "
				   "stop it or use --irqbalance warn|ignore",
				   (int)m->irqbalance_pid);
	mq_placement_note(pl, "irqbalance is running (pid %d) and will move these IRQs "
			  "again: stop it (systemctl disable --now irqbalance) or ban "
			  "them (IRQBALANCE_BANNED_CPULIST / --banirq)",
			  (int)m->irqbalance_pid);
	return 0;
}

static int render(struct mq_ctx *ctx, const struct mq_report *rep)
{
	ctx->reported = true;
	if (ctx->json)
		return mq_render_auto_json(ctx->out, rep);
	if (ctx->quiet || rep->failure)
		return 0;
	return mq_render_auto_text(ctx->out, rep);
}

/*
 * Place, plan and (unless dry run) apply; re-plan around managed IRQs.
 * One apply learns every IRQ the kernel refuses, so one re-plan is the
 * rule; another comes only when the new plan moves an IRQ the first did
 * not touch.  Each round marks at least one more IRQ, so it ends.
 */
static int plan_and_apply(struct mq_ctx *ctx, struct mq_machine *m,
			  struct mq_diag *d)
{
	struct mq_placement pl;
	struct mq_plan plan;
	int ret = -1;

	for (;;) {
		struct mq_report rep = { .m = m, .pl = &pl, .plan = &plan,
					 .sysroot = ctx->sysroot,
					 .dry_run = ctx->dry_run };
		size_t managed = 0;
		int applied = 0;

		if (mq_place(m, &ctx->policy, &pl, d))
			return -1;
		if (mq_plan_build(m, &pl, &plan, d)) {
			mq_placement_fini(&pl);
			return -1;
		}
		ret = irqbalance_check(ctx, m, &pl, d);
		if (!ret && !ctx->dry_run)
			applied = mq_apply(&ctx->root, &plan, &managed, d);
		if (applied == MQ_APPLY_MANAGED && mark_managed(m, &plan)) {
			mq_plan_fini(&plan);
			mq_placement_fini(&pl);
			continue;
		}
		if (applied == MQ_APPLY_MANAGED)	/* nothing new: a bug */
			mq_diag_set(d, MQ_EXIT_RESTORED, EIO,
				    "the kernel refused %zu IRQ affinity writes already planned around",
				    managed);
		ret = ret || applied ? -1 : 0;
		rep.failure = ret ? d : NULL;
		if (render(ctx, &rep) && !ret)
			ret = mq_diag_set(d, MQ_EXIT_FAILURE, errno,
					  "writing the report failed");
		mq_plan_fini(&plan);
		mq_placement_fini(&pl);
		return ret;
	}
}

int mq_cmd_auto(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct mq_discover_opts opts = { .transport = ctx->transport,
					 .lean = !ctx->dry_run };
	char storage[IFNAMSIZ];
	const char *one = NULL;
	struct mq_machine *m = NULL;
	bool holding = false;
	sigset_t held;
	int lock = -1, ret;

	if (mq_cli_ifnames(ctx, storage, &one, d))
		return -1;
	if (!ctx->dry_run && ctx->root.live && geteuid() != 0)
		return mq_diag_set(d, MQ_EXIT_PERM, EPERM,
				   "changing IRQ affinity, RPS/XPS and sysctls needs root "
				   "(--dry-run shows the plan without it)");
	if (!ctx->dry_run) {
		lock = mq_lock_take(&ctx->root, ctx->wait_ms, d);
		if (lock < 0)
			return -1;
	}
	ret = mq_discover(&ctx->root, &opts, ctx->ifnames, ctx->nr_ifnames, &m, d);
	/*
	 * A real run holds SIGTERM, SIGINT, SIGHUP and SIGQUIT from before
	 * the first write until it has reported: the apply ends complete or
	 * undone, and says so.  A signal that came meanwhile then ends the
	 * process after a successful run; after a failure main still prints
	 * the diagnostic and exits with its status.
	 */
	if (!ret && !ctx->dry_run && mq_apply_hold_signals(&held) == 0)
		holding = true;
	if (!ret)
		ret = plan_and_apply(ctx, m, d);
	mq_machine_free(m);
	mq_lock_release(lock);
	if (holding && ret == 0) {
		fflush(ctx->out);
		mq_apply_release_signals(&held);
	}
	return ret;
}
