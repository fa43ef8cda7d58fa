/*
 * json.c - json-c helpers shared by the JSON renderers: kernel-style CPU
 * lists, nullable numbers, and printing a document.
 */
#include "mqtune/json.h"

#include <stdlib.h>
#include <string.h>

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

void mq_json_put(struct json_object *obj, const char *key,
		 struct json_object *val)
{
	json_object_object_add(obj, key, val);
}

int mq_json_print(FILE *f, struct json_object *doc)
{
	const char *text;
	int ret = -1;

	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text && fputs(text, f) >= 0 && fputc('\n', f) != EOF)
		ret = 0;
	json_object_put(doc);
	return ret;
}

/* @val's pretty text, each line after the first indented by @indent. */
static void put_indented(FILE *f, struct json_object *val, const char *indent)
{
	const char *text = val ? json_object_to_json_string_ext(val,
				JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				JSON_C_TO_STRING_NOSLASHESCAPE) : "null";
	const char *nl;

	while ((nl = strchr(text, '\n'))) {
		fwrite(text, 1, (size_t)(nl - text) + 1, f);
		fputs(indent, f);
		text = nl + 1;
	}
	fputs(text, f);
	json_object_put(val);
}

static void next_member(struct mq_json_out *o, const char *key)
{
	fprintf(o->f, "%s\n  \"%s\": ", o->members++ ? "," : "", key);
}

void mq_json_out_begin(struct mq_json_out *o, FILE *f)
{
	o->f = f;
	o->members = 0;
	o->items = -1;
	fputc('{', f);
}

void mq_json_out_member(struct mq_json_out *o, const char *key,
			struct json_object *val)
{
	next_member(o, key);
	put_indented(o->f, val, "  ");
}

void mq_json_out_array_begin(struct mq_json_out *o, const char *key)
{
	next_member(o, key);
	fputc('[', o->f);
	o->items = 0;
}

void mq_json_out_item(struct mq_json_out *o, struct json_object *val)
{
	fprintf(o->f, "%s\n    ", o->items++ ? "," : "");
	put_indented(o->f, val, "    ");
}

void mq_json_out_array_end(struct mq_json_out *o)
{
	fputs(o->items > 0 ? "\n  ]" : "]", o->f);
	o->items = -1;
}

int mq_json_out_end(struct mq_json_out *o)
{
	fputs("\n}\n", o->f);
	return ferror(o->f) ? -1 : 0;
}
