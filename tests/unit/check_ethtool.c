/*
 * check_ethtool.c - unit tests for the ethtool layer's kernel-free parts.
 *
 * Netlink replies are built with libnl exactly as the kernel lays them
 * out and fed to the parsers through the seams in src/access/ethtool_int.h:
 * CHANNELS_GET replies (with attributes from a "newer kernel" that must
 * be ignored), netdev queue-get / napi-get dump messages, the extack TLVs
 * of error acks and dump ends, the queue -> NAPI -> IRQ join, the errno
 * -> exit status mapping and the interface name check.  Nothing here
 * opens a socket: the real kernel is tests/kernel/test_channels.sh's job.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../../src/access/ethtool_int.h"
#include "mqtune/diag.h"
#include "mqtune/ethtool.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A genl message of family 99 carrying @cmd, as the kernel would send. */
static struct nl_msg *reply_new(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(genlmsg_put(msg, 1, 1, 99, 0, 0, cmd, 1));
	return msg;
}

static void put_u32(struct nl_msg *msg, int type, uint32_t v)
{
	ck_assert_int_eq(nla_put_u32(msg, type, v), 0);
}

/* ---- CHANNELS_GET reply ---- */

START_TEST(test_channels_full)
{
	struct nl_msg *msg = reply_new(ETHTOOL_MSG_CHANNELS_GET_REPLY);
	struct mq_channels ch;
	struct nlattr *hdr;

	hdr = nla_nest_start(msg, ETHTOOL_A_CHANNELS_HEADER | NLA_F_NESTED);
	ck_assert_ptr_nonnull(hdr);
	ck_assert_int_eq(nla_put_u32(msg, ETHTOOL_A_HEADER_DEV_INDEX, 7), 0);
	ck_assert_int_eq(nla_put_string(msg, ETHTOOL_A_HEADER_DEV_NAME,
					"eth0"), 0);
	nla_nest_end(msg, hdr);
	put_u32(msg, ETHTOOL_A_CHANNELS_RX_MAX, 1);
	put_u32(msg, ETHTOOL_A_CHANNELS_TX_MAX, 2);
	put_u32(msg, ETHTOOL_A_CHANNELS_OTHER_MAX, 3);
	put_u32(msg, ETHTOOL_A_CHANNELS_COMBINED_MAX, 64);
	put_u32(msg, ETHTOOL_A_CHANNELS_RX_COUNT, 5);
	put_u32(msg, ETHTOOL_A_CHANNELS_TX_COUNT, 6);
	put_u32(msg, ETHTOOL_A_CHANNELS_OTHER_COUNT, 1);
	put_u32(msg, ETHTOOL_A_CHANNELS_COMBINED_COUNT, 8);

	memset(&ch, 0xa5, sizeof(ch));
	ch.source = MQ_CHAN_SYSFS;
	ck_assert_int_eq(mq_ethtool_nl_parse_channels(nlmsg_hdr(msg), &ch), 0);
	ck_assert_uint_eq(ch.max_rx, 1);
	ck_assert_uint_eq(ch.max_tx, 2);
	ck_assert_uint_eq(ch.max_other, 3);
	ck_assert_uint_eq(ch.max_combined, 64);
	ck_assert_uint_eq(ch.rx, 5);
	ck_assert_uint_eq(ch.tx, 6);
	ck_assert_uint_eq(ch.other, 1);
	ck_assert_uint_eq(ch.combined, 8);
	/* the transport, not the parser, says where the counts came from */
	ck_assert_int_eq(ch.source, MQ_CHAN_SYSFS);
	nlmsg_free(msg);
}
END_TEST

