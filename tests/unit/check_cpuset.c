/*
 * check_cpuset.c - unit tests for CPU sets and their list and mask forms.
 *
 * Hostile inputs come from tables run with tcase_add_loop_test; the
 * random round trips compare against a plain bool-array model so that a
 * word-level bug (shifts, last-word masks, skipped words) shows up as a
 * difference instead of being hidden by the code under test checking
 * itself.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/cpuset.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Input text with its length, so that embedded NUL bytes count. */
struct text {
	const char *s;
	size_t len;
};

#define TXT(lit) { (lit), sizeof(lit) - 1 }

static void init_or_die(struct mq_cpuset *s, unsigned int nbits)
{
	ck_assert_int_eq(mq_cpuset_init(s, nbits), 0);
	ck_assert_ptr_nonnull(s->words);
	ck_assert_uint_eq(s->nbits, nbits);
}

/* Format @s as a list and compare, freeing the string. */
static void assert_list(const struct mq_cpuset *s, const char *want)
{
	char *got = mq_cpuset_format_list(s);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

static void assert_mask(const struct mq_cpuset *s, unsigned int width,
			const char *want)
{
	char *got = mq_cpuset_format_mask(s, width);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
}

/* A small deterministic generator: tests must fail the same way twice. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* --- basics --------------------------------------------------------- */

START_TEST(test_init_bounds)
{
	struct mq_cpuset s;

	ck_assert_int_eq(mq_cpuset_init(&s, 0), -1);
	ck_assert_ptr_null(s.words);
	ck_assert_int_eq(mq_cpuset_init(&s, MQ_CPUSET_MAX_BITS + 1), -1);
	ck_assert_ptr_null(s.words);
	init_or_die(&s, 1);
	mq_cpuset_fini(&s);
	ck_assert_ptr_null(s.words);
	ck_assert_uint_eq(s.nbits, 0);
	mq_cpuset_fini(&s);	/* twice is fine */
	init_or_die(&s, MQ_CPUSET_MAX_BITS);
	ck_assert(mq_cpuset_empty(&s));
	mq_cpuset_fini(&s);
}
END_TEST

/* A zeroed (or finied) set behaves as an empty set of capacity 0. */
START_TEST(test_fini_zeroed)
{
	struct mq_cpuset s = { 0 }, other;
	char *text;

	init_or_die(&other, 10);
	mq_cpuset_set(&other, 3);
	mq_cpuset_fini(&s);
	mq_cpuset_zero(&s);
	mq_cpuset_set(&s, 0);
	mq_cpuset_or(&s, &other);
	mq_cpuset_and(&s, &other);
	ck_assert_ptr_null(s.words);
	ck_assert(mq_cpuset_empty(&s));
	ck_assert_uint_eq(mq_cpuset_weight(&s), 0);
	ck_assert_int_eq(mq_cpuset_next(&s, 0), -1);
	ck_assert(!mq_cpuset_intersects(&s, &other));
	ck_assert(!mq_cpuset_equal(&s, &other));
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "0", 1), MQ_PARSE_RANGE);
	text = mq_cpuset_format_list(&s);
	ck_assert_str_eq(text, "");
	free(text);
	mq_cpuset_fini(&other);
}
END_TEST

START_TEST(test_set_clear_test)
{
	struct mq_cpuset s;

	init_or_die(&s, 130);
	mq_cpuset_set(&s, 0);
	mq_cpuset_set(&s, 63);
	mq_cpuset_set(&s, 64);
	mq_cpuset_set(&s, 129);
	mq_cpuset_set(&s, 130);		/* beyond: ignored */
	mq_cpuset_set(&s, 100000);
	ck_assert(mq_cpuset_test(&s, 0));
	ck_assert(mq_cpuset_test(&s, 63));
	ck_assert(mq_cpuset_test(&s, 64));
	ck_assert(mq_cpuset_test(&s, 129));
	ck_assert(!mq_cpuset_test(&s, 1));
	ck_assert(!mq_cpuset_test(&s, 130));
	ck_assert(!mq_cpuset_test(&s, 4000000000u));
	ck_assert_uint_eq(mq_cpuset_weight(&s), 4);
	/* nothing leaked past the capacity into the last word */
	ck_assert_uint_eq(s.words[2] >> 2, 0);
	mq_cpuset_clear(&s, 63);
	mq_cpuset_clear(&s, 200);	/* ignored */
	ck_assert(!mq_cpuset_test(&s, 63));
	ck_assert_uint_eq(mq_cpuset_weight(&s), 3);
	ck_assert(!mq_cpuset_empty(&s));
	mq_cpuset_zero(&s);
	ck_assert(mq_cpuset_empty(&s));
	ck_assert_uint_eq(mq_cpuset_weight(&s), 0);
	mq_cpuset_fini(&s);
}
END_TEST

START_TEST(test_dup)
{
	struct mq_cpuset a, b;

	init_or_die(&a, 200);
	mq_cpuset_set(&a, 7);
	mq_cpuset_set(&a, 199);
	ck_assert_int_eq(mq_cpuset_dup(&b, &a), 0);
	ck_assert_uint_eq(b.nbits, 200);
	ck_assert_ptr_ne(a.words, b.words);
	ck_assert(mq_cpuset_equal(&a, &b));
	mq_cpuset_clear(&a, 7);
	ck_assert(mq_cpuset_test(&b, 7));	/* a deep copy */
	mq_cpuset_fini(&a);
	mq_cpuset_fini(&b);
}
END_TEST

