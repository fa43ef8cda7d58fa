/*
 * netdev.c - one network interface's device facts from sysfs.
 *
 * The interface's class link (/sys/class/net/IF ->
 * ../../devices/<bus path>/<device>/net/IF) tells which device it sits on
 * and, for virtio, which PCI function owns the interrupt vectors.  The
 * name is validated before any path is built from it.
 */
#include "mqtune/netdev.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/parse.h"

#define NET_DIR "/sys/class/net"

int mq_netdev_name_ok(const char *name, struct mq_diag *d)
{
	if (mq_ifname_valid(name))
		return 1;
	mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
		    "%.64s: invalid interface name (1-%d bytes, no '/', ':' or spaces)",
		    name ? name : "", IFNAMSIZ - 1);
	return 0;
}

/* Last path component of @path (up to @end), copied into @out. */
static void component_before(const char *path, const char *end, char *out,
			     size_t cap)
{
	const char *start = end;
	size_t n;

	while (start > path && start[-1] != '/')
		start--;
	n = (size_t)(end - start);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, start, n);
	out[n] = '\0';
}

static int read_link_base(const struct mq_root *r, const char *path,
			  char *out, size_t cap)
{
	char target[MQ_PATH_MAX];
	ssize_t n = mq_root_readlink(r, path, target, sizeof(target));

	if (n < 0)
		return (int)n;
	component_before(target, target + n, out, cap);
	return 0;
}

/*
 * From the class link target ".../0000:00:04.0/virtio3/net/eth0", take the
 * device ("virtio3") and its parent ("0000:00:04.0").
 */
static int read_class_link(const struct mq_root *r, struct mq_netdev *dev,
			   char *parent, size_t cap)
{
	char path[MQ_PATH_MAX], target[MQ_PATH_MAX];
	char *net, *devend;
	ssize_t n;

	parent[0] = '\0';
	if (mq_path(path, sizeof(path), NET_DIR "/%s", dev->name))
		return -ENAMETOOLONG;
	n = mq_root_readlink(r, path, target, sizeof(target));
	if (n < 0)
		return (int)n;
	net = strstr(target, "/net/");
	if (!net)
		return 0;
	devend = net;
	component_before(target, devend, dev->bus_address,
			 sizeof(dev->bus_address));
	while (devend > target && devend[-1] != '/')
		devend--;
	if (devend > target)
		component_before(target, devend - 1, parent, cap);
	return 0;
}

static int read_device(const struct mq_root *r, const struct mq_topo *t,
		       struct mq_netdev *dev, struct mq_diag *d)
{
	char path[MQ_PATH_MAX], parent[64];
	int64_t node;
	int err;

	if (mq_path(path, sizeof(path), NET_DIR "/%s/device/subsystem",
		    dev->name))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENAMETOOLONG, "path too long");
	err = read_link_base(r, path, dev->bus, sizeof(dev->bus));
	if (err == -ENOENT) {	/* virtual device: veth, tun, bond... */
		dev->bus[0] = '\0';
		dev->bus_address[0] = '\0';
		dev->fn_path[0] = '\0';
		dev->numa_node = -1;
		return mq_cpuset_dup(&dev->local_cpus, &t->online) ?
			mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory") : 0;
	}
	if (err)
		return mq_root_fail(r, d, path, err);
	if (read_class_link(r, dev, parent, sizeof(parent)) < 0)
		return mq_root_fail(r, d, NET_DIR, -EINVAL);
	mq_path(dev->fn_path, sizeof(dev->fn_path), NET_DIR "/%s/device%s",
		dev->name, strcmp(dev->bus, "virtio") == 0 ? "/.." : "");
	if (strcmp(dev->bus, "virtio") == 0 && parent[0])
		snprintf(dev->bus_address, sizeof(dev->bus_address), "%s", parent);

	if (mq_path(path, sizeof(path), NET_DIR "/%s/device/driver", dev->name))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENAMETOOLONG, "path too long");
	err = read_link_base(r, path, dev->driver, sizeof(dev->driver));
	if (err && err != -ENOENT)
		return mq_root_fail(r, d, path, err);
	dev->driver_source = dev->driver[0] ? MQ_DRV_SYSFS : MQ_DRV_NONE;

	mq_path(path, sizeof(path), "%s/numa_node", dev->fn_path);
	err = mq_root_read_s64(r, path, &node);
	if (err == -ENOENT)
		node = -1;
	else if (err || node < -1 || node > 65535)
		return mq_root_fail(r, d, path, err ? err : -EINVAL);
	dev->numa_node = (int)node;

	if (mq_cpuset_init(&dev->local_cpus, t->nr_cpu_ids))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	mq_path(path, sizeof(path), "%s/local_cpulist", dev->fn_path);
	err = mq_root_read_cpulist(r, path, &dev->local_cpus);
	if (err == -ENOENT)
		mq_cpuset_or(&dev->local_cpus, &t->online);
	else if (err)
		return mq_root_fail(r, d, path, err);
	mq_cpuset_and(&dev->local_cpus, &t->online);
	if (mq_cpuset_empty(&dev->local_cpus))	/* node with no online CPU */
		mq_cpuset_or(&dev->local_cpus, &t->online);
	return 0;
}

