/*
 * check_apply.c - all-or-nothing apply on a temporary sysroot, with
 * writes failed on purpose through the root's write hook.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mqtune/apply.h"

struct fixture {
	char dir[64];
	struct mq_root root;
	struct mq_plan plan;
};

struct hook_script {
	int calls;
	int fail_call;		/* 1-based call that fails, 0 = none */
	int fail_err;
	const char *fail_path;	/* also fail every write to this path */
	int path_fail_from;	/* ... starting at this call */
	int eagain_from;	/* calls [eagain_from, eagain_to] fail EAGAIN */
	int eagain_to;
	size_t short_len;	/* fail_call writes this much, then fails */
	const char *eio_paths[4];	/* always fail with EIO (managed IRQs) */
};

static int hook(const char *path, size_t *len, void *arg)
{
	struct hook_script *h = arg;

	h->calls++;
	for (size_t i = 0; i < 4 && h->eio_paths[i]; i++)
		if (strcmp(path, h->eio_paths[i]) == 0)
			return -EIO;
	if (h->calls == h->fail_call && h->short_len) {
		*len = h->short_len;
		return -h->fail_err;
	}
	if (h->eagain_from && h->calls >= h->eagain_from &&
	    h->calls <= h->eagain_to)
		return -EAGAIN;
	if (h->calls == h->fail_call)
		return -h->fail_err;
	if (h->fail_path && h->calls >= h->path_fail_from &&
	    strcmp(path, h->fail_path) == 0)
		return -EROFS;
	return 0;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[256], *slash;
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

static char *get(const char *dir, const char *rel)
{
	static char buf[256];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void add(struct mq_plan *plan, enum mq_target t, const char *path,
		const char *value, const char *object)
{
	struct mq_change *c;

	plan->changes = realloc(plan->changes, (plan->nr + 1) * sizeof(*c));
	ck_assert_ptr_nonnull(plan->changes);
	c = &plan->changes[plan->nr++];
	memset(c, 0, sizeof(*c));
	c->target = t;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->object, sizeof(c->object), "%s", object);
	c->value = strdup(value);
	c->old_display = strdup("old");
	c->new_display = strdup("new");
}

/* Three targets: an IRQ's affinity, an RPS mask and a sysctl. */
static void setup(struct fixture *fx)
{
	struct mq_diag d;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/mqtune-apply.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	put(fx->dir, "/proc/irq/40/smp_affinity_list", "0-7\n");
	put(fx->dir, "/proc/irq/40/effective_affinity_list", "5\n");
	put(fx->dir, "/sys/class/net/eth0/queues/rx-0/rps_cpus", "00\n");
	put(fx->dir, "/proc/sys/net/core/netdev_max_backlog", "1000\n");
	ck_assert_int_eq(mq_root_open(&fx->root, fx->dir, &d), 0);
	memset(&fx->plan, 0, sizeof(fx->plan));
	fx->plan.nr_cpu_ids = 8;
	add(&fx->plan, MQ_T_IRQ_AFFINITY, "/proc/irq/40/smp_affinity_list",
	    "3\n", "eth0 IRQ 40");
	add(&fx->plan, MQ_T_RPS_CPUS, "/sys/class/net/eth0/queues/rx-0/rps_cpus",
	    "0c\n", "eth0 rx-0 rps_cpus");
	add(&fx->plan, MQ_T_SYSCTL, "/proc/sys/net/core/netdev_max_backlog",
	    "30000\n", "net.core.netdev_max_backlog");
}

static void teardown(struct fixture *fx)
{
	char cmd[128];

	mq_plan_fini(&fx->plan);
	mq_root_close(&fx->root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void assert_untouched(const struct fixture *fx)
{
	ck_assert_str_eq(get(fx->dir, "/proc/irq/40/smp_affinity_list"), "0-7\n");
	ck_assert_str_eq(get(fx->dir, "/sys/class/net/eth0/queues/rx-0/rps_cpus"),
			 "00\n");
	ck_assert_str_eq(get(fx->dir, "/proc/sys/net/core/netdev_max_backlog"),
			 "1000\n");
}

START_TEST(test_all_applied)
{
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), 0);
	ck_assert_str_eq(get(fx.dir, "/proc/irq/40/smp_affinity_list"), "3\n");
	ck_assert_str_eq(get(fx.dir, "/sys/class/net/eth0/queues/rx-0/rps_cpus"),
			 "0c\n");
	ck_assert_str_eq(get(fx.dir, "/proc/sys/net/core/netdev_max_backlog"),
			 "30000\n");
	for (size_t i = 0; i < fx.plan.nr; i++)
		ck_assert_int_eq(fx.plan.changes[i].state, MQ_CH_APPLIED);
	/* effective is still 5: the move waits for the next interrupt */
	ck_assert(fx.plan.changes[0].pending);
	teardown(&fx);
}
END_TEST

START_TEST(test_snapshot_effective_not_read)
{
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	/* In a snapshot no kernel moves the effective affinity: the IRQ
	 * written is pending whatever the file says, and the file is not
	 * read after the write (garbage there is no failure). */
	setup(&fx);
	put(fx.dir, "/proc/irq/40/effective_affinity_list", "3\n");
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), 0);
	ck_assert(fx.plan.changes[0].pending);
	teardown(&fx);
	setup(&fx);
	put(fx.dir, "/proc/irq/40/effective_affinity_list", "garbage\n");
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), 0);
	ck_assert(fx.plan.changes[0].pending);
	ck_assert_int_eq(fx.plan.changes[0].state, MQ_CH_APPLIED);
	teardown(&fx);
}
END_TEST

