/*
 * irq.h - a device's interrupt vectors: numbers, names, affinity.
 */
#ifndef MQTUNE_IRQ_H
#define MQTUNE_IRQ_H

#include <stdbool.h>

#include "mqtune/diag.h"
#include "mqtune/ethtool.h"
#include "mqtune/model.h"
#include "mqtune/parse.h"
#include "mqtune/root.h"

/*
 * Per-run cache of /proc/interrupts: parsed only when an IRQ's name is
 * found neither in /sys/kernel/irq/N/actions nor in /proc/irq/N/ (on a
 * 1024-CPU machine the file is about 11 MB).
 */
struct mq_irq_names {
	bool loaded;
	struct mq_interrupts table;
	bool managed_effective_only;	/* read effective affinity only of
					   IRQs user space cannot move */
};

void mq_irq_names_fini(struct mq_irq_names *names);

/**
 * mq_irq_read() - read the vectors of @dev's function (its msi_irqs), each
 * one's action name, smp_affinity_list, effective_affinity_list and
 * whether user space may set it; classify them and attach queue vectors
 * to dev->rxq / dev->txq.  A function without msi_irqs entries has its
 * legacy INTx line (its `irq` file; irq_source MQ_IRQSRC_INTX, one vector,
 * mq_irq.shared when other devices' handlers are on it) or, with no line
 * either, no vectors (MQ_IRQSRC_NONE); neither is an error.  The netdev
 * map is not applied to an INTx line.
 * @map: the netdev family's queue -> IRQ map, or NULL to use name rules
 * Return: 0, or -1 with @d naming the file.
 */
int mq_irq_read(const struct mq_root *r, const struct mq_topo *t,
		struct mq_irq_names *names, const struct mq_queue_irq *map,
		size_t map_len, struct mq_netdev *dev, struct mq_diag *d);

/*
 * Read back one IRQ's affinity and effective affinity into @irq.  An
 * unreadable or malformed effective affinity is unknown (has_effective
 * false), not a failure.
 */
int mq_irq_read_affinity(const struct mq_root *r, struct mq_irq *irq,
			 struct mq_diag *d);

#endif /* MQTUNE_IRQ_H */
