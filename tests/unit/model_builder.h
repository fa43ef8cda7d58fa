/*
 * model_builder.h - build a struct mq_machine in memory for unit tests.
 *
 * The machine is allocated exactly as discovery would (every CPU set has
 * capacity topo.nr_cpu_ids, strings are malloc'd, arrays are owned) so
 * that mq_machine_free() releases it.  The builder aborts on ENOMEM or on
 * a malformed argument: a test cannot go on without its machine.
 *
 * CPU numbering is the x86 one: with C physical cores and T threads per
 * core, CPU i is thread i / C of core i % C, so CPUs i, i + C, i + 2C ...
 * are SMT siblings and first_sibling = i % C.  Cores are spread over the
 * NUMA nodes in contiguous blocks (core c on node c * nodes / C), so with
 * 2 nodes, 16 cores and SMT 2, node 0 is CPUs 0-7,16-23 and node 1 is
 * 8-15,24-31.
 */
#ifndef MQTUNE_TESTS_MODEL_BUILDER_H
#define MQTUNE_TESTS_MODEL_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "mqtune/cpuset.h"
#include "mqtune/model.h"

/* Distances of a fresh machine: local and remote. */
#define MB_DIST_LOCAL	10
#define MB_DIST_REMOTE	20

/* Sysctl values of a fresh machine (a stock kernel's defaults). */
#define MB_DEFAULT_BACKLOG	1000
#define MB_DEFAULT_FLOW_ENTRIES	0

/**
 * mb_machine() - a machine of @ncpus CPUs, all possible and online.
 * @ncpus: number of CPUs (= nr_cpu_ids), a multiple of @smt
 * @nnodes: NUMA nodes (ids 0 .. nnodes-1); 0 = no node at all (every CPU's
 *          node is -1)
 * @smt: threads per physical core (1 = no SMT)
 *
 * Distances are MB_DIST_LOCAL / MB_DIST_REMOTE; nothing is isolated;
 * sysctls are MB_DEFAULT_*; there is no interface yet.
 */
struct mq_machine *mb_machine(unsigned int ncpus, unsigned int nnodes,
			      unsigned int smt);

/* Set the distance between node indexes @a and @b, both ways. */
void mb_distance(struct mq_machine *m, unsigned int a, unsigned int b,
		 int dist);

/* Add an empty node (no CPU, e.g. memory only) with distance @dist to all. */
void mb_add_empty_node(struct mq_machine *m, int id, int dist);

/* Parse a kernel CPU list ("0-3,8") into @s, which is initialised here
 * with capacity @nbits (free with mq_cpuset_fini).  Aborts on error. */
void mb_cpuset(struct mq_cpuset *s, unsigned int nbits, const char *list);

/* Add the CPUs of @list to topo.isolated / topo.nohz_full. */
void mb_isolate(struct mq_machine *m, const char *list);
void mb_nohz_full(struct mq_machine *m, const char *list);
/* Take the CPUs of @list offline (they stay possible and in their node). */
void mb_offline(struct mq_machine *m, const char *list);
/* Forget the SMT layout: every CPU's first_sibling becomes -1. */
void mb_unknown_siblings(struct mq_machine *m);

enum mb_vectors {
	MB_VEC_NONE,		/* no interrupt vectors at all (veth) */
	MB_VEC_COMBINED,	/* one TxRx vector per queue index */
	MB_VEC_SPLIT,		/* separate rx vectors, then tx vectors */
};

/**
 * mb_netdev() - append an interface to @m.
 * @name: interface name (< IFNAMSIZ)
 * @nr_rxq: rx queues; @nr_txq: tx queues
 * @vec: vector layout
 * @nr_misc: misc (non-queue) vectors put first in msi_irqs order; ignored
 *           with MB_VEC_NONE
 * @numa_node: the device's node, -1 unknown
 * @speed_mbps: link speed, -1 unknown
 *
 * Every vector is user-settable, affine to all online CPUs, effective on
 * one of them.  COMBINED gives max(nr_rxq, nr_txq) vectors: queue q's is
 * rxq[q].irq (q < nr_rxq) and txq[q].irq (q < nr_txq).
 *
 * Return: the new interface; valid until the next mb_netdev() on @m
 * (the array is reallocated).
 */
struct mq_netdev *mb_netdev(struct mq_machine *m, const char *name,
			    size_t nr_rxq, size_t nr_txq, enum mb_vectors vec,
			    unsigned int nr_misc, int numa_node,
			    int64_t speed_mbps);

/* Make dev->irqs[@idx] kernel-managed (not user-settable), on @cpu only. */
void mb_managed(struct mq_netdev *dev, size_t idx, unsigned int cpu);

#endif /* MQTUNE_TESTS_MODEL_BUILDER_H */
