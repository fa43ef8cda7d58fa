/*
 * ethtool_int.h - private declarations shared by the ethtool layer.
 *
 * The ethtool layer is ethtool.c (the facade behind include/mqtune/ethtool.h
 * and the transport choice), ethtool_nl.c (generic netlink plumbing and the
 * "ethtool" family), ethtool_ioctl.c (SIOCETHTOOL) and netdev_nl.c (the
 * "netdev" family's queue and NAPI dumps).  Nothing outside these files and
 * their unit test includes this header.  libnl's NLE_* codes never leave
 * ethtool_nl.c: everything declared here speaks negative errno.
 */
#ifndef MQTUNE_ETHTOOL_INT_H
#define MQTUNE_ETHTOOL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/model.h"

/*
 * Internal return value of the netlink getters/setters besides 0,
 * MQ_ETHTOOL_UNSUPPORTED and -1: the kernel has no "ethtool" genl family,
 * @d is left untouched and the facade decides (AUTO falls back to ioctl).
 */
#define MQ_ETHTOOL_NOFAMILY 2

/*
 * The "netdev" generic netlink family (Linux 6.8+ for queue-get/napi-get).
 * The build host's linux-libc-dev may predate it, so the values we use are
 * spelled out here.  They are ABI: copied by value from the kernel's
 * include/uapi/linux/netdev.h (enum netdev_queue_type, the NETDEV_A_NAPI_*
 * and NETDEV_A_QUEUE_* attribute enums, enum of NETDEV_CMD_*), and checked
 * against `genl ctrl get name netdev` on 6.18 (ops 0xa and 0xb present).
 */
#define MQ_NETDEV_FAMILY_NAME		"netdev"
#define MQ_NETDEV_FAMILY_VERSION	1

#define MQ_NETDEV_CMD_QUEUE_GET		10	/* NETDEV_CMD_QUEUE_GET */
#define MQ_NETDEV_CMD_NAPI_GET		11	/* NETDEV_CMD_NAPI_GET */

#define MQ_NETDEV_A_QUEUE_ID		1	/* u32 */
#define MQ_NETDEV_A_QUEUE_IFINDEX	2	/* u32 */
#define MQ_NETDEV_A_QUEUE_TYPE		3	/* u32, enum netdev_queue_type */
#define MQ_NETDEV_A_QUEUE_NAPI_ID	4	/* u32, absent without NAPI */
#define MQ_NETDEV_A_QUEUE_MAX		MQ_NETDEV_A_QUEUE_NAPI_ID

#define MQ_NETDEV_A_NAPI_IFINDEX	1	/* u32 */
#define MQ_NETDEV_A_NAPI_ID		2	/* u32 */
#define MQ_NETDEV_A_NAPI_IRQ		3	/* u32, absent without IRQ */
#define MQ_NETDEV_A_NAPI_PID		4	/* u32, 6.8+; absent when the
						   NAPI has no thread */
#define MQ_NETDEV_A_NAPI_THREADED	8	/* u32 (the kernel may send a
						   variable-size uint), 6.17+:
						   0 disabled, 1 enabled,
						   2 busy-poll (6.19) */
#define MQ_NETDEV_A_NAPI_MAX		MQ_NETDEV_A_NAPI_THREADED

#define MQ_NETDEV_QUEUE_TYPE_RX		0	/* NETDEV_QUEUE_TYPE_RX */
#define MQ_NETDEV_QUEUE_TYPE_TX		1	/* NETDEV_QUEUE_TYPE_TX */

/* Room for the kernel's extack message (NLMSGERR_ATTR_MSG). */
#define MQ_EXTACK_MAX 192

/* ---- facade helpers (ethtool.c) ---- */

/**
 * mq_ethtool_fail() - record a failed ethtool request in @d.
 * @ifname: the object: an interface name, or "interface index N"
 * @what: the request, e.g. "ethtool netlink CHANNELS_GET"
 * @err: positive errno
 * @extack: kernel's extended ack message, or NULL / "" for none
 *
 * ENODEV -> MQ_EXIT_NODEV "IFNAME: no such network interface";
 * EPERM/EACCES -> MQ_EXIT_PERM; ENOMEM -> MQ_EXIT_FAILURE; anything else
 * -> MQ_EXIT_ETHTOOL; all but ENODEV read
 * "IFNAME: WHAT: strerror (extack)".
 * Return: -1.
 */
int mq_ethtool_fail(struct mq_diag *d, const char *ifname, const char *what,
		    int err, const char *extack);

/* ---- generic netlink plumbing (ethtool_nl.c) ---- */

struct nl_sock;
struct nl_msg;

/* An open generic netlink socket bound to one resolved family. */
struct mq_genl {
	struct nl_sock *sk;	/* owned; NULL when closed */
	int family;		/* numeric family id */
};