/* A newer kernel's extra attributes are skipped; absent counts are 0. */
START_TEST(test_channels_unknown_and_missing)
{
	struct nl_msg *msg = reply_new(ETHTOOL_MSG_CHANNELS_GET_REPLY);
	struct mq_channels ch;
	uint64_t big = UINT64_C(0x1122334455667788);
	char blob[13] = "future-stuff";

	ck_assert_int_eq(nla_put(msg, ETHTOOL_A_CHANNELS_MAX + 1,
				 sizeof(blob), blob), 0);
	put_u32(msg, ETHTOOL_A_CHANNELS_COMBINED_MAX, 16);
	ck_assert_int_eq(nla_put(msg, 200, sizeof(big), &big), 0);
	put_u32(msg, ETHTOOL_A_CHANNELS_COMBINED_COUNT, 4);
	ck_assert_int_eq(nla_put(msg, 0x7fff, 0, NULL), 0);

	memset(&ch, 0xa5, sizeof(ch));
	ck_assert_int_eq(mq_ethtool_nl_parse_channels(nlmsg_hdr(msg), &ch), 0);
	ck_assert_uint_eq(ch.max_combined, 16);
	ck_assert_uint_eq(ch.combined, 4);
	ck_assert_uint_eq(ch.max_rx, 0);
	ck_assert_uint_eq(ch.max_tx, 0);
	ck_assert_uint_eq(ch.max_other, 0);
	ck_assert_uint_eq(ch.rx, 0);
	ck_assert_uint_eq(ch.tx, 0);
	ck_assert_uint_eq(ch.other, 0);
	nlmsg_free(msg);
}
END_TEST

START_TEST(test_channels_short_u32)
{
	struct nl_msg *msg = reply_new(ETHTOOL_MSG_CHANNELS_GET_REPLY);
	struct mq_channels ch = { .rx = 0 };
	uint16_t half = 3;

	ck_assert_int_eq(nla_put(msg, ETHTOOL_A_CHANNELS_RX_COUNT,
				 sizeof(half), &half), 0);
	ck_assert_int_eq(mq_ethtool_nl_parse_channels(nlmsg_hdr(msg), &ch),
			 -EBADMSG);
	nlmsg_free(msg);
}
END_TEST

START_TEST(test_channels_no_genl_header)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct mq_channels ch = { .rx = 0 };

	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(nlmsg_put(msg, 1, 1, 99, 0, 0));
	ck_assert_int_eq(mq_ethtool_nl_parse_channels(nlmsg_hdr(msg), &ch),
			 -EBADMSG);
	nlmsg_free(msg);
}
END_TEST

/* ---- RSS_GET reply ---- */

START_TEST(test_rss_parse)
{
	struct nl_msg *msg = reply_new(MQ_ETHTOOL_MSG_RSS_GET);
	uint32_t table[8] = { 0, 1, 2, 3, 0, 1, 2, 3 }, *got = NULL, size = 9;
	uint8_t key[40] = { 0x6d };

	put_u32(msg, MQ_ETHTOOL_A_RSS_HFUNC, 1);
	ck_assert_int_eq(nla_put(msg, MQ_ETHTOOL_A_RSS_INDIR, sizeof(table),
				 table), 0);
	ck_assert_int_eq(nla_put(msg, MQ_ETHTOOL_A_RSS_INDIR + 1, sizeof(key),
				 key), 0);	/* the key: skipped */
	put_u32(msg, 8, 3);			/* a newer kernel's */
	ck_assert_int_eq(mq_ethtool_nl_parse_rss(nlmsg_hdr(msg), &got, &size), 0);
	ck_assert_uint_eq(size, 8);
	ck_assert_ptr_nonnull(got);
	ck_assert_mem_eq(got, table, sizeof(table));
	free(got);
	nlmsg_free(msg);
}
END_TEST

/* A key but no table (INDIR absent): size 0, no table. */
START_TEST(test_rss_parse_no_table)
{
	struct nl_msg *msg = reply_new(MQ_ETHTOOL_MSG_RSS_GET);
	uint32_t *got = (uint32_t *)&got, size = 5;

	put_u32(msg, MQ_ETHTOOL_A_RSS_HFUNC, 1);
	ck_assert_int_eq(mq_ethtool_nl_parse_rss(nlmsg_hdr(msg), &got, &size), 0);
	ck_assert_uint_eq(size, 0);
	ck_assert_ptr_null(got);
	nlmsg_free(msg);
}
END_TEST

