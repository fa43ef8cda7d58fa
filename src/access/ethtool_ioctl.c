/*
 * ethtool_ioctl.c - channel counts, the RSS indirection table and the
 * driver name through the SIOCETHTOOL ioctl.
 *
 * The legacy transport: ETHTOOL_GCHANNELS and ETHTOOL_SCHANNELS on a
 * throw-away datagram socket, for kernels without the ethtool generic
 * netlink family (before 5.6) or when the user asks for it.  Like
 * ethtool(8) it tries an AF_INET socket first and an AF_NETLINK one when
 * the kernel has no IPv4.  Errors map exactly as on the netlink path.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/sockios.h>

#include "ethtool_int.h"
#include "mqtune/diag.h"

/* A socket to issue SIOCETHTOOL on, or -errno. */
static int ethtool_socket(void)
{
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			    NETLINK_GENERIC);
	return fd < 0 ? -errno : fd;
}

/* Issue one ETHTOOL_* command (@cmd: its struct) on @ifname; 0 or -errno. */
static int ethtool_ioctl(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;
	size_t len = strnlen(ifname, IFNAMSIZ);

	if (len >= IFNAMSIZ)
		return -EINVAL;		/* the facade already refused it */
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, len);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

static void channels_from(struct mq_channels *ch,
			  const struct ethtool_channels *ec)
{
	ch->source = MQ_CHAN_IOCTL;
	ch->max_rx = ec->max_rx;
	ch->max_tx = ec->max_tx;
	ch->max_other = ec->max_other;
	ch->max_combined = ec->max_combined;
	ch->rx = ec->rx_count;
	ch->tx = ec->tx_count;
	ch->other = ec->other_count;
	ch->combined = ec->combined_count;
}

/*
 * One read-only request on a socket of its own: 0, MQ_ETHTOOL_UNSUPPORTED
 * when the driver has no such operation, or -1 with @d naming @what.
 */
static int one_request(const char *ifname, void *cmd, const char *what,
		       struct mq_diag *d)
{
	int fd, ret;

	fd = ethtool_socket();
	if (fd < 0)
		return mq_ethtool_fail(d, ifname, "ethtool ioctl socket", -fd,
				       NULL);
	ret = ethtool_ioctl(fd, ifname, cmd);
	close(fd);
	if (ret == -EOPNOTSUPP)
		return MQ_ETHTOOL_UNSUPPORTED;
	if (ret < 0)
		return mq_ethtool_fail(d, ifname, what, -ret, NULL);
	return 0;
}

int mq_ethtool_ioctl_get_channels(const char *ifname, struct mq_channels *ch,
				  struct mq_diag *d)
{
	struct ethtool_channels ec = { .cmd = ETHTOOL_GCHANNELS };
	int ret = one_request(ifname, &ec, "ethtool ioctl ETHTOOL_GCHANNELS", d);

	if (ret == MQ_ETHTOOL_UNSUPPORTED)
		ch->source = MQ_CHAN_IOCTL;	/* who asked */
	if (ret == 0)
		channels_from(ch, &ec);
	return ret;
}

int mq_ethtool_ioctl_get_driver(const char *ifname, char *out, size_t cap,
				struct mq_diag *d)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	size_t len;
	int ret;

	if (cap)
		out[0] = '\0';
	ret = one_request(ifname, &info, "ethtool ioctl ETHTOOL_GDRVINFO", d);
	if (ret)
		return ret;
	/* The kernel fills it with strscpy(), but trust no terminator. */
	len = strnlen(info.driver, sizeof(info.driver));
	if (cap) {
		if (len >= cap)
			len = cap - 1;
		memcpy(out, info.driver, len);
		out[len] = '\0';
	}
	return 0;
}

int mq_ethtool_ioctl_set_channels(const char *ifname,
				  const struct mq_channels *ch,
				  struct mq_diag *d)
{
	struct ethtool_channels ec = { .cmd = ETHTOOL_GCHANNELS };
	const char *what = "ethtool ioctl ETHTOOL_GCHANNELS";
	int fd, ret;

	fd = ethtool_socket();
	if (fd < 0)
		return mq_ethtool_fail(d, ifname, "ethtool ioctl socket", -fd,
				       NULL);
	/* read first: the maxima must go back to the kernel unchanged */
	ret = ethtool_ioctl(fd, ifname, &ec);
	if (ret == 0) {
		what = "ethtool ioctl ETHTOOL_SCHANNELS";
		ec.cmd = ETHTOOL_SCHANNELS;
		ec.rx_count = ch->rx;
		ec.tx_count = ch->tx;
		ec.other_count = ch->other;
		ec.combined_count = ch->combined;
		ret = ethtool_ioctl(fd, ifname, &ec);
	}
	close(fd);
	if (ret < 0)
		return mq_ethtool_fail(d, ifname, what, -ret, NULL);
	return 0;
}

/* ---- the RSS indirection table ---- */

/* struct ethtool_rxfh_indir with room for @size entries, or NULL. */
static struct ethtool_rxfh_indir *indir_alloc(uint32_t cmd, uint32_t size)
{
	struct ethtool_rxfh_indir *in;

	in = calloc(1, sizeof(*in) + (size_t)size * sizeof(in->ring_index[0]));
	if (in) {
		in->cmd = cmd;
		in->size = size;
	}
	return in;
}

int mq_ethtool_ioctl_get_rss(const char *ifname, struct mq_rss *out,
			     struct mq_diag *d)
{
	static const char what[] = "ethtool ioctl ETHTOOL_GRXFHINDIR";
	struct ethtool_rxfh_indir head = { .cmd = ETHTOOL_GRXFHINDIR };
	struct ethtool_rxfh_indir *in = NULL;
	int fd, ret;

