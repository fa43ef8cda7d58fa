/*
 * check_napi.c - threaded NAPI threads: the pure parts of discovery
 * (src/discover/napi_threads.c: /proc/PID/stat, thread names, status,
 * queue attribution), the placement (src/core/napi.c) and the plan's
 * MQ_T_NAPI_AFFINITY changes (src/core/plan.c).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/napi_threads.h"
#include "mqtune/place.h"
#include "mqtune/place_napi.h"
#include "mqtune/plan.h"
#include "mqtune/root.h"
#include "mqtune/sched.h"
#include "mqtune/step.h"
#include "model_builder.h"

Suite *napi_suite(void);

/* Append a thread to @dev: affinity @aff (a list), queues as given. */
static struct mq_napi_thread *add_thread(struct mq_machine *m,
					 struct mq_netdev *dev,
					 unsigned int id, pid_t pid,
					 int rxq, int txq, const char *aff)
{
	struct mq_napi_thread *th;

	dev->napi = realloc(dev->napi, (dev->nr_napi + 1) * sizeof(*dev->napi));
	ck_assert_ptr_nonnull(dev->napi);
	th = &dev->napi[dev->nr_napi++];
	memset(th, 0, sizeof(*th));
	th->napi_id = id;
	th->pid = pid;
	th->irq = -1;
	th->rxq = rxq;
	th->txq = txq;
	th->threaded = true;
	snprintf(th->comm, sizeof(th->comm), "napi/%s-%u", dev->name, id);
	mb_cpuset(&th->affinity, m->topo.nr_cpu_ids, aff);
	th->affinity_raw = strdup(aff);
	ck_assert_ptr_nonnull(th->affinity_raw);
	return th;
}

static void policy_auto(struct mq_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->rps = MQ_STEER_AUTO;
	p->xps = MQ_STEER_AUTO;
	p->backlog = MQ_BACKLOG_KEEP;
	p->channels = MQ_CHANNELS_KEEP;
	p->rss = MQ_RSS_KEEP;
}

static void place(const struct mq_machine *m, struct mq_placement *pl)
{
	struct mq_policy p;
	struct mq_diag d;

	policy_auto(&p);
	mq_diag_clear(&d);
	ck_assert_msg(mq_place(m, &p, pl, &d) == 0, "mq_place: %s", d.msg);
}

/* ---- /proc/PID/stat, names, status ---- */

START_TEST(test_parse_stat)
{
	/* as 6.18 printed it for napi/v0-259 (fs/proc/array.c do_task_stat) */
	const char *real = "9524 (napi/v0-259) S 2 0 0 0 -1 2129984 0 0 0 0 0 "
			   "0 0 0 20 0 1 0 2109525 0 0 18446744073709551615 0\n";
	/* a user process may put ") " and digits in its name */
	const char *tricky = "77 (evil) 2 0 ) R 1 77 77 0 -1 4194560 0 0\n";
	char comm[64];
	unsigned long flags = 0;
	pid_t ppid = 0;

	ck_assert_int_eq(mq_napi_parse_stat(real, comm, sizeof(comm), &ppid,
					    &flags), 0);
	ck_assert_str_eq(comm, "napi/v0-259");
	ck_assert_int_eq(ppid, 2);
	ck_assert_uint_eq(flags, 2129984);
	ck_assert(flags & MQ_PF_KTHREAD);

	ck_assert_int_eq(mq_napi_parse_stat(tricky, comm, sizeof(comm), &ppid,
					    &flags), 0);
	ck_assert_str_eq(comm, "evil) 2 0 ");
	ck_assert_int_eq(ppid, 1);
	ck_assert(!(flags & MQ_PF_KTHREAD));

	/* not the format */
	ck_assert_int_eq(mq_napi_parse_stat("", comm, sizeof(comm), &ppid,
					    &flags), -1);
	ck_assert_int_eq(mq_napi_parse_stat("1 (x) S 2 0 0\n", comm,
					    sizeof(comm), &ppid, &flags), -1);
	ck_assert_int_eq(mq_napi_parse_stat("1 (x) S two 0 0 0 -1 5\n", comm,
					    sizeof(comm), &ppid, &flags), -1);
	ck_assert_int_eq(mq_napi_parse_stat("1 (x)S 2 0 0 0 -1 5\n", comm,
					    sizeof(comm), &ppid, &flags), -1);
}
END_TEST

