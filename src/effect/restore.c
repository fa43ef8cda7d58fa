/*
 * restore.c - the state file's entries turned back into writes.
 *
 * An entry is written back only while it still describes the object it
 * was recorded for: the same boot, the same network namespace, the same
 * interface incarnation (its ifindex), and for an IRQ the same vector
 * (its name, and still the interface's).  Anything else is stale: it
 * would write a value over something it was never read from.
 */
#include "mqtune/restore.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/channels.h"
#include "mqtune/project.h"
#include "mqtune/rss.h"

#define GONE_WITH_COUNTS "its queue goes with the channel counts restored"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

const char *mq_rfate_name(enum mq_rfate f)
{
	switch (f) {
	case MQ_RF_WRITE:
		return "write";
	case MQ_RF_SAME:
		return "unchanged";
	case MQ_RF_STALE:
		return "stale";
	case MQ_RF_MANAGED:
		return "managed";
	}
	return "unknown";
}

static bool named(const char *const *ifnames, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(ifnames[i], name) == 0)
			return true;
	return false;
}

static struct mq_restore_item *add_item(struct mq_restore *rs, size_t entry,
					enum mq_rfate fate, const char *why)
{
	struct mq_restore_item *it = &rs->items[rs->nr++];

	memset(it, 0, sizeof(*it));
	it->entry = entry;
	it->fate = it->chosen = fate;
	it->change = -1;
	snprintf(it->why, sizeof(it->why), "%s", why ? why : "");
	return it;
}

/* Remember @name as an interface to discover, once. */
static void want_iface(struct mq_restore *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nr_ifnames; i++)
		if (strcmp(rs->ifnames[i], name) == 0)
			return;
	snprintf(rs->ifnames[rs->nr_ifnames], IFNAMSIZ, "%s", name);
	rs->ifname_ptrs[rs->nr_ifnames] = rs->ifnames[rs->nr_ifnames];
	rs->nr_ifnames++;
}

static bool iface_exists(const struct mq_root *r, const char *name)
{
	char path[MQ_PATH_MAX];
	struct stat st;

	return mq_ifname_valid(name) &&
	       mq_path(path, sizeof(path), "/sys/class/net/%s", name) == 0 &&
	       mq_root_stat(r, path, &st) == 0;
}

/* The interface entries of our namespace this run leaves in the file. */
static size_t iface_entries_left(const struct mq_restore *rs,
				 const char *const *ifnames, size_t n, bool all)
{
	size_t i, left = 0;

	for (i = 0; i < rs->state.nr && !all; i++) {
		const struct mq_sentry *e = &rs->state.entries[i];

		left += e->target != MQ_T_SYSCTL &&
			same_str(e->netns, rs->env.netns) &&
			!named(ifnames, n, e->ifname);
	}
	return left;
}

