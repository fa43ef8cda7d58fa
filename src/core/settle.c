/*
 * settle.c - the watch's schedule: relevant events in, one heal out.
 * See settle.h for what is relevant and how bursts are settled.
 */
#include <stdlib.h>
#include <string.h>

#include <net/if.h>

#include "mqtune/settle.h"

/* linux/if.h has it but clashes with net/if.h; it is ABI */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

void mq_settle_init(struct mq_settle *s, unsigned int delay_ms,
		    unsigned int max_ms)
{
	memset(s, 0, sizeof(*s));
	s->delay_ms = delay_ms;
	s->max_ms = max_ms < delay_ms ? delay_ms : max_ms;
	s->first_ms = -1;
	s->due_ms = -1;
}

void mq_settle_fini(struct mq_settle *s)
{
	free(s->pending);
	free(s->links);
	mq_settle_init(s, s->delay_ms, s->max_ms);
}

/* Grow @*arr (of @size-byte items) to hold one more; 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static struct mq_link_seen *find_link(struct mq_settle *s, int ifindex)
{
	size_t i;

	for (i = 0; i < s->nr_links; i++)
		if (s->links[i].ifindex == ifindex)
			return &s->links[i];
	return NULL;
}

static void set_name(char dst[IFNAMSIZ], const char *src)
{
	size_t n = strnlen(src, IFNAMSIZ - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

int mq_settle_seed(struct mq_settle *s, int ifindex, const char *ifname,
		   bool running)
{
	struct mq_link_seen *l = find_link(s, ifindex);

	if (!l) {
		if (grow((void **)&s->links, &s->cap_links, s->nr_links,
			 sizeof(*s->links)))
			return -1;
		l = &s->links[s->nr_links++];
		l->ifindex = ifindex;
	}
	set_name(l->ifname, ifname);
	l->running = running;
	return 0;
}

static void forget_link(struct mq_settle *s, int ifindex)
{
	struct mq_link_seen *l = find_link(s, ifindex);

	if (l)
		*l = s->links[--s->nr_links];
}

/* Add @why for @ifindex (merged with what is pending) and reschedule. */
static int schedule(struct mq_settle *s, int ifindex, const char *ifname,
		    unsigned int why, int64_t now_ms)
{
	struct mq_trigger *t = NULL;
	int64_t due, last;
	size_t i;

	for (i = 0; i < s->nr_pending; i++)
		if (s->pending[i].ifindex == ifindex) {
			t = &s->pending[i];
			break;
		}
	if (!t) {
		if (grow((void **)&s->pending, &s->cap_pending, s->nr_pending,
			 sizeof(*s->pending)))
			return -1;
		t = &s->pending[s->nr_pending++];
		memset(t, 0, sizeof(*t));
		t->ifindex = ifindex;
	}
	if (ifname && ifname[0])
		set_name(t->ifname, ifname);
	t->why |= why;
	if (s->first_ms < 0)
		s->first_ms = now_ms;
	due = now_ms + s->delay_ms;
	last = s->first_ms + s->max_ms;
	s->due_ms = due < last ? due : last;
	return 1;
}

static bool is_running(unsigned int flags)
{
	return (flags & IFF_UP) && (flags & IFF_LOWER_UP);
}

static unsigned int link_why(struct mq_settle *s, const struct mq_event *e,
			     int *err)
{
	struct mq_link_seen *l = find_link(s, e->ifindex);
	bool running = is_running(e->flags);
	unsigned int why = 0;

	*err = 0;
	if (!l) {
		*err = mq_settle_seed(s, e->ifindex, e->ifname, running);
		return MQ_WHY_APPEARED;
	}
	if (e->ifname[0] && strcmp(l->ifname, e->ifname) != 0)
		why |= MQ_WHY_RENAMED;
	if (running && !l->running)
		why |= MQ_WHY_LINK_UP;
	if (e->ifname[0])
		set_name(l->ifname, e->ifname);
	l->running = running;
	return why;
}

int mq_settle_note(struct mq_settle *s, const struct mq_event *e,
		   int64_t now_ms)
{
	unsigned int why = 0;
	int err = 0;

	switch (e->kind) {
	case MQ_EV_LINK:
		why = link_why(s, e, &err);
		break;
	case MQ_EV_LINK_GONE:
		forget_link(s, e->ifindex);
		why = MQ_WHY_GONE;
		break;
	case MQ_EV_CHANNELS:
		why = MQ_WHY_CHANNELS;
		break;
	case MQ_EV_RINGS:
		why = MQ_WHY_RINGS;
		break;
	case MQ_EV_RSS:
		why = MQ_WHY_RSS;
		break;
	case MQ_EV_LOST:
		return schedule(s, 0, "", MQ_WHY_LOST, now_ms);
	}
	if (err)
		return -1;
	if (!why)
		return 0;
	return schedule(s, e->ifindex, e->ifname, why, now_ms);
}

int mq_settle_timeout(const struct mq_settle *s, int64_t now_ms)
{
	int64_t left;

	if (s->due_ms < 0)
		return -1;
	left = s->due_ms - now_ms;
	if (left <= 0)
		return 0;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

bool mq_settle_due(const struct mq_settle *s, int64_t now_ms)
{
	return s->due_ms >= 0 && now_ms >= s->due_ms;
}

size_t mq_settle_take(struct mq_settle *s, struct mq_trigger **out)
{
	size_t n = s->nr_pending;

	*out = n ? s->pending : NULL;
	if (!n)
		free(s->pending);
	s->pending = NULL;
	s->nr_pending = s->cap_pending = 0;
	s->first_ms = s->due_ms = -1;
	return n;
}

const char *mq_why_text(unsigned int why, char *buf, size_t cap)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ MQ_WHY_APPEARED, "appeared" }, { MQ_WHY_RENAMED, "renamed" },
		{ MQ_WHY_LINK_UP, "link-up" },	 { MQ_WHY_CHANNELS, "channels" },
		{ MQ_WHY_RINGS, "rings" },	 { MQ_WHY_RSS, "rss" },
		{ MQ_WHY_GONE, "gone" },	 { MQ_WHY_LOST, "events-lost" },
	};
	size_t i, len = 0;

	if (!cap)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n;

		if (!(why & names[i].bit))
			continue;
		n = strlen(names[i].name);
		if (len + (len ? 1 : 0) + n + 1 > cap)
			break;
		if (len)
			buf[len++] = ',';
		memcpy(buf + len, names[i].name, n + 1);
		len += n;
	}
	return buf;
}
