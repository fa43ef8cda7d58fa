/*
 * ethtool.h - channel counts from the kernel, and the netdev family's
 * queue -> NAPI -> IRQ map.
 *
 * Channels: ethtool generic netlink first (ETHTOOL_MSG_CHANNELS_GET),
 * falling back to the SIOCETHTOOL ETHTOOL_GCHANNELS ioctl only when the
 * kernel has no "ethtool" genl family.  Every other error is final.
 */
#ifndef MQTUNE_ETHTOOL_H
#define MQTUNE_ETHTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/diag.h"
#include "mqtune/ethtool_transport.h"
#include "mqtune/model.h"


/* Return values of the getters besides 0 and -1. */
#define MQ_ETHTOOL_UNSUPPORTED 1	/* the driver reports no channels (or
				   no RSS table, rings, ...) */

/**
 * mq_ethtool_get_channels() - current and maximum channel counts.
 * Sets ch->source to MQ_CHAN_NETLINK or MQ_CHAN_IOCTL.
 * Return: 0; MQ_ETHTOOL_UNSUPPORTED when the driver has no get_channels
 * (EOPNOTSUPP); -1 with @d set (ENODEV -> MQ_EXIT_NODEV, EPERM ->
 * MQ_EXIT_PERM, else MQ_EXIT_ETHTOOL).
 */
int mq_ethtool_get_channels(const char *ifname, enum mq_ethtool_transport t,
			    struct mq_channels *ch, struct mq_diag *d);

/**
 * mq_ethtool_set_channels() - set rx/tx/other/combined counts as in @ch.
 * Return: 0 or -1 with @d set (extack text included when the kernel
 * gave one).
 */
int mq_ethtool_set_channels(const char *ifname, enum mq_ethtool_transport t,
			    const struct mq_channels *ch, struct mq_diag *d);

/*
 * The RSS indirection table (ethtool -x / -X).  Read through ethtool
 * netlink ETHTOOL_MSG_RSS_GET (Linux 6.2+), else the ETHTOOL_GRXFHINDIR
 * ioctl; set through ETHTOOL_MSG_RSS_SET (6.17+), else ETHTOOL_SRXFHINDIR.
 * In AUTO mode the ioctl is tried when the kernel has no ethtool family
 * or answers EOPNOTSUPP (a kernel without the command answers so, as a
 * driver without a table does: the ioctl then tells them apart).  Only
 * the table of the default context: the hash key, the hash function and
 * the input transformation are never sent.
 */
#define MQ_RSS_MAX_ENTRIES 65536	/* more than any driver's table */

/**
 * mq_ethtool_get_rss() - the current table into @out (out->table
 * malloc'd, out->size entries, out->source the transport that answered).
 * Return: 0; MQ_ETHTOOL_UNSUPPORTED when the driver has no table
 * (out->unsupported set, no table); -1 with @d set as for the channels.
 */
int mq_ethtool_get_rss(const char *ifname, enum mq_ethtool_transport t,
		       struct mq_rss *out, struct mq_diag *d);

/**
 * mq_ethtool_set_rss() - write @size entries of @table (the driver's own
 * size; each entry an rx queue), or with @size 0 reset the table to the
 * driver's default (an equal spread over the rx queues, no longer "user
 * set").  Return: 0 or -1 with @d set (extack text included).
 */
int mq_ethtool_set_rss(const char *ifname, enum mq_ethtool_transport t,
		       const uint32_t *table, uint32_t size,
		       struct mq_diag *d);

/**
 * mq_ethtool_probe_set_channels() - whether the driver can set channel
 * counts, asked without changing anything: an ETHTOOL_MSG_CHANNELS_SET
 * with no count, which the kernel answers EOPNOTSUPP when the driver has
 * no set_channels and accepts as a no-op otherwise (netlink only: the
 * ioctl would call the driver).
 * Return: 0 settable; MQ_ETHTOOL_UNSUPPORTED not; -1 unknown (no ethtool
 * family, not permitted) with @d set.
 */
int mq_ethtool_probe_set_channels(const char *ifname, struct mq_diag *d);

/**
 * mq_ethtool_get_driver() - the driver name the kernel reports for
 * @ifname (SIOCETHTOOL ETHTOOL_GDRVINFO, as `ethtool -i`): the driver's
 * own, else its parent device's driver, else the link kind ("veth",
 * "bridge", "macvlan", "tun").  The ethtool netlink family has no such
 * request, so this is always the ioctl.
 * Return: 0 with @out set (NUL-terminated, possibly "");
 * MQ_ETHTOOL_UNSUPPORTED when the kernel knows none (EOPNOTSUPP); -1 with
 * @d set as for the channel getters.
 */
int mq_ethtool_get_driver(const char *ifname, char *out, size_t cap,
			  struct mq_diag *d);

/* One queue's NAPI interrupt, from the netdev genl family. */
struct mq_queue_irq {
	unsigned int queue;
	int is_tx;		/* 0 rx, 1 tx */
	int irq;		/* -1 when the queue has no NAPI or no IRQ */
};

/**
 * mq_netdev_queue_irqs() - queue -> NAPI -> IRQ map (Linux 6.8+).
 * @ifindex: interface index
 * @out: malloc'd array (caller frees) of every rx and tx queue
 * @n: its length
 * Return: 0; MQ_ETHTOOL_UNSUPPORTED when the kernel has no netdev family,
 * no queue-get/napi-get, or the driver registers no NAPI IRQs (then @out
 * is NULL); -1 with @d set on other errors.
 */
int mq_netdev_queue_irqs(int ifindex, struct mq_queue_irq **out, size_t *n,
			 struct mq_diag *d);

const char *mq_ethtool_transport_name(enum mq_ethtool_transport t);

/* Ring sizes (descriptors), as `ethtool -g` shows them. */
struct mq_rings {
	uint32_t rx, rx_max, tx, tx_max;
};

/**
 * mq_ethtool_get_rings() - ETHTOOL_MSG_RINGS_GET over ethtool netlink
 * (read only; no ioctl fall-back: `doctor` reports rings as unknown then).
 * Return: 0; MQ_ETHTOOL_UNSUPPORTED when the driver has none or the kernel
 * has no ethtool netlink family; -1 with @d set on other errors.
 */
int mq_ethtool_get_rings(const char *ifname, struct mq_rings *r,
			 struct mq_diag *d);

/* One driver statistic, as `ethtool -S` lists it. */
struct mq_nic_counter {
	char name[32];		/* ETH_GSTRING_LEN */
	uint64_t value;
};

/**
 * mq_ethtool_get_stats() - the driver's statistics (SIOCETHTOOL
 * ETHTOOL_GSSET_INFO, GSTRINGS, GSTATS; read only) whose name @keep
 * accepts, into *@out (malloc'd, caller frees; NULL when none) and *@n.
 * Return: 0; MQ_ETHTOOL_UNSUPPORTED when the driver has none; -1 with @d.
 */
int mq_ethtool_get_stats(const char *ifname, bool (*keep)(const char *name),
			 struct mq_nic_counter **out, size_t *n,
			 struct mq_diag *d);

#endif /* MQTUNE_ETHTOOL_H */
