/*
 * doctor.h - `mqtune doctor`: what the machine shows (struct mq_doc_facts,
 * filled by discover/doctor_read.c), and the pure rules that turn it into
 * findings (core/doctor.c), each with an id, a severity, the object it is
 * about, evidence with numbers, an explanation and the exact fix.
 * docs/doctor.md describes every finding id and its thresholds.
 */
#ifndef MQTUNE_DOCTOR_H
#define MQTUNE_DOCTOR_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/cpuset.h"
#define MQ_DOC_DRV 16
#include "mqtune/diag.h"
#include "mqtune/procnet.h"
#include "mqtune/sockdiag.h"

/* A sysctl or counter that could not be read. */
#define MQ_DOC_NONE INT64_MIN

struct mq_doc_sysctls {
	int64_t netdev_max_backlog, netdev_budget, netdev_budget_usecs;
	int64_t somaxconn, tcp_max_syn_backlog, tcp_syncookies;
	int64_t tcp_tw_reuse, tcp_fin_timeout, tcp_max_tw_buckets;
	int64_t tcp_max_orphans, file_max, nr_open;
	int64_t tcp_tw_recycle;		/* MQ_DOC_NONE: removed (4.12+) */
	bool have_tcp_mem, have_port_range, have_file_nr;
	uint64_t tcp_mem[3];		/* pages: min, pressure, max */
	uint64_t port_range[2];		/* ip_local_port_range */
	uint64_t file_nr[3];		/* allocated, free, max */
};

/* A configuration file line that sets tcp_tw_recycle. */
struct mq_doc_conf {
	char file[160];
	size_t line;
	char value[32];
};

/*
 * TIME_WAIT sockets grouped by the fixed end of their connections: an
 * outbound group (local port in ip_local_port_range) by its remote
 * address and port, an inbound one by its local address and port.
 */
struct mq_doc_tw_group {
	bool outbound;
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	uint64_t count;
};

struct mq_doc_listener {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	uint32_t queued, backlog;	/* accept queue now, its length */
};

struct mq_doc_owner {
	int pid;
	char comm[32];
	uint64_t count;			/* CLOSE_WAIT sockets it holds */
};

struct mq_doc_proc {
	int pid;
	char comm[32];
	uint64_t nfds;
	uint64_t soft, hard;		/* RLIMIT_NOFILE; UINT64_MAX unlimited */
};

struct mq_doc_irq {
	unsigned int irq;
	int queue;			/* -1: not a queue vector */
	const char *role;		/* static: its kind, "combined", "rx",
					   "tx" (mq_vec_kind_name); NULL unknown */
	uint64_t total;			/* interrupts (in the window) */
	unsigned int top_cpu;		/* the CPU that took most of them */
	uint64_t top_count;
	int cur_cpu;			/* a one-CPU affinity, else effective; -1 */
	int planned_cpu;		/* mqtune auto's plan, -1: none/leave */
	/* the union of the rps_cpus of the rx queues this vector serves;
	 * words == NULL (never set up) when none has RPS on */
	struct mq_cpuset rps;		/* owned */
};

#define MQ_DOC_NIC_STATS 5
/* rx_missed_errors, rx_fifo_errors, rx_over_errors, rx_dropped, rx_packets */
extern const char *const mq_doc_nic_stat_names[MQ_DOC_NIC_STATS];

struct mq_doc_nic {
	char name[IFNAMSIZ];
	int64_t speed_mbps;		/* -1 unknown */
	char duplex[16];		/* "full", "half", "unknown", "" */
	char operstate[16];
	int64_t stats[MQ_DOC_NIC_STATS];	/* MQ_DOC_NONE: no such file */
	bool have_rings;
	uint32_t rx_ring, rx_ring_max, tx_ring, tx_ring_max;
	bool have_channels;
	uint32_t combined, max_combined, rx_ch, max_rx_ch;
	size_t nr_irqs;
	struct mq_doc_irq *irqs;	/* owned */
	size_t nr_drv;			/* driver drop counters (ethtool -S),
					   those not 0 first, MQ_DOC_DRV kept */
	struct mq_doc_counter {
		char name[32];
		uint64_t value;
	} drv[MQ_DOC_DRV];
	/* per-CPU interrupt counts of irqs[] (in the window):
	 * counts[j * nr_cols + c] is irqs[j] on CPU col_cpu[c] */
	unsigned int nr_cols;
	unsigned int *col_cpu;		/* owned */
	uint64_t *counts;		/* owned: nr_irqs * nr_cols */
	int threaded;			/* /sys/class/net/X/threaded: 0, 1;
					   -1 no such file */
	/* mqtune's plan for it: the same config, managed set, machine-wide
	 * placement and plan as `mqtune check` (cmd_doctor fills these) */
	bool have_plan;			/* planned_cpu and drift_* filled */
	unsigned int usable_cpus;	/* CPUs mqtune's policy may use for it */
	size_t sum;			/* the policy's Sum: min(rx queues,
					   usable CPUs) */
	size_t drift_irq, drift_rps, drift_flow, drift_xps, drift_other;
	size_t drift_sysctl;		/* machine-wide: the same for each NIC */
	char drift_first[160];		/* "eth0 IRQ 45: 0-3, planned 2", "" */
};

