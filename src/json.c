/*
 * json.c - json-c helpers shared by the JSON renderers: kernel-style CPU
 * lists, nullable numbers, and printing a document.
 */
#include "mqtune/json.h"

#include <stdlib.h>

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
