/*
 * fuzz_int.c - libFuzzer target for the decimal integer parsers
 * mq_parse_u64(), mq_parse_s64(), mq_parse_u32() and mq_parse_s32().
 *
 * The input is the text of a sysfs/procfs scalar.  Each parser's verdict
 * and value are compared with a small reference parser written from the
 * contract in parse.h (digits only, '-' only for the signed types, one
 * optional trailing newline, syntax errors before range errors); any
 * difference aborts.  mq_chomp() is checked on the way.
 */
#include "mqtune/parse.h"
#include "fuzz.h"

/*
 * Reference: MQ_PARSE_* and, on success, the magnitude and sign.  A
 * magnitude beyond 2^64-1 is MQ_PARSE_RANGE, once every byte is a digit.
 */
static int ref_parse(const char *buf, size_t len, bool allow_minus,
		     uint64_t *mag, bool *neg)
{
	size_t i = 0;
	uint64_t v = 0;
	bool huge = false;

	if (len && buf[len - 1] == '\n')
		len--;
	*neg = false;
	if (allow_minus && len && buf[0] == '-') {
		*neg = true;
		i = 1;
	}
	if (i == len)
		return MQ_PARSE_SYNTAX;
	for (; i < len; i++) {
		unsigned int d;

		if (buf[i] < '0' || buf[i] > '9')
			return MQ_PARSE_SYNTAX;
		d = (unsigned int)(buf[i] - '0');
		if (huge || v > UINT64_MAX / 10 || v * 10 > UINT64_MAX - d)
			huge = true;
		else
			v = v * 10 + d;
	}
	*mag = v;
	return huge ? MQ_PARSE_RANGE : MQ_PARSE_OK;
}

/* Expected verdict for a type with the given limits. */
static int ref_verdict(const char *buf, size_t len, uint64_t max_pos,
		       uint64_t max_neg, uint64_t *mag, bool *neg)
{
	int r = ref_parse(buf, len, max_neg != 0, mag, neg);

	if (r)
		return r;
	if (*mag > (*neg ? max_neg : max_pos))
		return MQ_PARSE_RANGE;
	return MQ_PARSE_OK;
}

/* The s64/s32 result @v agrees with the reference magnitude and sign. */
static bool same_signed(int64_t v, uint64_t mag, bool neg)
{
	if (neg)
		return v <= 0 && (uint64_t)0 - (uint64_t)v == mag;
	return v >= 0 && (uint64_t)v == mag;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	uint64_t mag, u64 = 0;
	int64_t s64 = 0;
	uint32_t u32 = 0;
	int32_t s32 = 0;
	bool neg;
	int r;

	if (!buf)
		return 0;
	FUZZ_CHECK(mq_chomp(buf, size) ==
		   (size && buf[size - 1] == '\n' ? size - 1 : size),
		   "mq_chomp strips exactly one trailing newline");

	r = mq_parse_u64(buf, size, &u64);
	FUZZ_CHECK(r == ref_verdict(buf, size, UINT64_MAX, 0, &mag, &neg),
		   "mq_parse_u64 verdict matches the reference");
	FUZZ_CHECK(r != MQ_PARSE_OK || u64 == mag,
		   "mq_parse_u64 value matches the reference");

	r = mq_parse_u32(buf, size, &u32);
	FUZZ_CHECK(r == ref_verdict(buf, size, UINT32_MAX, 0, &mag, &neg),
		   "mq_parse_u32 verdict matches the reference");
	FUZZ_CHECK(r != MQ_PARSE_OK || u32 == mag,
		   "mq_parse_u32 value matches the reference");

	r = mq_parse_s64(buf, size, &s64);
	FUZZ_CHECK(r == ref_verdict(buf, size, INT64_MAX,
				    (uint64_t)INT64_MAX + 1, &mag, &neg),
		   "mq_parse_s64 verdict matches the reference");
	FUZZ_CHECK(r != MQ_PARSE_OK || same_signed(s64, mag, neg),
		   "mq_parse_s64 value matches the reference");

	r = mq_parse_s32(buf, size, &s32);
	FUZZ_CHECK(r == ref_verdict(buf, size, INT32_MAX,
				    (uint64_t)INT32_MAX + 1, &mag, &neg),
		   "mq_parse_s32 verdict matches the reference");
	FUZZ_CHECK(r != MQ_PARSE_OK || same_signed(s32, mag, neg),
		   "mq_parse_s32 value matches the reference");

	free(buf);
	return 0;
}
