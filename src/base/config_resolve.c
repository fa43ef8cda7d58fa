/*
 * config_resolve.c - which sections of the config file apply to an
 * interface, the effective value of each option with where it came from,
 * and the struct mq_policy of each interface (docs/config.md).
 *
 * Pure, like the parser: the model and the parsed file in, values out.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/config.h"

static const struct mq_opts defaults = { .wait_ms = MQ_WAIT_DEFAULT_MS };

bool mq_config_section_matches(const struct mq_config_section *s,
			       const char *name, const char *driver,
			       const char *pci)
{
	switch (s->kind) {
	case MQ_SECT_GLOBAL:
		return true;
	case MQ_SECT_NAME:
		return name && strcmp(s->arg, name) == 0;
	case MQ_SECT_GLOB:
		return name && fnmatch(s->arg, name, 0) == 0;
	case MQ_SECT_DRIVER:
		return driver && driver[0] && strcmp(s->arg, driver) == 0;
	case MQ_SECT_PCI:
		return pci && pci[0] && strcmp(s->arg, pci) == 0;
	}
	return false;
}

/*
 * Whether @lower was reached through a name (its via table) that the name
 * section or pattern @s matches.
 */
static bool via_matches(const struct mq_config *c,
			const struct mq_config_section *s, const char *lower)
{
	size_t i;

	if (s->kind != MQ_SECT_NAME && s->kind != MQ_SECT_GLOB)
		return false;
	for (i = 0; lower && i < c->nr_via; i++)
		if (strcmp(c->via[i].lower, lower) == 0 &&
		    strcmp(c->via[i].upper, lower) != 0 &&
		    mq_config_section_matches(s, c->via[i].upper, NULL, NULL))
			return true;
	return false;
}

bool mq_config_section_applies(const struct mq_config *c,
			       const struct mq_config_section *s,
			       const char *name, const char *driver,
			       const char *pci)
{
	return mq_config_section_matches(s, name, driver, pci) ||
	       via_matches(c, s, name);
}

bool mq_config_names_interfaces(const struct mq_config *c)
{
	size_t i;

	for (i = 0; c && i < c->nr; i++)
		if (c->sects[i].kind != MQ_SECT_GLOBAL)
			return true;
	return false;
}

bool mq_config_matches(const struct mq_config *c, const char *name,
		       const char *driver, const char *pci)
{
	size_t i;

	for (i = 0; c && i < c->nr; i++)
		if (c->sects[i].kind != MQ_SECT_GLOBAL &&
		    mq_config_section_applies(c, &c->sects[i], name, driver, pci))
			return true;
	return false;
}

static const char *netdev_pci(const struct mq_netdev *dev)
{
	return strcmp(dev->bus, "pci") == 0 ? dev->bus_address : "";
}

bool mq_config_matches_netdev(const struct mq_config *c,
			      const struct mq_netdev *dev)
{
	return mq_config_matches(c, dev->name, dev->driver, netdev_pci(dev));
}

int mq_config_set_via(struct mq_config *c, const struct mq_config_via *via,
		      size_t n)
{
	struct mq_config_via *copy = NULL;

	if (n) {
		copy = malloc(n * sizeof(*copy));
		if (!copy) {
			free(c->via);
			c->via = NULL;
			c->nr_via = 0;
			return -1;
		}
		memcpy(copy, via, n * sizeof(*copy));
	}
	free(c->via);
	c->via = copy;
	c->nr_via = n;
	return 0;
}

static void take(struct mq_resolved *out, const struct mq_config_section *s)
{
	int k;

	for (k = 0; k < MQ_OPT_NR; k++)
		if (mq_opts_has(&s->opts, k)) {
			out->from[k] = &s->opts;
			out->kind[k] = MQ_SRC_FILE;
			out->sect[k] = s;
			out->line[k] = s->opts.line[k];
		}
}

void mq_config_resolve(const struct mq_config *c, const struct mq_opts *cmdline,
		       const char *name, const char *driver, const char *pci,
		       struct mq_resolved *out)
{
	int rank, k;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < MQ_OPT_NR; k++)
		out->from[k] = &defaults;
	for (rank = MQ_SECT_GLOBAL; rank <= MQ_SECT_NAME && c; rank++) {
		if (!name && rank != MQ_SECT_GLOBAL)
			break;
		/* the names it was reached by, below its own name */
		for (i = 0; i < c->nr; i++)
			if ((int)c->sects[i].kind == rank &&
			    !mq_config_section_matches(&c->sects[i], name, driver, pci) &&
			    via_matches(c, &c->sects[i], name))
				take(out, &c->sects[i]);
		for (i = 0; i < c->nr; i++) {
			const struct mq_config_section *s = &c->sects[i];

			if ((int)s->kind == rank &&
			    mq_config_section_matches(s, name, driver, pci))
				take(out, s);
		}
	}
	for (k = 0; k < MQ_OPT_NR; k++)
		if (mq_opts_has(cmdline, k)) {
			out->from[k] = cmdline;
			out->kind[k] = MQ_SRC_CMDLINE;
			out->sect[k] = NULL;
			out->line[k] = 0;
		}
}

void mq_config_resolve_netdev(const struct mq_config *c,
			      const struct mq_opts *cmdline,
			      const struct mq_netdev *dev,
			      struct mq_resolved *out)
{
	mq_config_resolve(c, cmdline, dev->name, dev->driver, netdev_pci(dev),
			  out);
}

const char *mq_resolved_format(const struct mq_resolved *r, enum mq_opt k,
			       char *buf, size_t cap)
{
	return mq_opt_format(r->from[k], k, buf, cap);
}