START_TEST(test_equal_capacities)
{
	struct mq_cpuset a, b;

	init_or_die(&a, 64);
	init_or_die(&b, 1000);
	ck_assert(mq_cpuset_equal(&a, &b));
	mq_cpuset_set(&a, 3);
	ck_assert(!mq_cpuset_equal(&a, &b));
	mq_cpuset_set(&b, 3);
	ck_assert(mq_cpuset_equal(&a, &b));
	ck_assert(mq_cpuset_equal(&b, &a));
	mq_cpuset_set(&b, 900);
	ck_assert(!mq_cpuset_equal(&a, &b));
	ck_assert(!mq_cpuset_equal(&b, &a));
	mq_cpuset_fini(&a);
	mq_cpuset_fini(&b);
}
END_TEST

START_TEST(test_next)
{
	struct mq_cpuset s;

	init_or_die(&s, 8192);
	ck_assert_int_eq(mq_cpuset_next(&s, 0), -1);
	mq_cpuset_set(&s, 8191);
	ck_assert_int_eq(mq_cpuset_next(&s, 0), 8191);
	ck_assert_int_eq(mq_cpuset_next(&s, 8191), 8191);
	ck_assert_int_eq(mq_cpuset_next(&s, 8192), -1);
	ck_assert_int_eq(mq_cpuset_next(&s, 4000000000u), -1);
	mq_cpuset_set(&s, 70);
	mq_cpuset_set(&s, 65);
	ck_assert_int_eq(mq_cpuset_next(&s, 0), 65);
	ck_assert_int_eq(mq_cpuset_next(&s, 65), 65);
	ck_assert_int_eq(mq_cpuset_next(&s, 66), 70);	/* mid-word */
	ck_assert_int_eq(mq_cpuset_next(&s, 71), 8191);
	mq_cpuset_fini(&s);

	/* capacity not a multiple of 64 */
	init_or_die(&s, 65);
	mq_cpuset_set(&s, 64);
	ck_assert_int_eq(mq_cpuset_next(&s, 1), 64);
	ck_assert_int_eq(mq_cpuset_next(&s, 65), -1);
	mq_cpuset_fini(&s);
}
END_TEST

START_TEST(test_set_ops)
{
	struct mq_cpuset small, big, t;

	init_or_die(&small, 70);
	init_or_die(&big, 300);
	mq_cpuset_set(&small, 1);
	mq_cpuset_set(&small, 69);
	mq_cpuset_set(&big, 69);
	mq_cpuset_set(&big, 2);
	mq_cpuset_set(&big, 70);	/* past small's capacity */
	mq_cpuset_set(&big, 299);

	ck_assert(mq_cpuset_intersects(&small, &big));
	ck_assert(mq_cpuset_intersects(&big, &small));

	ck_assert_int_eq(mq_cpuset_dup(&t, &small), 0);
	mq_cpuset_or(&t, &big);
	assert_list(&t, "1-2,69");	/* 70 and 299 do not fit */
	ck_assert_uint_eq(mq_cpuset_weight(&t), 3);
	mq_cpuset_fini(&t);

	ck_assert_int_eq(mq_cpuset_dup(&t, &big), 0);
	mq_cpuset_or(&t, &small);
	assert_list(&t, "1-2,69-70,299");
	mq_cpuset_and(&t, &small);
	assert_list(&t, "1,69");	/* words small lacks are cleared */
	mq_cpuset_fini(&t);

	ck_assert_int_eq(mq_cpuset_dup(&t, &big), 0);
	mq_cpuset_andnot(&t, &small);
	assert_list(&t, "2,70,299");
	mq_cpuset_fini(&t);

	ck_assert_int_eq(mq_cpuset_dup(&t, &small), 0);
	mq_cpuset_andnot(&t, &big);
	assert_list(&t, "1");
	ck_assert(!mq_cpuset_intersects(&t, &big));
	mq_cpuset_fini(&t);

	mq_cpuset_fini(&small);
	mq_cpuset_fini(&big);
}
END_TEST

/* --- parsing -------------------------------------------------------- */

typedef int (*parse_fn)(struct mq_cpuset *s, const char *buf, size_t len);

#define LIST(lit, nbits, ...)	{ mq_cpuset_parse_list, TXT(lit), nbits, __VA_ARGS__ }
#define MASK(lit, nbits, ...)	{ mq_cpuset_parse_mask, TXT(lit), nbits, __VA_ARGS__ }

