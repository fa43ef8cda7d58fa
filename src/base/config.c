/*
 * config.c - the parser of /etc/mqtune.conf (docs/config.md).
 *
 * Pure: bytes and a file name in, a struct mq_config out.  Strict: the
 * first thing that is not exactly the format ends the parse with one
 * "FILE:LINE: cause" (status MQ_EXIT_CONFIG), and no part of the file
 * is used.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/config.h"
#include "mqtune/ifres.h"

#define LINE_MAX_BYTES 4096
#define ARG_MAX_BYTES (MQ_ALTIFNAMSIZ - 1)	/* an altname: 127 */

struct parser {
	const char *file;
	unsigned int lineno;
	struct mq_config *c;
	struct mq_config_section *cur;	/* NULL before the first header */
	struct mq_diag *d;
	size_t cap;
};

static const char *const kind_names[] = {
	[MQ_SECT_GLOBAL] = "global",
	[MQ_SECT_DRIVER] = "driver",
	[MQ_SECT_GLOB] = "interface",
	[MQ_SECT_PCI] = "pci",
	[MQ_SECT_NAME] = "interface",
};

const char *mq_sect_kind_name(enum mq_sect_kind k)
{
	if ((unsigned int)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "?";
	return k == MQ_SECT_GLOB ? "glob" : kind_names[k];
}

const char *mq_sect_header(const struct mq_config_section *s, char *buf,
			   size_t cap)
{
	if (s->kind == MQ_SECT_GLOBAL)
		snprintf(buf, cap, "[global]");
	else if (s->kind == MQ_SECT_GLOB)
		snprintf(buf, cap, "[interface \"%s\"]", s->arg);
	else
		snprintf(buf, cap, "[%s %s]", kind_names[s->kind], s->arg);
	return buf;
}

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
	char cause[MQ_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(cause, sizeof(cause), fmt, ap) < 0)
		cause[0] = '\0';
	va_end(ap);
	return mq_diag_set(p->d, MQ_EXIT_CONFIG, EINVAL, "%s:%u: %s", p->file,
			   p->lineno, cause);
}

static int oom(struct parser *p)
{
	return mq_diag_set(p->d, MQ_EXIT_FAILURE, ENOMEM,
			   "%s: out of memory while reading it", p->file);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* A view of @s..@e with the blanks at both ends removed. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && blank(**s))
		(*s)++;
	while (*e > *s && blank((*e)[-1]))
		(*e)--;
}

/* A "quoted" text loses its quotes; a quote elsewhere is refused. */
static int unquote(struct parser *p, const char **s, const char **e,
		   const char *what)
{
	const char *q;

	if (*e - *s >= 2 && **s == '"' && (*e)[-1] == '"') {
		(*s)++;
		(*e)--;
	}
	for (q = *s; q < *e; q++)
		if (*q == '"')
			return fail(p, "%s: a quote must open and close the whole value "
				    "(no escapes)", what);
	return 0;
}

static bool pci_valid(const char *a)
{
	static const char shape[] = "xxxx:xx:xx.x";
	size_t i;

	if (strlen(a) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i]; i++)
		if (shape[i] == 'x' ? !isxdigit((unsigned char)a[i]) : a[i] != shape[i])
			return false;
	/* device 0-1f, function 0-7 */
	return strtoul(a + 8, NULL, 16) <= 0x1f && a[11] >= '0' && a[11] <= '7';
}

static bool driver_valid(const char *a)
{
	size_t i;

	for (i = 0; a[i]; i++)
		if (!isalnum((unsigned char)a[i]) && a[i] != '_' && a[i] != '-' &&
		    a[i] != '.')
			return false;
	return i > 0;
}

static bool glob_valid(const char *a)
{
	size_t i;

	for (i = 0; a[i]; i++) {
		unsigned char c = (unsigned char)a[i];

		if (c == '/' || isspace(c) || iscntrl(c))
			return false;
	}
	return i > 0;
}

