/*
 * cpuset.c - CPU sets sized at run time, and the kernel's list and
 * hex-mask text forms.
 *
 * A set is a plain array of 64-bit words sized for the machine's
 * nr_cpu_ids, so the same code serves a 4-CPU VM and a 65536-CPU kernel.
 * Bits at or beyond the capacity are kept zero at all times: weight,
 * equality and the scans below rely on it instead of masking every word.
 * Everything that walks a set works a word at a time, because mqtune
 * handles thousands of sets on machines with 1024 CPUs and more.
 */
#include <stdlib.h>
#include <string.h>

#include "mqtune/cpuset.h"

#define WORD_BITS	64u
#define ALL_ONES	(~UINT64_C(0))

static size_t nr_words(unsigned int nbits)
{
	return ((size_t)nbits + WORD_BITS - 1) / WORD_BITS;
}

/* The bits of the last word that lie inside the capacity. */
static uint64_t last_word_mask(unsigned int nbits)
{
	unsigned int rem = nbits % WORD_BITS;

	return rem ? (UINT64_C(1) << rem) - 1 : ALL_ONES;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int mq_cpuset_init(struct mq_cpuset *s, unsigned int nbits)
{
	s->nbits = 0;
	s->words = NULL;
	if (nbits == 0 || nbits > MQ_CPUSET_MAX_BITS)
		return -1;
	s->words = calloc(nr_words(nbits), sizeof(*s->words));
	if (!s->words)
		return -1;
	s->nbits = nbits;
	return 0;
}

void mq_cpuset_fini(struct mq_cpuset *s)
{
	free(s->words);
	s->words = NULL;
	s->nbits = 0;
}

int mq_cpuset_dup(struct mq_cpuset *dst, const struct mq_cpuset *src)
{
	if (mq_cpuset_init(dst, src->nbits))
		return -1;
	memcpy(dst->words, src->words, nr_words(src->nbits) * sizeof(*src->words));
	return 0;
}

void mq_cpuset_zero(struct mq_cpuset *s)
{
	if (s->words)
		memset(s->words, 0, nr_words(s->nbits) * sizeof(*s->words));
}

void mq_cpuset_set(struct mq_cpuset *s, unsigned int cpu)
{
	if (cpu < s->nbits)
		s->words[cpu / WORD_BITS] |= UINT64_C(1) << (cpu % WORD_BITS);
}

void mq_cpuset_clear(struct mq_cpuset *s, unsigned int cpu)
{
	if (cpu < s->nbits)
		s->words[cpu / WORD_BITS] &= ~(UINT64_C(1) << (cpu % WORD_BITS));
}

bool mq_cpuset_test(const struct mq_cpuset *s, unsigned int cpu)
{
	if (cpu >= s->nbits)
		return false;
	return (s->words[cpu / WORD_BITS] >> (cpu % WORD_BITS)) & 1;
}

unsigned int mq_cpuset_weight(const struct mq_cpuset *s)
{
	size_t i, n = nr_words(s->nbits);
	unsigned int w = 0;

	for (i = 0; i < n; i++)
		w += (unsigned int)__builtin_popcountll(s->words[i]);
	return w;
}

/* true if every word from @from on is zero */
static bool zero_from(const struct mq_cpuset *s, size_t from)
{
	size_t i, n = nr_words(s->nbits);

	for (i = from; i < n; i++)
		if (s->words[i])
			return false;
	return true;
}

bool mq_cpuset_empty(const struct mq_cpuset *s)
{
	return zero_from(s, 0);
}

bool mq_cpuset_equal(const struct mq_cpuset *a, const struct mq_cpuset *b)
{
	size_t i, n = min_size(nr_words(a->nbits), nr_words(b->nbits));

	for (i = 0; i < n; i++)
		if (a->words[i] != b->words[i])
			return false;
	/* Capacities may differ; the longer set must hold nothing more. */
	return zero_from(a, n) && zero_from(b, n);
}

/*
 * First bit >= @from that is set (@flip 0) or clear (@flip all ones), or
 * nbits when there is none.  Whole words that cannot match are skipped.
 * Searching for a clear bit, the always-zero bits past the capacity
 * match, and the first of them is bit nbits itself: "none" again.
 */
static unsigned int find_bit(const struct mq_cpuset *s, unsigned int from,
			     uint64_t flip)
{
	size_t i, n = nr_words(s->nbits);
	uint64_t w;

	if (from >= s->nbits)
		return s->nbits;
	i = from / WORD_BITS;
	w = (s->words[i] ^ flip) & (ALL_ONES << (from % WORD_BITS));
	while (!w) {
		if (++i >= n)
			return s->nbits;
		w = s->words[i] ^ flip;
	}
	return (unsigned int)(i * WORD_BITS) + (unsigned int)__builtin_ctzll(w);
}

int mq_cpuset_next(const struct mq_cpuset *s, unsigned int from)
{
	unsigned int cpu = find_bit(s, from, 0);

	return cpu < s->nbits ? (int)cpu : -1;
}

void mq_cpuset_and(struct mq_cpuset *dst, const struct mq_cpuset *src)
{
	size_t i, n = nr_words(dst->nbits), ns = nr_words(src->nbits);

	for (i = 0; i < n; i++)
		dst->words[i] &= i < ns ? src->words[i] : 0;
}

void mq_cpuset_or(struct mq_cpuset *dst, const struct mq_cpuset *src)
{
	size_t i, n = nr_words(dst->nbits);
	size_t common = min_size(n, nr_words(src->nbits));

	for (i = 0; i < common; i++)
		dst->words[i] |= src->words[i];
	/* A larger src must not leak bits past dst's capacity. */
	if (n)
		dst->words[n - 1] &= last_word_mask(dst->nbits);
}

void mq_cpuset_andnot(struct mq_cpuset *dst, const struct mq_cpuset *src)
{
	size_t i, n = min_size(nr_words(dst->nbits), nr_words(src->nbits));

	for (i = 0; i < n; i++)
		dst->words[i] &= ~src->words[i];
}

bool mq_cpuset_intersects(const struct mq_cpuset *a, const struct mq_cpuset *b)
{
	size_t i, n = min_size(nr_words(a->nbits), nr_words(b->nbits));

	for (i = 0; i < n; i++)
		if (a->words[i] & b->words[i])
			return true;
	return false;
}

/* Set CPUs @lo..@hi inclusive; both are below the capacity. */
static void set_range(struct mq_cpuset *s, unsigned int lo, unsigned int hi)
{
	size_t i, first = lo / WORD_BITS, last = hi / WORD_BITS;
	uint64_t lo_mask = ALL_ONES << (lo % WORD_BITS);
	uint64_t hi_mask = ALL_ONES >> (WORD_BITS - 1 - hi % WORD_BITS);

	if (first == last) {
		s->words[first] |= lo_mask & hi_mask;
		return;
	}
	s->words[first] |= lo_mask;
	for (i = first + 1; i < last; i++)
		s->words[i] = ALL_ONES;
	s->words[last] |= hi_mask;
}

static size_t chomp(const char *buf, size_t len)
{
	return len && buf[len - 1] == '\n' ? len - 1 : len;
}

/*
 * Read a decimal number at *@p.  The value saturates just above the
 * largest capacity, so a huge number reads as "out of range" rather than
 * wrapping to a small, valid-looking CPU.
 */
/*
 * A decimal number, exact up to 18 digits and saturating beyond, so that
 * numbers far past any capacity still compare correctly ("619955-955955"
 * is a range error, not a reversed range).
 */
static int read_uint(const char **p, const char *end, uint64_t *out)
{
	const char *start = *p;
	uint64_t v = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		v = v < UINT64_MAX / 10 - 9 ? v * 10 + (uint64_t)(**p - '0')
					    : UINT64_MAX;
		(*p)++;
	}
	if (*p == start)
		return MQ_PARSE_SYNTAX;
	*out = v;
	return MQ_PARSE_OK;
}

