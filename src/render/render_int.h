/*
 * render_int.h - what both `auto` renderers need: the planned value of
 * each target, or "left as it is" (NULL / -1).
 */
#ifndef MQTUNE_RENDER_INT_H
#define MQTUNE_RENDER_INT_H

#include "mqtune/json.h"
#include "mqtune/render.h"

/* A warning as {"code", "object", "message"} (render_json.c). */
/*
 * Table cells hold CPU sets up to this many characters; longer ones are
 * cut (auto --explain and the JSON documents give them in full).
 */
#define MQ_SET_CELL_MAX 16

/*
 * A CPU set in ranges ("0-3,8"), cut after whole items when longer than
 * @max characters, with the total: "0-3,8,10,... (31 CPUs)".  @max 0 =
 * no limit (up to @cap).  "-" for the empty set.
 */
const char *mq_render_cpus_short(const struct mq_cpuset *set, char *buf,
				 size_t cap, size_t max);

struct json_object *mq_render_warning_json(const struct mq_warning *w);

/* Open a document with format_version, mqtune_version and sysroot. */
void mq_render_json_begin(struct mq_json_out *out, FILE *f,
			  const char *sysroot, bool pretty);

/*
 * The status members of a run's document (auto, restore): dry_run,
 * changed, status and exit_code (of @fail, or ok/0 when NULL) and error.
 */
void mq_render_json_status(struct mq_json_out *out, bool dry_run, bool changed,
			   const struct mq_diag *fail);

/* Each warning of @w as an item of the array being written. */
void mq_render_warning_items(struct mq_json_out *out, const struct mq_warnings *w);

static inline const struct mq_cpuset *
planned_rps(const struct mq_netdev *dev, const struct mq_dev_placement *dp,
	    size_t q)
{
	return dp->rps && q < dev->nr_rxq && dev->rxq[q].has_rps ?
		&dp->rps[q] : NULL;
}

static inline const struct mq_cpuset *
planned_xps(const struct mq_netdev *dev, const struct mq_dev_placement *dp,
	    size_t q)
{
	return dp->xps && q < dev->nr_txq && dev->txq[q].has_xps ?
		&dp->xps[q] : NULL;
}

static inline int64_t planned_flow(const struct mq_netdev *dev,
				   const struct mq_dev_placement *dp, size_t q)
{
	return q < dev->nr_rxq && dev->rxq[q].rps_flow_cnt >= 0 ?
		dp->flow_cnt[q] : -1;
}

/* The planned CPU of vector @i as a one-CPU set in @buf, or NULL. */
static inline const struct mq_cpuset *
planned_irq(const struct mq_dev_placement *dp, size_t i, struct mq_cpuset *buf)
{
	if (dp->irq_cpu[i] < 0)
		return NULL;
	mq_cpuset_zero(buf);
	mq_cpuset_set(buf, (unsigned int)dp->irq_cpu[i]);
	return buf;
}

/*
 * The kernel manages the affinity of this IRQ (its smp_affinity files
 * are read-only): "managed" in show and auto alike.  A vector without a
 * handler (no /proc/irq/N yet) is not managed; its affinity is null.
 */
static inline bool mq_render_irq_managed(const struct mq_irq *irq)
{
	return irq->has_affinity && !irq->user_settable;
}

/* A queue's IRQ numbers, rx (or combined) first: [], [n] or [rx, tx]. */
struct json_object *mq_render_queue_irqs(const struct mq_irq *const *v,
					 size_t n);

/* Changes whose state is @s. */
static inline size_t count_changes(const struct mq_plan *plan,
				   enum mq_change_state s)
{
	size_t i, n = 0;

	for (i = 0; i < plan->nr; i++)
		n += plan->changes[i].state == s;
	return n;
}

/* The change of @target for interface @dev of the plan, or NULL. */
const struct mq_change *mq_render_dev_step(const struct mq_plan *plan,
					   int dev, enum mq_target target);

/*
 * An interface's channel counts for `auto` and `check`: {"current": {rx,
 * tx, other, combined}, "planned": {...}, "max": {...}, "source": ...},
 * current from the plan's channel change when there is one.
 */
struct json_object *mq_render_channels_pair(const struct mq_netdev *dev,
					    const struct mq_plan *plan,
					    int idx);
/* ---- threaded NAPI threads (render_napi.c) ---- */

/*
 * The interface's threaded NAPI block of `show` (@dp NULL) or of `auto`
 * (with the planned CPUs; @only_changed: a real run's report, only the
 * threads it moves).  Prints nothing when threaded NAPI is off and no
 * thread exists.  0, or -1 when the table could not be printed.
 */
int mq_render_napi_text(FILE *f, const struct mq_netdev *dev,
			const struct mq_dev_placement *dp, bool only_changed);

/*
 * The members "napi_threaded" (the threaded file: 0, 1, 2; null when the
 * kernel has none), "napi_source" and "napi_threads" (one object per
 * thread; with @dp its affinity is {"current", "planned"}) added to @o.
 */
void mq_render_napi_json(struct json_object *o, const struct mq_netdev *dev,
			 const struct mq_dev_placement *dp);

/* The planned CPU of NAPI thread @i as a one-CPU set in @buf, or NULL. */
static inline const struct mq_cpuset *
planned_napi(const struct mq_dev_placement *dp, size_t i, struct mq_cpuset *buf)
{
	if (!dp->napi_cpu || i >= dp->nr_napi || dp->napi_cpu[i] < 0 ||
	    (unsigned int)dp->napi_cpu[i] >= buf->nbits)
		return NULL;
	mq_cpuset_zero(buf);
	mq_cpuset_set(buf, (unsigned int)dp->napi_cpu[i]);
	return buf;
}

#endif /* MQTUNE_RENDER_INT_H */