/* Speed is informational: a down link or a virtual device has none. */
static void read_speed(const struct mq_root *r, struct mq_netdev *dev)
{
	char path[MQ_PATH_MAX];
	int64_t v;

	dev->speed_mbps = -1;
	if (mq_path(path, sizeof(path), NET_DIR "/%s/speed", dev->name) == 0 &&
	    mq_root_read_s64(r, path, &v) == 0 && v > 0 && v < INT32_MAX)
		dev->speed_mbps = v;
}

/* "rx-12" -> 12 for @prefix "rx-", else -1. */
static long queue_number(const char *entry, const char *prefix)
{
	size_t plen = strlen(prefix);
	uint32_t v;

	if (strncmp(entry, prefix, plen) != 0 ||
	    mq_parse_u32(entry + plen, strlen(entry + plen), &v) || v > 65535)
		return -1;
	return (long)v;
}

static int count_queues(const struct mq_root *r, struct mq_netdev *dev,
			struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	size_t nrx = 0, ntx = 0;
	long maxrx = -1, maxtx = -1;
	struct dirent *e;
	DIR *dir;

	if (mq_path(path, sizeof(path), NET_DIR "/%s/queues", dev->name))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENAMETOOLONG, "path too long");
	dir = mq_root_opendir(r, path);
	if (!dir)
		return mq_root_fail(r, d, path, errno);
	while ((e = readdir(dir))) {
		long q;

		if ((q = queue_number(e->d_name, "rx-")) >= 0) {
			nrx++;
			maxrx = q > maxrx ? q : maxrx;
		} else if ((q = queue_number(e->d_name, "tx-")) >= 0) {
			ntx++;
			maxtx = q > maxtx ? q : maxtx;
		}
	}
	closedir(dir);
	/* The kernel numbers queues 0..n-1 without gaps. */
	if ((long)nrx != maxrx + 1 || (long)ntx != maxtx + 1)
		return mq_root_fail(r, d, path, -EINVAL);
	dev->nr_rxq = nrx;
	dev->nr_txq = ntx;
	dev->rxq = calloc(nrx ? nrx : 1, sizeof(*dev->rxq));
	dev->txq = calloc(ntx ? ntx : 1, sizeof(*dev->txq));
	if (!dev->rxq || !dev->txq)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	return 0;
}

int mq_netdev_read(const struct mq_root *r, const struct mq_topo *t,
		   const char *ifname, struct mq_netdev *dev,
		   struct mq_diag *d)
{
	char path[MQ_PATH_MAX];
	int64_t ifindex;
	struct stat st;
	size_t i;
	int err;

	memset(dev, 0, sizeof(*dev));
	if (!mq_netdev_name_ok(ifname, d))
		return -1;
	snprintf(dev->name, sizeof(dev->name), "%s", ifname);
	mq_path(path, sizeof(path), NET_DIR "/%s", ifname);
	err = mq_root_stat(r, path, &st);
	if (err == -ENOENT || (!err && !S_ISDIR(st.st_mode)))
		return mq_diag_set(d, MQ_EXIT_NODEV, ENODEV,
				   "%s: no such network interface", ifname);
	if (err)
		return mq_root_fail(r, d, path, err);

	mq_path(path, sizeof(path), NET_DIR "/%s/ifindex", ifname);
	err = mq_root_read_s64(r, path, &ifindex);
	if (err || ifindex <= 0 || ifindex > INT32_MAX)
		return mq_root_fail(r, d, path, err ? err : -EINVAL);
	dev->ifindex = (int)ifindex;
	mq_path(path, sizeof(path), NET_DIR "/%s/operstate", ifname);
	if (mq_root_read_word(r, path, dev->operstate, sizeof(dev->operstate)))
		snprintf(dev->operstate, sizeof(dev->operstate), "unknown");
	read_speed(r, dev);
	if (read_device(r, t, dev, d) || count_queues(r, dev, d))
		return -1;
	for (i = 0; i < dev->nr_rxq; i++)
		dev->rxq[i].irq = -1;
	for (i = 0; i < dev->nr_txq; i++)
		dev->txq[i].irq = -1;
	return 0;
}

void mq_netdev_sysfs_channels(const struct mq_netdev *dev,
			      struct mq_channels *ch)
{
	uint32_t nrx = (uint32_t)dev->nr_rxq, ntx = (uint32_t)dev->nr_txq;
	uint32_t both = nrx < ntx ? nrx : ntx;

	memset(ch, 0, sizeof(*ch));
	ch->source = MQ_CHAN_SYSFS;
	ch->combined = ch->max_combined = both;
	ch->rx = ch->max_rx = nrx - both;
	ch->tx = ch->max_tx = ntx - both;
}
