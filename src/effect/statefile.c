/*
 * statefile.c - the state file's document: parsed strictly, printed one
 * entry per line (docs/state.md).  Pure: text in, text out.
 *
 * Strict because the file says what to write into the kernel: a key that
 * is unknown, missing or of the wrong type, a path that is not the form
 * its kind writes, a path twice, or anything after the document makes the
 * whole file unusable, so that `restore` refuses instead of guessing.
 */
#include "mqtune/statefile.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/channels.h"
#include "mqtune/rss.h"
#include "mqtune/esc.h"
#include "mqtune/json.h"
#include "mqtune/model.h"
#include "mqtune/state.h"

#define VALUE_MAX ((size_t)1 << 20)
#define WORD_MAX 128

static const char *const kind_names[] = {
	[MQ_T_IRQ_AFFINITY] = "irq_affinity",
	[MQ_T_RPS_CPUS] = "rps_cpus",
	[MQ_T_RPS_FLOW_CNT] = "rps_flow_cnt",
	[MQ_T_XPS_CPUS] = "xps_cpus",
	[MQ_T_SYSCTL] = "sysctl",
	[MQ_T_CHANNELS] = "channels",
	[MQ_T_RSS] = "rss",
	[MQ_T_NAPI_AFFINITY] = "napi_affinity",
};

#define NR_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *mq_state_kind_name(enum mq_target t)
{
	return (unsigned int)t < NR_KINDS ? kind_names[t] : "unknown";
}