const char *mq_resolved_source(const struct mq_resolved *r,
			       const struct mq_config *c, enum mq_opt k,
			       char *buf, size_t cap)
{
	switch (r->kind[k]) {
	case MQ_SRC_FILE:
		snprintf(buf, cap, "%s:%u", c && c->file ? c->file : "?",
			 r->line[k]);
		break;
	case MQ_SRC_CMDLINE:
		snprintf(buf, cap, "command line");
		break;
	case MQ_SRC_DEFAULT:
		snprintf(buf, cap, "default");
		break;
	}
	return buf;
}

/* @dst = a copy of @src with capacity max(@n, its last CPU + 1). */
static int copy_set(struct mq_cpuset *dst, const struct mq_cpuset *src,
		    unsigned int n)
{
	unsigned int cap = n, cpu;
	int c;

	for (c = mq_cpuset_next(src, 0); c >= 0; c = mq_cpuset_next(src, (unsigned int)c + 1))
		if ((unsigned int)c + 1 > cap)
			cap = (unsigned int)c + 1;
	if (mq_cpuset_init(dst, cap ? cap : 1))
		return -1;
	for (cpu = 0; cpu < cap; cpu++)
		if (mq_cpuset_test(src, cpu))
			mq_cpuset_set(dst, cpu);
	return 0;
}

int mq_resolved_policy(const struct mq_resolved *r, unsigned int nr_cpu_ids,
		       struct mq_dev_policy *out, struct mq_diag *d)
{
	const struct mq_opts *o;

	memset(out, 0, sizeof(*out));
	o = r->from[MQ_OPT_CPUS];
	if (o->cpus.words) {
		if (copy_set(&out->only, &o->cpus, nr_cpu_ids))
			goto oom;
		out->policy.only_cpus = &out->only;
	}
	o = r->from[MQ_OPT_EXCLUDE_CPUS];
	if (o->exclude_cpus.words) {
		if (copy_set(&out->exclude, &o->exclude_cpus, nr_cpu_ids))
			goto oom;
		out->policy.exclude_cpus = &out->exclude;
	}
	out->policy.rps = r->from[MQ_OPT_RPS]->rps;
	out->policy.rps_scope = r->from[MQ_OPT_RPS_SCOPE]->rps_scope;
	out->policy.xps = r->from[MQ_OPT_XPS]->xps;
	out->policy.backlog = r->from[MQ_OPT_BACKLOG]->backlog;
	out->policy.backlog_value = r->from[MQ_OPT_BACKLOG]->backlog_value;
	out->policy.channels = r->from[MQ_OPT_CHANNELS]->channels;
	out->policy.channels_value = r->from[MQ_OPT_CHANNELS]->channels_value;
	out->policy.rss = r->from[MQ_OPT_RSS]->rss;
	return 0;
oom:
	mq_dev_policy_fini(out);
	return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
}

void mq_dev_policy_fini(struct mq_dev_policy *p)
{
	mq_cpuset_fini(&p->only);
	mq_cpuset_fini(&p->exclude);
	memset(p, 0, sizeof(*p));
}

int mq_config_netdev_policy(const struct mq_config *c,
			    const struct mq_opts *cmdline,
			    const struct mq_netdev *dev, unsigned int nr_cpu_ids,
			    struct mq_dev_policy *out, struct mq_diag *d)
{
	struct mq_resolved r;

	if (dev)
		mq_config_resolve_netdev(c, cmdline, dev, &r);
	else	/* [global] and the command line only */
		mq_config_resolve(c, cmdline, NULL, NULL, NULL, &r);
	return mq_resolved_policy(&r, nr_cpu_ids, out, d);
}

int mq_config_policies(const struct mq_config *c, const struct mq_opts *cmdline,
		       const struct mq_machine *m, struct mq_policies *out,
		       struct mq_diag *d)
{
	size_t i, n = m->nr_netdevs;

	memset(out, 0, sizeof(*out));
	out->devs = calloc(n ? n : 1, sizeof(*out->devs));
	out->per_dev = calloc(n ? n : 1, sizeof(*out->per_dev));
	if (!out->devs || !out->per_dev) {
		mq_policies_fini(out);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (mq_config_netdev_policy(c, cmdline, &m->netdevs[i],
					    m->topo.nr_cpu_ids, &out->devs[i], d)) {
			mq_policies_fini(out);
			return -1;
		}
		out->per_dev[i] = &out->devs[i].policy;
		out->nr = i + 1;
	}
	return 0;
}

void mq_policies_fini(struct mq_policies *p)
{
	size_t i;

	for (i = 0; p->devs && i < p->nr; i++)
		mq_dev_policy_fini(&p->devs[i]);
	free(p->devs);
	free(p->per_dev);
	memset(p, 0, sizeof(*p));
}

static bool set_equal(const struct mq_cpuset *a, const struct mq_cpuset *b)
{
	if (!a || !b)
		return a == b;
	return mq_cpuset_equal(a, b);
}

bool mq_policy_equal(const struct mq_policy *a, const struct mq_policy *b)
{
	return a->rps == b->rps && a->rps_scope == b->rps_scope &&
	       a->xps == b->xps && a->backlog == b->backlog &&
	       (a->backlog != MQ_BACKLOG_SET || a->backlog_value == b->backlog_value) &&
	       a->channels == b->channels && a->rss == b->rss &&
	       (a->channels != MQ_CHANNELS_SET ||
		a->channels_value == b->channels_value) &&
	       set_equal(a->only_cpus, b->only_cpus) &&
	       set_equal(a->exclude_cpus, b->exclude_cpus);
}
