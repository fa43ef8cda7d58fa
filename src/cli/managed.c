/*
 * managed.c - the managed set: which interfaces a run discovers and
 * places, in which order, and which of them it applies (its part); and
 * what a name given stands for (an alternative name, a stacked device).
 */
#include "mqtune/managed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mqtune/altname.h"
#include "mqtune/netdev.h"
#include "mqtune/stack.h"

#define NET_DIR "/sys/class/net"

bool mq_managed_wants(const struct mq_ctx *ctx, const struct mq_ifentry *e)
{
	/*
	 * A config file with interface sections chooses the managed set: the
	 * interfaces its sections match (by name, glob, driver or PCI
	 * address), and only they.
	 */
	if (mq_config_names_interfaces(&ctx->config))
		return mq_config_matches(&ctx->config, e->name, e->driver,
					 e->bus_address);
	return e->has_device && e->has_queues;
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

static int nomem(struct mq_diag *d)
{
	return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
}

/* ---- what a name stands for ---- */

struct resolver {
	struct mq_ctx *ctx;
	struct mq_ifentry *list;	/* sorted; NULL until needed */
	size_t n;
	bool listed;
	struct mq_ifnote *notes;	/* owned until handed to the set */
	size_t nr_notes;
	struct mq_config_via *via;	/* owned */
	size_t nr_via;
};

static void resolver_fini(struct resolver *rv)
{
	size_t i;

	for (i = 0; i < rv->nr_notes; i++)
		free(rv->notes[i].message);
	free(rv->notes);
	free(rv->via);
	free(rv->list);
	memset(rv, 0, sizeof(*rv));
}

static int need_list(struct resolver *rv, struct mq_diag *d)
{
	if (rv->listed)
		return 0;
	if (mq_iflist_read(&rv->ctx->root, &rv->list, &rv->n, d))
		return -1;
	qsort(rv->list, rv->n, sizeof(*rv->list), cmp_entries);
	rv->listed = true;
	return 0;
}

/* /sys/class/net/NAME (and NAME/device) exists. */
static bool class_has(const struct mq_root *r, const char *name,
		      const char *below)
{
	char path[MQ_PATH_MAX];
	struct stat st;

	return mq_ifname_valid(name) &&
	       mq_path(path, sizeof(path), NET_DIR "/%s%s", name, below) == 0 &&
	       mq_root_stat(r, path, &st) == 0;
}

static int note(struct resolver *rv, const char *code, const char *given,
		const char *on, const char *message)
{
	struct mq_ifnote *bigger, *n;
	size_t i;

	for (i = 0; i < rv->nr_notes; i++)	/* one per resolution */
		if (strcmp(rv->notes[i].code, code) == 0 &&
		    strcmp(rv->notes[i].given, given) == 0)
			return 0;
	bigger = realloc(rv->notes, (rv->nr_notes + 1) * sizeof(*bigger));
	if (!bigger)
		return -1;
	rv->notes = bigger;
	n = &rv->notes[rv->nr_notes];
	memset(n, 0, sizeof(*n));
	snprintf(n->code, sizeof(n->code), "%s", code);
	snprintf(n->given, sizeof(n->given), "%s", given);
	snprintf(n->on, sizeof(n->on), "%s", on);
	n->message = strdup(message);
	if (!n->message)
		return -1;
	rv->nr_notes++;
	return 0;
}

static int add_via(struct resolver *rv, const char *upper, const char *lower)
{
	struct mq_config_via *bigger;
	size_t i;

	if (strcmp(upper, lower) == 0)
		return 0;
	for (i = 0; i < rv->nr_via; i++)
		if (strcmp(rv->via[i].upper, upper) == 0 &&
		    strcmp(rv->via[i].lower, lower) == 0)
			return 0;
	bigger = realloc(rv->via, (rv->nr_via + 1) * sizeof(*bigger));
	if (!bigger)
		return -1;
	rv->via = bigger;
	snprintf(rv->via[rv->nr_via].upper, MQ_ALTIFNAMSIZ, "%s", upper);
	snprintf(rv->via[rv->nr_via].lower, IFNAMSIZ, "%s", lower);
	rv->nr_via++;
	return 0;
}

/* @l sorted in the machine's order (names not listed after, by name). */
static void sort_machine_order(const struct resolver *rv, struct mq_namelist *l)
{
	size_t i, j;

	for (i = 1; i < l->n; i++)	/* insertion sort: a few names */
		for (j = i; j > 0; j--) {
			const struct mq_ifentry *a = find_entry(rv->list, rv->n, l->v[j - 1]);
			const struct mq_ifentry *b = find_entry(rv->list, rv->n, l->v[j]);
			char tmp[IFNAMSIZ];
			int c = a && b ? mq_ifentry_cmp(a, b) :
				a ? -1 : b ? 1 : strcmp(l->v[j - 1], l->v[j]);

			if (c <= 0)
				break;
			memcpy(tmp, l->v[j], IFNAMSIZ);
			memcpy(l->v[j], l->v[j - 1], IFNAMSIZ);
			memcpy(l->v[j - 1], tmp, IFNAMSIZ);
		}
}

/*
 * What @given stands for, appended to @to: its kernel name (an
 * alternative name resolved on a live system), or the devices below it
 * when it is stacked.  A name that is no interface is appended as it is
 * (discovery says "no such network interface") when it could be a kernel
 * name, else refused here.
 */
static int resolve(struct resolver *rv, const char *given,
		   struct mq_namelist *to, struct mq_diag *d)
{
	const struct mq_root *r = &rv->ctx->root;
	char kname[IFNAMSIZ] = "", msg[1024];
	struct mq_namelist leaves = { 0 }, one = { 0 };
	size_t i;
	int ret = 0;

	if (!mq_ifres_name_valid(given))
		return mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
				   "%.64s: invalid interface name (1-%d bytes, "
				   "no '/', ':' or spaces)", given ? given : "",
				   MQ_ALTIFNAMSIZ - 1);
	if (class_has(r, given, ""))
		snprintf(kname, sizeof(kname), "%s", given);
	else if (r->live) {
		ret = mq_altname_resolve(given, kname, d);
		if (ret < 0)
			return -1;
		if (ret == 1 && !class_has(r, kname, ""))
			kname[0] = '\0';	/* gone in between */
		if (kname[0]) {
			mq_namelist_add(&one, kname);
			if (!one.n || note(rv, "altname", given, kname,
					   mq_ifres_format(given, &one, msg,
							   sizeof(msg))) ||
			    add_via(rv, given, kname))
				goto oom;
			mq_namelist_fini(&one);
		}
	}
	if (!kname[0]) {
		if (!mq_ifname_valid(given))
			return mq_diag_set(d, MQ_EXIT_NODEV, ENODEV,
					   "%.128s: no such network interface",
					   given);
		return mq_namelist_add(to, given) ? nomem(d) : 0;
	}
	/* a device with a `device` link is physical: nothing below it */
	if (class_has(r, kname, "/device"))
		return mq_namelist_add(to, kname) ? nomem(d) : 0;
	if (mq_stack_resolve(r, kname, &leaves, d))
		return -1;
	if (leaves.n > 1 || strcmp(leaves.v[0], kname) != 0) {
		if (need_list(rv, d)) {
			mq_namelist_fini(&leaves);
			return -1;
		}
		sort_machine_order(rv, &leaves);
		if (note(rv, "stacked-device", kname, leaves.v[0],
			 mq_ifres_format(kname, &leaves, msg, sizeof(msg))))
			goto oom;
	}
	for (i = 0; i < leaves.n; i++)
		if (mq_namelist_add(to, leaves.v[i]) ||
		    add_via(rv, given, leaves.v[i]) ||
		    add_via(rv, kname, leaves.v[i]))
			goto oom;
	mq_namelist_fini(&leaves);
	return 0;
oom:
	mq_namelist_fini(&one);
	mq_namelist_fini(&leaves);
	return nomem(d);
}