/* Entries are u32: a length that is no multiple of 4 is malformed. */
START_TEST(test_rss_parse_bad_length)
{
	struct nl_msg *msg = reply_new(MQ_ETHTOOL_MSG_RSS_GET);
	uint8_t odd[6] = { 0 };
	uint32_t *got = NULL, size = 0;

	ck_assert_int_eq(nla_put(msg, MQ_ETHTOOL_A_RSS_INDIR, sizeof(odd), odd), 0);
	ck_assert_int_eq(mq_ethtool_nl_parse_rss(nlmsg_hdr(msg), &got, &size),
			 -EBADMSG);
	ck_assert_ptr_null(got);
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(nlmsg_put(msg, 1, 1, 99, 0, 0));
	ck_assert_int_eq(mq_ethtool_nl_parse_rss(nlmsg_hdr(msg), &got, &size),
			 -EBADMSG);
	nlmsg_free(msg);
}
END_TEST

/* A bad name is refused before any request. */
START_TEST(test_rss_bad_name)
{
	struct mq_rss rss;
	struct mq_diag d;
	uint32_t t[2] = { 0, 0 };

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_ethtool_get_rss("a/b", MQ_ETHTOOL_AUTO, &rss, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_NODEV);
	ck_assert_ptr_null(rss.table);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_ethtool_set_rss("", MQ_ETHTOOL_IOCTL, t, 2, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_NODEV);
}
END_TEST

/* ---- netdev queue-get / napi-get messages ---- */

START_TEST(test_queue_parse)
{
	struct nl_msg *msg = reply_new(MQ_NETDEV_CMD_QUEUE_GET);
	struct mq_nd_queue q;

	put_u32(msg, MQ_NETDEV_A_QUEUE_ID, 3);
	put_u32(msg, MQ_NETDEV_A_QUEUE_IFINDEX, 2);
	put_u32(msg, MQ_NETDEV_A_QUEUE_TYPE, MQ_NETDEV_QUEUE_TYPE_TX);
	put_u32(msg, MQ_NETDEV_A_QUEUE_NAPI_ID, 8195);
	put_u32(msg, 42, 1);	/* e.g. a dmabuf id: not ours */
	memset(&q, 0xa5, sizeof(q));
	ck_assert_int_eq(mq_netdev_parse_queue(nlmsg_hdr(msg), &q), 0);
	ck_assert_uint_eq(q.id, 3);
	ck_assert_uint_eq(q.type, MQ_NETDEV_QUEUE_TYPE_TX);
	ck_assert(q.has_napi);
	ck_assert_uint_eq(q.napi_id, 8195);
	nlmsg_free(msg);
}
END_TEST

START_TEST(test_queue_parse_no_napi)
{
	struct nl_msg *msg = reply_new(MQ_NETDEV_CMD_QUEUE_GET);
	struct mq_nd_queue q;

	put_u32(msg, MQ_NETDEV_A_QUEUE_ID, 0);
	put_u32(msg, MQ_NETDEV_A_QUEUE_TYPE, MQ_NETDEV_QUEUE_TYPE_RX);
	memset(&q, 0xa5, sizeof(q));
	ck_assert_int_eq(mq_netdev_parse_queue(nlmsg_hdr(msg), &q), 0);
	ck_assert_uint_eq(q.id, 0);
	ck_assert_uint_eq(q.type, MQ_NETDEV_QUEUE_TYPE_RX);
	ck_assert(!q.has_napi);
	nlmsg_free(msg);
}
END_TEST