START_TEST(test_name_match)
{
	unsigned int id = 99;

	ck_assert(mq_napi_name_match("napi/eth0-8193", "eth0", &id));
	ck_assert_uint_eq(id, 8193);
	ck_assert(mq_napi_name_match("napi/eth0-0", "eth0", &id));
	ck_assert_uint_eq(id, 0);
	/* another device's, one that only starts like it */
	ck_assert(!mq_napi_name_match("napi/eth10-8193", "eth1", &id));
	ck_assert(!mq_napi_name_match("napi/eth1-8193", "eth10", &id));
	/* not a NAPI thread name */
	ck_assert(!mq_napi_name_match("napi/eth0-81x3", "eth0", &id));
	ck_assert(!mq_napi_name_match("napi/eth0-", "eth0", &id));
	ck_assert(!mq_napi_name_match("napi/eth0", "eth0", &id));
	ck_assert(!mq_napi_name_match("kworker/eth0-1", "eth0", &id));
	ck_assert(!mq_napi_name_match("napi/eth0-99999999999", "eth0", &id));
	/* before 5.17: cut at 15 bytes, only the digits lost */
	ck_assert(mq_napi_name_match("napi/enp0s31f6-", "enp0s31f6", &id));
	ck_assert_uint_eq(id, 0);
	ck_assert(mq_napi_name_match("napi/enp0s3f6-8", "enp0s3f6", &id));
	ck_assert_uint_eq(id, 8);
	/* cut inside the name: could be another device's */
	ck_assert(!mq_napi_name_match("napi/enp129s0f1", "enp129s0f1np1", &id));
}
END_TEST

START_TEST(test_status_cpus)
{
	/* the lines of fs/proc/array.c task_cpus_allowed() */
	const char *status = "Name:\tnapi/v0-259\nState:\tS (sleeping)\n"
			     "PPid:\t2\nCpus_allowed:\t3\n"
			     "Cpus_allowed_list:\t0-1\nMems_allowed:\t1\n";
	char *list = NULL;

	ck_assert_int_eq(mq_napi_status_cpus(status, &list), 0);
	ck_assert_str_eq(list, "0-1");
	free(list);
	ck_assert_int_eq(mq_napi_status_cpus("Name:\tx\nCpus_allowed:\t3\n",
					     &list), -ENOENT);
	ck_assert_ptr_null(list);
	ck_assert_int_eq(mq_napi_status_cpus("Cpus_allowed_list:\t7", &list), 0);
	ck_assert_str_eq(list, "7");
	free(list);
}
END_TEST

/* ---- queue attribution ---- */

START_TEST(test_attribute_reported)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 0,
					  0, 10000);
	/* one NAPI per queue pair (rx and tx queue name the same id), one
	 * NAPI no queue names, tx queue 1 without a NAPI */
	const struct mq_queue_napi q[] = {
		{ .queue = 1, .is_tx = 0, .napi_id = 8194 },
		{ .queue = 0, .is_tx = 0, .napi_id = 8193 },
		{ .queue = 0, .is_tx = 1, .napi_id = 8193 },
		{ .queue = 1, .is_tx = 1, .napi_id = 0 },
	};

	add_thread(m, dev, 8195, 300, -1, -1, "0-3");
	add_thread(m, dev, 8194, 301, -1, -1, "0-3");
	add_thread(m, dev, 8193, 302, -1, -1, "0-3");
	mq_napi_attribute(dev, q, 4);
	ck_assert_uint_eq(dev->nr_napi, 3);
	/* sorted by rx queue; the unattributed one last */
	ck_assert_uint_eq(dev->napi[0].napi_id, 8193);
	ck_assert_int_eq(dev->napi[0].rxq, 0);
	ck_assert_int_eq(dev->napi[0].txq, 0);
	ck_assert(!dev->napi[0].inferred);
	ck_assert_uint_eq(dev->napi[1].napi_id, 8194);
	ck_assert_int_eq(dev->napi[1].rxq, 1);
	ck_assert_int_eq(dev->napi[1].txq, -1);
	ck_assert_uint_eq(dev->napi[2].napi_id, 8195);
	ck_assert_int_eq(dev->napi[2].rxq, -1);
	ck_assert_int_eq(dev->napi[2].txq, -1);
	ck_assert(!dev->napi[2].inferred);
	mq_machine_free(m);
}
END_TEST

