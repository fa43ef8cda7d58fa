/*
 * events.c - rtnetlink link and ethtool monitor notifications.
 *
 * Both sockets are plain AF_NETLINK sockets read with recvfrom(2): libnl
 * is used only to resolve the ethtool family and its "monitor" group,
 * because its receive path reports an overrun (ENOBUFS) as an
 * out-of-memory error, and an overrun must be told apart: it means
 * events were lost, not that we failed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "mqtune/events.h"

/*
 * ABI values the build host's headers may lack: the group name left
 * ethtool_netlink.h for the generated header in 6.17, and RSS_NTF is a
 * 6.17 addition (enum of kernel-to-user messages, after PSE_NTF = 49).
 */
#define MQ_ETHTOOL_MONITOR_GROUP	"monitor"
#define MQ_ETHTOOL_MSG_RINGS_NTF	17
#define MQ_ETHTOOL_MSG_CHANNELS_NTF	19
#define MQ_ETHTOOL_MSG_RSS_NTF		50
#define MQ_ETHTOOL_A_HEADER		1	/* every NTF's first attribute */
#define MQ_ETHTOOL_A_HEADER_DEV_INDEX	1	/* u32 */
#define MQ_ETHTOOL_A_HEADER_DEV_NAME	2	/* string */

#define MQ_EVENTS_RCVBUF	(1 << 20)
#define MQ_EVENTS_BUF		(64 * 1024)

struct mq_events {
	int rtnl;		/* RTNLGRP_LINK */
	int ethtool;		/* ethtool "monitor", -1 when unavailable */
	int ethtool_family;	/* its genl id */
	char *buf;		/* MQ_EVENTS_BUF bytes */
};

const char *mq_event_kind_name(enum mq_event_kind k)
{
	switch (k) {
	case MQ_EV_LINK:	return "link";
	case MQ_EV_LINK_GONE:	return "link-gone";
	case MQ_EV_CHANNELS:	return "channels";
	case MQ_EV_RINGS:	return "rings";
	case MQ_EV_RSS:		return "rss";
	case MQ_EV_LOST:	return "lost";
	}
	return "?";
}

/* ---- parsing (pure) ---- */

/* The attribute layout of rtnetlink and generic netlink is the same. */
struct tlv {
	uint16_t len;
	uint16_t type;
};

#define TLV_ALIGN(n)	(((n) + 3u) & ~3u)
#define TLV_TYPE(t)	((t) & 0x3fffu)	/* without NLA_F_NESTED / BYTEORDER */

/*
 * Walk the attributes in [@p, @p + @len): for each, @fn(type, data,
 * data_len, arg).  -1 when an attribute runs past the end.
 */
typedef void (*tlv_fn)(unsigned int type, const char *data, size_t len,
		       void *arg);

static int tlv_walk(const char *p, size_t len, tlv_fn fn, void *arg)
{
	while (len >= sizeof(struct tlv)) {
		struct tlv t;
		size_t step;

		memcpy(&t, p, sizeof(t));
		if (t.len < sizeof(t) || t.len > len)
			return -1;
		fn(TLV_TYPE(t.type), p + sizeof(t), t.len - sizeof(t), arg);
		step = TLV_ALIGN(t.len);
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	return len ? -1 : 0;
}

/* A NUL-terminated string attribute into @out; "" when it is not one. */
static void copy_name(const char *data, size_t len, char out[IFNAMSIZ])
{
	size_t n = strnlen(data, len);

	out[0] = '\0';
	if (n == len || n == 0 || n >= IFNAMSIZ)	/* unterminated, empty, long */
		return;
	memcpy(out, data, n + 1);
}

static void link_attr(unsigned int type, const char *data, size_t len,
		      void *arg)
{
	struct mq_event *e = arg;

	if (type == IFLA_IFNAME)
		copy_name(data, len, e->ifname);
	else if (type == IFLA_OPERSTATE && len >= 1)
		e->operstate = (unsigned char)data[0];
}

int mq_events_parse_link(const void *msg, size_t len, struct mq_event *e)
{
	const char *p = msg;
	struct nlmsghdr nlh;
	struct ifinfomsg ifi;
	size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifi));

	if (len < NLMSG_HDRLEN)
		return -1;
	memcpy(&nlh, p, sizeof(nlh));
	if (nlh.nlmsg_len > len || nlh.nlmsg_len < NLMSG_HDRLEN)
		return -1;
	if (nlh.nlmsg_type != RTM_NEWLINK && nlh.nlmsg_type != RTM_DELLINK)
		return 0;
	if (nlh.nlmsg_len < NLMSG_HDRLEN + sizeof(ifi))
		return -1;
	memcpy(&ifi, p + NLMSG_HDRLEN, sizeof(ifi));
	memset(e, 0, sizeof(*e));
	e->kind = nlh.nlmsg_type == RTM_NEWLINK ? MQ_EV_LINK : MQ_EV_LINK_GONE;
	e->ifindex = ifi.ifi_index;
	e->flags = ifi.ifi_flags;
	e->operstate = -1;
	if (nlh.nlmsg_len < hdr)
		return 1;
	if (tlv_walk(p + hdr, nlh.nlmsg_len - hdr, link_attr, e))
		return -1;
	return 1;
}

