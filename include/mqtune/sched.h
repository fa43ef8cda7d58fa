/*
 * sched.h - a thread's CPU affinity, live (sched_getaffinity(2),
 * sched_setaffinity(2)).  The only module that makes these calls.
 *
 * Neither allocates: the kernel's mask is built on the stack (up to
 * MQ_CPUSET_MAX_BITS CPUs), so an undo can run when memory is short.
 */
#ifndef MQTUNE_SCHED_H
#define MQTUNE_SCHED_H

#include <sys/types.h>

#include "mqtune/cpuset.h"

/* Set @pid's affinity to @set.  0 or -errno (-ESRCH: no such thread). */
int mq_sched_set_affinity(pid_t pid, const struct mq_cpuset *set);

/*
 * Set @pid's affinity from a CPU list text ("0-3,8"; a trailing newline
 * is fine) of CPUs below @nr_cpu_ids.  0 or -errno (-EINVAL: not a list).
 */
int mq_sched_set_affinity_list(pid_t pid, const char *list,
			       unsigned int nr_cpu_ids);

/* @pid's affinity into @out (initialised; cleared first).  0 or -errno. */
int mq_sched_get_affinity(pid_t pid, struct mq_cpuset *out);

#endif /* MQTUNE_SCHED_H */
