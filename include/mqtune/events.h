/*
 * events.h - the kernel notifications `mqtune watch` waits on.
 *
 * Two netlink sockets, both non-blocking, for poll(2) with no timeout:
 *  - rtnetlink, group RTNLGRP_LINK: a link appeared, changed (flags,
 *    operstate, name) or went away;
 *  - the "ethtool" generic netlink family's "monitor" group (Linux 5.7+
 *    for CHANNELS_NTF): channel, ring and (6.17+) RSS changes, made by
 *    netlink or by the ioctl.  Kernels without the family or the group
 *    are not an error: mq_events_ethtool() says false and the caller
 *    says so once.
 * Messages are parsed as they are read; nothing is queued here.  A
 * socket whose receive buffer overran (ENOBUFS) reports MQ_EV_LOST: some
 * events are gone and the caller must re-check everything it watches.
 */
#ifndef MQTUNE_EVENTS_H
#define MQTUNE_EVENTS_H

#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"

enum mq_event_kind {
	MQ_EV_LINK = 0,		/* RTM_NEWLINK: new, or its state changed */
	MQ_EV_LINK_GONE,	/* RTM_DELLINK */
	MQ_EV_CHANNELS,		/* ETHTOOL_MSG_CHANNELS_NTF */
	MQ_EV_RINGS,		/* ETHTOOL_MSG_RINGS_NTF */
	MQ_EV_RSS,		/* ETHTOOL_MSG_RSS_NTF (6.17+) */
	MQ_EV_LOST,		/* a socket overran: events were dropped */
};

struct mq_event {
	enum mq_event_kind kind;
	int ifindex;			/* 0 when the message had none */
	char ifname[IFNAMSIZ];		/* "" when the message had none */
	unsigned int flags;		/* MQ_EV_LINK: ifi_flags (IFF_*) */
	int operstate;			/* MQ_EV_LINK: IF_OPER_*, -1 absent */
};

/* "link", "link-gone", "channels", "rings", "rss", "lost" */
const char *mq_event_kind_name(enum mq_event_kind k);

struct mq_events;

/**
 * mq_events_open() - subscribe to link and ethtool notifications of the
 * current network namespace.
 * Return: 0 with *@out owned by the caller (mq_events_close), or -1 with
 * @d set (MQ_EXIT_SYSTEM: the rtnetlink socket could not be made).
 */
int mq_events_open(struct mq_events **out, struct mq_diag *d);
void mq_events_close(struct mq_events *ev);

/* Whether the ethtool monitor group is subscribed. */
bool mq_events_ethtool(const struct mq_events *ev);

/* Fill @fds (room for 2) with the sockets to poll for POLLIN; count. */
size_t mq_events_pollfds(const struct mq_events *ev, struct pollfd *fds);

/* Called for each event; a non-zero return stops the drain with it. */
typedef int (*mq_event_fn)(const struct mq_event *e, void *arg);

/**
 * mq_events_drain() - read every message now queued on both sockets
 * (without blocking) and call @fn for each relevant one.
 * Return: 0, @fn's non-zero value, or -1 with @d set when a socket failed
 * other than by overrunning.
 */
int mq_events_drain(struct mq_events *ev, mq_event_fn fn, void *arg,
		    struct mq_diag *d);

/*
 * The parsers behind mq_events_drain(), for the unit tests: one message
 * of @len bytes (a whole nlmsghdr).  @ethtool_family is the family's id.
 * Return: 1 when @e was filled, 0 when the message is not one we watch,
 * -1 when it is malformed.
 */
int mq_events_parse_link(const void *msg, size_t len, struct mq_event *e);
int mq_events_parse_ethtool(const void *msg, size_t len, int ethtool_family,
			    struct mq_event *e);

#endif /* MQTUNE_EVENTS_H */
