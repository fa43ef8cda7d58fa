/*
 * ethtool.c - channel counts and the RSS table through the right
 * transport.
 *
 * The facade behind include/mqtune/ethtool.h.  It checks the interface
 * name once, then asks ethtool generic netlink (ethtool_nl.c) and falls
 * back to the SIOCETHTOOL ioctl (ethtool_ioctl.c) only in AUTO mode and
 * only when the kernel has no "ethtool" genl family: any other netlink
 * failure is the answer, not a reason to try again another way.  It also
 * owns the one errno -> exit status mapping both transports share.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "ethtool_int.h"
#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/model.h"

const char *mq_ethtool_transport_name(enum mq_ethtool_transport t)
{
	switch (t) {
	case MQ_ETHTOOL_AUTO:		return "auto";
	case MQ_ETHTOOL_NETLINK:	return "netlink";
	case MQ_ETHTOOL_IOCTL:		return "ioctl";
	}
	return "unknown";
}

int mq_ethtool_fail(struct mq_diag *d, const char *ifname, const char *what,
		    int err, const char *extack)
{
	enum mq_exit status = MQ_EXIT_ETHTOOL;
	bool ext = extack && extack[0];

	if (err == ENODEV)
		return mq_diag_set(d, MQ_EXIT_NODEV, err,
				   "%s: no such network interface", ifname);
	if (err == EPERM || err == EACCES)
		status = MQ_EXIT_PERM;
	else if (err == ENOMEM)
		status = MQ_EXIT_FAILURE;
	return mq_diag_set(d, status, err, "%s: %s: %s%s%s%s", ifname, what,
			   strerror(err), ext ? " (" : "", ext ? extack : "",
			   ext ? ")" : "");
}

static int check_ifname(const char *ifname, struct mq_diag *d)
{
	/* A bad name must not be truncated into another interface's name by
	 * the ioctl's fixed-size ifr_name. */
	if (mq_ifname_valid(ifname))
		return 0;
	return mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
			   "%.*s: invalid network interface name",
			   IFNAMSIZ * 4, ifname);
}

static int no_family(const char *ifname, struct mq_diag *d)
{
	return mq_diag_set(d, MQ_EXIT_ETHTOOL, ENOENT,
			   "%s: ethtool netlink: the kernel has no \"ethtool\" generic netlink family",
			   ifname);
}

static int bad_transport(const char *ifname, enum mq_ethtool_transport t,
			 struct mq_diag *d)
{
	return mq_diag_set(d, MQ_EXIT_FAILURE, EINVAL,
			   "%s: unknown ethtool transport %d", ifname, (int)t);
}

int mq_ethtool_get_channels(const char *ifname, enum mq_ethtool_transport t,
			    struct mq_channels *ch, struct mq_diag *d)
{
	int ret;

	if (check_ifname(ifname, d))
		return -1;
	switch (t) {
	case MQ_ETHTOOL_IOCTL:
		return mq_ethtool_ioctl_get_channels(ifname, ch, d);
	case MQ_ETHTOOL_AUTO:
	case MQ_ETHTOOL_NETLINK:
		ret = mq_ethtool_nl_get_channels(ifname, ch, d);
		if (ret != MQ_ETHTOOL_NOFAMILY)
			return ret;
		if (t == MQ_ETHTOOL_AUTO)
			return mq_ethtool_ioctl_get_channels(ifname, ch, d);
		return no_family(ifname, d);
	}
	return bad_transport(ifname, t, d);
}

int mq_ethtool_get_driver(const char *ifname, char *out, size_t cap,
			  struct mq_diag *d)
{
	if (check_ifname(ifname, d))
		return -1;
	return mq_ethtool_ioctl_get_driver(ifname, out, cap, d);
}

int mq_ethtool_set_channels(const char *ifname, enum mq_ethtool_transport t,
			    const struct mq_channels *ch, struct mq_diag *d)
{
	int ret;

	if (check_ifname(ifname, d))
		return -1;
	switch (t) {
	case MQ_ETHTOOL_IOCTL:
		return mq_ethtool_ioctl_set_channels(ifname, ch, d);
	case MQ_ETHTOOL_AUTO:
	case MQ_ETHTOOL_NETLINK:
		ret = mq_ethtool_nl_set_channels(ifname, ch, d);
		if (ret != MQ_ETHTOOL_NOFAMILY)
			return ret;
		if (t == MQ_ETHTOOL_AUTO)
			return mq_ethtool_ioctl_set_channels(ifname, ch, d);
		return no_family(ifname, d);
	}
	return bad_transport(ifname, t, d);
}

/*
 * The RSS table: netlink first; in AUTO mode the ioctl when the kernel has
 * no ethtool family or answers EOPNOTSUPP, which is what a kernel without
 * RSS_GET (before 6.2) or RSS_SET (before 6.17) says about the command,
 * and a driver without a table about the request: the ioctl answers the
 * same for the latter.
 */
int mq_ethtool_get_rss(const char *ifname, enum mq_ethtool_transport t,
		       struct mq_rss *out, struct mq_diag *d)
{
	int ret;

	out->table = NULL;
	out->size = 0;
	out->unsupported = false;
	out->source = t == MQ_ETHTOOL_IOCTL ? MQ_RSS_SRC_IOCTL :
		      MQ_RSS_SRC_NETLINK;
	if (check_ifname(ifname, d))
		return -1;
	switch (t) {
	case MQ_ETHTOOL_IOCTL:
		ret = mq_ethtool_ioctl_get_rss(ifname, out, d);
		break;
	case MQ_ETHTOOL_AUTO:
	case MQ_ETHTOOL_NETLINK:
		ret = mq_ethtool_nl_get_rss(ifname, out, d);
		if (t == MQ_ETHTOOL_AUTO && (ret == MQ_ETHTOOL_NOFAMILY ||
					     ret == MQ_ETHTOOL_UNSUPPORTED)) {
			out->source = MQ_RSS_SRC_IOCTL;
			ret = mq_ethtool_ioctl_get_rss(ifname, out, d);
		} else if (ret == MQ_ETHTOOL_NOFAMILY) {
			return no_family(ifname, d);
		}
		break;
	default:
		return bad_transport(ifname, t, d);
	}
	if (ret == MQ_ETHTOOL_UNSUPPORTED)
		out->unsupported = true;
	return ret;
}

int mq_ethtool_set_rss(const char *ifname, enum mq_ethtool_transport t,
		       const uint32_t *table, uint32_t size, struct mq_diag *d)
{
	int ret;

	if (check_ifname(ifname, d))
		return -1;
	switch (t) {
	case MQ_ETHTOOL_IOCTL:
		return mq_ethtool_ioctl_set_rss(ifname, table, size, d);
	case MQ_ETHTOOL_AUTO:
	case MQ_ETHTOOL_NETLINK:
		ret = mq_ethtool_nl_set_rss(ifname, table, size, d);
		if (t == MQ_ETHTOOL_AUTO && (ret == MQ_ETHTOOL_NOFAMILY ||
					     ret == MQ_ETHTOOL_UNSUPPORTED))
			return mq_ethtool_ioctl_set_rss(ifname, table, size, d);
		if (ret == MQ_ETHTOOL_NOFAMILY)
			return no_family(ifname, d);
		if (ret == MQ_ETHTOOL_UNSUPPORTED)
			return mq_ethtool_fail(d, ifname, "ethtool netlink RSS_SET",
					       EOPNOTSUPP, NULL);
		return ret;
	}
	return bad_transport(ifname, t, d);
}
