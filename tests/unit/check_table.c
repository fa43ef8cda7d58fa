/*
 * check_table.c - aligned text tables (src/base/table.c): every column as wide
 * as its widest cell, two spaces between columns, no trailing blanks,
 * NULL cells empty, an indent before every line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/table.h"

Suite *table_suite(void);

/* Print @t into a malloc'd string. */
static char *tb_print(const struct mq_table *t, const char *indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(mq_table_print(t, f, indent), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_ptr_nonnull(buf);
	return buf;
}

/* No line of @text ends in a blank; every line ends with '\n'. */
static void tb_assert_no_trailing_blanks(const char *text)
{
	const char *p = text, *nl;
	int line = 1;

	ck_assert_msg(text[0] == '\0' || text[strlen(text) - 1] == '\n',
		      "output does not end with a newline");
	while ((nl = strchr(p, '\n'))) {
		ck_assert_msg(nl == p || (nl[-1] != ' ' && nl[-1] != '\t'),
			      "line %d ends in a blank: '%.*s'", line,
			      (int)(nl - p), p);
		p = nl + 1;
		line++;
	}
}

START_TEST(test_table_widths)
{
	static const char *const head[] = { "A", "BBBB", "C" };
	static const char *const r1[] = { "xxx", "y", "zz" };
	static const char *const r2[] = { "", "yyyyyy", "last" };
	struct mq_table t;
	char *out;

	mq_table_init(&t, 3, head);
	mq_table_add(&t, r1);
	mq_table_add(&t, r2);
	ck_assert_uint_eq(t.nrows, 3);
	ck_assert_uint_eq(t.ncols, 3);
	out = tb_print(&t, "");
	/* widths: col 0 = 3 ("xxx"), col 1 = 6 ("yyyyyy"); the last column
	 * is not padded */
	ck_assert_str_eq(out,
			 "A    BBBB    C\n"
			 "xxx  y       zz\n"
			 "     yyyyyy  last\n");
	tb_assert_no_trailing_blanks(out);
	free(out);
	mq_table_fini(&t);
	ck_assert_uint_eq(t.nrows, 0);
	ck_assert_ptr_null(t.cells);
}
END_TEST

/* A NULL cell prints as an empty one. */
START_TEST(test_table_null_cell)
{
	static const char *const head[] = { "QUEUE", "IRQ", "CPU" };
	const char *row[] = { "0", NULL, "3" };
	struct mq_table t;
	char *out;

	mq_table_init(&t, 3, head);
	mq_table_add(&t, row);
	out = tb_print(&t, "");
	ck_assert_str_eq(out,
			 "QUEUE  IRQ  CPU\n"
			 "0           3\n");
	free(out);
	mq_table_fini(&t);
}
END_TEST

/* A NULL (or empty) last cell must not leave the padding behind. */
START_TEST(test_table_empty_last_cell_no_trailing_blanks)
{
	static const char *const head[] = { "NAME", "VALUE" };
	const char *r1[] = { "a", NULL };
	const char *r2[] = { "bb", "" };
	struct mq_table t;
	char *out;

	mq_table_init(&t, 2, head);
	mq_table_add(&t, r1);
	mq_table_add(&t, r2);
	out = tb_print(&t, "  ");
	tb_assert_no_trailing_blanks(out);
	ck_assert_str_eq(out,
			 "  NAME  VALUE\n"
			 "  a\n"
			 "  bb\n");
	free(out);
	mq_table_fini(&t);
}
END_TEST

START_TEST(test_table_indent)
{
	static const char *const head[] = { "K", "V" };
	const char *row[] = { "key", "value" };
	struct mq_table t;
	char *out;

	mq_table_init(&t, 2, head);
	mq_table_add(&t, row);
	out = tb_print(&t, "    ");
	ck_assert_str_eq(out,
			 "    K    V\n"
			 "    key  value\n");
	tb_assert_no_trailing_blanks(out);
	free(out);
	mq_table_fini(&t);
}
END_TEST

/* Cells are copied: changing the caller's buffer later changes nothing. */
START_TEST(test_table_cells_copied)
{
	char h0[8] = "H", c0[8] = "abc";
	const char *head[] = { h0 };
	const char *row[] = { c0 };
	struct mq_table t;
	char *out;

	mq_table_init(&t, 1, head);
	mq_table_add(&t, row);
	strcpy(h0, "XX");
	strcpy(c0, "zzzzzzz");
	out = tb_print(&t, "");
	ck_assert_str_eq(out, "H\nabc\n");
	free(out);
	mq_table_fini(&t);
}
END_TEST

/* Only a header: one line. */
START_TEST(test_table_header_only)
{
	static const char *const head[] = { "IRQ", "NAME" };
	struct mq_table t;
	char *out;

	mq_table_init(&t, 2, head);
	out = tb_print(&t, "> ");
	ck_assert_str_eq(out, "> IRQ  NAME\n");
	free(out);
	mq_table_fini(&t);
}
END_TEST

/* 1000 rows: the table grows; widths follow the widest row. */
START_TEST(test_table_many_rows)
{
	static const char *const head[] = { "ROW", "SQUARE", "END" };
	struct mq_table t;
	char *out, want[128], *line;
	size_t i, lines = 0;

	mq_table_init(&t, 3, head);
	for (i = 0; i < 1000; i++) {
		char a[16], b[16];
		const char *row[3] = { a, b, "." };

		snprintf(a, sizeof(a), "r%zu", i);
		snprintf(b, sizeof(b), "%zu", i * i);
		mq_table_add(&t, row);
	}
	ck_assert(!t.failed);
	ck_assert_uint_eq(t.nrows, 1001);
	ck_assert_uint_ge(t.cap, 1001);
	out = tb_print(&t, "");
	tb_assert_no_trailing_blanks(out);
	for (line = out; (line = strchr(line, '\n')); line++)
		lines++;
	ck_assert_uint_eq(lines, 1001);
	/* col 0: "r999" = 4; col 1: "998001" = 6 */
	ck_assert(strncmp(out, "ROW   SQUARE  END\n", 18) == 0);
	ck_assert_ptr_nonnull(strstr(out, "\nr0    0       .\n"));
	snprintf(want, sizeof(want), "\nr999  998001  .\n");
	ck_assert_str_eq(out + strlen(out) - strlen(want), want);
	ck_assert_ptr_nonnull(strstr(out, "\nr500  250000  .\n"));
	free(out);
	mq_table_fini(&t);
}
END_TEST

/* Cells from the kernel never reach the terminal raw (esc.h). */
START_TEST(test_table_cells_escaped)
{
	static const char *const head[] = { "IRQ", "NAME" };
	static const char *const r1[] = { "41", "e\033[2J\xff" };
	struct mq_table t;
	char *out;

	mq_table_init(&t, 2, head);
	mq_table_add(&t, r1);
	out = tb_print(&t, "");
	ck_assert_str_eq(out, "IRQ  NAME\n41   e\\x1b[2J\\xff\n");
	free(out);
	mq_table_fini(&t);
}
END_TEST

Suite *table_suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_table_widths);
	tcase_add_test(tc, test_table_cells_escaped);
	tcase_add_test(tc, test_table_null_cell);
	tcase_add_test(tc, test_table_empty_last_cell_no_trailing_blanks);
	tcase_add_test(tc, test_table_indent);
	tcase_add_test(tc, test_table_cells_copied);
	tcase_add_test(tc, test_table_header_only);
	tcase_add_test(tc, test_table_many_rows);
	suite_add_tcase(s, tc);
	return s;
}