int mq_restore_select(const struct mq_root *r, const char *const *ifnames,
		      size_t n, bool all, struct mq_restore *rs,
		      struct mq_diag *d)
{
	size_t i, nr;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < n; i++)
		if (!mq_ifname_valid(ifnames[i]))
			return mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
					   "%s: not a valid interface name", ifnames[i]);
	if (mq_journal_load(r, &rs->state, d))
		return -1;
	nr = rs->state.nr;
	if (mq_journal_env(r, &rs->env) ||
	    !(rs->items = calloc(nr ? nr : 1, sizeof(*rs->items))) ||
	    !(rs->ifnames = calloc(nr ? nr : 1, sizeof(*rs->ifnames))) ||
	    !(rs->ifname_ptrs = calloc(nr ? nr : 1, sizeof(*rs->ifname_ptrs)))) {
		mq_restore_fini(rs);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	rs->other_boot = nr && !same_str(rs->state.boot_id, rs->env.boot_id);
	for (i = 0; i < nr; i++) {
		const struct mq_sentry *e = &rs->state.entries[i];

		if (rs->other_boot) {
			add_item(rs, i, MQ_RF_STALE, "recorded in another boot");
			continue;
		}
		if (!same_str(e->netns, rs->env.netns) || e->target == MQ_T_SYSCTL ||
		    (!all && !named(ifnames, n, e->ifname)))
			continue;
		if (!mq_journal_iface_alive(r, e->ifname, e->ifindex))
			add_item(rs, i, MQ_RF_STALE,
				 "the interface is gone or was re-created since");
		else {
			add_item(rs, i, MQ_RF_WRITE, NULL);
			want_iface(rs, e->ifname);
		}
	}
	if (!rs->other_boot) {
		rs->sysctls = iface_entries_left(rs, ifnames, n, all) == 0;
		for (i = 0; i < nr; i++) {
			const struct mq_sentry *e = &rs->state.entries[i];

			if (e->target != MQ_T_SYSCTL || !same_str(e->netns, rs->env.netns))
				continue;
			if (rs->sysctls)
				add_item(rs, i, MQ_RF_WRITE, NULL);
			else
				rs->sysctls_left++;
		}
	}
	for (i = 0; i < n; i++) {
		size_t k;
		bool any = false;

		for (k = 0; k < rs->nr && !any; k++)
			any = strcmp(rs->state.entries[rs->items[k].entry].ifname,
				     ifnames[i]) == 0;
		if (!any && !iface_exists(r, ifnames[i])) {
			mq_restore_fini(rs);
			return mq_diag_set(d, MQ_EXIT_NODEV, ENODEV,
					   "%s: no such network interface, and nothing "
					   "recorded for it", ifnames[i]);
		}
	}
	return 0;
}

/* Still the vector it was recorded for?  "" when so, else why not. */
static void check_irq(const struct mq_machine *m, const struct mq_sentry *e,
		      char *why, size_t cap)
{
	const struct mq_netdev *dev = mq_machine_netdev(m, e->ifname);
	size_t k;

	why[0] = '\0';
	for (k = 0; dev && k < dev->nr_irqs; k++) {
		if (dev->irqs[k].irq != (unsigned int)e->irq)
			continue;
		if (!same_str(dev->irqs[k].name, e->irq_name))
			snprintf(why, cap, "IRQ %u is another vector now",
				 dev->irqs[k].irq);
		return;
	}
	snprintf(why, cap, "IRQ %lld is no longer %s's", (long long)e->irq,
		 e->ifname);
}

/* @s without its trailing newline, for reports. */
static char *display(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return strndup(s, n);
}

/* A mask as the CPU list reports use ("-" for none), else the text. */
static char *display_of(const struct mq_restore *rs, enum mq_target t,
			const char *raw)
{
	struct mq_cpuset set = { 0 };
	char *list = NULL;

	if ((t == MQ_T_RPS_CPUS || t == MQ_T_XPS_CPUS) && rs->plan.nr_cpu_ids &&
	    mq_cpuset_init(&set, rs->plan.nr_cpu_ids) == 0 &&
	    mq_cpuset_parse_mask(&set, raw, strlen(raw)) == 0) {
		list = mq_cpuset_format_list(&set);
		if (list && !list[0]) {
			free(list);
			list = strdup("-");
		}
	}
	mq_cpuset_fini(&set);
	return list ? list : display(raw);
}

static int add_change(struct mq_restore *rs, struct mq_restore_item *it,
		      const struct mq_sentry *e)
{
	struct mq_change *c = &rs->plan.changes[rs->plan.nr];

	memset(c, 0, sizeof(*c));
	c->target = e->target;
	c->dev = -1;
	snprintf(c->path, sizeof(c->path), "%s", e->path);
	snprintf(c->object, sizeof(c->object), "%s", e->object);
	c->value = strdup(e->value);
	/* a queue file gone now, back with the channel counts restored
	 * before it: what it holds then is read (and saved) by apply */
	c->saved = it->now ? strdup(it->now) : NULL;
	c->old_display = it->now ? display_of(rs, e->target, it->now) :
			 strdup("after the channel change");
	c->new_display = display_of(rs, e->target, e->value);
	c->saved_len = c->saved ? strlen(c->saved) : 0;
	it->change = (long)rs->plan.nr++;
	return c->value && (c->saved || !it->now) && c->old_display &&
	       c->new_display ? 0 : -1;
}

