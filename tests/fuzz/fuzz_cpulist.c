/*
 * fuzz_cpulist.c - libFuzzer target for mq_cpuset_parse_list(), the
 * kernel's CPU list form ("0-3,8,10-11", also the stride form "0-15:2/4").
 *
 * The input is parsed at every capacity in fuzz_caps[] and compared with a
 * reference parser written from the kernel's bitmap_parselist() rules:
 * items "C", "A-B", "A-B:U/G" separated by single commas, one optional
 * trailing newline, A <= B, G > 0, U <= G; a syntax error anywhere wins
 * over a CPU beyond the capacity.  The verdict and the set must match;
 * an accepted set must survive the list and mask round trips.
 *
 * With MQ_FUZZ_SKIP_BIG=1 in the environment, inputs that hold a number of
 * BIG_NUMBER or more are not compared with the reference (the round trips
 * still run).  That is for fuzzing past a known finding: numbers that
 * large read inexactly (see tests/fuzz/regressions/cpulist/); make check
 * never sets it.
 */
#include "fuzz_cpuset.h"

/* From here on mq_cpuset_parse_list() stops reading digits exactly. */
#define BIG_NUMBER	(10u * MQ_CPUSET_MAX_BITS)

/* Whether the last ref_list() met a number >= BIG_NUMBER. */
static bool ref_big;

/* Saturating decimal number at *@p; false when there is no digit. */
static bool ref_number(const char **p, const char *end, uint64_t *out)
{
	const char *start = *p;
	uint64_t v = 0;

	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
		unsigned int d = (unsigned int)(**p - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
	}
	ref_big |= v >= BIG_NUMBER;
	*out = v;
	return *p != start;
}

static bool ref_eat(const char **p, const char *end, char c)
{
	if (*p < end && **p == c) {
		(*p)++;
		return true;
	}
	return false;
}

/* The kernel's loop: in every group of G CPUs from A, the first U, to B. */
static void ref_set(uint8_t *ref, uint64_t lo, uint64_t hi, uint64_t used,
		    uint64_t group)
{
	uint64_t start, n;

	for (start = lo; start <= hi; start += group) {
		n = hi - start + 1;
		if (n > used)
			n = used;
		memset(ref + start, 1, n);
		if (group > hi - start)
			break;
	}
}

static int ref_list(const char *buf, size_t len, unsigned int nbits,
		    uint8_t *ref)
{
	const char *p = buf, *end;
	uint64_t lo, hi, used, group;
	int ret = MQ_PARSE_OK;

	ref_big = false;
	if (len && buf[len - 1] == '\n')
		len--;
	end = buf + len;
	memset(ref, 0, nbits);
	if (p == end)
		return MQ_PARSE_OK;
	for (;;) {
		if (!ref_number(&p, end, &lo))
			goto syntax;
		hi = lo;
		used = group = 1;
		if (ref_eat(&p, end, '-')) {
			if (!ref_number(&p, end, &hi) || hi < lo)
				goto syntax;
			if (ref_eat(&p, end, ':')) {
				if (!ref_number(&p, end, &used) ||
				    !ref_eat(&p, end, '/') ||
				    !ref_number(&p, end, &group) ||
				    group == 0 || used > group)
					goto syntax;
			}
		}
		if (hi >= nbits)
			ret = MQ_PARSE_RANGE;
		else
			ref_set(ref, lo, hi, used, group);
		if (p == end)
			break;
		if (!ref_eat(&p, end, ','))
			goto syntax;
	}
	if (ret)
		memset(ref, 0, nbits);
	return ret;
syntax:
	memset(ref, 0, nbits);
	return MQ_PARSE_SYNTAX;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct mq_cpuset s;
	size_t i;
	int r, want;
	static int skip_big = -1;

	if (skip_big < 0) {
		const char *e = getenv("MQ_FUZZ_SKIP_BIG");

		skip_big = e && strcmp(e, "1") == 0;
	}
	if (!buf)
		return 0;
	for (i = 0; i < FUZZ_NR_CAPS; i++) {
		if (mq_cpuset_init(&s, fuzz_caps[i]))
			break;
		fuzz_dirty(&s);
		r = mq_cpuset_parse_list(&s, buf, size);
		want = ref_list(buf, size, s.nbits, fuzz_ref);
		if (skip_big && ref_big) {
			if (r == MQ_PARSE_OK)
				fuzz_check_roundtrip(&s);
			mq_cpuset_fini(&s);
			continue;
		}
		if (r != want)
			fprintf(stderr, "capacity %u: mq_cpuset_parse_list gives %d, the reference %d\n",
				s.nbits, r, want);
		FUZZ_CHECK(r == want, "verdict matches the reference");
		if (r == MQ_PARSE_OK) {
			fuzz_check_ref(&s, fuzz_ref);
			fuzz_check_roundtrip(&s);
		}
		mq_cpuset_fini(&s);
	}
	free(buf);
	return 0;
}
