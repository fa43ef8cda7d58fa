/*
 * config.h - the config file /etc/mqtune.conf (docs/config.md): parsed,
 * matched against interfaces, and merged with the command line.
 *
 * Pure: mq_config_parse() takes the file's bytes and its name, never a
 * path to open (the loader, mq_config_load() in config_load.h, reads it
 * through struct mq_root).  Every failure is one struct mq_diag with
 * status MQ_EXIT_CONFIG and the message "FILE:LINE: cause".
 */
#ifndef MQTUNE_CONFIG_H
#define MQTUNE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/ifres.h"
#include "mqtune/model.h"
#include "mqtune/options.h"
#include "mqtune/place.h"

#define MQ_CONFIG_DEFAULT "/etc/mqtune.conf"
#define MQ_CONFIG_MAX_BYTES (1u << 20)	/* a longer file is refused */
#define MQ_CONFIG_MAX_SECTIONS 4096

/*
 * Section kinds, in the order of precedence: for each key, a matching
 * section of a later kind overrides one of an earlier kind; among
 * matching [interface GLOB] sections the later in the file wins.
 */
enum mq_sect_kind {
	MQ_SECT_GLOBAL = 0,	/* [global] */
	MQ_SECT_DRIVER,		/* [driver NAME] */
	MQ_SECT_GLOB,		/* [interface PATTERN] with * ? or [ */
	MQ_SECT_PCI,		/* [pci DDDD:BB:DD.F] */
	MQ_SECT_NAME,		/* [interface NAME] */
};

struct mq_config_section {
	enum mq_sect_kind kind;
	char *arg;			/* owned: name, pattern, driver, address;
					   "" for [global] */
	unsigned int line;		/* of its header */
	struct mq_opts opts;		/* the keys it gives */
};

struct mq_config {
	char *file;			/* owned: the name messages use (the
					   file looked for, even when missing);
					   NULL for mq_config_empty() */
	bool present;			/* the file was there and read */
	size_t nr;
	struct mq_config_section *sects; /* owned, in file order; [global]
					   (given or not) is sects[0] */
	/*
	 * Set by the managed set (mq_config_set_via): an interface reached
	 * through a name that is a stacked device or an alternative name
	 * (bond0 -> eth0, uplink0 -> eth0).  An [interface UPPER] section
	 * then applies to LOWER too, below LOWER's own [interface LOWER].
	 */
	size_t nr_via;
	struct mq_config_via *via;	/* owned */
};

struct mq_config_via {
	char lower[IFNAMSIZ];		/* the kernel name placed */
	char upper[MQ_ALTIFNAMSIZ];	/* the name given */
};

/*
 * Replace the via table of @c by the @n pairs of @via (copied).  0, or -1
 * when out of memory (the table is then empty).
 */
int mq_config_set_via(struct mq_config *c, const struct mq_config_via *via,
		      size_t n);

/**
 * mq_config_parse() - parse @len bytes of @buf (no NUL needed) read from
 * @file (used in messages only).
 * Return: 0 with @out filled (free with mq_config_fini), or -1 with @d:
 * MQ_EXIT_CONFIG "FILE:LINE: cause" (@out then empty), MQ_EXIT_FAILURE
 * when out of memory.
 */
int mq_config_parse(const char *buf, size_t len, const char *file,
		    struct mq_config *out, struct mq_diag *d);

/* An empty config (no file): every key at its default. 0 or -1 (ENOMEM). */
int mq_config_empty(struct mq_config *out);
void mq_config_fini(struct mq_config *c);

/* Section kind for messages and JSON: "global", "driver", "pci"... */
const char *mq_sect_kind_name(enum mq_sect_kind k);
/* The header as written canonically: "[interface \"ens*\"]" into @buf. */
const char *mq_sect_header(const struct mq_config_section *s, char *buf,
			   size_t cap);

/*
 * Whether @s matches the interface @name with driver @driver ("" when
 * none) and PCI address @pci ("" when not on PCI).  [global] matches
 * every interface.
 */
bool mq_config_section_matches(const struct mq_config_section *s,
			       const char *name, const char *driver,
			       const char *pci);

/*
 * mq_config_section_matches(), or an [interface UPPER] section (or a
 * pattern matching UPPER) and @name reached through UPPER (the via table
 * of @c).
 */
bool mq_config_section_applies(const struct mq_config *c,
			       const struct mq_config_section *s,
			       const char *name, const char *driver,
			       const char *pci);