/* What the kernel said when a request failed. */
struct mq_genl_err {
	int err;			/* positive errno, 0 if none */
	char extack[MQ_EXTACK_MAX];	/* "" when the kernel gave none */
};

/**
 * mq_genl_open() - connect a genl socket and resolve @family.
 * The socket gets NETLINK_EXT_ACK (and NETLINK_CAP_ACK) so failed requests
 * come back with the kernel's explanation.
 * Return: 0; -ENOENT when the kernel has no such family; other -errno.
 * On failure @g is left closed.
 */
int mq_genl_open(struct mq_genl *g, const char *family);

/* Close @g; safe on a closed or zeroed @g. */
void mq_genl_close(struct mq_genl *g);

/*
 * Called for every valid reply message.  Copies what it needs out of @nlh
 * (attribute pointers die with the receive buffer).
 * Return: 0 or a negative errno, which stops the exchange.
 */
typedef int (*mq_genl_reply_fn)(struct nlmsghdr *nlh, void *arg);

/**
 * mq_genl_transact() - send @msg and process replies until the final ACK,
 * NLMSG_DONE of a dump, or an error.
 * @fn: reply parser, may be NULL when no reply is expected
 * @e: filled with the kernel's errno and extack on failure
 * Return: 0 or -errno (the kernel's, the parser's, or a local one).
 */
int mq_genl_transact(struct mq_genl *g, struct nl_msg *msg,
		     mq_genl_reply_fn fn, void *arg, struct mq_genl_err *e);

/**
 * mq_nl_extack_find() - NLMSGERR_ATTR_MSG in a stream of ack TLVs.
 * @tlv: first attribute; @len: bytes available
 * @buf: receives the message, NUL-terminated, truncated to @size
 * Return: true when a message was found.
 */
bool mq_nl_extack_find(const void *tlv, size_t len, char *buf, size_t size);

/**
 * mq_nl_error_extack() - the extack message of an NLMSG_ERROR or of a
 * dump's NLMSG_DONE, if the kernel attached one (NLM_F_ACK_TLVS).
 * Return: true when a message was copied to @buf.
 */
bool mq_nl_error_extack(const struct nlmsghdr *nlh, char *buf, size_t size);

/**
 * mq_ethtool_nl_parse_channels() - parse a CHANNELS_GET reply into @ch.
 * Unknown attributes (newer kernels) are ignored; a missing count is 0.
 * Does not touch ch->source.
 * Return: 0 or -EBADMSG for a malformed message.
 */
int mq_ethtool_nl_parse_channels(struct nlmsghdr *nlh, struct mq_channels *ch);

/* ---- "ethtool" family transport (ethtool_nl.c) ---- */

/* Return: 0, MQ_ETHTOOL_UNSUPPORTED, MQ_ETHTOOL_NOFAMILY, or -1 with @d. */
int mq_ethtool_nl_get_channels(const char *ifname, struct mq_channels *ch,
			       struct mq_diag *d);

/* Return: 0, MQ_ETHTOOL_NOFAMILY, or -1 with @d. */
int mq_ethtool_nl_set_channels(const char *ifname,
			       const struct mq_channels *ch,
			       struct mq_diag *d);

/*
 * The RSS messages (Linux 6.2+ for GET, 6.17+ for SET).  The build host's
 * linux-libc-dev may predate them, so the values are spelled out: ABI,
 * from the kernel's include/uapi/linux/ethtool_netlink_generated.h (the
 * user message enum: RSS_GET follows PSE_SET, 37; RSS_SET follows
 * TSCONFIG_SET, 47) and checked against `genl ctrl get name ethtool` on
 * 6.18 (ops up to 0x32).  The header attribute is 1, as for channels.
 */
#define MQ_ETHTOOL_MSG_RSS_GET		38
#define MQ_ETHTOOL_MSG_RSS_SET		48
#define MQ_ETHTOOL_A_RSS_HEADER		1	/* nest */
#define MQ_ETHTOOL_A_RSS_CONTEXT	2	/* u32 */
#define MQ_ETHTOOL_A_RSS_HFUNC		3	/* u32 */
#define MQ_ETHTOOL_A_RSS_INDIR		4	/* binary: u32 entries; an
						   empty one in SET = reset */

/*
 * Open the ethtool family and start a request @cmd naming @ifname in its
 * header (attribute 1).  0 with @g open and *@msg allocated (the caller
 * frees both), MQ_ETHTOOL_NOFAMILY, or -1 with @d.
 */
/*
 * One ethtool request for @ifname (the header only), its replies parsed
 * by @cb: 0 (with @got, a reply came); MQ_ETHTOOL_UNSUPPORTED when the
 * kernel answers EOPNOTSUPP; MQ_ETHTOOL_NOFAMILY; -1 with @d for another
 * error, or an acknowledgement without the reply @got waits for.
 */
