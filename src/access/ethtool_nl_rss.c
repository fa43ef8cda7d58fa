/*
 * ethtool_nl_rss.c - the RSS indirection table over ethtool netlink:
 * ETHTOOL_MSG_RSS_GET (Linux 6.2+) and ETHTOOL_MSG_RSS_SET (6.17+).
 *
 * Only the default context's table: no CONTEXT attribute, and SET carries
 * the INDIR attribute alone, so the hash key, the hash function and the
 * input transformation stay as the driver has them.  An empty INDIR in
 * SET asks the kernel for the driver's default table (net/ethtool/rss.c:
 * a zero user size resets it and clears "user configured").
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "ethtool_int.h"
#include "mqtune/diag.h"

int mq_ethtool_nl_parse_rss(struct nlmsghdr *nlh, uint32_t **table,
			    uint32_t *size)
{
	/* INDIR is binary; nla_parse skips the attributes above it */
	static const struct nla_policy pol[MQ_ETHTOOL_A_RSS_INDIR + 1] = {
		[MQ_ETHTOOL_A_RSS_CONTEXT]	= { .type = NLA_U32 },
		[MQ_ETHTOOL_A_RSS_HFUNC]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[MQ_ETHTOOL_A_RSS_INDIR + 1];
	struct nlattr *a;
	size_t len;

	*table = NULL;
	*size = 0;
	if (!genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_parse(nlh, 0, tb, MQ_ETHTOOL_A_RSS_INDIR, pol) < 0)
		return -EBADMSG;
	a = tb[MQ_ETHTOOL_A_RSS_INDIR];
	if (!a)
		return 0;
	len = (size_t)nla_len(a);
	if (len % sizeof(uint32_t) ||
	    len / sizeof(uint32_t) > MQ_RSS_MAX_ENTRIES)
		return -EBADMSG;
	if (!len)
		return 0;
	*table = malloc(len);
	if (!*table)
		return -ENOMEM;
	memcpy(*table, nla_data(a), len);	/* host order u32s */
	*size = (uint32_t)(len / sizeof(uint32_t));
	return 0;
}

struct rss_reply {
	uint32_t *table;
	uint32_t size;
	bool got;
};

static int rss_reply_cb(struct nlmsghdr *nlh, void *arg)
{
	struct rss_reply *r = arg;
	uint32_t *table;
	uint32_t size;
	int ret;

	ret = mq_ethtool_nl_parse_rss(nlh, &table, &size);
	if (ret < 0)
		return ret;
	free(r->table);		/* one reply is expected; keep the last */
	r->table = table;
	r->size = size;
	r->got = true;
	return 0;
}

int mq_ethtool_nl_get_rss(const char *ifname, struct mq_rss *out,
			  struct mq_diag *d)
{
	struct rss_reply r = { .got = false };
	int rc = mq_ethtool_nl_ask(ifname, MQ_ETHTOOL_MSG_RSS_GET,
				   "ethtool netlink RSS_GET", rss_reply_cb, &r,
				   &r.got, d);

	if (rc == 0 && !r.size) {
		rc = MQ_ETHTOOL_UNSUPPORTED;	/* a key but no table */
	} else if (rc == 0) {
		out->source = MQ_RSS_SRC_NETLINK;
		out->unsupported = false;
		out->table = r.table;
		out->size = r.size;
		r.table = NULL;
	}
	free(r.table);
	return rc;
}

int mq_ethtool_nl_set_rss(const char *ifname, const uint32_t *table,
			  uint32_t size, struct mq_diag *d)
{
	static const char what[] = "ethtool netlink RSS_SET";
	struct mq_genl_err e;
	struct mq_genl g;
	struct nl_msg *msg;
	int ret, rc;

	ret = mq_ethtool_nl_begin(&g, MQ_ETHTOOL_MSG_RSS_SET, ifname, &msg, d);
	if (ret)
		return ret;
	/* size 0: an empty attribute, the kernel's "reset to default" */
	if (nla_put(msg, MQ_ETHTOOL_A_RSS_INDIR,
		    (int)(size * sizeof(uint32_t)), size ? table : NULL) < 0) {
		rc = mq_ethtool_fail(d, ifname, what, ENOMEM, NULL);
		goto out;
	}
	ret = mq_genl_transact(&g, msg, NULL, NULL, &e);
	if (ret == -EOPNOTSUPP && !e.extack[0])
		rc = MQ_ETHTOOL_UNSUPPORTED;	/* before 6.17, or no table */
	else if (ret < 0)
		rc = mq_ethtool_fail(d, ifname, what, -ret, e.extack);
	else
		rc = 0;
out:
	nlmsg_free(msg);
	mq_genl_close(&g);
	return rc;
}