/* Accepted text, and the set it gives in canonical list form. */
static const struct parse_ok {
	parse_fn parse;
	struct text in;
	unsigned int nbits;
	const char *list;
} parse_ok[] = {
	LIST("", 8, ""),
	LIST("\n", 8, ""),
	LIST("0", 1, "0"),
	LIST("5\n", 8, "5"),
	LIST("0-3,8-11,64", 65, "0-3,8-11,64"),
	LIST("0-3,8-11,64\n", 128, "0-3,8-11,64"),
	LIST("007", 8, "7"),
	LIST("0-0", 4, "0"),
	LIST("3,1,2,0", 4, "0-3"),
	LIST("0-5,2-9", 16, "0-9"),
	LIST("63-64", 65, "63-64"),
	LIST("0-65535", 65536, "0-65535"),
	LIST("65535", 65536, "65535"),
	LIST("0-7:2/4", 8, "0-1,4-5"),
	LIST("0-9:3/4", 16, "0-2,4-6,8-9"),
	LIST("1-10:1/3", 16, "1,4,7,10"),
	LIST("0-7:4/4", 8, "0-7"),
	LIST("0-7:0/4", 8, ""),
	LIST("0-127:1/64,5", 128, "0,5,64"),
	MASK("0", 8, ""),
	MASK("00000000", 8, ""),
	MASK("0\n", 8, ""),
	MASK("1", 8, "0"),
	MASK("1\n", 1, "0"),
	MASK("f", 4, "0-3"),
	MASK("F", 4, "0-3"),
	MASK("aBcD", 16, "0,2-3,6-9,11,13,15"),
	MASK("fff", 12, "0-11"),
	MASK("0000,00000001", 48, "0"),
	MASK("ff,00000001", 40, "0,32-39"),
	MASK("80000000,00000000", 64, "63"),
	MASK("1,00000000,00000000", 65, "64"),
	MASK("1,1,1", 65, "0,32,64"),
	MASK("00000010,00000000,00000000,00000000", 128, "100"),
	MASK("00000000,00000000,00000000,00000001", 8, "0"),	/* old NR_CPUS width */
	MASK("ffffffff,ffffffff", 64, "0-63"),
	MASK("0,0,0,0,0,0,0,0,0,0,8", 4, "3"),
};

START_TEST(test_parse_ok)
{
	const struct parse_ok *c = &parse_ok[_i];
	struct mq_cpuset s;

	init_or_die(&s, c->nbits);
	mq_cpuset_set(&s, 0);	/* parsing must clear first */
	ck_assert_msg(c->parse(&s, c->in.s, c->in.len) == MQ_PARSE_OK,
		      "case %d '%s' rejected", _i, c->in.s);
	assert_list(&s, c->list);
	mq_cpuset_fini(&s);
}
END_TEST

static const struct parse_bad {
	parse_fn parse;
	struct text in;
	unsigned int nbits;
	int ret;
} parse_bad[] = {
	LIST("0-", 8, MQ_PARSE_SYNTAX),
	LIST("-1", 8, MQ_PARSE_SYNTAX),
	LIST("3-1", 8, MQ_PARSE_SYNTAX),
	LIST(",", 8, MQ_PARSE_SYNTAX),
	LIST("1,,2", 8, MQ_PARSE_SYNTAX),
	LIST("1,", 8, MQ_PARSE_SYNTAX),
	LIST(",1", 8, MQ_PARSE_SYNTAX),
	LIST("1 ", 8, MQ_PARSE_SYNTAX),
	LIST(" 1", 8, MQ_PARSE_SYNTAX),
	LIST("1, 2", 8, MQ_PARSE_SYNTAX),
	LIST("\t1", 8, MQ_PARSE_SYNTAX),
	LIST("1\r\n", 8, MQ_PARSE_SYNTAX),
	LIST("a", 8, MQ_PARSE_SYNTAX),
	LIST("0x1", 8, MQ_PARSE_SYNTAX),
	LIST("+1", 8, MQ_PARSE_SYNTAX),
	LIST("1-+2", 8, MQ_PARSE_SYNTAX),
	LIST("1-2-3", 8, MQ_PARSE_SYNTAX),
	LIST("1\n\n", 8, MQ_PARSE_SYNTAX),
	LIST("\n1", 8, MQ_PARSE_SYNTAX),
	LIST("\n\n", 8, MQ_PARSE_SYNTAX),
	LIST("1\0" "2", 8, MQ_PARSE_SYNTAX),
	LIST("1\0", 8, MQ_PARSE_SYNTAX),
	LIST("\0", 8, MQ_PARSE_SYNTAX),
	LIST("0-7:5/4", 8, MQ_PARSE_SYNTAX),	/* used > group */
	LIST("0-7:1/0", 8, MQ_PARSE_SYNTAX),	/* group 0 */
	LIST("0-7:2", 8, MQ_PARSE_SYNTAX),
	LIST("0-7/2", 8, MQ_PARSE_SYNTAX),
	LIST("0-7:/2", 8, MQ_PARSE_SYNTAX),
	LIST("0-7:2/", 8, MQ_PARSE_SYNTAX),
	LIST("3:1/2", 8, MQ_PARSE_SYNTAX),	/* a stride needs a range */
	LIST("0-7:1/2:1/2", 8, MQ_PARSE_SYNTAX),
	LIST("N", 8, MQ_PARSE_SYNTAX),
	LIST("99999999999999999999", 8, MQ_PARSE_RANGE),
	LIST("99999999999999999999", MQ_CPUSET_MAX_BITS, MQ_PARSE_RANGE),
	LIST("4294967296", MQ_CPUSET_MAX_BITS, MQ_PARSE_RANGE),	/* no wrap */
	LIST("65536", MQ_CPUSET_MAX_BITS, MQ_PARSE_RANGE),
	LIST("8", 8, MQ_PARSE_RANGE),
	LIST("0-8", 8, MQ_PARSE_RANGE),
	LIST("64", 64, MQ_PARSE_RANGE),
	LIST("1,64\n", 64, MQ_PARSE_RANGE),
	LIST("0-9:1/8", 8, MQ_PARSE_RANGE),
	/* a syntax error anywhere wins over a range error before it */
	LIST("99,a", 8, MQ_PARSE_SYNTAX),
	LIST("99999999999999999999-", 8, MQ_PARSE_SYNTAX),
	MASK("", 8, MQ_PARSE_SYNTAX),
	MASK("\n", 8, MQ_PARSE_SYNTAX),
	MASK("\n\n", 8, MQ_PARSE_SYNTAX),
	MASK("1\n\n", 8, MQ_PARSE_SYNTAX),
	MASK("0x1", 8, MQ_PARSE_SYNTAX),
	MASK("1,,2", 64, MQ_PARSE_SYNTAX),
	MASK(",1", 64, MQ_PARSE_SYNTAX),
	MASK("1,", 64, MQ_PARSE_SYNTAX),
	MASK(",", 64, MQ_PARSE_SYNTAX),
	MASK("123456789", 64, MQ_PARSE_SYNTAX),	/* 9 digits */
	MASK("000000000,1", 64, MQ_PARSE_SYNTAX),
	MASK("g", 8, MQ_PARSE_SYNTAX),
	MASK(" 1", 8, MQ_PARSE_SYNTAX),
	MASK("1 ", 8, MQ_PARSE_SYNTAX),
	MASK("1, 2", 64, MQ_PARSE_SYNTAX),
	MASK("-1", 8, MQ_PARSE_SYNTAX),
	MASK("+1", 8, MQ_PARSE_SYNTAX),
	MASK("1\0", 8, MQ_PARSE_SYNTAX),
	MASK("\0" "1", 8, MQ_PARSE_SYNTAX),
	MASK("1\r", 8, MQ_PARSE_SYNTAX),
	MASK("10", 4, MQ_PARSE_RANGE),		/* CPU 4 of 4 */
	MASK("1f", 4, MQ_PARSE_RANGE),
	MASK("1,00000000", 32, MQ_PARSE_RANGE),
	MASK("1,00000000", 1, MQ_PARSE_RANGE),
	MASK("2,00000000,00000000", 65, MQ_PARSE_RANGE),
	MASK("80000000,00000000,00000000", 65, MQ_PARSE_RANGE),
	/* syntax is checked to the end even after a range error */
	MASK("x,ffffffff", 4, MQ_PARSE_SYNTAX),
};

