/*
 * topo.h - CPU and NUMA topology reader.
 */
#ifndef MQTUNE_TOPO_H
#define MQTUNE_TOPO_H

#include <stdbool.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/root.h"

/**
 * mq_topo_read() - read possible/online/isolated/nohz_full CPUs, each
 * online CPU's package, core and SMT sibling group, and the NUMA nodes
 * with their CPUs and distances.  A kernel without NUMA (no
 * /sys/devices/system/node) is one node 0 holding every online CPU.
 * With @ids false, core and package ids are not read (left -1): the
 * sibling groups are all placement needs.
 * Return: 0, or -1 with @d naming the file that could not be read.
 */
int mq_topo_read(const struct mq_root *r, struct mq_topo *t, bool ids,
		 struct mq_diag *d);

/* Index of node @id in t->nodes, or -1. */
int mq_topo_node_index(const struct mq_topo *t, int id);

#endif /* MQTUNE_TOPO_H */