/* @c's step (owned by it) for @dev, or NULL when out of memory. */
static struct mq_step *new_step(struct mq_change *c, const struct mq_netdev *dev)
{
	c->step = calloc(1, sizeof(*c->step));
	if (c->step) {
		snprintf(c->step->ifname, sizeof(c->step->ifname), "%s", dev->name);
		c->step->ifindex = dev->ifindex;
	}
	return c->step;
}

/* A table step of @dev's into @c: @want (of @size entries, 0: reset to the
 * driver's default) written, the table now kept for the undo. */
static int rss_change(struct mq_change *c, const struct mq_netdev *dev,
		      const uint32_t *want, uint32_t size, const char *object)
{
	memset(c, 0, sizeof(*c));
	c->target = MQ_T_RSS;
	c->dev = -1;
	snprintf(c->object, sizeof(c->object), "%s", object);
	if (!new_step(c, dev))
		return -1;
	c->step->transport = dev->rss.source == MQ_RSS_SRC_IOCTL ?
			     MQ_ETHTOOL_IOCTL : MQ_ETHTOOL_AUTO;
	c->step->rss_size = size;
	c->step->rss_saved_size = dev->rss.size;
	c->step->rss_saved = malloc((size_t)dev->rss.size * sizeof(uint32_t));
	c->step->rss_want = malloc((size_t)dev->rss.size * sizeof(uint32_t));
	if (!c->step->rss_saved || !c->step->rss_want)
		return -1;
	memcpy(c->step->rss_saved, dev->rss.table,
	       (size_t)dev->rss.size * sizeof(uint32_t));
	memcpy(c->step->rss_want, want, (size_t)dev->rss.size * sizeof(uint32_t));
	return 0;
}

/*
 * When the counts shrink below a queue the table names now, the kernel
 * refuses the shrink while the table counts as set by a user: it is reset
 * to the driver's default first, right before the counts (a step of no
 * entry of its own; a recorded table is written after them).
 * 0, or -1 (ENOMEM).
 */
static int plan_shrink_reset(struct mq_restore *rs, const struct mq_netdev *dev,
			     size_t nr_rx)
{
	char now[MQ_RSS_TEXT_MAX], want[80], object[IFNAMSIZ + 8];
	struct mq_change *c;

	if (!dev->rss.table || !dev->rss.size || !nr_rx ||
	    nr_rx >= mq_channels_rx_queues(&dev->channels) ||
	    !mq_rss_blocks_shrink(dev, nr_rx))
		return 0;
	c = &rs->plan.changes[rs->plan.nr++];
	snprintf(object, sizeof(object), "%s rss", dev->name);
	if (rss_change(c, dev, dev->rss.table, 0, object))
		return -1;
	mq_rss_format(dev->rss.table, dev->rss.size, now, sizeof(now));
	snprintf(want, sizeof(want), "the driver's default, for the shrink to "
		 "%zu queue%s", nr_rx, nr_rx == 1 ? "" : "s");
	c->old_display = strdup(now);
	c->new_display = strdup(want);
	c->value = strdup(want);
	return c->old_display && c->new_display && c->value ? 0 : -1;
}

/*
 * The channel counts first: a queue directory recorded when it existed
 * comes back with them.  0 (planned, the same, or stale), -1 (ENOMEM).
 */
static int plan_channels(const struct mq_machine *m, struct mq_restore *rs,
			 struct mq_restore_item *it, const struct mq_sentry *e)
{
	const struct mq_netdev *dev = mq_machine_netdev(m, e->ifname);
	struct mq_channels want;
	struct mq_change *c;
	char now[48], was[48];

