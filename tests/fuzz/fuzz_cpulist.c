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
 * A number above 2^32-1 is an overflow for the kernel (-EOVERFLOW, before
 * any comparison): the list must be refused, but whether mqtune calls
 * that item a syntax or a range error is left open, unless the rest of
 * the text settles it (a malformed item, or a bad comparison between
 * numbers that fit, is a syntax error whatever else the list holds).
 */
#include "fuzz_cpuset.h"

/* Whether the last ref_list() verdict came from a number > UINT32_MAX. */
static bool ref_overflow;

/* Saturating decimal number at *@p; false when there is no digit. */
static bool ref_number(const char **p, const char *end, uint64_t *out)
{
	const char *start = *p;
	uint64_t v = 0;

	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
		unsigned int d = (unsigned int)(**p - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
	}
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

/*
 * The verdict, with the set in @ref when it is MQ_PARSE_OK.  When the list
 * has an overflow and no definite syntax error, the verdict is
 * MQ_PARSE_RANGE and ref_overflow tells the caller that MQ_PARSE_SYNTAX
 * is as good.
 */
static int ref_list(const char *buf, size_t len, unsigned int nbits,
		    uint8_t *ref)
{
	const char *p = buf, *end;
	uint64_t lo, hi, used, group;
	bool stride;
	int ret = MQ_PARSE_OK;

	ref_overflow = false;
	if (len && buf[len - 1] == '\n')
		len--;
	end = buf + len;
	memset(ref, 0, nbits);
	if (p == end)
		return MQ_PARSE_OK;
	for (;;) {
		/* the shape: C, A-B or A-B:U/G */
		if (!ref_number(&p, end, &lo))
			goto syntax;
		hi = lo;
		used = group = 1;
		stride = false;
		if (ref_eat(&p, end, '-')) {
			if (!ref_number(&p, end, &hi))
				goto syntax;
			if (ref_eat(&p, end, ':')) {
				if (!ref_number(&p, end, &used) ||
				    !ref_eat(&p, end, '/') ||
				    !ref_number(&p, end, &group))
					goto syntax;
				stride = true;
			}
		}
		/* the values */
		if (lo > UINT32_MAX || hi > UINT32_MAX ||
		    (stride && (used > UINT32_MAX || group > UINT32_MAX))) {
			ref_overflow = true;
			ret = MQ_PARSE_RANGE;
		} else if (hi < lo || group == 0 || used > group) {
			goto syntax;
		} else if (hi >= nbits) {
			ret = MQ_PARSE_RANGE;
		} else {
			ref_set(ref, lo, hi, used, group);
		}
		if (p == end)
			break;
		if (!ref_eat(&p, end, ','))
			goto syntax;
	}
	if (ret)
		memset(ref, 0, nbits);
	return ret;
syntax:
	ref_overflow = false;
	memset(ref, 0, nbits);
	return MQ_PARSE_SYNTAX;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	struct mq_cpuset s;
	size_t i;
	int r, want;
	bool ok;

	if (!buf)
		return 0;
	for (i = 0; i < FUZZ_NR_CAPS; i++) {
		if (mq_cpuset_init(&s, fuzz_caps[i]))
			break;
		fuzz_dirty(&s);
		r = mq_cpuset_parse_list(&s, buf, size);
		want = ref_list(buf, size, s.nbits, fuzz_ref);
		ok = r == want || (ref_overflow && r == MQ_PARSE_SYNTAX);
		if (!ok)
			fprintf(stderr, "capacity %u: mq_cpuset_parse_list gives %d, the reference %d%s\n",
				s.nbits, r, want,
				ref_overflow ? " (or -1: a number overflows)" : "");
		FUZZ_CHECK(ok, "verdict matches the reference");
		if (r == MQ_PARSE_OK) {
			fuzz_check_ref(&s, fuzz_ref);
			fuzz_check_roundtrip(&s);
		}
		mq_cpuset_fini(&s);
	}
	free(buf);
	return 0;
}
