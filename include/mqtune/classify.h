/*
 * classify.h - which of a device's interrupt vectors serve which queue.
 *
 * Pure: no I/O.  Input is the device's own vectors (from its msi_irqs, so
 * other devices cannot match) with their action names; output is, for
 * each vector, whether it serves rx queue N, tx queue N, combined queue N
 * (one vector for rx N and tx N) or no queue at all (misc, async, config,
 * mailbox, flow director...).  Rules are per driver, with a generic
 * fallback for drivers not in the table.
 */
#ifndef MQTUNE_CLASSIFY_H
#define MQTUNE_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

enum mq_vec_kind {
	MQ_VEC_OTHER = 0,	/* not a queue vector */
	MQ_VEC_COMBINED,	/* rx queue N and tx queue N */
	MQ_VEC_RX,
	MQ_VEC_TX,
};

struct mq_vector {
	/* in */
	unsigned int irq;
	const char *name;	/* borrowed action name; NULL or "" = no handler */
	/* out */
	enum mq_vec_kind kind;
	int queue;		/* queue index, -1 for MQ_VEC_OTHER */
	const char *role;	/* static: "queue", "misc", "async", "config",
				   "mgmt", "mailbox", "fdir", "ptp", "unused",
				   "unnamed", "unknown" ... */
};

/**
 * mq_classify_vectors() - classify every vector of one device.
 * @driver: basename of the device's driver link ("ice", "mlx5_core",
 *          "virtio_net", ...); unknown drivers use the generic rules
 * @ifname: the interface name (some drivers name vectors after it)
 * @v: the device's vectors, in msi_irqs order; kind/queue/role are set
 * @n: number of vectors
 *
 * Queue numbers are queue indexes, not the numbers in the names: drivers
 * whose names count otherwise (mlx5 1-based on 6.3-6.8, mlx4 EQ numbers,
 * gve tx/rx halves, bnxt split mode, idpf vector indexes, vmxnet3 vector
 * indexes) are renumbered.  Two vectors never claim the same (kind, queue).
 */
void mq_classify_vectors(const char *driver, const char *ifname,
			 struct mq_vector *v, size_t n);

/**
 * mq_classify_intx() - classify a device's legacy INTx line.
 * @ifname: the interface name
 * @v: the line; v->name holds its handler names, separated by ',' (as
 *     /sys/kernel/irq/N/actions lists them) or ", " (/proc/interrupts);
 *     NULL or "" when it has none.  kind/queue/role are set.
 * @own: out: one of the handlers is @ifname's (the driver requested it)
 *
 * The line is the one queue's vector (combined 0, role "queue") when its
 * only handler is the interface's own; with other handlers on it, it is
 * shared: role "shared", not a queue, so that nobody moves it.  No handler
 * at all: role "unnamed".
 * Return: true when the line carries a handler that is not @ifname's.
 */
bool mq_classify_intx(const char *ifname, struct mq_vector *v, bool *own);

/* "other", "combined", "rx", "tx" */
const char *mq_vec_kind_name(enum mq_vec_kind kind);

#endif /* MQTUNE_CLASSIFY_H */
