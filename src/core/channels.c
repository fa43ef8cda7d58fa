/*
 * channels.c - the channel counts of the run: Sum queues per interface,
 * the CPUs of a NUMA node shared among the interfaces that start there.
 */
#include "mqtune/channels.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool mq_channels_settable(const struct mq_netdev *dev)
{
	const struct mq_channels *ch = &dev->channels;

	return (ch->source == MQ_CHAN_NETLINK || ch->source == MQ_CHAN_IOCTL) &&
	       !ch->unsupported && !ch->set_unsupported &&
	       (ch->max_combined || ch->max_rx);
}

/* Both combined and separate rx or tx channels in use: left as they are. */
static bool mixed(const struct mq_channels *ch)
{
	return ch->combined && (ch->rx || ch->tx);
}

static bool uses_combined(const struct mq_channels *ch)
{
	return ch->max_combined > 0;
}

size_t mq_channels_rx_queues(const struct mq_channels *ch)
{
	return (size_t)ch->combined + ch->rx;
}

static uint32_t max_of(const struct mq_channels *ch)
{
	return uses_combined(ch) ? ch->max_combined : ch->max_rx;
}

const char *mq_channels_text(const struct mq_channels *ch, char *buf,
			     size_t cap)
{
	size_t len;

	buf[0] = '\0';
	if (ch->combined || (!ch->rx && !ch->tx))
		snprintf(buf, cap, "combined %u", ch->combined);
	len = strlen(buf);
	if (ch->rx)
		snprintf(buf + len, cap - len, "%srx %u", len ? " " : "", ch->rx);
	len = strlen(buf);
	if (ch->tx)
		snprintf(buf + len, cap - len, "%stx %u", len ? " " : "", ch->tx);
	return buf;
}

const char *mq_channels_state_text(const struct mq_channels *ch, char *buf,
				   size_t cap)
{
	snprintf(buf, cap, "rx %u tx %u other %u combined %u", ch->rx, ch->tx,
		 ch->other, ch->combined);
	return buf;
}

int mq_channels_parse_state(const char *text, struct mq_channels *out)
{
	unsigned int v[4];
	char canon[96];
	struct mq_channels ch = { 0 };

	if (sscanf(text, "rx %u tx %u other %u combined %u", &v[0], &v[1],
		   &v[2], &v[3]) != 4)
		return -1;
	ch.rx = v[0];
	ch.tx = v[1];
	ch.other = v[2];
	ch.combined = v[3];
	/* exactly that form, nothing more (sscanf takes "+1", " 1") */
	if (strcmp(mq_channels_state_text(&ch, canon, sizeof(canon)), text) != 0)
		return -1;
	out->rx = ch.rx;
	out->tx = ch.tx;
	out->other = ch.other;
	out->combined = ch.combined;
	return 0;
}

bool mq_channels_equal(const struct mq_channels *a,
		       const struct mq_channels *b)
{
	return a->rx == b->rx && a->tx == b->tx && a->other == b->other &&
	       a->combined == b->combined;
}

/* The counts that give @n rx queues (other channels never change). */
static struct mq_channels want_for(const struct mq_channels *ch, uint32_t n)
{
	struct mq_channels w = *ch;

	if (uses_combined(ch)) {
		w.combined = n;
	} else {
		w.rx = n < ch->max_rx ? n : ch->max_rx;
		if (ch->max_tx)
			w.tx = n < ch->max_tx ? n : ch->max_tx;
	}
	return w;
}

/* What an interface asks of the pool: 0 = an equal share (auto). */
struct want {
	bool automatic;
	bool set;		/* counts planned (auto or N) */
	uint32_t fixed;		/* queues taken whatever the share */
	uint32_t cap;		/* auto: at most this many */
	uint32_t share;
};

static void note_fixed(struct mq_dev_placement *dp, const char *why)
{
	snprintf(dp->chan_why, sizeof(dp->chan_why), "%s", why);
}

/* What @dev wants; -1 with @d set when N is over the maximum. */
static int want_of(const struct mq_netdev *dev, const struct mq_policy *p,
		   struct mq_dev_placement *dp, struct want *w,
		   struct mq_placement *pl, struct mq_diag *d)
{
	const struct mq_channels *ch = &dev->channels;
	char kind[16];

	memset(w, 0, sizeof(*w));
	w->fixed = (uint32_t)dev->nr_rxq;
	snprintf(kind, sizeof(kind), "%s", uses_combined(ch) ? "combined" : "rx");
	if (p->channels == MQ_CHANNELS_KEEP) {
		note_fixed(dp, "--channels keep: left as they are");
		return 0;
	}
	if (!mq_channels_settable(dev) || mixed(ch)) {
		const char *why = ch->source == MQ_CHAN_SYSFS ?
			"counted from the queue directories: not changeable here" :
			mixed(ch) ? "combined and separate channels in use: left as they are" :
			ch->set_unsupported ? "the driver cannot change its channel counts" :
			"the driver has no channel counts";

		note_fixed(dp, why);
		if (p->channels == MQ_CHANNELS_SET)
			mq_placement_warn(pl, "channels-unchangeable", dev->name,
					  "%s: --channels %u not applied: %s", dev->name,
					  (unsigned int)p->channels_value, why);
		return 0;
	}
	if (p->channels == MQ_CHANNELS_SET) {
		if (p->channels_value > max_of(ch))
			return mq_diag_set(d, MQ_EXIT_USAGE, 0,
					   "%s: --channels %u is more than the %u %s "
					   "channel%s its driver allows", dev->name,
					   (unsigned int)p->channels_value,
					   (unsigned int)max_of(ch), kind,
					   max_of(ch) == 1 ? "" : "s");
		w->set = true;
		w->fixed = p->channels_value;
		snprintf(dp->chan_why, sizeof(dp->chan_why),
			 "--channels %u (the driver allows %u %s)",
			 (unsigned int)p->channels_value,
			 (unsigned int)max_of(ch), kind);
		return 0;
	}
	w->automatic = w->set = true;
	w->fixed = 0;
	w->cap = max_of(ch);
	return 0;
}

