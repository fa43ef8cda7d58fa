/*
 * check_state.c - the state file: its document parsed strictly and
 * printed back the same, the atomic replace in root, and the journal's
 * rule that an original is never overwritten while its object is the
 * same.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mqtune/journal.h"
#include "mqtune/restore.h"
#include "mqtune/rss.h"
#include "mqtune/root.h"
#include "mqtune/state.h"
#include "mqtune/statefile.h"
#include "model_builder.h"

#define IRQ_ENTRY(extra) \
	"{ \"kind\": \"irq_affinity\", \"path\": \"/proc/irq/45/smp_affinity_list\", " \
	"\"object\": \"eth0 IRQ 45\", \"interface\": \"eth0\", \"ifindex\": 2, " \
	"\"irq\": 45, \"irq_name\": \"eth0-TxRx-0\", \"netns\": null, " \
	"\"value\": \"0-63\\n\", \"recorded\": \"2026-12-02T00:00:00Z\"" extra " }"
#define RPS_ENTRY \
	"{ \"kind\": \"rps_cpus\", \"path\": \"/sys/class/net/eth0/queues/rx-3/rps_cpus\", " \
	"\"object\": \"eth0 rx-3 rps_cpus\", \"interface\": \"eth0\", \"ifindex\": 2, " \
	"\"irq\": null, \"irq_name\": null, \"netns\": \"net:[4026531840]\", " \
	"\"value\": \"00000000,00000000\\n\", \"recorded\": \"2026-12-02T00:00:00Z\" }"
#define SYSCTL_ENTRY \
	"{ \"kind\": \"sysctl\", \"path\": \"/proc/sys/net/core/netdev_max_backlog\", " \
	"\"object\": \"net.core.netdev_max_backlog\", \"interface\": null, \"ifindex\": null, " \
	"\"irq\": null, \"irq_name\": null, \"netns\": null, " \
	"\"value\": \"1000\\n\", \"recorded\": \"2026-12-02T00:00:00Z\" }"
#define CHANNELS_ENTRY \
	"{ \"kind\": \"channels\", \"path\": \"/sys/class/net/eth0\", " \
	"\"object\": \"eth0 channels\", \"interface\": \"eth0\", \"ifindex\": 2, " \
	"\"irq\": null, \"irq_name\": null, \"netns\": null, " \
	"\"value\": \"rx 0 tx 0 other 1 combined 4\", \"recorded\": \"2026-12-02T00:00:00Z\" }"
#define RSS_ENTRY(table) \
	"{ \"kind\": \"rss\", \"path\": \"/sys/class/net/eth0\", " \
	"\"object\": \"eth0 rss\", \"interface\": \"eth0\", \"ifindex\": 2, " \
	"\"irq\": null, \"irq_name\": null, \"netns\": null, " \
	"\"value\": \"" table "\", \"recorded\": \"2026-12-02T00:00:00Z\" }"
#define NAPI_ENTRY(path, object, value) \
	"{ \"kind\": \"napi_affinity\", \"path\": \"" path "\", " \
	"\"object\": \"" object "\", \"interface\": \"eth0\", \"ifindex\": 2, " \
	"\"irq\": null, \"irq_name\": null, \"netns\": null, " \
	"\"value\": \"" value "\", \"recorded\": \"2026-12-02T00:00:00Z\" }"
#define DOC(boot, entries) \
	"{\n  \"format\": \"mqtune-state\",\n  \"version\": 1,\n  \"boot_id\": " boot \
	",\n  \"entries\": [" entries "]\n}\n"

static const char good[] = DOC("\"b0\"", IRQ_ENTRY("") ", " RPS_ENTRY ", " SYSCTL_ENTRY);

static int parse(const char *text, struct mq_state *s, char *why)
{
	return mq_state_parse(text, strlen(text), s, why, 160);
}

START_TEST(test_state_parse_good)
{
	struct mq_state_index ix;
	struct mq_state s, again;
	char why[160] = "", *text;
	size_t len;

	ck_assert_int_eq(parse(good, &s, why), 0);
	ck_assert_uint_eq(s.nr, 3);
	ck_assert_str_eq(s.boot_id, "b0");
	ck_assert_int_eq(s.entries[0].target, MQ_T_IRQ_AFFINITY);
	ck_assert_int_eq(s.entries[0].irq, 45);
	ck_assert_str_eq(s.entries[0].irq_name, "eth0-TxRx-0");
	ck_assert_str_eq(s.entries[0].value, "0-63\n");
	ck_assert_ptr_null(s.entries[0].netns);
	ck_assert_str_eq(s.entries[1].netns, "net:[4026531840]");
	ck_assert_int_eq(s.entries[2].target, MQ_T_SYSCTL);
	ck_assert_str_eq(s.entries[2].ifname, "");
	ck_assert_int_eq(mq_state_index_build(&ix, &s, 0), 0);
	ck_assert_int_eq(mq_state_index_find(&ix, &s, NULL, MQ_T_IRQ_AFFINITY,
					     "/proc/irq/45/smp_affinity_list"), 0);
	/* another namespace's file of the same path is another object */
	ck_assert_int_eq(mq_state_index_find(&ix, &s, "net:[1]", MQ_T_IRQ_AFFINITY,
					     "/proc/irq/45/smp_affinity_list"), -1);
	ck_assert_int_eq(mq_state_index_find(&ix, &s, "net:[4026531840]", MQ_T_RPS_CPUS,
					     "/sys/class/net/eth0/queues/rx-3/rps_cpus"), 1);
	/* and so is another kind's */
	ck_assert_int_eq(mq_state_index_find(&ix, &s, "net:[4026531840]", MQ_T_XPS_CPUS,
					     "/sys/class/net/eth0/queues/rx-3/rps_cpus"), -1);
	mq_state_index_fini(&ix);
	/* printed, it reads back the same, and prints the same again */
	text = mq_state_format(&s, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(mq_state_parse(text, len, &again, why, sizeof(why)), 0);
	ck_assert_uint_eq(again.nr, 3);
	ck_assert_str_eq(again.entries[1].value, "00000000,00000000\n");
	{
		size_t len2;
		char *text2 = mq_state_format(&again, &len2);

		ck_assert_str_eq(text, text2);
		free(text2);
	}
	free(text);
	mq_state_fini(&again);
	mq_state_fini(&s);
}
END_TEST

