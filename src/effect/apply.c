/*
 * apply.c - write a plan, verify it, and undo it all on the first failure.
 *
 * No allocation happens between the first write and the last undo except
 * for the saved copies, so running out of memory cannot leave the system
 * half changed: a failed save stops the run before its write.
 */
#include "mqtune/apply.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/step.h"

/*
 * Save the file's raw contents (as the kernel prints them) for undo, when
 * the plan did not bring them from discovery (which read them under the
 * same lock).
 */
static int save(const struct mq_root *r, const struct mq_plan *plan,
		struct mq_change *c)
{
	char *raw, why[160];

	if (c->step)
		return mq_step_save(r, c, why, sizeof(why));
	ssize_t n = mq_root_read_alloc(r, c->path,
				       mq_root_cpuset_max(plan->nr_cpu_ids),
				       &raw);

	if (n < 0)
		return (int)n;
	c->saved = raw;
	c->saved_len = (size_t)n;
	return 0;
}

/*
 * Write back what a change replaced.  A transient failure (EAGAIN from a
 * sysroot walk that raced with a rename, EINTR, EBUSY) is tried again: an
 * undo that gives up too early leaves the system half changed.
 */
#define RESTORE_TRIES 8

static int restore(const struct mq_root *r, const struct mq_change *c)
{
	int tries = 0, err;
	char why[160];

	do {
		err = c->step ? mq_step_restore(r, c, why, sizeof(why)) :
		      mq_root_write(r, c->path, c->saved, c->saved_len);
	} while ((err == -EAGAIN || err == -EINTR || err == -EBUSY) &&
		 ++tries < RESTORE_TRIES);
	return err;
}

/* Undo changes [0, upto) in reverse.  Returns how many could not be. */
static size_t undo(const struct mq_root *r, struct mq_plan *plan, size_t upto)
{
	size_t failed = 0, i = upto;

	while (i--) {
		struct mq_change *c = &plan->changes[i];

		if (c->state != MQ_CH_APPLIED)
			continue;
		if (restore(r, c) == 0) {
			c->state = MQ_CH_RESTORED;
		} else {
			c->state = MQ_CH_RESTORE_FAILED;
			failed++;
		}
	}
	return failed;
}

static int report_failure(const struct mq_root *r, struct mq_plan *plan,
			  size_t at, const char *what, int err,
			  struct mq_diag *d)
{
	struct mq_change *c = &plan->changes[at];
	size_t done = 0, left = 0, i;
	char names[384] = "", where[MQ_CHANGE_PATH_MAX + 48], what_err[200];

	/* a file: "cannot write PATH"; a step: "cannot set" */
	snprintf(where, sizeof(where), "%s%s%s", c->step ? "cannot set" : what,
		 c->path[0] ? " " : "", c->path);
	if (c->err_text)	/* the kernel's own words, after the errno's */
		snprintf(what_err, sizeof(what_err), "%s (%s)", strerror(err),
			 c->err_text);
	else
		snprintf(what_err, sizeof(what_err), "%s", strerror(err));

	undo(r, plan, plan->nr);
	for (i = 0; i < plan->nr; i++) {
		done += plan->changes[i].state == MQ_CH_RESTORED;
		left += plan->changes[i].state == MQ_CH_RESTORE_FAILED;
	}
	if (!left)
		return mq_diag_set(d, MQ_EXIT_RESTORED, err,
				   "%s: %s: %s; the %zu change%s already made %s undone",
				   c->object, where, what_err, done,
				   done == 1 ? "" : "s", done == 1 ? "was" : "were");
	for (i = 0, done = 0; i < plan->nr; i++) {
		size_t len = strlen(names);
		const char *obj = plan->changes[i].object;

		if (plan->changes[i].state != MQ_CH_RESTORE_FAILED)
			continue;
		/* Name every object while they fit, then count the rest. */
		if (len + strlen(obj) + 24 < sizeof(names))
			snprintf(names + len, sizeof(names) - len, "%s%s",
				 len ? ", " : "", obj);
		else
			done++;
	}
	if (done)
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 " and %zu more (see --json)", done);
	return mq_diag_set(d, MQ_EXIT_PARTIAL, err,
			   "%s: %s: %s; undoing failed too, left changed: %s",
			   c->object, where, what_err, names);
}

static bool kernel_managed(const struct mq_root *r, const struct mq_change *c,
			   int err)
{
	/* EIO on mainline; EPERM on newer trees (and from an immutable file,
	 * which only a sysroot test makes). */
	return c->target == MQ_T_IRQ_AFFINITY &&
	       (err == EIO || (err == EPERM && r->live));
}

/*
 * One IRQ, read back through the file just written: the requested set
 * must stick; the effective one may lag (pending) until the next
 * interrupt when there is no interrupt remapping.  Only a kernel moves
 * it: in a snapshot nothing does, so every IRQ written is pending there
 * and effective_affinity_list is not read again (a read per IRQ, 1,536
 * of them on the bench's largest machine, for an answer known already).
 */
static int verify_irq(const struct mq_root *r, const struct mq_plan *plan,
		      struct mq_change *c, const char *back)
{
	char path[MQ_CHANGE_PATH_MAX + 16];
	struct mq_cpuset want = { 0 }, now = { 0 };
	int err = -ENOMEM;