static int check_arg(struct parser *p, enum mq_sect_kind *kind, char *arg)
{
	size_t i;

	switch (*kind) {
	case MQ_SECT_GLOBAL:
		if (arg[0])
			return fail(p, "[global] takes no name");
		return 0;
	case MQ_SECT_NAME:
		if (strpbrk(arg, "*?[")) {
			*kind = MQ_SECT_GLOB;
			if (!glob_valid(arg))
				return fail(p, "[interface \"%s\"]: not an interface "
					    "name pattern", arg);
			return 0;
		}
		/* a kernel name or an alternative name (up to 127 bytes) */
		if (!mq_ifres_name_valid(arg))
			return fail(p, "[interface %s]: not an interface name "
				    "(1-127 bytes, no '/', ':' or blanks)", arg);
		return 0;
	case MQ_SECT_DRIVER:
		if (!driver_valid(arg))
			return fail(p, "[driver %s]: not a driver name", arg);
		return 0;
	case MQ_SECT_PCI:
		for (i = 0; arg[i]; i++)
			arg[i] = (char)tolower((unsigned char)arg[i]);
		if (!pci_valid(arg))
			return fail(p, "[pci %s]: not a PCI address like 0000:3b:00.0",
				    arg);
		return 0;
	case MQ_SECT_GLOB:
		break;
	}
	return 0;
}

static int kind_of(struct parser *p, const char *w, size_t n,
		   enum mq_sect_kind *kind)
{
	static const struct { const char *word; enum mq_sect_kind kind; } kinds[] = {
		{ "global", MQ_SECT_GLOBAL }, { "interface", MQ_SECT_NAME },
		{ "driver", MQ_SECT_DRIVER }, { "pci", MQ_SECT_PCI },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].word) == n && memcmp(kinds[i].word, w, n) == 0) {
			*kind = kinds[i].kind;
			return 0;
		}
	return fail(p, "unknown section '%.*s' (global, interface, driver or pci)",
		    (int)(n > ARG_MAX_BYTES ? ARG_MAX_BYTES : n), w);
}

static struct mq_config_section *find_section(const struct mq_config *c,
					      enum mq_sect_kind kind,
					      const char *arg)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (c->sects[i].kind == kind && strcmp(c->sects[i].arg, arg) == 0)
			return &c->sects[i];
	return NULL;
}

static int add_section(struct parser *p, enum mq_sect_kind kind, char *arg)
{
	struct mq_config *c = p->c;
	struct mq_config_section *s = find_section(c, kind, arg);
	char hdr[ARG_MAX_BYTES + 32];

	if (s && (s->line || kind != MQ_SECT_GLOBAL)) {
		free(arg);
		return fail(p, "duplicate section %s (first at line %u)",
			    mq_sect_header(s, hdr, sizeof(hdr)), s->line);
	}
	if (s) {		/* the implicit [global], now given */
		s->line = p->lineno;
		p->cur = s;
		free(arg);
		return 0;
	}
	if (c->nr >= MQ_CONFIG_MAX_SECTIONS) {
		free(arg);
		return fail(p, "more than %u sections", MQ_CONFIG_MAX_SECTIONS);
	}
	if (c->nr == p->cap) {
		size_t ncap = p->cap * 2;
		struct mq_config_section *more = realloc(c->sects,
							 ncap * sizeof(*more));

		if (!more) {
			free(arg);
			return oom(p);
		}
		c->sects = more;
		p->cap = ncap;
	}
	s = &c->sects[c->nr++];
	s->kind = kind;
	s->arg = arg;
	s->line = p->lineno;
	mq_opts_init(&s->opts);
	p->cur = s;
	return 0;
}

/* "[KIND]" or "[KIND ARG]" or "[KIND "ARG"]", blanks trimmed. */
static int parse_header(struct parser *p, const char *s, const char *e)
{
	enum mq_sect_kind kind = MQ_SECT_GLOBAL;
	const char *w, *a;
	char *arg;

	if (e[-1] != ']')
		return fail(p, "a section header ends with ']' and nothing after it");
	s++;
	e--;
	trim(&s, &e);
	for (w = s; w < e && !blank(*w); w++)
		;
	if (kind_of(p, s, (size_t)(w - s), &kind))
		return -1;
	a = w;
	trim(&a, &e);
	if (unquote(p, &a, &e, "section name"))
		return -1;
	if (kind != MQ_SECT_GLOBAL && a == e)
		return fail(p, "[%.*s] needs a name: [%.*s NAME]", (int)(w - s), s,
			    (int)(w - s), s);
	if (e - a > ARG_MAX_BYTES)
		return fail(p, "section name longer than %d bytes", ARG_MAX_BYTES);
	arg = strndup(a, (size_t)(e - a));
	if (!arg)
		return oom(p);
	if (check_arg(p, &kind, arg)) {
		free(arg);
		return -1;
	}
	return add_section(p, kind, arg);
}