	if (!dev || !dev->channels.source || dev->channels.unsupported ||
	    dev->channels.source == MQ_CHAN_SYSFS) {
		it->fate = MQ_RF_STALE;
		snprintf(it->why, sizeof(it->why), "%s", !dev ?
			 "the interface is gone" :
			 "its channel counts cannot be set here");
		return 0;
	}
	want = dev->channels;
	if (mq_channels_parse_state(e->value, &want))
		return 0;	/* the parser checked it: cannot be */
	it->now = strdup(mq_channels_state_text(&dev->channels, now, sizeof(now)));
	if (!it->now)
		return -1;
	if (mq_channels_equal(&want, &dev->channels)) {
		it->fate = MQ_RF_SAME;
		return 0;
	}
	if (plan_shrink_reset(rs, dev, mq_channels_rx_queues(&want)))
		return -1;
	rs->nr_steps = rs->plan.nr + 1;	/* the counts, and a reset before */
	c = &rs->plan.changes[rs->plan.nr];
	memset(c, 0, sizeof(*c));
	c->target = MQ_T_CHANNELS;
	c->dev = -1;
	snprintf(c->object, sizeof(c->object), "%s", e->object);
	c->value = strdup(e->value);
	c->old_display = strdup(mq_channels_text(&dev->channels, now, sizeof(now)));
	c->new_display = strdup(mq_channels_text(&want, was, sizeof(was)));
	it->change = (long)rs->plan.nr++;
	if (!new_step(c, dev) || !c->value || !c->old_display || !c->new_display)
		return -1;
	c->step->transport = dev->channels.source == MQ_CHAN_IOCTL ?
			     MQ_ETHTOOL_IOCTL : MQ_ETHTOOL_NETLINK;
	c->step->chan_want = want;
	c->step->chan_saved = dev->channels;
	return 0;
}

/*
 * The plan's change of @ifname's channel counts, or NULL; with @pending,
 * only one not made yet (the plan before the counts are set: a dry run,
 * or the first phase of a real run; after it, the machine discovered
 * again has the new counts).
 */
static const struct mq_change *channels_planned(const struct mq_restore *rs,
						const char *ifname, bool pending)
{
	size_t i;

	for (i = 0; i < rs->nr_steps; i++) {
		const struct mq_change *c = &rs->plan.changes[i];

		if (c->target == MQ_T_CHANNELS &&
		    strcmp(c->step->ifname, ifname) == 0)
			return !pending || c->state == MQ_CH_PLANNED ? c : NULL;
	}
	return NULL;
}

/*
 * Whether @e is the file of a queue that the pending channel change of
 * its interface takes away (rx-N or tx-N with N at or above the count).
 */
static bool queue_goes(const struct mq_restore *rs, const struct mq_sentry *e)
{
	const struct mq_change *chan = channels_planned(rs, e->ifname, true);
	const struct mq_channels *ch;
	const char *q;
	char *end;
	unsigned long n;

	if (!chan || (e->target != MQ_T_RPS_CPUS && e->target != MQ_T_RPS_FLOW_CNT &&
		      e->target != MQ_T_XPS_CPUS) ||
	    !(q = strstr(e->path, "/queues/")))
		return false;
	q += strlen("/queues/") + 3;	/* after "rx-" or "tx-" */
	n = strtoul(q, &end, 10);
	ch = &chan->step->chan_want;
	return e->target == MQ_T_XPS_CPUS ? n >= (unsigned long)ch->combined + ch->tx :
	       n >= mq_channels_rx_queues(ch);
}

/*
 * A recorded RSS table, written back after the channel counts (it names
 * queues that only exist with them): as a reset to the driver's default
 * when it is the equal spread over the queues then active (so the kernel
 * does not count it as set by a user, as auto writes it), else entry by
 * entry.  0 (planned, the same, or stale), -1 (ENOMEM).
 */
static int plan_rss(const struct mq_machine *m, struct mq_restore *rs,
		    struct mq_restore_item *it, const struct mq_sentry *e)
{
	const struct mq_netdev *dev = mq_machine_netdev(m, e->ifname);
	const struct mq_change *chan = dev ? channels_planned(rs, e->ifname, true) :
				       NULL;
	char now[MQ_RSS_TEXT_MAX], was[MQ_RSS_TEXT_MAX];
	uint32_t *table = NULL, size = 0;
	size_t nr_rx;
	struct mq_change *c;
	bool equal;
	int ret = -1;