START_TEST(test_parse_bad)
{
	const struct parse_bad *c = &parse_bad[_i];
	struct mq_cpuset s;

	init_or_die(&s, c->nbits);
	mq_cpuset_set(&s, 0);
	ck_assert_msg(c->parse(&s, c->in.s, c->in.len) == c->ret,
		      "case %d ('%s') did not give %d", _i, c->in.s, c->ret);
	ck_assert(mq_cpuset_empty(&s));		/* left empty on failure */
	mq_cpuset_fini(&s);
}
END_TEST

/* The length, not a NUL, ends the input: text after it is not read. */
START_TEST(test_list_length_bound)
{
	struct mq_cpuset s;

	init_or_die(&s, 16);
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "1-3garbage", 3), MQ_PARSE_OK);
	assert_list(&s, "1-3");
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "1-3garbage", 2), MQ_PARSE_SYNTAX);
	mq_cpuset_fini(&s);
}
END_TEST

/* A mask of @bits bits (zeros) with CPU @cpu set, in kernel form. */
static char *long_mask(unsigned int bits, unsigned int cpu)
{
	struct mq_cpuset tmp;
	char *m;

	/* format through a temporary set wide enough to hold every bit */
	if (bits > MQ_CPUSET_MAX_BITS) {
		size_t groups = (bits + 31) / 32, i, g = cpu / 32;
		char *p;

		m = malloc(groups * 9);
		ck_assert_ptr_nonnull(m);
		p = m;
		for (i = groups; i-- > 0;) {
			p += sprintf(p, "%08x%s", i == g ? 1u << (cpu % 32) : 0u,
				     i ? "," : "");
		}
		return m;
	}
	init_or_die(&tmp, bits);
	mq_cpuset_set(&tmp, cpu);
	m = mq_cpuset_format_mask(&tmp, bits);
	ck_assert_ptr_nonnull(m);
	mq_cpuset_fini(&tmp);
	return m;
}