/*
 * virtio_net adds per queue pair an rx NAPI (with an id) then a tx NAPI
 * (netif_napi_add_tx: no id, "napi/eth0-0").  Switched on at run time,
 * the threads are made walking the NAPI list newest first, so pids fall
 * in the order the NAPIs were added: tx1 < rx1 < tx0 < rx0.
 */
START_TEST(test_attribute_virtio_switched_on)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", 2, 2, MB_VEC_SPLIT, 1,
					  0, 10000);

	add_thread(m, dev, 0, 500, -1, -1, "0-3");	/* tx1 */
	add_thread(m, dev, 8194, 501, -1, -1, "0-3");	/* rx1 */
	add_thread(m, dev, 0, 502, -1, -1, "0-3");	/* tx0 */
	add_thread(m, dev, 8193, 503, -1, -1, "0-3");	/* rx0 */
	mq_napi_attribute(dev, NULL, 0);
	ck_assert_uint_eq(dev->nr_napi, 4);
	ck_assert_int_eq(dev->napi[0].pid, 503);
	ck_assert_int_eq(dev->napi[0].rxq, 0);
	ck_assert(dev->napi[0].inferred);
	ck_assert_int_eq(dev->napi[1].pid, 501);
	ck_assert_int_eq(dev->napi[1].rxq, 1);
	ck_assert_int_eq(dev->napi[2].pid, 502);	/* tx0 */
	ck_assert_int_eq(dev->napi[2].rxq, -1);
	ck_assert_int_eq(dev->napi[2].txq, 0);
	ck_assert(dev->napi[2].inferred);
	ck_assert_int_eq(dev->napi[3].pid, 500);	/* tx1 */
	ck_assert_int_eq(dev->napi[3].txq, 1);
	mq_machine_free(m);
}
END_TEST

/* Threaded on before the queues were made: each thread made as its NAPI
 * is added, pids rising: rx0 < tx0 < rx1 < tx1. */
START_TEST(test_attribute_virtio_made_threaded)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", 2, 2, MB_VEC_SPLIT, 1,
					  0, 10000);

	add_thread(m, dev, 8193, 600, -1, -1, "0-3");
	add_thread(m, dev, 0, 601, -1, -1, "0-3");
	add_thread(m, dev, 8194, 602, -1, -1, "0-3");
	add_thread(m, dev, 0, 603, -1, -1, "0-3");
	mq_napi_attribute(dev, NULL, 0);
	ck_assert_int_eq(dev->napi[2].pid, 601);
	ck_assert_int_eq(dev->napi[2].txq, 0);
	ck_assert_int_eq(dev->napi[3].pid, 603);
	ck_assert_int_eq(dev->napi[3].txq, 1);
	mq_machine_free(m);
}
END_TEST

/* More threads than queues: the extra ones serve no known queue. */
START_TEST(test_attribute_more_than_queues)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "veth0", 1, 1, MB_VEC_NONE, 0,
					  -1, 10000);

	add_thread(m, dev, 20, 700, -1, -1, "0-3");
	add_thread(m, dev, 21, 701, -1, -1, "0-3");
	add_thread(m, dev, 0, 702, -1, -1, "0-3");
	add_thread(m, dev, 0, 703, -1, -1, "0-3");
	mq_napi_attribute(dev, NULL, 0);
	ck_assert_int_eq(dev->napi[0].napi_id, 20);
	ck_assert_int_eq(dev->napi[0].rxq, 0);
	ck_assert_int_eq(dev->napi[1].txq, 0);	/* one tx queue */
	ck_assert_int_eq(dev->napi[2].rxq, -1);
	ck_assert_int_eq(dev->napi[2].txq, -1);
	ck_assert_int_eq(dev->napi[3].rxq, -1);
	ck_assert_int_eq(dev->napi[3].txq, -1);
	mq_machine_free(m);
}
END_TEST

