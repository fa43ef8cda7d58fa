/*
 * check_diag.c - unit tests for diagnostics and the exit-status table.
 *
 * The names are part of the interface (--help, the man page, scripts
 * that read them), so each is checked against its status literally.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "mqtune/diag.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct exit_case {
	enum mq_exit status;
	int value;
	const char *name;
} exit_cases[] = {
	{ MQ_EXIT_OK, 0, "ok" },
	{ MQ_EXIT_FAILURE, 1, "failure" },
	{ MQ_EXIT_USAGE, 2, "usage" },
	{ MQ_EXIT_NODEV, 3, "nodev" },
	{ MQ_EXIT_PERM, 4, "perm" },
	{ MQ_EXIT_SYSTEM, 5, "system" },
	{ MQ_EXIT_LOCKED, 6, "locked" },
	{ MQ_EXIT_RESTORED, 7, "restored" },
	{ MQ_EXIT_PARTIAL, 8, "partial" },
	{ MQ_EXIT_REFUSED, 9, "refused" },
	{ MQ_EXIT_ETHTOOL, 10, "ethtool" },
	{ MQ_EXIT_OUTPUT, 11, "output" },
	{ MQ_EXIT_CONFIG, 13, "config" },
	{ MQ_EXIT_STATE, 14, "state" },
	{ MQ_EXIT_DOCTOR_WARN, 15, "warn" },
	{ MQ_EXIT_DOCTOR_CRIT, 16, "crit" },
};

START_TEST(test_exit_name)
{
	const struct exit_case *c = &exit_cases[_i];
	const char *text = mq_exit_describe(c->status);

	ck_assert_int_eq((int)c->status, c->value);
	ck_assert_str_eq(mq_exit_name(c->status), c->name);
	/* one line of real text, not a placeholder */
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_gt(strlen(text), 10);
	ck_assert_ptr_null(strchr(text, '\n'));
	ck_assert_str_ne(text, "unknown exit status");
}
END_TEST

START_TEST(test_exit_distinct)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(exit_cases); i++)
		for (j = i + 1; j < ARRAY_SIZE(exit_cases); j++) {
			ck_assert_str_ne(mq_exit_name(exit_cases[i].status),
					 mq_exit_name(exit_cases[j].status));
			ck_assert_str_ne(mq_exit_describe(exit_cases[i].status),
					 mq_exit_describe(exit_cases[j].status));
		}
}
END_TEST

START_TEST(test_exit_unknown)
{
	ck_assert_str_eq(mq_exit_name((enum mq_exit)99), "unknown");
	ck_assert_str_eq(mq_exit_name(MQ_EXIT_DRIFT), "drift");
	ck_assert_str_eq(mq_exit_name((enum mq_exit)-1), "unknown");
	ck_assert_str_eq(mq_exit_name((enum mq_exit)1000), "unknown");
	ck_assert_str_eq(mq_exit_describe((enum mq_exit)99), "unknown exit status");
	ck_assert_str_eq(mq_exit_describe((enum mq_exit)-1), "unknown exit status");
	/* the first number after the table */
	ck_assert_str_eq(mq_exit_name((enum mq_exit)(MQ_EXIT_LAST + 1)), "unknown");
	ck_assert_str_eq(mq_exit_describe((enum mq_exit)(MQ_EXIT_LAST + 1)),
			 "unknown exit status");
}
END_TEST

START_TEST(test_exit_restored_text)
{
	/* the wording the man page and --help promise */
	ck_assert_str_eq(mq_exit_describe(MQ_EXIT_RESTORED),
			 "a write failed; every change already made was undone");
}
END_TEST

START_TEST(test_diag_set)
{
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_diag_set(&d, MQ_EXIT_SYSTEM, EIO, "%s: %s (%d)",
				     "/proc/irq/45/smp_affinity_list", "cannot read", 45),
			 -1);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_int_eq(d.err, EIO);
	ck_assert_str_eq(d.msg, "/proc/irq/45/smp_affinity_list: cannot read (45)");

	/* a second failure replaces the first */
	ck_assert_int_eq(mq_diag_set(&d, MQ_EXIT_USAGE, 0, "bad --cpus"), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_USAGE);
	ck_assert_int_eq(d.err, 0);
	ck_assert_str_eq(d.msg, "bad --cpus");
}
END_TEST

START_TEST(test_diag_truncate)
{
	struct mq_diag d;
	char longs[3 * MQ_DIAG_MSG_MAX];

	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	memset(&d, 0x7f, sizeof(d));	/* no NUL anywhere beforehand */
	ck_assert_int_eq(mq_diag_set(&d, MQ_EXIT_FAILURE, ENOMEM, "eth0: %s", longs), -1);
	ck_assert_uint_eq(strlen(d.msg), MQ_DIAG_MSG_MAX - 1);
	ck_assert_int_eq(strncmp(d.msg, "eth0: xxx", 9), 0);
	ck_assert_int_eq(d.msg[MQ_DIAG_MSG_MAX - 1], '\0');
	ck_assert_int_eq(d.err, ENOMEM);

	/* exactly the room there is */
	longs[MQ_DIAG_MSG_MAX - 1] = '\0';
	mq_diag_set(&d, MQ_EXIT_FAILURE, 0, "%s", longs);
	ck_assert_str_eq(d.msg, longs);
}
END_TEST

START_TEST(test_diag_null)
{
	ck_assert_int_eq(mq_diag_set(NULL, MQ_EXIT_PERM, EPERM, "%s", "ignored"), -1);
	mq_diag_clear(NULL);
}
END_TEST

START_TEST(test_diag_clear)
{
	struct mq_diag d;

	mq_diag_set(&d, MQ_EXIT_LOCKED, EAGAIN, "held by pid %d", 1234);
	ck_assert_str_eq(d.msg, "held by pid 1234");
	mq_diag_clear(&d);
	ck_assert_int_eq(d.status, MQ_EXIT_OK);
	ck_assert_int_eq(d.err, 0);
	ck_assert_str_eq(d.msg, "");
}
END_TEST

Suite *diag_suite(void);

Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("diag");

	tcase_add_loop_test(tc, test_exit_name, 0, ARRAY_SIZE(exit_cases));
	tcase_add_test(tc, test_exit_distinct);
	tcase_add_test(tc, test_exit_unknown);
	tcase_add_test(tc, test_exit_restored_text);
	tcase_add_test(tc, test_diag_set);
	tcase_add_test(tc, test_diag_truncate);
	tcase_add_test(tc, test_diag_null);
	tcase_add_test(tc, test_diag_clear);
	suite_add_tcase(s, tc);
	return s;
}