static void header_attr(unsigned int type, const char *data, size_t len,
			void *arg)
{
	struct mq_event *e = arg;
	uint32_t idx;

	if (type == MQ_ETHTOOL_A_HEADER_DEV_INDEX && len >= sizeof(idx)) {
		memcpy(&idx, data, sizeof(idx));
		e->ifindex = idx <= INT32_MAX ? (int)idx : 0;
	} else if (type == MQ_ETHTOOL_A_HEADER_DEV_NAME) {
		copy_name(data, len, e->ifname);
	}
}

struct ntf_walk {
	struct mq_event *e;
	int bad;
};

static void ntf_attr(unsigned int type, const char *data, size_t len,
		     void *arg)
{
	struct ntf_walk *w = arg;

	if (type == MQ_ETHTOOL_A_HEADER &&
	    tlv_walk(data, len, header_attr, w->e))
		w->bad = 1;
}

int mq_events_parse_ethtool(const void *msg, size_t len, int ethtool_family,
			    struct mq_event *e)
{
	const char *p = msg;
	struct nlmsghdr nlh;
	struct genlmsghdr gh;
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	struct ntf_walk w = { .e = e };
	enum mq_event_kind kind;

	if (len < NLMSG_HDRLEN)
		return -1;
	memcpy(&nlh, p, sizeof(nlh));
	if (nlh.nlmsg_len > len || nlh.nlmsg_len < NLMSG_HDRLEN)
		return -1;
	if (nlh.nlmsg_type != ethtool_family)
		return 0;
	if (nlh.nlmsg_len < hdr)
		return -1;
	memcpy(&gh, p + NLMSG_HDRLEN, sizeof(gh));
	switch (gh.cmd) {
	case MQ_ETHTOOL_MSG_CHANNELS_NTF: kind = MQ_EV_CHANNELS; break;
	case MQ_ETHTOOL_MSG_RINGS_NTF:	  kind = MQ_EV_RINGS; break;
	case MQ_ETHTOOL_MSG_RSS_NTF:	  kind = MQ_EV_RSS; break;
	default:			  return 0;
	}
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->operstate = -1;
	if (tlv_walk(p + hdr, nlh.nlmsg_len - hdr, ntf_attr, &w) || w.bad)
		return -1;
	return 1;
}

/* ---- sockets ---- */

static int nl_open(int proto, unsigned int group)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int size = MQ_EVENTS_RCVBUF;
	int fd, saved;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group))) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* a burst (many queues, a driver reload) must not overrun: best effort */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return fd;
}

/* The ethtool family id and its monitor group id; -1 when absent. */
static int ethtool_monitor(int *family, unsigned int *group)
{
	struct nl_sock *sk = nl_socket_alloc();
	int fam = -1, grp = -1;

	if (!sk)
		return -1;
	if (genl_connect(sk) == 0) {
		fam = genl_ctrl_resolve(sk, "ethtool");
		if (fam >= 0)
			grp = genl_ctrl_resolve_grp(sk, "ethtool",
						    MQ_ETHTOOL_MONITOR_GROUP);
	}
	nl_socket_free(sk);
	if (fam < 0 || grp < 0)
		return -1;
	*family = fam;
	*group = (unsigned int)grp;
	return 0;
}