START_TEST(test_mask_huge)
{
	struct mq_cpuset s;
	char *m;

	init_or_die(&s, MQ_CPUSET_MAX_BITS);
	/* 70000 bits, beyond any kernel: zeros past the capacity are fine */
	m = long_mask(70000, 5);
	ck_assert_uint_eq(strlen(m), 2188 * 9 - 1);
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_OK);
	assert_list(&s, "5");
	free(m);

	m = long_mask(70000, 69999);
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_RANGE);
	ck_assert(mq_cpuset_empty(&s));
	free(m);

	m = long_mask(70000, MQ_CPUSET_MAX_BITS);	/* first CPU too far */
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_RANGE);
	free(m);

	m = long_mask(MQ_CPUSET_MAX_BITS, MQ_CPUSET_MAX_BITS - 1);
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_OK);
	assert_list(&s, "65535");
	free(m);
	mq_cpuset_fini(&s);

	/* an 8192-CPU mask read into an 8192-CPU set, and into a smaller one */
	init_or_die(&s, 8192);
	m = long_mask(8200, 8191);
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_OK);
	ck_assert_int_eq(mq_cpuset_next(&s, 0), 8191);
	free(m);
	mq_cpuset_fini(&s);
	init_or_die(&s, 8191);
	m = long_mask(8192, 8191);
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_RANGE);
	free(m);
	mq_cpuset_fini(&s);
}
END_TEST

START_TEST(test_mask_all_ones_8192)
{
	struct mq_cpuset s;
	char *m = malloc(256 * 9), *p = m;
	int i;

	ck_assert_ptr_nonnull(m);
	for (i = 0; i < 256; i++)
		p += sprintf(p, "%sffffffff", i ? "," : "");
	init_or_die(&s, 8192);
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_OK);
	ck_assert_uint_eq(mq_cpuset_weight(&s), 8192);
	assert_list(&s, "0-8191");
	mq_cpuset_fini(&s);
	/* one CPU fewer: the top bit does not fit */
	init_or_die(&s, 8191);
	ck_assert_int_eq(mq_cpuset_parse_mask(&s, m, strlen(m)), MQ_PARSE_RANGE);
	mq_cpuset_fini(&s);
	free(m);
}
END_TEST

/* --- formatting ----------------------------------------------------- */

static const struct mask_fmt {
	unsigned int nbits, width;
	const char *list;	/* the set, parsed with parse_list */
	const char *mask;
} mask_fmt[] = {
	{ 4, 4, "0-3", "f" },
	{ 4, 4, "", "0" },
	{ 12, 12, "0", "001" },
	{ 12, 12, "0-11", "fff" },
	{ 48, 48, "0", "0000,00000001" },
	{ 128, 128, "100", "00000010,00000000,00000000,00000000" },
	{ 1, 1, "0", "1" },
	{ 1, 0, "0", "0" },		/* at least one digit */
	{ 8, 1, "0-7", "1" },		/* bits past the width are not printed */
	{ 8, 6, "0-7", "3f" },
	{ 32, 32, "0-31", "ffffffff" },
	{ 33, 33, "32", "1,00000000" },
	{ 64, 64, "63", "80000000,00000000" },
	{ 64, 72, "63", "00,80000000,00000000" },	/* wider than the set */
	{ 65, 65, "0,64", "1,00000000,00000001" },
	{ 36, 36, "35", "8,00000000" },
	{ 40, 40, "0-39", "ff,ffffffff" },
};

START_TEST(test_mask_format)
{
	const struct mask_fmt *c = &mask_fmt[_i];
	struct mq_cpuset s;

	init_or_die(&s, c->nbits);
	ck_assert_int_eq(mq_cpuset_parse_list(&s, c->list, strlen(c->list)),
			 MQ_PARSE_OK);
	assert_mask(&s, c->width, c->mask);
	mq_cpuset_fini(&s);
}
END_TEST

START_TEST(test_list_format_worst_case)
{
	struct mq_cpuset s;
	char *want, *p, *got;
	unsigned int i;

	/* every other CPU: the longest list there is for 65536 CPUs */
	init_or_die(&s, MQ_CPUSET_MAX_BITS);
	want = malloc(400000);
	ck_assert_ptr_nonnull(want);
	p = want;
	*p = '\0';
	for (i = 0; i < MQ_CPUSET_MAX_BITS; i += 2) {
		mq_cpuset_set(&s, i);
		p += sprintf(p, "%s%u", i ? "," : "", i);
	}
	got = mq_cpuset_format_list(&s);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);

	/* runs of exactly two */
	p = want;
	mq_cpuset_zero(&s);
	for (i = 0; i + 1 < MQ_CPUSET_MAX_BITS; i += 3) {
		mq_cpuset_set(&s, i);
		mq_cpuset_set(&s, i + 1);
		p += sprintf(p, "%s%u-%u", i ? "," : "", i, i + 1);
	}
	got = mq_cpuset_format_list(&s);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	mq_cpuset_fini(&s);
}
END_TEST

START_TEST(test_list_format_edges)
{
	struct mq_cpuset s;

	init_or_die(&s, 200);
	assert_list(&s, "");
	mq_cpuset_set(&s, 199);
	assert_list(&s, "199");
	mq_cpuset_set(&s, 63);
	mq_cpuset_set(&s, 64);
	mq_cpuset_set(&s, 128);
	mq_cpuset_set(&s, 127);
	assert_list(&s, "63-64,127-128,199");
	mq_cpuset_fini(&s);
	init_or_die(&s, 64);
	mq_cpuset_set(&s, 63);
	assert_list(&s, "63");	/* a run that ends at the capacity */
	mq_cpuset_fini(&s);
}
END_TEST

/* --- random round trips against a bool-array model ------------------ */

static const unsigned int trip_bits[] = { 1, 63, 64, 65, 127, 1024, 8192, 65536 };