START_TEST(test_queue_parse_incomplete)
{
	struct nl_msg *msg = reply_new(MQ_NETDEV_CMD_QUEUE_GET);
	struct mq_nd_queue q;

	put_u32(msg, MQ_NETDEV_A_QUEUE_ID, 1);	/* no type */
	ck_assert_int_eq(mq_netdev_parse_queue(nlmsg_hdr(msg), &q), 1);
	nlmsg_free(msg);
}
END_TEST

START_TEST(test_napi_parse)
{
	struct nl_msg *msg = reply_new(MQ_NETDEV_CMD_NAPI_GET);
	struct nl_msg *noirq = reply_new(MQ_NETDEV_CMD_NAPI_GET);
	struct nl_msg *noid = reply_new(MQ_NETDEV_CMD_NAPI_GET);
	struct mq_nd_napi n;

	put_u32(msg, MQ_NETDEV_A_NAPI_IFINDEX, 2);
	put_u32(msg, MQ_NETDEV_A_NAPI_ID, 8195);
	put_u32(msg, MQ_NETDEV_A_NAPI_IRQ, 57);
	put_u32(msg, MQ_NETDEV_A_NAPI_MAX + 1, 4242);	/* pid */
	memset(&n, 0xa5, sizeof(n));
	ck_assert_int_eq(mq_netdev_parse_napi(nlmsg_hdr(msg), &n), 0);
	ck_assert_uint_eq(n.id, 8195);
	ck_assert(n.has_irq);
	ck_assert_uint_eq(n.irq, 57);

	put_u32(noirq, MQ_NETDEV_A_NAPI_ID, 9);
	ck_assert_int_eq(mq_netdev_parse_napi(nlmsg_hdr(noirq), &n), 0);
	ck_assert_uint_eq(n.id, 9);
	ck_assert(!n.has_irq);

	put_u32(noid, MQ_NETDEV_A_NAPI_IRQ, 57);
	ck_assert_int_eq(mq_netdev_parse_napi(nlmsg_hdr(noid), &n), 1);

	nlmsg_free(noid);
	nlmsg_free(noirq);
	nlmsg_free(msg);
}
END_TEST

/* napi-get's pid (6.8+) and threaded (6.17+, a u32 or a 64-bit uint). */
START_TEST(test_napi_parse_thread)
{
	struct nl_msg *msg = reply_new(MQ_NETDEV_CMD_NAPI_GET);
	struct nl_msg *wide = reply_new(MQ_NETDEV_CMD_NAPI_GET);
	struct nl_msg *bad = reply_new(MQ_NETDEV_CMD_NAPI_GET);
	struct nl_msg *old = reply_new(MQ_NETDEV_CMD_NAPI_GET);
	struct mq_nd_napi n;
	uint16_t short_val = 1;

	put_u32(msg, MQ_NETDEV_A_NAPI_ID, 8193);
	put_u32(msg, MQ_NETDEV_A_NAPI_PID, 9524);
	put_u32(msg, MQ_NETDEV_A_NAPI_THREADED, 1);
	ck_assert_int_eq(mq_netdev_parse_napi(nlmsg_hdr(msg), &n), 0);
	ck_assert(n.has_pid);
	ck_assert_uint_eq(n.pid, 9524);
	ck_assert(n.has_threaded);
	ck_assert_uint_eq(n.threaded, 1);

	put_u32(wide, MQ_NETDEV_A_NAPI_ID, 8194);
	ck_assert_int_eq(nla_put_u64(wide, MQ_NETDEV_A_NAPI_THREADED, 2), 0);
	ck_assert_int_eq(mq_netdev_parse_napi(nlmsg_hdr(wide), &n), 0);
	ck_assert(!n.has_pid);
	ck_assert(n.has_threaded);
	ck_assert_uint_eq(n.threaded, 2);

	put_u32(bad, MQ_NETDEV_A_NAPI_ID, 8195);
	ck_assert_int_eq(nla_put(bad, MQ_NETDEV_A_NAPI_THREADED, sizeof(short_val),
				 &short_val), 0);
	ck_assert_int_eq(mq_netdev_parse_napi(nlmsg_hdr(bad), &n), -EBADMSG);

	put_u32(old, MQ_NETDEV_A_NAPI_ID, 8196);	/* before 6.8 */
	ck_assert_int_eq(mq_netdev_parse_napi(nlmsg_hdr(old), &n), 0);
	ck_assert(!n.has_pid);
	ck_assert(!n.has_threaded);

	nlmsg_free(old);
	nlmsg_free(bad);
	nlmsg_free(wide);
	nlmsg_free(msg);
}
END_TEST

