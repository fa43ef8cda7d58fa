/*
 * doctor_read.h - read what `doctor` judges (discover/doctor_read.c):
 * the counter and sysctl files through struct mq_root (so --sysroot
 * works), the TCP sockets through sock_diag (live only), the processes'
 * descriptors, and the NICs' counters.
 */
#ifndef MQTUNE_DOCTOR_READ_H
#define MQTUNE_DOCTOR_READ_H

#include "mqtune/diag.h"
#include "mqtune/doctor.h"
#include "mqtune/model.h"
#include "mqtune/root.h"

/*
 * The counters that --interval samples twice: softnet_stat, softirqs,
 * netstat and snmp, and for each interface of @m its statistics and its
 * queue IRQs' counts from /proc/interrupts (@m may be NULL: no NICs).
 * A missing file is a note; a malformed one fails (status 5).
 */
int mq_doctor_read_counters(const struct mq_root *r, const struct mq_machine *m,
			    struct mq_doc_facts *f, struct mq_diag *d);

/*
 * Everything else, once: sysctls, sockstat, file-nr, configuration files
 * setting tcp_tw_recycle (/etc/sysctl.conf, /etc/sysctl.d, /run/sysctl.d,
 * /usr/lib/sysctl.d), the topology of @m, ring sizes (live), the sockets
 * (live: by state, TIME_WAIT groups, listeners, CLOSE_WAIT inodes; a dump
 * the kernel refuses is a note, not a failure), then
 * /proc/PID/fd of every process: CLOSE_WAIT owners and descriptor counts
 * against /proc/PID/limits.  Other users' fd directories need root; the
 * ones that cannot be read are counted (procs_denied).
 */
int mq_doctor_read_state(const struct mq_root *r, const struct mq_machine *m,
			 struct mq_doc_facts *f, struct mq_diag *d);

#endif /* MQTUNE_DOCTOR_READ_H */
