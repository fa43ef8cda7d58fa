/*
 * rss.c - pure: the RSS indirection table's equal spread, shares, text,
 * and the --rss decision (docs/policy.md, "RSS indirection table").
 */
#include "mqtune/rss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_QUEUES 16	/* queues listed in the text of an uneven table */

void mq_rss_equal_fill(uint32_t *table, uint32_t size, uint32_t n)
{
	uint32_t i;

	if (!n)
		n = 1;
	for (i = 0; i < size; i++)
		table[i] = i % n;
}

bool mq_rss_is_equal(const uint32_t *table, uint32_t size, uint32_t n)
{
	uint32_t i;

	if (!n)
		n = 1;
	for (i = 0; i < size; i++)
		if (table[i] != i % n)
			return false;
	return true;
}

uint32_t mq_rss_table_max(const uint32_t *table, uint32_t size)
{
	uint32_t i, max = 0;

	for (i = 0; i < size; i++)
		if (table[i] > max)
			max = table[i];
	return max;
}

uint32_t mq_rss_max_queue(const struct mq_rss *rss)
{
	return rss->table ? mq_rss_table_max(rss->table, rss->size) : 0;
}

void mq_rss_shares(const uint32_t *table, uint32_t size, uint32_t *count,
		   size_t nr_count)
{
	uint32_t i;

	memset(count, 0, nr_count * sizeof(*count));
	for (i = 0; i < size; i++)
		if (table[i] < nr_count)
			count[table[i]]++;
}