	if (!dev || !dev->rss.table || !dev->rss.size) {
		it->fate = MQ_RF_STALE;
		snprintf(it->why, sizeof(it->why), "%s", !dev ?
			 "the interface is gone" :
			 "its RSS table cannot be read here");
		return 0;
	}
	nr_rx = chan ? mq_channels_rx_queues(&chan->step->chan_want) : dev->nr_rxq;
	if (mq_rss_parse_state(e->value, &table, &size))
		return -1;	/* the parser checked it: only ENOMEM */
	equal = mq_rss_is_equal(table, size, (uint32_t)nr_rx);
	/* what it holds now in the entry's own form; reports the compact one */
	mq_rss_format(dev->rss.table, dev->rss.size, now, sizeof(now));
	if (!(it->now = mq_rss_state_text(dev->rss.table, dev->rss.size)))
		goto out;
	ret = 0;
	if (size != dev->rss.size) {
		it->fate = MQ_RF_STALE;
		snprintf(it->why, sizeof(it->why), "the table has %u entries now, "
			 "%u when recorded", dev->rss.size, size);
		goto out;
	}
	if (mq_rss_table_max(table, size) >= nr_rx) {
		it->fate = MQ_RF_STALE;
		snprintf(it->why, sizeof(it->why), "it names queue %u, and %zu "
			 "receive queue%s are active", mq_rss_table_max(table, size),
			 nr_rx, nr_rx == 1 ? "" : "s");
		goto out;
	}
	if (!chan && memcmp(table, dev->rss.table, size * sizeof(*table)) == 0) {
		it->fate = MQ_RF_SAME;
		goto out;
	}
	ret = -1;
	c = &rs->plan.changes[rs->plan.nr];
	it->change = (long)rs->plan.nr++;
	if (rss_change(c, dev, table, equal ? 0 : size, e->object))
		goto out;
	mq_rss_format(table, size, was, sizeof(was));
	c->old_display = strdup(chan ? "after the channel change" : now);
	c->new_display = strdup(was);
	c->value = strdup(e->value);
	ret = c->old_display && c->new_display && c->value ? 0 : -1;
out:
	free(table);
	return ret;
}

/*
 * A NAPI thread's recorded affinity, written back while the thread the
 * entry names (its pid, and its name in the object) still serves the
 * interface: a NAPI no longer threaded, or made again, has other threads
 * (or none), and so does a channel change this restore makes.
 * 0 (planned, the same, or stale), -1 (ENOMEM).
 */
static int plan_napi(const struct mq_machine *m, struct mq_restore *rs,
		     struct mq_restore_item *it, const struct mq_sentry *e)
{
	const struct mq_netdev *dev = mq_machine_netdev(m, e->ifname);
	const struct mq_napi_thread *th = NULL;
	const char *comm = mq_sentry_thread_name(e);
	pid_t pid = mq_sentry_thread_pid(e);
	struct mq_change *c;
	bool pending;
	size_t k;

	for (k = 0; dev && k < dev->nr_napi && !th; k++)
		if (dev->napi[k].pid == pid &&
		    strcmp(dev->napi[k].comm, comm) == 0)
			th = &dev->napi[k];
	if (!th || !th->affinity_raw) {
		it->fate = MQ_RF_STALE;
		snprintf(it->why, sizeof(it->why), "%s",
			 channels_planned(rs, e->ifname, false) ?
			 "the channel change made its NAPI threads again" :
			 "the thread is gone (its NAPI is not threaded now, or "
			 "was made again)");
		return 0;
	}
	/* a channel change to come may make the thread again: the real run
	 * looks again after it */
	pending = channels_planned(rs, e->ifname, true) != NULL;
	if (!(it->now = strdup(th->affinity_raw)))
		return -1;
	if (!pending && strcmp(it->now, e->value) == 0) {
		it->fate = MQ_RF_SAME;
		return 0;
	}
	c = &rs->plan.changes[rs->plan.nr];
	memset(c, 0, sizeof(*c));
	it->change = (long)rs->plan.nr++;
	c->target = MQ_T_NAPI_AFFINITY;
	c->dev = -1;
	snprintf(c->object, sizeof(c->object), "%s", e->object);
	c->value = strdup(e->value);
	c->saved = strdup(it->now);
	c->old_display = strdup(pending ? "after the channel change" : it->now);
	c->new_display = strdup(e->value);
	if (!new_step(c, dev) || !c->value || !c->saved || !c->old_display ||
	    !c->new_display)
		return -1;
	c->saved_len = strlen(c->saved);
	c->step->pid = th->pid;
	return 0;
}

