/*
 * options.h - the options of `auto`, parsed one way for the command line
 * and the config file (docs/config.md).
 *
 * Pure: a key name and a value text in, a typed value out.  The command
 * line (main.c) and the config parser (config.c) call the same
 * mq_opt_parse(), so a value the one refuses the other refuses too, with
 * the same words (mq_opt_want).
 */
#ifndef MQTUNE_OPTIONS_H
#define MQTUNE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/cpuset.h"
#include "mqtune/place.h"

enum mq_irqbalance_mode {
	MQ_IRQBALANCE_WARN = 0,
	MQ_IRQBALANCE_FAIL,
	MQ_IRQBALANCE_IGNORE,
};

/* The keys, in the order `mqtune config` prints them. */
enum mq_opt {
	MQ_OPT_CPUS = 0,
	MQ_OPT_EXCLUDE_CPUS,
	MQ_OPT_RPS,
	MQ_OPT_RPS_SCOPE,
	MQ_OPT_XPS,
	MQ_OPT_BACKLOG,
	MQ_OPT_CHANNELS,
	MQ_OPT_RSS,
	MQ_OPT_IRQBALANCE,	/* global only */
	MQ_OPT_WAIT,		/* global only */
	MQ_OPT_NR
};

#define MQ_WAIT_MAX 86400	/* --wait: seconds */
#define MQ_CHANNELS_MAX 65535	/* --channels N: ethtool's counts are u32,
				   no NIC has more queues than this */
#define MQ_WAIT_DEFAULT_MS 10000

/*
 * Values of the options; bit (1u << key) of @set says the key was given
 * (on the command line, or in one config section), and @line[key] on
 * which line of the file (0 on the command line).  Unset keys hold their
 * default.  The two CPU sets are owned (capacity MQ_CPUSET_MAX_BITS) and
 * allocated only when set.
 */
struct mq_opts {
	unsigned int set;
	unsigned int line[MQ_OPT_NR];
	struct mq_cpuset cpus;
	struct mq_cpuset exclude_cpus;
	enum mq_steer_mode rps;
	enum mq_rps_scope rps_scope;
	enum mq_steer_mode xps;
	enum mq_backlog_mode backlog;
	int64_t backlog_value;
	enum mq_channels_mode channels;
	uint32_t channels_value;
	enum mq_rss_mode rss;
	enum mq_irqbalance_mode irqbalance;
	long wait_ms;
};

/* Every option at its default (wait 10 s, all else 0). */
void mq_opts_init(struct mq_opts *o);
void mq_opts_fini(struct mq_opts *o);

static inline bool mq_opts_has(const struct mq_opts *o, enum mq_opt k)
{
	return o && (o->set >> k) & 1u;
}

/* "cpus", "exclude-cpus"...: the long option without "--", the config key. */
const char *mq_opt_name(enum mq_opt k);
/* The key named @name (@len bytes), or -1. */
int mq_opt_lookup(const char *name, size_t len);
/* Whether @k belongs to [global] only (irqbalance, wait). */
bool mq_opt_global_only(enum mq_opt k);
/* What a good value looks like: "auto, off or keep". */
const char *mq_opt_want(enum mq_opt k);

/**
 * mq_opt_parse() - parse the value of @k from @val (@len bytes, no NUL
 * needed) into @o, and mark @k set.  A value given again replaces the old.
 * Return: 0; -1 when the value is not valid (@o unchanged); -2 when out
 * of memory.
 */
int mq_opt_parse(struct mq_opts *o, enum mq_opt k, const char *val,
		 size_t len);

/*
 * The value of @k in @o as its option text ("0-3,8", "auto", "2000",
 * "10"); "" for an unset CPU list (all CPUs / none excluded).  Returns
 * @buf, cut to @cap.
 */
const char *mq_opt_format(const struct mq_opts *o, enum mq_opt k, char *buf,
			  size_t cap);
/* The same, whole (a CPU list can be long), malloc'd; NULL on ENOMEM. */
char *mq_opt_text(const struct mq_opts *o, enum mq_opt k);

#endif /* MQTUNE_OPTIONS_H */
