/*
 * apply.h - write a plan, all or nothing.
 */
#ifndef MQTUNE_APPLY_H
#define MQTUNE_APPLY_H

#include <signal.h>

#include "mqtune/diag.h"
#include "mqtune/plan.h"
#include "mqtune/root.h"

#define MQ_APPLY_MANAGED 1

/**
 * mq_apply() - write every change of @plan, in order.
 *
 * Each file's raw contents are saved just before it is written.  When a
 * write fails, every change already written is restored from what was
 * saved, in reverse order.  After the writes, each IRQ's
 * smp_affinity_list is read back (a mismatch is a failure, undone like
 * one) and its effective_affinity_list is checked: without interrupt
 * remapping the effective CPU moves only at the next interrupt, which is
 * reported as pending, not as a failure.
 *
 * Return: 0 when everything was written; MQ_APPLY_MANAGED when the kernel
 * refused IRQ affinity writes because it manages those IRQs (EIO, or
 * EPERM on a live system): the other IRQ writes were still tried, to
 * learn every such IRQ in one pass, then everything was undone;
 * *@nr_managed says how many, and each refused change is left in state
 * MQ_CH_FAILED (with its errno), so the caller can plan around them.
 * -1 with @d set to MQ_EXIT_RESTORED (every change undone) or
 * MQ_EXIT_PARTIAL (naming what is left changed).
 *
 * SIGTERM, SIGINT, SIGHUP and SIGQUIT are held (blocked) from the first
 * write to the last write or undo, so that they end the run after an
 * apply that is complete or completely undone; they take effect when the
 * caller's signal mask is back (at return, unless the caller holds them
 * too, with mq_apply_hold_signals(), to report first).
 */
int mq_apply(const struct mq_root *r, struct mq_plan *plan,
	     size_t *nr_managed, struct mq_diag *d);

/*
 * Undo every change of @plan in state MQ_CH_APPLIED, in reverse order (a
 * plan mq_apply() completed, when a later step of the run failed).
 * Returns how many could not be undone (left MQ_CH_RESTORE_FAILED).
 */
size_t mq_apply_undo(const struct mq_root *r, struct mq_plan *plan);

/* Those signals: SIGTERM, SIGINT, SIGHUP and SIGQUIT, into @set. */
void mq_apply_signal_set(sigset_t *set);

/* Block those signals; *@old receives the mask to give back.  0 or -1. */
int mq_apply_hold_signals(sigset_t *old);
/* Restore the mask: a signal that came meanwhile takes effect now. */
void mq_apply_release_signals(const sigset_t *old);

#endif /* MQTUNE_APPLY_H */
