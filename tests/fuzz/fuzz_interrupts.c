/*
 * fuzz_interrupts.c - libFuzzer target for mq_parse_interrupts() and
 * mq_interrupts_name(), the /proc/interrupts reader.
 *
 * The input is the whole file.  Checked, with abort on any violation:
 *   - on failure the table is empty and bad_line names a line of the
 *     input (1-based); on success bad_line is 0;
 *   - the header has at least one column; numbered rows come out in
 *     strictly increasing IRQ order, never more than the input's lines;
 *   - every name is a NUL-terminated string with no newline or NUL inside
 *     and no blank at either end, and occurs in the input;
 *   - mq_interrupts_name() finds every row's own name (the same pointer),
 *     and NULL for IRQs between and around the rows, also on a copy of the
 *     table in reverse order (the unsorted fall-back);
 *   - parsing is deterministic and mq_interrupts_free() leaves an empty
 *     table that may be freed again.
 */
#include "mqtune/parse.h"
#include "fuzz.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void check_lookups(const struct mq_interrupts *t)
{
	size_t i;

	for (i = 0; i < t->nr_rows; i++) {
		unsigned int irq = t->rows[i].irq;

		FUZZ_CHECK(mq_interrupts_name(t, irq) == t->rows[i].names,
			   "name lookup finds the row");
		if (irq > 0 && (i == 0 || t->rows[i - 1].irq != irq - 1))
			FUZZ_CHECK(mq_interrupts_name(t, irq - 1) == NULL,
				   "no name for an IRQ without a row");
		if (irq < UINT32_MAX &&
		    (i + 1 == t->nr_rows || t->rows[i + 1].irq != irq + 1))
			FUZZ_CHECK(mq_interrupts_name(t, irq + 1) == NULL,
				   "no name for an IRQ without a row");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct mq_interrupts t, t2, rev;
	size_t bad = 12345, bad2 = 0, lines = 1, i;
	int r, r2;

	if (!buf)
		return 0;
	for (i = 0; i < size; i++)
		lines += buf[i] == '\n';

	r = mq_parse_interrupts(buf, size, &t, &bad);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX ||
		   r == MQ_PARSE_NOMEM, "result is a documented code");
	if (r != MQ_PARSE_OK) {
		FUZZ_CHECK(t.nr_rows == 0 && t.rows == NULL,
			   "failure leaves the table empty");
		FUZZ_CHECK(bad >= 1 && bad <= lines,
			   "bad_line is a line of the input");
		r2 = mq_parse_interrupts(buf, size, &t2, NULL);
		FUZZ_CHECK(r2 == r, "parsing is deterministic");
		goto out;
	}
	FUZZ_CHECK(bad == 0, "success clears bad_line");
	FUZZ_CHECK(t.nr_columns >= 1, "the header has a column");
	FUZZ_CHECK(t.nr_rows < lines, "at most one row per line after the header");
	for (i = 0; i < t.nr_rows; i++) {
		const char *n = t.rows[i].names;
		size_t len;

		FUZZ_CHECK(n != NULL, "every row has a name string");
		len = strlen(n);
		FUZZ_CHECK(!memchr(n, '\n', len), "names hold no newline");
		FUZZ_CHECK(len == 0 || (!is_blank(n[0]) && !is_blank(n[len - 1])),
			   "names are trimmed");
		FUZZ_CHECK(len == 0 || memmem(buf, size, n, len),
			   "names come from the input");
		if (i)
			FUZZ_CHECK(t.rows[i - 1].irq < t.rows[i].irq,
				   "rows in strictly increasing IRQ order");
	}
	check_lookups(&t);

	r2 = mq_parse_interrupts(buf, size, &t2, &bad2);
	FUZZ_CHECK(r2 == MQ_PARSE_OK && bad2 == 0 &&
		   t2.nr_rows == t.nr_rows && t2.nr_columns == t.nr_columns,
		   "parsing is deterministic");
	for (i = 0; i < t.nr_rows; i++)
		FUZZ_CHECK(t2.rows[i].irq == t.rows[i].irq &&
			   strcmp(t2.rows[i].names, t.rows[i].names) == 0,
			   "parsing is deterministic");
	mq_interrupts_free(&t2);

	/* the same rows in reverse: lookups must still work */
	rev.nr_columns = t.nr_columns;
	rev.nr_rows = t.nr_rows;
	rev.rows = malloc((t.nr_rows ? t.nr_rows : 1) * sizeof(*rev.rows));
	if (rev.rows) {
		for (i = 0; i < t.nr_rows; i++)
			rev.rows[i] = t.rows[t.nr_rows - 1 - i];
		for (i = 0; i < rev.nr_rows; i++)
			FUZZ_CHECK(mq_interrupts_name(&rev, rev.rows[i].irq) ==
				   rev.rows[i].names,
				   "lookup works on an unsorted table");
		free(rev.rows);
	}
	mq_interrupts_free(&t);
	FUZZ_CHECK(t.nr_rows == 0 && t.rows == NULL && t.nr_columns == 0,
		   "free leaves an empty table");
out:
	mq_interrupts_free(&t);
	free(buf);
	return 0;
}