/* Consume @c at *@p if it is there. */
static bool eat(const char **p, const char *end, char c)
{
	if (*p < end && **p == c) {
		(*p)++;
		return true;
	}
	return false;
}

/*
 * One list element: "C", "A-B" or the kernel's stride form "A-B:U/G"
 * (in every group of G CPUs from A, the first U, up to B).
 */
struct list_item {
	uint64_t lo, hi, used, group;
};

static int read_item(const char **p, const char *end, struct list_item *it)
{
	if (read_uint(p, end, &it->lo))
		return MQ_PARSE_SYNTAX;
	it->hi = it->lo;
	it->used = it->group = 1;
	if (!eat(p, end, '-'))
		return MQ_PARSE_OK;
	if (read_uint(p, end, &it->hi) || it->hi < it->lo)
		return MQ_PARSE_SYNTAX;
	if (!eat(p, end, ':'))
		return MQ_PARSE_OK;
	if (read_uint(p, end, &it->used) || !eat(p, end, '/') ||
	    read_uint(p, end, &it->group))
		return MQ_PARSE_SYNTAX;
	/* The kernel's own checks in bitmap_parselist(): the stride numbers
	 * are unsigned ints (EOVERFLOW past that), group non-zero. */
	if (it->used > UINT32_MAX || it->group > UINT32_MAX ||
	    it->group == 0 || it->used > it->group)
		return MQ_PARSE_SYNTAX;
	return MQ_PARSE_OK;
}