/* ---- placement ---- */

START_TEST(test_place_follows_home)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", 2, 4, MB_VEC_SPLIT, 0, 0,
					  10000);
	struct mq_placement pl;
	const struct mq_dev_placement *dp;

	dev->napi_live = true;
	dev->napi_threaded = 1;
	add_thread(m, dev, 8193, 400, 0, -1, "0-3");
	add_thread(m, dev, 8194, 401, 1, -1, "0-3");
	add_thread(m, dev, 0, 402, -1, 3, "0-3");	/* tx-3: rx 3 mod 2 */
	add_thread(m, dev, 0, 403, -1, -1, "0-3");	/* no queue known */
	add_thread(m, dev, 8195, 404, 0, -1, "0-3")->threaded = false;
	place(m, &pl);
	dp = &pl.devs[0];
	ck_assert_uint_eq(dp->nr_napi, 5);
	ck_assert_ptr_nonnull(dp->napi_cpu);
	ck_assert_int_ge(dp->home[0], 0);
	ck_assert_int_ge(dp->home[1], 0);
	ck_assert_int_ne(dp->home[0], dp->home[1]);
	ck_assert_int_eq(dp->napi_cpu[0], dp->home[0]);
	ck_assert_int_eq(dp->napi_cpu[1], dp->home[1]);
	ck_assert_int_eq(dp->napi_cpu[2], dp->home[1]);
	ck_assert_int_eq(dp->napi_cpu[3], -1);
	ck_assert_int_eq(dp->napi_cpu[4], -1);	/* not threaded */
	ck_assert_int_eq(mq_napi_home(dev, dp, &dev->napi[2]), dp->home[1]);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_place_sysroot_none)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 0,
					  0, 10000);
	struct mq_placement pl;
	struct mq_plan plan;
	struct mq_diag d;

	dev->napi_live = false;		/* a --sysroot snapshot */
	dev->napi_threaded = 1;
	add_thread(m, dev, 8193, 400, 0, -1, "0-3");
	add_thread(m, dev, 8194, 401, 1, -1, "0-3");
	place(m, &pl);
	ck_assert_uint_eq(pl.devs[0].nr_napi, 2);
	ck_assert_int_eq(pl.devs[0].napi_cpu[0], -1);
	ck_assert_int_eq(pl.devs[0].napi_cpu[1], -1);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_plan_build(m, &pl, &plan, &d), 0);
	for (size_t i = 0; i < plan.nr; i++)
		ck_assert_int_ne(plan.changes[i].target, MQ_T_NAPI_AFFINITY);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

START_TEST(test_place_no_threads)
{
	struct mq_machine *m = mb_machine(2, 1, 1);
	struct mq_placement pl;

	mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 0, 0, 10000);
	place(m, &pl);
	ck_assert_uint_eq(pl.devs[0].nr_napi, 0);
	ck_assert_ptr_null(pl.devs[0].napi_cpu);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST

/* ---- plan ---- */