/* Append to @buf what fits. */
static void add(char *buf, size_t cap, const char *fmt, unsigned int a,
		unsigned int b)
{
	size_t len = strlen(buf);

	if (len + 1 < cap)
		snprintf(buf + len, cap - len, fmt, a, b);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

const char *mq_rss_format(const uint32_t *table, uint32_t size, char *buf,
			  size_t cap)
{
	uint32_t max, q, i, n, listed = 0, used = 0, *sorted;

	if (!cap)
		return buf;
	buf[0] = '\0';
	if (!table || !size) {
		snprintf(buf, cap, "-");
		return buf;
	}
	max = mq_rss_table_max(table, size);
	if (mq_rss_is_equal(table, size, max + 1)) {
		if (max)
			snprintf(buf, cap, "0-%u equal (%u)", (unsigned int)max,
				 (unsigned int)size);
		else
			snprintf(buf, cap, "0 equal (%u)", (unsigned int)size);
		return buf;
	}
	/* queue by queue from a sorted copy (the kernel bounds the queue
	 * numbers by the rx rings, but a sort needs no such trust) */
	sorted = malloc((size_t)size * sizeof(*sorted));
	if (!sorted) {
		snprintf(buf, cap, "(%u)", (unsigned int)size);
		return buf;
	}
	memcpy(sorted, table, (size_t)size * sizeof(*sorted));
	qsort(sorted, size, sizeof(*sorted), cmp_u32);
	for (i = 0; i < size; i += n) {
		q = sorted[i];
		for (n = 1; i + n < size && sorted[i + n] == q; n++)
			;
		used++;
		if (listed < SHOW_QUEUES) {
			add(buf, cap, listed ? " %u:%u" : "%u:%u",
			    (unsigned int)q, (unsigned int)n);
			listed++;
		}
	}
	free(sorted);
	if (used > listed)
		add(buf, cap, " ... %u queues (%u)", (unsigned int)used,
		    (unsigned int)size);
	else
		add(buf, cap, " (%u)", (unsigned int)size, 0);
	return buf;
}

char *mq_rss_state_text(const uint32_t *table, uint32_t size)
{
	char *text, *at;
	uint32_t i;

	/* each entry below 2^32: at most 10 digits and its separator */
	if (!size || !(text = malloc((size_t)size * 11 + 1)))
		return NULL;
	at = text;
	for (i = 0; i < size; i++)
		at += sprintf(at, i + 1 < size ? "%u " : "%u\n", table[i]);
	return text;
}

int mq_rss_parse_state(const char *text, uint32_t **table, uint32_t *size)
{
	size_t n = 0, cap = 0;
	uint32_t *t = NULL;
	const char *p = text;

	*table = NULL;
	*size = 0;
	for (;;) {
		uint32_t v = 0;
		const char *digits = p;

		while (*p >= '0' && *p <= '9' && p - digits < 6)
			v = v * 10 + (uint32_t)(*p++ - '0');
		/* digits, no leading zero, below the queue limit */
		if (p == digits || (*digits == '0' && p - digits > 1) ||
		    v >= MQ_RSS_SHARES_MAX || n == MQ_RSS_STATE_MAX ||
		    (*p != ' ' && *p != '\n'))
			break;
		if (n == cap) {
			size_t want = cap ? 2 * cap : 256;
			uint32_t *bigger = realloc(t, want * sizeof(*t));

			if (!bigger) {
				free(t);
				return -2;
			}
			t = bigger;
			cap = want;
		}
		t[n++] = v;
		if (*p++ == '\n') {
			if (*p)
				break;
			*table = t;
			*size = (uint32_t)n;
			return 0;
		}
	}
	free(t);
	return -1;
}

const char *mq_rss_src_name(enum mq_rss_src src)
{
	switch (src) {
	case MQ_RSS_SRC_NETLINK:	return "netlink";
	case MQ_RSS_SRC_IOCTL:		return "ioctl";
	case MQ_RSS_SRC_NONE:		break;
	}
	return "none";
}

static int want_equal(const struct mq_netdev *dev, struct mq_dev_placement *dp,
		      uint32_t n, const char *why)
{
	dp->rss_want = malloc((size_t)dev->rss.size * sizeof(uint32_t));
	if (!dp->rss_want)
		return -1;
	mq_rss_equal_fill(dp->rss_want, dev->rss.size, n);
	dp->rss_reason = why;
	return 0;
}

int mq_rss_place(const struct mq_netdev *dev, const struct mq_policy *p,
		 struct mq_dev_placement *dp, struct mq_placement *pl)
{
	bool chan = dp->chan_change || dev->channels_changed;
	uint32_t n = dp->nr_active_rx > UINT32_MAX ? UINT32_MAX :
		     (uint32_t)dp->nr_active_rx;

	dp->rss_want = NULL;
	dp->rss_reason = NULL;
	if (dev->rss.source == MQ_RSS_SRC_NONE)
		return 0;	/* not read: a sysroot, or unreadable (warned) */
	if (!dev->rss.table || !dev->rss.size) {
		if (!dev->rss.unsupported)
			return 0;
		dp->rss_reason = "the driver has no RSS indirection table";
		if (p->rss == MQ_RSS_EQUAL || (p->rss == MQ_RSS_AUTO && chan))
			return mq_placement_warn(pl, "no-rss-table", dev->name,
						 "%s: the driver has no RSS indirection "
						 "table: nothing to spread", dev->name);
		return 0;
	}
	if (p->rss == MQ_RSS_KEEP) {
		dp->rss_reason = "left alone (--rss keep)";
		return 0;
	}
	if (!n) {
		dp->rss_reason = "no active rx queue";
		return 0;
	}
	if (mq_rss_is_equal(dev->rss.table, dev->rss.size, n)) {
		dp->rss_reason = "already the equal spread over the active rx queues";
		return 0;
	}
	if (p->rss == MQ_RSS_EQUAL)
		return want_equal(dev, dp, n, "--rss equal");
	if (mq_rss_max_queue(&dev->rss) >= n)
		return want_equal(dev, dp, n,
				  "it names rx queues that are not active");
	if (chan)
		return want_equal(dev, dp, n, "the channel count changes");
	dp->rss_reason = "uneven over the active rx queues: kept (--rss equal "
			 "spreads it)";
	return 0;
}
