/*
 * fuzz_roundtrip.c - libFuzzer target for the CPU-set text round trips
 * (mq_cpuset_format_list / format_mask, then parse) and the set algebra
 * the planner builds on them.
 *
 * The input is binary: bytes 0-1 and 2-3 (little endian) give the
 * capacities of two sets A and B (see capacity(): half the values give
 * 1..512, where word edges are dense, the other half 2..65536), bytes 4-5
 * a mask width, and
 * every following 3 bytes a run "start (16 bits), length (8 bits)" set in
 * A and B alternately.  Checked, with abort on any difference:
 *   - format_list / format_mask(width = capacity) parse back to the same
 *     set (fuzz_check_roundtrip);
 *   - the list parses at the smallest capacity that holds it, and is out
 *     of range one CPU below that;
 *   - format_mask at any width parses back to the CPUs below that width;
 *   - equal, intersects, and, or, andnot, dup, set/clear/test beyond the
 *     capacity agree with a byte-per-CPU reference, for sets of different
 *     capacities.
 */
#include "fuzz_cpuset.h"

static uint8_t ref_a[MQ_CPUSET_MAX_BITS], ref_b[MQ_CPUSET_MAX_BITS];
static uint8_t ref_r[MQ_CPUSET_MAX_BITS];

static unsigned int le16(const uint8_t *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8;
}

/* Bit 15 set: 1..512 (every word edge); clear: 2..65536, even. */
static unsigned int capacity(unsigned int v)
{
	if (v & 0x8000)
		return 1 + (v & 0x7fff) % 512;
	return MQ_CPUSET_MAX_BITS - 2 * v;
}

/* CPU @c of a reference set of capacity @n (0 beyond it). */
static bool in(const uint8_t *ref, unsigned int n, unsigned int c)
{
	return c < n && ref[c];
}

static int highest(const struct mq_cpuset *s)
{
	int c, last = -1;

	for (c = mq_cpuset_next(s, 0); c >= 0;
	     c = mq_cpuset_next(s, (unsigned int)c + 1))
		last = c;
	return last;
}

/* The list of @s parses at capacity top+1 and is out of range at top. */
static void check_tight_capacity(const struct mq_cpuset *s)
{
	struct mq_cpuset t;
	int top = highest(s);
	char *list = mq_cpuset_format_list(s);

	if (!list || top < 0 || mq_cpuset_init(&t, (unsigned int)top + 1)) {
		free(list);
		return;
	}
	FUZZ_CHECK(mq_cpuset_parse_list(&t, list, strlen(list)) == MQ_PARSE_OK,
		   "list parses at capacity highest+1");
	FUZZ_CHECK(mq_cpuset_equal(s, &t), "list round trip at tight capacity");
	mq_cpuset_fini(&t);
	if (top > 0 && !mq_cpuset_init(&t, (unsigned int)top)) {
		FUZZ_CHECK(mq_cpuset_parse_list(&t, list, strlen(list)) ==
			   MQ_PARSE_RANGE, "list is out of range at highest");
		mq_cpuset_fini(&t);
	}
	free(list);
}

/* format_mask at @width parses (at @s's capacity) to @s's CPUs < width. */
static void check_mask_width(const struct mq_cpuset *s, const uint8_t *ref,
			     unsigned int width)
{
	struct mq_cpuset t;
	char *mask = mq_cpuset_format_mask(s, width);
	unsigned int c;

	if (!mask || mq_cpuset_init(&t, s->nbits)) {
		free(mask);
		return;
	}
	for (c = 0; c < s->nbits; c++)
		ref_r[c] = ref[c] && c < width;
	fuzz_dirty(&t);
	FUZZ_CHECK(mq_cpuset_parse_mask(&t, mask, strlen(mask)) == MQ_PARSE_OK,
		   "format_mask output at any width parses");
	fuzz_check_ref(&t, ref_r);
	mq_cpuset_fini(&t);
	free(mask);
}

/* One binary operation on a copy of A, against the reference. */
enum op { OP_AND, OP_OR, OP_ANDNOT };

