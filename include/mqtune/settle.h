/*
 * settle.h - which notifications call for a heal, and when to heal.
 *
 * Pure: `mqtune watch` feeds every event (events.h) in with the time it
 * was read, and asks how long poll(2) may sleep.  A burst (a channel
 * change emits several events while the driver re-requests its vectors)
 * is settled into one heal: each relevant event pushes the heal back by
 * the settle delay, but never past the first event plus the maximum, so
 * that a storm cannot postpone it forever.  With nothing pending the
 * sleep is unbounded (-1): an idle watch never wakes.
 *
 * What is relevant: a link seen for the first time, renamed, or gone; a
 * link whose carrier came up (drivers request their IRQs in ndo_open and
 * the kernel resets their affinity); every ethtool channel, ring or RSS
 * notification; and lost events (a socket overran).  A link going down,
 * or a notification that changes nothing we track (statistics, MTU), is
 * not.
 */
#ifndef MQTUNE_SETTLE_H
#define MQTUNE_SETTLE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/events.h"

/* Why an interface is to be healed (bit flags). */
#define MQ_WHY_APPEARED	0x01u	/* a link not seen before */
#define MQ_WHY_RENAMED	0x02u
#define MQ_WHY_LINK_UP	0x04u	/* carrier up: vectors re-requested */
#define MQ_WHY_CHANNELS	0x08u
#define MQ_WHY_RINGS	0x10u
#define MQ_WHY_RSS	0x20u
#define MQ_WHY_GONE	0x40u
#define MQ_WHY_LOST	0x80u	/* events were lost: check everything */

struct mq_trigger {
	int ifindex;			/* 0 for MQ_WHY_LOST */
	char ifname[IFNAMSIZ];		/* the latest name, "" if unknown */
	unsigned int why;		/* MQ_WHY_* */
};

struct mq_link_seen {
	int ifindex;
	char ifname[IFNAMSIZ];
	bool running;			/* IFF_UP and carrier (IFF_LOWER_UP) */
};

struct mq_settle {
	unsigned int delay_ms;		/* quiet time before a heal */
	unsigned int max_ms;		/* longest wait after the first event */
	int64_t first_ms;		/* first pending event, -1 none */
	int64_t due_ms;			/* when to heal, -1 none */
	struct mq_trigger *pending;	/* owned, one per interface */
	size_t nr_pending, cap_pending;
	struct mq_link_seen *links;	/* owned: links known to exist */
	size_t nr_links, cap_links;
};

void mq_settle_init(struct mq_settle *s, unsigned int delay_ms,
		    unsigned int max_ms);
void mq_settle_fini(struct mq_settle *s);

/*
 * Record a link that exists at start (from the first discovery), so that
 * its next event is not taken for an appearance.  0, or -1 (no memory).
 */
int mq_settle_seed(struct mq_settle *s, int ifindex, const char *ifname,
		   bool running);

/*
 * Take in one event read at @now_ms.  Return: 1 when it calls for a heal
 * (scheduled), 0 when it does not, -1 when out of memory.
 */
int mq_settle_note(struct mq_settle *s, const struct mq_event *e,
		   int64_t now_ms);

/* poll(2) timeout at @now_ms: -1 with nothing pending, else >= 0 ms. */
int mq_settle_timeout(const struct mq_settle *s, int64_t now_ms);

/* Whether a heal is due at @now_ms. */
bool mq_settle_due(const struct mq_settle *s, int64_t now_ms);

/*
 * Hand the pending triggers to the caller (*@out, owned by the caller,
 * free() it; NULL when none) and clear the schedule.  Return: how many.
 */
size_t mq_settle_take(struct mq_settle *s, struct mq_trigger **out);

/* "appeared,channels" for a MQ_WHY_* set, into @buf.  Returns @buf. */
const char *mq_why_text(unsigned int why, char *buf, size_t cap);

#endif /* MQTUNE_SETTLE_H */