/* ---- queue -> NAPI -> IRQ join ---- */

START_TEST(test_join)
{
	/* dump order is not assumed: shuffled on purpose */
	const struct mq_nd_queue q[] = {
		{ .id = 1, .type = MQ_NETDEV_QUEUE_TYPE_TX, .napi_id = 11,
		  .has_napi = true },
		{ .id = 2, .type = MQ_NETDEV_QUEUE_TYPE_RX, .napi_id = 12,
		  .has_napi = true },
		{ .id = 0, .type = MQ_NETDEV_QUEUE_TYPE_RX, .napi_id = 10,
		  .has_napi = true },
		{ .id = 5, .type = 7 },		/* a future queue type */
		{ .id = 0, .type = MQ_NETDEV_QUEUE_TYPE_TX, .napi_id = 10,
		  .has_napi = true },
		{ .id = 1, .type = MQ_NETDEV_QUEUE_TYPE_RX, .napi_id = 11,
		  .has_napi = true },
		{ .id = 2, .type = MQ_NETDEV_QUEUE_TYPE_TX },	/* no NAPI */
		{ .id = 3, .type = MQ_NETDEV_QUEUE_TYPE_TX, .napi_id = 99,
		  .has_napi = true },		/* NAPI not in the dump */
	};
	struct mq_nd_napi napi[] = {
		{ .id = 12, .irq = 42, .has_irq = true },
		{ .id = 10, .irq = 40, .has_irq = true },
		{ .id = 11 },			/* no IRQ */
	};
	const struct mq_queue_irq want[] = {
		{ 0, 0, 40 }, { 1, 0, -1 }, { 2, 0, 42 },
		{ 0, 1, 40 }, { 1, 1, -1 }, { 2, 1, -1 }, { 3, 1, -1 },
	};
	struct mq_queue_irq *out = NULL;
	size_t n = 0, i;

	ck_assert_int_eq(mq_netdev_join(q, ARRAY_SIZE(q), napi,
					ARRAY_SIZE(napi), &out, &n), 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(n, ARRAY_SIZE(want));
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(out[i].queue, want[i].queue);
		ck_assert_int_eq(out[i].is_tx, want[i].is_tx);
		ck_assert_int_eq(out[i].irq, want[i].irq);
	}
	free(out);
}
END_TEST