/*
 * Split @left CPUs among the auto interfaces of one group: each an equal
 * share, but no more than its cap; what a capped one leaves goes to the
 * others.  Every one gets at least 1.
 */
static void split(struct want *w, const size_t *members, size_t n,
		  uint32_t left)
{
	size_t open = n, i;
	bool capped = true;

	for (i = 0; i < n; i++)
		w[members[i]].share = 0;
	while (capped && open) {
		uint32_t each = left / (uint32_t)open, extra = left % (uint32_t)open;

		capped = false;
		for (i = 0; i < n; i++) {
			struct want *x = &w[members[i]];

			if (x->share || x->cap > each)
				continue;
			x->share = x->cap ? x->cap : 1;
			left -= x->share < left ? x->share : left;
			open--;
			capped = true;
		}
		if (capped)
			continue;
		for (i = 0; i < n; i++) {
			struct want *x = &w[members[i]];

			if (x->share)
				continue;
			x->share = each + (extra ? 1 : 0);
			if (extra)
				extra--;
		}
	}
	for (i = 0; i < n; i++)
		if (!w[members[i]].share)
			w[members[i]].share = 1;
}

static void share_note(const struct mq_machine *m, const struct want *w,
		       const size_t *members, size_t n, const int *group,
		       const struct mq_cpuset *pool, int g,
		       struct mq_placement *pl)
{
	char list[400] = "", *cpus;
	size_t i, len;
	int node = -1;

	if (n < 2)
		return;
	for (i = 0; i < n; i++) {
		const struct mq_netdev *dev = &m->netdevs[members[i]];
		const struct want *x = &w[members[i]];

		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s %u%s",
			 i ? ", " : "", dev->name,
			 x->automatic ? x->share : x->fixed,
			 !x->automatic ? " (fixed)" :
			 x->share == x->cap ? " (its maximum)" : "");
		if (dev->numa_node >= 0)
			node = dev->numa_node;
	}
	(void)group;
	cpus = mq_cpuset_format_list(&pool[g]);
	mq_placement_warn(pl, "channels-shared", node >= 0 ? "node" : "CPUs",
			  "channels: %s%d's %u usable CPUs (%s) are shared: %s",
			  node >= 0 ? "node " : "group ", node >= 0 ? node : g,
			  mq_cpuset_weight(&pool[g]), cpus ? cpus : "?", list);
	free(cpus);
}

int mq_channels_size(const struct mq_machine *m,
		     const struct mq_policy *const *per_dev, const int *group,
		     const struct mq_cpuset *pool, size_t nr_groups,
		     struct mq_placement *pl, struct mq_diag *d)
{
	size_t n = m->nr_netdevs, i, g, nm;
	struct want *w = calloc(n ? n : 1, sizeof(*w));
	size_t *members = calloc(n ? n : 1, sizeof(*members));
	int ret = 0;

	if (!w || !members) {
		free(w);
		free(members);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	for (i = 0; i < n && !ret; i++)
		ret = want_of(&m->netdevs[i], per_dev[i], &pl->devs[i], &w[i],
			      pl, d);
	for (g = 0; g < nr_groups && !ret; g++) {
		uint32_t left = mq_cpuset_weight(&pool[g]);
		size_t autos = 0;

		/*
		 * Every interface of the group takes part in the split, a fixed
		 * one asking for just its queues: so one that uses fewer CPUs
		 * than an equal share (a single-queue NIC) leaves the rest to
		 * the others, and one whose many queues cannot change does not
		 * starve them.
		 */
		for (i = 0, nm = 0; i < n; i++) {
			if (group[i] != (int)g)
				continue;
			members[nm++] = i;
			autos += w[i].automatic;
			if (!w[i].automatic)
				w[i].cap = w[i].fixed ? w[i].fixed : 1;
		}
		split(w, members, nm, left > nm ? left : (uint32_t)nm);
		if (nm > 1 && autos)
			share_note(m, w, members, nm, group, pool, (int)g, pl);
	}
	for (i = 0; i < n && !ret; i++) {
		const struct mq_netdev *dev = &m->netdevs[i];
		struct mq_dev_placement *dp = &pl->devs[i];
		char a[48];

		dp->chan_want = dev->channels;
		dp->chan_change = false;
		dp->nr_active_rx = dev->nr_rxq;
		if (!w[i].set)
			continue;
		if (w[i].automatic) {
			uint32_t sum = w[i].share < w[i].cap ? w[i].share : w[i].cap;

			dp->chan_want = want_for(&dev->channels, sum);
			snprintf(dp->chan_why, sizeof(dp->chan_why),
				 "auto: %s = min(%u the driver allows, %u CPU%s of its share)",
				 mq_channels_text(&dp->chan_want, a, sizeof(a)),
				 (unsigned int)w[i].cap, (unsigned int)w[i].share,
				 w[i].share == 1 ? "" : "s");
		} else {
			dp->chan_want = want_for(&dev->channels, w[i].fixed);
		}
		dp->chan_change = !mq_channels_equal(&dp->chan_want, &dev->channels);
		dp->nr_active_rx = mq_channels_rx_queues(&dp->chan_want);
	}
	free(w);
	free(members);
	return ret;
}