/* Fill @s and @model with a random set; density varies with @round. */
static void random_set(struct mq_cpuset *s, bool *model, unsigned int round)
{
	unsigned int i, shift = round % 7;
	bool run = false;

	mq_cpuset_zero(s);
	for (i = 0; i < s->nbits; i++) {
		/* runs and isolated CPUs both, so lists get "a-b" and "n" */
		if (rng() % 16 == 0)
			run = !run;
		model[i] = run || (rng() >> shift) % 8 == 0;
		if (model[i])
			mq_cpuset_set(s, i);
	}
}

/*
 * Compare @s with @model through test(), weight() and a walk with next().
 * Mismatches are counted and asserted once: an assertion per CPU would
 * cost a message to the test runner each time.
 */
static void assert_model(const struct mq_cpuset *s, const bool *model)
{
	unsigned int i, w = 0, bad = 0, walked = 0;
	int cpu, prev = -1;

	for (i = 0; i < s->nbits; i++) {
		bad += mq_cpuset_test(s, i) != model[i];
		w += model[i];
	}
	ck_assert_msg(bad == 0, "%u CPUs differ from the model", bad);
	ck_assert_uint_eq(mq_cpuset_weight(s), w);
	/* next() visits exactly the model's CPUs, in order */
	for (cpu = mq_cpuset_next(s, 0); cpu >= 0;
	     cpu = mq_cpuset_next(s, (unsigned int)cpu + 1)) {
		for (i = (unsigned int)(prev + 1); i < (unsigned int)cpu; i++)
			bad += model[i];
		bad += cpu <= prev || !model[cpu];
		prev = cpu;
		walked++;
	}
	ck_assert_msg(bad == 0, "next() skipped or invented %u CPUs", bad);
	ck_assert_uint_eq(walked, w);
}

START_TEST(test_round_trip)
{
	unsigned int nbits = trip_bits[_i], round;
	struct mq_cpuset s, from_list, from_mask;
	bool *model = calloc(nbits, sizeof(*model));
	char *list, *mask;

	ck_assert_ptr_nonnull(model);
	rng_state = 0x9e3779b97f4a7c15ull ^ nbits;
	init_or_die(&s, nbits);
	init_or_die(&from_list, nbits);
	init_or_die(&from_mask, nbits);
	for (round = 0; round < 12; round++) {
		random_set(&s, model, round);
		assert_model(&s, model);
		list = mq_cpuset_format_list(&s);
		mask = mq_cpuset_format_mask(&s, nbits);
		ck_assert_ptr_nonnull(list);
		ck_assert_ptr_nonnull(mask);
		ck_assert_uint_eq(strlen(mask), (nbits + 3) / 4 + ((nbits + 3) / 4 - 1) / 8);
		ck_assert_int_eq(mq_cpuset_parse_list(&from_list, list, strlen(list)),
				 MQ_PARSE_OK);
		ck_assert_int_eq(mq_cpuset_parse_mask(&from_mask, mask, strlen(mask)),
				 MQ_PARSE_OK);
		assert_model(&from_list, model);
		/* the two forms agree on the same set */
		ck_assert(mq_cpuset_equal(&from_list, &from_mask));
		ck_assert(mq_cpuset_equal(&s, &from_mask));
		free(list);
		free(mask);
	}
	mq_cpuset_fini(&s);
	mq_cpuset_fini(&from_list);
	mq_cpuset_fini(&from_mask);
	free(model);
}
END_TEST

/* Set operations against the model, on sets of two capacities. */
START_TEST(test_ops_model)
{
	unsigned int na = trip_bits[_i], nb = trip_bits[(_i + 3) % ARRAY_SIZE(trip_bits)];
	unsigned int i, round;
	bool *ma = calloc(na, 1), *mb = calloc(nb, 1), *mr = calloc(na, 1);
	struct mq_cpuset a, b, r;
	bool any;

	ck_assert(ma && mb && mr);
	rng_state = 0x2545f4914f6cdd1dull + na * 31 + nb;
	init_or_die(&a, na);
	init_or_die(&b, nb);
	for (round = 0; round < 6; round++) {
		random_set(&a, ma, round);
		random_set(&b, mb, round + 3);

		any = false;
		for (i = 0; i < na && i < nb; i++)
			any |= ma[i] && mb[i];
		ck_assert_int_eq(mq_cpuset_intersects(&a, &b), any);

		ck_assert_int_eq(mq_cpuset_dup(&r, &a), 0);
		mq_cpuset_and(&r, &b);
		for (i = 0; i < na; i++)
			mr[i] = ma[i] && i < nb && mb[i];
		assert_model(&r, mr);
		mq_cpuset_fini(&r);

		ck_assert_int_eq(mq_cpuset_dup(&r, &a), 0);
		mq_cpuset_or(&r, &b);
		for (i = 0; i < na; i++)
			mr[i] = ma[i] || (i < nb && mb[i]);
		assert_model(&r, mr);
		mq_cpuset_fini(&r);

		ck_assert_int_eq(mq_cpuset_dup(&r, &a), 0);
		mq_cpuset_andnot(&r, &b);
		for (i = 0; i < na; i++)
			mr[i] = ma[i] && !(i < nb && mb[i]);
		assert_model(&r, mr);
		mq_cpuset_fini(&r);
	}
	mq_cpuset_fini(&a);
	mq_cpuset_fini(&b);
	free(ma);
	free(mb);
	free(mr);
}
END_TEST

