/*
 * fuzz_netstat.c - libFuzzer target for mq_parse_netstat() and
 * mq_parse_sockstat(), the keyed tables, and mq_keyed_get().
 *
 * Checked: documented results; a failure leaves the table as it was
 * before the call; every entry's prefix and name are non-empty, printable
 * and found again by mq_keyed_get (the first of equal keys); deterministic.
 */
#include "mqtune/procnet.h"
#include "fuzz.h"

static void check_table(const struct mq_keyed *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		const struct mq_kv *kv = &t->v[i];
		int64_t v;
		size_t j;

		FUZZ_CHECK(kv->prefix[0] && kv->name[0], "non-empty keys");
		for (j = 0; kv->name[j]; j++)
			FUZZ_CHECK((unsigned char)kv->name[j] > 0x20, "printable name");
		FUZZ_CHECK(mq_keyed_get(t, kv->prefix, kv->name, &v) == 0,
			   "every entry is found");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct mq_keyed t = { 0 }, t2 = { 0 };
	size_t bad = 777, before;
	int r;

	if (!buf)
		return 0;
	r = mq_parse_netstat(buf, size, &t, &bad);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX || r == MQ_PARSE_NOMEM,
		   "documented result");
	FUZZ_CHECK(r != MQ_PARSE_OK || bad == 0, "success clears bad_line");
	FUZZ_CHECK(r == MQ_PARSE_OK || t.nr == 0, "failure adds nothing");
	check_table(&t);
	before = t.nr;
	r = mq_parse_sockstat(buf, size, &t, &bad);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX || r == MQ_PARSE_NOMEM,
		   "documented result");
	FUZZ_CHECK(r == MQ_PARSE_OK || t.nr == before, "failure keeps the table");
	check_table(&t);
	r = mq_parse_sockstat(buf, size, &t2, NULL);
	FUZZ_CHECK(r != MQ_PARSE_OK || t2.nr == t.nr - before, "deterministic");
	mq_keyed_free(&t2);
	mq_keyed_free(&t);
	free(buf);
	return 0;
}