int mq_ethtool_nl_ask(const char *ifname, int cmd, const char *what,
		      int (*cb)(struct nlmsghdr *, void *), void *arg,
		      const bool *got, struct mq_diag *d);

int mq_ethtool_nl_begin(struct mq_genl *g, int cmd, const char *ifname,
			struct nl_msg **msg, struct mq_diag *d);

/**
 * mq_ethtool_nl_parse_rss() - the table of an RSS_GET reply into *@table
 * (malloc'd) and *@size.  No INDIR attribute: *@size 0, *@table NULL.
 * Return: 0, -EBADMSG (malformed: a length not a multiple of 4, more than
 * MQ_RSS_MAX_ENTRIES entries) or -ENOMEM.
 */
int mq_ethtool_nl_parse_rss(struct nlmsghdr *nlh, uint32_t **table,
			    uint32_t *size);

/* Return: 0, MQ_ETHTOOL_UNSUPPORTED (EOPNOTSUPP: no command or no table),
 * MQ_ETHTOOL_NOFAMILY, or -1 with @d. */
int mq_ethtool_nl_get_rss(const char *ifname, struct mq_rss *out,
			  struct mq_diag *d);
/* Return: 0, MQ_ETHTOOL_UNSUPPORTED (EOPNOTSUPP), MQ_ETHTOOL_NOFAMILY, or
 * -1 with @d. */
int mq_ethtool_nl_set_rss(const char *ifname, const uint32_t *table,
			  uint32_t size, struct mq_diag *d);

/* ---- SIOCETHTOOL transport (ethtool_ioctl.c) ---- */

/* Return: 0, MQ_ETHTOOL_UNSUPPORTED, or -1 with @d. */
/* ETHTOOL_GDRVINFO: 0, MQ_ETHTOOL_UNSUPPORTED or -1 with @d set. */
int mq_ethtool_ioctl_get_driver(const char *ifname, char *out, size_t cap,
				struct mq_diag *d);
int mq_ethtool_ioctl_get_channels(const char *ifname, struct mq_channels *ch,
				  struct mq_diag *d);

/* Return: 0 or -1 with @d. */
int mq_ethtool_ioctl_set_channels(const char *ifname,
				  const struct mq_channels *ch,
				  struct mq_diag *d);

/* ETHTOOL_GRXFHINDIR: 0, MQ_ETHTOOL_UNSUPPORTED or -1 with @d. */
int mq_ethtool_ioctl_get_rss(const char *ifname, struct mq_rss *out,
			     struct mq_diag *d);
/* ETHTOOL_SRXFHINDIR (@size 0 = the default): 0 or -1 with @d. */
int mq_ethtool_ioctl_set_rss(const char *ifname, const uint32_t *table,
			     uint32_t size, struct mq_diag *d);

/* ---- netdev family: queue -> NAPI -> IRQ join (netdev_nl.c) ---- */

/* One queue as queue-get reports it. */
struct mq_nd_queue {
	uint32_t id;
	uint32_t type;		/* MQ_NETDEV_QUEUE_TYPE_* */
	uint32_t napi_id;	/* valid when has_napi */
	bool has_napi;
};

/* One NAPI instance as napi-get reports it. */
struct mq_nd_napi {
	uint32_t id;
	uint32_t irq;		/* valid when has_irq */
	bool has_irq;
	uint32_t pid;		/* valid when has_pid */
	bool has_pid;
	uint32_t threaded;	/* valid when has_threaded */
	bool has_threaded;
};

/*
 * Reply parsers for one queue-get / napi-get dump message, exposed for the
 * unit test.  Unknown attributes are ignored.
 * Return: 0 when filled; 1 when the message lacks the id (or the queue
 * type) and should be skipped; -EBADMSG when it is malformed.
 */
int mq_netdev_parse_queue(struct nlmsghdr *nlh, struct mq_nd_queue *q);
int mq_netdev_parse_napi(struct nlmsghdr *nlh, struct mq_nd_napi *n);

/**
 * mq_netdev_join() - turn queue and NAPI lists into the public map.
 * Queues of an unknown type are dropped; the result is sorted rx before
 * tx, then by queue id.  @napis is sorted in place.
 * Return: 0 with *@out malloc'd; MQ_ETHTOOL_UNSUPPORTED when there is no
 * queue or no queue has a NAPI with an IRQ (*@out NULL); -ENOMEM.
 */
int mq_netdev_join(const struct mq_nd_queue *queues, size_t nq,
		   struct mq_nd_napi *napis, size_t nn,
		   struct mq_queue_irq **out, size_t *n);

#endif /* MQTUNE_ETHTOOL_INT_H */