START_TEST(test_join_no_irq)
{
	const struct mq_nd_queue q[] = {
		{ .id = 0, .type = MQ_NETDEV_QUEUE_TYPE_RX, .napi_id = 10,
		  .has_napi = true },
		{ .id = 0, .type = MQ_NETDEV_QUEUE_TYPE_TX },
	};
	struct mq_nd_napi napi[] = { { .id = 10 } };
	struct mq_queue_irq *out = (void *)&out;
	size_t n = 5;

	/* veth with GRO: NAPI instances, but none has an IRQ */
	ck_assert_int_eq(mq_netdev_join(q, ARRAY_SIZE(q), napi,
					ARRAY_SIZE(napi), &out, &n),
			 MQ_ETHTOOL_UNSUPPORTED);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(n, 0);

	/* no NAPI at all */
	out = (void *)&out;
	ck_assert_int_eq(mq_netdev_join(q, ARRAY_SIZE(q), NULL, 0, &out, &n),
			 MQ_ETHTOOL_UNSUPPORTED);
	ck_assert_ptr_null(out);

	/* no queue at all (the device is down) */
	out = (void *)&out;
	ck_assert_int_eq(mq_netdev_join(NULL, 0, napi, ARRAY_SIZE(napi), &out,
					&n), MQ_ETHTOOL_UNSUPPORTED);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* ---- extended ack ---- */

/* Append one attribute to @buf at *@off, padded as the kernel pads. */
static void tlv_put(unsigned char *buf, size_t *off, uint16_t type,
		    const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			    .nla_type = type };

	memcpy(buf + *off, &a, sizeof(a));
	memcpy(buf + *off + NLA_HDRLEN, data, len);
	memset(buf + *off + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - NLA_HDRLEN - len);
	*off += NLA_ALIGN(NLA_HDRLEN + len);
}

/*
 * Build an NLMSG_ERROR for a request of @req_payload bytes: capped (no
 * echo) or not, with an OFFS and a MSG attribute when @tlvs.
 */
static struct nlmsghdr *error_msg(unsigned char *buf, size_t req_payload,
				  bool capped, bool tlvs, const char *text)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr e = { .error = -EINVAL };
	size_t off = NLMSG_HDRLEN;
	uint32_t offs = 20;

	memset(buf, 0, 1024);
	e.msg.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + req_payload);
	e.msg.nlmsg_type = 21;
	memcpy(buf + off, &e, sizeof(e));
	off += sizeof(e);
	if (!capped) {
		memset(buf + off, 0x5a, req_payload);	/* the echo */
		off += NLMSG_ALIGN(req_payload);
	}
	if (tlvs) {
		tlv_put(buf, &off, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
		tlv_put(buf, &off, NLMSGERR_ATTR_MSG, text, strlen(text) + 1);
	}
	nlh->nlmsg_len = (uint32_t)off;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) |
			   (tlvs ? NLM_F_ACK_TLVS : 0);
	return nlh;
}

START_TEST(test_extack_capped)
{
	_Alignas(4) unsigned char buf[1024];
	char text[MQ_EXTACK_MAX];
	struct nlmsghdr *nlh;

	nlh = error_msg(buf, 30, true, true, "no device matches name");
	ck_assert(mq_nl_error_extack(nlh, text, sizeof(text)));
	ck_assert_str_eq(text, "no device matches name");
}
END_TEST

/* The echoed request (odd length: padding!) sits before the TLVs. */
START_TEST(test_extack_uncapped)
{
	_Alignas(4) unsigned char buf[1024];
	char text[MQ_EXTACK_MAX];
	struct nlmsghdr *nlh;

	nlh = error_msg(buf, 37, false, true,
			"requested channel count exceeds maximum");
	ck_assert(mq_nl_error_extack(nlh, text, sizeof(text)));
	ck_assert_str_eq(text, "requested channel count exceeds maximum");
}
END_TEST

START_TEST(test_extack_absent)
{
	_Alignas(4) unsigned char buf[1024];
	char text[MQ_EXTACK_MAX] = "stale";
	struct nlmsghdr *nlh;

	nlh = error_msg(buf, 30, true, false, "");
	ck_assert(!mq_nl_error_extack(nlh, text, sizeof(text)));
	ck_assert_str_eq(text, "");

	/* flag set, but nothing after the header */
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	ck_assert(!mq_nl_error_extack(nlh, text, sizeof(text)));
}
END_TEST

START_TEST(test_extack_truncated)
{
	_Alignas(4) unsigned char buf[1024];
	char text[8];
	struct nlmsghdr *nlh;

	nlh = error_msg(buf, 8, true, true, "a rather long explanation");
	ck_assert(mq_nl_error_extack(nlh, text, sizeof(text)));
	ck_assert_str_eq(text, "a rathe");
}
END_TEST

