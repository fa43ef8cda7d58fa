/*
 * state.h - the current RPS/RFS/XPS settings, sysctls and irqbalance.
 */
#ifndef MQTUNE_STATE_H
#define MQTUNE_STATE_H

#include <sys/types.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/root.h"

#define MQ_SYSCTL_BACKLOG "/proc/sys/net/core/netdev_max_backlog"
#define MQ_SYSCTL_FLOW_ENTRIES "/proc/sys/net/core/rps_sock_flow_entries"

/* rx-N/rps_cpus, rx-N/rps_flow_cnt and tx-N/xps_cpus of every queue. */
int mq_state_read_queues(const struct mq_root *r, const struct mq_topo *t,
			 struct mq_netdev *dev, struct mq_diag *d);

/* The two net.core sysctls; -1 where the file does not exist here. */
int mq_state_read_sysctls(const struct mq_root *r, struct mq_sysctls *s,
			  struct mq_diag *d);

/* pid of a running irqbalance (from /proc/PID/comm), or 0. */
pid_t mq_state_find_irqbalance(const struct mq_root *r);

#endif /* MQTUNE_STATE_H */