	fd = ethtool_socket();
	if (fd < 0)
		return mq_ethtool_fail(d, ifname, "ethtool ioctl socket", -fd,
				       NULL);
	/* size 0 asks for the driver's size; then the table of that size */
	ret = ethtool_ioctl(fd, ifname, &head);
	if (ret == 0 && (head.size == 0 || head.size > MQ_RSS_MAX_ENTRIES))
		ret = head.size ? -E2BIG : -EOPNOTSUPP;
	if (ret == 0) {
		in = indir_alloc(ETHTOOL_GRXFHINDIR, head.size);
		ret = in ? ethtool_ioctl(fd, ifname, in) : -ENOMEM;
	}
	close(fd);
	if (ret == -EOPNOTSUPP) {
		free(in);
		return MQ_ETHTOOL_UNSUPPORTED;
	}
	if (ret < 0) {
		free(in);
		return mq_ethtool_fail(d, ifname, what, -ret, NULL);
	}
	out->table = malloc((size_t)head.size * sizeof(uint32_t));
	if (!out->table) {
		free(in);
		return mq_ethtool_fail(d, ifname, what, ENOMEM, NULL);
	}
	memcpy(out->table, in->ring_index, (size_t)head.size * sizeof(uint32_t));
	out->size = head.size;
	out->source = MQ_RSS_SRC_IOCTL;
	out->unsupported = false;
	free(in);
	return 0;
}

int mq_ethtool_ioctl_set_rss(const char *ifname, const uint32_t *table,
			     uint32_t size, struct mq_diag *d)
{
	struct ethtool_rxfh_indir *in;
	int fd, ret;

	/* indir size 0: the driver's default table (ethtool -X IF default) */
	in = indir_alloc(ETHTOOL_SRXFHINDIR, size);
	if (!in)
		return mq_ethtool_fail(d, ifname, "ethtool ioctl ETHTOOL_SRXFHINDIR",
				       ENOMEM, NULL);
	if (size)
		memcpy(in->ring_index, table, (size_t)size * sizeof(uint32_t));
	fd = ethtool_socket();
	if (fd < 0) {
		free(in);
		return mq_ethtool_fail(d, ifname, "ethtool ioctl socket", -fd,
				       NULL);
	}
	ret = ethtool_ioctl(fd, ifname, in);
	close(fd);
	free(in);
	if (ret < 0)
		return mq_ethtool_fail(d, ifname, "ethtool ioctl ETHTOOL_SRXFHINDIR",
				       -ret, NULL);
	return 0;
}

/* ---- driver statistics (doctor) ---- */

#define MQ_STATS_MAX 65536	/* more than any driver has */

/* The number of ETH_SS_STATS strings: >= 0, or -errno. */
static int stats_count(int fd, const char *ifname)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} info;
	int ret;

	memset(&info, 0, sizeof(info));
	info.hdr.cmd = ETHTOOL_GSSET_INFO;
	info.hdr.sset_mask = 1ULL << ETH_SS_STATS;
	ret = ethtool_ioctl(fd, ifname, &info);
	if (ret < 0)
		return ret;
	if (!(info.hdr.sset_mask & (1ULL << ETH_SS_STATS)))
		return 0;
	return info.len > MQ_STATS_MAX ? -E2BIG : (int)info.len;
}

int mq_ethtool_get_stats(const char *ifname, bool (*keep)(const char *name),
			 struct mq_nic_counter **out, size_t *n,
			 struct mq_diag *d)
{
	static const char what[] = "ethtool ioctl ETHTOOL_GSTATS";
	struct ethtool_gstrings *names = NULL;
	struct ethtool_stats *vals = NULL;
	int fd, cnt, ret = 0, rc;
	size_t i;

	*out = NULL;
	*n = 0;
	fd = ethtool_socket();
	if (fd < 0)
		return mq_ethtool_fail(d, ifname, "ethtool ioctl socket", -fd,
				       NULL);
	cnt = stats_count(fd, ifname);
	if (cnt <= 0) {
		ret = cnt;
		goto done;
	}
	names = calloc(1, sizeof(*names) + (size_t)cnt * ETH_GSTRING_LEN);
	vals = calloc(1, sizeof(*vals) + (size_t)cnt * sizeof(uint64_t));
	*out = calloc((size_t)cnt, sizeof(**out));
	if (!names || !vals || !*out) {
		ret = -ENOMEM;
		goto done;
	}
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = (uint32_t)cnt;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = (uint32_t)cnt;
	ret = ethtool_ioctl(fd, ifname, names);
	if (ret == 0)
		ret = ethtool_ioctl(fd, ifname, vals);
	/* a driver may report fewer than it announced */
	for (i = 0; ret == 0 && i < names->len && i < vals->n_stats &&
		    i < (size_t)cnt; i++) {
		struct mq_nic_counter *c = &(*out)[*n];

		memcpy(c->name, names->data + i * ETH_GSTRING_LEN,
		       ETH_GSTRING_LEN);
		c->name[ETH_GSTRING_LEN - 1] = '\0';
		c->value = vals->data[i];
		if (keep(c->name))
			(*n)++;
	}
done:
	close(fd);
	free(names);
	free(vals);
	if (ret == 0 && *n)
		return 0;
	free(*out);
	*out = NULL;
	*n = 0;
	if (ret == 0 || ret == -EOPNOTSUPP)
		return ret == 0 ? 0 : MQ_ETHTOOL_UNSUPPORTED;
	rc = mq_ethtool_fail(d, ifname, what, -ret, NULL);
	return rc;
}
