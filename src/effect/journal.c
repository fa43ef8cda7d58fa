/*
 * journal.c - the state file: loaded, kept from before mqtune first
 * changed each object, and replaced atomically before an apply writes.
 *
 * The order that makes a killed run safe: the originals reach the disk
 * (temporary file, fsync, rename, fsync of the directory) before the
 * first kernel file is written, and an entry is never replaced by a later
 * run's value while its object is the same.  So whatever point a run is
 * stopped at, the file holds the values from before mqtune.
 */
#include "mqtune/journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mqtune/napi_threads.h"
#include "mqtune/rss.h"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

int mq_journal_env(const struct mq_root *r, struct mq_journal_env *env)
{
	char buf[128];

	memset(env, 0, sizeof(*env));
	if (mq_root_read_word(r, MQ_BOOT_ID_PATH, buf, sizeof(buf)) == 0 && buf[0] &&
	    !(env->boot_id = strdup(buf)))
		return -1;
	if (mq_root_readlink(r, MQ_NETNS_PATH, buf, sizeof(buf)) > 0 &&
	    !(env->netns = strdup(buf))) {
		mq_journal_env_fini(env);
		return -1;
	}
	return 0;
}

void mq_journal_env_fini(struct mq_journal_env *env)
{
	free(env->boot_id);
	free(env->netns);
	env->boot_id = env->netns = NULL;
}

static int state_fail(const struct mq_root *r, struct mq_diag *d,
		      const char *cause, int err)
{
	char real[2 * MQ_PATH_MAX];

	mq_root_real_path(r, MQ_STATE_PATH, real, sizeof(real));
	return mq_diag_set(d, MQ_EXIT_STATE, err, "%s: %s", real, cause);
}

int mq_journal_load(const struct mq_root *r, struct mq_state *s,
		    struct mq_diag *d)
{
	char *text = NULL, why[160] = "";
	ssize_t n;
	int ret;

	memset(s, 0, sizeof(*s));
	n = mq_root_read_alloc(r, MQ_STATE_PATH, MQ_STATE_MAX, &text);
	if (n == -ENOENT)
		return 0;
	if (n == -ENOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (n < 0) {
		char cause[200];

		snprintf(cause, sizeof(cause), "cannot read the state file: %s",
			 n == -MQ_ENOTREG ? "not a regular file" :
			 n == -EFBIG ? "longer than a state file can be" :
			 strerror((int)-n));
		return state_fail(r, d, cause, (int)-n);
	}
	ret = mq_state_parse(text, (size_t)n, s, why, sizeof(why));
	free(text);
	if (ret == -2)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (ret) {
		char cause[320];

		snprintf(cause, sizeof(cause),
			 "corrupt state file: %s; it is left as it is: repair it by "
			 "hand or move it away (see docs/state.md)", why);
		return state_fail(r, d, cause, EINVAL);
	}
	return 0;
}

static int write_piece(void *arg, const char *text, size_t len)
{
	return mq_root_write_fd(*(int *)arg, text, len);
}

/* The state file's text, written in pieces as it is printed. */
static int print_state(int fd, void *arg)
{
	return mq_state_print(arg, write_piece, &fd);
}

int mq_journal_save(const struct mq_root *r, const struct mq_state *s,
		    struct mq_diag *d)
{
	int err;

	if (!s->nr)
		err = mq_root_remove(r, MQ_STATE_PATH);
	else
		err = mq_root_replace_with(r, MQ_STATE_PATH, 0644, print_state,
					   (void *)s);
	if (err == -ENOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (err) {
		char cause[200];

		snprintf(cause, sizeof(cause), "cannot write the state file: %s",
			 strerror(-err));
		return state_fail(r, d, cause, -err);
	}
	return 0;
}

bool mq_journal_iface_alive(const struct mq_root *r, const char *ifname,
			    int ifindex)
{
	char path[MQ_PATH_MAX];
	int64_t now;

	if (!mq_ifname_valid(ifname) ||
	    mq_path(path, sizeof(path), "/sys/class/net/%s/ifindex", ifname) ||
	    mq_root_read_s64(r, path, &now))
		return false;
	return now == ifindex;
}

/* The text a change replaces, read now when the plan did not bring it. */
static int fill_saved(const struct mq_root *r, const struct mq_plan *plan,
		      struct mq_change *c)
{
	char *raw;
	ssize_t n;