START_TEST(test_plan_changes)
{
	struct mq_machine *m = mb_machine(4, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", 2, 2, MB_VEC_COMBINED, 0,
					  0, 10000);
	const struct mq_change *c = NULL, *last_xps = NULL;
	struct mq_placement pl;
	struct mq_plan plan;
	struct mq_diag d;
	char home1[16];
	size_t i, napi = 0, xps_at = 0, napi_at = 0;

	dev->ifindex = 7;
	dev->napi_live = true;
	dev->napi_threaded = 1;
	add_thread(m, dev, 8193, 400, 0, -1, "0-3");
	add_thread(m, dev, 8194, 401, 1, -1, "0-3");
	place(m, &pl);
	/* thread 0 already on its home: no change for it */
	mq_cpuset_zero(&dev->napi[0].affinity);
	mq_cpuset_set(&dev->napi[0].affinity, (unsigned)pl.devs[0].home[0]);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_plan_build(m, &pl, &plan, &d), 0);
	for (i = 0; i < plan.nr; i++) {
		if (plan.changes[i].target == MQ_T_XPS_CPUS) {
			last_xps = &plan.changes[i];
			xps_at = i;
		}
		if (plan.changes[i].target == MQ_T_NAPI_AFFINITY) {
			c = &plan.changes[i];
			napi_at = i;
			napi++;
		}
	}
	ck_assert_uint_eq(napi, 1);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(last_xps);
	ck_assert_uint_gt(napi_at, xps_at);	/* after the XPS masks */
	snprintf(home1, sizeof(home1), "%d", pl.devs[0].home[1]);
	ck_assert_str_eq(c->object, "eth0 napi/eth0-8194");
	ck_assert_str_eq(c->path, "");
	ck_assert_str_eq(c->value, home1);
	ck_assert_str_eq(c->old_display, "0-3");
	ck_assert_str_eq(c->new_display, home1);
	ck_assert_str_eq(c->saved, "0-3");
	ck_assert_uint_eq(c->saved_len, 3);
	ck_assert_int_eq(c->dev, 0);
	ck_assert_uint_eq(c->index, 1);
	ck_assert_ptr_nonnull(c->step);
	ck_assert_int_eq(c->step->pid, 401);
	ck_assert_int_eq(c->step->ifindex, 7);
	ck_assert_str_eq(c->step->ifname, "eth0");
	mq_plan_fini(&plan);

	/* everything on its home: nothing to do */
	mq_cpuset_zero(&dev->napi[1].affinity);
	mq_cpuset_set(&dev->napi[1].affinity, (unsigned)pl.devs[0].home[1]);
	ck_assert_int_eq(mq_plan_build(m, &pl, &plan, &d), 0);
	for (i = 0; i < plan.nr; i++)
		ck_assert_int_ne(plan.changes[i].target, MQ_T_NAPI_AFFINITY);
	mq_plan_fini(&plan);
	mq_placement_fini(&pl);
	mq_machine_free(m);
}
END_TEST


/* ---- access/sched.c, on this test process itself ---- */

START_TEST(test_sched_self)
{
	struct mq_cpuset now = { 0 }, back = { 0 };
	char *list;

	ck_assert_int_eq(mq_cpuset_init(&now, MQ_CPUSET_MAX_BITS), 0);
	ck_assert_int_eq(mq_cpuset_init(&back, MQ_CPUSET_MAX_BITS), 0);
	ck_assert_int_eq(mq_sched_get_affinity(getpid(), &now), 0);
	ck_assert(!mq_cpuset_empty(&now));
	/* set to what it is: harmless, and read back the same */
	list = mq_cpuset_format_list(&now);
	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(mq_sched_set_affinity_list(getpid(), list,
						    MQ_CPUSET_MAX_BITS), 0);
	ck_assert_int_eq(mq_sched_get_affinity(getpid(), &back), 0);
	ck_assert(mq_cpuset_equal(&now, &back));
	ck_assert_int_eq(mq_sched_set_affinity(getpid(), &now), 0);
	/* bad input */
	ck_assert_int_eq(mq_sched_set_affinity_list(getpid(), "", 8), -EINVAL);
	ck_assert_int_eq(mq_sched_set_affinity_list(getpid(), "1-x", 8),
			 -EINVAL);
	ck_assert_int_eq(mq_sched_set_affinity_list(getpid(), "9", 8), -EINVAL);
	ck_assert_int_eq(mq_sched_set_affinity_list(getpid(), "0", 0), -EINVAL);
	ck_assert_int_eq(mq_sched_set_affinity_list(0, list, 8), -EINVAL);
	ck_assert_int_eq(mq_sched_get_affinity(-1, &back), -EINVAL);
	/* no such thread (above any pid_max) */
	ck_assert_int_eq(mq_sched_set_affinity_list(0x3ffffff0, list,
						    MQ_CPUSET_MAX_BITS), -ESRCH);
	free(list);
	mq_cpuset_fini(&now);
	mq_cpuset_fini(&back);
}
END_TEST

/* ---- effect/step_napi.c: the pid must still be that thread ---- */