/* Only called with it->hi below the capacity (so below 2^32). */
static void set_item(struct mq_cpuset *s, const struct list_item *it)
{
	uint64_t start, n;

	if (it->used == it->group) {
		set_range(s, (unsigned int)it->lo, (unsigned int)it->hi);
		return;
	}
	for (start = it->lo;; start += it->group) {
		n = it->hi - start + 1;
		if (n > it->used)
			n = it->used;
		if (n)
			set_range(s, (unsigned int)start,
				  (unsigned int)(start + n - 1));
		if (it->group > it->hi - start)	/* the next group is past hi */
			break;
	}
}

int mq_cpuset_parse_list(struct mq_cpuset *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + chomp(buf, len);
	int ret = MQ_PARSE_OK;
	struct list_item it;

	mq_cpuset_zero(s);
	if (p == end)
		return MQ_PARSE_OK;
	/*
	 * Parse to the end even after a range error, so that text which is
	 * not a list at all is always reported as a syntax error.
	 */
	for (;;) {
		if (read_item(&p, end, &it)) {
			ret = MQ_PARSE_SYNTAX;
			break;
		}
		if (it.hi >= s->nbits)
			ret = MQ_PARSE_RANGE;
		else
			set_item(s, &it);
		if (p == end)
			break;
		if (!eat(&p, end, ',')) {
			ret = MQ_PARSE_SYNTAX;
			break;
		}
	}
	if (ret)
		mq_cpuset_zero(s);
	return ret;
}