/*
 * The entries of @pass: the channel counts (0), then what they make again
 * (1): the tables that name their queues, the threads of their NAPIs.
 */
static int plan_steps(const struct mq_machine *m, struct mq_restore *rs,
		      int pass, struct mq_diag *d)
{
	size_t i;

	for (i = 0; i < rs->nr; i++) {
		struct mq_restore_item *it = &rs->items[i];
		const struct mq_sentry *e = &rs->state.entries[it->entry];
		int ret;

		if (it->fate != MQ_RF_WRITE ||
		    (e->target == MQ_T_CHANNELS) != (pass == 0))
			continue;
		if (e->target == MQ_T_CHANNELS)
			ret = plan_channels(m, rs, it, e);
		else if (e->target == MQ_T_RSS)
			ret = plan_rss(m, rs, it, e);
		else if (e->target == MQ_T_NAPI_AFFINITY)
			ret = plan_napi(m, rs, it, e);
		else
			continue;
		if (ret)
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	return 0;
}

/* Everything but the channel counts: tables, threads, then the files. */
static int plan_rest(const struct mq_root *r, const struct mq_machine *m,
		     struct mq_restore *rs, struct mq_diag *d)
{
	size_t i;

	if (plan_steps(m, rs, 1, d))
		return -1;
	for (i = 0; i < rs->nr; i++) {
		struct mq_restore_item *it = &rs->items[i];
		const struct mq_sentry *e = &rs->state.entries[it->entry];
		size_t max = mq_root_cpuset_max(rs->plan.nr_cpu_ids) +
			     strlen(e->value) + 4096;
		ssize_t len;

		if (it->fate != MQ_RF_WRITE || e->target == MQ_T_CHANNELS ||
		    e->target == MQ_T_RSS || e->target == MQ_T_NAPI_AFFINITY)
			continue;
		if (e->target == MQ_T_IRQ_AFFINITY) {
			check_irq(m, e, it->why, sizeof(it->why));
			if (it->why[0]) {
				it->fate = MQ_RF_STALE;
				continue;
			}
		}
		if (queue_goes(rs, e)) {
			it->fate = MQ_RF_STALE;
			snprintf(it->why, sizeof(it->why), "%s", GONE_WITH_COUNTS);
			continue;
		}
		len = mq_root_read_alloc(r, e->path, max, &it->now);
		if (len == -ENOENT && channels_planned(rs, e->ifname, true)) {
			if (add_change(rs, it, e))
				return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
						   "out of memory");
			continue;
		}
		if (len == -ENOENT) {
			it->fate = MQ_RF_STALE;
			snprintf(it->why, sizeof(it->why), "%s",
				 channels_planned(rs, e->ifname, false) ?
				 GONE_WITH_COUNTS : "the file is gone");
			continue;
		}
		if (len < 0)
			return mq_root_fail(r, d, e->path, (int)len);
		if (strcmp(it->now, e->value) == 0)
			it->fate = MQ_RF_SAME;
		else if (add_change(rs, it, e))
			return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	return 0;
}

int mq_restore_plan(const struct mq_root *r, const struct mq_machine *m,
		    struct mq_restore *rs, struct mq_diag *d)
{
	rs->plan.nr_cpu_ids = m ? m->topo.nr_cpu_ids : 0;
	rs->nr_steps = 0;
	/* an item's change each, and a table reset before a channel shrink */
	rs->plan.changes = calloc(2 * rs->nr + 1, sizeof(*rs->plan.changes));
	if (!rs->plan.changes)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (plan_steps(m, rs, 0, d))
		return -1;
	return plan_rest(r, m, rs, d);
}

int mq_restore_replan(const struct mq_root *r, const struct mq_machine *m,
		      struct mq_restore *rs, struct mq_diag *d)
{
	size_t i;

	mq_plan_truncate(&rs->plan, rs->nr_steps);
	for (i = 0; i < rs->nr; i++) {
		struct mq_restore_item *it = &rs->items[i];

		if (rs->state.entries[it->entry].target == MQ_T_CHANNELS ||
		    it->chosen != MQ_RF_WRITE)
			continue;
		free(it->now);
		it->now = NULL;
		it->fate = it->chosen;
		it->change = -1;
		it->why[0] = '\0';
	}
	return plan_rest(r, m, rs, d);
}

size_t mq_restore_drop_managed(struct mq_restore *rs, size_t from)
{
	struct mq_plan *p = &rs->plan;
	size_t i, k = 0, dropped = 0;

	for (i = 0; i < rs->nr; i++) {
		struct mq_restore_item *it = &rs->items[i];
		struct mq_change *c;

		if (it->change < 0)
			continue;
		c = &p->changes[it->change];
		if (c->target == MQ_T_IRQ_AFFINITY && c->state == MQ_CH_FAILED) {
			it->fate = MQ_RF_MANAGED;
			snprintf(it->why, sizeof(it->why),
				 "the kernel manages this IRQ now (%s)", strerror(c->err));
			it->change = -1;
			c->err = -1;	/* marks it for removal below */
			dropped++;
		}
	}
	for (i = 0; i < p->nr; i++) {
		struct mq_change *c = &p->changes[i];
		size_t it;

		if (c->err == -1) {
			free(c->value);
			free(c->old_display);
			free(c->new_display);
			free(c->saved);
			continue;
		}
		if (i >= from) {
			c->state = MQ_CH_PLANNED;
			c->err = 0;
			c->pending = false;
		}
		for (it = 0; it < rs->nr; it++)
			if (rs->items[it].change == (long)i)
				rs->items[it].change = (long)k;
		if (k != i)
			p->changes[k] = *c;
		k++;
	}
	p->nr = k;
	return dropped;
}

int mq_restore_forget(const struct mq_root *r, struct mq_restore *rs,
		      struct mq_diag *d)
{
	struct mq_state keep = { 0 };
	unsigned char *drop;
	size_t i;
	int ret;

	if (!rs->nr)
		return 0;
	drop = calloc(rs->state.nr, 1);
	keep.entries = calloc(rs->state.nr, sizeof(*keep.entries));
	if (!drop || !keep.entries) {
		free(drop);
		free(keep.entries);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	for (i = 0; i < rs->nr; i++)
		drop[rs->items[i].entry] = 1;
	/* shallow copies: the entries stay in rs->state for the report */
	for (i = 0; i < rs->state.nr; i++)
		if (!drop[i])
			keep.entries[keep.nr++] = rs->state.entries[i];
	keep.cap = keep.nr;
	keep.boot_id = rs->state.boot_id;
	ret = mq_journal_save(r, &keep, d);
	free(keep.entries);
	free(drop);
	return ret;
}

size_t mq_restore_remaining(const struct mq_restore *rs)
{
	return rs->state.nr - rs->nr;
}

void mq_restore_fini(struct mq_restore *rs)
{
	size_t i;

	for (i = 0; rs->items && i < rs->nr; i++)
		free(rs->items[i].now);
	free(rs->items);
	free(rs->ifnames);
	free(rs->ifname_ptrs);
	mq_plan_fini(&rs->plan);
	mq_state_fini(&rs->state);
	mq_journal_env_fini(&rs->env);
	memset(rs, 0, sizeof(*rs));
}
