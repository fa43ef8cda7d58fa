/*
 * fuzz_cpuset.h - checks shared by the CPU-set fuzz targets: a set against
 * a plain byte-per-CPU reference, and the list and mask round trips.
 */
#ifndef MQTUNE_FUZZ_CPUSET_H
#define MQTUNE_FUZZ_CPUSET_H

#include "mqtune/cpuset.h"
#include "fuzz.h"

/*
 * Capacities every input is parsed at: the smallest, word edges, real
 * machines (4, 12, 48, 128, 1000, 8192 CPUs) and the largest.
 */
static const unsigned int fuzz_caps[] = {
	1, 4, 12, 48, 63, 64, 65, 128, 1000, 8192, MQ_CPUSET_MAX_BITS,
};
#define FUZZ_NR_CAPS (sizeof(fuzz_caps) / sizeof(fuzz_caps[0]))

/* One byte per CPU: the reference representation. */
static uint8_t fuzz_ref[MQ_CPUSET_MAX_BITS];

/* Put junk in @s, so a parser that does not clear first is caught. */
static inline void fuzz_dirty(struct mq_cpuset *s)
{
	mq_cpuset_set(s, 0);
	mq_cpuset_set(s, s->nbits / 2);
	mq_cpuset_set(s, s->nbits - 1);
}

/*
 * @s holds exactly the CPUs marked in @ref[0 .. nbits-1], nothing beyond:
 * walked with mq_cpuset_next, probed with mq_cpuset_test, counted with
 * mq_cpuset_weight.  Linear in the capacity with few calls, so that the
 * 65536-CPU sets stay fast.
 */
static inline void fuzz_check_ref(const struct mq_cpuset *s,
				  const uint8_t *ref)
{
	unsigned int cpu, count = 0, seen = 0;
	int c;

	for (cpu = 0; cpu < s->nbits; cpu++)
		count += ref[cpu] != 0;
	for (c = mq_cpuset_next(s, 0); c >= 0;
	     c = mq_cpuset_next(s, (unsigned int)c + 1)) {
		FUZZ_CHECK((unsigned int)c < s->nbits && ref[c],
			   "mq_cpuset_next finds only the reference's CPUs");
		FUZZ_CHECK(mq_cpuset_test(s, (unsigned int)c),
			   "mq_cpuset_test agrees with mq_cpuset_next");
		if ((unsigned int)c + 1 < s->nbits && !ref[c + 1])
			FUZZ_CHECK(!mq_cpuset_test(s, (unsigned int)c + 1),
				   "mq_cpuset_test is false after a run");
		seen++;
	}
	FUZZ_CHECK(seen == count, "mq_cpuset_next finds every reference CPU");
	FUZZ_CHECK(mq_cpuset_weight(s) == count,
		   "weight counts the CPUs (no bits beyond the capacity)");
	FUZZ_CHECK(mq_cpuset_empty(s) == (count == 0), "empty iff weight 0");
	FUZZ_CHECK(!mq_cpuset_test(s, s->nbits), "test is false at nbits");
	FUZZ_CHECK(mq_cpuset_test(s, 0) == (ref[0] != 0) &&
		   mq_cpuset_test(s, s->nbits - 1) == (ref[s->nbits - 1] != 0),
		   "mq_cpuset_test agrees at both ends");
}

/*
 * format_list and format_mask (at the set's own width) parse back to the
 * same set, at the same capacity; the list form is canonical (ascending,
 * ranges of two or more, never adjacent) and formats again identically.
 */
static inline void fuzz_check_roundtrip(const struct mq_cpuset *s)
{
	struct mq_cpuset t;
	char *list, *mask, *again;
	const char *p;
	long prev_hi = -2;

	if (mq_cpuset_init(&t, s->nbits))
		return;
	list = mq_cpuset_format_list(s);
	mask = mq_cpuset_format_mask(s, s->nbits);
	if (!list || !mask)
		goto out;

	fuzz_dirty(&t);
	FUZZ_CHECK(mq_cpuset_parse_list(&t, list, strlen(list)) == MQ_PARSE_OK,
		   "format_list output parses");
	FUZZ_CHECK(mq_cpuset_equal(s, &t), "format_list round trip");
	again = mq_cpuset_format_list(&t);
	FUZZ_CHECK(!again || strcmp(again, list) == 0,
		   "format_list is deterministic");
	free(again);

	for (p = list; *p;) {
		char *e;
		long lo = strtol(p, &e, 10), hi = lo;

		FUZZ_CHECK(e != p && lo > prev_hi + 1,
			   "list items ascend and are not adjacent");
		if (*e == '-') {
			p = e + 1;
			hi = strtol(p, &e, 10);
			FUZZ_CHECK(e != p && hi > lo, "list range has hi > lo");
		}
		FUZZ_CHECK(*e == ',' || *e == '\0', "list separator is ','");
		prev_hi = hi;
		p = *e ? e + 1 : e;
	}

	FUZZ_CHECK(strlen(mask) == (s->nbits + 3) / 4 +
				   ((s->nbits + 3) / 4 - 1) / 8,
		   "format_mask length is ceil(width/4) digits plus commas");
	fuzz_dirty(&t);
	FUZZ_CHECK(mq_cpuset_parse_mask(&t, mask, strlen(mask)) == MQ_PARSE_OK,
		   "format_mask output parses");
	FUZZ_CHECK(mq_cpuset_equal(s, &t), "format_mask round trip");
out:
	free(list);
	free(mask);
	mq_cpuset_fini(&t);
}

#endif /* MQTUNE_FUZZ_CPUSET_H */