/*
 * Parse "lo-hi:used/group" into @s and count the CPUs that differ from a
 * direct reading of the definition; -1 if the text is rejected.
 */
static int stride_errors(struct mq_cpuset *s, unsigned int lo, unsigned int hi,
			 unsigned int used, unsigned int group)
{
	unsigned int i;
	char buf[64];
	int bad = 0;

	snprintf(buf, sizeof(buf), "%u-%u:%u/%u", lo, hi, used, group);
	if (mq_cpuset_parse_list(s, buf, strlen(buf)) != MQ_PARSE_OK)
		return -1;
	for (i = 0; i < s->nbits; i++)
		bad += mq_cpuset_test(s, i) !=
		       (i >= lo && i <= hi && (i - lo) % group < used);
	return bad;
}

START_TEST(test_stride_model)
{
	struct mq_cpuset s;
	unsigned int lo, hi, used, group, cases = 0, bad = 0;

	init_or_die(&s, 100);
	for (lo = 0; lo < 12; lo += 5)
		for (hi = lo; hi < 100; hi += 17)
			for (group = 1; group < 9; group++)
				for (used = 0; used <= group; used++) {
					bad += stride_errors(&s, lo, hi, used, group) != 0;
					cases++;
				}
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_gt(cases, 500);
	mq_cpuset_fini(&s);
}
END_TEST

/* Thousands of sparse sets on a big machine: next() must skip words. */
START_TEST(test_sparse_many)
{
	struct mq_cpuset s;
	unsigned int n, found, bad = 0;
	int cpu;

	init_or_die(&s, MQ_CPUSET_MAX_BITS);
	for (n = 0; n < 4000; n++) {
		mq_cpuset_zero(&s);
		mq_cpuset_set(&s, (n * 7919u) % MQ_CPUSET_MAX_BITS);
		mq_cpuset_set(&s, MQ_CPUSET_MAX_BITS - 1);
		found = 0;
		for (cpu = mq_cpuset_next(&s, 0); cpu >= 0;
		     cpu = mq_cpuset_next(&s, (unsigned int)cpu + 1))
			found++;
		bad += found != mq_cpuset_weight(&s) || found < 1 || found > 2;
	}
	ck_assert_uint_eq(bad, 0);
	mq_cpuset_fini(&s);
}
END_TEST

/* Inputs the cpulist fuzzer found (tests/fuzz/regressions/cpulist/). */
START_TEST(test_fuzz_regressions_cpulist)
{
	struct mq_cpuset s = { 0 };

	ck_assert_int_eq(mq_cpuset_init(&s, 8192), 0);
	/* numbers past any capacity are a range error, not a reversed range */
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "619955-955955", 13),
			 MQ_PARSE_RANGE);
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "955955-619955", 13),
			 MQ_PARSE_SYNTAX);
	/* used > group is refused however large the numbers */
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "0-63:7000000/1000000\n", 21),
			 MQ_PARSE_SYNTAX);
	/* a group larger than the range: only its first "used" CPUs */
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "0-5:1000000/7000000\n", 20),
			 MQ_PARSE_OK);
	ck_assert_uint_eq(mq_cpuset_weight(&s), 6);
	/* stride numbers are unsigned ints in the kernel (EOVERFLOW past) */
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "2-9:1/99999999999999999999", 26),
			 MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "0-5:0/7000700006\n", 17),
			 MQ_PARSE_SYNTAX);
	ck_assert_int_eq(mq_cpuset_parse_list(&s, "2-9:1/4294967295", 16),
			 MQ_PARSE_OK);
	ck_assert_uint_eq(mq_cpuset_weight(&s), 1);
	ck_assert(mq_cpuset_test(&s, 2));
	mq_cpuset_fini(&s);
}
END_TEST

/*
 * What the kernel prints for %*pbl of a NULL mask (nohz_full without
 * nohz_full=): "(null)" right-justified to nr_cpu_ids, cut at PAGE_SIZE-1
 * (sysfs_emit) or PAGE_SIZE-3 (scnprintf(PAGE_SIZE-2), before 5.10).
 * Returns a malloc'd buffer and its length in *@len.
 */
static char *kernel_null_text(unsigned int nr_cpu_ids, size_t page_cut,
			      size_t *len)
{
	size_t pad = nr_cpu_ids > 6 ? nr_cpu_ids - 6 : 0;
	size_t full = pad + 7;
	char *buf = malloc(full + 1);

	ck_assert_ptr_nonnull(buf);
	memset(buf, ' ', pad);
	memcpy(buf + pad, "(null)\n", 8);
	*len = full < page_cut ? full : page_cut;
	buf[*len] = '\0';
	return buf;
}

static const struct {
	unsigned int cpus;
	size_t cut;
} null_cases[] = {
	{ 1, 4095 }, { 2, 4095 }, { 6, 4095 }, { 7, 4095 }, { 8, 4095 },
	{ 64, 4095 }, { 1024, 4095 }, { 4094, 4095 }, { 4095, 4095 },
	{ 4096, 4095 }, { 4100, 4095 }, { 4101, 4095 }, { 8192, 4095 },
	{ 4096, 4093 }, { 64, 4093 },
};

