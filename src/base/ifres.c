/*
 * ifres.c - pure: the names a user may give, and the walk from a stacked
 * device down to the devices below it (ifres.h).
 */
#include "mqtune/ifres.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARROW "\xe2\x86\x92"	/* U+2192 RIGHTWARDS ARROW */

bool mq_ifres_name_valid(const char *name)
{
	return mq_ifname_valid_in(name, MQ_ALTIFNAMSIZ);
}

bool mq_namelist_has(const struct mq_namelist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return true;
	return false;
}

int mq_namelist_add(struct mq_namelist *l, const char *name)
{
	if (!mq_ifname_valid(name)) {
		errno = EINVAL;
		return -1;
	}
	if (mq_namelist_has(l, name))
		return 0;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 4;
		char (*bigger)[IFNAMSIZ] = realloc(l->v, ncap * sizeof(*bigger));

		if (!bigger) {
			errno = ENOMEM;
			return -1;
		}
		l->v = bigger;
		l->cap = ncap;
	}
	memcpy(l->v[l->n++], name, strlen(name) + 1);
	return 0;
}

void mq_namelist_fini(struct mq_namelist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct walk {
	mq_lowers_fn lowers;
	void *arg;
	struct mq_namelist *out;
	struct mq_namelist done;	/* stacked devices walked completely */
	char path[MQ_STACK_MAX_NEST][IFNAMSIZ];
	size_t depth;
	struct mq_diag *d;
};

/* "A → B → ... → @last" of the current path into @buf. */
static const char *path_text(const struct walk *w, const char *last,
			     char *buf, size_t cap)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < w->depth && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s " ARROW " ",
					w->path[i]);
	if (len < cap)
		snprintf(buf + len, cap - len, "%s", last);
	return buf;
}

static int visit(struct walk *w, const char *name)
{
	struct mq_namelist low = { 0 };
	char text[MQ_DIAG_MSG_MAX];
	size_t i;
	int ret = 0;

	for (i = 0; i < w->depth; i++)
		if (strcmp(w->path[i], name) == 0)
			return mq_diag_set(w->d, MQ_EXIT_SYSTEM, ELOOP,
					   "%s: stacked devices form a loop: %s",
					   w->path[0],
					   path_text(w, name, text, 400));
	if (mq_namelist_has(&w->done, name))
		return 0;	/* reached twice: its leaves are in already */
	if (w->depth == MQ_STACK_MAX_NEST)
		return mq_diag_set(w->d, MQ_EXIT_SYSTEM, EMLINK,
				   "%s: stacked deeper than the kernel's %d levels: %s",
				   w->path[0], MQ_STACK_MAX_NEST,
				   path_text(w, name, text, 400));
	memcpy(w->path[w->depth++], name, strlen(name) + 1);
	if (w->lowers(w->arg, name, &low, w->d))
		ret = -1;
	else if (!low.n)
		ret = mq_namelist_add(w->out, name);
	else
		for (i = 0; i < low.n && !ret; i++)
			ret = visit(w, low.v[i]);
	if (!ret && low.n)
		ret = mq_namelist_add(&w->done, name);
	w->depth--;
	mq_namelist_fini(&low);
	if (ret && !w->d->msg[0])
		mq_diag_set(w->d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	return ret ? -1 : 0;
}

int mq_ifres_stack(const char *name, mq_lowers_fn lowers, void *arg,
		   struct mq_namelist *out, struct mq_diag *d)
{
	struct walk w = { .lowers = lowers, .arg = arg, .out = out, .d = d };
	int ret;

	memset(out, 0, sizeof(*out));
	if (!mq_ifname_valid(name))
		return mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
				   "%.64s: invalid interface name", name ? name : "");
	d->msg[0] = '\0';
	ret = visit(&w, name);
	mq_namelist_fini(&w.done);
	if (ret)
		mq_namelist_fini(out);
	return ret;
}

/* A text cut to fit ends with whole UTF-8 characters. */
static void trim_utf8(char *buf)
{
	size_t len = strlen(buf), i = len, need;
	unsigned char lead;

	while (i > 0 && len - i < 4 && ((unsigned char)buf[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)buf[i - 1];
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	if (i - 1 + need > len)
		buf[i - 1] = '\0';
}

const char *mq_ifres_format(const char *name, const struct mq_namelist *to,
			    char *buf, size_t cap)
{
	size_t i, len;

	if (!cap)
		return buf;
	len = (size_t)snprintf(buf, cap, "%s " ARROW " ", name);
	for (i = 0; i < to->n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
					i ? ", " : "", to->v[i]);
	if (len >= cap)
		trim_utf8(buf);
	return buf;
}
