/*
 * json.h - small helpers over json-c shared by the JSON renderers.
 */
#ifndef MQTUNE_JSON_H
#define MQTUNE_JSON_H

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>

#include "mqtune/cpuset.h"

/* A CPU set as a kernel list string ("0-3,8"); NULL on ENOMEM. */
struct json_object *mq_json_cpus(const struct mq_cpuset *s);
/* A number, or JSON null when @v < 0 (meaning "not available"). */
struct json_object *mq_json_int_or_null(int64_t v);
/* obj[key] = val (val may be NULL = JSON null). */
void mq_json_put(struct json_object *obj, const char *key,
		 struct json_object *val);
/* Print @doc pretty, with a final newline; frees it.  0 or -1. */
int mq_json_print(FILE *f, struct json_object *doc);

#endif /* MQTUNE_JSON_H */