bool mq_cpuset_text_is_null(const char *buf, size_t len)
{
	static const char null[] = "(null)";
	size_t n = chomp(buf, len), i = 0, rest;
	bool cut = n == len && len >= MQ_NULL_CUT_LEN;

	while (i < n && buf[i] == ' ')
		i++;
	rest = n - i;
	if (rest == sizeof(null) - 1 && memcmp(buf + i, null, rest) == 0)
		return true;
	/* Cut short by the sysfs page: spaces, then a prefix of "(null)". */
	return cut && rest < sizeof(null) - 1 && memcmp(buf + i, null, rest) == 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A 32-bit group of 1-8 hex digits. */
static int read_group(const char *p, const char *end, uint32_t *out)
{
	uint32_t v = 0;
	int d;

	if (p == end || end - p > 8)
		return MQ_PARSE_SYNTAX;
	for (; p < end; p++) {
		d = hex_value(*p);
		if (d < 0)
			return MQ_PARSE_SYNTAX;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return MQ_PARSE_OK;
}

/* Whether @bits, to be or'ed into word @w, lie inside the capacity. */
static bool bits_fit(const struct mq_cpuset *s, size_t w, uint64_t bits)
{
	size_t n = nr_words(s->nbits);

	if (w >= n)
		return !bits;
	return w < n - 1 || !(bits & ~last_word_mask(s->nbits));
}

/*
 * The groups are read from the right, where group 0 (CPUs 0-31) is, so
 * each group's position is known without counting the commas first.
 */
int mq_cpuset_parse_mask(struct mq_cpuset *s, const char *buf, size_t len)
{
	const char *end = buf + chomp(buf, len), *start;
	size_t group = 0, w;
	uint64_t bits;
	uint32_t v;
	int ret = MQ_PARSE_OK;

	mq_cpuset_zero(s);
	for (;;) {
		start = end;
		while (start > buf && start[-1] != ',')
			start--;
		if (read_group(start, end, &v)) {
			ret = MQ_PARSE_SYNTAX;
			break;
		}
		w = group / 2;
		bits = (uint64_t)v << (group % 2 * 32);
		if (!bits_fit(s, w, bits))
			ret = MQ_PARSE_RANGE;
		else if (bits)
			s->words[w] |= bits;
		if (start == buf)
			break;
		end = start - 1;	/* skip the comma */
		group++;
	}
	if (ret)
		mq_cpuset_zero(s);
	return ret;
}

static unsigned int decimal_digits(unsigned int v)
{
	unsigned int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

/*
 * Append the decimal digits of @v at @p; returns the new end.  The hot
 * loops below format thousands of lists and masks on a large machine, so
 * no printf: digits are produced backwards into a small buffer.
 */
static char *put_uint(char *p, unsigned int v)
{
	char tmp[10], *t = tmp + sizeof(tmp);

	do {
		*--t = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(p, t, (size_t)(tmp + sizeof(tmp) - t));
	return p + (tmp + sizeof(tmp) - t);
}

char *mq_cpuset_format_list(const struct mq_cpuset *s)
{
	/*
	 * Each CPU in the set costs at most one number and one separator:
	 * a lone CPU is ",C", a run of two or more is ",A-B".
	 */
	size_t per_cpu = decimal_digits(s->nbits ? s->nbits - 1 : 0) + 1;
	size_t cap = (size_t)mq_cpuset_weight(s) * per_cpu + 1;
	char *out = malloc(cap), *p = out;
	unsigned int lo, hi;

	if (!out)
		return NULL;
	for (lo = find_bit(s, 0, 0); lo < s->nbits; lo = find_bit(s, hi + 1, 0)) {
		hi = find_bit(s, lo, ALL_ONES) - 1;
		if (p != out)
			*p++ = ',';
		p = put_uint(p, lo);
		if (hi > lo) {
			*p++ = '-';
			p = put_uint(p, hi);
		}
	}
	*p = '\0';
	/* The bound above is for the worst case; most lists are ranges.
	 * Thousands of them are kept at once, so give the rest back. */
	if ((size_t)(p - out) + 1 < cap) {
		char *fit = realloc(out, (size_t)(p - out) + 1);

		if (fit)
			out = fit;
	}
	return out;
}

size_t mq_cpuset_print_list(const struct mq_cpuset *s, char *buf, size_t cap)
{
	unsigned int lo, hi;
	size_t len = 0;

	if (!cap)
		return 0;
	for (lo = find_bit(s, 0, 0); lo < s->nbits; lo = find_bit(s, hi + 1, 0)) {
		char item[24], *p = item;
		size_t n;

		hi = find_bit(s, lo, ALL_ONES) - 1;
		if (len)
			*p++ = ',';
		p = put_uint(p, lo);
		if (hi > lo) {
			*p++ = '-';
			p = put_uint(p, hi);
		}
		n = (size_t)(p - item);
		if (len + n >= cap) {	/* the part that fits, then stop */
			memcpy(buf + len, item, cap - 1 - len);
			buf[cap - 1] = '\0';
			return cap;
		}
		memcpy(buf + len, item, n);
		len += n;
	}
	buf[len] = '\0';
	return len;
}

/*
 * The 32-bit group @g (CPUs 32g .. 32g+31) of @s, limited to the first
 * @width bits.
 */
static uint32_t group32(const struct mq_cpuset *s, size_t g, size_t width)
{
	size_t bit = g * 32, w = bit / WORD_BITS;
	uint32_t v;

	if (w >= nr_words(s->nbits) || bit >= width)
		return 0;
	v = (uint32_t)(s->words[w] >> (bit % WORD_BITS));
	if (width - bit < 32)
		v &= (UINT32_C(1) << (width - bit)) - 1;
	return v;
}

char *mq_cpuset_format_mask(const struct mq_cpuset *s, unsigned int width)
{
	static const char hex[] = "0123456789abcdef";
	size_t ndig = width ? ((size_t)width + 3) / 4 : 1;
	size_t len = ndig + (ndig - 1) / 8, ngroups = (ndig + 7) / 8, g;
	char *out = malloc(len + 1), *p;

	if (!out)
		return NULL;
	p = out + len;
	*p = '\0';
	/* Whole groups of 8 digits from the right, the first one narrower. */
	for (g = 0; g < ngroups; g++) {
		uint32_t v = group32(s, g, width);
		size_t k, n = g + 1 < ngroups ? 8 : ndig - 8 * g;

		if (g)
			*--p = ',';
		for (k = 0; k < n; k++, v >>= 4)
			*--p = hex[v & 0xf];
	}
	return out;
}