START_TEST(test_extack_done)
{
	_Alignas(4) unsigned char buf[256];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	char text[MQ_EXTACK_MAX];
	size_t off = NLMSG_HDRLEN;
	int status = -ENODEV;

	memset(buf, 0, sizeof(buf));
	memcpy(buf + off, &status, sizeof(status));
	off += NLMSG_ALIGN(sizeof(status));
	tlv_put(buf, &off, NLMSGERR_ATTR_MSG, "dump failed", 12);
	nlh->nlmsg_len = (uint32_t)off;
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	ck_assert(mq_nl_error_extack(nlh, text, sizeof(text)));
	ck_assert_str_eq(text, "dump failed");
}
END_TEST

/* Hostile TLV streams: lengths that lie, empty text, no terminator. */
START_TEST(test_extack_find_hostile)
{
	_Alignas(4) unsigned char buf[64];
	struct nlattr a;
	char text[16];
	size_t off = 0;

	/* nla_len larger than the stream */
	a.nla_len = 40;
	a.nla_type = NLMSGERR_ATTR_MSG;
	memcpy(buf, &a, sizeof(a));
	memcpy(buf + NLA_HDRLEN, "abc", 4);
	ck_assert(!mq_nl_extack_find(buf, 8, text, sizeof(text)));

	/* nla_len shorter than a header */
	a.nla_len = 2;
	memcpy(buf, &a, sizeof(a));
	ck_assert(!mq_nl_extack_find(buf, 8, text, sizeof(text)));

	/* empty message */
	tlv_put(buf, &off, NLMSGERR_ATTR_MSG, "", 1);
	ck_assert(!mq_nl_extack_find(buf, off, text, sizeof(text)));

	/* text without its NUL still comes out terminated */
	off = 0;
	tlv_put(buf, &off, NLMSGERR_ATTR_MSG, "abcdef", 6);
	ck_assert(mq_nl_extack_find(buf, off, text, sizeof(text)));
	ck_assert_str_eq(text, "abcdef");

	/* a stream shorter than one header */
	ck_assert(!mq_nl_extack_find(buf, 3, text, sizeof(text)));
}
END_TEST

/* ---- errno -> diag ---- */

struct fail_case {
	int err;
	const char *extack;
	enum mq_exit status;
	const char *msg;
};

static const struct fail_case fail_cases[] = {
	{ ENODEV, "no device matches name", MQ_EXIT_NODEV,
	  "eth9: no such network interface" },
	{ EPERM, NULL, MQ_EXIT_PERM,
	  "eth9: ethtool netlink CHANNELS_SET: Operation not permitted" },
	{ EACCES, "", MQ_EXIT_PERM,
	  "eth9: ethtool netlink CHANNELS_SET: Permission denied" },
	{ EINVAL, "requested channel count exceeds maximum", MQ_EXIT_ETHTOOL,
	  "eth9: ethtool netlink CHANNELS_SET: Invalid argument "
	  "(requested channel count exceeds maximum)" },
	{ EBUSY, NULL, MQ_EXIT_ETHTOOL,
	  "eth9: ethtool netlink CHANNELS_SET: Device or resource busy" },
	{ ENOMEM, NULL, MQ_EXIT_FAILURE,
	  "eth9: ethtool netlink CHANNELS_SET: Cannot allocate memory" },
};

START_TEST(test_fail_mapping)
{
	const struct fail_case *c = &fail_cases[_i];
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_ethtool_fail(&d, "eth9",
					 "ethtool netlink CHANNELS_SET",
					 c->err, c->extack), -1);
	ck_assert_int_eq(d.status, c->status);
	ck_assert_int_eq(d.err, c->err);
	ck_assert_str_eq(d.msg, c->msg);
}
END_TEST

/* ---- facade: names are refused before the kernel is asked ---- */