/* The resolver's notes become the set's. */
static void hand_notes(struct resolver *rv, struct mq_ifset *s)
{
	s->notes = rv->notes;
	s->nr_notes = rv->nr_notes;
	rv->notes = NULL;
	rv->nr_notes = 0;
}

/* The config's sections that name no entry: alternative names (live). */
static int config_altnames(struct resolver *rv, struct mq_namelist *to,
			   struct mq_diag *d)
{
	const struct mq_config *c = &rv->ctx->config;
	size_t i;

	if (!rv->ctx->root.live)
		return 0;
	for (i = 0; i < c->nr; i++)
		if (c->sects[i].kind == MQ_SECT_NAME &&
		    !find_entry(rv->list, rv->n, c->sects[i].arg)) {
			struct mq_namelist got = { 0 };
			char kname[IFNAMSIZ];
			size_t k;
			int r = mq_altname_resolve(c->sects[i].arg, kname, d);

			if (r < 0)
				return -1;
			if (r == 0)	/* not there (yet): matches nothing */
				continue;
			if (resolve(rv, c->sects[i].arg, &got, d))
				return -1;
			for (k = 0; k < got.n; k++)
				if (find_entry(rv->list, rv->n, got.v[k]) &&
				    mq_namelist_add(to, got.v[k])) {
					mq_namelist_fini(&got);
					return nomem(d);
				}
			mq_namelist_fini(&got);
		}
	return 0;
}

int mq_managed_set(struct mq_ctx *ctx, bool all, struct mq_ifset *out,
		   struct mq_diag *d)
{
	char storage[IFNAMSIZ];
	const char *one = NULL;
	const char *const *want = NULL;
	struct resolver rv = { .ctx = ctx };
	struct mq_namelist named = { 0 }, chosen = { 0 };
	struct mq_ifentry *extra = NULL;
	size_t nwant = 0, i, nextra = 0;

