/*
 * discover.c - runs the readers in order and returns the complete model.
 *
 * Nothing here prints: the model is gathered first and rendered later.
 * On a live system the kernel is asked for channel counts (ethtool
 * netlink, then the ioctl), for the RSS indirection table and for the
 * queue -> IRQ map (netdev netlink);
 * a --sysroot snapshot has no live kernel behind it, so there the queue
 * directories and the name rules answer.
 */
#include "mqtune/discover.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/irq.h"
#include "mqtune/napi_threads.h"
#include "mqtune/netdev.h"
#include "mqtune/state.h"
#include "mqtune/topo.h"

static int read_channels(const struct mq_root *r,
			 const struct mq_discover_opts *o,
			 struct mq_netdev *dev, struct mq_diag *d)
{
	int ret;

	if (!r->live) {
		mq_netdev_sysfs_channels(dev, &dev->channels);
		return 0;
	}
	ret = mq_ethtool_get_channels(dev->name, o->transport, &dev->channels,
				      d);
	if (ret == MQ_ETHTOOL_UNSUPPORTED) {
		/* Say so, as `ethtool -l` does; counting queue directories
		 * would invent "combined 1/1" for a bridge. */
		enum mq_chan_src asked = dev->channels.source;

		memset(&dev->channels, 0, sizeof(dev->channels));
		dev->channels.source = asked;
		dev->channels.unsupported = true;
		return 0;
	}
	/* counts a driver cannot set: known without a change (netlink) */
	if (!ret && dev->channels.source == MQ_CHAN_NETLINK) {
		struct mq_diag ignored;

		mq_diag_clear(&ignored);
		dev->channels.set_unsupported =
			mq_ethtool_probe_set_channels(dev->name, &ignored) ==
			MQ_ETHTOOL_UNSUPPORTED;
	}
	return ret;
}

/*
 * The RSS indirection table, on a live system only (a snapshot has no
 * kernel to ask: source none).  A driver without one is a fact
 * (rss.unsupported); any other failure leaves the table unknown with a
 * warning on the interface, so show, a dry run and a real run agree and
 * none of them stops for it.
 */
static int read_rss(const struct mq_root *r, const struct mq_discover_opts *o,
		    struct mq_netdev *dev)
{
	struct mq_diag why;
	int ret;

	memset(&dev->rss, 0, sizeof(dev->rss));
	if (!r->live)
		return 0;
	mq_diag_clear(&why);
	ret = mq_ethtool_get_rss(dev->name, o->transport, &dev->rss, &why);
	if (ret >= 0)
		return 0;
	free(dev->rss.table);
	memset(&dev->rss, 0, sizeof(dev->rss));
	if (why.err == ENOMEM)
		return -1;
	return mq_warn(&dev->warnings, "rss-unreadable", dev->name,
		       "%s: the RSS indirection table could not be read (%s): "
		       "left alone", dev->name, why.msg);
}

/*
 * On a live system the kernel names the driver as `ethtool -i` does,
 * also for devices with no device link (veth, bridge, macvlan, tun).  The
 * sysfs link stays the answer when the ioctl has none or fails: the name
 * is a fact for the report and the classifier, never a reason to stop.
 */
static void read_driver(const struct mq_root *r, struct mq_netdev *dev)
{
	char name[sizeof(dev->driver)];
	struct mq_diag ignored;

	if (!r->live)
		return;
	mq_diag_clear(&ignored);
	if (mq_ethtool_get_driver(dev->name, name, sizeof(name), &ignored) == 0 &&
	    name[0]) {
		memcpy(dev->driver, name, sizeof(dev->driver));
		dev->driver_source = MQ_DRV_ETHTOOL;
	}
}

static int read_irqs(const struct mq_root *r, const struct mq_topo *t,
		     struct mq_irq_names *names, struct mq_netdev *dev,
		     struct mq_diag *d)
{
	struct mq_queue_irq *map = NULL;
	size_t map_len = 0;
	int ret;

	if (r->live && dev->fn_path[0]) {
		struct mq_diag ignored;

		/* The map is an improvement, not a requirement. */
		if (mq_netdev_queue_irqs(dev->ifindex, &map, &map_len,
					 &ignored) != 0) {
			free(map);
			map = NULL;
			map_len = 0;
		}
	}
	ret = mq_irq_read(r, t, names, map, map_len, dev, d);
	free(map);
	return ret;
}

static int discover_netdev(const struct mq_root *r,
			   const struct mq_discover_opts *o,
			   const struct mq_topo *t, struct mq_irq_names *names,
			   const char *ifname, struct mq_netdev *dev,
			   struct mq_diag *d)
{
	if (mq_netdev_read(r, t, ifname, dev, d))
		return -1;
	read_driver(r, dev);
	if (read_rss(r, o, dev))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	if (read_channels(r, o, dev, d) ||
	    read_irqs(r, t, names, dev, d) ||
	    mq_state_read_queues(r, t, dev, d) ||
	    mq_napi_read(r, t, dev, d))
		return -1;
	return 0;
}

int mq_discover(const struct mq_root *r, const struct mq_discover_opts *o,
		const char *const *ifnames, size_t n, struct mq_machine **out,
		struct mq_diag *d)
{
	struct mq_irq_names names = { .managed_effective_only = o->lean };
	struct mq_machine *m;
	size_t i;

	*out = NULL;
	for (i = 0; i < n; i++)
		if (!mq_netdev_name_ok(ifnames[i], d))
			return -1;
	m = mq_machine_new();
	if (!m)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	m->netdevs = calloc(n ? n : 1, sizeof(*m->netdevs));
	if (!m->netdevs)
		goto nomem;
	/* The directories most files are read from (and written to) stay
	 * open: each file is then a short walk from one of them.  Those of
	 * an earlier discovery (a long-running watch) may be stale. */
	mq_root_forget_dirs(r);
	mq_root_keep_dir(r, "/sys/devices/system/cpu");
	mq_root_keep_dir(r, "/proc/irq");
	mq_root_keep_dir(r, "/sys/kernel/irq");
	if (mq_topo_read(r, &m->topo, !o->lean, d))
		goto fail;
	for (i = 0; i < n; i++) {
		m->nr_netdevs = i + 1;
		if (discover_netdev(r, o, &m->topo, &names, ifnames[i],
				    &m->netdevs[i], d))
			goto fail;
	}
	if (mq_state_read_sysctls(r, &m->sysctls, d))
		goto fail;
	m->irqbalance_pid = mq_state_find_irqbalance(r);
	mq_irq_names_fini(&names);
	*out = m;
	return 0;
nomem:
	mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
fail:
	mq_irq_names_fini(&names);
	mq_machine_free(m);
	return -1;
}
