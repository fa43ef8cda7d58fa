/*
 * step_napi.c - a threaded NAPI kernel thread's CPU affinity set, and set
 * back (sched_setaffinity through access/sched.c).
 *
 * Pids are reused: before each call the pid must still be a kernel thread
 * with the name the plan saw ("napi/eth0-8193", the change's object after
 * the interface name).  A thread that is gone at undo time leaves nothing
 * to put back: its restore succeeds, saying so.
 */
#include "mqtune/step.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mqtune/napi_threads.h"
#include "mqtune/sched.h"

/* The thread name the plan saw: the object after "IFNAME ". */
static const char *planned_comm(const struct mq_change *c)
{
	size_t n = strlen(c->step->ifname);

	if (strncmp(c->object, c->step->ifname, n) == 0 && c->object[n] == ' ')
		return c->object + n + 1;
	return c->object;
}

/* 0 when the pid is still that kernel thread; -ESRCH (with @why) if not. */
static int same_thread(const struct mq_root *r, const struct mq_change *c,
		       char *why, size_t cap)
{
	char path[64];
	struct stat st;

	if (mq_napi_thread_is(r, c->step->pid, planned_comm(c)))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)c->step->pid);
	if (mq_root_stat(r, path, &st) == 0)	/* the pid is used again */
		snprintf(why, cap, "pid %d is no longer %s", (int)c->step->pid,
			 planned_comm(c));
	else
		snprintf(why, cap, "thread %d (%s) is gone", (int)c->step->pid,
			 planned_comm(c));
	return -ESRCH;
}

int mq_step_napi_save(const struct mq_root *r, struct mq_change *c,
		      char *why, size_t cap)
{
	struct mq_cpuset now = { 0 };
	char *list;
	int err;

	if (c->saved)
		return 0;
	err = same_thread(r, c, why, cap);
	if (err)
		return err;
	if (mq_cpuset_init(&now, MQ_CPUSET_MAX_BITS))
		return -ENOMEM;
	err = mq_sched_get_affinity(c->step->pid, &now);
	if (err) {
		mq_cpuset_fini(&now);
		snprintf(why, cap, "sched_getaffinity: %s", strerror(-err));
		return err;
	}
	list = mq_cpuset_format_list(&now);
	mq_cpuset_fini(&now);
	if (!list)
		return -ENOMEM;
	c->saved = list;
	c->saved_len = strlen(list);
	return 0;
}

int mq_step_napi_write(const struct mq_root *r, struct mq_change *c,
		       char *why, size_t cap)
{
	int err = same_thread(r, c, why, cap);

	if (err)
		return err;
	err = mq_sched_set_affinity_list(c->step->pid, c->value,
					 MQ_CPUSET_MAX_BITS);
	if (err)
		snprintf(why, cap, "sched_setaffinity %d to CPUs %s",
			 (int)c->step->pid, c->value);
	return err;
}

int mq_step_napi_restore(const struct mq_root *r, const struct mq_change *c,
			 char *why, size_t cap)
{
	int err;

	if (!c->saved)
		return -EINVAL;
	if (same_thread(r, c, why, cap))
		return 0;	/* gone: nothing of ours is left to undo */
	err = mq_sched_set_affinity_list(c->step->pid, c->saved,
					 MQ_CPUSET_MAX_BITS);
	if (err)
		snprintf(why, cap, "sched_setaffinity %d back to CPUs %s",
			 (int)c->step->pid, c->saved);
	return err;
}