	memset(out, 0, sizeof(*out));
	mq_config_set_via(&ctx->config, NULL, 0);
	/* no names, and a config file that names interfaces: those */
	if (mq_cli_config_names(ctx))
		all = true;
	if (!all) {
		if (mq_cli_ifnames(ctx, storage, &one, d))
			return -1;
		want = ctx->ifnames;
		nwant = ctx->nr_ifnames;
	}
	/* every name is checked before any path is built from it */
	for (i = 0; i < nwant; i++)
		if (!mq_ifres_name_valid(want[i]))
			return resolve(&rv, want[i], &named, d);
	if (need_list(&rv, d))
		return -1;
	for (i = 0; i < nwant; i++)
		if (resolve(&rv, want[i], &named, d))
			goto fail;
	/* the managed set: stacked devices a config chooses stand for their
	 * lower devices */
	for (i = 0; i < rv.n; i++)
		if (mq_managed_wants(ctx, &rv.list[i])) {
			if (rv.list[i].has_device) {
				if (mq_namelist_add(&chosen, rv.list[i].name))
					goto oom;
			} else if (resolve(&rv, rv.list[i].name, &chosen, d))
				goto fail;
		}
	if (mq_config_names_interfaces(&ctx->config) &&
	    config_altnames(&rv, &chosen, d))
		goto fail;
	extra = calloc(named.n ? named.n : 1, sizeof(*extra));
	if (!extra || alloc_set(out, rv.n + named.n))
		goto oom;
	for (i = 0; i < rv.n; i++)
		if (mq_namelist_has(&chosen, rv.list[i].name))
			add_name(out, rv.list[i].name,
				 all || mq_namelist_has(&named, rv.list[i].name));
	out->nr_managed = out->nr;
	/* Named interfaces outside the managed set: once each, after it. */
	for (i = 0; i < named.n; i++) {
		const struct mq_ifentry *e = find_entry(rv.list, rv.n, named.v[i]);

		if (e && mq_namelist_has(&chosen, e->name))
			continue;
		if (e)
			extra[nextra] = *e;
		else	/* unknown: discovery says why */
			snprintf(extra[nextra].name, IFNAMSIZ, "%s", named.v[i]);
		nextra++;
	}
	qsort(extra, nextra, sizeof(*extra), cmp_entries);
	for (i = 0; i < nextra; i++)
		add_name(out, extra[i].name, true);
	if (mq_config_set_via(&ctx->config, rv.via, rv.nr_via))
		goto oom;
	hand_notes(&rv, out);
	free(extra);
	mq_namelist_fini(&named);
	mq_namelist_fini(&chosen);
	resolver_fini(&rv);
	return 0;
oom:
	nomem(d);
fail:
	free(extra);
	mq_namelist_fini(&named);
	mq_namelist_fini(&chosen);
	resolver_fini(&rv);
	mq_ifset_fini(out);
	return -1;
}

int mq_managed_names(struct mq_ctx *ctx, struct mq_ifset *out,
		     struct mq_diag *d)
{
	struct resolver rv = { .ctx = ctx };
	struct mq_namelist got = { 0 };
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ctx->nr_ifnames; i++)
		if (resolve(&rv, ctx->ifnames[i], &got, d))
			goto fail;
	if (alloc_set(out, got.n)) {
		nomem(d);
		goto fail;
	}
	for (i = 0; i < got.n; i++)
		add_name(out, got.v[i], true);
	out->nr_managed = out->nr;
	hand_notes(&rv, out);
	mq_namelist_fini(&got);
	resolver_fini(&rv);
	return 0;
fail:
	mq_namelist_fini(&got);
	resolver_fini(&rv);
	mq_ifset_fini(out);
	return -1;
}

int mq_ifset_attach_notes(const struct mq_ifset *s, struct mq_machine *m,
			  struct mq_diag *d)
{
	size_t i, k;

	for (i = 0; i < s->nr_notes; i++)
		for (k = 0; k < m->nr_netdevs; k++)
			if (strcmp(m->netdevs[k].name, s->notes[i].on) == 0) {
				if (mq_warn(&m->netdevs[k].warnings,
					    s->notes[i].code, s->notes[i].given,
					    "%s", s->notes[i].message))
					return nomem(d);
				break;
			}
	return 0;
}

bool mq_managed_name_present(const struct mq_ctx *ctx, const char *name)
{
	char kname[IFNAMSIZ];
	struct mq_diag d;

	if (class_has(&ctx->root, name, ""))
		return true;
	return ctx->root.live && mq_ifres_name_valid(name) &&
	       mq_altname_resolve(name, kname, &d) == 1;
}

void mq_ifset_fini(struct mq_ifset *s)
{
	size_t i;

	for (i = 0; i < s->nr_notes; i++)
		free(s->notes[i].message);
	free(s->notes);
	free(s->names);
	free(s->ptrs);
	free(s->selected);
	memset(s, 0, sizeof(*s));
}
