/*
 * fuzz_softirqs.c - libFuzzer target for mq_parse_softirqs() and
 * mq_parse_irq_counts(), the two "CPUn" header tables.
 *
 * Checked: documented results; failure leaves everything NULL and names a
 * line; on success the header ids strictly increase; an IRQ asked for
 * twice gets the same counts; deterministic.
 */
#include "mqtune/procnet.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int want[] = { 0, 41, 7, 41, 4294967295u };
	char *buf = fuzz_copy(data, size);
	struct mq_softirqs s;
	struct mq_irq_counts c;
	size_t bad = 777, lines = 1, i;
	int r;

	if (!buf)
		return 0;
	for (i = 0; i < size; i++)
		lines += buf[i] == '\n';
	r = mq_parse_softirqs(buf, size, &s, &bad);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX || r == MQ_PARSE_NOMEM,
		   "documented result");
	if (r == MQ_PARSE_OK) {
		FUZZ_CHECK(bad == 0 && s.nr_cpus >= 1, "header");
		for (i = 1; i < s.nr_cpus; i++)
			FUZZ_CHECK(s.cpus[i - 1] < s.cpus[i], "ids increase");
	} else {
		FUZZ_CHECK(!s.cpus && !s.net_rx && !s.net_tx, "empty on failure");
		FUZZ_CHECK(bad >= 1 && bad <= lines, "bad_line is a line");
	}
	mq_softirqs_free(&s);

	r = mq_parse_irq_counts(buf, size, want, 5, &c, &bad);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX || r == MQ_PARSE_NOMEM,
		   "documented result");
	if (r == MQ_PARSE_OK) {
		FUZZ_CHECK(c.nr_irqs == 5 && c.found[1] == c.found[3], "shape");
		FUZZ_CHECK(memcmp(&c.counts[1 * c.nr_columns], &c.counts[3 * c.nr_columns],
				  c.nr_columns * sizeof(*c.counts)) == 0,
			   "same IRQ, same counts");
	} else {
		FUZZ_CHECK(!c.counts && !c.cpus && !c.found, "empty on failure");
		FUZZ_CHECK(bad >= 1 && bad <= lines, "bad_line is a line");
	}
	mq_irq_counts_free(&c);
	free(buf);
	return 0;
}
