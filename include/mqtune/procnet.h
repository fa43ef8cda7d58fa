/*
 * procnet.h - pure parsers for the kernel's networking counters, for
 * `mqtune doctor`: /proc/net/softnet_stat, /proc/softirqs, the keyed
 * tables of /proc/net/netstat, /proc/net/snmp and /proc/net/sockstat,
 * /proc/PID/limits, the per-CPU counts of /proc/interrupts, number
 * tuples (file-nr, tcp_mem, ip_local_port_range) and sysctl.conf files.
 *
 * Each takes a buffer and its length (NUL bytes inside are malformed),
 * never a path; results are MQ_PARSE_OK, MQ_PARSE_SYNTAX or
 * MQ_PARSE_NOMEM, and on failure the output is left empty.  @bad_line,
 * where offered and not NULL, gets the 1-based failing line.
 */
#ifndef MQTUNE_PROCNET_H
#define MQTUNE_PROCNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/cpuset.h"

/*
 * /proc/net/softnet_stat: one row per online CPU, at least 9 hexadecimal
 * columns, the same number in every row.  Column 13 (Linux 5.10+) is the
 * CPU id; without it (cpu_known false) row i is the i-th online CPU,
 * which the caller maps.  Rows with a CPU id come in increasing order.
 */
struct mq_softnet_row {
	unsigned int cpu;	/* column 13, else the row index */
	uint64_t processed;	/* column 1 */
	uint64_t dropped;	/* column 2: backlog (input_pkt_queue) full */
	uint64_t time_squeeze;	/* column 3: budget or time ran out */
	uint64_t received_rps;	/* column 10 (0 when absent) */
	uint64_t flow_limit;	/* column 11 (0 when absent) */
};

struct mq_softnet {
	unsigned int nr_columns;
	bool cpu_known;			/* column 13 present */
	size_t nr_rows;
	struct mq_softnet_row *rows;	/* owned */
};

int mq_parse_softnet(const char *buf, size_t len, struct mq_softnet *out,
		     size_t *bad_line);
void mq_softnet_free(struct mq_softnet *s);
/* The row of CPU @cpu, or NULL (only when cpu_known). */
const struct mq_softnet_row *mq_softnet_cpu(const struct mq_softnet *s,
					    unsigned int cpu);

/*
 * /proc/softirqs: a header of "CPUn" columns (every possible CPU), then
 * rows "NAME: count...", one count per column.
 */
struct mq_softirqs {
	unsigned int nr_cpus;
	unsigned int *cpus;	/* owned: the header's CPU ids, increasing */
	uint64_t *net_rx;	/* owned: nr_cpus counts, NULL without the row */
	uint64_t *net_tx;	/* owned: likewise */
};

int mq_parse_softirqs(const char *buf, size_t len, struct mq_softirqs *out,
		      size_t *bad_line);
void mq_softirqs_free(struct mq_softirqs *s);

/*
 * Keyed tables.  /proc/net/netstat and /proc/net/snmp come in pairs of
 * lines, "Prefix: name name..." then "Prefix: value value...";
 * /proc/net/sockstat (and sockstat6) in lines "Prefix: name value name
 * value...".  Both fill one table of (prefix, name, value); a value may
 * be negative (Tcp: MaxConn -1).  Tables may be appended to (netstat
 * then snmp into the same one).
 */
struct mq_kv {
	char prefix[24];	/* "TcpExt", "TCP" */
	char name[40];		/* "ListenOverflows", "inuse" */
	int64_t value;
};

struct mq_keyed {
	size_t nr, cap;
	struct mq_kv *v;	/* owned */
};

int mq_parse_netstat(const char *buf, size_t len, struct mq_keyed *out,
		     size_t *bad_line);
int mq_parse_sockstat(const char *buf, size_t len, struct mq_keyed *out,
		      size_t *bad_line);
/* 0 with *@val set, -1 when the table has no such entry. */
int mq_keyed_get(const struct mq_keyed *t, const char *prefix,
		 const char *name, int64_t *val);
void mq_keyed_free(struct mq_keyed *t);

/*
 * /proc/PID/limits: the row @name ("Max open files"); "unlimited" is
 * UINT64_MAX.  MQ_PARSE_SYNTAX also when the row is missing.
 */
int mq_parse_limit(const char *buf, size_t len, const char *name,
		   uint64_t *soft, uint64_t *hard);

/*
 * Exactly @n unsigned decimal numbers separated by blanks (tabs or
 * spaces), one trailing newline: file-nr, tcp_mem, ip_local_port_range.
 */
int mq_parse_u64_tuple(const char *buf, size_t len, uint64_t *out, size_t n);

/*
 * The per-CPU counts of @nr_irqs interrupts (@irqs, any order) in
 * /proc/interrupts: @counts[i * nr_columns + c] is IRQ irqs[i] on header
 * column c, whose CPU id is @cpus[c] (both malloc'd, caller frees).  An
 * IRQ without a row has all-zero counts and @found[i] false.
 */
struct mq_irq_counts {
	unsigned int nr_columns;
	unsigned int *cpus;	/* owned: header CPU ids */
	size_t nr_irqs;
	uint64_t *counts;	/* owned: nr_irqs * nr_columns */
	bool *found;		/* owned: nr_irqs */
};

int mq_parse_irq_counts(const char *buf, size_t len, const unsigned int *irqs,
			size_t nr_irqs, struct mq_irq_counts *out,
			size_t *bad_line);
void mq_irq_counts_free(struct mq_irq_counts *c);

/*
 * sysctl.conf(5) text: the last line setting @key (dots or slashes,
 * "net.ipv4.tcp_tw_recycle"), comments (# ;) and blank lines skipped, a
 * leading '-' allowed.  Returns 1 with *@line (1-based) and the value
 * (trimmed, NUL-terminated, cut to @cap-1) when found, 0 when not.
 * Never fails: a line it cannot read is not a setting.
 */
int mq_sysctl_conf_find(const char *buf, size_t len, const char *key,
			size_t *line, char *value, size_t cap);

#endif /* MQTUNE_PROCNET_H */
