/*
 * sockdiag.h - TCP sockets from the live kernel (NETLINK_SOCK_DIAG,
 * inet_diag with INET_DIAG_REQ_V2), streamed: each socket is handed to a
 * callback as its message is read and never stored, so 100,000 sockets
 * cost one receive buffer.  Only the kernel can answer: a sysroot has no
 * sockets (the caller does not ask there).
 */
#ifndef MQTUNE_SOCKDIAG_H
#define MQTUNE_SOCKDIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "mqtune/diag.h"

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
enum mq_tcp_state {
	MQ_TCP_ESTABLISHED = 1,
	MQ_TCP_SYN_SENT,
	MQ_TCP_SYN_RECV,
	MQ_TCP_FIN_WAIT1,
	MQ_TCP_FIN_WAIT2,
	MQ_TCP_TIME_WAIT,
	MQ_TCP_CLOSE,
	MQ_TCP_CLOSE_WAIT,
	MQ_TCP_LAST_ACK,
	MQ_TCP_LISTEN,
	MQ_TCP_CLOSING,
	MQ_TCP_NEW_SYN_RECV,
	MQ_TCP_NR_STATES
};

/* "ESTAB", "TIME-WAIT"... as ss(8) names them; "?" out of range. */
const char *mq_tcp_state_name(unsigned int state);

#define MQ_TCP_ALL_STATES 0xfffu	/* bits 0..11 */

struct mq_sock {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t state;		/* enum mq_tcp_state */
	uint16_t sport, dport;	/* host order */
	uint8_t src[16], dst[16];	/* network order; IPv4 in the first 4 */
	uint32_t rqueue;	/* LISTEN: accept queue now; else bytes unread */
	uint32_t wqueue;	/* LISTEN: its backlog; else bytes unsent */
	uint32_t uid;
	uint32_t inode;		/* 0: no file (orphaned, or TIME_WAIT) */
};

/* Return non-zero to stop the dump (that value is returned). */
typedef int (*mq_sock_fn)(const struct mq_sock *s, void *arg);

/**
 * mq_sockdiag_dump() - every TCP socket of @family (AF_INET, AF_INET6)
 * whose state bit (1 << state) is in @states, one call of @fn each.
 * Return: 0; @fn's non-zero value; -1 with @d set (status 5, "sock_diag:
 * CAUSE") when the socket cannot be made or the dump fails.  An
 * unsupported family (no IPv6) is -1 with d->err EAFNOSUPPORT or ENOENT.
 */
int mq_sockdiag_dump(int family, uint32_t states, mq_sock_fn fn, void *arg,
		     struct mq_diag *d);

#endif /* MQTUNE_SOCKDIAG_H */