	if (c->saved || c->step)	/* a step is not a file: channel counts
					   bring their text from the plan */
		return 0;
	n = mq_root_read_alloc(r, c->path, mq_root_cpuset_max(plan->nr_cpu_ids),
			       &raw);
	if (n == -ENOMEM)
		return -1;
	if (n < 0)	/* apply meets the same failure before its write */
		return 0;
	c->saved = raw;
	c->saved_len = (size_t)n;
	return 0;
}

/* @src into @dst of @cap bytes, cut to fit (snprintf "%s" without the
 * formatting: thousands of entries on a large machine). */
static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The entry a change would make: its object as it is now. */
static void entry_for(const struct mq_machine *m, const struct mq_change *c,
		      const struct mq_journal_env *env, const char *stamp,
		      struct mq_sentry *e)
{
	memset(e, 0, sizeof(*e));
	e->target = c->target;
	copy_str(e->path, sizeof(e->path), c->path);
	if ((c->target == MQ_T_CHANNELS || c->target == MQ_T_RSS) && c->step)
		snprintf(e->path, sizeof(e->path), "/sys/class/net/%s",
			 c->step->ifname);	/* not a file: keyed so */
	if (c->target == MQ_T_NAPI_AFFINITY && c->step)	/* a thread */
		snprintf(e->path, sizeof(e->path), "/proc/%d", (int)c->step->pid);
	copy_str(e->object, sizeof(e->object), c->object);
	copy_str(e->recorded, sizeof(e->recorded), stamp);
	e->irq = -1;
	e->netns = env->netns;
	e->value = c->saved;
	if (c->dev >= 0 && (size_t)c->dev < m->nr_netdevs) {
		const struct mq_netdev *dev = &m->netdevs[c->dev];

		copy_str(e->ifname, sizeof(e->ifname), dev->name);
		e->ifindex = dev->ifindex;
		if (c->target == MQ_T_IRQ_AFFINITY && c->index < dev->nr_irqs) {
			e->irq = dev->irqs[c->index].irq;
			e->irq_name = dev->irqs[c->index].name;
		}
	}
}

/*
 * Whether @old still describes the object @now would: the same interface
 * incarnation (its ifindex now; another interface sharing the vector is
 * asked by name) and, for an IRQ, the same name.  A sysctl of the same
 * namespace always is.
 */
static bool same_object(const struct mq_root *r, const struct mq_sentry *old,
			const struct mq_sentry *now)
{
	if (old->target != now->target)
		return false;
	if (old->target == MQ_T_SYSCTL)
		return true;
	if (old->target == MQ_T_IRQ_AFFINITY &&
	    (old->irq != now->irq || !same_str(old->irq_name, now->irq_name)))
		return false;
	/* a pid used again by another thread (its name is in the object) */
	if (old->target == MQ_T_NAPI_AFFINITY && strcmp(old->object, now->object))
		return false;
	if (strcmp(old->ifname, now->ifname) == 0)
		return old->ifindex == now->ifindex;
	return mq_journal_iface_alive(r, old->ifname, old->ifindex);
}

static void stamp_now(char *buf, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, cap, "unknown");
}

/*
 * Add @e unless its object is in @s already (the original is kept), or
 * replace a stale entry of its key.  1 when added, 0 when kept, -1 (ENOMEM).
 */
static int merge_one(const struct mq_root *r, struct mq_state_index *ix,
		     struct mq_state *s, const struct mq_sentry *e)
{
	long at = mq_state_index_find(ix, s, e->netns, e->target, e->path);

	if (at >= 0 && same_object(r, &s->entries[at], e))
		return 0;
	if (mq_state_add(s, e))
		return -1;
	if (at >= 0) {	/* stale: the new entry takes its place */
		mq_sentry_fini(&s->entries[at]);
		s->entries[at] = s->entries[--s->nr];
	} else {
		mq_state_index_add(ix, s, (long)s->nr - 1);
	}
	return 1;
}

/*
 * A channel change makes the driver spread its RSS table again over the
 * new count: the table from before it is recorded with the counts, an
 * entry of its own (the same as an RSS change's), so that restore brings
 * it back even when this run is killed between the two phases.
 */
static int merge_table(const struct mq_root *r, const struct mq_machine *m,
		       const struct mq_change *channels, struct mq_sentry *e,
		       struct mq_state_index *ix, struct mq_state *s)
{
	const struct mq_netdev *dev;
	char *text;
	int ret;