static int why_set(char *why, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int why_set(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (cap && vsnprintf(why, cap, fmt, ap) < 0)
		why[0] = '\0';
	va_end(ap);
	return -1;
}

void mq_sentry_fini(struct mq_sentry *e)
{
	free(e->irq_name);
	free(e->netns);
	free(e->value);
	e->irq_name = e->netns = e->value = NULL;
}

void mq_state_fini(struct mq_state *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		mq_sentry_fini(&s->entries[i]);
	free(s->entries);
	free(s->boot_id);
	memset(s, 0, sizeof(*s));
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* FNV-1a over the namespace (or nothing), a separator, the kind, the path. */
static size_t entry_hash(const char *netns, enum mq_target kind,
			 const char *path)
{
	uint64_t h = 1469598103934665603ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)(netns ? netns : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ (netns ? 1u : 2u)) * 1099511628211ULL;
	h = (h ^ (unsigned int)kind) * 1099511628211ULL;
	for (p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

int mq_state_index_build(struct mq_state_index *ix, const struct mq_state *s,
			 size_t extra)
{
	size_t want = 2 * (s->nr + extra) + 16, slots = 16, i;

	while (slots < want)
		slots *= 2;
	ix->slot = calloc(slots, sizeof(*ix->slot));
	if (!ix->slot)
		return -1;
	ix->mask = slots - 1;
	for (i = 0; i < s->nr; i++)
		if (mq_state_index_find(ix, s, s->entries[i].netns,
					s->entries[i].target, s->entries[i].path) < 0)
			mq_state_index_add(ix, s, (long)i);
	return 0;
}

long mq_state_index_find(const struct mq_state_index *ix,
			 const struct mq_state *s, const char *netns,
			 enum mq_target kind, const char *path)
{
	size_t at = entry_hash(netns, kind, path) & ix->mask;

	for (; ix->slot[at]; at = (at + 1) & ix->mask) {
		const struct mq_sentry *e = &s->entries[ix->slot[at] - 1];

		if (e->target == kind && strcmp(e->path, path) == 0 &&
		    same_str(e->netns, netns))
			return ix->slot[at] - 1;
	}
	return -1;
}

void mq_state_index_add(struct mq_state_index *ix, const struct mq_state *s,
			long at)
{
	const struct mq_sentry *e = &s->entries[at];
	size_t i = entry_hash(e->netns, e->target, e->path) & ix->mask;

	while (ix->slot[i])
		i = (i + 1) & ix->mask;
	ix->slot[i] = at + 1;
}

void mq_state_index_fini(struct mq_state_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->mask = 0;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

int mq_state_reserve(struct mq_state *s, size_t more)
{
	struct mq_sentry *bigger;

	if (s->cap - s->nr >= more)
		return 0;
	bigger = realloc(s->entries, (s->nr + more) * sizeof(*bigger));
	if (!bigger)
		return -1;
	s->entries = bigger;
	s->cap = s->nr + more;
	return 0;
}

int mq_state_add(struct mq_state *s, const struct mq_sentry *e)
{
	struct mq_sentry *n;
	bool failed = false;

	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct mq_sentry *bigger = realloc(s->entries, cap * sizeof(*bigger));

		if (!bigger)
			return -1;
		s->entries = bigger;
		s->cap = cap;
	}
	n = &s->entries[s->nr];
	*n = *e;
	n->irq_name = dup_or_null(e->irq_name, &failed);
	n->netns = dup_or_null(e->netns, &failed);
	n->value = dup_or_null(e->value, &failed);
	if (failed || !n->value) {
		mq_sentry_fini(n);
		return -1;
	}
	s->nr++;
	return 0;
}

void mq_state_drop(struct mq_state *s, const unsigned char *drop)
{
	size_t i, k = 0;

	for (i = 0; i < s->nr; i++) {
		if (drop[i]) {
			mq_sentry_fini(&s->entries[i]);
			continue;
		}
		if (k != i)
			s->entries[k] = s->entries[i];
		k++;
	}
	s->nr = k;
}

/* ---- checking ---- */

/* A word the file may hold: printable ASCII, no quotes, 1..max bytes. */
static bool plain_word(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (!n || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '"' || s[i] == '\\')
			return false;
	return true;
}

/* "PREFIX<decimal>SUFFIX" exactly, the number without leading zeros. */
static bool numbered(const char *s, const char *prefix, const char *suffix,
		     int64_t want)
{
	size_t pl = strlen(prefix);
	const char *p = s + pl, *q;
	int64_t v = 0;

	if (strncmp(s, prefix, pl) != 0 || *p < '0' || *p > '9' ||
	    (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	for (q = p; *q >= '0' && *q <= '9'; q++) {
		if (v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*q - '0');
	}
	return strcmp(q, suffix) == 0 && (want < 0 || v == want);
}

pid_t mq_sentry_thread_pid(const struct mq_sentry *e)
{
	return (pid_t)strtol(e->path + strlen("/proc/"), NULL, 10);
}

const char *mq_sentry_thread_name(const struct mq_sentry *e)
{
	return e->object + strlen(e->ifname) + 1;
}

/* Digits, commas and dashes: a CPU list as Cpus_allowed_list prints it. */
static bool cpu_list_text(const char *s)
{
	return s[0] && strspn(s, "0123456789,-") == strlen(s);
}

/* The path is the one file of its kind (and interface, IRQ) it says. */
static bool path_matches(const struct mq_sentry *e)
{
	char prefix[96];
	const char *leaf;

	switch (e->target) {
	case MQ_T_IRQ_AFFINITY:
		return numbered(e->path, "/proc/irq/", "/smp_affinity_list", e->irq);
	case MQ_T_SYSCTL:
		return strcmp(e->path, MQ_SYSCTL_BACKLOG) == 0 ||
		       strcmp(e->path, MQ_SYSCTL_FLOW_ENTRIES) == 0;
	case MQ_T_RPS_CPUS:
	case MQ_T_RPS_FLOW_CNT:
		leaf = e->target == MQ_T_RPS_CPUS ? "/rps_cpus" : "/rps_flow_cnt";
		snprintf(prefix, sizeof(prefix), "/sys/class/net/%s/queues/rx-",
			 e->ifname);
		return numbered(e->path, prefix, leaf, -1);
	case MQ_T_XPS_CPUS:
		snprintf(prefix, sizeof(prefix), "/sys/class/net/%s/queues/tx-",
			 e->ifname);
		return numbered(e->path, prefix, "/xps_cpus", -1);
	case MQ_T_CHANNELS:	/* not files: the interface's directory */
	case MQ_T_RSS:
		snprintf(prefix, sizeof(prefix), "/sys/class/net/%s", e->ifname);
		return strcmp(e->path, prefix) == 0;
	case MQ_T_NAPI_AFFINITY:	/* the thread's directory, its name in
					   the object: "eth0 napi/eth0-8193" */
		leaf = e->object + strlen(e->ifname);
		return numbered(e->path, "/proc/", "", -1) &&
		       strncmp(e->object, e->ifname, strlen(e->ifname)) == 0 &&
		       strncmp(leaf, " napi/", 6) == 0;
	default:	/* other steps are not in the state file */
		return false;
	}
}

static const char *const entry_keys[] = {
	"kind", "path", "object", "interface", "ifindex", "irq", "irq_name",
	"netns", "value", "recorded", NULL
};
static const char *const top_keys[] = {
	"format", "version", "boot_id", "entries", NULL
};

/* Every key of @o is one of @keys, and every one of @keys is there. */
static int keys_exact(struct json_object *o, const char *const *keys,
		      char *why, size_t cap, const char *where)
{
	size_t n = 0, i;

	json_object_object_foreach(o, key, val) {
		(void)val;
		for (i = 0; keys[i] && strcmp(keys[i], key) != 0; i++)
			;
		if (!keys[i])
			return why_set(why, cap, "%sunknown key '%.40s'", where, key);
		n++;
	}
	for (i = 0; keys[i]; i++)
		if (!json_object_object_get_ex(o, keys[i], NULL))
			return why_set(why, cap, "%smissing key '%s'", where, keys[i]);
	return n == i ? 0 : why_set(why, cap, "%sa key given twice", where);
}

/* A string member (NULL allowed with @nullable); its text in *@out. */
static int get_str(struct json_object *o, const char *key, bool nullable,
		   size_t max, const char **out, char *why, size_t cap,
		   const char *where)
{
	struct json_object *v = json_object_object_get(o, key);

	*out = NULL;
	if (!v && nullable)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return why_set(why, cap, "%s'%s' is not a string%s", where, key,
			       nullable ? " or null" : "");
	if ((size_t)json_object_get_string_len(v) != strlen(json_object_get_string(v)))
		return why_set(why, cap, "%s'%s' holds a NUL byte", where, key);
	if (strlen(json_object_get_string(v)) > max)
		return why_set(why, cap, "%s'%s' is too long", where, key);
	*out = json_object_get_string(v);
	return 0;
}

static int get_int(struct json_object *o, const char *key, bool nullable,
		   int64_t lo, int64_t hi, int64_t *out, char *why, size_t cap,
		   const char *where)
{
	struct json_object *v = json_object_object_get(o, key);

	*out = -1;
	if (!v && nullable)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return why_set(why, cap, "%s'%s' is not an integer%s", where, key,
			       nullable ? " or null" : "");
	errno = 0;
	*out = json_object_get_int64(v);
	if (errno || *out < lo || *out > hi)
		return why_set(why, cap, "%s'%s' is out of range", where, key);
	return 0;
}

static int parse_entry(struct json_object *o, size_t idx, struct mq_sentry *e,
		       char *why, size_t cap)
{
	const char *kind, *path, *object, *ifname, *irq_name, *netns, *value,
		   *recorded;
	char where[32];
	int64_t ifindex, irq;
	size_t k;
	bool sysctl, is_irq, failed = false;
	struct mq_channels counts;

	memset(e, 0, sizeof(*e));
	snprintf(where, sizeof(where), "entry %zu: ", idx + 1);
	if (!json_object_is_type(o, json_type_object))
		return why_set(why, cap, "%snot an object", where);
	if (keys_exact(o, entry_keys, why, cap, where) ||
	    get_str(o, "kind", false, WORD_MAX, &kind, why, cap, where))
		return -1;
	for (k = 0; k < NR_KINDS && strcmp(kind_names[k], kind) != 0; k++)
		;
	if (k == NR_KINDS)
		return why_set(why, cap, "%sunknown kind '%.40s'", where, kind);
	e->target = (enum mq_target)k;
	sysctl = e->target == MQ_T_SYSCTL;
	is_irq = e->target == MQ_T_IRQ_AFFINITY;
	memset(&counts, 0, sizeof(counts));
	if (get_str(o, "path", false, sizeof(e->path) - 1, &path, why, cap, where) ||
	    get_str(o, "object", false, sizeof(e->object) - 1, &object, why, cap, where) ||
	    get_str(o, "interface", sysctl, IFNAMSIZ - 1, &ifname, why, cap, where) ||
	    get_int(o, "ifindex", sysctl, 1, INT32_MAX, &ifindex, why, cap, where) ||
	    get_int(o, "irq", !is_irq, 0, UINT32_MAX, &irq, why, cap, where) ||
	    get_str(o, "irq_name", !is_irq, 4096, &irq_name, why, cap, where) ||
	    get_str(o, "netns", true, WORD_MAX, &netns, why, cap, where) ||
	    get_str(o, "value", false, VALUE_MAX, &value, why, cap, where) ||
	    get_str(o, "recorded", false, sizeof(e->recorded) - 1, &recorded,
		    why, cap, where))
		return -1;
	/* a sysctl belongs to no interface, a queue file to no IRQ */
	if (sysctl && (ifname || ifindex >= 0))
		return why_set(why, cap, "%sa sysctl with an interface", where);
	if (!is_irq && (irq >= 0 || irq_name))
		return why_set(why, cap, "%san IRQ number on a %s entry", where, kind);
	if (ifname && !mq_ifname_valid(ifname))
		return why_set(why, cap, "%sbad interface name", where);
	if (netns && !plain_word(netns, WORD_MAX))
		return why_set(why, cap, "%sbad netns", where);
	if (!value[0])
		return why_set(why, cap, "%sempty value", where);
	if (e->target == MQ_T_CHANNELS && mq_channels_parse_state(value, &counts))
		return why_set(why, cap, "%sbad channel counts '%.60s'", where, value);
	if (e->target == MQ_T_NAPI_AFFINITY && !cpu_list_text(value))
		return why_set(why, cap, "%sbad CPU list '%.60s'", where, value);
	if (e->target == MQ_T_RSS) {
		uint32_t *table, size;
		int bad = mq_rss_parse_state(value, &table, &size);

		free(table);
		if (bad == -2)
			return -2;
		if (bad)
			return why_set(why, cap, "%sbad RSS table (not its entries in "
				       "decimal, one space apart, with a newline)",
				       where);
	}
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->object, sizeof(e->object), "%s", object);
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname ? ifname : "");
	snprintf(e->recorded, sizeof(e->recorded), "%s", recorded);
	e->ifindex = ifindex < 0 ? 0 : (int)ifindex;
	e->irq = irq;
	if (!path_matches(e))
		return why_set(why, cap, "%spath '%.80s' is not a %s file%s%s", where,
			       path, kind, ifname ? " of " : "", ifname ? ifname : "");
	e->irq_name = dup_or_null(irq_name, &failed);
	e->netns = dup_or_null(netns, &failed);
	e->value = dup_or_null(value, &failed);
	if (failed) {
		mq_sentry_fini(e);
		return -2;
	}
	return 0;
}

static int parse_doc(struct json_object *doc, struct mq_state *out,
		     char *why, size_t cap)
{
	struct json_object *v, *entries;
	struct mq_state_index ix;
	const char *boot;
	int64_t version;
	size_t i, n;
	int err = 0;

	if (!json_object_is_type(doc, json_type_object))
		return why_set(why, cap, "not a JSON object");
	if (keys_exact(doc, top_keys, why, cap, ""))
		return -1;
	v = json_object_object_get(doc, "format");
	if (!json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), MQ_STATE_FORMAT) != 0)
		return why_set(why, cap, "'format' is not \"%s\"", MQ_STATE_FORMAT);
	if (get_int(doc, "version", false, 0, INT32_MAX, &version, why, cap, ""))
		return -1;
	if (version < MQ_STATE_VERSION_MIN || version > MQ_STATE_VERSION)
		return why_set(why, cap, "version %" PRId64 ", this mqtune reads "
			       "%d to %d", version, MQ_STATE_VERSION_MIN,
			       MQ_STATE_VERSION);
	if (get_str(doc, "boot_id", true, WORD_MAX, &boot, why, cap, ""))
		return -1;
	if (boot && !plain_word(boot, WORD_MAX))
		return why_set(why, cap, "bad boot_id");
	entries = json_object_object_get(doc, "entries");
	if (!json_object_is_type(entries, json_type_array))
		return why_set(why, cap, "'entries' is not an array");
	if (boot && !(out->boot_id = strdup(boot)))
		return -2;
	n = json_object_array_length(entries);
	if (mq_state_index_build(&ix, out, n))
		return -2;
	for (i = 0; i < n; i++) {
		struct mq_sentry e;

		err = parse_entry(json_object_array_get_idx(entries, i), i, &e,
				  why, cap);

		if (err)
			break;
		if (mq_state_index_find(&ix, out, e.netns, e.target, e.path) >= 0) {
			mq_sentry_fini(&e);
			err = why_set(why, cap, "entry %zu: %s %.80s recorded twice",
				      i + 1, kind_names[e.target], e.path);
			break;
		}
		err = mq_state_add(out, &e) ? -2 : 0;
		mq_sentry_fini(&e);
		if (err)
			break;
		mq_state_index_add(&ix, out, (long)out->nr - 1);
	}
	mq_state_index_fini(&ix);
	return err;
}

int mq_state_parse(const char *text, size_t len, struct mq_state *out,
		   char *why, size_t cap)
{
	struct json_tokener *tok;
	struct json_object *doc;
	enum json_tokener_error jerr;
	size_t end;
	int ret;

	memset(out, 0, sizeof(*out));
	if (len > INT32_MAX)
		return why_set(why, cap, "too long");
	if (memchr(text, '\0', len))
		return why_set(why, cap, "holds a NUL byte");
	tok = json_tokener_new();
	if (!tok)
		return -2;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8 |
				    JSON_TOKENER_ALLOW_TRAILING_CHARS);
	doc = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!doc) {
		if (jerr == json_tokener_continue || jerr == json_tokener_success)
			return why_set(why, cap, "truncated (the document ends early)");
		return why_set(why, cap, "not JSON at byte %zu: %s", end,
			       json_tokener_error_desc(jerr));
	}
	while (end < len && strchr(" \t\r\n", text[end]))
		end++;
	if (end < len) {
		json_object_put(doc);
		return why_set(why, cap, "text after the document at byte %zu", end);
	}
	ret = parse_doc(doc, out, why, cap);
	json_object_put(doc);
	if (ret) {
		mq_state_fini(out);
		if (ret == -2)
			why_set(why, cap, "out of memory");
	}
	return ret;
}

