/*
 * check_esc.c - names escaped for terminals (src/base/esc.c) and kept valid
 * UTF-8 in JSON (mq_json_str in src/base/json.c).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/esc.h"
#include "mqtune/json.h"

Suite *esc_suite(void);
Suite *json_suite(void);

static const struct {
	const char *in, *out;
} esc_cases[] = {
	{ "eth0", "eth0" },
	{ "", "" },
	{ "e\033[31m", "e\\x1b[31m" },
	{ "a\nb\tc\r", "a\\x0ab\\x09c\\x0d" },
	{ "del\x7f", "del\\x7f" },
	{ "back\\slash", "back\\\\slash" },
	{ "e\xffth0", "e\\xffth0" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },			/* é, UTF-8 */
	{ "\xe2\x82\xac", "\xe2\x82\xac" },			/* € */
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },		/* U+1F600 */
	{ "c1\xc2\x9b", "c1\\xc2\\x9b" },			/* U+009B CSI */
	{ "\xc0\xaf", "\\xc0\\xaf" },				/* overlong '/' */
	{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },			/* surrogate */
	{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },		/* > U+10FFFF */
	{ "cut\xe2\x82", "cut\\xe2\\x82" },			/* truncated */
	{ "\x80x", "\\x80x" },					/* stray continuation */
};

START_TEST(test_esc_text)
{
	char buf[128];

	ck_assert_str_eq(mq_esc_text(esc_cases[_i].in, buf, sizeof(buf)),
			 esc_cases[_i].out);
	ck_assert_int_eq(mq_esc_needed(esc_cases[_i].in),
			 strcmp(esc_cases[_i].in, esc_cases[_i].out) != 0);
}
END_TEST

START_TEST(test_esc_truncates_whole)
{
	char buf[7];

	/* "ab\x1b" needs 6 bytes + NUL: fits; one more escape does not */
	ck_assert_str_eq(mq_esc_text("ab\033\033", buf, sizeof(buf)), "ab\\x1b");
	ck_assert_str_eq(mq_esc_text("abcdefgh", buf, sizeof(buf)), "abcdef");
	ck_assert_str_eq(mq_esc_text("x", buf, 1), "");
}
END_TEST

START_TEST(test_utf8_seq)
{
	ck_assert_uint_eq(mq_utf8_seq((const unsigned char *)"a", 1), 1);
	ck_assert_uint_eq(mq_utf8_seq((const unsigned char *)"\xc3\xa9", 2), 2);
	ck_assert_uint_eq(mq_utf8_seq((const unsigned char *)"\xc3\xa9", 1), 0);
	ck_assert_uint_eq(mq_utf8_seq((const unsigned char *)"\xef\xbf\xbd", 3), 3);
	ck_assert_uint_eq(mq_utf8_seq((const unsigned char *)"\xf5\x80\x80\x80", 4), 0);
	ck_assert_uint_eq(mq_utf8_seq((const unsigned char *)"\xe0\x80\x80", 3), 0);
}
END_TEST

Suite *esc_suite(void)
{
	Suite *s = suite_create("esc");
	TCase *tc = tcase_create("esc");

	tcase_add_loop_test(tc, test_esc_text, 0,
			    sizeof(esc_cases) / sizeof(esc_cases[0]));
	tcase_add_test(tc, test_esc_truncates_whole);
	tcase_add_test(tc, test_utf8_seq);
	suite_add_tcase(s, tc);
	return s;
}

/* mq_json_str: valid UTF-8 kept, other bytes as U+0080..U+00FF. */
START_TEST(test_json_str)
{
	static const struct { const char *in, *out; } c[] = {
		{ "eth0", "eth0" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "e\xffth0", "e\xc3\xbfth0" },
		{ "\x80\xc0", "\xc2\x80\xc3\x80" },
		{ "\xed\xa0\x80", "\xc3\xad\xc2\xa0\xc2\x80" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct json_object *o = mq_json_str(c[i].in);

		ck_assert_ptr_nonnull(o);
		ck_assert_str_eq(json_object_get_string(o), c[i].out);
		json_object_put(o);
	}
}
END_TEST

/* -j is one line; -j -p indents; both the same document. */
START_TEST(test_json_compact_and_pretty)
{
	char *buf[2] = { NULL, NULL };
	size_t len[2];
	int p;

	for (p = 0; p < 2; p++) {
		FILE *f = open_memstream(&buf[p], &len[p]);
		struct mq_json_out out;
		struct json_object *o = json_object_new_object();

		ck_assert_ptr_nonnull(f);
		json_object_object_add(o, "a", json_object_new_int(1));
		mq_json_out_begin(&out, f, p);
		mq_json_out_member(&out, "x", o);
		mq_json_out_array_begin(&out, "list");
		mq_json_out_item(&out, json_object_new_string("s"));
		mq_json_out_item(&out, NULL);
		mq_json_out_array_end(&out);
		mq_json_out_array_begin(&out, "empty");
		mq_json_out_array_end(&out);
		ck_assert_int_eq(mq_json_out_end(&out), 0);
		fclose(f);
	}
	ck_assert_str_eq(buf[0], "{\"x\":{\"a\":1},\"list\":[\"s\",null],\"empty\":[]}\n");
	ck_assert_ptr_nonnull(strchr(buf[1], '\n'));
	ck_assert_ptr_ne(strchr(buf[1], '\n'), buf[1] + len[1] - 1);
	{
		struct json_object *a = json_tokener_parse(buf[0]);
		struct json_object *b = json_tokener_parse(buf[1]);

		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_nonnull(b);
		ck_assert(json_object_equal(a, b));
		json_object_put(a);
		json_object_put(b);
	}
	free(buf[0]);
	free(buf[1]);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, test_json_str);
	tcase_add_test(tc, test_json_compact_and_pretty);
	suite_add_tcase(s, tc);
	return s;
}
