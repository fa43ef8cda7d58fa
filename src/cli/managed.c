/*
 * managed.c - the managed set: which interfaces a run discovers and
 * places, in which order, and which of them it applies (its part).
 */
#include "mqtune/managed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/netdev.h"

bool mq_managed_wants(const struct mq_ctx *ctx, const struct mq_ifentry *e)
{
	(void)ctx;
	/*
	 * CONFIG FILE HOOK: when the config file has interface sections,
	 * they, and only they, choose the managed set:
	 *
	 *	if (mq_config_names_interfaces(ctx->config))
	 *		return mq_config_matches(ctx->config, e->name, e->driver,
	 *					 e->bus_address);
	 */
	return e->has_device && (e->nr_msi > 0 || e->nr_rxq > 0);
}

int mq_ifentry_cmp(const struct mq_ifentry *a, const struct mq_ifentry *b)
{
	int c;

	if (!a->bus_address[0] != !b->bus_address[0])
		return a->bus_address[0] ? -1 : 1;
	c = strcmp(a->bus_address, b->bus_address);
	return c ? c : strcmp(a->name, b->name);
}

static int cmp_entries(const void *a, const void *b)
{
	return mq_ifentry_cmp(a, b);
}

static const struct mq_ifentry *find_entry(const struct mq_ifentry *list,
					   size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	return NULL;
}

static bool named(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static int alloc_set(struct mq_ifset *s, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->names = calloc(cap ? cap : 1, sizeof(*s->names));
	s->ptrs = calloc(cap ? cap : 1, sizeof(*s->ptrs));
	s->selected = calloc(cap ? cap : 1, sizeof(*s->selected));
	return s->names && s->ptrs && s->selected ? 0 : -1;
}

static void add_name(struct mq_ifset *s, const char *name, bool selected)
{
	snprintf(s->names[s->nr], IFNAMSIZ, "%s", name);
	s->ptrs[s->nr] = s->names[s->nr];
	s->selected[s->nr] = selected;
	s->nr_selected += selected;
	s->nr++;
}

int mq_managed_set(struct mq_ctx *ctx, bool all, struct mq_ifset *out,
		   struct mq_diag *d)
{
	char storage[IFNAMSIZ];
	const char *one = NULL;
	const char *const *want = NULL;
	struct mq_ifentry *list = NULL, *extra = NULL;
	size_t n = 0, nwant = 0, i, j, nextra = 0;

	memset(out, 0, sizeof(*out));
	if (!all) {
		/* CONFIG FILE HOOK: with no names given and a config file
		 * that names interfaces, the part is the managed set (as
		 * --all); today it is the default-route interface. */
		if (mq_cli_ifnames(ctx, storage, &one, d))
			return -1;
		want = ctx->ifnames;
		nwant = ctx->nr_ifnames;
	}
	/* every name is checked before any path is built from it */
	for (i = 0; i < nwant; i++)
		if (!mq_netdev_name_ok(want[i], d))
			return -1;
	if (mq_iflist_read(&ctx->root, &list, &n, d))
		return -1;
	qsort(list, n, sizeof(*list), cmp_entries);
	extra = calloc(nwant ? nwant : 1, sizeof(*extra));
	if (!extra || alloc_set(out, n + nwant))
		goto nomem;
	for (i = 0; i < n; i++)
		if (mq_managed_wants(ctx, &list[i]))
			add_name(out, list[i].name,
				 all || named(want, nwant, list[i].name));
	out->nr_managed = out->nr;
	/* Named interfaces outside the managed set: once each, after it. */
	for (i = 0; i < nwant; i++) {
		const struct mq_ifentry *e = find_entry(list, n, want[i]);
		bool dup = false;

		if (e && mq_managed_wants(ctx, e))
			continue;
		for (j = 0; j < nextra && !dup; j++)
			dup = strcmp(extra[j].name, want[i]) == 0;
		if (dup)
			continue;
		if (e)
			extra[nextra] = *e;
		else	/* unknown or invalid: discovery says why */
			snprintf(extra[nextra].name, IFNAMSIZ, "%.*s",
				 IFNAMSIZ - 1, want[i]);
		nextra++;
	}
	qsort(extra, nextra, sizeof(*extra), cmp_entries);
	for (i = 0; i < nextra; i++)
		add_name(out, extra[i].name, true);
	free(list);
	free(extra);
	return 0;
nomem:
	free(list);
	free(extra);
	mq_ifset_fini(out);
	return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
}

void mq_ifset_fini(struct mq_ifset *s)
{
	free(s->names);
	free(s->ptrs);
	free(s->selected);
	memset(s, 0, sizeof(*s));
}