static void put(const char *dir, const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void napi_change(struct mq_change *c, pid_t pid)
{
	memset(c, 0, sizeof(*c));
	c->target = MQ_T_NAPI_AFFINITY;
	snprintf(c->object, sizeof(c->object), "eth0 napi/eth0-8193");
	c->value = strdup("1");
	c->saved = strdup("0-3");
	c->saved_len = 3;
	c->step = calloc(1, sizeof(*c->step));
	ck_assert_ptr_nonnull(c->step);
	snprintf(c->step->ifname, sizeof(c->step->ifname), "eth0");
	c->step->pid = pid;
}

static void change_fini(struct mq_change *c)
{
	free(c->value);
	free(c->saved);
	mq_step_free(c->step);
}

/*
 * A snapshot whose pids are not that thread: another kernel thread, a
 * user process with the very name, a pid that is gone.  None of them may
 * be touched (the pids are above any pid_max: a call would say ESRCH
 * too, but it never gets that far: the reason tells which check caught
 * it).
 */
START_TEST(test_step_identity)
{
	char dir[] = "/tmp/mqtune-napi.XXXXXX", why[160], cmd[96];
	struct mq_root r;
	struct mq_change c;
	struct mq_diag d;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	put(dir, "/proc/67108001/stat", "67108001 (napi/eth1-9) S 2 0 0 0 -1 "
	    "2129984 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n");
	put(dir, "/proc/67108002/stat", "67108002 (napi/eth0-8193) S 1 9 9 0 "
	    "-1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n");
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_root_open(&r, dir, &d), 0);

	napi_change(&c, 67108001);	/* another kernel thread now */
	why[0] = '\0';
	ck_assert_int_eq(mq_step_napi_write(&r, &c, why, sizeof(why)), -ESRCH);
	ck_assert_str_eq(why, "pid 67108001 is no longer napi/eth0-8193");
	ck_assert_int_eq(mq_step_napi_restore(&r, &c, why, sizeof(why)), 0);
	change_fini(&c);

	napi_change(&c, 67108002);	/* a user process of that name */
	ck_assert_int_eq(mq_step_napi_write(&r, &c, why, sizeof(why)), -ESRCH);
	ck_assert_str_eq(why, "pid 67108002 is no longer napi/eth0-8193");
	change_fini(&c);

	napi_change(&c, 67108003);	/* gone */
	ck_assert_int_eq(mq_step_napi_write(&r, &c, why, sizeof(why)), -ESRCH);
	ck_assert_str_eq(why, "thread 67108003 (napi/eth0-8193) is gone");
	/* nothing of ours left to undo: the restore succeeds */
	ck_assert_int_eq(mq_step_napi_restore(&r, &c, why, sizeof(why)), 0);
	/* the plan brought the saved set: nothing to read */
	ck_assert_int_eq(mq_step_napi_save(&r, &c, why, sizeof(why)), 0);
	free(c.saved);
	c.saved = NULL;
	ck_assert_int_eq(mq_step_napi_save(&r, &c, why, sizeof(why)), -ESRCH);
	ck_assert_int_eq(mq_step_napi_restore(&r, &c, why, sizeof(why)),
			 -EINVAL);
	change_fini(&c);

	/* the dispatcher refuses a snapshot outright */
	napi_change(&c, 67108001);
	ck_assert_int_eq(mq_step_write(&r, &c, why, sizeof(why)), -EOPNOTSUPP);
	change_fini(&c);

	mq_root_close(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *napi_suite(void)
{
	Suite *s = suite_create("napi");
	TCase *tc = tcase_create("discover");

	tcase_add_test(tc, test_parse_stat);
	tcase_add_test(tc, test_name_match);
	tcase_add_test(tc, test_status_cpus);
	tcase_add_test(tc, test_attribute_reported);
	tcase_add_test(tc, test_attribute_virtio_switched_on);
	tcase_add_test(tc, test_attribute_virtio_made_threaded);
	tcase_add_test(tc, test_attribute_more_than_queues);
	suite_add_tcase(s, tc);
	tc = tcase_create("place_plan");
	tcase_add_test(tc, test_place_follows_home);
	tcase_add_test(tc, test_place_sysroot_none);
	tcase_add_test(tc, test_place_no_threads);
	tcase_add_test(tc, test_plan_changes);
	suite_add_tcase(s, tc);
	tc = tcase_create("effect");
	tcase_add_test(tc, test_sched_self);
	tcase_add_test(tc, test_step_identity);
	suite_add_tcase(s, tc);
	return s;
}