START_TEST(test_third_write_fails_all_restored)
{
	struct hook_script h = { .fail_call = 3, .fail_err = ENOSPC };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_RESTORED);
	ck_assert_ptr_nonnull(strstr(d.msg, "net.core.netdev_max_backlog"));
	ck_assert_ptr_nonnull(strstr(d.msg, "2 changes already made were undone"));
	ck_assert_int_eq(fx.plan.changes[0].state, MQ_CH_RESTORED);
	ck_assert_int_eq(fx.plan.changes[1].state, MQ_CH_RESTORED);
	ck_assert_int_eq(fx.plan.changes[2].state, MQ_CH_FAILED);
	ck_assert_int_eq(fx.plan.changes[2].err, ENOSPC);
	assert_untouched(&fx);
	teardown(&fx);
}
END_TEST

/*
 * A short write (a full file system) changed the file it failed on: that
 * file is restored too, and the message gives the real errno, not EIO.
 */
START_TEST(test_short_write_undone)
{
	struct hook_script h = { .fail_call = 3, .fail_err = ENOSPC,
				 .short_len = 2 };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_RESTORED);
	ck_assert_int_eq(d.err, ENOSPC);
	ck_assert_msg(strstr(d.msg, strerror(ENOSPC)) != NULL, "%s", d.msg);
	ck_assert_ptr_nonnull(strstr(d.msg, "2 changes already made were undone"));
	ck_assert_int_eq(fx.plan.changes[2].state, MQ_CH_FAILED);
	ck_assert_int_eq(fx.plan.changes[2].err, ENOSPC);
	assert_untouched(&fx);
	teardown(&fx);
}
END_TEST

/* The same short write, with its own restore failing: status 8 names it. */
START_TEST(test_short_write_restore_fails)
{
	struct hook_script h = { .fail_call = 3, .fail_err = ENOSPC,
				 .short_len = 2,
				 .fail_path = "/proc/sys/net/core/netdev_max_backlog",
				 .path_fail_from = 4 };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_PARTIAL);
	ck_assert_msg(strstr(d.msg, "left changed: net.core.netdev_max_backlog") !=
		      NULL, "%s", d.msg);
	ck_assert_int_eq(fx.plan.changes[2].state, MQ_CH_RESTORE_FAILED);
	ck_assert_int_eq(fx.plan.changes[0].state, MQ_CH_RESTORED);
	teardown(&fx);
}
END_TEST

START_TEST(test_first_write_fails_nothing_changed)
{
	struct hook_script h = { .fail_call = 1, .fail_err = EINVAL };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	fx.plan.changes[0].target = MQ_T_RPS_CPUS;	/* not an IRQ: no re-plan */
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_RESTORED);
	ck_assert_ptr_nonnull(strstr(d.msg, "0 changes already made were undone"));
	assert_untouched(&fx);
	teardown(&fx);
}
END_TEST

START_TEST(test_restore_fails_partial)
{
	/* Writes: #1 IRQ ok, #2 rps ok, #3 sysctl fails; undo #2 ok, undo #1
	 * (call 5) fails: the IRQ is left changed and named. */
	struct hook_script h = { .fail_call = 3, .fail_err = EIO,
				 .fail_path = "/proc/irq/40/smp_affinity_list",
				 .path_fail_from = 4 };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_PARTIAL);
	ck_assert_ptr_nonnull(strstr(d.msg, "left changed: eth0 IRQ 40"));
	ck_assert_ptr_null(strstr(d.msg, "rps_cpus,"));
	ck_assert_int_eq(fx.plan.changes[0].state, MQ_CH_RESTORE_FAILED);
	ck_assert_int_eq(fx.plan.changes[1].state, MQ_CH_RESTORED);
	ck_assert_str_eq(get(fx.dir, "/proc/irq/40/smp_affinity_list"), "3\n");
	ck_assert_str_eq(get(fx.dir, "/sys/class/net/eth0/queues/rx-0/rps_cpus"),
			 "00\n");
	teardown(&fx);
}
END_TEST

/*
 * The undo retries a transient failure: writes #1, #2 succeed, #3 fails;
 * undoing #2 meets EAGAIN three times (calls 4-6), then goes through, and
 * #1 is undone too: status 7, nothing left changed.
 */