	/* the text written came back as it was: the same set, and in a
	 * snapshot (always so there) nothing more to learn */
	if (!r->live && strcmp(back, c->value) == 0) {
		c->pending = true;
		return 0;
	}
	if (mq_cpuset_init(&want, plan->nr_cpu_ids) ||
	    mq_cpuset_init(&now, plan->nr_cpu_ids))
		goto out;
	err = -EINVAL;
	if (mq_cpuset_parse_list(&want, c->value, strlen(c->value)) ||
	    mq_cpuset_parse_list(&now, back, strlen(back)) ||
	    !mq_cpuset_equal(&want, &now))
		goto out;
	err = 0;
	if (!r->live) {
		c->pending = true;
		goto out;
	}
	snprintf(path, sizeof(path), "%s", c->path);
	/* ".../smp_affinity_list" -> ".../effective_affinity_list" */
	memcpy(strrchr(path, '/') + 1, "effective_affinity_list",
	       sizeof("effective_affinity_list"));
	if (mq_root_read_cpulist(r, path, &now) == 0)
		c->pending = !mq_cpuset_intersects(&now, &want);
out:
	mq_cpuset_fini(&want);
	mq_cpuset_fini(&now);
	return err;
}

/*
 * Write one change; an IRQ's affinity is read back on the same file.
 * *@touched: the file may no longer hold what it did, also when the write
 * failed (a short write); *@mismatch: written, but the kernel kept
 * another value.
 */
static int write_change(const struct mq_root *r, const struct mq_plan *plan,
			struct mq_change *c, bool *touched, bool *mismatch)
{
	bool irq = c->target == MQ_T_IRQ_AFFINITY;
	char back[4096];
	int err;

	*mismatch = false;
	if (c->step) {
		*touched = false;	/* the kernel takes a set whole or not */
		back[0] = '\0';
		err = mq_step_write(r, c, back, sizeof(back));
		if (err && back[0] && !c->err_text)
			c->err_text = strdup(back);
		return err;
	}
	err = mq_root_write_back(r, c->path, c->value, strlen(c->value),
				 irq ? back : NULL, sizeof(back), touched);
	if (err || !irq)
		return err;
	err = verify_irq(r, plan, c, back);
	*mismatch = err != 0;
	return err;
}

size_t mq_apply_undo(const struct mq_root *r, struct mq_plan *plan)
{
	sigset_t old;
	size_t failed;
	bool held = mq_apply_hold_signals(&old) == 0;

	failed = undo(r, plan, plan->nr);
	if (held)
		mq_apply_release_signals(&old);
	return failed;
}

void mq_apply_signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}

int mq_apply_hold_signals(sigset_t *old)
{
	sigset_t set;

	mq_apply_signal_set(&set);
	return sigprocmask(SIG_BLOCK, &set, old);
}

void mq_apply_release_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

static int apply_held(const struct mq_root *r, struct mq_plan *plan,
		      size_t *nr_managed, struct mq_diag *d)
{
	size_t i, refused = 0, first = 0;
	int err;

	for (i = 0; i < plan->nr; i++) {
		struct mq_change *c = &plan->changes[i];
		bool touched, mismatch;

		/* After a managed IRQ everything is undone and planned again:
		 * only the other IRQ writes still go ahead, to learn every IRQ
		 * the kernel refuses in this one pass. */
		if (refused && c->target != MQ_T_IRQ_AFFINITY)
			continue;
		err = c->saved ? 0 : save(r, plan, c);
		if (err)
			return report_failure(r, plan, i, "cannot read", -err, d);
		err = write_change(r, plan, c, &touched, &mismatch);
		if (!err) {
			c->state = MQ_CH_APPLIED;
			continue;
		}
		if (mismatch) {	/* written, but the kernel kept another value */
			c->state = MQ_CH_APPLIED;
			return report_failure(r, plan, i,
					      "did not keep the value written to",
					      -err, d);
		}
		c->state = MQ_CH_FAILED;
		c->err = -err;
		/* A short write changed the file: it is undone like the rest. */
		if (touched && restore(r, c))
			c->state = MQ_CH_RESTORE_FAILED;
		if (kernel_managed(r, c, -err) && c->state == MQ_CH_FAILED) {
			if (!refused++)
				first = i;
			continue;
		}
		return report_failure(r, plan, i, "cannot write", -err, d);
	}
	if (!refused)
		return 0;
	if (undo(r, plan, plan->nr))	/* left half-changed */
		return report_failure(r, plan, first, "cannot write",
				      plan->changes[first].err, d);
	*nr_managed = refused;
	return MQ_APPLY_MANAGED;
}

/*
 * SIGTERM, SIGINT, SIGHUP and SIGQUIT wait from the first write to the
 * last write or undo: a signal then ends the run after an apply that is
 * complete or completely undone, never half-way.
 */
int mq_apply(const struct mq_root *r, struct mq_plan *plan,
	     size_t *nr_managed, struct mq_diag *d)
{
	sigset_t old;
	int ret;

	if (mq_apply_hold_signals(&old) < 0)
		return mq_diag_set(d, MQ_EXIT_FAILURE, errno,
				   "cannot hold signals during the apply: %s",
				   strerror(errno));
	ret = apply_held(r, plan, nr_managed, d);
	mq_apply_release_signals(&old);
	return ret;
}