/* ---- printing ---- */

/*
 * The document is printed directly, one entry per line, with the spacing
 * json-c's JSON_C_TO_STRING_SPACED gives: a json_object tree per entry
 * cost more than the rest of a 1,000-queue apply.
 */
struct out {
	char *buf;
	size_t len, cap;
	bool failed;
	int err;			/* the sink's, or -ENOMEM */
	/* with a sink, the text goes out in pieces of about FLUSH_AT */
	int (*sink)(void *arg, const char *text, size_t len);
	void *arg;
};

#define FLUSH_AT ((size_t)64 << 10)

static void flush(struct out *o)
{
	int err;

	if (o->failed || !o->sink || !o->len)
		return;
	err = o->sink(o->arg, o->buf, o->len);
	if (err) {
		o->failed = true;
		o->err = err;
	}
	o->len = 0;
}

static void put_n(struct out *o, const char *s, size_t n)
{
	if (o->sink && o->len + n > FLUSH_AT)
		flush(o);
	if (o->failed)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t c = o->cap ? o->cap : 4096;
		char *bigger;

		while (o->len + n + 1 > c)
			c *= 2;
		bigger = realloc(o->buf, c);
		if (!bigger) {
			o->failed = true;
			o->err = -ENOMEM;
			return;
		}
		o->buf = bigger;
		o->cap = c;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put(struct out *o, const char *s)
{
	put_n(o, s, strlen(s));
}

/*
 * @s as a JSON string: '"', '\\' and control bytes escaped, each byte that
 * is not UTF-8 taken as U+0080..U+00FF (as mq_json_str), so the file
 * stays valid UTF-8 whatever a driver named its IRQ.
 */
static void put_str(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, run = 0;

	put_n(o, "\"", 1);
	while (i < n) {
		size_t len;
		char esc[8];
		size_t elen = 0;

		if (p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' && p[i] != '\\') {
			i++;		/* plain ASCII, the usual case */
			run++;
			continue;
		}
		len = mq_utf8_seq(p + i, n - i);
		if (len > 1) {
			i += len;
			run += len;
			continue;
		}
		put_n(o, (const char *)p + i - run, run);
		run = 0;
		if (!len) {		/* not UTF-8: U+0080..U+00FF */
			esc[elen++] = (char)(0xc0 | (p[i] >> 6));
			esc[elen++] = (char)(0x80 | (p[i] & 0x3f));
		} else {
			esc[elen++] = '\\';
			switch (p[i]) {
			case '"': esc[elen++] = '"'; break;
			case '\\': esc[elen++] = '\\'; break;
			case '\b': esc[elen++] = 'b'; break;
			case '\f': esc[elen++] = 'f'; break;
			case '\n': esc[elen++] = 'n'; break;
			case '\r': esc[elen++] = 'r'; break;
			case '\t': esc[elen++] = 't'; break;
			default:
				memcpy(esc + elen, "u00", 3);
				elen += 3;
				esc[elen++] = hex[p[i] >> 4];
				esc[elen++] = hex[p[i] & 15];
			}
		}
		put_n(o, esc, elen);
		i++;
	}
	put_n(o, (const char *)p + i - run, run);
	put_n(o, "\"", 1);
}

static void put_str_or_null(struct out *o, const char *s)
{
	if (s)
		put_str(o, s);
	else
		put(o, "null");
}

static void put_int(struct out *o, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	put(o, num);
}

static void put_entry(struct out *o, const struct mq_sentry *e)
{
	bool sysctl = e->target == MQ_T_SYSCTL;

	put(o, "{ \"kind\": ");
	put_str(o, mq_state_kind_name(e->target));
	put(o, ", \"path\": ");
	put_str(o, e->path);
	put(o, ", \"object\": ");
	put_str(o, e->object);
	put(o, ", \"interface\": ");
	put_str_or_null(o, sysctl ? NULL : e->ifname);
	put(o, ", \"ifindex\": ");
	if (sysctl)
		put(o, "null");
	else
		put_int(o, e->ifindex);
	put(o, ", \"irq\": ");
	if (e->irq >= 0)
		put_int(o, e->irq);
	else
		put(o, "null");
	put(o, ", \"irq_name\": ");
	put_str_or_null(o, e->irq_name);
	put(o, ", \"netns\": ");
	put_str_or_null(o, e->netns);
	put(o, ", \"value\": ");
	put_str(o, e->value);
	put(o, ", \"recorded\": ");
	put_str(o, e->recorded);
	put(o, " }");
}

static void put_doc(struct out *o, const struct mq_state *s)
{
	size_t i;

	put(o, "{\n  \"format\": \"" MQ_STATE_FORMAT "\",\n  \"version\": ");
	put_int(o, MQ_STATE_VERSION);
	put(o, ",\n  \"boot_id\": ");
	put_str_or_null(o, s->boot_id);
	put(o, ",\n  \"entries\": [");
	for (i = 0; i < s->nr; i++) {
		put(o, i ? ",\n    " : "\n    ");
		put_entry(o, &s->entries[i]);
	}
	put(o, s->nr ? "\n  ]\n}\n" : "]\n}\n");
}

char *mq_state_format(const struct mq_state *s, size_t *out_len)
{
	struct out o = { 0 };

	/* an entry takes some 370 bytes: one allocation, not a doubling
	 * series that holds twice the document at its last step */
	o.cap = 256 + 400 * s->nr;
	o.buf = malloc(o.cap);
	o.failed = !o.buf;
	put_doc(&o, s);
	if (o.failed) {
		free(o.buf);
		return NULL;
	}
	*out_len = o.len;
	return o.buf;
}

int mq_state_print(const struct mq_state *s,
		   int (*sink)(void *arg, const char *text, size_t len),
		   void *arg)
{
	struct out o = { .sink = sink, .arg = arg, .cap = FLUSH_AT + 4096 };

	o.buf = malloc(o.cap);
	if (!o.buf)
		return -ENOMEM;
	put_doc(&o, s);
	flush(&o);
	free(o.buf);
	return o.failed ? (o.err ? o.err : -ENOMEM) : 0;
}
