/*
 * sockdiag.c - a streamed inet_diag dump of TCP sockets (sockdiag.h).
 *
 * One request (SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, struct inet_diag_req_v2
 * with the states asked for: the kernel filters, so a CLOSE_WAIT dump is
 * cheap among a million TIME_WAIT sockets), then the replies are read
 * into one buffer, batch after batch, and each socket is handed on as it
 * is decoded.  Nothing per socket is kept.
 */
#include "mqtune/sockdiag.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const state_names[MQ_TCP_NR_STATES] = {
	[0] = "UNKNOWN",
	[MQ_TCP_ESTABLISHED] = "ESTAB",
	[MQ_TCP_SYN_SENT] = "SYN-SENT",
	[MQ_TCP_SYN_RECV] = "SYN-RECV",
	[MQ_TCP_FIN_WAIT1] = "FIN-WAIT-1",
	[MQ_TCP_FIN_WAIT2] = "FIN-WAIT-2",
	[MQ_TCP_TIME_WAIT] = "TIME-WAIT",
	[MQ_TCP_CLOSE] = "UNCONN",
	[MQ_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[MQ_TCP_LAST_ACK] = "LAST-ACK",
	[MQ_TCP_LISTEN] = "LISTEN",
	[MQ_TCP_CLOSING] = "CLOSING",
	[MQ_TCP_NEW_SYN_RECV] = "NEW-SYN-RECV",
};

const char *mq_tcp_state_name(unsigned int state)
{
	return state < MQ_TCP_NR_STATES ? state_names[state] : "?";
}

#define RECV_BUF (64 * 1024)

static int send_request(int fd, int family, uint32_t states)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = 1;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = states;
	do
		n = sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&sa,
			   sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(msg) ? 0 : -EIO;
}

static void decode(const struct inet_diag_msg *m, struct mq_sock *s)
{
	memset(s, 0, sizeof(*s));
	s->family = m->idiag_family;
	s->state = m->idiag_state;
	s->sport = ntohs(m->id.idiag_sport);
	s->dport = ntohs(m->id.idiag_dport);
	memcpy(s->src, m->id.idiag_src, m->idiag_family == AF_INET ? 4 : 16);
	memcpy(s->dst, m->id.idiag_dst, m->idiag_family == AF_INET ? 4 : 16);
	s->rqueue = m->idiag_rqueue;
	s->wqueue = m->idiag_wqueue;
	s->uid = m->idiag_uid;
	s->inode = m->idiag_inode;
}

/* 1 at NLMSG_DONE, 0 to read on, or -errno; *@stop the callback's value. */
static int walk(const char *buf, size_t len, mq_sock_fn fn, void *arg,
		int *stop)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)buf;
	size_t left = len;

	for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		struct mq_sock s;

		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EIO;
			return e->error ? e->error : 1;
		}
		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
		    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
			continue;
		decode(NLMSG_DATA(h), &s);
		*stop = fn(&s, arg);
		if (*stop)
			return 1;
	}
	return 0;
}

int mq_sockdiag_dump(int family, uint32_t states, mq_sock_fn fn, void *arg,
		     struct mq_diag *d)
{
	int fd, r = 0, stop = 0;
	char *buf;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return mq_diag_set(d, MQ_EXIT_SYSTEM, errno,
				   "sock_diag: cannot open a netlink socket: %s",
				   strerror(errno));
	buf = malloc(RECV_BUF);
	if (!buf) {
		close(fd);
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	}
	r = send_request(fd, family, states);
	while (r == 0) {
		ssize_t n = recv(fd, buf, RECV_BUF, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (n == 0) {
			r = -EIO;
			break;
		}
		r = walk(buf, (size_t)n, fn, arg, &stop);
	}
	free(buf);
	close(fd);
	if (stop)
		return stop;
	if (r < 0)
		return mq_diag_set(d, MQ_EXIT_SYSTEM, -r,
				   "sock_diag: TCP dump (%s) failed: %s",
				   family == AF_INET6 ? "IPv6" : "IPv4",
				   strerror(-r));
	return 0;
}
