/*
 * options.c - the values of the `auto` options, from the command line or
 * the config file: one parser, one set of words for a bad value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/options.h"
#include "mqtune/parse.h"

static const struct {
	const char *name;
	const char *want;
	bool global_only;
} opt_info[MQ_OPT_NR] = {
	[MQ_OPT_CPUS] = { "cpus", "a CPU list like 0-3,8", false },
	[MQ_OPT_EXCLUDE_CPUS] = { "exclude-cpus", "a CPU list like 0-3,8", false },
	[MQ_OPT_RPS] = { "rps", "auto, off or keep", false },
	[MQ_OPT_RPS_SCOPE] = { "rps-scope", "node or machine", false },
	[MQ_OPT_XPS] = { "xps", "auto, off or keep", false },
	[MQ_OPT_BACKLOG] = { "backlog",
			     "auto, keep or a number from 1 to 2147483647", false },
	[MQ_OPT_CHANNELS] = { "channels",
			      "auto, keep or a number from 1 to 65535", false },
	[MQ_OPT_RSS] = { "rss", "auto, equal or keep", false },
	[MQ_OPT_IRQBALANCE] = { "irqbalance", "warn, fail or ignore", true },
	[MQ_OPT_WAIT] = { "wait", "a number of seconds from 0 to 86400", true },
};

void mq_opts_init(struct mq_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->wait_ms = MQ_WAIT_DEFAULT_MS;
}

void mq_opts_fini(struct mq_opts *o)
{
	mq_cpuset_fini(&o->cpus);
	mq_cpuset_fini(&o->exclude_cpus);
}

const char *mq_opt_name(enum mq_opt k)
{
	return (unsigned int)k < MQ_OPT_NR ? opt_info[k].name : "?";
}

int mq_opt_lookup(const char *name, size_t len)
{
	int k;

	for (k = 0; k < MQ_OPT_NR; k++)
		if (strlen(opt_info[k].name) == len &&
		    memcmp(opt_info[k].name, name, len) == 0)
			return k;
	return -1;
}

bool mq_opt_global_only(enum mq_opt k)
{
	return (unsigned int)k < MQ_OPT_NR && opt_info[k].global_only;
}

const char *mq_opt_want(enum mq_opt k)
{
	return (unsigned int)k < MQ_OPT_NR ? opt_info[k].want : "valid";
}

static bool is(const char *val, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(val, word, len) == 0;
}

/* One of @words (NULL-terminated): its index, or -1. */
static int one_of(const char *val, size_t len, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (is(val, len, words[i]))
			return i;
	return -1;
}

static const char *const steer_words[] = { "auto", "off", "keep", NULL };
static const char *const scope_words[] = { "node", "machine", NULL };
static const char *const irqb_words[] = { "warn", "fail", "ignore", NULL };
static const char *const rss_words[] = { "auto", "equal", "keep", NULL };

/* A non-empty CPU list into @s (allocated here when not yet). */
static int parse_cpus(struct mq_cpuset *s, const char *val, size_t len)
{
	struct mq_cpuset t = { 0 };

	if (mq_cpuset_init(&t, MQ_CPUSET_MAX_BITS))
		return -2;
	if (mq_cpuset_parse_list(&t, val, len) || mq_cpuset_empty(&t)) {
		mq_cpuset_fini(&t);
		return -1;
	}
	mq_cpuset_fini(s);
	*s = t;
	return 0;
}

