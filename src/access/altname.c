/*
 * altname.c - one RTM_GETLINK request by IFLA_ALT_IFNAME, its answer's
 * IFLA_IFNAME (altname.h).  A plain NETLINK_ROUTE socket: one request,
 * one answer, no library needed.
 */
#include "mqtune/altname.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "mqtune/ifres.h"

#define REPLY_MAX (64u * 1024u)

struct request {
	struct nlmsghdr nlh;
	struct ifinfomsg ifi;
	char attrs[RTA_SPACE(MQ_ALTIFNAMSIZ)];
};

static int fail(struct mq_diag *d, const char *name, int err)
{
	return mq_diag_set(d, MQ_EXIT_SYSTEM, err, "rtnetlink: %.128s: %s",
			   name, strerror(err));
}

/* The IFLA_IFNAME of one RTM_NEWLINK message: 1, or 0 when it has none. */
static int link_name(const struct nlmsghdr *nlh, char out[IFNAMSIZ])
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nlh);
	const struct rtattr *a;
	int len = (int)nlh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));

	if (len < 0)
		return 0;
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t n = RTA_PAYLOAD(a);
		const char *s = RTA_DATA(a);

		if (a->rta_type != IFLA_IFNAME || n == 0 || n > IFNAMSIZ)
			continue;
		if (memchr(s, '\0', n) == NULL)
			return 0;
		memcpy(out, s, strlen(s) + 1);
		return mq_ifname_valid(out) ? 1 : 0;
	}
	return 0;
}

/* Read the answer to @seq: 1 with @out, 0 not found, -errno. */
static int answer(int fd, unsigned int seq, char out[IFNAMSIZ])
{
	char *buf = malloc(REPLY_MAX);
	int ret = -EPROTO;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = recv(fd, buf, REPLY_MAX, 0);
		struct nlmsghdr *nlh;
		size_t len;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		len = (size_t)n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					goto out;
				ret = e->error == -ENODEV || e->error == -EINVAL ?
				      0 : e->error ? e->error : -EPROTO;
				goto out;
			}
			if (nlh->nlmsg_type == RTM_NEWLINK) {
				ret = link_name(nlh, out) ? 1 : -EPROTO;
				goto out;
			}
		}
		if (n == 0)
			break;
	}
out:
	free(buf);
	return ret;
}

int mq_altname_resolve(const char *name, char out[IFNAMSIZ],
		       struct mq_diag *d)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 5 };
	struct request req;
	struct rtattr *a;
	size_t len = name ? strlen(name) : 0;
	unsigned int seq = 1;
	int fd, ret;

	out[0] = '\0';
	if (!mq_ifres_name_valid(name))
		return 0;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_type = RTM_GETLINK;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.nlh.nlmsg_seq = seq;
	req.ifi.ifi_family = AF_UNSPEC;
	a = (struct rtattr *)req.attrs;
	a->rta_type = IFLA_ALT_IFNAME;
	a->rta_len = (unsigned short)RTA_LENGTH(len + 1);
	memcpy(RTA_DATA(a), name, len + 1);
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi)) + RTA_ALIGN(a->rta_len);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return fail(d, name, errno);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		ret = errno;
		close(fd);
		return fail(d, name, ret);
	}
	ret = answer(fd, seq, out);
	close(fd);
	if (ret < 0) {
		out[0] = '\0';
		return fail(d, name, -ret);
	}
	return ret;
}
