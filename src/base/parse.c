/*
 * parse.c - strict parsers for the kernel's scalar files and for
 * /proc/interrupts.
 *
 * sysfs and procfs values are machine-written, so anything that does not
 * look exactly like what the kernel prints is a sign of a wrong file, a
 * wrong kernel assumption or a corrupted read; it is rejected rather than
 * guessed at.  The parsers take a buffer and a length so that they can be
 * tested and fuzzed without files.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/parse.h"

size_t mq_chomp(const char *buf, size_t len)
{
	return len && buf[len - 1] == '\n' ? len - 1 : len;
}

/*
 * Unsigned decimal digits, nothing else.  The digits are all checked
 * before an overflow is reported, so "99999999999999999999x" is a syntax
 * error and not a range error.  *@out is written only on success.
 */
static int parse_magnitude(const char *buf, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	bool over = false;
	unsigned int d;
	size_t i;

	if (len == 0)
		return MQ_PARSE_SYNTAX;
	for (i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return MQ_PARSE_SYNTAX;
		d = (unsigned int)(buf[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (over)
		return MQ_PARSE_RANGE;
	*out = v;
	return MQ_PARSE_OK;
}

/*
 * A decimal integer, with a leading '-' allowed only when @max_neg is not
 * zero: its magnitude in *@mag and its sign in *@neg, stored only on
 * success.  Each result type passes its own limits, so the checks live in
 * one place.
 */
static int parse_int(const char *buf, size_t len, uint64_t max_pos,
		     uint64_t max_neg, uint64_t *mag, bool *neg)
{
	uint64_t v = 0;
	bool minus;
	int ret;

	len = mq_chomp(buf, len);
	minus = max_neg && len && buf[0] == '-';
	ret = parse_magnitude(buf + minus, len - minus, &v);
	if (!ret && v > (minus ? max_neg : max_pos))
		ret = MQ_PARSE_RANGE;
	if (!ret) {
		*mag = v;
		*neg = minus;
	}
	return ret;
}

/* -@mag for magnitudes up to 2^63, without overflowing on the way. */
static int64_t negate(uint64_t mag)
{
	return mag ? -(int64_t)(mag - 1) - 1 : 0;
}

/*
 * mq_parse_u64(), mq_parse_s64(), mq_parse_u32() and mq_parse_s32()
 * differ only in their result type and its limits.
 */
#define DEFINE_PARSE_INT(name, type, max_pos, max_neg)			\
int name(const char *buf, size_t len, type *out)			\
{									\
	uint64_t mag;							\
	bool neg;							\
	int ret = parse_int(buf, len, max_pos, max_neg, &mag, &neg);	\
									\
	if (!ret)							\
		*out = neg ? (type)negate(mag) : (type)mag;		\
	return ret;							\
}

DEFINE_PARSE_INT(mq_parse_u64, uint64_t, UINT64_MAX, 0)
DEFINE_PARSE_INT(mq_parse_s64, int64_t, INT64_MAX, (uint64_t)INT64_MAX + 1)
DEFINE_PARSE_INT(mq_parse_u32, uint32_t, UINT32_MAX, 0)
DEFINE_PARSE_INT(mq_parse_s32, int32_t, INT32_MAX, (uint64_t)INT32_MAX + 1)

/* --- /proc/interrupts --------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool all_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

bool mq_parse_pid_dir(const char *name, int *pid)
{
	size_t n = strlen(name);
	uint32_t v;

	if (!all_digits(name, n) || n > 9 || name[0] == '0' ||
	    mq_parse_u32(name, n, &v))
		return false;
	*pid = (int)v;
	return true;
}

/* A blank-separated token of [*pos, end): its length, 0 at the end. */
static size_t next_token(const char **pos, const char *end, const char **tok)
{
	const char *p = *pos;

	while (p < end && is_blank(*p))
		p++;
	*tok = p;
	while (p < end && !is_blank(*p))
		p++;
	*pos = p;
	return (size_t)(p - *tok);
}

/*
 * "CPU0       CPU1       CPU5": one column per online CPU, in
 * increasing order; numbers may have gaps where CPUs are offline.
 */
static int parse_header(const char *p, const char *end, unsigned int *ncols)
{
	const char *tok;
	uint32_t cpu, prev = 0;
	unsigned int count = 0;
	size_t n;

	while ((n = next_token(&p, end, &tok))) {
		if (n < 3 || memcmp(tok, "CPU", 3) ||
		    mq_parse_u32(tok + 3, n - 3, &cpu))
			return MQ_PARSE_SYNTAX;
		if (count && cpu <= prev)
			return MQ_PARSE_SYNTAX;
		prev = cpu;
		count++;
	}
	if (!count)
		return MQ_PARSE_SYNTAX;
	*ncols = count;
	return MQ_PARSE_OK;
}

/*
 * hwirq, alone ("27") or with the flow handler attached ("1-edge",
 * "9-fasteoi").  Flow handler names start with a letter, which keeps an
 * action name such as the I2C-style "2-0050" from passing for a hwirq on
 * kernels that print none.
 */
static bool is_hwirq(const char *tok, size_t n)
{
	size_t i = 0;

	while (i < n && tok[i] >= '0' && tok[i] <= '9')
		i++;
	if (i == 0)
		return false;
	return i == n || (tok[i] == '-' && i + 1 < n && is_alpha(tok[i + 1]));
}

/* CONFIG_GENERIC_IRQ_SHOW_LEVEL's trigger column. */
static bool is_trigger(const char *tok, size_t n)
{
	return (n == 5 && !memcmp(tok, "Level", 5)) ||
	       (n == 4 && !memcmp(tok, "Edge", 4));
}

/*
 * After the counts the kernel prints, depending on version and
 * architecture:
 *
 *	chip [hwirq[-flow]] [Level|Edge [-flow]]  name1, name2
 *	chip-flow  names			(old kernels: "PCI-MSI-edge")
 *
 * The chip is one token, the optional fields have recognisable shapes,
 * and everything after them is the action names, which may hold spaces
 * ("PCIe PME, pciehp").  Widths and padding differ between versions, so
 * the fields are recognised by shape rather than by column.
 *
 * Return: MQ_PARSE_OK with [*@names, *@names + *@nlen), or
 * MQ_PARSE_SYNTAX when the chip is a number: the row has more counts
 * than the header has CPUs.
 */
static int find_names(const char *p, const char *end, const char **names,
		      size_t *nlen)
{
	const char *tok;
	size_t n;

	*names = end;
	*nlen = 0;
	n = next_token(&p, end, &tok);
	if (n && all_digits(tok, n))
		return MQ_PARSE_SYNTAX;
	if (n)
		n = next_token(&p, end, &tok);
	if (n && is_hwirq(tok, n))
		n = next_token(&p, end, &tok);
	if (n && is_trigger(tok, n)) {
		n = next_token(&p, end, &tok);
		if (n && tok[0] == '-')
			n = next_token(&p, end, &tok);
	}
	if (!n)
		return MQ_PARSE_OK;
	while (end > tok && is_blank(end[-1]))
		end--;
	*names = tok;
	*nlen = (size_t)(end - tok);
	return MQ_PARSE_OK;
}

/*
 * One row after the header.  Sets *@numbered to false for a text-label
 * row ("NMI:", "ERR:"), which the caller skips; the counts of those are
 * not checked because ERR: and MIS: carry one value, not one per CPU.
 */
static int parse_row(const char *p, const char *end, unsigned int ncols,
		     bool *numbered, unsigned int *irq, const char **names,
		     size_t *nlen)
{
	const char *tok;
	unsigned int i;
	size_t n;

	n = next_token(&p, end, &tok);
	if (n < 2 || tok[n - 1] != ':')
		return MQ_PARSE_SYNTAX;
	*numbered = all_digits(tok, n - 1);
	if (!*numbered) {
		/* arch labels are names: NMI, LOC, IPI0, Err, s390's I/O */
		return is_alpha(tok[0]) ? MQ_PARSE_OK : MQ_PARSE_SYNTAX;
	}
	if (mq_parse_u32(tok, n - 1, irq))
		return MQ_PARSE_SYNTAX;
	for (i = 0; i < ncols; i++) {
		n = next_token(&p, end, &tok);
		if (!all_digits(tok, n))
			return MQ_PARSE_SYNTAX;
	}
	return find_names(p, end, names, nlen);
}

static int add_row(struct mq_interrupts *t, size_t *cap, unsigned int irq,
		   const char *names, size_t nlen)
{
	struct mq_interrupt_row *rows;
	char *copy;

	if (t->nr_rows == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		rows = realloc(t->rows, *cap * sizeof(*rows));
		if (!rows)
			return MQ_PARSE_NOMEM;
		t->rows = rows;
	}
	copy = malloc(nlen + 1);
	if (!copy)
		return MQ_PARSE_NOMEM;
	memcpy(copy, names, nlen);
	copy[nlen] = '\0';
	t->rows[t->nr_rows].irq = irq;
	t->rows[t->nr_rows].names = copy;
	t->nr_rows++;
	return MQ_PARSE_OK;
}

/*
 * One pass over the text, each line looked at once, so a 1024-CPU table
 * (rows of 11 KB) costs no more than its size.  The kernel prints the
 * numbered rows in increasing IRQ order; anything else is rejected, and
 * mq_interrupts_name() relies on it.
 */
int mq_parse_interrupts(const char *buf, size_t len, struct mq_interrupts *out,
			size_t *bad_line)
{
	const char *p = buf, *end = buf + len, *eol, *names = NULL;
	struct mq_interrupts t = { 0 };
	size_t line = 0, cap = 0, nlen = 0;
	unsigned int irq = 0;
	bool numbered = false, have_prev = false;
	unsigned int prev = 0;
	int ret = MQ_PARSE_OK;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		line = 1;
		ret = MQ_PARSE_SYNTAX;
	}
	while (!ret && p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		if (memchr(p, '\0', (size_t)(eol - p)))
			ret = MQ_PARSE_SYNTAX;
		else if (line == 1)
			ret = parse_header(p, eol, &t.nr_columns);
		else
			ret = parse_row(p, eol, t.nr_columns, &numbered, &irq,
					&names, &nlen);
		if (!ret && numbered) {
			if (have_prev && irq <= prev)
				ret = MQ_PARSE_SYNTAX;
			else
				ret = add_row(&t, &cap, irq, names, nlen);
			prev = irq;
			have_prev = true;
		}
		p = eol < end ? eol + 1 : end;
	}
	if (bad_line)
		*bad_line = ret ? line : 0;
	if (ret) {
		mq_interrupts_free(&t);
		return ret;
	}
	*out = t;
	return MQ_PARSE_OK;
}

void mq_interrupts_free(struct mq_interrupts *t)
{
	size_t i;

	for (i = 0; i < t->nr_rows; i++)
		free(t->rows[i].names);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

const char *mq_interrupts_name(const struct mq_interrupts *t, unsigned int irq)
{
	size_t lo = 0, hi = t->nr_rows, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->rows[mid].irq < irq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nr_rows && t->rows[lo].irq == irq)
		return t->rows[lo].names;
	/* A table assembled by hand (not parsed) may be out of order. */
	for (i = 0; i < t->nr_rows; i++)
		if (t->rows[i].irq == irq)
			return t->rows[i].names;
	return NULL;
}