/* For the managed set: does the file have any interface section at all? */
bool mq_config_names_interfaces(const struct mq_config *c);
/* ... and does one of them (not [global]) apply to this interface? */
bool mq_config_matches(const struct mq_config *c, const char *name,
		       const char *driver, const char *pci);
/* The same for a discovered netdev (name, driver, PCI address if bus pci). */
bool mq_config_matches_netdev(const struct mq_config *c,
			      const struct mq_netdev *dev);

enum mq_src_kind {
	MQ_SRC_DEFAULT = 0,
	MQ_SRC_FILE,
	MQ_SRC_CMDLINE,
};

/*
 * The effective options for one interface (or, resolved without one, the
 * global ones): for each key the mq_opts that gives its value and where
 * that is.  Borrows from the config and the command line: keep both.
 */
struct mq_resolved {
	const struct mq_opts *from[MQ_OPT_NR];	/* never NULL */
	enum mq_src_kind kind[MQ_OPT_NR];
	const struct mq_config_section *sect[MQ_OPT_NR]; /* MQ_SRC_FILE */
	unsigned int line[MQ_OPT_NR];		/* MQ_SRC_FILE: of the key */
};

/*
 * Resolve: defaults, then the sections of @c matching the interface in
 * precedence order (an [interface UPPER] section or a pattern matching
 * UPPER, of a via pair, just before those matching the interface's own
 * name, at the same rank), then @cmdline (may be NULL).  @name NULL: [global]
 * only (for irqbalance and wait, and the keys of no interface).
 */
void mq_config_resolve(const struct mq_config *c, const struct mq_opts *cmdline,
		       const char *name, const char *driver, const char *pci,
		       struct mq_resolved *out);
void mq_config_resolve_netdev(const struct mq_config *c,
			      const struct mq_opts *cmdline,
			      const struct mq_netdev *dev,
			      struct mq_resolved *out);

/* The value of @k as option text (see mq_opt_format). */
const char *mq_resolved_format(const struct mq_resolved *r, enum mq_opt k,
			       char *buf, size_t cap);
/* Where it came from: "default", "command line", "FILE:LINE". */
const char *mq_resolved_source(const struct mq_resolved *r,
			       const struct mq_config *c, enum mq_opt k,
			       char *buf, size_t cap);
static inline enum mq_irqbalance_mode
mq_resolved_irqbalance(const struct mq_resolved *r)
{
	return r->from[MQ_OPT_IRQBALANCE]->irqbalance;
}
static inline long mq_resolved_wait_ms(const struct mq_resolved *r)
{
	return r->from[MQ_OPT_WAIT]->wait_ms;
}

/*
 * One interface's struct mq_policy with its own CPU sets: policy.only_cpus
 * and policy.exclude_cpus point into this struct (or are NULL), so it must
 * not be copied or moved once filled.
 */
struct mq_dev_policy {
	struct mq_policy policy;
	struct mq_cpuset only, exclude;	/* owned */
};

/*
 * Fill @out from @r.  The sets have capacity max(@nr_cpu_ids, highest CPU
 * named + 1), so a CPU beyond the machine is still seen (and warned about)
 * by mq_place.  0, or -1 with @d (ENOMEM).
 */
int mq_resolved_policy(const struct mq_resolved *r, unsigned int nr_cpu_ids,
		       struct mq_dev_policy *out, struct mq_diag *d);
void mq_dev_policy_fini(struct mq_dev_policy *p);

/*
 * Resolve and fill in one: the policy of @dev of a machine of @nr_cpu_ids
 * (@dev NULL: [global] and the command line only).
 */
int mq_config_netdev_policy(const struct mq_config *c,
			    const struct mq_opts *cmdline,
			    const struct mq_netdev *dev, unsigned int nr_cpu_ids,
			    struct mq_dev_policy *out, struct mq_diag *d);

/*
 * The policies of every netdev of @m, parallel to m->netdevs: @per_dev is
 * what mq_place_each() takes.
 */
struct mq_policies {
	size_t nr;
	struct mq_dev_policy *devs;		/* owned, nr entries */
	const struct mq_policy **per_dev;	/* owned array; -> devs[i].policy */
};

int mq_config_policies(const struct mq_config *c, const struct mq_opts *cmdline,
		       const struct mq_machine *m, struct mq_policies *out,
		       struct mq_diag *d);
void mq_policies_fini(struct mq_policies *p);

/* Whether two policies place alike (same modes, values and CPU sets). */
bool mq_policy_equal(const struct mq_policy *a, const struct mq_policy *b);

#endif /* MQTUNE_CONFIG_H */
