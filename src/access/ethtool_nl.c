/*
 * ethtool_nl.c - generic netlink plumbing and the "ethtool" family's
 * CHANNELS_GET / CHANNELS_SET.
 *
 * The first half is a small libnl-genl wrapper shared with netdev_nl.c:
 * open a socket with extended acks turned on, resolve a family, send one
 * request and run its replies through a parser until the ACK, the end of
 * a dump, or an error, keeping the kernel's errno and extack message.
 * libnl's NLE_* codes are turned into errno values here and go no further.
 * The second half builds and parses the channel messages.  Nothing here
 * prints; reply callbacks only copy attributes out of the message.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/ethtool_netlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "ethtool_int.h"
#include "mqtune/diag.h"

/* ---- errno at the libnl boundary ---- */

/* Map a (positive) libnl NLE_* code to the closest errno value. */
static int nle_to_errno(int nle)
{
	switch (nle) {
	case NLE_INTR:			return EINTR;
	case NLE_BAD_SOCK:		return EBADF;
	case NLE_AGAIN:			return EAGAIN;
	case NLE_NOMEM:			return ENOMEM;
	case NLE_EXIST:			return EEXIST;
	case NLE_INVAL:			return EINVAL;
	case NLE_RANGE:			return ERANGE;
	case NLE_MSGSIZE:		return EMSGSIZE;
	case NLE_OPNOTSUPP:		return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return ENOENT;
	case NLE_BUSY:			return EBUSY;
	case NLE_PROTO_MISMATCH:	return EPROTONOSUPPORT;
	case NLE_NOACCESS:		return EACCES;
	case NLE_PERM:			return EPERM;
	case NLE_NODEV:			return ENODEV;
	case NLE_DUMP_INTR:		return EAGAIN;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_OVERFLOW:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_PARSE_ERR:
	case NLE_MSGTYPE_NOSUPPORT:	return EBADMSG;
	default:			return EIO;
	}
}

/* ---- extended ack ---- */

bool mq_nl_extack_find(const void *tlv, size_t len, char *buf, size_t size)
{
	const unsigned char *p = tlv;

	if (size)
		buf[0] = '\0';
	while (len >= NLA_HDRLEN) {
		struct nlattr a;
		size_t alen, step;

		/* memcpy: the stream need not be aligned for struct nlattr */
		memcpy(&a, p, sizeof(a));
		alen = a.nla_len;
		if (alen < NLA_HDRLEN || alen > len)
			return false;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			const char *s = (const char *)p + NLA_HDRLEN;
			size_t n = strnlen(s, alen - NLA_HDRLEN);

			if (!size || !n)
				return false;
			if (n >= size)
				n = size - 1;
			memcpy(buf, s, n);
			buf[n] = '\0';
			return true;
		}
		step = NLA_ALIGN(alen);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return false;
}

bool mq_nl_error_extack(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	const char *payload = (const char *)nlh + NLMSG_HDRLEN;
	size_t plen, off;

	if (size)
		buf[0] = '\0';
	if (nlh->nlmsg_len < NLMSG_HDRLEN ||
	    !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return false;
	plen = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump's status word, then the TLVs */
		off = NLMSG_ALIGN(sizeof(int));
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr e;

		if (plen < sizeof(e))
			return false;
		memcpy(&e, payload, sizeof(e));
		off = sizeof(e);
		/* unless capped, the kernel echoes our request's payload */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e.msg.nlmsg_len < NLMSG_HDRLEN)
				return false;
			off += NLMSG_ALIGN(e.msg.nlmsg_len - NLMSG_HDRLEN);
		}
	} else {
		return false;
	}
	if (off >= plen)
		return false;
	return mq_nl_extack_find(payload + off, plen - off, buf, size);
}

/* ---- socket and family ---- */

int mq_genl_open(struct mq_genl *g, const char *family)
{
	struct nl_sock *sk;
	int one = 1;
	int fd, ret;

	g->sk = NULL;
	g->family = 0;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret < 0) {
		ret = -nle_to_errno(-ret);
		if (ret == -ENOENT)	/* reserved for "no such family" */
			ret = -EIO;
		goto err_free;
	}
	/*
	 * Best effort: kernels before 4.12 lack these options, and then we
	 * simply get no extack text.  CAP_ACK keeps error acks small by not
	 * echoing the request.
	 */
	fd = nl_socket_get_fd(sk);
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* replies larger than a page (long dumps) must not be truncated */
	nl_socket_enable_msg_peek(sk);

	ret = genl_ctrl_resolve(sk, family);
	if (ret < 0) {
		/* the kernel answered ENOENT: it has no such family */
		ret = ret == -NLE_OBJ_NOTFOUND ? -ENOENT : -nle_to_errno(-ret);
		goto err_free;
	}
	g->sk = sk;
	g->family = ret;
	return 0;

