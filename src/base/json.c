/*
 * json.c - json-c helpers shared by the JSON renderers: kernel-style CPU
 * lists, nullable numbers, strings that stay valid UTF-8, and printing a
 * document compact (-j) or indented (-j -p).
 */
#include "mqtune/json.h"

#include <stdlib.h>
#include <string.h>

#include "mqtune/esc.h"

struct json_object *mq_json_cpus(const struct mq_cpuset *s)
{
	char *list = mq_cpuset_format_list(s);
	struct json_object *o;

	if (!list)
		return NULL;
	o = json_object_new_string(list);
	free(list);
	return o;
}

struct json_object *mq_json_int_or_null(int64_t v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

struct json_object *mq_json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, out = 0;
	struct json_object *o;
	char *fixed;

	while (i < n) {
		size_t len = mq_utf8_seq(p + i, n - i);

		if (!len)
			break;
		i += len;
	}
	if (i == n)
		return json_object_new_string(s);
	/* Each byte that is not UTF-8 becomes U+0080..U+00FF: two bytes. */
	fixed = malloc(2 * n + 1);
	if (!fixed)
		return NULL;
	for (i = 0; i < n;) {
		size_t len = mq_utf8_seq(p + i, n - i);

		if (len) {
			memcpy(fixed + out, p + i, len);
			out += len;
			i += len;
		} else {
			fixed[out++] = (char)(0xc0 | (p[i] >> 6));
			fixed[out++] = (char)(0x80 | (p[i] & 0x3f));
			i++;
		}
	}
	fixed[out] = '\0';
	o = json_object_new_string(fixed);
	free(fixed);
	return o;
}

void mq_json_put(struct json_object *obj, const char *key,
		 struct json_object *val)
{
	json_object_object_add(obj, key, val);
}

static int flags(bool pretty)
{
	return pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE :
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;
}

int mq_json_print(FILE *f, struct json_object *doc, bool pretty)
{
	const char *text;
	int ret = -1;

	text = json_object_to_json_string_ext(doc, flags(pretty));
	if (text && fputs(text, f) >= 0 && fputc('\n', f) != EOF)
		ret = 0;
	json_object_put(doc);
	return ret;
}

/* @val's text; when pretty, each line after the first indented by @indent. */
static void put_value(const struct mq_json_out *o, struct json_object *val,
		      const char *indent)
{
	const char *text = val ? json_object_to_json_string_ext(val,
				flags(o->pretty)) : "null";
	const char *nl;

	while (o->pretty && (nl = strchr(text, '\n'))) {
		fwrite(text, 1, (size_t)(nl - text) + 1, o->f);
		fputs(indent, o->f);
		text = nl + 1;
	}
	fputs(text, o->f);
	json_object_put(val);
}

static void next_member(struct mq_json_out *o, const char *key)
{
	if (o->pretty)
		fprintf(o->f, "%s\n  \"%s\": ", o->members++ ? "," : "", key);
	else
		fprintf(o->f, "%s\"%s\":", o->members++ ? "," : "", key);
}

void mq_json_out_begin(struct mq_json_out *o, FILE *f, bool pretty)
{
	o->f = f;
	o->pretty = pretty;
	o->members = 0;
	o->items = -1;
	fputc('{', f);
}

void mq_json_out_member(struct mq_json_out *o, const char *key,
			struct json_object *val)
{
	next_member(o, key);
	put_value(o, val, "  ");
}

void mq_json_out_array_begin(struct mq_json_out *o, const char *key)
{
	next_member(o, key);
	fputc('[', o->f);
	o->items = 0;
}

void mq_json_out_item(struct mq_json_out *o, struct json_object *val)
{
	if (o->pretty)
		fprintf(o->f, "%s\n    ", o->items++ ? "," : "");
	else if (o->items++)
		fputc(',', o->f);
	put_value(o, val, "    ");
}

void mq_json_out_array_end(struct mq_json_out *o)
{
	fputs(o->pretty && o->items > 0 ? "\n  ]" : "]", o->f);
	o->items = -1;
}

int mq_json_out_end(struct mq_json_out *o)
{
	fputs(o->pretty ? "\n}\n" : "}\n", o->f);
	return ferror(o->f) ? -1 : 0;
}
