/*
 * fuzz_limits.c - libFuzzer target for mq_parse_limit(),
 * mq_parse_u64_tuple() and mq_sysctl_conf_find().
 *
 * Checked: documented results; outputs untouched on failure; a found
 * sysctl setting names a line of the input and its value is a
 * NUL-terminated string within the capacity.
 */
#include "mqtune/procnet.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size);
	uint64_t soft = 5, hard = 6, tup[3] = { 1, 2, 3 };
	size_t line = 0, lines = 1, i;
	char val[8];
	int r;

	if (!buf)
		return 0;
	for (i = 0; i < size; i++)
		lines += buf[i] == '\n';
	r = mq_parse_limit(buf, size, "Max open files", &soft, &hard);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX, "documented result");
	FUZZ_CHECK(r == MQ_PARSE_OK || (soft == 5 && hard == 6), "untouched");
	r = mq_parse_u64_tuple(buf, size, tup, 3);
	FUZZ_CHECK(r == MQ_PARSE_OK || r == MQ_PARSE_SYNTAX, "documented result");
	FUZZ_CHECK(r == MQ_PARSE_OK || (tup[0] == 1 && tup[1] == 2 && tup[2] == 3),
		   "untouched");
	r = mq_sysctl_conf_find(buf, size, "net.ipv4.tcp_tw_recycle", &line, val,
				sizeof(val));
	FUZZ_CHECK(r == 0 || r == 1, "found or not");
	if (r) {
		FUZZ_CHECK(line >= 1 && line <= lines, "a line of the input");
		FUZZ_CHECK(memchr(val, '\0', sizeof(val)) != NULL, "terminated");
	}
	free(buf);
	return 0;
}