START_TEST(test_undo_retries_eagain)
{
	struct hook_script h = { .fail_call = 3, .fail_err = ENOSPC,
				 .eagain_from = 4, .eagain_to = 6 };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_RESTORED);
	ck_assert_int_eq(fx.plan.changes[0].state, MQ_CH_RESTORED);
	ck_assert_int_eq(fx.plan.changes[1].state, MQ_CH_RESTORED);
	ck_assert_int_eq(h.calls, 8);
	assert_untouched(&fx);
	teardown(&fx);
}
END_TEST

START_TEST(test_managed_irq_eio_replans)
{
	struct hook_script h = { .fail_call = 2, .fail_err = EIO };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	/* Put the IRQ write second, after an RPS write that must be undone. */
	struct mq_change tmp = fx.plan.changes[0];

	fx.plan.changes[0] = fx.plan.changes[1];
	fx.plan.changes[1] = tmp;
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d),
			 MQ_APPLY_MANAGED);
	ck_assert_uint_eq(managed, 1);
	ck_assert_int_eq(fx.plan.changes[1].state, MQ_CH_FAILED);
	ck_assert_int_eq(fx.plan.changes[1].err, EIO);
	assert_untouched(&fx);
	teardown(&fx);
}
END_TEST

/*
 * Every IRQ the kernel refuses is learnt in one pass: IRQ 40 is refused,
 * the RPS write after it is skipped, IRQ 41 is written (then undone),
 * IRQ 42 is refused too; nothing is left changed.
 */
START_TEST(test_managed_irqs_all_in_one_pass)
{
	struct hook_script h = {
		.eio_paths = { "/proc/irq/40/smp_affinity_list",
			       "/proc/irq/42/smp_affinity_list" },
	};
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	put(fx.dir, "/proc/irq/41/smp_affinity_list", "0-7\n");
	put(fx.dir, "/proc/irq/42/smp_affinity_list", "0-7\n");
	add(&fx.plan, MQ_T_IRQ_AFFINITY, "/proc/irq/41/smp_affinity_list",
	    "4\n", "eth0 IRQ 41");
	add(&fx.plan, MQ_T_IRQ_AFFINITY, "/proc/irq/42/smp_affinity_list",
	    "5\n", "eth0 IRQ 42");
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d),
			 MQ_APPLY_MANAGED);
	ck_assert_uint_eq(managed, 2);
	ck_assert_int_eq(fx.plan.changes[0].state, MQ_CH_FAILED);	/* IRQ 40 */
	ck_assert_int_eq(fx.plan.changes[1].state, MQ_CH_PLANNED);	/* rps */
	ck_assert_int_eq(fx.plan.changes[2].state, MQ_CH_PLANNED);	/* sysctl */
	ck_assert_int_eq(fx.plan.changes[3].state, MQ_CH_RESTORED);	/* IRQ 41 */
	ck_assert_int_eq(fx.plan.changes[4].state, MQ_CH_FAILED);	/* IRQ 42 */
	ck_assert_int_eq(fx.plan.changes[4].err, EIO);
	assert_untouched(&fx);
	ck_assert_str_eq(get(fx.dir, "/proc/irq/41/smp_affinity_list"), "0-7\n");
	teardown(&fx);
}
END_TEST

START_TEST(test_eperm_in_sysroot_is_a_failure)
{
	/* In a sysroot EPERM comes from an immutable file, not the kernel. */
	struct hook_script h = { .fail_call = 1, .fail_err = EPERM };
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;

	setup(&fx);
	fx.root.write_hook = hook;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_RESTORED);
	teardown(&fx);
}
END_TEST

START_TEST(test_missing_target_is_restored_failure)
{
	struct fixture fx;
	size_t managed = 0;
	struct mq_diag d;
	char path[128];

	setup(&fx);
	snprintf(path, sizeof(path), "%s/proc/sys/net/core/netdev_max_backlog",
		 fx.dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mq_apply(&fx.root, &fx.plan, &managed, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_RESTORED);
	ck_assert_ptr_nonnull(strstr(d.msg, "cannot read"));
	ck_assert_str_eq(get(fx.dir, "/proc/irq/40/smp_affinity_list"), "0-7\n");
	teardown(&fx);
}
END_TEST

Suite *apply_suite(void);

Suite *apply_suite(void)
{
	Suite *s = suite_create("apply");
	TCase *tc = tcase_create("apply");

	tcase_add_test(tc, test_all_applied);
	tcase_add_test(tc, test_snapshot_effective_not_read);
	tcase_add_test(tc, test_third_write_fails_all_restored);
	tcase_add_test(tc, test_first_write_fails_nothing_changed);
	tcase_add_test(tc, test_short_write_undone);
	tcase_add_test(tc, test_short_write_restore_fails);
	tcase_add_test(tc, test_restore_fails_partial);
	tcase_add_test(tc, test_undo_retries_eagain);
	tcase_add_test(tc, test_managed_irq_eio_replans);
	tcase_add_test(tc, test_managed_irqs_all_in_one_pass);
	tcase_add_test(tc, test_eperm_in_sysroot_is_a_failure);
	tcase_add_test(tc, test_missing_target_is_restored_failure);
	suite_add_tcase(s, tc);
	return s;
}