/* "KEY = VALUE". */
static int parse_assignment(struct parser *p, const char *s, const char *e)
{
	const char *eq = memchr(s, '=', (size_t)(e - s)), *ke, *v, *ve = e;
	char hdr[ARG_MAX_BYTES + 32];
	int k, r;

	if (!eq)
		return fail(p, "not KEY = VALUE, a [section] or a # comment");
	ke = eq;
	trim(&s, &ke);
	if (s == ke)
		return fail(p, "no key before '='");
	k = mq_opt_lookup(s, (size_t)(ke - s));
	if (k < 0)
		return fail(p, "unknown key '%.*s'", (int)(ke - s), s);
	if (!p->cur)
		return fail(p, "'%s' is outside any section (put it under [global])",
			    mq_opt_name(k));
	if (p->cur->kind != MQ_SECT_GLOBAL && mq_opt_global_only(k))
		return fail(p, "'%s' is allowed in [global] only", mq_opt_name(k));
	if (mq_opts_has(&p->cur->opts, k))
		return fail(p, "'%s' given twice in %s (first at line %u)",
			    mq_opt_name(k),
			    mq_sect_header(p->cur, hdr, sizeof(hdr)),
			    p->cur->opts.line[k]);
	v = eq + 1;
	trim(&v, &ve);
	if (unquote(p, &v, &ve, mq_opt_name(k)))
		return -1;
	if (v == ve)
		return fail(p, "'%s' needs a value (%s)", mq_opt_name(k),
			    mq_opt_want(k));
	r = mq_opt_parse(&p->cur->opts, k, v, (size_t)(ve - v));
	if (r == -2)
		return oom(p);
	if (r)
		return fail(p, "%s: '%.*s' is not %s", mq_opt_name(k),
			    (int)(ve - v > 128 ? 128 : ve - v), v, mq_opt_want(k));
	p->cur->opts.line[k] = p->lineno;
	return 0;
}

static int parse_line(struct parser *p, const char *s, const char *e)
{
	trim(&s, &e);
	if (s == e || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return parse_header(p, s, e);
	return parse_assignment(p, s, e);
}

int mq_config_empty(struct mq_config *out)
{
	memset(out, 0, sizeof(*out));
	out->sects = calloc(1, sizeof(*out->sects));
	if (!out->sects)
		return -1;
	out->sects[0].arg = strdup("");
	if (!out->sects[0].arg) {
		free(out->sects);
		out->sects = NULL;
		return -1;
	}
	out->sects[0].kind = MQ_SECT_GLOBAL;
	mq_opts_init(&out->sects[0].opts);
	out->nr = 1;
	return 0;
}

int mq_config_parse(const char *buf, size_t len, const char *file,
		    struct mq_config *out, struct mq_diag *d)
{
	struct parser p = { .file = file, .c = out, .d = d, .cap = 1 };
	const char *s = buf, *end = buf + len;

	if (mq_config_empty(out))
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
				   "%s: out of memory while reading it", file);
	out->file = strdup(file);
	if (!out->file) {
		mq_config_fini(out);
		return oom(&p);
	}
	out->present = true;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;

		p.lineno++;
		if (e - s > LINE_MAX_BYTES) {
			fail(&p, "line longer than %d bytes", LINE_MAX_BYTES);
			goto bad;
		}
		if (memchr(s, '\0', (size_t)(e - s))) {
			fail(&p, "a NUL byte (not a text file)");
			goto bad;
		}
		if (parse_line(&p, s, e))
			goto bad;
		s = nl ? nl + 1 : end;
	}
	return 0;
bad:
	mq_config_fini(out);
	return -1;
}

void mq_config_fini(struct mq_config *c)
{
	size_t i;

	if (!c)
		return;
	free(c->via);
	for (i = 0; i < c->nr; i++) {
		free(c->sects[i].arg);
		mq_opts_fini(&c->sects[i].opts);
	}
	free(c->sects);
	free(c->file);
	memset(c, 0, sizeof(*c));
}