#define MQ_DOC_TOP 10		/* groups, owners, listeners kept */
#define MQ_DOC_NOTES 16

struct mq_doc_facts {
	bool live;
	double interval;		/* > 0: counters are deltas over it */
	unsigned int nr_cpu_ids;
	struct mq_cpuset online, isolated;	/* owned */
	bool have_softnet, have_softirqs;
	struct mq_softnet softnet;	/* owned; rows mapped to CPU ids */
	struct mq_softirqs softirqs;	/* owned */
	struct mq_keyed netstat;	/* owned: netstat + snmp */
	struct mq_keyed sockstat;	/* owned: sockstat + sockstat6 */
	struct mq_doc_sysctls sys;
	size_t nr_recycle;
	struct mq_doc_conf recycle[8];
	/* sockets (live only) */
	bool have_sockets;
	uint64_t states[MQ_TCP_NR_STATES];	/* IPv4 + IPv6 */
	uint64_t states6[MQ_TCP_NR_STATES];	/* the IPv6 part */
	uint64_t orphans, orphans_fin_wait2;
	size_t nr_tw_groups;
	struct mq_doc_tw_group tw_groups[MQ_DOC_TOP];	/* biggest first */
	uint64_t tw_ungrouped;		/* beyond the group table */
	size_t nr_listeners_near;	/* listeners at >= half their backlog */
	struct mq_doc_listener listeners[MQ_DOC_TOP];	/* fullest first */
	size_t nr_listeners;		/* kept in listeners[] */
	size_t nr_listeners_total;
	/* CLOSE_WAIT owners and descriptors (/proc/PID/fd) */
	bool have_procs;
	size_t nr_owners;
	struct mq_doc_owner owners[MQ_DOC_TOP];		/* most first */
	uint64_t close_wait_unowned;	/* no /proc/PID/fd link found */
	size_t procs_denied;		/* fd directories not readable */
	size_t nr_procs;
	struct mq_doc_proc procs[MQ_DOC_TOP];	/* nearest their limit first */
	/* NICs */
	size_t nr_nics;
	struct mq_doc_nic *nics;	/* owned */
	/* what could not be read, said once each in the report */
	size_t nr_notes;
	char notes[MQ_DOC_NOTES][200];
};

/* base/doctor_facts.c: the facts as a model (no I/O) */
void mq_doc_facts_init(struct mq_doc_facts *f);
void mq_doc_facts_fini(struct mq_doc_facts *f);
void mq_doc_note(struct mq_doc_facts *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * mq_doc_facts_delta() - turn @cur's counters (softnet, softirqs,
 * netstat, NIC statistics and IRQ counts) into the increase since @prev
 * (the same machine @interval seconds earlier); a counter that went down
 * (a 32-bit softnet counter wrapped, a device was reset) counts from 0.
 */
void mq_doc_facts_delta(struct mq_doc_facts *cur,
			const struct mq_doc_facts *prev, double interval);

enum mq_sev { MQ_SEV_OK = 0, MQ_SEV_INFO, MQ_SEV_WARN, MQ_SEV_CRIT };
const char *mq_sev_name(enum mq_sev s);	/* "ok", "info", "warn", "crit" */

#define MQ_EV_MAX 20

struct mq_ev {
	char key[32];
	bool is_text;
	int64_t num;
	char text[96];
};

struct mq_finding {
	char id[40];		/* "softnet.dropped", docs/doctor.md */
	enum mq_sev sev;
	char object[80];	/* "cpu 3", "eth0", "pid 812 (java)", "tcp" */
	char title[200];	/* one line: what was seen */
	char why[700];		/* what it means */
	char fix[700];		/* the exact fix; "" when none is needed */
	size_t nr_ev;
	struct mq_ev ev[MQ_EV_MAX];
};

struct mq_findings {
	size_t nr, cap;
	struct mq_finding *v;	/* owned; most severe first after rules */
};

/**
 * mq_doctor_rules() - every finding @f supports, sorted by severity (most
 * severe first), stable within one.  Pure.
 * Return: 0, or -1 with @d set (out of memory).
 */
int mq_doctor_rules(const struct mq_doc_facts *f, struct mq_findings *out,
		    struct mq_diag *d);
enum mq_sev mq_findings_worst(const struct mq_findings *fs);
void mq_findings_fini(struct mq_findings *fs);

/* "1.2.3.4:80", "[::1]:80"; @cap >= 64. */
void mq_doc_endpoint(uint8_t family, const uint8_t addr[16], uint16_t port,
		     char *buf, size_t cap);

#endif /* MQTUNE_DOCTOR_H */
