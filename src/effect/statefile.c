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

long mq_state_find(const struct mq_state *s, const char *netns,
		   const char *path)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		if (strcmp(s->entries[i].path, path) == 0 &&
		    same_str(s->entries[i].netns, netns))
			return (long)i;
	return -1;
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
	case MQ_T_CHANNELS:	/* the interface's directory names it */
		snprintf(prefix, sizeof(prefix), "/sys/class/net/%s", e->ifname);
		return strcmp(e->path, prefix) == 0;
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
	const char *boot;
	int64_t version;
	size_t i, n;

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
	if (version != MQ_STATE_VERSION)
		return why_set(why, cap, "version %" PRId64 ", this mqtune reads %d",
			       version, MQ_STATE_VERSION);
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
	for (i = 0; i < n; i++) {
		struct mq_sentry e;
		int err = parse_entry(json_object_array_get_idx(entries, i), i,
				      &e, why, cap);

		if (err)
			return err;
		if (mq_state_find(out, e.netns, e.path) >= 0) {
			mq_sentry_fini(&e);
			return why_set(why, cap, "entry %zu: %.80s recorded twice",
				       i + 1, e.path);
		}
		err = mq_state_add(out, &e);
		mq_sentry_fini(&e);
		if (err)
			return -2;
	}
	return 0;
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

static struct json_object *str_or_null(const char *s)
{
	return s ? mq_json_str(s) : NULL;
}

static struct json_object *entry_json(const struct mq_sentry *e)
{
	struct json_object *o = json_object_new_object();
	bool sysctl = e->target == MQ_T_SYSCTL;

	if (!o)
		return NULL;
	mq_json_put(o, "kind", json_object_new_string(mq_state_kind_name(e->target)));
	mq_json_put(o, "path", json_object_new_string(e->path));
	mq_json_put(o, "object", mq_json_str(e->object));
	mq_json_put(o, "interface", sysctl ? NULL : mq_json_str(e->ifname));
	mq_json_put(o, "ifindex", sysctl ? NULL : json_object_new_int64(e->ifindex));
	mq_json_put(o, "irq", e->irq >= 0 ? json_object_new_int64(e->irq) : NULL);
	mq_json_put(o, "irq_name", str_or_null(e->irq_name));
	mq_json_put(o, "netns", str_or_null(e->netns));
	mq_json_put(o, "value", json_object_new_string(e->value));
	mq_json_put(o, "recorded", json_object_new_string(e->recorded));
	return o;
}

/* Append @s to the growing buffer; false when out of memory. */
static bool put(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 4096;
		char *bigger;

		while (*len + n + 1 > c)
			c *= 2;
		bigger = realloc(*buf, c);
		if (!bigger)
			return false;
		*buf = bigger;
		*cap = c;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return true;
}

char *mq_state_format(const struct mq_state *s, size_t *out_len)
{
	char *buf = NULL, head[256];
	size_t len = 0, cap = 0, i;
	bool ok;
	struct json_object *boot = str_or_null(s->boot_id);

	snprintf(head, sizeof(head),
		 "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"boot_id\": %s,\n"
		 "  \"entries\": [", MQ_STATE_FORMAT, MQ_STATE_VERSION,
		 boot ? json_object_to_json_string(boot) : "null");
	json_object_put(boot);
	ok = put(&buf, &len, &cap, head);
	for (i = 0; ok && i < s->nr; i++) {
		struct json_object *o = entry_json(&s->entries[i]);
		const char *t = o ? json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;

		ok = t && put(&buf, &len, &cap, i ? ",\n    " : "\n    ") &&
		     put(&buf, &len, &cap, t);
		json_object_put(o);
	}
	ok = ok && put(&buf, &len, &cap, s->nr ? "\n  ]\n}\n" : "]\n}\n");
	if (!ok) {
		free(buf);
		return NULL;
	}
	*out_len = len;
	return buf;
}