static void check_op(const struct mq_cpuset *a, const struct mq_cpuset *b,
		     enum op op)
{
	struct mq_cpuset d;
	unsigned int c;

	if (mq_cpuset_dup(&d, a))
		return;
	FUZZ_CHECK(d.nbits == a->nbits && mq_cpuset_equal(&d, a),
		   "dup copies the set");
	for (c = 0; c < a->nbits; c++) {
		bool x = ref_a[c], y = in(ref_b, b->nbits, c);

		ref_r[c] = op == OP_AND ? x && y : op == OP_OR ? x || y : x && !y;
	}
	if (op == OP_AND)
		mq_cpuset_and(&d, b);
	else if (op == OP_OR)
		mq_cpuset_or(&d, b);
	else
		mq_cpuset_andnot(&d, b);
	fuzz_check_ref(&d, ref_r);
	mq_cpuset_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mq_cpuset a, b;
	unsigned int na, nb, width, c, max;
	bool eq = true, meet = false;
	size_t i, k;

	if (size < 6)
		return 0;
	na = capacity(le16(data));
	nb = capacity(le16(data + 2));
	width = le16(data + 4);
	if (mq_cpuset_init(&a, na))
		return 0;
	if (mq_cpuset_init(&b, nb)) {
		mq_cpuset_fini(&a);
		return 0;
	}
	memset(ref_a, 0, na);
	memset(ref_b, 0, nb);
	for (i = 6, k = 0; i + 3 <= size; i += 3, k++) {
		struct mq_cpuset *s = k % 2 ? &b : &a;
		uint8_t *ref = k % 2 ? ref_b : ref_a;
		unsigned int lo = le16(data + i) % s->nbits;
		unsigned int hi = lo + data[i + 2];

		if (hi >= s->nbits)
			hi = s->nbits - 1;
		for (c = lo; c <= hi; c++) {
			mq_cpuset_set(s, c);
			ref[c] = 1;
		}
	}
	/* out of range: ignored by set and clear, false for test */
	mq_cpuset_set(&a, na);
	mq_cpuset_set(&a, na + 64);
	mq_cpuset_clear(&a, na + 1);
	FUZZ_CHECK(!mq_cpuset_test(&a, na) && !mq_cpuset_test(&a, UINT32_MAX),
		   "test is false beyond the capacity");

	fuzz_check_ref(&a, ref_a);
	fuzz_check_ref(&b, ref_b);
	fuzz_check_roundtrip(&a);
	fuzz_check_roundtrip(&b);
	check_tight_capacity(&a);
	check_mask_width(&a, ref_a, width);
	check_mask_width(&a, ref_a, 0);
	/* wider than the capacity: leading zero groups */
	check_mask_width(&b, ref_b, nb + 1 + width % 100);

	max = na > nb ? na : nb;
	for (c = 0; c < max; c++) {
		eq &= in(ref_a, na, c) == in(ref_b, nb, c);
		meet |= in(ref_a, na, c) && in(ref_b, nb, c);
	}
	FUZZ_CHECK(mq_cpuset_equal(&a, &b) == eq, "equal matches the reference");
	FUZZ_CHECK(mq_cpuset_equal(&b, &a) == eq, "equal is symmetric");
	FUZZ_CHECK(mq_cpuset_intersects(&a, &b) == meet,
		   "intersects matches the reference");
	check_op(&a, &b, OP_AND);
	check_op(&a, &b, OP_OR);
	check_op(&a, &b, OP_ANDNOT);

	/* clear every CPU one by one: the set ends empty */
	for (c = 0; c < na; c++)
		if (ref_a[c])
			mq_cpuset_clear(&a, c);
	FUZZ_CHECK(mq_cpuset_empty(&a) && mq_cpuset_weight(&a) == 0,
		   "clearing every CPU empties the set");
	mq_cpuset_zero(&b);
	FUZZ_CHECK(mq_cpuset_empty(&b), "zero empties the set");

	mq_cpuset_fini(&a);
	mq_cpuset_fini(&b);
	mq_cpuset_fini(&b);	/* safe on an already freed set */
	return 0;
}
