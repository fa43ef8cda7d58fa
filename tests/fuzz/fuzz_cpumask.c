/*
 * fuzz_cpumask.c - libFuzzer target for mq_cpuset_parse_mask(), the
 * kernel's hex mask form ("ff,00000001": 32-bit groups, most significant
 * first, as in smp_affinity and local_cpus).
 *
 * The input is parsed at every capacity in fuzz_caps[] and compared with a
 * reference parser written from cpuset.h: comma-separated groups of 1-8
 * hex digits, any number of groups, one optional trailing newline; a set
 * bit at or beyond the capacity is a range error, a syntax error anywhere
 * wins.  The verdict and the set must match; an accepted set must survive
 * the list and mask round trips.
 */
#include "fuzz_cpuset.h"

static int ref_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int ref_mask(const char *buf, size_t len, unsigned int nbits,
		    uint8_t *ref)
{
	size_t ngroups = 1, g, i, start, digits;
	int ret = MQ_PARSE_OK;
	uint32_t v;

	if (len && buf[len - 1] == '\n')
		len--;
	memset(ref, 0, nbits);
	for (i = 0; i < len; i++)
		ngroups += buf[i] == ',';
	/* groups from the left: group g covers CPUs 32*(ngroups-1-g) + 0..31 */
	for (g = 0, start = 0; g < ngroups; g++) {
		uint64_t base = 32 * (uint64_t)(ngroups - 1 - g);

		v = 0;
		digits = 0;
		for (i = start; i < len && buf[i] != ','; i++, digits++) {
			int d = ref_hex(buf[i]);

			if (d < 0)
				goto syntax;
			v = v << 4 | (uint32_t)d;
		}
		if (digits == 0 || digits > 8)
			goto syntax;
		start = i + 1;
		for (unsigned int b = 0; b < 32; b++) {
			if (!(v >> b & 1))
				continue;
			if (base + b >= nbits)
				ret = MQ_PARSE_RANGE;
			else
				ref[base + b] = 1;
		}
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

	if (!buf)
		return 0;
	for (i = 0; i < FUZZ_NR_CAPS; i++) {
		if (mq_cpuset_init(&s, fuzz_caps[i]))
			break;
		fuzz_dirty(&s);
		r = mq_cpuset_parse_mask(&s, buf, size);
		want = ref_mask(buf, size, s.nbits, fuzz_ref);
		if (r != want)
			fprintf(stderr, "capacity %u: mq_cpuset_parse_mask gives %d, the reference %d\n",
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
