/*
 * fuzz_softnet.c - libFuzzer target for mq_parse_softnet() and
 * mq_softnet_cpu(), the /proc/net/softnet_stat reader.
 *
 * Checked: a documented result; failure leaves the table empty with a
 * line of the input in bad_line; on success at least 9 columns, no more
 * rows than lines, CPU ids strictly increasing when known (and each found
 * by mq_softnet_cpu), the row index otherwise; deterministic.
 */
#include "mqtune/procnet.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct mq_softnet s, s2;
	size_t bad = 777, lines = 1, i;
	int r;

	if (!buf)
		return 0;
	for (i = 0; i < size; i++)
		lines += buf[i] == '\n';
	r = mq_parse_softnet(buf, size, &s, &bad);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX || r == MQ_PARSE_NOMEM,
		   "documented result");
	if (r != MQ_PARSE_OK) {
		FUZZ_CHECK(s.rows == NULL && s.nr_rows == 0, "failure leaves it empty");
		FUZZ_CHECK(bad >= 1 && bad <= lines, "bad_line is a line");
		goto out;
	}
	FUZZ_CHECK(bad == 0, "success clears bad_line");
	FUZZ_CHECK(s.nr_columns >= 9 && s.nr_rows >= 1 && s.nr_rows <= lines,
		   "shape");
	FUZZ_CHECK(s.cpu_known == (s.nr_columns >= 13), "CPU column from 13 on");
	for (i = 0; i < s.nr_rows; i++) {
		if (s.cpu_known) {
			FUZZ_CHECK(i == 0 || s.rows[i - 1].cpu < s.rows[i].cpu,
				   "CPU ids increase");
			FUZZ_CHECK(mq_softnet_cpu(&s, s.rows[i].cpu) == &s.rows[i],
				   "lookup finds the row");
		} else {
			FUZZ_CHECK(s.rows[i].cpu == i, "row index as CPU");
		}
	}
	FUZZ_CHECK(mq_parse_softnet(buf, size, &s2, NULL) == MQ_PARSE_OK &&
		   s2.nr_rows == s.nr_rows &&
		   memcmp(s2.rows, s.rows, s.nr_rows * sizeof(*s.rows)) == 0,
		   "deterministic");
	mq_softnet_free(&s2);
out:
	mq_softnet_free(&s);
	free(buf);
	return 0;
}