int mq_events_open(struct mq_events **out, struct mq_diag *d)
{
	struct mq_events *ev;
	unsigned int group;

	*out = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev || !(ev->buf = malloc(MQ_EVENTS_BUF))) {
		free(ev);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	ev->ethtool = -1;
	ev->rtnl = nl_open(NETLINK_ROUTE, RTNLGRP_LINK);
	if (ev->rtnl < 0) {
		int err = errno;

		mq_events_close(ev);
		return mq_diag_set(d, MQ_EXIT_SYSTEM, err,
				   "rtnetlink: cannot subscribe to link events: %s",
				   strerror(err));
	}
	if (ethtool_monitor(&ev->ethtool_family, &group) == 0)
		ev->ethtool = nl_open(NETLINK_GENERIC, group);
	*out = ev;
	return 0;
}

void mq_events_close(struct mq_events *ev)
{
	if (!ev)
		return;
	if (ev->rtnl >= 0)
		close(ev->rtnl);
	if (ev->ethtool >= 0)
		close(ev->ethtool);
	free(ev->buf);
	free(ev);
}

bool mq_events_ethtool(const struct mq_events *ev)
{
	return ev->ethtool >= 0;
}

size_t mq_events_pollfds(const struct mq_events *ev, struct pollfd *fds)
{
	size_t n = 0;

	fds[n++] = (struct pollfd){ .fd = ev->rtnl, .events = POLLIN };
	if (ev->ethtool >= 0)
		fds[n++] = (struct pollfd){ .fd = ev->ethtool, .events = POLLIN };
	return n;
}

/* Every message of one datagram from the kernel. */
static int dispatch(struct mq_events *ev, bool ethtool, const char *p,
		    size_t len, mq_event_fn fn, void *arg)
{
	while (len >= NLMSG_HDRLEN) {
		struct nlmsghdr nlh;
		struct mq_event e;
		size_t step;
		int r;

		memcpy(&nlh, p, sizeof(nlh));
		if (nlh.nlmsg_len < NLMSG_HDRLEN || nlh.nlmsg_len > len)
			return 0;	/* truncated datagram: nothing more */
		r = ethtool ? mq_events_parse_ethtool(p, nlh.nlmsg_len,
						      ev->ethtool_family, &e)
			    : mq_events_parse_link(p, nlh.nlmsg_len, &e);
		if (r == 1 && (r = fn(&e, arg)) != 0)
			return r;
		step = NLMSG_ALIGN(nlh.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

static int drain_one(struct mq_events *ev, int fd, bool ethtool,
		     mq_event_fn fn, void *arg, struct mq_diag *d)
{
	for (;;) {
		struct sockaddr_nl from;
		socklen_t flen = sizeof(from);
		ssize_t n;
		int r;

		n = recvfrom(fd, ev->buf, MQ_EVENTS_BUF, MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == ENOBUFS) {
				struct mq_event lost = { .kind = MQ_EV_LOST,
							 .operstate = -1 };

				r = fn(&lost, arg);
				if (r)
					return r;
				continue;
			}
			return mq_diag_set(d, MQ_EXIT_SYSTEM, errno,
					   "%s: reading notifications: %s",
					   ethtool ? "ethtool netlink" : "rtnetlink",
					   strerror(errno));
		}
		if (flen < sizeof(from) || from.nl_pid != 0)
			continue;	/* only the kernel speaks here */
		r = dispatch(ev, ethtool, ev->buf, (size_t)n, fn, arg);
		if (r)
			return r;
	}
}

int mq_events_drain(struct mq_events *ev, mq_event_fn fn, void *arg,
		    struct mq_diag *d)
{
	int r = drain_one(ev, ev->rtnl, false, fn, arg, d);

	if (r || ev->ethtool < 0)
		return r;
	return drain_one(ev, ev->ethtool, true, fn, arg, d);
}

/* the values spelled out above are the ones of the build host's headers */
_Static_assert(ETHTOOL_MSG_CHANNELS_NTF == MQ_ETHTOOL_MSG_CHANNELS_NTF &&
	       ETHTOOL_MSG_RINGS_NTF == MQ_ETHTOOL_MSG_RINGS_NTF &&
	       ETHTOOL_A_CHANNELS_HEADER == MQ_ETHTOOL_A_HEADER &&
	       ETHTOOL_A_HEADER_DEV_INDEX == MQ_ETHTOOL_A_HEADER_DEV_INDEX &&
	       ETHTOOL_A_HEADER_DEV_NAME == MQ_ETHTOOL_A_HEADER_DEV_NAME,
	       "ethtool netlink ABI values");