START_TEST(test_null_text)
{
	size_t len;
	char *buf = kernel_null_text(null_cases[_i].cpus, null_cases[_i].cut,
				     &len);
	struct mq_cpuset s;

	ck_assert_msg(mq_cpuset_text_is_null(buf, len),
		      "%u CPUs, cut %zu: padded (null) of %zu bytes refused",
		      null_cases[_i].cpus, null_cases[_i].cut, len);
	/* The list parser itself stays strict: it is not a list. */
	ck_assert_int_eq(mq_cpuset_init(&s, null_cases[_i].cpus), 0);
	ck_assert_int_eq(mq_cpuset_parse_list(&s, buf, len), MQ_PARSE_SYNTAX);
	mq_cpuset_fini(&s);
	free(buf);
}
END_TEST

START_TEST(test_null_text_bad)
{
	static const char *const bad[] = {
		"", "\n", " ", "   \n", "(nul)\n", "(null", "x(null)\n",
		"(null) \n", "(null)\n\n", "\t(null)\n", "(NULL)\n",
		"null\n", "0 (null)\n", "(null),1\n", " (null)x\n",
		"(efault)\n",
	};
	size_t i, len;
	char *buf;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(!mq_cpuset_text_is_null(bad[i], strlen(bad[i])),
			      "'%s' taken for (null)", bad[i]);
	/* Cut-short forms only count when the page really was full. */
	buf = kernel_null_text(4096, 4095, &len);
	ck_assert(!mq_cpuset_text_is_null(buf + 100, len - 100));
	buf[len - 1] = 'x';
	ck_assert(!mq_cpuset_text_is_null(buf, len));
	free(buf);
}
END_TEST

/*
 * mq_cpuset_print_list: the same text as mq_cpuset_format_list when it
 * fits (length returned), a NUL-terminated prefix and @cap when it does
 * not, at every capacity around the length; an empty set is "".
 */
START_TEST(test_print_list_bounded)
{
	struct mq_cpuset s;
	char buf[64], *full;
	size_t len, cap;

	init_or_die(&s, 1024);
	ck_assert_uint_eq(mq_cpuset_print_list(&s, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(mq_cpuset_print_list(&s, buf, 0), 0);
	mq_cpuset_set(&s, 0);
	mq_cpuset_set(&s, 2);
	mq_cpuset_set(&s, 3);
	mq_cpuset_set(&s, 4);
	mq_cpuset_set(&s, 100);
	mq_cpuset_set(&s, 1022);
	mq_cpuset_set(&s, 1023);
	full = mq_cpuset_format_list(&s);
	ck_assert_ptr_nonnull(full);
	ck_assert_str_eq(full, "0,2-4,100,1022-1023");
	len = strlen(full);
	for (cap = 1; cap <= len + 2; cap++) {
		size_t n;

		memset(buf, 'x', sizeof(buf));
		n = mq_cpuset_print_list(&s, buf, cap);
		if (cap > len) {
			ck_assert_uint_eq(n, len);
			ck_assert_str_eq(buf, full);
		} else {
			ck_assert_uint_eq(n, cap);
			ck_assert_uint_eq(strlen(buf), cap - 1);
			ck_assert_int_eq(strncmp(buf, full, cap - 1), 0);
		}
	}
	free(full);
	mq_cpuset_fini(&s);
}
END_TEST

Suite *cpuset_suite(void);

Suite *cpuset_suite(void)
{
	Suite *s = suite_create("cpuset");
	TCase *tc;

	tc = tcase_create("basics");
	tcase_add_test(tc, test_fuzz_regressions_cpulist);
	tcase_add_test(tc, test_init_bounds);
	tcase_add_test(tc, test_fini_zeroed);
	tcase_add_test(tc, test_set_clear_test);
	tcase_add_test(tc, test_dup);
	tcase_add_test(tc, test_equal_capacities);
	tcase_add_test(tc, test_next);
	tcase_add_test(tc, test_set_ops);
	tcase_add_test(tc, test_sparse_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("list");
	tcase_add_loop_test(tc, test_parse_ok, 0, ARRAY_SIZE(parse_ok));
	tcase_add_loop_test(tc, test_parse_bad, 0, ARRAY_SIZE(parse_bad));
	tcase_add_test(tc, test_list_length_bound);
	tcase_add_test(tc, test_list_format_edges);
	tcase_add_test(tc, test_list_format_worst_case);
	tcase_add_test(tc, test_stride_model);
	tcase_add_loop_test(tc, test_null_text, 0, ARRAY_SIZE(null_cases));
	tcase_add_test(tc, test_null_text_bad);
	suite_add_tcase(s, tc);

	tc = tcase_create("mask");
	tcase_add_loop_test(tc, test_mask_format, 0, ARRAY_SIZE(mask_fmt));
	tcase_add_test(tc, test_mask_huge);
	tcase_add_test(tc, test_mask_all_ones_8192);
	tcase_add_test(tc, test_print_list_bounded);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_round_trip, 0, ARRAY_SIZE(trip_bits));
	tcase_add_loop_test(tc, test_ops_model, 0, ARRAY_SIZE(trip_bits));
	suite_add_tcase(s, tc);
	return s;
}