/* A sink that gathers the pieces, and fails at piece @fail_at (0: never). */
struct gather {
	char *buf;
	size_t len, pieces, fail_at;
};

static int gather_piece(void *arg, const char *text, size_t len)
{
	struct gather *g = arg;
	char *bigger;

	if (++g->pieces == g->fail_at)
		return -ENOSPC;
	ck_assert_uint_le(len, (size_t)64 << 10);
	bigger = realloc(g->buf, g->len + len + 1);
	ck_assert_ptr_nonnull(bigger);
	g->buf = bigger;
	memcpy(g->buf + g->len, text, len);
	g->len += len;
	g->buf[g->len] = '\0';
	return 0;
}

/*
 * A state too large for one piece, with names a driver could give (quotes,
 * a backslash, control and non-UTF-8 bytes), printed in pieces: the same
 * text as printed whole, which parses back to the same entries, and a
 * sink's failure is returned.  Lookups through the index find every entry.
 */
START_TEST(test_state_print_pieces)
{
	struct mq_state s = { 0 }, back;
	struct mq_state_index ix;
	struct gather g = { 0 };
	char why[160], *whole;
	size_t len, i;

	for (i = 0; i < 600; i++) {
		struct mq_sentry e = { .target = MQ_T_IRQ_AFFINITY, .ifindex = 2,
				       .irq = (int64_t)(100 + i) };
		char name[64];

		snprintf(e.path, sizeof(e.path), "/proc/irq/%zu/smp_affinity_list",
			 100 + i);
		snprintf(e.object, sizeof(e.object), "eth0 IRQ %zu", 100 + i);
		snprintf(e.ifname, sizeof(e.ifname), "eth0");
		snprintf(e.recorded, sizeof(e.recorded), "2026-12-02T00:00:00Z");
		snprintf(name, sizeof(name), "q\"%zu\\\t\x01\xff\x7f", i);
		e.irq_name = name;
		e.netns = i % 2 ? "net:[4026531840]" : NULL;
		e.value = "0-1023\n";
		ck_assert_int_eq(mq_state_add(&s, &e), 0);
	}
	whole = mq_state_format(&s, &len);
	ck_assert_ptr_nonnull(whole);
	ck_assert_uint_gt(len, (size_t)64 << 10);
	ck_assert_int_eq(mq_state_print(&s, gather_piece, &g), 0);
	ck_assert_uint_gt(g.pieces, 1);
	ck_assert_uint_eq(g.len, len);
	ck_assert_str_eq(g.buf, whole);
	ck_assert_int_eq(mq_state_parse(g.buf, g.len, &back, why, sizeof(why)), 0);
	ck_assert_uint_eq(back.nr, 600);
	/* the byte that is not UTF-8 comes back as U+00FF */
	ck_assert_str_eq(back.entries[7].irq_name, "q\"7\\\t\x01\xc3\xbf\x7f");
	ck_assert_int_eq(mq_state_index_build(&ix, &back, 0), 0);
	for (i = 0; i < 600; i++)
		ck_assert_int_eq(mq_state_index_find(&ix, &back, s.entries[i].netns,
						     MQ_T_IRQ_AFFINITY,
						     s.entries[i].path), (long)i);
	ck_assert_int_eq(mq_state_index_find(&ix, &back, "net:[1]", MQ_T_IRQ_AFFINITY,
					     s.entries[0].path), -1);
	mq_state_index_fini(&ix);
	free(g.buf);
	g = (struct gather){ .fail_at = 2 };
	ck_assert_int_eq(mq_state_print(&s, gather_piece, &g), -ENOSPC);
	free(g.buf);
	free(whole);
	mq_state_fini(&back);
	mq_state_fini(&s);
}
END_TEST