	if (channels->dev < 0 || (size_t)channels->dev >= m->nr_netdevs)
		return 0;
	dev = &m->netdevs[channels->dev];
	if (!dev->rss.table || !dev->rss.size)
		return 0;	/* none, or not read (a sysroot) */
	if (!(text = mq_rss_state_text(dev->rss.table, dev->rss.size)))
		return -1;
	e->target = MQ_T_RSS;
	e->value = text;
	snprintf(e->object, sizeof(e->object), "%s rss", dev->name);
	ret = merge_one(r, ix, s, e);
	free(text);
	return ret;
}

/*
 * The NAPI thread entries of this namespace whose thread is gone
 * (threaded mode switched off, the NAPI made again: the pid is no longer
 * a thread of that name), dropped when this run records threads: nothing
 * can be written back to them, and a watch that heals channel changes
 * would pile them up.  Returns how many were dropped.
 */
static long prune_threads(const struct mq_root *r, const struct mq_plan *plan,
			  const struct mq_journal_env *env, struct mq_state *s)
{
	size_t i, kept = 0;
	long dropped = 0;
	bool any = false;

	for (i = 0; i < plan->nr && !any; i++)
		any = plan->changes[i].target == MQ_T_NAPI_AFFINITY;
	for (i = 0; any && i < s->nr; i++) {
		struct mq_sentry *e = &s->entries[i];

		if (e->target == MQ_T_NAPI_AFFINITY && same_str(e->netns, env->netns) &&
		    !mq_napi_thread_is(r, mq_sentry_thread_pid(e),
				       mq_sentry_thread_name(e))) {
			mq_sentry_fini(e);
			dropped++;
			continue;
		}
		s->entries[kept++] = *e;
	}
	if (any)
		s->nr = kept;
	return dropped;
}

/* Merge the plan's originals into @s.  Entries changed, or -1 (ENOMEM). */
static long merge(const struct mq_root *r, const struct mq_machine *m,
		  const struct mq_plan *plan, const struct mq_journal_env *env,
		  struct mq_state *s)
{
	struct mq_state_index ix;
	char stamp[24];
	long changed = 0;
	size_t i, more = 0;

	stamp_now(stamp, sizeof(stamp));
	if (!same_str(s->boot_id, env->boot_id)) {
		/* Another boot: the kernel has reset every value since. */
		changed += (long)s->nr + 1;
		while (s->nr)
			mq_sentry_fini(&s->entries[--s->nr]);
		free(s->boot_id);
		s->boot_id = env->boot_id ? strdup(env->boot_id) : NULL;
		if (env->boot_id && !s->boot_id)
			return -1;
	}
	changed += prune_threads(r, plan, env, s);
	for (i = 0; i < plan->nr; i++)	/* and a table with each channel change */
		more += plan->changes[i].target == MQ_T_CHANNELS;
	if (mq_state_reserve(s, plan->nr + more) ||
	    mq_state_index_build(&ix, s, plan->nr + more))
		return -1;
	for (i = 0; i < plan->nr && changed >= 0; i++) {
		const struct mq_change *c = &plan->changes[i];
		struct mq_sentry e;
		int added;

		if (!c->saved || !c->saved[0])
			continue;	/* apply fails on it before writing */
		entry_for(m, c, env, stamp, &e);
		added = merge_one(r, &ix, s, &e);
		if (added >= 0 && c->target == MQ_T_CHANNELS) {
			int table = merge_table(r, m, c, &e, &ix, s);

			added = table < 0 ? -1 : added + table;
		}
		changed = added < 0 ? -1 : changed + added;
	}
	mq_state_index_fini(&ix);
	return changed;
}

int mq_journal_record(const struct mq_root *r, const struct mq_machine *m,
		      struct mq_plan *plan, struct mq_placement *pl,
		      struct mq_diag *d)
{
	struct mq_journal_env env;
	struct mq_diag why;
	struct mq_state s;
	long changed;
	size_t i;
	int ret = 0;

	if (!plan->nr)
		return 0;
	for (i = 0; i < plan->nr; i++)
		if (fill_saved(r, plan, &plan->changes[i]))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (mq_journal_env(r, &env))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	mq_diag_clear(&why);
	if (mq_journal_load(r, &s, &why)) {
		mq_journal_env_fini(&env);
		if (why.status != MQ_EXIT_STATE)
			return mq_diag_set(d, why.status, why.err, "%s", why.msg);
		/* corrupt (EINVAL): left as it is; unreadable: not written */
		return mq_placement_warn(pl, why.err == EINVAL ? "state-corrupt" :
					 "state-unrecorded", "state file",
					 "%s; the values this run replaces are not "
					 "recorded, so restore cannot bring them back",
					 why.msg) ?
			mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory") : 0;
	}
	changed = merge(r, m, plan, &env, &s);
	if (changed < 0)
		ret = mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	else if (changed > 0 && mq_journal_save(r, &s, &why)) {
		if (why.status != MQ_EXIT_STATE)
			ret = mq_diag_set(d, why.status, why.err, "%s", why.msg);
		else if (mq_placement_warn(pl, "state-unrecorded", "state file",
					   "%s; the values this run replaces are "
					   "not recorded, so restore cannot bring "
					   "them back", why.msg))
			ret = mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	mq_state_fini(&s);
	mq_journal_env_fini(&env);
	return ret;
}
