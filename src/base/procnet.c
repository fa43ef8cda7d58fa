/*
 * procnet.c - pure parsers of the networking counter files `doctor`
 * reads (procnet.h).  No I/O: each takes the text and its length.
 */
#include "mqtune/procnet.h"

#include <stdlib.h>
#include <string.h>

#include "mqtune/parse.h"

/* One line of the input: [s, s + n), without its newline. */
struct line {
	const char *s;
	size_t n;
};

/*
 * The next line at *@pos; false at the end.  A last line without a
 * newline counts; an empty input has no lines.
 */
static bool next_line(const char *buf, size_t len, size_t *pos,
		      struct line *l)
{
	const char *nl;

	if (*pos >= len)
		return false;
	l->s = buf + *pos;
	nl = memchr(l->s, '\n', len - *pos);
	l->n = nl ? (size_t)(nl - l->s) : len - *pos;
	*pos += l->n + (nl ? 1 : 0);
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next blank-separated token of @l at *@i; false when none is left. */
static bool next_tok(const struct line *l, size_t *i, struct line *tok)
{
	while (*i < l->n && is_blank(l->s[*i]))
		(*i)++;
	if (*i >= l->n)
		return false;
	tok->s = l->s + *i;
	while (*i < l->n && !is_blank(l->s[*i]))
		(*i)++;
	tok->n = (size_t)(l->s + *i - tok->s);
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1 to 16 hexadecimal digits. */
static int parse_hex(const struct line *t, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (t->n == 0 || t->n > 16)
		return -1;
	for (i = 0; i < t->n; i++) {
		int h = hexval(t->s[i]);

		if (h < 0)
			return -1;
		v = v << 4 | (uint64_t)h;
	}
	*out = v;
	return 0;
}

static int parse_dec(const struct line *t, uint64_t *out)
{
	return mq_parse_u64(t->s, t->n, out) == MQ_PARSE_OK &&
	       t->n > 0 && t->s[t->n - 1] != '\n' ? 0 : -1;
}

static int fail_at(size_t *bad_line, size_t line, int code)
{
	if (bad_line)
		*bad_line = line;
	return code;
}

static void set_ok(size_t *bad_line)
{
	if (bad_line)
		*bad_line = 0;
}

/* --- softnet_stat ---------------------------------------------------- */

#define SOFTNET_MAX_COLS 64

void mq_softnet_free(struct mq_softnet *s)
{
	free(s->rows);
	memset(s, 0, sizeof(*s));
}

int mq_parse_softnet(const char *buf, size_t len, struct mq_softnet *out,
		     size_t *bad_line)
{
	size_t pos = 0, lineno = 0, cap = 0;
	struct line l;

	memset(out, 0, sizeof(*out));
	if (memchr(buf, '\0', len))
		return fail_at(bad_line, 1, MQ_PARSE_SYNTAX);
	while (next_line(buf, len, &pos, &l)) {
		uint64_t col[SOFTNET_MAX_COLS];
		unsigned int n = 0;
		struct mq_softnet_row *row;
		struct line tok;
		size_t i = 0;

		lineno++;
		while (next_tok(&l, &i, &tok)) {
			if (n == SOFTNET_MAX_COLS || parse_hex(&tok, &col[n]))
				goto bad;
			n++;
		}
		if (n < 9 || (out->nr_rows && n != out->nr_columns))
			goto bad;
		if (!out->nr_rows) {
			out->nr_columns = n;
			out->cpu_known = n >= 13;
		}
		if (out->cpu_known) {
			if (col[12] > UINT32_MAX)
				goto bad;
			if (out->nr_rows &&
			    col[12] <= out->rows[out->nr_rows - 1].cpu)
				goto bad;
		}
		if (out->nr_rows == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *p = realloc(out->rows, ncap * sizeof(*out->rows));

			if (!p) {
				mq_softnet_free(out);
				return fail_at(bad_line, lineno, MQ_PARSE_NOMEM);
			}
			out->rows = p;
			cap = ncap;
		}
		row = &out->rows[out->nr_rows];
		memset(row, 0, sizeof(*row));
		row->cpu = out->cpu_known ? (unsigned int)col[12] :
			   (unsigned int)out->nr_rows;
		row->processed = col[0];
		row->dropped = col[1];
		row->time_squeeze = col[2];
		if (n > 9)
			row->received_rps = col[9];
		if (n > 10)
			row->flow_limit = col[10];
		out->nr_rows++;
	}
	if (!out->nr_rows)
		return fail_at(bad_line, 1, MQ_PARSE_SYNTAX);
	set_ok(bad_line);
	return MQ_PARSE_OK;
bad:
	mq_softnet_free(out);
	return fail_at(bad_line, lineno, MQ_PARSE_SYNTAX);
}

const struct mq_softnet_row *mq_softnet_cpu(const struct mq_softnet *s,
					    unsigned int cpu)
{
	size_t lo = 0, hi = s->nr_rows;

	if (!s->cpu_known)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->rows[mid].cpu == cpu)
			return &s->rows[mid];
		if (s->rows[mid].cpu < cpu)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* --- CPU headers (/proc/softirqs, /proc/interrupts) ------------------- */

/*
 * A header of "CPUn" tokens, ids strictly increasing; *@cpus malloc'd.
 * 0 or -1 (syntax), -2 (memory).
 */
static int parse_cpu_header(const struct line *l, unsigned int **cpus,
			    unsigned int *nr)
{
	size_t i = 0, cap = 0;
	struct line tok;

	*cpus = NULL;
	*nr = 0;
	while (next_tok(l, &i, &tok)) {
		uint32_t id;

		if (tok.n < 4 || memcmp(tok.s, "CPU", 3) ||
		    mq_parse_u32(tok.s + 3, tok.n - 3, &id) != MQ_PARSE_OK ||
		    tok.s[tok.n - 1] == '\n' ||
		    (*nr && id <= (*cpus)[*nr - 1]))
			goto bad;
		if (*nr == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *p = realloc(*cpus, ncap * sizeof(**cpus));

			if (!p) {
				free(*cpus);
				*cpus = NULL;
				*nr = 0;
				return -2;
			}
			*cpus = p;
			cap = ncap;
		}
		(*cpus)[(*nr)++] = id;
	}
	if (*nr)
		return 0;
bad:
	free(*cpus);
	*cpus = NULL;
	*nr = 0;
	return -1;
}

/* --- softirqs -------------------------------------------------------- */

void mq_softirqs_free(struct mq_softirqs *s)
{
	free(s->cpus);
	free(s->net_rx);
	free(s->net_tx);
	memset(s, 0, sizeof(*s));
}

/*
 * The first line of a per-CPU table (softirqs, interrupts): its "CPUn"
 * header, after which *@pos is the second line.  0, or the MQ_PARSE_*
 * code with *@bad_line 1 (a NUL byte anywhere, no line, a bad header).
 */
static int read_cpu_header(const char *buf, size_t len, size_t *pos,
			   unsigned int **cpus, unsigned int *nr,
			   size_t *bad_line)
{
	struct line l;
	int r;

	if (memchr(buf, '\0', len) || !next_line(buf, len, pos, &l))
		return fail_at(bad_line, 1, MQ_PARSE_SYNTAX);
	r = parse_cpu_header(&l, cpus, nr);
	if (r)
		return fail_at(bad_line, 1, r == -2 ? MQ_PARSE_NOMEM :
			       MQ_PARSE_SYNTAX);
	return 0;
}

int mq_parse_softirqs(const char *buf, size_t len, struct mq_softirqs *out,
		      size_t *bad_line)
{
	size_t pos = 0, lineno = 1;
	struct line l;
	int r;

	memset(out, 0, sizeof(*out));
	r = read_cpu_header(buf, len, &pos, &out->cpus, &out->nr_cpus, bad_line);
	if (r)
		return r;
	while (next_line(buf, len, &pos, &l)) {
		uint64_t *counts, **slot = NULL;
		struct line tok;
		size_t i = 0;
		unsigned int c;

		lineno++;
		if (!next_tok(&l, &i, &tok) || tok.n < 2 ||
		    tok.s[tok.n - 1] != ':')
			goto bad;
		if (tok.n == 7 && memcmp(tok.s, "NET_RX:", 7) == 0)
			slot = &out->net_rx;
		else if (tok.n == 7 && memcmp(tok.s, "NET_TX:", 7) == 0)
			slot = &out->net_tx;
		if (slot && *slot)
			goto bad;	/* a second NET_RX row */
		counts = calloc(out->nr_cpus, sizeof(*counts));
		if (!counts) {
			mq_softirqs_free(out);
			return fail_at(bad_line, lineno, MQ_PARSE_NOMEM);
		}
		for (c = 0; c < out->nr_cpus; c++)
			if (!next_tok(&l, &i, &tok) || parse_dec(&tok, &counts[c]))
				break;
		if (c < out->nr_cpus || next_tok(&l, &i, &tok)) {
			free(counts);
			goto bad;
		}
		if (slot)
			*slot = counts;
		else
			free(counts);
	}
	set_ok(bad_line);
	return MQ_PARSE_OK;
bad:
	mq_softirqs_free(out);
	return fail_at(bad_line, lineno, MQ_PARSE_SYNTAX);
}

/* --- keyed tables ---------------------------------------------------- */

void mq_keyed_free(struct mq_keyed *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static int keyed_add(struct mq_keyed *t, const struct line *prefix,
		     const struct line *name, int64_t value)
{
	struct mq_kv *kv;

	if (prefix->n >= sizeof(kv->prefix) || name->n >= sizeof(kv->name))
		return -1;
	if (t->nr == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		void *p = realloc(t->v, ncap * sizeof(*t->v));

		if (!p)
			return -2;
		t->v = p;
		t->cap = ncap;
	}
	kv = &t->v[t->nr++];
	memcpy(kv->prefix, prefix->s, prefix->n);
	kv->prefix[prefix->n] = '\0';
	memcpy(kv->name, name->s, name->n);
	kv->name[name->n] = '\0';
	kv->value = value;
	return 0;
}

/* A signed decimal; values beyond int64 saturate (counters never get there). */
static int parse_sdec(const struct line *t, int64_t *out)
{
	struct line u = *t;
	bool neg = false;
	uint64_t v;

	if (u.n > 1 && u.s[0] == '-') {
		neg = true;
		u.s++;
		u.n--;
	}
	if (parse_dec(&u, &v))
		return -1;
	if (neg)
		*out = v > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)v;
	else
		*out = v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
	return 0;
}

/* "Prefix:" as the first token of @l: @pfx without its colon. */
static bool line_prefix(const struct line *l, size_t *i, struct line *pfx)
{
	if (!next_tok(l, i, pfx) || pfx->n < 2 || pfx->s[pfx->n - 1] != ':')
		return false;
	pfx->n--;
	return true;
}

static bool name_ok(const struct line *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if ((unsigned char)t->s[i] < 0x21 || t->s[i] == 0x7f)
			return false;
	return t->n > 0;
}

int mq_parse_netstat(const char *buf, size_t len, struct mq_keyed *out,
		     size_t *bad_line)
{
	size_t pos = 0, lineno = 0, start = out->nr;
	struct line names, vals;

	if (memchr(buf, '\0', len))
		return fail_at(bad_line, 1, MQ_PARSE_SYNTAX);
	while (next_line(buf, len, &pos, &names)) {
		struct line p1, p2, n, v;
		size_t i = 0, j = 0;

		lineno++;
		if (!next_line(buf, len, &pos, &vals))
			goto bad;
		lineno++;
		if (!line_prefix(&names, &i, &p1) ||
		    !line_prefix(&vals, &j, &p2) || p1.n != p2.n ||
		    memcmp(p1.s, p2.s, p1.n))
			goto bad;
		for (;;) {
			bool hn = next_tok(&names, &i, &n);
			bool hv = next_tok(&vals, &j, &v);
			int64_t val;
			int r;

			if (!hn && !hv)
				break;
			if (hn != hv || !name_ok(&n) || parse_sdec(&v, &val))
				goto bad;
			r = keyed_add(out, &p1, &n, val);
			if (r == -2) {
				out->nr = start;
				return fail_at(bad_line, lineno, MQ_PARSE_NOMEM);
			}
			if (r)
				goto bad;
		}
	}
	if (out->nr == start && lineno == 0)
		return fail_at(bad_line, 1, MQ_PARSE_SYNTAX);
	set_ok(bad_line);
	return MQ_PARSE_OK;
bad:
	out->nr = start;
	return fail_at(bad_line, lineno, MQ_PARSE_SYNTAX);
}

int mq_parse_sockstat(const char *buf, size_t len, struct mq_keyed *out,
		      size_t *bad_line)
{
	size_t pos = 0, lineno = 0, start = out->nr;
	struct line l;

	if (memchr(buf, '\0', len))
		return fail_at(bad_line, 1, MQ_PARSE_SYNTAX);
	while (next_line(buf, len, &pos, &l)) {
		struct line p, n, v;
		size_t i = 0;

		lineno++;
		if (!line_prefix(&l, &i, &p))
			goto bad;
		while (next_tok(&l, &i, &n)) {
			int64_t val;
			int r;

			if (!next_tok(&l, &i, &v) || !name_ok(&n) ||
			    parse_sdec(&v, &val))
				goto bad;
			r = keyed_add(out, &p, &n, val);
			if (r == -2) {
				out->nr = start;
				return fail_at(bad_line, lineno, MQ_PARSE_NOMEM);
			}
			if (r)
				goto bad;
		}
	}
	if (lineno == 0)
		return fail_at(bad_line, 1, MQ_PARSE_SYNTAX);
	set_ok(bad_line);
	return MQ_PARSE_OK;
bad:
	out->nr = start;
	return fail_at(bad_line, lineno, MQ_PARSE_SYNTAX);
}

int mq_keyed_get(const struct mq_keyed *t, const char *prefix,
		 const char *name, int64_t *val)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (strcmp(t->v[i].prefix, prefix) == 0 &&
		    strcmp(t->v[i].name, name) == 0) {
			*val = t->v[i].value;
			return 0;
		}
	return -1;
}

/* --- limits ---------------------------------------------------------- */

static int limit_value(const struct line *t, uint64_t *v)
{
	if (t->n == 9 && memcmp(t->s, "unlimited", 9) == 0) {
		*v = UINT64_MAX;
		return 0;
	}
	return parse_dec(t, v);
}

int mq_parse_limit(const char *buf, size_t len, const char *name,
		   uint64_t *soft, uint64_t *hard)
{
	size_t pos = 0, nlen = strlen(name);
	struct line l;

	if (memchr(buf, '\0', len) || nlen == 0)
		return MQ_PARSE_SYNTAX;
	while (next_line(buf, len, &pos, &l)) {
		struct line s, h;
		size_t i = nlen;
		uint64_t a, b;

		if (l.n <= nlen || memcmp(l.s, name, nlen) ||
		    !is_blank(l.s[nlen]))
			continue;
		if (!next_tok(&l, &i, &s) || !next_tok(&l, &i, &h) ||
		    limit_value(&s, &a) || limit_value(&h, &b))
			return MQ_PARSE_SYNTAX;
		*soft = a;
		*hard = b;
		return MQ_PARSE_OK;
	}
	return MQ_PARSE_SYNTAX;
}

/* --- tuples ---------------------------------------------------------- */

int mq_parse_u64_tuple(const char *buf, size_t len, uint64_t *out, size_t n)
{
	struct line l = { buf, mq_chomp(buf, len) }, tok;
	uint64_t tmp[8];
	size_t i = 0, k;

	if (n == 0 || n > 8 || memchr(buf, '\0', len) ||
	    memchr(l.s, '\n', l.n))
		return MQ_PARSE_SYNTAX;
	for (k = 0; k < n; k++)
		if (!next_tok(&l, &i, &tok) || parse_dec(&tok, &tmp[k]))
			return MQ_PARSE_SYNTAX;
	if (next_tok(&l, &i, &tok))
		return MQ_PARSE_SYNTAX;
	memcpy(out, tmp, n * sizeof(*out));
	return MQ_PARSE_OK;
}

/* --- /proc/interrupts counts ------------------------------------------ */

void mq_irq_counts_free(struct mq_irq_counts *c)
{
	free(c->cpus);
	free(c->counts);
	free(c->found);
	memset(c, 0, sizeof(*c));
}

int mq_parse_irq_counts(const char *buf, size_t len, const unsigned int *irqs,
			size_t nr_irqs, struct mq_irq_counts *out,
			size_t *bad_line)
{
	size_t pos = 0, lineno = 1;
	struct line l;
	int r;

	memset(out, 0, sizeof(*out));
	r = read_cpu_header(buf, len, &pos, &out->cpus, &out->nr_columns, bad_line);
	if (r)
		return r;
	out->nr_irqs = nr_irqs;
	out->counts = calloc(nr_irqs ? nr_irqs * out->nr_columns : 1,
			     sizeof(*out->counts));
	out->found = calloc(nr_irqs ? nr_irqs : 1, sizeof(*out->found));
	if (!out->counts || !out->found) {
		mq_irq_counts_free(out);
		return fail_at(bad_line, 1, MQ_PARSE_NOMEM);
	}
	while (next_line(buf, len, &pos, &l)) {
		struct line tok;
		size_t i = 0, k;
		uint32_t irq;
		unsigned int c;

		lineno++;
		if (!next_tok(&l, &i, &tok) || tok.n < 2 ||
		    tok.s[tok.n - 1] != ':')
			goto bad;
		if (mq_parse_u32(tok.s, tok.n - 1, &irq) != MQ_PARSE_OK)
			continue;	/* NMI:, LOC:, ERR: ... */
		for (k = 0; k < nr_irqs; k++)
			if (irqs[k] == irq)
				break;
		if (k == nr_irqs)
			continue;
		if (out->found[k])
			goto bad;	/* the same IRQ twice */
		out->found[k] = true;
		for (c = 0; c < out->nr_columns; c++)
			if (!next_tok(&l, &i, &tok) ||
			    parse_dec(&tok, &out->counts[k * out->nr_columns + c]))
				goto bad;
		/* every IRQ asked for that appears twice in @irqs shares it */
		for (size_t j = k + 1; j < nr_irqs; j++)
			if (irqs[j] == irq) {
				out->found[j] = true;
				memcpy(&out->counts[j * out->nr_columns],
				       &out->counts[k * out->nr_columns],
				       out->nr_columns * sizeof(*out->counts));
			}
	}
	set_ok(bad_line);
	return MQ_PARSE_OK;
bad:
	mq_irq_counts_free(out);
	return fail_at(bad_line, lineno, MQ_PARSE_SYNTAX);
}

/* --- sysctl.conf ----------------------------------------------------- */

/* @a (length @n) names @key, '/' and '.' being the same separator. */
static bool key_matches(const char *a, size_t n, const char *key)
{
	size_t i;

	if (strlen(key) != n)
		return false;
	for (i = 0; i < n; i++) {
		char x = a[i] == '/' ? '.' : a[i];
		char y = key[i] == '/' ? '.' : key[i];

		if (x != y)
			return false;
	}
	return true;
}

int mq_sysctl_conf_find(const char *buf, size_t len, const char *key,
			size_t *line, char *value, size_t cap)
{
	size_t pos = 0, lineno = 0;
	int found = 0;
	struct line l;

	while (next_line(buf, len, &pos, &l)) {
		const char *s = l.s, *e = l.s + l.n, *eq, *ke, *vs, *ve;

		lineno++;
		while (s < e && (is_blank(*s) || *s == '\r'))
			s++;
		if (s < e && *s == '-')
			s++;
		while (s < e && is_blank(*s))
			s++;
		if (s == e || *s == '#' || *s == ';')
			continue;
		eq = memchr(s, '=', (size_t)(e - s));
		if (!eq || memchr(s, '\0', (size_t)(e - s)))
			continue;
		ke = eq;
		while (ke > s && is_blank(ke[-1]))
			ke--;
		if (!key_matches(s, (size_t)(ke - s), key))
			continue;
		vs = eq + 1;
		ve = e;
		while (vs < ve && is_blank(*vs))
			vs++;
		while (ve > vs && (is_blank(ve[-1]) || ve[-1] == '\r'))
			ve--;
		found = 1;
		*line = lineno;
		if (cap) {
			size_t n = (size_t)(ve - vs) < cap - 1 ?
				   (size_t)(ve - vs) : cap - 1;

			memcpy(value, vs, n);
			value[n] = '\0';
		}
	}
	return found;
}