static int parse_value(struct mq_opts *o, enum mq_opt k, const char *val,
		       size_t len)
{
	uint64_t v;
	uint32_t w;
	int i;

	switch (k) {
	case MQ_OPT_CPUS:
		return parse_cpus(&o->cpus, val, len);
	case MQ_OPT_EXCLUDE_CPUS:
		return parse_cpus(&o->exclude_cpus, val, len);
	case MQ_OPT_RPS:
	case MQ_OPT_XPS:
		i = one_of(val, len, steer_words);
		if (i < 0)
			return -1;
		*(k == MQ_OPT_RPS ? &o->rps : &o->xps) = (enum mq_steer_mode)i;
		return 0;
	case MQ_OPT_RPS_SCOPE:
		i = one_of(val, len, scope_words);
		if (i < 0)
			return -1;
		o->rps_scope = (enum mq_rps_scope)i;
		return 0;
	case MQ_OPT_BACKLOG:
		if (is(val, len, "auto")) {
			o->backlog = MQ_BACKLOG_AUTO;
		} else if (is(val, len, "keep")) {
			o->backlog = MQ_BACKLOG_KEEP;
		} else if (mq_parse_u64(val, len, &v) == 0 && v > 0 &&
			   v <= INT32_MAX) {
			o->backlog = MQ_BACKLOG_SET;
			o->backlog_value = (int64_t)v;
		} else {
			return -1;
		}
		return 0;
	case MQ_OPT_CHANNELS:
		if (is(val, len, "auto")) {
			o->channels = MQ_CHANNELS_AUTO;
		} else if (is(val, len, "keep")) {
			o->channels = MQ_CHANNELS_KEEP;
		} else if (mq_parse_u32(val, len, &w) == 0 && w > 0 &&
			   w <= MQ_CHANNELS_MAX) {
			o->channels = MQ_CHANNELS_SET;
			o->channels_value = w;
		} else {
			return -1;
		}
		return 0;
	case MQ_OPT_RSS:
		i = one_of(val, len, rss_words);
		if (i < 0)
			return -1;
		o->rss = (enum mq_rss_mode)i;
		return 0;
	case MQ_OPT_IRQBALANCE:
		i = one_of(val, len, irqb_words);
		if (i < 0)
			return -1;
		o->irqbalance = (enum mq_irqbalance_mode)i;
		return 0;
	case MQ_OPT_WAIT:
		if (mq_parse_u32(val, len, &w) || w > MQ_WAIT_MAX)
			return -1;
		o->wait_ms = (long)w * 1000;
		return 0;
	case MQ_OPT_NR:
		break;
	}
	return -1;
}

int mq_opt_parse(struct mq_opts *o, enum mq_opt k, const char *val,
		 size_t len)
{
	int ret;

	if ((unsigned int)k >= MQ_OPT_NR)
		return -1;
	ret = parse_value(o, k, val, len);
	if (ret == 0)
		o->set |= 1u << k;
	return ret;
}

static const char *cpus_text(const struct mq_cpuset *s, char *buf, size_t cap)
{
	char *t;

	if (!s->words) {
		snprintf(buf, cap, "%s", "");
		return buf;
	}
	t = mq_cpuset_format_list(s);
	snprintf(buf, cap, "%s", t ? t : "?");
	free(t);
	return buf;
}

const char *mq_opt_format(const struct mq_opts *o, enum mq_opt k, char *buf,
			  size_t cap)
{
	switch (k) {
	case MQ_OPT_CPUS:
		return cpus_text(&o->cpus, buf, cap);
	case MQ_OPT_EXCLUDE_CPUS:
		return cpus_text(&o->exclude_cpus, buf, cap);
	case MQ_OPT_RPS:
		snprintf(buf, cap, "%s", steer_words[o->rps]);
		break;
	case MQ_OPT_XPS:
		snprintf(buf, cap, "%s", steer_words[o->xps]);
		break;
	case MQ_OPT_RPS_SCOPE:
		snprintf(buf, cap, "%s", scope_words[o->rps_scope]);
		break;
	case MQ_OPT_BACKLOG:
		if (o->backlog == MQ_BACKLOG_SET)
			snprintf(buf, cap, "%lld", (long long)o->backlog_value);
		else
			snprintf(buf, cap, "%s",
				 o->backlog == MQ_BACKLOG_KEEP ? "keep" : "auto");
		break;
	case MQ_OPT_CHANNELS:
		if (o->channels == MQ_CHANNELS_SET)
			snprintf(buf, cap, "%u", (unsigned int)o->channels_value);
		else
			snprintf(buf, cap, "%s",
				 o->channels == MQ_CHANNELS_KEEP ? "keep" : "auto");
		break;
	case MQ_OPT_RSS:
		snprintf(buf, cap, "%s", rss_words[o->rss]);
		break;
	case MQ_OPT_IRQBALANCE:
		snprintf(buf, cap, "%s", irqb_words[o->irqbalance]);
		break;
	case MQ_OPT_WAIT:
		snprintf(buf, cap, "%ld", o->wait_ms / 1000);
		break;
	case MQ_OPT_NR:
		snprintf(buf, cap, "%s", "");
		break;
	}
	return buf;
}

char *mq_opt_text(const struct mq_opts *o, enum mq_opt k)
{
	char buf[64];

	if (k == MQ_OPT_CPUS || k == MQ_OPT_EXCLUDE_CPUS) {
		const struct mq_cpuset *s = k == MQ_OPT_CPUS ? &o->cpus :
						&o->exclude_cpus;

		return s->words ? mq_cpuset_format_list(s) : strdup("");
	}
	return strdup(mq_opt_format(o, k, buf, sizeof(buf)));
}
