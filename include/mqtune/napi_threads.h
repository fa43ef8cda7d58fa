/*
 * napi_threads.h - discovery of an interface's threaded NAPI kernel
 * threads (src/discover/napi_threads.c).
 *
 * Whether threaded NAPI is on (/sys/class/net/IF/threaded; per NAPI from
 * the netdev family on 6.17+), each kernel thread "napi/<dev>-<id>" (pid
 * from napi-get where the kernel reports it, 6.8+, else the thread names
 * under /proc), its CPU affinity (/proc/PID/status Cpus_allowed_list) and
 * the rx or tx queue it serves: from queue-get's NAPI ids where the kernel
 * reports them, else inferred from the NAPI id order (rx) and the thread
 * creation order (tx NAPIs without an id).  Everything is read through
 * struct mq_root, so a --sysroot snapshot shows its threads too.
 */
#ifndef MQTUNE_NAPI_THREADS_H
#define MQTUNE_NAPI_THREADS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/napi_nl.h"
#include "mqtune/root.h"

/* PF_KTHREAD in /proc/PID/stat's flags field (include/linux/sched.h). */
#define MQ_PF_KTHREAD 0x00200000u
/* kthreadd, the parent of every kernel thread. */
#define MQ_KTHREADD_PID 2

/**
 * mq_napi_read() - fill dev->napi_threaded, napi_source, napi_live and
 * the dev->napi list (needs dev->name, ifindex, nr_rxq, nr_txq).
 * Return: 0; -1 with @d set (MQ_EXIT_SYSTEM: a malformed threaded or
 * status file; MQ_EXIT_FAILURE: out of memory).  A thread that exits
 * while it is being read is skipped.
 */
int mq_napi_read(const struct mq_root *r, const struct mq_topo *t,
		 struct mq_netdev *dev, struct mq_diag *d);

/*
 * mq_napi_thread_is() - whether @pid is still a kernel thread (its parent
 * kthreadd) named @comm, as /proc/PID/stat says now: pids are used again,
 * so a thread is known by both.
 */
bool mq_napi_thread_is(const struct mq_root *r, pid_t pid, const char *comm);

/*
 * Pure helpers, exposed for the unit tests.
 *
 * mq_napi_parse_stat(): from the text of /proc/PID/stat, the thread name
 * (between the first '(' and the last ')'), the parent pid and the flags.
 * 0, or -1 when it is not in the kernel's format.
 */
int mq_napi_parse_stat(const char *buf, char *comm, size_t cap, pid_t *ppid,
		       unsigned long *flags);

/*
 * mq_napi_name_match(): whether thread name @comm is one of @ifname's
 * NAPI threads ("napi/IFNAME-ID"); *@id gets ID.  Kernels before 5.17
 * cut kernel thread names to 15 bytes: such a name matches when all of
 * "napi/IFNAME-" fits and only the digits are cut (*@id is 0 then).
 */
bool mq_napi_name_match(const char *comm, const char *ifname,
			unsigned int *id);

/*
 * mq_napi_attribute(): set rxq, txq and inferred of each thread of @dev
 * (dev->napi, nr_rxq, nr_txq) from the kernel's queue -> NAPI id list
 * (@queues, @nq; NULL, 0 when there is none), or by inference; then sort
 * dev->napi by rx queue, tx queue, pid.
 */
void mq_napi_attribute(struct mq_netdev *dev,
		       const struct mq_queue_napi *queues, size_t nq);

/* Cpus_allowed_list's value out of a /proc/PID/status text, into @out
 * (malloc'd, no newline).  0, -ENOENT when it has none, -ENOMEM. */
int mq_napi_status_cpus(const char *status, char **out);

#endif /* MQTUNE_NAPI_THREADS_H */