START_TEST(test_state_empty_roundtrip)
{
	struct mq_state s = { 0 }, back;
	char why[160], *text;
	size_t len;

	text = mq_state_format(&s, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(mq_state_parse(text, len, &back, why, sizeof(why)), 0);
	ck_assert_uint_eq(back.nr, 0);
	ck_assert_ptr_null(back.boot_id);
	free(text);
	mq_state_fini(&back);
}
END_TEST

/* Every proper prefix of a good file is refused: a truncated file. */
START_TEST(test_state_truncated)
{
	size_t len = strlen(good), cut;

	for (cut = 0; cut + 1 < len; cut++) {
		struct mq_state s;
		char why[160] = "";

		ck_assert_msg(mq_state_parse(good, cut, &s, why, sizeof(why)) == -1,
			      "a file cut at byte %zu was taken", cut);
		ck_assert_uint_gt(strlen(why), 4);
	}
}
END_TEST

static const struct bad_case {
	const char *text;
	const char *why;	/* a piece of the cause */
} bad_cases[] = {
	{ "", "truncated" },
	{ "[]", "not a JSON object" },
	{ "{} x", "text after" },
	{ DOC("null", "") "{}", "text after" },
	{ "{\"format\": \"mqtune-state\", \"version\": 1, \"boot_id\": null}", "missing key 'entries'" },
	{ DOC("null", "") , NULL },	/* the good empty one, for contrast */
	{ "{\"format\": \"other\", \"version\": 1, \"boot_id\": null, \"entries\": []}", "'format'" },
	{ "{\"format\": \"mqtune-state\", \"version\": 3, \"boot_id\": null, \"entries\": []}", "version 3, this mqtune reads 1 to 2" },
	{ "{\"format\": \"mqtune-state\", \"version\": 0, \"boot_id\": null, \"entries\": []}", "version 0, this mqtune reads 1 to 2" },
	{ "{\"format\": \"mqtune-state\", \"version\": 2, \"boot_id\": null, \"entries\": []}", NULL },
	{ "{\"format\": \"mqtune-state\", \"version\": 1, \"boot_id\": null, \"entries\": [], \"x\": 1}", "unknown key 'x'" },
	{ "{\"format\": \"mqtune-state\", \"version\": \"1\", \"boot_id\": null, \"entries\": []}", "'version'" },
	{ "{\"format\": \"mqtune-state\", \"version\": 1, \"boot_id\": \"a b\", \"entries\": []}", "boot_id" },
	{ "{\"format\": \"mqtune-state\", \"version\": 1, \"boot_id\": null, \"entries\": {}}", "'entries'" },
	{ DOC("null", IRQ_ENTRY(", \"more\": 1")), "entry 1: unknown key 'more'" },
	{ DOC("null", IRQ_ENTRY("") ", " IRQ_ENTRY("")), "recorded twice" },
	{ DOC("null", "1"), "entry 1: not an object" },
	{ DOC("null", "{ \"kind\": \"irq_affinity\", \"path\": \"/proc/irq/46/smp_affinity_list\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": 45, "
	       "\"irq_name\": \"n\", \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "is not a irq_affinity file" },
	{ DOC("null", "{ \"kind\": \"rps_cpus\", \"path\": \"/sys/class/net/eth1/queues/rx-0/rps_cpus\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "not a rps_cpus file of eth0" },
	{ DOC("null", "{ \"kind\": \"rps_cpus\", \"path\": \"/sys/class/net/eth0/queues/rx-0/../../../../../etc/passwd\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "not a rps_cpus file" },
	{ DOC("null", "{ \"kind\": \"xps_cpus\", \"path\": \"/sys/class/net/eth0/queues/tx-01/xps_cpus\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "not a xps_cpus file" },
	{ DOC("null", "{ \"kind\": \"sysctl\", \"path\": \"/proc/sys/net/core/somaxconn\", "
	       "\"object\": \"x\", \"interface\": null, \"ifindex\": null, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "not a sysctl file" },
	{ DOC("null", "{ \"kind\": \"sysctl\", \"path\": \"/proc/sys/net/core/netdev_max_backlog\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "a sysctl with an interface" },
	{ DOC("null", "{ \"kind\": \"sysctl\", \"path\": \"/proc/sys/net/core/netdev_max_backlog\", "
	       "\"object\": \"x\", \"interface\": null, \"ifindex\": null, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"\", \"recorded\": \"t\" }"),
	  "empty value" },
	{ DOC("null", "{ \"kind\": \"bogus\", \"path\": \"/proc/sys/net/core/netdev_max_backlog\", "
	       "\"object\": \"x\", \"interface\": null, \"ifindex\": null, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "unknown kind 'bogus'" },
	{ DOC("null", "{ \"kind\": \"rps_cpus\", \"path\": \"/sys/class/net/eth0/queues/rx-0/rps_cpus\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 0, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "'ifindex' is out of range" },
	{ DOC("null", "{ \"kind\": \"rps_cpus\", \"path\": \"/sys/class/net/eth0/queues/rx-0/rps_cpus\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": 4, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\n\", \"recorded\": \"t\" }"),
	  "an IRQ number on a rps_cpus entry" },
	{ DOC("null", "{ \"kind\": \"rps_cpus\", \"path\": \"/sys/class/net/eth0/queues/rx-0/rps_cpus\", "
	       "\"object\": \"x\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"1\\u0000\", \"recorded\": \"t\" }"),
	  "NUL" },
	/* the channel counts and the RSS table of one interface: one path */
	{ DOC("null", CHANNELS_ENTRY ", " RSS_ENTRY("0 1 2 3\\n")), NULL },
	{ DOC("null", RSS_ENTRY("0 1 2 3\\n") ", " RSS_ENTRY("0 1\\n")),
	  "entry 2: rss /sys/class/net/eth0 recorded twice" },
	{ DOC("null", RSS_ENTRY("0 1 2 3 \\n")), "entry 1: bad RSS table (not its entries in decimal" },
	{ DOC("null", RSS_ENTRY("0 1 02\\n")), "bad RSS table" },
	{ DOC("null", RSS_ENTRY("0 1 65536\\n")), "bad RSS table" },
	{ DOC("null", NAPI_ENTRY("/proc/812", "eth0 napi/eth0-8193", "0-7")), NULL },
	{ DOC("null", NAPI_ENTRY("/proc/812", "eth0 napi/eth0-8193", "0-7") ", "
	       NAPI_ENTRY("/proc/812", "eth0 napi/eth0-8194", "1")),
	  "entry 2: napi_affinity /proc/812 recorded twice" },
	{ DOC("null", NAPI_ENTRY("/proc/812/status", "eth0 napi/eth0-8193", "0-7")),
	  "is not a napi_affinity file" },
	{ DOC("null", NAPI_ENTRY("/proc/812", "eth1 napi/eth1-8193", "0-7")),
	  "is not a napi_affinity file" },
	{ DOC("null", NAPI_ENTRY("/proc/812", "eth0 ksoftirqd/0", "0-7")),
	  "is not a napi_affinity file" },
	{ DOC("null", NAPI_ENTRY("/proc/812", "eth0 napi/eth0-8193", "0-7\\n")),
	  "entry 1: bad CPU list" },
	{ DOC("null", NAPI_ENTRY("/proc/812", "eth0 napi/eth0-8193", "ff")),
	  "entry 1: bad CPU list 'ff'" },
	{ DOC("null", "{ \"kind\": \"rss\", \"path\": \"/sys/class/net/eth1\", "
	       "\"object\": \"eth0 rss\", \"interface\": \"eth0\", \"ifindex\": 2, \"irq\": null, "
	       "\"irq_name\": null, \"netns\": null, \"value\": \"0\\n\", \"recorded\": \"t\" }"),
	  "path '/sys/class/net/eth1' is not a rss file of eth0" },
};

START_TEST(test_state_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct mq_state s;
	char why[160] = "";
	int ret = parse(c->text, &s, why);

	if (!c->why) {
		ck_assert_int_eq(ret, 0);
		mq_state_fini(&s);
		return;
	}
	ck_assert_int_eq(ret, -1);
	ck_assert_msg(strstr(why, c->why) != NULL, "case %d: cause '%s', want '%s'",
		      _i, why, c->why);
	ck_assert_uint_eq(s.nr, 0);
}
END_TEST

START_TEST(test_state_nul_byte)
{
	char text[sizeof(good)];
	struct mq_state s;
	char why[160] = "";

	memcpy(text, good, sizeof(good));
	text[10] = '\0';
	ck_assert_int_eq(mq_state_parse(text, sizeof(good) - 1, &s, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
}
END_TEST

/*
 * Random damage (bytes changed, cut, repeated) never crashes the parser
 * (run under ASan too); what it does take prints and reads back the same.
 */
START_TEST(test_state_mutations)
{
	unsigned int seed = 12345;
	size_t len = strlen(good), taken = 0;
	int round;

	for (round = 0; round < 3000; round++) {
		char text[sizeof(good) * 2];
		size_t n = len, k, flips = 1 + rand_r(&seed) % 4;
		struct mq_state s, back;
		char why[160];

		memcpy(text, good, len);
		for (k = 0; k < flips; k++) {
			size_t at = (size_t)rand_r(&seed) % n;

			switch (rand_r(&seed) % 3) {
			case 0:
				text[at] = (char)(rand_r(&seed) % 256);
				break;
			case 1:
				n = at;
				break;
			default:	/* repeat a stretch */
				if (n + 16 < sizeof(text) && at + 16 <= n) {
					memmove(text + at + 16, text + at, n - at);
					n += 16;
				}
			}
			if (!n)
				break;
		}
		if (mq_state_parse(text, n, &s, why, sizeof(why)) == 0) {
			size_t l2;
			char *out = mq_state_format(&s, &l2);

			ck_assert_ptr_nonnull(out);
			ck_assert_int_eq(mq_state_parse(out, l2, &back, why, sizeof(why)), 0);
			ck_assert_uint_eq(back.nr, s.nr);
			mq_state_fini(&back);
			free(out);
			mq_state_fini(&s);
			taken++;
		} else {
			ck_assert_uint_gt(strlen(why), 0);
		}
	}
	/* most damage is refused */
	ck_assert_uint_lt(taken, 1500);
}
END_TEST

START_TEST(test_state_drop)
{
	struct mq_state s;
	unsigned char drop[3] = { 1, 0, 1 };
	char why[160];

	ck_assert_int_eq(parse(good, &s, why), 0);
	mq_state_drop(&s, drop);
	ck_assert_uint_eq(s.nr, 1);
	ck_assert_int_eq(s.entries[0].target, MQ_T_RPS_CPUS);
	mq_state_fini(&s);
}
END_TEST

/* ---- the file: root's atomic replace, the journal ---- */

static char dir[64];

static void tmp_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mqtune-state.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void tmp_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void put_file(const char *rel, const char *text)
{
	char path[256], cmd[400];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s/%s')\"", dir, rel);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static char *get_file(const char *rel)
{
	char path[256], *buf = calloc(1, 1 << 16);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	ck_assert_int_ge(read(fd, buf, (1 << 16) - 1), 0);
	close(fd);
	return buf;
}

START_TEST(test_root_replace)
{
	struct mq_root r;
	struct mq_diag d;
	struct stat st;
	char path[256], *text;

	ck_assert_int_eq(mq_root_open(&r, dir, &d), 0);
	/* the directories are made; the file holds exactly the text */
	ck_assert_int_eq(mq_root_replace(&r, "/var/lib/mqtune/s.json", "one\n", 4, 0640), 0);
	text = get_file("var/lib/mqtune/s.json");
	ck_assert_str_eq(text, "one\n");
	free(text);
	snprintf(path, sizeof(path), "%s/var/lib/mqtune/s.json", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	/* a shorter text replaces it whole; a killed run's temporary goes */
	put_file("var/lib/mqtune/.s.json.tmp", "left by a killed run");
	ck_assert_int_eq(mq_root_replace(&r, "/var/lib/mqtune/s.json", "2", 1, 0644), 0);
	text = get_file("var/lib/mqtune/s.json");
	ck_assert_str_eq(text, "2");
	free(text);
	ck_assert_ptr_null(get_file("var/lib/mqtune/.s.json.tmp"));
	/* a file where a directory should be: the errno, nothing made */
	put_file("var/lib/other", "x");
	ck_assert_int_eq(mq_root_replace(&r, "/var/lib/other/s.json", "x", 1, 0644), -ENOTDIR);
	ck_assert_int_eq(mq_root_remove(&r, "/var/lib/mqtune/s.json"), 0);
	ck_assert_ptr_null(get_file("var/lib/mqtune/s.json"));
	ck_assert_int_eq(mq_root_remove(&r, "/var/lib/mqtune/s.json"), 0);
	ck_assert_int_eq(mq_root_remove(&r, "/var/lib/none/s.json"), 0);
	mq_root_close(&r);
}
END_TEST

START_TEST(test_root_replace_confined)
{
	struct mq_root r;
	struct mq_diag d;
	char outside[64], cmd[256];

	/* /var in the sysroot is an absolute link out of it: the state file
	 * is made inside the sysroot all the same, never outside */
	snprintf(outside, sizeof(outside), "/tmp/mqtune-out.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(outside));
	snprintf(cmd, sizeof(cmd), "ln -s '%s' '%s/var'", outside, dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(mq_root_open(&r, dir, &d), 0);
	mq_root_replace(&r, "/var/lib/mqtune/s.json", "x", 1, 0644);
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", outside);
	ck_assert_int_eq(system(cmd), 0);
	mq_root_close(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", outside);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A plan of one sysctl change, as plan.c makes it. */
static void one_change(struct mq_plan *p, const char *saved, const char *value)
{
	memset(p, 0, sizeof(*p));
	p->nr_cpu_ids = 8;
	p->nr = 1;
	p->changes = calloc(1, sizeof(*p->changes));
	ck_assert_ptr_nonnull(p->changes);
	p->changes[0].target = MQ_T_SYSCTL;
	p->changes[0].dev = -1;
	snprintf(p->changes[0].path, sizeof(p->changes[0].path), "%s", MQ_SYSCTL_BACKLOG);
	snprintf(p->changes[0].object, sizeof(p->changes[0].object),
		 "net.core.netdev_max_backlog");
	p->changes[0].value = strdup(value);
	p->changes[0].saved = saved ? strdup(saved) : NULL;
	p->changes[0].saved_len = saved ? strlen(saved) : 0;
}

START_TEST(test_journal_keeps_original)
{
	struct mq_machine *m = mq_machine_new();
	struct mq_placement pl = { 0 };
	struct mq_plan p;
	struct mq_root r;
	struct mq_diag d;
	struct mq_state s;
	char *text;

	ck_assert_ptr_nonnull(m);
	put_file("proc/sys/net/core/netdev_max_backlog", "1000\n");
	ck_assert_int_eq(mq_root_open(&r, dir, &d), 0);
	/* no saved text: the journal reads it, and hands it to the undo */
	one_change(&p, NULL, "30000\n");
	ck_assert_int_eq(mq_journal_record(&r, m, &p, &pl, &d), 0);
	ck_assert_str_eq(p.changes[0].saved, "1000\n");
	mq_plan_fini(&p);
	/* a later run with another value does not overwrite the original */
	one_change(&p, "30000\n", "5000\n");
	ck_assert_int_eq(mq_journal_record(&r, m, &p, &pl, &d), 0);
	mq_plan_fini(&p);
	ck_assert_int_eq(mq_journal_load(&r, &s, &d), 0);
	ck_assert_uint_eq(s.nr, 1);
	ck_assert_str_eq(s.entries[0].value, "1000\n");
	ck_assert_ptr_null(s.boot_id);
	mq_state_fini(&s);
	ck_assert_uint_eq(pl.warnings.n, 0);
	/* another boot: the old entries are stale, the new original is kept */
	put_file("proc/sys/kernel/random/boot_id", "abc\n");
	one_change(&p, "5000\n", "30000\n");
	ck_assert_int_eq(mq_journal_record(&r, m, &p, &pl, &d), 0);
	mq_plan_fini(&p);
	ck_assert_int_eq(mq_journal_load(&r, &s, &d), 0);
	ck_assert_uint_eq(s.nr, 1);
	ck_assert_str_eq(s.boot_id, "abc");
	ck_assert_str_eq(s.entries[0].value, "5000\n");
	mq_state_fini(&s);
	/* corrupt: left as it is, a warning, the run goes on */
	put_file("var/lib/mqtune/state.json", "{\"format\": ");
	one_change(&p, "5000\n", "30000\n");
	ck_assert_int_eq(mq_journal_record(&r, m, &p, &pl, &d), 0);
	mq_plan_fini(&p);
	ck_assert_uint_eq(pl.warnings.n, 1);
	ck_assert_str_eq(pl.warnings.list[0].code, "state-corrupt");
	text = get_file("var/lib/mqtune/state.json");
	ck_assert_str_eq(text, "{\"format\": ");
	free(text);
	ck_assert_int_eq(mq_journal_load(&r, &s, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_STATE);
	ck_assert_ptr_nonnull(strstr(d.msg, "/var/lib/mqtune/state.json: corrupt state file: truncated"));
	mq_warnings_fini(&pl.warnings);
	mq_root_close(&r);
	mq_machine_free(m);
}
END_TEST

/* A plan of one step of @kind for netdev @dev of @m, replacing @saved. */
static void one_step(struct mq_plan *p, const struct mq_machine *m, int dev,
		     enum mq_target kind, const char *saved)
{
	struct mq_change *c;

	memset(p, 0, sizeof(*p));
	p->nr_cpu_ids = 8;
	p->nr = 1;
	p->changes = calloc(1, sizeof(*p->changes));
	ck_assert_ptr_nonnull(p->changes);
	c = &p->changes[0];
	c->target = kind;
	c->dev = dev;
	c->step = calloc(1, sizeof(*c->step));
	ck_assert_ptr_nonnull(c->step);
	snprintf(c->step->ifname, sizeof(c->step->ifname), "%s", m->netdevs[dev].name);
	snprintf(c->object, sizeof(c->object), "%s %s", m->netdevs[dev].name,
		 kind == MQ_T_RSS ? "rss" : "channels");
	c->value = strdup("x");
	c->saved = strdup(saved);
	c->saved_len = strlen(saved);
}

static void set_table(struct mq_netdev *dev, uint32_t size, uint32_t nr_queues)
{
	free(dev->rss.table);
	dev->rss.source = MQ_RSS_SRC_NETLINK;
	dev->rss.size = size;
	dev->rss.table = malloc(size * sizeof(uint32_t));
	ck_assert_ptr_nonnull(dev->rss.table);
	mq_rss_equal_fill(dev->rss.table, size, nr_queues);
}

/*
 * A channel change records the RSS table with the counts (the driver
 * spreads it again over the new count), and a later run's RSS change of
 * the same interface keeps that original; without a table (a sysroot),
 * the counts alone.
 */
START_TEST(test_journal_records_table)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_placement pl = { 0 };
	struct mq_plan p;
	struct mq_root r;
	struct mq_diag d;
	struct mq_state s;

	mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 0, 0, 10000)->ifindex = 3;
	mb_netdev(m, "eth1", 4, 4, MB_VEC_COMBINED, 0, 0, 10000)->ifindex = 4;
	set_table(&m->netdevs[0], 8, 4);
	ck_assert_int_eq(mq_root_open(&r, dir, &d), 0);
	one_step(&p, m, 0, MQ_T_CHANNELS, "rx 0 tx 0 other 0 combined 4");
	ck_assert_int_eq(mq_journal_record(&r, m, &p, &pl, &d), 0);
	mq_plan_fini(&p);
	/* phase 2: the driver spread the table over 2; auto writes it */
	set_table(&m->netdevs[0], 8, 2);
	one_step(&p, m, 0, MQ_T_RSS, "0 1 0 1 0 1 0 1\n");
	ck_assert_int_eq(mq_journal_record(&r, m, &p, &pl, &d), 0);
	mq_plan_fini(&p);
	one_step(&p, m, 1, MQ_T_CHANNELS, "rx 0 tx 0 other 0 combined 4");
	ck_assert_int_eq(mq_journal_record(&r, m, &p, &pl, &d), 0);
	mq_plan_fini(&p);
	ck_assert_int_eq(mq_journal_load(&r, &s, &d), 0);
	ck_assert_uint_eq(s.nr, 3);
	ck_assert_int_eq(s.entries[0].target, MQ_T_CHANNELS);
	ck_assert_str_eq(s.entries[0].path, "/sys/class/net/eth0");
	ck_assert_str_eq(s.entries[0].value, "rx 0 tx 0 other 0 combined 4");
	ck_assert_int_eq(s.entries[1].target, MQ_T_RSS);
	ck_assert_str_eq(s.entries[1].path, "/sys/class/net/eth0");
	ck_assert_str_eq(s.entries[1].object, "eth0 rss");
	ck_assert_str_eq(s.entries[1].ifname, "eth0");
	ck_assert_int_eq(s.entries[1].ifindex, 3);
	ck_assert_str_eq(s.entries[1].value, "0 1 2 3 0 1 2 3\n");
	ck_assert_int_eq(s.entries[2].target, MQ_T_CHANNELS);
	ck_assert_str_eq(s.entries[2].ifname, "eth1");
	mq_state_fini(&s);
	ck_assert_uint_eq(pl.warnings.n, 0);
	mq_root_close(&r);
	mq_machine_free(m);
}
END_TEST

/* An item of @kind for eth0 (ifindex 3) recorded as @value. */
static void rs_entry(struct mq_restore *rs, enum mq_target kind,
		     const char *value)
{
	struct mq_sentry e = { .target = kind, .ifindex = 3, .irq = -1 };

	snprintf(e.path, sizeof(e.path), "/sys/class/net/eth0");
	snprintf(e.object, sizeof(e.object), "eth0 %s",
		 kind == MQ_T_RSS ? "rss" : "channels");
	snprintf(e.ifname, sizeof(e.ifname), "eth0");
	e.value = (char *)value;
	ck_assert_int_eq(mq_state_add(&rs->state, &e), 0);
	if (!rs->items) {
		rs->items = calloc(8, sizeof(*rs->items));
		ck_assert_ptr_nonnull(rs->items);
	}
	rs->items[rs->nr].entry = rs->state.nr - 1;
	rs->items[rs->nr].fate = MQ_RF_WRITE;
	rs->items[rs->nr].change = -1;
	rs->nr++;
}

/* eth0 with @nq combined channels of at most 4, an 8-entry table equal
 * over @spread queues (0: no table), and restore planned on @rs. */
static struct mq_machine *rs_plan(struct mq_restore *rs, size_t nq,
				  uint32_t spread)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", nq, nq, MB_VEC_COMBINED, 0,
					  0, 10000);
	struct mq_diag d;

	dev->ifindex = 3;
	dev->channels.max_combined = 4;
	if (spread)
		set_table(dev, 8, spread);
	mq_diag_clear(&d);
	ck_assert_msg(mq_restore_plan(NULL, m, rs, &d) == 0, "%s", d.msg);
	return m;
}

static bool table_is(const uint32_t *t, const char *text)
{
	uint32_t *want, size;
	bool same;

	ck_assert_int_eq(mq_rss_parse_state(text, &want, &size), 0);
	same = memcmp(t, want, size * sizeof(*t)) == 0;
	free(want);
	return same;
}

/*
 * A channel shrink to come: the files of the queues it takes away are
 * stale (never read: they are there now, and gone after the counts).
 */
START_TEST(test_restore_plan_queues_go)
{
	static const char *const paths[] = {
		"/sys/class/net/eth0/queues/rx-2/rps_cpus",
		"/sys/class/net/eth0/queues/rx-3/rps_flow_cnt",
		"/sys/class/net/eth0/queues/tx-2/xps_cpus",
	};
	struct mq_restore rs = { 0 };
	struct mq_machine *m;
	size_t i;

	rs_entry(&rs, MQ_T_CHANNELS, "rx 0 tx 0 other 0 combined 2");
	for (i = 0; i < 3; i++) {
		rs_entry(&rs, i == 0 ? MQ_T_RPS_CPUS : i == 1 ? MQ_T_RPS_FLOW_CNT :
			 MQ_T_XPS_CPUS, "0\n");
		snprintf(rs.state.entries[i + 1].path, MQ_CHANGE_PATH_MAX, "%s",
			 paths[i]);
	}
	m = rs_plan(&rs, 4, 0);
	ck_assert_uint_eq(rs.plan.nr, 1);
	ck_assert_int_eq(rs.plan.changes[0].target, MQ_T_CHANNELS);
	for (i = 1; i < 4; i++) {
		ck_assert_int_eq(rs.items[i].fate, MQ_RF_STALE);
		ck_assert_str_eq(rs.items[i].why,
				 "its queue goes with the channel counts restored");
	}
	mq_restore_fini(&rs);
	mq_machine_free(m);
}
END_TEST

/* A recorded table @value that restore finds stale on rs_plan(@nq, @spread). */
static void assert_rss_stale(const char *value, size_t nq, uint32_t spread,
			     const char *why)
{
	struct mq_restore rs = { 0 };
	struct mq_machine *m;

	rs_entry(&rs, MQ_T_RSS, value);
	m = rs_plan(&rs, nq, spread);
	ck_assert_uint_eq(rs.plan.nr, 0);
	ck_assert_int_eq(rs.items[0].fate, MQ_RF_STALE);
	ck_assert_str_eq(rs.items[0].why, why);
	mq_restore_fini(&rs);
	mq_machine_free(m);
}

/*
 * restore brings a recorded table back after the channel counts: as a
 * reset when it is the equal spread over the queues active then, else
 * entry by entry; a table that blocks the shrink is reset before the
 * counts; the same table is forgotten; one of another size, or naming a
 * queue that is not active, is stale.
 */
START_TEST(test_restore_plan_rss)
{
	struct mq_restore rs = { 0 };
	struct mq_machine *m;
	const struct mq_change *c;

	/* auto shrank 4 -> 2: back to 4, then the equal spread over 4 as a
	 * reset */
	rs_entry(&rs, MQ_T_CHANNELS, "rx 0 tx 0 other 0 combined 4");
	rs_entry(&rs, MQ_T_RSS, "0 1 2 3 0 1 2 3\n");
	m = rs_plan(&rs, 2, 2);
	ck_assert_uint_eq(rs.plan.nr, 2);
	ck_assert_int_eq(rs.plan.changes[0].target, MQ_T_CHANNELS);
	c = &rs.plan.changes[1];
	ck_assert_int_eq(c->target, MQ_T_RSS);
	ck_assert_int_eq(rs.items[0].change, 0);
	ck_assert_int_eq(rs.items[1].change, 1);
	ck_assert_uint_eq(c->step->rss_size, 0);
	ck_assert(table_is(c->step->rss_want, "0 1 2 3 0 1 2 3\n"));
	ck_assert(table_is(c->step->rss_saved, "0 1 0 1 0 1 0 1\n"));
	ck_assert_uint_eq(c->step->rss_saved_size, 8);
	ck_assert_str_eq(c->step->ifname, "eth0");
	ck_assert_int_eq(c->step->ifindex, 3);
	ck_assert_str_eq(c->object, "eth0 rss");
	ck_assert_str_eq(c->old_display, "after the channel change");
	ck_assert_str_eq(c->new_display, "0-3 equal (8)");
	ck_assert_str_eq(rs.items[1].now, "0 1 0 1 0 1 0 1\n");
	mq_restore_fini(&rs);
	mq_machine_free(m);

	/* an uneven table, no channel change: written entry by entry */
	rs_entry(&rs, MQ_T_RSS, "0 0 1 1 2 2 3 3\n");
	m = rs_plan(&rs, 4, 4);
	ck_assert_uint_eq(rs.plan.nr, 1);
	c = &rs.plan.changes[0];
	ck_assert_uint_eq(c->step->rss_size, 8);
	ck_assert(table_is(c->step->rss_want, "0 0 1 1 2 2 3 3\n"));
	ck_assert_str_eq(c->old_display, "0-3 equal (8)");
	ck_assert_str_eq(c->new_display, "0:2 1:2 2:2 3:2 (8)");
	mq_restore_fini(&rs);
	mq_machine_free(m);

	/* the table is the recorded one: already original */
	rs_entry(&rs, MQ_T_RSS, "0 1 2 3 0 1 2 3\n");
	m = rs_plan(&rs, 4, 4);
	ck_assert_uint_eq(rs.plan.nr, 0);
	ck_assert_int_eq(rs.items[0].fate, MQ_RF_SAME);
	mq_restore_fini(&rs);
	mq_machine_free(m);

	/* auto grew 2 -> 4 and a user set the table over 4 since: it is
	 * reset before the shrink, and the recorded one written after */
	rs_entry(&rs, MQ_T_CHANNELS, "rx 0 tx 0 other 0 combined 2");
	rs_entry(&rs, MQ_T_RSS, "0 1 0 1 0 1 0 1\n");
	m = rs_plan(&rs, 4, 4);
	ck_assert_uint_eq(rs.plan.nr, 3);
	c = &rs.plan.changes[0];
	ck_assert_int_eq(c->target, MQ_T_RSS);
	ck_assert_uint_eq(c->step->rss_size, 0);
	ck_assert(table_is(c->step->rss_saved, "0 1 2 3 0 1 2 3\n"));
	ck_assert_str_eq(c->new_display, "the driver's default, for the shrink to 2 queues");
	ck_assert_int_eq(rs.plan.changes[1].target, MQ_T_CHANNELS);
	ck_assert_int_eq(rs.plan.changes[2].target, MQ_T_RSS);
	ck_assert_uint_eq(rs.plan.changes[2].step->rss_size, 0);
	ck_assert_int_eq(rs.items[0].change, 1);
	ck_assert_int_eq(rs.items[1].change, 2);
	mq_restore_fini(&rs);
	mq_machine_free(m);

	/* stale: another size, a queue not active, no table to write */
	assert_rss_stale("0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3\n", 4, 4,
			 "the table has 8 entries now, 16 when recorded");
	assert_rss_stale("0 1 2 3 0 1 2 3\n", 2, 2,
			 "it names queue 3, and 2 receive queues are active");
	assert_rss_stale("0 1 2 3 0 1 2 3\n", 4, 0,
			 "its RSS table cannot be read here");
}
END_TEST

/* A NAPI thread of eth0 recorded with @value: pid 812, napi/eth0-8193. */
static void rs_napi_entry(struct mq_restore *rs, const char *value)
{
	rs_entry(rs, MQ_T_NAPI_AFFINITY, value);
	snprintf(rs->state.entries[rs->state.nr - 1].path, MQ_CHANGE_PATH_MAX,
		 "/proc/812");
	snprintf(rs->state.entries[rs->state.nr - 1].object, 96,
		 "eth0 napi/eth0-8193");
}

/* eth0 (4 queues) with thread @pid named napi/eth0-8193 on CPUs @aff. */
static struct mq_machine *napi_machine(pid_t pid, const char *aff)
{
	struct mq_machine *m = mb_machine(8, 1, 1);
	struct mq_netdev *dev = mb_netdev(m, "eth0", 4, 4, MB_VEC_COMBINED, 0,
					  0, 10000);
	struct mq_napi_thread *th;

	dev->ifindex = 3;
	dev->channels.max_combined = 8;
	dev->napi = calloc(1, sizeof(*dev->napi));
	ck_assert_ptr_nonnull(dev->napi);
	dev->nr_napi = 1;
	th = &dev->napi[0];
	th->pid = pid;
	th->napi_id = 8193;
	th->irq = th->txq = -1;
	th->threaded = true;
	snprintf(th->comm, sizeof(th->comm), "napi/eth0-8193");
	mb_cpuset(&th->affinity, m->topo.nr_cpu_ids, aff);
	th->affinity_raw = strdup(aff);
	ck_assert_ptr_nonnull(th->affinity_raw);
	return m;
}

/*
 * restore puts a NAPI thread's affinity back while that thread (pid and
 * name) still serves the interface; a thread gone, another thread on the
 * pid, or a channel change this restore makes: stale.
 */
START_TEST(test_restore_plan_napi)
{
	struct mq_restore rs = { 0 };
	struct mq_machine *m;
	struct mq_diag d;
	const struct mq_change *c;
	int pass;

	mq_diag_clear(&d);
	rs_napi_entry(&rs, "0-7");
	m = napi_machine(812, "2");
	ck_assert_int_eq(mq_restore_plan(NULL, m, &rs, &d), 0);
	ck_assert_uint_eq(rs.plan.nr, 1);
	c = &rs.plan.changes[0];
	ck_assert_int_eq(c->target, MQ_T_NAPI_AFFINITY);
	ck_assert_str_eq(c->object, "eth0 napi/eth0-8193");
	ck_assert_str_eq(c->value, "0-7");
	ck_assert_str_eq(c->saved, "2");
	ck_assert_str_eq(c->old_display, "2");
	ck_assert_str_eq(c->new_display, "0-7");
	ck_assert_int_eq(c->step->pid, 812);
	ck_assert_str_eq(c->step->ifname, "eth0");
	ck_assert_int_eq(c->step->ifindex, 3);
	mq_restore_fini(&rs);
	mq_machine_free(m);

	/* already as recorded; the thread has another pid now (threaded
	 * off and on again) */
	for (pass = 0; pass < 2; pass++) {
		rs_napi_entry(&rs, "0-7");
		m = pass ? napi_machine(900, "2") : napi_machine(812, "0-7");
		ck_assert_int_eq(mq_restore_plan(NULL, m, &rs, &d), 0);
		ck_assert_uint_eq(rs.plan.nr, 0);
		ck_assert_int_eq(rs.items[0].fate, pass ? MQ_RF_STALE : MQ_RF_SAME);
		ck_assert(!pass || strstr(rs.items[0].why, "the thread is gone"));
		mq_restore_fini(&rs);
		mq_machine_free(m);
	}

	/* the counts go back too: planned after them, and planned again on
	 * the threads there are once they are set (phase 2 of a real run) */
	for (pass = 0; pass < 2; pass++) {
		struct mq_machine *after;

		rs_entry(&rs, MQ_T_CHANNELS, "rx 0 tx 0 other 0 combined 8");
		rs_napi_entry(&rs, "0-7");
		m = napi_machine(812, "2");
		ck_assert_int_eq(mq_restore_plan(NULL, m, &rs, &d), 0);
		ck_assert_uint_eq(rs.nr_steps, 1);
		ck_assert_uint_eq(rs.plan.nr, 2);
		ck_assert_int_eq(rs.plan.changes[0].target, MQ_T_CHANNELS);
		ck_assert_str_eq(rs.plan.changes[1].old_display, "after the channel change");
		rs.plan.changes[0].state = MQ_CH_APPLIED;
		/* the driver kept the thread (pass 0), or made another (1) */
		after = napi_machine(pass ? 900 : 812, "3");
		ck_assert_int_eq(mq_restore_replan(NULL, after, &rs, &d), 0);
		ck_assert_int_eq(rs.plan.changes[0].state, MQ_CH_APPLIED);
		ck_assert_int_eq(rs.items[0].change, 0);
		if (pass) {
			ck_assert_uint_eq(rs.plan.nr, 1);
			ck_assert_int_eq(rs.items[1].fate, MQ_RF_STALE);
			ck_assert_str_eq(rs.items[1].why,
					 "the channel change made its NAPI threads again");
		} else {
			ck_assert_uint_eq(rs.plan.nr, 2);
			ck_assert_int_eq(rs.items[1].change, 1);
			ck_assert_str_eq(rs.plan.changes[1].old_display, "3");
			ck_assert_str_eq(rs.plan.changes[1].saved, "3");
		}
		mq_restore_fini(&rs);
		mq_machine_free(m);
		mq_machine_free(after);
	}
}
END_TEST

/* IRQ writes the kernel refused come out of the plan; the rest stay, in
 * order, planned again, and their items follow them. */
START_TEST(test_restore_drop_managed)
{
	struct mq_restore rs;
	size_t i;

	memset(&rs, 0, sizeof(rs));
	rs.nr = 3;
	rs.items = calloc(3, sizeof(*rs.items));
	rs.plan.nr = 3;
	rs.plan.changes = calloc(3, sizeof(*rs.plan.changes));
	ck_assert_ptr_nonnull(rs.items);
	ck_assert_ptr_nonnull(rs.plan.changes);
	for (i = 0; i < 3; i++) {
		struct mq_change *c = &rs.plan.changes[i];

		rs.items[i].entry = i;
		rs.items[i].change = (long)i;
		c->target = i == 2 ? MQ_T_SYSCTL : MQ_T_IRQ_AFFINITY;
		c->state = MQ_CH_RESTORED;
		c->value = strdup("1\n");
		snprintf(c->object, sizeof(c->object), "c%zu", i);
	}
	rs.plan.changes[0].state = MQ_CH_FAILED;
	rs.plan.changes[0].err = EIO;
	ck_assert_uint_eq(mq_restore_drop_managed(&rs, 0), 1);
	ck_assert_uint_eq(rs.plan.nr, 2);
	ck_assert_int_eq(rs.items[0].fate, MQ_RF_MANAGED);
	ck_assert_int_eq(rs.items[0].change, -1);
	ck_assert_ptr_nonnull(strstr(rs.items[0].why, "kernel manages"));
	ck_assert_int_eq(rs.items[1].change, 0);
	ck_assert_int_eq(rs.items[2].change, 1);
	ck_assert_str_eq(rs.plan.changes[0].object, "c1");
	ck_assert_int_eq(rs.plan.changes[0].state, MQ_CH_PLANNED);
	ck_assert_int_eq(rs.plan.changes[1].state, MQ_CH_PLANNED);
	/* nothing refused: nothing taken out */
	ck_assert_uint_eq(mq_restore_drop_managed(&rs, 0), 0);
	ck_assert_uint_eq(rs.plan.nr, 2);
	mq_restore_fini(&rs);
}
END_TEST

Suite *state_suite(void);
Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("format");
	TCase *io = tcase_create("file");

	tcase_add_test(tc, test_state_parse_good);
	tcase_add_test(tc, test_state_empty_roundtrip);
	tcase_add_test(tc, test_state_print_pieces);
	tcase_add_test(tc, test_state_truncated);
	tcase_add_loop_test(tc, test_state_bad, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_state_nul_byte);
	tcase_add_test(tc, test_state_drop);
	tcase_add_test(tc, test_state_mutations);
	tcase_add_test(tc, test_restore_drop_managed);
	tcase_add_test(tc, test_restore_plan_rss);
	tcase_add_test(tc, test_restore_plan_napi);
	tcase_add_test(tc, test_restore_plan_queues_go);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(io, tmp_setup, tmp_teardown);
	tcase_add_test(io, test_root_replace);
	tcase_add_test(io, test_root_replace_confined);
	tcase_add_test(io, test_journal_keeps_original);
	tcase_add_test(io, test_journal_records_table);
	suite_add_tcase(s, io);
	return s;
}
