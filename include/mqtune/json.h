/*
 * json.h - small helpers over json-c shared by the JSON renderers.
 */
#ifndef MQTUNE_JSON_H
#define MQTUNE_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mqtune/cpuset.h"

/* A CPU set as a kernel list string ("0-3,8"); NULL on ENOMEM. */
struct json_object *mq_json_cpus(const struct mq_cpuset *s);
/* A number, or JSON null when @v < 0 (meaning "not available"). */
struct json_object *mq_json_int_or_null(int64_t v);
/*
 * A string from the kernel or the command line as a JSON string.  JSON
 * text must be UTF-8 and json-c copies bytes as they are, so each byte
 * of @s that is not part of a well-formed UTF-8 sequence becomes the
 * character U+0080..U+00FF of the same value (as ISO 8859-1 reads it):
 * "eth\xff" is "eth\u00ff".  Control characters are escaped by json-c.
 * NULL on ENOMEM.
 */
struct json_object *mq_json_str(const char *s);
/* obj[key] = val (val may be NULL = JSON null). */
void mq_json_put(struct json_object *obj, const char *key,
		 struct json_object *val);
/* Print @doc on one line, or indented when @pretty, with a final
 * newline; frees it.  0 or -1. */
int mq_json_print(FILE *f, struct json_object *doc, bool pretty);

/*
 * A document written as it is made: the top-level object's members, and
 * the items of one array member at a time, are printed and freed one by
 * one, so a machine with thousands of queues never holds the whole tree
 * (json-c objects cost far more than their text).  The result is the same
 * JSON as mq_json_print() would give: one line, or indented when @pretty.
 */
struct mq_json_out {
	FILE *f;
	bool pretty;
	int members;		/* members printed so far */
	int items;		/* items of the open array, -1 when none */
};

void mq_json_out_begin(struct mq_json_out *o, FILE *f, bool pretty);
/* Print "key": val (val may be NULL = null) and free val. */
void mq_json_out_member(struct mq_json_out *o, const char *key,
			struct json_object *val);
void mq_json_out_array_begin(struct mq_json_out *o, const char *key);
/* Print one item of the open array and free it. */
void mq_json_out_item(struct mq_json_out *o, struct json_object *val);
void mq_json_out_array_end(struct mq_json_out *o);
/* Close the document.  0, or -1 when writing failed. */
int mq_json_out_end(struct mq_json_out *o);

#endif /* MQTUNE_JSON_H */