static const char *const bad_names[] = {
	"", ".", "..", "a/b", "eth0:1", "eth 0", "tab\tname",
	"sixteen-chars-xx", "a-name-far-too-long-for-ifnamsiz",
};

START_TEST(test_bad_name)
{
	struct mq_channels ch = { .rx = 0 };
	struct mq_diag d;
	size_t i;

	for (i = 0; i < 3; i++) {
		enum mq_ethtool_transport t = (enum mq_ethtool_transport)i;

		mq_diag_clear(&d);
		ck_assert_int_eq(mq_ethtool_get_channels(bad_names[_i], t, &ch,
							 &d), -1);
		ck_assert_int_eq(d.status, MQ_EXIT_NODEV);
		ck_assert_ptr_nonnull(strstr(d.msg,
					     "invalid network interface name"));
		mq_diag_clear(&d);
		ck_assert_int_eq(mq_ethtool_set_channels(bad_names[_i], t, &ch,
							 &d), -1);
		ck_assert_int_eq(d.status, MQ_EXIT_NODEV);
	}
}
END_TEST

START_TEST(test_transport_names)
{
	ck_assert_str_eq(mq_ethtool_transport_name(MQ_ETHTOOL_AUTO), "auto");
	ck_assert_str_eq(mq_ethtool_transport_name(MQ_ETHTOOL_NETLINK),
			 "netlink");
	ck_assert_str_eq(mq_ethtool_transport_name(MQ_ETHTOOL_IOCTL), "ioctl");
	ck_assert_str_eq(mq_ethtool_transport_name(
				 (enum mq_ethtool_transport)42), "unknown");
}
END_TEST

START_TEST(test_bad_ifindex)
{
	struct mq_queue_irq *out = (void *)&out;
	struct mq_diag d;
	size_t n = 3;

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_netdev_queue_irqs(0, &out, &n, &d), -1);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(d.status, MQ_EXIT_NODEV);
	ck_assert_str_eq(d.msg, "interface index 0: no such network interface");
}
END_TEST

Suite *ethtool_suite(void);

Suite *ethtool_suite(void)
{
	Suite *s = suite_create("ethtool");
	TCase *tc;

	tc = tcase_create("channels_reply");
	tcase_add_test(tc, test_channels_full);
	tcase_add_test(tc, test_rss_parse);
	tcase_add_test(tc, test_rss_parse_no_table);
	tcase_add_test(tc, test_rss_parse_bad_length);
	tcase_add_test(tc, test_rss_bad_name);
	tcase_add_test(tc, test_channels_unknown_and_missing);
	tcase_add_test(tc, test_channels_short_u32);
	tcase_add_test(tc, test_channels_no_genl_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("netdev");
	tcase_add_test(tc, test_queue_parse);
	tcase_add_test(tc, test_queue_parse_no_napi);
	tcase_add_test(tc, test_queue_parse_incomplete);
	tcase_add_test(tc, test_napi_parse);
	tcase_add_test(tc, test_napi_parse_thread);
	tcase_add_test(tc, test_join);
	tcase_add_test(tc, test_join_no_irq);
	tcase_add_test(tc, test_bad_ifindex);
	suite_add_tcase(s, tc);

	tc = tcase_create("extack");
	tcase_add_test(tc, test_extack_capped);
	tcase_add_test(tc, test_extack_uncapped);
	tcase_add_test(tc, test_extack_absent);
	tcase_add_test(tc, test_extack_truncated);
	tcase_add_test(tc, test_extack_done);
	tcase_add_test(tc, test_extack_find_hostile);
	suite_add_tcase(s, tc);

	tc = tcase_create("facade");
	tcase_add_loop_test(tc, test_fail_mapping, 0, ARRAY_SIZE(fail_cases));
	tcase_add_loop_test(tc, test_bad_name, 0, ARRAY_SIZE(bad_names));
	tcase_add_test(tc, test_transport_names);
	suite_add_tcase(s, tc);

	return s;
}
