/*
 * model.h - what discovery finds: the machine, its CPUs, NUMA nodes and
 * network interfaces with their queues, vectors and current settings.
 *
 * struct mq_machine owns everything below it; mq_machine_free() releases
 * it all.  All CPU sets of one machine have capacity topo.nr_cpu_ids.
 */
#ifndef MQTUNE_MODEL_H
#define MQTUNE_MODEL_H

#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mqtune/classify.h"
#include "mqtune/cpuset.h"

/*
 * Files discovery found malformed or unreadable but could do without
 * (core and package ids, effective affinity): read as unknown, and said
 * here, one line each ("PATH: malformed contents: ..."), so that `show`,
 * a dry run and a real run all succeed alike.
 */
struct mq_warning {
	char code[32];		/* stable kebab-case id, e.g. "link-down" */
	char object[64];	/* what it is about: an interface, "IRQ 41" */
	char *message;		/* owned: the whole sentence */
};

struct mq_warnings {
	size_t n;
	struct mq_warning *list;	/* owned, in report order */
};

/*
 * Append a warning: @code, @object (NULL for none) and a printf-formatted
 * message.  0, or -1 when out of memory.
 */
int mq_warn(struct mq_warnings *w, const char *code, const char *object,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int mq_vwarn(struct mq_warnings *w, const char *code, const char *object,
	     const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* The first warning with @code, or NULL. */
const struct mq_warning *mq_warnings_find(const struct mq_warnings *w,
					  const char *code);
void mq_warnings_fini(struct mq_warnings *w);

struct mq_cpu {
	int package;		/* physical_package_id, -1 unknown */
	int core;		/* core_id within the package, -1 unknown */
	int node;		/* NUMA node, -1 unknown */
	int first_sibling;	/* lowest CPU of its SMT sibling group */
};

struct mq_node {
	int id;
	struct mq_cpuset cpus;
	int *distance;		/* owned; nr_nodes entries, by node index */
};

struct mq_topo {
	unsigned int nr_cpu_ids;	/* capacity of every cpuset */
	struct mq_cpuset possible;
	struct mq_cpuset online;
	struct mq_cpuset isolated;
	struct mq_cpuset nohz_full;
	struct mq_cpu *cpus;		/* owned; nr_cpu_ids entries */
	size_t nr_nodes;
	struct mq_node *nodes;		/* owned; sorted by id */
	bool smt;			/* some core has more than one thread */
	struct mq_warnings warnings;	/* ids read as unknown */
};

enum mq_chan_src {
	MQ_CHAN_NONE = 0,
	MQ_CHAN_NETLINK,	/* ETHTOOL_MSG_CHANNELS_GET */
	MQ_CHAN_IOCTL,		/* SIOCETHTOOL ETHTOOL_GCHANNELS */
	MQ_CHAN_SYSFS,		/* counted rx-N / tx-N directories */
};

struct mq_channels {
	enum mq_chan_src source;
	/*
	 * The driver has no channel counts (ethtool: "Operation not
	 * supported": bridge, macvlan, e1000e...); every count is 0 then and
	 * @source names the transport that asked.
	 */
	bool unsupported;
	/*
	 * The driver reports counts but cannot change them (no set_channels:
	 * vmxnet3), as a CHANNELS_SET that changes nothing says on a live
	 * system (netlink, as root); false when not known.
	 */
	bool set_unsupported;
	uint32_t max_rx, max_tx, max_other, max_combined;
	uint32_t rx, tx, other, combined;
};

/*
 * The RSS indirection table: entry i names the rx queue that receives the
 * flows whose hash selects i (ethtool -x).  Read on a live system only.
 */
enum mq_rss_src {
	MQ_RSS_SRC_NONE = 0,	/* not read (a sysroot, or no channels) */
	MQ_RSS_SRC_NETLINK,	/* ETHTOOL_MSG_RSS_GET (Linux 6.2+) */
	MQ_RSS_SRC_IOCTL,	/* SIOCETHTOOL ETHTOOL_GRXFHINDIR */
};

struct mq_rss {
	enum mq_rss_src source;
	bool unsupported;	/* the driver has no indirection table */
	uint32_t size;		/* entries; 0 when none */
	uint32_t *table;	/* owned; size entries */
};

enum mq_irq_src {
	MQ_IRQSRC_NONE = 0,	/* the device has no interrupt vectors */
	MQ_IRQSRC_NETLINK,	/* netdev genl queue-get / napi-get */
	MQ_IRQSRC_NAMES,	/* msi_irqs + per-driver name rules */
	MQ_IRQSRC_INTX,		/* no MSI/MSI-X vectors: the function's one
				   legacy line (device/irq), see mq_irq.shared */
};

struct mq_irq {
	unsigned int irq;
	char *name;			/* owned; "" when no handler; an INTx
					   line's handlers joined by ", " as
					   /proc/interrupts shows them */
	enum mq_vec_kind kind;
	int queue;			/* -1 when not a queue vector */
	const char *role;		/* static, see classify.h */
	struct mq_cpuset affinity;	/* smp_affinity_list */
	char *affinity_raw;		/* owned: its text as read, for undo */
	struct mq_cpuset effective;	/* effective_affinity_list */
	bool has_affinity;		/* /proc/irq/N exists (a handler) */
	bool has_effective;		/* the kernel exposes it */
	bool user_settable;		/* smp_affinity mode has a write bit */
	bool skip_effective;		/* in: read effective only if managed */
	/*
	 * An INTx line that also carries other devices' handlers (e.g.
	 * "eth4, ahci"): moving it moves them too, so it is never a queue
	 * vector (kind other, role "shared", not attached) and a planner
	 * must leave its affinity alone.
	 */
	bool shared;
};

struct mq_rxq {
	int irq;			/* index into netdev.irqs, -1 none */
	struct mq_cpuset rps_cpus;
	bool has_rps;			/* rps_cpus file exists (CONFIG_RPS) */
	int64_t rps_flow_cnt;		/* -1 when the file is missing */
	char *rps_raw, *flow_raw;	/* owned: texts as read, for undo */
};

struct mq_txq {
	int irq;			/* index into netdev.irqs, -1 none */
	struct mq_cpuset xps_cpus;
	bool has_xps;			/* xps_cpus readable (not ENOENT) */
	char *xps_raw;			/* owned: text as read, for undo */
};

/*
 * Threaded NAPI (/sys/class/net/IF/threaded = 1, or per NAPI on 6.17+):
 * the interface's packets are processed in kernel threads named
 * "napi/<dev>-<napi id>" rather than in the softirq of the CPU the IRQ
 * fired on.  One entry per such thread.
 */
enum mq_napi_src {
	MQ_NAPI_SRC_NONE = 0,	/* no thread found */
	MQ_NAPI_SRC_NETLINK,	/* netdev genl napi-get's pid (Linux 6.8+) */
	MQ_NAPI_SRC_NAMES,	/* kernel threads named napi/<dev>-<id> */
};

struct mq_napi_thread {
	unsigned int napi_id;		/* 0: the NAPI has none (tx NAPIs of
					   virtio_net and others) */
	pid_t pid;
	char comm[64];			/* its name, /proc/PID/comm */
	int irq;			/* napi-get's IRQ, -1 unknown */
	int rxq, txq;			/* the queues it serves, -1 none */
	bool inferred;			/* queue inferred from NAPI id (or
					   thread) order, not reported */
	bool threaded;			/* it polls: the device's (or, 6.17+,
					   the NAPI's own) threaded mode is on */
	struct mq_cpuset affinity;	/* Cpus_allowed_list */
	char *affinity_raw;		/* owned: that text as read, no newline */
};

enum mq_drv_src {
	MQ_DRV_NONE = 0,	/* no driver known: "" */
	MQ_DRV_SYSFS,		/* basename of /sys/class/net/IF/device/driver */
	MQ_DRV_ETHTOOL,		/* SIOCETHTOOL ETHTOOL_GDRVINFO (live only) */
};

struct mq_netdev {
	char name[IFNAMSIZ];
	int ifindex;
	char driver[64];		/* "" when none is known */
	enum mq_drv_src driver_source;	/* ethtool's name on a live system
					   (veth, bridge, macvlan, tun have no
					   device link), else the sysfs link */
	char bus[16];			/* "pci", "virtio", "" */
	char bus_address[64];		/* PCI BDF or device name, "" */
	char fn_path[64];		/* sysfs dir of the function that owns
					   the vectors ("/sys/class/net/IF/device"
					   or ".../device/.." for virtio); "" none */
	int numa_node;			/* -1 unknown */
	struct mq_cpuset local_cpus;	/* online CPUs when no node */
	int64_t speed_mbps;		/* -1 unknown */
	char operstate[16];
	struct mq_channels channels;
	/*
	 * Set by the run itself, not by discovery: this run changed the
	 * channel counts just before this discovery (mqtune auto's second
	 * phase), which `--rss auto` treats as a reason to rewrite the table.
	 */
	bool channels_changed;
	struct mq_rss rss;
	enum mq_irq_src irq_source;
	/*
	 * The function has vectors (msi_irqs) but none has a handler: drivers
	 * that request their IRQs when the interface is opened (e1000e, igb,
	 * igbvf, vmxnet3, ...) before the first `ip link set up`, or after a
	 * later `ip link set down` freed them.  Nothing to place until then.
	 * Also an INTx line without the interface's own handler (e1000,
	 * 8139cp request it at open), even when other devices' are on it.
	 */
	bool irqs_unrequested;
	/*
	 * Not discovered but projected (project.h): the machine as it will be
	 * once this run's channel change is made, when the driver will have
	 * freed and requested its vectors again; they are not known before,
	 * so the projection lists none and reports say "after the channel
	 * change".
	 */
	bool irqs_after_change;
	size_t nr_irqs;
	struct mq_irq *irqs;		/* owned; in msi_irqs order (INTx: the
					   one line) */
	size_t nr_rxq, nr_txq;
	struct mq_rxq *rxq;		/* owned */
	struct mq_txq *txq;		/* owned */
	/* Threaded NAPI (see struct mq_napi_thread). */
	int napi_threaded;		/* /sys/class/net/IF/threaded: 0, 1 (2 =
					   busy-poll, 6.19), -1 no such file */
	enum mq_napi_src napi_source;
	bool napi_live;			/* a live system: the threads can be
					   pinned (not in a --sysroot) */
	size_t nr_napi;
	struct mq_napi_thread *napi;	/* owned; by rx queue, then tx queue,
					   then the unattributed ones by pid */
	struct mq_warnings warnings;	/* e.g. effective affinity unknown */
};

struct mq_sysctls {
	int64_t netdev_max_backlog;	/* -1 when not available here */
	int64_t rps_sock_flow_entries;	/* -1 when not available here */
	char *backlog_raw;		/* owned: texts as read, for undo */
	char *flow_entries_raw;
};

struct mq_machine {
	struct mq_topo topo;
	struct mq_sysctls sysctls;
	pid_t irqbalance_pid;		/* 0 when not running */
	size_t nr_netdevs;
	struct mq_netdev *netdevs;	/* owned */
};

struct mq_machine *mq_machine_new(void);
/* The interface of @m (may be NULL) named @name, or NULL. */
const struct mq_netdev *mq_machine_netdev(const struct mq_machine *m,
					  const char *name);
void mq_machine_free(struct mq_machine *m);
void mq_topo_fini(struct mq_topo *t);
void mq_netdev_fini(struct mq_netdev *dev);

/*
 * An interface name mqtune will build paths from, by the kernel's own rule
 * (dev_valid_name()): 1 to IFNAMSIZ-1 bytes, not "." or "..", no '/', ':',
 * white space or control characters.
 */
bool mq_ifname_valid(const char *name);
/* The same rule for a name of fewer than @cap bytes (an altname: 128). */
bool mq_ifname_valid_in(const char *name, size_t cap);

/* max(nr_rxq, nr_txq): the number of queue rows of an interface. */
size_t mq_netdev_nr_queues(const struct mq_netdev *dev);
/* Whether irqs[@idx] is the vector of one of the device's queues. */
bool mq_netdev_irq_attached(const struct mq_netdev *dev, size_t idx);
/*
 * The vectors of queue @q: its rx (or combined) vector first, then a
 * separate tx vector.  Returns how many (0-2) were stored in @out.
 */
size_t mq_netdev_queue_vectors(const struct mq_netdev *dev, size_t q,
			       const struct mq_irq *out[2]);

/*
 * The CPU an IRQ is on now: the first CPU of its effective affinity when
 * the kernel shows one, else of its requested affinity; -1 if neither.
 */
int mq_irq_current_cpu(const struct mq_irq *irq);

/*
 * The interface's IRQ state for reports: "none" (no vectors), "unrequested"
 * (irqs_unrequested) or "requested".
 */
const char *mq_netdev_irq_state(const struct mq_netdev *dev);

const char *mq_chan_src_name(enum mq_chan_src src);
/* "none", "sysfs", "ethtool" */
const char *mq_drv_src_name(enum mq_drv_src src);
const char *mq_irq_src_name(enum mq_irq_src src);
/* "none", "netlink", "names" */
const char *mq_napi_src_name(enum mq_napi_src src);

#endif /* MQTUNE_MODEL_H */