err_free:
	nl_socket_free(sk);
	return ret;
}

void mq_genl_close(struct mq_genl *g)
{
	if (g->sk)
		nl_socket_free(g->sk);
	g->sk = NULL;
	g->family = 0;
}

/* ---- one request, its replies ---- */

struct genl_xfer {
	mq_genl_reply_fn fn;
	void *arg;
	struct mq_genl_err *e;
	int err;		/* negative errno once something failed */
	bool done;
};

static int xfer_valid(struct nl_msg *msg, void *arg)
{
	struct genl_xfer *x = arg;
	int ret;

	if (!x->fn)
		return NL_OK;
	ret = x->fn(nlmsg_hdr(msg), x->arg);
	if (ret < 0) {
		x->err = ret;
		x->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int xfer_ack(struct nl_msg *msg, void *arg)
{
	struct genl_xfer *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

/* NLMSG_DONE ends a dump; its payload is the dump's status. */
static int xfer_finish(struct nl_msg *msg, void *arg)
{
	struct genl_xfer *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int status;

	x->done = true;
	if (nlmsg_datalen(nlh) < (int)sizeof(status))
		return NL_STOP;
	memcpy(&status, nlmsg_data(nlh), sizeof(status));
	if (status < 0) {
		x->err = status;
		x->e->err = -status;
		mq_nl_error_extack(nlh, x->e->extack, sizeof(x->e->extack));
	}
	return NL_STOP;
}

static int xfer_error(struct sockaddr_nl *nla, struct nlmsgerr *nerr,
		      void *arg)
{
	struct genl_xfer *x = arg;
	/* libnl hands us the payload of the NLMSG_ERROR message */
	const struct nlmsghdr *nlh =
		(const void *)((const char *)nerr - NLMSG_HDRLEN);

	(void)nla;
	x->done = true;
	x->err = nerr->error < 0 ? nerr->error : -EIO;
	x->e->err = -x->err;
	mq_nl_error_extack(nlh, x->e->extack, sizeof(x->e->extack));
	return NL_STOP;
}

int mq_genl_transact(struct mq_genl *g, struct nl_msg *msg,
		     mq_genl_reply_fn fn, void *arg, struct mq_genl_err *e)
{
	struct genl_xfer x = { .fn = fn, .arg = arg, .e = e };
	struct nl_cb *cb;
	int ret;

	e->err = 0;
	e->extack[0] = '\0';

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xfer_valid, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, xfer_ack, &x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, xfer_finish, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, xfer_error, &x);

	ret = nl_send_auto(g->sk, msg);
	if (ret < 0) {
		x.err = -nle_to_errno(-ret);
		goto out;
	}
	while (!x.done) {
		ret = nl_recvmsgs(g->sk, cb);
		if (x.err)
			break;
		if (ret < 0) {
			x.err = -nle_to_errno(-ret);
			break;
		}
	}
out:
	nl_cb_put(cb);
	if (x.err && !e->err)
		e->err = -x.err;
	return x.err;
}

/* ---- CHANNELS_GET / CHANNELS_SET ---- */

static uint32_t attr_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

int mq_ethtool_nl_parse_channels(struct nlmsghdr *nlh, struct mq_channels *ch)
{
	/* counts are u32; nla_parse checks their length for us */
	static const struct nla_policy pol[ETHTOOL_A_CHANNELS_MAX + 1] = {
		[ETHTOOL_A_CHANNELS_RX_MAX]		= { .type = NLA_U32 },
		[ETHTOOL_A_CHANNELS_TX_MAX]		= { .type = NLA_U32 },
		[ETHTOOL_A_CHANNELS_OTHER_MAX]		= { .type = NLA_U32 },
		[ETHTOOL_A_CHANNELS_COMBINED_MAX]	= { .type = NLA_U32 },
		[ETHTOOL_A_CHANNELS_RX_COUNT]		= { .type = NLA_U32 },
		[ETHTOOL_A_CHANNELS_TX_COUNT]		= { .type = NLA_U32 },
		[ETHTOOL_A_CHANNELS_OTHER_COUNT]	= { .type = NLA_U32 },
		[ETHTOOL_A_CHANNELS_COMBINED_COUNT]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[ETHTOOL_A_CHANNELS_MAX + 1];

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	/*
	 * nla_parse() skips attribute types above ETHTOOL_A_CHANNELS_MAX:
	 * a newer kernel may add some, and we must keep working.
	 */
	if (genlmsg_parse(nlh, 0, tb, ETHTOOL_A_CHANNELS_MAX, pol) < 0)
		return -EBADMSG;

	ch->max_rx = attr_u32(tb[ETHTOOL_A_CHANNELS_RX_MAX]);
	ch->max_tx = attr_u32(tb[ETHTOOL_A_CHANNELS_TX_MAX]);
	ch->max_other = attr_u32(tb[ETHTOOL_A_CHANNELS_OTHER_MAX]);
	ch->max_combined = attr_u32(tb[ETHTOOL_A_CHANNELS_COMBINED_MAX]);
	ch->rx = attr_u32(tb[ETHTOOL_A_CHANNELS_RX_COUNT]);
	ch->tx = attr_u32(tb[ETHTOOL_A_CHANNELS_TX_COUNT]);
	ch->other = attr_u32(tb[ETHTOOL_A_CHANNELS_OTHER_COUNT]);
	ch->combined = attr_u32(tb[ETHTOOL_A_CHANNELS_COMBINED_COUNT]);
	return 0;
}

struct channels_reply {
	struct mq_channels ch;
	bool got;
};

static int channels_reply_cb(struct nlmsghdr *nlh, void *arg)
{
	struct channels_reply *r = arg;
	int ret;

	ret = mq_ethtool_nl_parse_channels(nlh, &r->ch);
	if (ret < 0)
		return ret;
	r->got = true;
	return 0;
}

/* A CHANNELS_GET or _SET request naming @ifname, or NULL (no memory). */
static struct nl_msg *channels_msg(const struct mq_genl *g, uint8_t cmd,
				   const char *ifname)
{
	struct nl_msg *msg;
	struct nlattr *hdr;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, 0, cmd,
			 ETHTOOL_GENL_VERSION))
		goto err_free;
	/* strict policies insist on NLA_F_NESTED; older libnl omits it */
	hdr = nla_nest_start(msg, ETHTOOL_A_CHANNELS_HEADER | NLA_F_NESTED);
	if (!hdr)
		goto err_free;
	if (nla_put_string(msg, ETHTOOL_A_HEADER_DEV_NAME, ifname) < 0)
		goto err_free;
	nla_nest_end(msg, hdr);
	return msg;

err_free:
	nlmsg_free(msg);
	return NULL;
}

/*
 * Open the ethtool family and build a CHANNELS request for @ifname.
 * Returns 0 with *msg and @g open, MQ_ETHTOOL_NOFAMILY, or -1 with @d.
 */
static int channels_begin(struct mq_genl *g, int cmd, const char *ifname,
			  struct nl_msg **msg, struct mq_diag *d)
{
	int ret = mq_genl_open(g, ETHTOOL_GENL_NAME);

	if (ret == -ENOENT)
		return MQ_ETHTOOL_NOFAMILY;
	if (ret < 0)
		return mq_ethtool_fail(d, ifname, "ethtool netlink", -ret, NULL);
	*msg = channels_msg(g, cmd, ifname);
	if (*msg)
		return 0;
	mq_genl_close(g);
	return mq_ethtool_fail(d, ifname, "ethtool netlink", ENOMEM, NULL);
}

int mq_ethtool_nl_begin(struct mq_genl *g, int cmd, const char *ifname,
			struct nl_msg **msg, struct mq_diag *d)
{
	return channels_begin(g, cmd, ifname, msg, d);
}

int mq_ethtool_nl_ask(const char *ifname, int cmd, const char *what,
		      int (*cb)(struct nlmsghdr *, void *), void *arg,
		      const bool *got, struct mq_diag *d)
{
	struct mq_genl_err e;
	struct mq_genl g;
	struct nl_msg *msg;
	int ret, rc;

	ret = channels_begin(&g, cmd, ifname, &msg, d);
	if (ret)
		return ret;
	ret = mq_genl_transact(&g, msg, cb, arg, &e);
	if (ret == -EOPNOTSUPP)
		rc = MQ_ETHTOOL_UNSUPPORTED;
	else if (ret < 0)
		rc = mq_ethtool_fail(d, ifname, what, -ret, e.extack);
	else if (got && !*got)
		rc = mq_ethtool_fail(d, ifname, what, EBADMSG,
				     "acknowledged without a reply");
	else
		rc = 0;
	nlmsg_free(msg);
	mq_genl_close(&g);
	return rc;
}

int mq_ethtool_nl_get_channels(const char *ifname, struct mq_channels *ch,
			       struct mq_diag *d)
{
	struct channels_reply r = { .got = false };
	int rc = mq_ethtool_nl_ask(ifname, ETHTOOL_MSG_CHANNELS_GET,
				   "ethtool netlink CHANNELS_GET",
				   channels_reply_cb, &r, &r.got, d);

	if (rc == MQ_ETHTOOL_UNSUPPORTED) {
		ch->source = MQ_CHAN_NETLINK;	/* who asked */
	} else if (rc == 0) {
		r.ch.source = MQ_CHAN_NETLINK;
		*ch = r.ch;
	}
	return rc;
}

int mq_ethtool_nl_set_channels(const char *ifname,
			       const struct mq_channels *ch,
			       struct mq_diag *d)
{
	static const char what[] = "ethtool netlink CHANNELS_SET";
	struct mq_genl_err e;
	struct mq_genl g;
	struct nl_msg *msg;
	int ret, rc;

	ret = channels_begin(&g, ETHTOOL_MSG_CHANNELS_SET, ifname, &msg, d);
	if (ret)
		return ret;
	if (nla_put_u32(msg, ETHTOOL_A_CHANNELS_RX_COUNT, ch->rx) < 0 ||
	    nla_put_u32(msg, ETHTOOL_A_CHANNELS_TX_COUNT, ch->tx) < 0 ||
	    nla_put_u32(msg, ETHTOOL_A_CHANNELS_OTHER_COUNT, ch->other) < 0 ||
	    nla_put_u32(msg, ETHTOOL_A_CHANNELS_COMBINED_COUNT,
			ch->combined) < 0) {
		rc = mq_ethtool_fail(d, ifname, what, ENOMEM, NULL);
		goto out_free;
	}
	ret = mq_genl_transact(&g, msg, NULL, NULL, &e);
	if (ret < 0)
		rc = mq_ethtool_fail(d, ifname, what, -ret, e.extack);
	else
		rc = 0;
out_free:
	nlmsg_free(msg);
	mq_genl_close(&g);
	return rc;
}

int mq_ethtool_probe_set_channels(const char *ifname, struct mq_diag *d)
{
	static const char what[] = "ethtool netlink CHANNELS_SET (no change)";
	int rc = mq_ethtool_nl_ask(ifname, ETHTOOL_MSG_CHANNELS_SET, what,
				   NULL, NULL, NULL, d);

	return rc == MQ_ETHTOOL_NOFAMILY ?
	       mq_ethtool_fail(d, ifname, what, ENOSYS, NULL) : rc;
}

/* ---- RINGS_GET (doctor) ---- */

_Static_assert((int)ETHTOOL_A_RINGS_HEADER == (int)ETHTOOL_A_CHANNELS_HEADER,
	       "channels_msg() builds the rings request too");

struct rings_reply {
	struct mq_rings r;
	bool got;
};

static int rings_reply_cb(struct nlmsghdr *nlh, void *arg)
{
	static const struct nla_policy pol[ETHTOOL_A_RINGS_TX + 1] = {
		[ETHTOOL_A_RINGS_RX_MAX]	= { .type = NLA_U32 },
		[ETHTOOL_A_RINGS_TX_MAX]	= { .type = NLA_U32 },
		[ETHTOOL_A_RINGS_RX]		= { .type = NLA_U32 },
		[ETHTOOL_A_RINGS_TX]		= { .type = NLA_U32 },
	};
	struct nlattr *tb[ETHTOOL_A_RINGS_TX + 1];
	struct rings_reply *r = arg;

	if (!genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_parse(nlh, 0, tb, ETHTOOL_A_RINGS_TX, pol) < 0)
		return -EBADMSG;
	r->r.rx_max = attr_u32(tb[ETHTOOL_A_RINGS_RX_MAX]);
	r->r.tx_max = attr_u32(tb[ETHTOOL_A_RINGS_TX_MAX]);
	r->r.rx = attr_u32(tb[ETHTOOL_A_RINGS_RX]);
	r->r.tx = attr_u32(tb[ETHTOOL_A_RINGS_TX]);
	r->got = true;
	return 0;
}

int mq_ethtool_get_rings(const char *ifname, struct mq_rings *rings,
			 struct mq_diag *d)
{
	struct rings_reply r = { .got = false };
	/* the header attribute is type 1 in both requests */
	int rc = mq_ethtool_nl_ask(ifname, ETHTOOL_MSG_RINGS_GET,
				   "ethtool netlink RINGS_GET", rings_reply_cb,
				   &r, &r.got, d);

	if (rc == MQ_ETHTOOL_NOFAMILY)
		return MQ_ETHTOOL_UNSUPPORTED;
	if (rc == 0)
		*rings = r.r;
	return rc;
}
