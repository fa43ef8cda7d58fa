/*
 * sched.c - a thread's CPU affinity through sched_{get,set}affinity(2).
 */
#include "mqtune/sched.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#define UL_BITS (sizeof(unsigned long) * CHAR_BIT)
#define MASK_LONGS (MQ_CPUSET_MAX_BITS / UL_BITS)

int mq_sched_set_affinity(pid_t pid, const struct mq_cpuset *set)
{
	unsigned long mask[MASK_LONGS];
	unsigned int cpu, nbits = set->nbits;
	size_t longs;

	if (pid <= 0 || !nbits || nbits > MQ_CPUSET_MAX_BITS)
		return -EINVAL;
	longs = (nbits + UL_BITS - 1) / UL_BITS;
	memset(mask, 0, longs * sizeof(mask[0]));
	for (cpu = 0; cpu < nbits; cpu++)
		if (mq_cpuset_test(set, cpu))
			mask[cpu / UL_BITS] |= 1UL << (cpu % UL_BITS);
	if (sched_setaffinity(pid, longs * sizeof(mask[0]),
			      (cpu_set_t *)(void *)mask) < 0)
		return -errno;
	return 0;
}

int mq_sched_set_affinity_list(pid_t pid, const char *list,
			       unsigned int nr_cpu_ids)
{
	uint64_t words[MQ_CPUSET_MAX_BITS / 64];
	struct mq_cpuset set = { .nbits = nr_cpu_ids, .words = words };

	if (!nr_cpu_ids || nr_cpu_ids > MQ_CPUSET_MAX_BITS)
		return -EINVAL;
	memset(words, 0, sizeof(words));
	if (mq_cpuset_parse_list(&set, list, strlen(list)) != MQ_PARSE_OK ||
	    mq_cpuset_empty(&set))
		return -EINVAL;
	return mq_sched_set_affinity(pid, &set);
}

int mq_sched_get_affinity(pid_t pid, struct mq_cpuset *out)
{
	unsigned long mask[MASK_LONGS];
	unsigned int cpu;

	if (pid <= 0)
		return -EINVAL;
	memset(mask, 0, sizeof(mask));
	if (sched_getaffinity(pid, sizeof(mask), (cpu_set_t *)(void *)mask) < 0)
		return -errno;
	mq_cpuset_zero(out);
	for (cpu = 0; cpu < out->nbits; cpu++)
		if (mask[cpu / UL_BITS] & (1UL << (cpu % UL_BITS)))
			mq_cpuset_set(out, cpu);
	return 0;
}
