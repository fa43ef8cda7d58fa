/*
 * check_root.c - the /proc and /sys access layer (src/access/root.c) on a
 * temporary sysroot: reads, typed readers, writes, the write hook, and
 * confinement (absolute symlinks and ".." must not lead outside the
 * sysroot).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mqtune/cpuset.h"
#include "mqtune/diag.h"
#include "mqtune/root.h"

Suite *root_suite(void);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

struct rt_fx {
	char dir[64];		/* the sysroot */
	char out[64];		/* a directory outside it, on the host */
	struct mq_root root;
};

static void rt_mkdirs(const char *dir, const char *rel)
{
	char path[512], *slash;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
}

/* Write @len bytes to @dir@rel, making its directories. */
static void rt_put_len(const char *dir, const char *rel, const char *data,
		       size_t len)
{
	char path[512];
	FILE *f;

	rt_mkdirs(dir, rel);
	snprintf(path, sizeof(path), "%s%s", dir, rel);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void rt_put(const char *dir, const char *rel, const char *text)
{
	rt_put_len(dir, rel, text, strlen(text));
}

static void rt_link(const char *dir, const char *rel, const char *target)
{
	char path[512];

	rt_mkdirs(dir, rel);
	snprintf(path, sizeof(path), "%s%s", dir, rel);
	ck_assert_msg(symlink(target, path) == 0, "symlink %s", path);
}

/* Contents of @dir@rel (static buffer), or NULL if it cannot be opened. */
static const char *rt_get(const char *dir, const char *rel)
{
	static char buf[4096];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static bool rt_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/*
 * Every test's directories are made under one base directory that the
 * runner (not the forked test) makes before the tests and removes after
 * them, so a test that fails half-way leaves nothing behind in /tmp.
 */
static char rt_base[40];

static void rt_base_make(void)
{
	snprintf(rt_base, sizeof(rt_base), "/tmp/mqtune-root.XXXXXX");
	if (!mkdtemp(rt_base))
		rt_base[0] = '\0';
}

static void rt_base_remove(void)
{
	char cmd[80];

	if (!rt_base[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rt_base);
	if (system(cmd) != 0)
		fprintf(stderr, "check_root: cannot remove %s\n", rt_base);
}

static void rt_setup(struct rt_fx *fx)
{
	struct mq_diag d;

	ck_assert_msg(rt_base[0], "no base directory");
	snprintf(fx->dir, sizeof(fx->dir), "%s/root.XXXXXX", rt_base);
	ck_assert_ptr_nonnull(mkdtemp(fx->dir));
	snprintf(fx->out, sizeof(fx->out), "%s/outside.XXXXXX", rt_base);
	ck_assert_ptr_nonnull(mkdtemp(fx->out));
	mq_diag_clear(&d);
	ck_assert_msg(mq_root_open(&fx->root, fx->dir, &d) == 0, "%s", d.msg);
	ck_assert(!fx->root.live);
	ck_assert_int_ge(fx->root.dirfd, 0);
}

/*
 * How a sysroot is confined in a test run with loop index @mode:
 * 0 openat2(RESOLVE_IN_ROOT); 1 openat2 fails with ENOSYS (kernels before
 * 5.6, valgrind) and 2 with EPERM (a seccomp filter), so the root walks
 * each component itself; 3 openat2 works at open, then keeps failing
 * with EAGAIN (renames that never stop), so each open ends in the walk.
 */
static int rt_mode_err;

static int rt_mode_fn(void *arg)
{
	(void)arg;
	return rt_mode_err;
}

static void rt_use_mode(struct rt_fx *fx, int mode)
{
	static const int errs[] = { 0, ENOSYS, EPERM, EAGAIN };

	ck_assert_int_lt(mode, 4);
	rt_mode_err = errs[mode];
	if (mode == 0) {
		ck_assert_msg(fx->root.confined,
			      "openat2(RESOLVE_IN_ROOT) unavailable");
		return;
	}
	fx->root.openat2_hook = rt_mode_fn;
	if (mode == 3) {
		ck_assert(fx->root.confined);
		return;
	}
	mq_root_probe(&fx->root);
	ck_assert_msg(!fx->root.confined, "probe kept openat2 after %s",
		      strerror(errs[mode]));
}

static void rt_setup_mode(struct rt_fx *fx, int mode)
{
	rt_setup(fx);
	rt_use_mode(fx, mode);
}

static void rt_rmrf(const char *dir)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void rt_teardown(struct rt_fx *fx)
{
	mq_root_close(&fx->root);
	ck_assert_int_eq(fx->root.dirfd, -1);
	rt_rmrf(fx->dir);
	rt_rmrf(fx->out);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

START_TEST(test_root_open_missing)
{
	char dir[80];
	struct mq_root r;
	struct mq_diag d;

	snprintf(dir, sizeof(dir), "%s/gone.XXXXXX", rt_base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	rt_rmrf(dir);		/* a name that surely does not exist */
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_root_open(&r, dir, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_int_eq(d.err, ENOENT);
	ck_assert_msg(strstr(d.msg, dir) != NULL, "message '%s' lacks %s",
		      d.msg, dir);
	ck_assert_ptr_nonnull(strstr(d.msg, strerror(ENOENT)));
	/* closing a root that failed to open is harmless */
	mq_root_close(&r);
}
END_TEST

START_TEST(test_root_open_not_a_dir)
{
	struct rt_fx fx;
	char file[128];
	struct mq_root r;
	struct mq_diag d;

	rt_setup(&fx);
	rt_put(fx.dir, "/plain", "x\n");
	snprintf(file, sizeof(file), "%s/plain", fx.dir);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_root_open(&r, file, &d), -1);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_ptr_nonnull(strstr(d.msg, file));
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_open_live)
{
	struct mq_root r;
	struct mq_diag d;

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_root_open(&r, NULL, &d), 0);
	ck_assert(r.live);
	ck_assert_str_eq(r.prefix, "/");
	mq_root_close(&r);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

START_TEST(test_root_read_small)
{
	struct rt_fx fx;
	char buf[64];

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/sys/a/b", "hello\n");
	memset(buf, 'X', sizeof(buf));
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/a/b", buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "hello\n");
	/* the leading slashes do not matter */
	ck_assert_int_eq(mq_root_read(&fx.root, "//sys/a/b", buf, sizeof(buf)), 6);
	/* an empty file */
	rt_put(fx.dir, "/sys/empty", "");
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/empty", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	/* missing */
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/nope", buf, sizeof(buf)),
			 -ENOENT);
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_read_efbig)
{
	struct rt_fx fx;
	char buf[16];

	rt_setup(&fx);
	rt_put(fx.dir, "/f", "abcde");
	/* 5 bytes need a buffer of 6 (NUL) */
	ck_assert_int_eq(mq_root_read(&fx.root, "/f", buf, 6), 5);
	ck_assert_str_eq(buf, "abcde");
	ck_assert_int_eq(mq_root_read(&fx.root, "/f", buf, 5), -EFBIG);
	ck_assert_int_eq(mq_root_read(&fx.root, "/f", buf, 2), -EFBIG);
	/* read_word of a word that does not fit either */
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/f", buf, 4), -EFBIG);
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_read_word)
{
	struct rt_fx fx;
	char buf[32];

	rt_setup(&fx);
	rt_put(fx.dir, "/w1", "up\n");
	rt_put(fx.dir, "/w2", "down");
	rt_put(fx.dir, "/w3", "two\n\n");
	rt_put(fx.dir, "/w4", "\n");
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/w1", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "up");
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/w2", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "down");
	/* only the one trailing newline goes */
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/w3", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "two\n");
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/w4", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	/* "up\n" exactly fills a buffer of 4 */
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/w1", buf, 4), 0);
	ck_assert_str_eq(buf, "up");
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/nope", buf, sizeof(buf)),
			 -ENOENT);
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_read_alloc_1mb)
{
	struct rt_fx fx;
	size_t len = 1024 * 1024 + 17, i;
	char *data = malloc(len), *got = NULL;

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < len; i++)
		data[i] = (char)('a' + (i * 7 + i / 4096) % 26);
	rt_setup(&fx);
	rt_put_len(fx.dir, "/proc/big", data, len);
	ck_assert_int_eq(mq_root_read_alloc(&fx.root, "/proc/big", len, &got),
			 (ssize_t)len);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(memcmp(got, data, len), 0);
	ck_assert_int_eq(got[len], '\0');
	free(got);
	/* a small one and an empty one */
	rt_put(fx.dir, "/proc/small", "x");
	ck_assert_int_eq(mq_root_read_alloc(&fx.root, "/proc/small", 1, &got), 1);
	ck_assert_str_eq(got, "x");
	free(got);
	rt_put(fx.dir, "/proc/empty", "");
	ck_assert_int_eq(mq_root_read_alloc(&fx.root, "/proc/empty", 0, &got), 0);
	ck_assert_str_eq(got, "");
	free(got);
	got = (char *)1;
	ck_assert_int_eq(mq_root_read_alloc(&fx.root, "/proc/nope", 100, &got),
			 -ENOENT);
	ck_assert_ptr_null(got);
	/* one byte more than allowed */
	got = (char *)1;
	ck_assert_int_eq(mq_root_read_alloc(&fx.root, "/proc/big", len - 1, &got),
			 -EFBIG);
	ck_assert_ptr_null(got);
	ck_assert_int_eq(mq_root_read_alloc(&fx.root, "/proc/small", 0, &got),
			 -EFBIG);
	free(data);
	rt_teardown(&fx);
}
END_TEST

/*
 * Files that never end or block: a FIFO (no writer: reading would wait,
 * or end at once; with one: never end) and a character device such as
 * /dev/zero are refused at once as not regular files, by every reader and
 * writer.
 */
START_TEST(test_root_not_regular)
{
	struct rt_fx fx;
	struct mq_cpuset s;
	struct mq_root live;
	struct mq_diag d;
	char path[128], buf[64], want[192], *big = NULL;
	int64_t v;

	rt_setup_mode(&fx, _i);
	ck_assert_int_eq(mq_cpuset_init(&s, 8), 0);
	rt_mkdirs(fx.dir, "/sys/devices/system/cpu/online");
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/online", fx.dir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/devices/system/cpu/online",
				      buf, sizeof(buf)), -MQ_ENOTREG);
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root,
					      "/sys/devices/system/cpu/online",
					      &s), -MQ_ENOTREG);
	ck_assert_int_eq(mq_root_read_s64(&fx.root,
					  "/sys/devices/system/cpu/online", &v),
			 -MQ_ENOTREG);
	ck_assert_int_eq(mq_root_read_alloc(&fx.root,
					    "/sys/devices/system/cpu/online",
					    1000, &big), -MQ_ENOTREG);
	ck_assert_ptr_null(big);
	ck_assert_int_lt(mq_root_write(&fx.root, "/sys/devices/system/cpu/online",
				       "1\n", 2), 0);
	/* a directory is no file either */
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/devices", buf, sizeof(buf)),
			 -MQ_ENOTREG);
	mq_diag_clear(&d);
	mq_root_fail(&fx.root, &d, "/sys/devices/system/cpu/online", -MQ_ENOTREG);
	snprintf(want, sizeof(want),
		 "%s/sys/devices/system/cpu/online: not a regular file", fx.dir);
	ck_assert_str_eq(d.msg, want);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	/* a character device, from the live root */
	ck_assert_int_eq(mq_root_open(&live, NULL, &d), 0);
	ck_assert_int_eq(mq_root_read(&live, "/dev/zero", buf, sizeof(buf)),
			 -MQ_ENOTREG);
	ck_assert_int_eq(mq_root_read_alloc(&live, "/dev/zero", 1 << 20, &big),
			 -MQ_ENOTREG);
	ck_assert_int_eq(mq_root_read_cpulist(&live, "/dev/zero", &s),
			 -MQ_ENOTREG);
	ck_assert_int_eq(mq_root_write(&live, "/dev/null", "1\n", 2),
			 -MQ_ENOTREG);
	mq_root_close(&live);
	mq_cpuset_fini(&s);
	rt_teardown(&fx);
}
END_TEST

/* A CPU list longer than any set of that capacity can print. */
START_TEST(test_root_cpulist_capped)
{
	struct rt_fx fx;
	struct mq_cpuset s;
	size_t len = mq_root_cpuset_max(8) + 10;
	char *text = malloc(len + 1);

	ck_assert_ptr_nonnull(text);
	memset(text, '0', len);
	text[len] = '\0';
	rt_setup(&fx);
	rt_put(fx.dir, "/sys/l", text);
	ck_assert_int_eq(mq_cpuset_init(&s, 8), 0);
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, "/sys/l", &s), -EFBIG);
	mq_cpuset_fini(&s);
	free(text);
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_typed_readers)
{
	struct rt_fx fx;
	struct mq_cpuset s;
	int64_t v = 42;

	ck_assert_int_eq(mq_cpuset_init(&s, 16), 0);
	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/l/good", "0-3,8\n");
	rt_put(fx.dir, "/l/bad", "zero\n");
	rt_put(fx.dir, "/l/range", "0-16\n");	/* CPU 16 >= capacity */
	rt_put(fx.dir, "/m/good", "0103\n");
	rt_put(fx.dir, "/m/bad", "xyz\n");
	rt_put(fx.dir, "/n/good", "-12\n");
	rt_put(fx.dir, "/n/big", "9223372036854775807\n");
	rt_put(fx.dir, "/n/bad", "12x\n");
	rt_put(fx.dir, "/n/empty", "");
	rt_put(fx.dir, "/n/over", "9223372036854775808\n");

	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, "/l/good", &s), 0);
	ck_assert_uint_eq(mq_cpuset_weight(&s), 5);
	ck_assert(mq_cpuset_test(&s, 8));
	ck_assert(!mq_cpuset_test(&s, 4));
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, "/l/bad", &s), -EINVAL);
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, "/l/range", &s), -EINVAL);
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, "/l/nope", &s), -ENOENT);

	/* 0x0103: CPUs 0, 1 and 8 */
	ck_assert_int_eq(mq_root_read_cpumask(&fx.root, "/m/good", &s), 0);
	ck_assert_uint_eq(mq_cpuset_weight(&s), 3);
	ck_assert(mq_cpuset_test(&s, 0));
	ck_assert(mq_cpuset_test(&s, 1));
	ck_assert(mq_cpuset_test(&s, 8));
	ck_assert_int_eq(mq_root_read_cpumask(&fx.root, "/m/bad", &s), -EINVAL);
	ck_assert_int_eq(mq_root_read_cpumask(&fx.root, "/m/nope", &s), -ENOENT);
	/* the list file is no mask */
	ck_assert_int_eq(mq_root_read_cpumask(&fx.root, "/l/good", &s), -EINVAL);

	ck_assert_int_eq(mq_root_read_s64(&fx.root, "/n/good", &v), 0);
	ck_assert_int_eq(v, -12);
	ck_assert_int_eq(mq_root_read_s64(&fx.root, "/n/big", &v), 0);
	ck_assert_int_eq(v, INT64_MAX);
	v = 7;
	ck_assert_int_eq(mq_root_read_s64(&fx.root, "/n/bad", &v), -EINVAL);
	ck_assert_int_eq(mq_root_read_s64(&fx.root, "/n/empty", &v), -EINVAL);
	ck_assert_int_eq(mq_root_read_s64(&fx.root, "/n/over", &v), -EINVAL);
	ck_assert_int_eq(mq_root_read_s64(&fx.root, "/n/nope", &v), -ENOENT);
	ck_assert_int_eq(v, 7);
	mq_cpuset_fini(&s);
	rt_teardown(&fx);
}
END_TEST

/* A list longer than any small buffer (every even CPU of 8192). */
START_TEST(test_root_read_cpulist_long)
{
	struct rt_fx fx;
	struct mq_cpuset s;
	size_t cap = 8192 * 6, len = 0;
	char *text = malloc(cap);
	unsigned int cpu;

	ck_assert_ptr_nonnull(text);
	for (cpu = 0; cpu < 8192; cpu += 2)
		len += (size_t)snprintf(text + len, cap - len, "%s%u",
					cpu ? "," : "", cpu);
	len += (size_t)snprintf(text + len, cap - len, "\n");
	ck_assert_uint_gt(len, 16384);
	rt_setup(&fx);
	rt_put_len(fx.dir, "/sys/long", text, len);
	ck_assert_int_eq(mq_cpuset_init(&s, 8192), 0);
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, "/sys/long", &s), 0);
	ck_assert_uint_eq(mq_cpuset_weight(&s), 4096);
	ck_assert(mq_cpuset_test(&s, 8190));
	ck_assert(!mq_cpuset_test(&s, 8191));
	mq_cpuset_fini(&s);
	free(text);
	rt_teardown(&fx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Confinement                                                         */
/* ------------------------------------------------------------------ */

/* sys/x -> /etc/hostname resolves to SYSROOT/etc/hostname. */
START_TEST(test_root_absolute_symlink_confined)
{
	struct rt_fx fx;
	char buf[256], host[256] = "", outfile[128];
	FILE *f;

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/etc/hostname", "inside-the-sysroot\n");
	rt_link(fx.dir, "/sys/x", "/etc/hostname");
	f = fopen("/etc/hostname", "r");
	if (f) {
		if (!fgets(host, sizeof(host), f))
			host[0] = '\0';
		fclose(f);
	}
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/x", buf, sizeof(buf)),
			 (ssize_t)strlen("inside-the-sysroot\n"));
	ck_assert_str_eq(buf, "inside-the-sysroot\n");
	if (host[0])
		ck_assert_str_ne(buf, host);

	/* a host file that surely exists, with no counterpart inside */
	snprintf(outfile, sizeof(outfile), "%s/secret", fx.out);
	rt_put(fx.out, "/secret", "HOST SECRET\n");
	rt_link(fx.dir, "/sys/y", outfile);
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/y", buf, sizeof(buf)),
			 -ENOENT);
	/* a directory link too */
	rt_link(fx.dir, "/sys/d", fx.out);
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/d/secret", buf,
				      sizeof(buf)), -ENOENT);
	rt_teardown(&fx);
}
END_TEST

/* ".." beyond the root stays at the root. */
START_TEST(test_root_dotdot_confined)
{
	struct rt_fx fx;
	char buf[256], path[256];
	const char *base;

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/etc/hostname", "inside\n");
	ck_assert_int_eq(mq_root_read(&fx.root, "/../../../../etc/hostname", buf,
				      sizeof(buf)), 7);
	ck_assert_str_eq(buf, "inside\n");
	rt_link(fx.dir, "/sys/up", "../../../../../../../etc");
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/up/hostname", buf,
				      sizeof(buf)), 7);
	ck_assert_str_eq(buf, "inside\n");
	/* the outside directory by its name relative to the sysroot */
	rt_put(fx.out, "/secret", "HOST SECRET\n");
	base = strrchr(fx.out, '/') + 1;
	snprintf(path, sizeof(path), "/../%s/secret", base);
	ck_assert_int_eq(mq_root_read(&fx.root, path, buf, sizeof(buf)), -ENOENT);
	rt_teardown(&fx);
}
END_TEST

/* Relative links as the kernel makes them resolve normally. */
START_TEST(test_root_relative_symlink)
{
	struct rt_fx fx;
	char buf[256];
	int64_t mtu = 0;
	struct stat st;
	ssize_t n;

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/sys/devices/x/net/eth0/mtu", "1500\n");
	rt_link(fx.dir, "/sys/class/net/eth0", "../../devices/x/net/eth0");
	ck_assert_int_eq(mq_root_read_s64(&fx.root, "/sys/class/net/eth0/mtu",
					  &mtu), 0);
	ck_assert_int_eq(mtu, 1500);
	ck_assert_int_eq(mq_root_readlink(&fx.root, "/sys/class/net/eth0", buf,
					  sizeof(buf)),
			 (ssize_t)strlen("../../devices/x/net/eth0"));
	ck_assert_str_eq(buf, "../../devices/x/net/eth0");
	/* readlink of a link whose text does not fit */
	memset(buf, 'Z', sizeof(buf));
	n = mq_root_readlink(&fx.root, "/sys/class/net/eth0", buf, 8);
	if (n >= 0) {
		ck_assert_int_lt(n, 8);
		ck_assert_uint_eq(strlen(buf), (size_t)n);
	}
	ck_assert_int_eq(buf[8], 'Z');
	/* readlink of a file that is no link */
	ck_assert_int_eq(mq_root_readlink(&fx.root, "/sys/devices/x/net/eth0/mtu",
					  buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(mq_root_readlink(&fx.root, "/sys/class/net/nope", buf,
					  sizeof(buf)), -ENOENT);
	/* stat follows the link */
	ck_assert_int_eq(mq_root_stat(&fx.root, "/sys/class/net/eth0", &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(mq_root_stat(&fx.root, "/sys/class/net/nope", &st),
			 -ENOENT);
	rt_teardown(&fx);
}
END_TEST

/*
 * A kept directory (mq_root_keep_dir) shortens the walk but not the
 * confinement: a link below it, absolute or relative, to the outside, and
 * ".." past the root, still end inside the sysroot, for reads and writes;
 * a kept directory that is itself a link out of the root is not kept.
 */
START_TEST(test_root_kept_dir_confined)
{
	struct rt_fx fx;
	char buf[256], outdir[160];
	const char *q = "/sys/class/net/eth0/queues";

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/etc/hostname", "inside\n");
	rt_put(fx.dir, "/sys/devices/x/net/eth0/queues/rx-0/rps_cpus", "00\n");
	rt_link(fx.dir, "/sys/class/net/eth0", "../../devices/x/net/eth0");
	rt_put(fx.out, "/secret", "HOST SECRET\n");
	snprintf(outdir, sizeof(outdir), "%s", fx.out);
	rt_link(fx.dir, "/sys/devices/x/net/eth0/queues/rx-1", outdir);
	rt_link(fx.dir, "/sys/devices/x/net/eth0/queues/rx-2",
		"../../../../../../../../..");
	rt_link(fx.dir, "/sys/devices/x/net/eth0/queues/rx-3", "/etc");
	rt_link(fx.dir, "/sys/out", outdir);

	ck_assert_int_eq(mq_root_keep_dir(&fx.root, q), 0);
	for (int i = 0; i < 2 * MQ_ROOT_DIRS; i++)	/* kept once */
		ck_assert_int_eq(mq_root_keep_dir(&fx.root, q), 0);
	ck_assert_int_ne(mq_root_keep_dir(&fx.root, "/sys/out"), 0);
	ck_assert_int_eq(mq_root_keep_dir(&fx.root, "relative"), -EINVAL);
	ck_assert_int_eq(mq_root_read(&fx.root,
				      "/sys/class/net/eth0/queues/rx-0/rps_cpus",
				      buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "00\n");
	ck_assert_int_eq(mq_root_read(&fx.root,
				      "/sys/class/net/eth0/queues/rx-1/secret",
				      buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(mq_root_read(&fx.root,
				      "/sys/class/net/eth0/queues/rx-2/etc/hostname",
				      buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "inside\n");
	ck_assert_int_eq(mq_root_read(&fx.root,
				      "/sys/class/net/eth0/queues/rx-3/hostname",
				      buf, sizeof(buf)), 7);
	ck_assert_int_eq(mq_root_read(&fx.root,
				      "/sys/class/net/eth0/queues/../../../../../../../etc/hostname",
				      buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "inside\n");
	/* a write through the link out neither reaches the outside file */
	ck_assert_int_lt(mq_root_write(&fx.root,
				       "/sys/class/net/eth0/queues/rx-1/secret",
				       "x\n", 2), 0);
	ck_assert_str_eq(rt_get(fx.out, "/secret"), "HOST SECRET\n");
	/* and one to the file below it lands in the sysroot */
	ck_assert_int_eq(mq_root_write_back(&fx.root,
					    "/sys/class/net/eth0/queues/rx-0/rps_cpus",
					    "f\n", 2, NULL, 0, NULL), 0);
	ck_assert_str_eq(rt_get(fx.dir,
				"/sys/devices/x/net/eth0/queues/rx-0/rps_cpus"),
			 "f\n");
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_opendir)
{
	struct rt_fx fx;
	struct dirent *e;
	int found = 0;
	DIR *dir;

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/sys/class/net/lo/mtu", "65536\n");
	rt_put(fx.dir, "/sys/class/net/eth0/mtu", "1500\n");
	dir = mq_root_opendir(&fx.root, "/sys/class/net");
	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)))
		found += strcmp(e->d_name, "lo") == 0 ||
			 strcmp(e->d_name, "eth0") == 0;
	closedir(dir);
	ck_assert_int_eq(found, 2);
	errno = 0;
	ck_assert_ptr_null(mq_root_opendir(&fx.root, "/sys/class/nope"));
	ck_assert_int_eq(errno, ENOENT);
	rt_teardown(&fx);
}
END_TEST

/* openat2() failing with EAGAIN (a ".." step raced with a rename). */
struct rt_eagain {
	int calls;
	int fail;		/* this many calls fail with EAGAIN */
};

static int rt_eagain_fn(void *arg)
{
	struct rt_eagain *e = arg;

	return e->calls++ < e->fail ? EAGAIN : 0;
}

START_TEST(test_root_eagain_retried)
{
	struct rt_eagain e = { .fail = 10 };
	struct rt_fx fx;
	struct stat st;
	char buf[64];
	DIR *dir;

	rt_setup(&fx);
	ck_assert_msg(fx.root.confined, "openat2(RESOLVE_IN_ROOT) unavailable");
	rt_put(fx.dir, "/sys/devices/x/net/eth0/mtu", "1500\n");
	rt_link(fx.dir, "/sys/class/net/eth0", "../../devices/x/net/eth0");
	fx.root.openat2_hook = rt_eagain_fn;
	fx.root.hook_arg = &e;
	/* every access function: read, stat, readlink, opendir, write */
	ck_assert_int_eq(mq_root_read(&fx.root, "/sys/class/net/eth0/mtu", buf,
				      sizeof(buf)), 5);
	ck_assert_str_eq(buf, "1500\n");
	ck_assert_int_eq(e.calls, 11);
	e.calls = 0;
	ck_assert_int_eq(mq_root_stat(&fx.root, "/sys/class/net/eth0", &st), 0);
	ck_assert_int_eq(e.calls, 11);
	e.calls = 0;
	ck_assert_int_gt(mq_root_readlink(&fx.root, "/sys/class/net/eth0", buf,
					  sizeof(buf)), 0);
	e.calls = 0;
	dir = mq_root_opendir(&fx.root, "/sys/class/net");
	ck_assert_ptr_nonnull(dir);
	closedir(dir);
	e.calls = 0;
	ck_assert_int_eq(mq_root_write(&fx.root, "/sys/class/net/eth0/mtu",
				       "9000\n", 5), 0);
	ck_assert_str_eq(rt_get(fx.dir, "/sys/devices/x/net/eth0/mtu"), "9000\n");
	rt_teardown(&fx);
}
END_TEST

/*
 * The component walk resolves like openat2(RESOLVE_IN_ROOT): the same
 * paths give the same contents or the same errno both ways.
 */
START_TEST(test_root_walk_matches_openat2)
{
	static const char *const paths[] = {
		"/sys/class/net/eth0/mtu",
		"/sys/class/net/eth0/../eth1/mtu",	/* ".." after a link */
		"/sys/class/net/eth0/./mtu",
		"//sys//class/net/eth1//mtu",
		"/sys/abs/x/net/eth0/mtu",		/* absolute dir link */
		"/sys/absfile",				/* absolute file link */
		"/sys/chain",				/* link to a link */
		"/sys/loop",				/* a link to itself */
		"/sys/class/net/eth0/mtu/x",		/* through a file */
		"/sys/class/net/nope/mtu",
		"/sys/dangling",
		"/sys/class/net/eth0/../../../../../../../sys/absfile",
		"/..",
		"/sys/class/net/eth0/",
	};
	struct rt_fx fx;
	size_t i;

	rt_setup(&fx);
	ck_assert(fx.root.confined);
	rt_put(fx.dir, "/sys/devices/x/net/eth0/mtu", "1500\n");
	rt_put(fx.dir, "/sys/devices/x/net/eth1/mtu", "9000\n");
	rt_link(fx.dir, "/sys/class/net/eth0", "../../devices/x/net/eth0");
	rt_link(fx.dir, "/sys/class/net/eth1", "../../devices/x/net/eth1");
	rt_link(fx.dir, "/sys/abs", "/sys/devices");
	rt_link(fx.dir, "/sys/absfile", "/sys/devices/x/net/eth1/mtu");
	rt_link(fx.dir, "/sys/chain", "absfile");
	rt_link(fx.dir, "/sys/loop", "loop");
	rt_link(fx.dir, "/sys/dangling", "/nothing/here");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char a[64] = "", b[64] = "";
		struct stat sa, sb;
		ssize_t na, nb;
		int ea, eb;

		fx.root.openat2_hook = NULL;
		mq_root_probe(&fx.root);
		ck_assert(fx.root.confined);
		na = mq_root_read(&fx.root, paths[i], a, sizeof(a));
		ea = mq_root_stat(&fx.root, paths[i], &sa);
		rt_mode_err = ENOSYS;
		fx.root.openat2_hook = rt_mode_fn;
		mq_root_probe(&fx.root);
		ck_assert(!fx.root.confined);
		nb = mq_root_read(&fx.root, paths[i], b, sizeof(b));
		eb = mq_root_stat(&fx.root, paths[i], &sb);
		ck_assert_msg(na == nb && strcmp(a, b) == 0,
			      "%s: openat2 read %zd '%s', walk %zd '%s'",
			      paths[i], na, a, nb, b);
		ck_assert_msg(ea == eb, "%s: openat2 stat %d, walk %d", paths[i],
			      ea, eb);
		if (ea == 0)
			ck_assert_msg(sa.st_ino == sb.st_ino,
				      "%s: not the same file", paths[i]);
	}
	rt_teardown(&fx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

START_TEST(test_root_write_replaces)
{
	struct rt_fx fx;

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, "/proc/irq/40/smp_affinity_list", "0-127\n");
	ck_assert_int_eq(mq_root_write(&fx.root, "/proc/irq/40/smp_affinity_list",
				       "3\n", 2), 0);
	ck_assert_str_eq(rt_get(fx.dir, "/proc/irq/40/smp_affinity_list"), "3\n");
	/* only @len bytes */
	ck_assert_int_eq(mq_root_write(&fx.root, "/proc/irq/40/smp_affinity_list",
				       "5\nGARBAGE", 2), 0);
	ck_assert_str_eq(rt_get(fx.dir, "/proc/irq/40/smp_affinity_list"), "5\n");
	/* a kernel file that does not exist is not created */
	ck_assert_int_lt(mq_root_write(&fx.root, "/proc/irq/41/smp_affinity_list",
				       "1\n", 2), 0);
	ck_assert_ptr_null(rt_get(fx.dir, "/proc/irq/41/smp_affinity_list"));
	rt_teardown(&fx);
}
END_TEST

/* A write through an absolute link must not reach the host file. */
START_TEST(test_root_write_confined)
{
	struct rt_fx fx;
	char outfile[128];

	rt_setup_mode(&fx, _i);
	rt_put(fx.out, "/target", "host\n");
	snprintf(outfile, sizeof(outfile), "%s/target", fx.out);
	rt_link(fx.dir, "/sys/w", outfile);
	ck_assert_int_lt(mq_root_write(&fx.root, "/sys/w", "evil\n", 5), 0);
	ck_assert_str_eq(rt_get(fx.out, "/target"), "host\n");
	rt_teardown(&fx);
}
END_TEST

struct rt_hook {
	int calls;
	int ret;
	size_t short_len;	/* write only this much, then fail with ret */
	char path[MQ_PATH_MAX];
};

static int rt_hook_fn(const char *path, size_t *len, void *arg)
{
	struct rt_hook *h = arg;

	if (h->short_len)
		*len = h->short_len;
	h->calls++;
	snprintf(h->path, sizeof(h->path), "%s", path);
	return h->ret;
}

START_TEST(test_root_write_hook)
{
	struct rt_hook h = { .ret = -EIO };
	struct rt_fx fx;

	rt_setup(&fx);
	rt_put(fx.dir, "/sys/f", "old\n");
	fx.root.write_hook = rt_hook_fn;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_root_write(&fx.root, "/sys/f", "new\n", 4), -EIO);
	ck_assert_int_eq(h.calls, 1);
	ck_assert_str_eq(h.path, "/sys/f");
	ck_assert_str_eq(rt_get(fx.dir, "/sys/f"), "old\n");
	/* a hook returning 0 lets the write through */
	h.ret = 0;
	ck_assert_int_eq(mq_root_write(&fx.root, "/sys/f", "new\n", 4), 0);
	ck_assert_int_eq(h.calls, 2);
	ck_assert_str_eq(rt_get(fx.dir, "/sys/f"), "new\n");
	/* reads do not go through the hook */
	ck_assert_int_eq(mq_root_read_word(&fx.root, "/sys/f", h.path,
					   sizeof(h.path)), 0);
	ck_assert_int_eq(h.calls, 2);
	rt_teardown(&fx);
}
END_TEST

static ino_t rt_ino(const char *dir, const char *rel, mode_t *mode)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	ck_assert_int_eq(stat(path, &st), 0);
	if (mode)
		*mode = st.st_mode & 07777;
	return st.st_ino;
}

/* No temporary file is left beside @rel. */
static void rt_no_tmp(const char *dir, const char *rel)
{
	char path[512];
	const char *base = strrchr(rel, '/') + 1;

	snprintf(path, sizeof(path), "%s%.*s.%s.mqtune", dir,
		 (int)(base - rel), rel, base);
	ck_assert_msg(!rt_exists(path), "%s left behind", path);
}

/*
 * What a run killed between the padded write and the cut leaves in a
 * snapshot (the new text, a newline, spaces to the old length) reads as
 * the new value; spaces not after a final newline stay, and are malformed.
 */
START_TEST(test_root_read_padded)
{
	const char *f = "/proc/irq/40/smp_affinity_list";
	struct rt_fx fx;
	struct mq_cpuset s;
	char buf[64], *big = NULL;

	rt_setup_mode(&fx, _i);
	ck_assert_int_eq(mq_cpuset_init(&s, 64), 0);
	rt_put(fx.dir, f, "5\n     ");
	ck_assert_int_eq(mq_root_read(&fx.root, f, buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "5\n");
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, f, &s), 0);
	ck_assert_uint_eq(mq_cpuset_weight(&s), 1);
	ck_assert(mq_cpuset_test(&s, 5));
	ck_assert_int_eq(mq_root_read_alloc(&fx.root, f, 100, &big), 2);
	ck_assert_str_eq(big, "5\n");
	free(big);
	ck_assert_str_eq(rt_get(fx.dir, f), "5\n     ");	/* a dry run's read */
	/* a run that writes makes the cut the killed one did not */
	fx.root.finish_cuts = true;
	ck_assert_int_eq(mq_root_read(&fx.root, f, buf, sizeof(buf)), 2);
	ck_assert_str_eq(rt_get(fx.dir, f), "5\n");
	fx.root.finish_cuts = false;
	rt_put(fx.dir, f, "5   ");
	ck_assert_int_eq(mq_root_read(&fx.root, f, buf, sizeof(buf)), 4);
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, f, &s), -EINVAL);
	rt_put(fx.dir, f, "5\n 6");
	ck_assert_int_eq(mq_root_read_cpulist(&fx.root, f, &s), -EINVAL);
	mq_cpuset_fini(&s);
	rt_teardown(&fx);
}
END_TEST

/* Write @text, shorter than the 0640 file @f holds: it holds exactly
 * @text after, with its mode, and no temporary is left beside it. */
static void write_shorter(struct rt_fx *fx, const char *f, const char *text)
{
	bool changed = false;
	mode_t mode;

	ck_assert_int_eq(mq_root_write_back(&fx->root, f, text, strlen(text),
					    NULL, 0, &changed), 0);
	ck_assert(changed);
	ck_assert_str_eq(rt_get(fx->dir, f), text);
	rt_ino(fx->dir, f, &mode);
	ck_assert_uint_eq(mode, 0640);
	rt_no_tmp(fx->dir, f);
}

/*
 * A snapshot's file never holds the new text followed by the rest of the
 * old: a shorter value is padded and cut in place (up to a page) or
 * replaces the file (a renamed copy, same mode), a longer one is written
 * in place; all hold exactly the new text.
 */
START_TEST(test_root_write_snapshot_atomic)
{
	const char *f = "/proc/irq/40/smp_affinity_list";
	struct rt_fx fx;
	ino_t before;
	char path[256], big[6000];
	bool changed = false;
	size_t i;

	rt_setup_mode(&fx, _i);
	rt_put(fx.dir, f, "0-15\n");
	snprintf(path, sizeof(path), "%s%s", fx.dir, f);
	ck_assert_int_eq(chmod(path, 0640), 0);
	/* shorter, within a page: padded and cut in place */
	before = rt_ino(fx.dir, f, NULL);
	write_shorter(&fx, f, "0\n");
	ck_assert_uint_eq(rt_ino(fx.dir, f, NULL), before);
	/* longer: in place */
	ck_assert_int_eq(mq_root_write_back(&fx.root, f, "0-127\n", 6, NULL,
					    0, &changed), 0);
	ck_assert_str_eq(rt_get(fx.dir, f), "0-127\n");
	ck_assert_uint_eq(rt_ino(fx.dir, f, NULL), before);
	/* a text without its newline is cut to exactly that text */
	ck_assert_int_eq(mq_root_write(&fx.root, f, "3", 1), 0);
	ck_assert_str_eq(rt_get(fx.dir, f), "3");
	ck_assert_int_eq(mq_root_write(&fx.root, f, "1\n", 2), 0);
	ck_assert_str_eq(rt_get(fx.dir, f), "1\n");
	/* read back: what the file now holds */
	{
		char back[16];

		ck_assert_int_eq(mq_root_write_back(&fx.root, f, "0-127\n", 6,
						    NULL, 0, NULL), 0);
		ck_assert_int_eq(mq_root_write_back(&fx.root, f, "7\n", 2,
						    back, sizeof(back), NULL), 0);
		ck_assert_str_eq(back, "7\n");
	}
	/* longer than a page: replaced by a renamed copy, mode kept */
	for (i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "1,", 2);
	big[i - 1] = '\n';
	big[i] = '\0';
	rt_put(fx.dir, f, big);
	ck_assert_int_eq(chmod(path, 0640), 0);
	before = rt_ino(fx.dir, f, NULL);
	write_shorter(&fx, f, "2\n");
	ck_assert_uint_ne(rt_ino(fx.dir, f, NULL), before);
	rt_teardown(&fx);
}
END_TEST

/*
 * A short write reports the errno that explains it (here ENOSPC from the
 * hook), and says the file was changed so the caller undoes it.
 */
START_TEST(test_root_write_short)
{
	struct rt_hook h = { .ret = -ENOSPC, .short_len = 3 };
	const char *f = "/sys/class/net/eth0/queues/rx-0/rps_cpus";
	struct rt_fx fx;
	bool changed = false;

	rt_setup(&fx);
	rt_put(fx.dir, f, "00000000,00000000\n");
	fx.root.write_hook = rt_hook_fn;
	fx.root.hook_arg = &h;
	ck_assert_int_eq(mq_root_write_back(&fx.root, f, "ffffffff,ffffffff\n",
					    18, NULL, 0, &changed),
			 -ENOSPC);
	ck_assert(changed);
	ck_assert_str_eq(rt_get(fx.dir, f), "fff00000,00000000\n");
	/* shorter: the copy is cut short, the file stays as it was */
	rt_put(fx.dir, f, "0-15\n");
	changed = true;
	h.ret = -EIO;
	ck_assert_int_eq(mq_root_write_back(&fx.root, f, "0\n", 2, NULL, 0,
					    &changed), -EIO);
	ck_assert(!changed);
	ck_assert_str_eq(rt_get(fx.dir, f), "0-15\n");
	rt_no_tmp(fx.dir, f);
	/* a failure before any byte changes nothing */
	h.short_len = 0;
	changed = true;
	ck_assert_int_eq(mq_root_write_back(&fx.root, f, "0-7\n", 4, NULL, 0,
					    &changed), -EIO);
	ck_assert(!changed);
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_create)
{
	struct rt_fx fx;
	char path[128];
	struct stat st;
	int fd;

	rt_setup_mode(&fx, _i);
	/* run/ does not exist yet */
	fd = mq_root_create(&fx.root, "/run/mqtune.lock", O_RDWR, 0640);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "1\n", 2), 2);
	close(fd);
	ck_assert_str_eq(rt_get(fx.dir, "/run/mqtune.lock"), "1\n");
	snprintf(path, sizeof(path), "%s/run/mqtune.lock", fx.dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777 & ~0640, 0);
	/* again: opens the existing file, keeps its contents */
	fd = mq_root_create(&fx.root, "/run/mqtune.lock", O_RDWR, 0640);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_str_eq(rt_get(fx.dir, "/run/mqtune.lock"), "1\n");
	/* a file at the top */
	fd = mq_root_create(&fx.root, "/top", O_RDWR, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_ptr_nonnull(rt_get(fx.dir, "/top"));
	rt_teardown(&fx);
}
END_TEST

/*
 * mq_root_create's parent directory must be made inside the sysroot too:
 * SYSROOT/esc -> /tmp/outside (absolute); creating /esc/sub/f must not
 * create /tmp/outside/sub on the host.
 */
START_TEST(test_root_create_parent_confined_symlink)
{
	struct rt_fx fx;
	char host_sub[128];
	bool escaped;
	int fd;

	rt_setup_mode(&fx, _i);
	rt_link(fx.dir, "/esc", fx.out);
	fd = mq_root_create(&fx.root, "/esc/sub/f", O_RDWR, 0600);
	if (fd >= 0)
		close(fd);
	snprintf(host_sub, sizeof(host_sub), "%s/sub", fx.out);
	escaped = rt_exists(host_sub);
	rt_teardown(&fx);
	ck_assert_msg(!escaped, "mq_root_create made %s outside the sysroot",
		      host_sub);
}
END_TEST

/* Same with "..": /../NAME/f must not make /tmp/NAME next to the root. */
START_TEST(test_root_create_parent_confined_dotdot)
{
	struct rt_fx fx;
	char path[128], host[128];
	bool escaped;
	int fd;

	rt_setup_mode(&fx, _i);
	snprintf(host, sizeof(host), "%s-dotdot", fx.dir);
	snprintf(path, sizeof(path), "/../%s/f", strrchr(host, '/') + 1);
	fd = mq_root_create(&fx.root, path, O_RDWR, 0600);
	if (fd >= 0)
		close(fd);
	escaped = rt_exists(host);
	if (escaped)
		rt_rmrf(host);
	rt_teardown(&fx);
	ck_assert_msg(!escaped, "mq_root_create made %s outside the sysroot",
		      host);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Diagnostics and paths                                               */
/* ------------------------------------------------------------------ */

START_TEST(test_root_fail_messages)
{
	struct rt_fx fx;
	struct mq_diag d;
	char want[256];

	rt_setup(&fx);
	mq_diag_clear(&d);
	ck_assert_int_eq(mq_root_fail(&fx.root, &d, "/sys/x", -EINVAL), -1);
	snprintf(want, sizeof(want), "%s/sys/x: malformed contents", fx.dir);
	ck_assert_str_eq(d.msg, want);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_int_eq(d.err, EINVAL);

	mq_diag_clear(&d);
	ck_assert_int_eq(mq_root_fail(&fx.root, &d, "/sys/x", -ENOENT), -1);
	snprintf(want, sizeof(want), "%s/sys/x: %s", fx.dir, strerror(ENOENT));
	ck_assert_str_eq(d.msg, want);
	ck_assert_int_eq(d.status, MQ_EXIT_SYSTEM);
	ck_assert_int_eq(d.err, ENOENT);

	/* a positive errno works the same */
	mq_diag_clear(&d);
	mq_root_fail(&fx.root, &d, "/proc/y", EACCES);
	snprintf(want, sizeof(want), "%s/proc/y: %s", fx.dir, strerror(EACCES));
	ck_assert_str_eq(d.msg, want);
	rt_teardown(&fx);
}
END_TEST

/* A sysroot given with a trailing slash does not double it. */
START_TEST(test_root_fail_prefix_slash)
{
	struct rt_fx fx;
	struct mq_root r;
	struct mq_diag d;
	char with_slash[96], want[256];

	rt_setup(&fx);
	snprintf(with_slash, sizeof(with_slash), "%s/", fx.dir);
	ck_assert_int_eq(mq_root_open(&r, with_slash, &d), 0);
	mq_root_fail(&r, &d, "/sys/x", -EINVAL);
	snprintf(want, sizeof(want), "%s/sys/x: malformed contents", fx.dir);
	ck_assert_str_eq(d.msg, want);
	mq_root_close(&r);

	/* live: the kernel path alone */
	ck_assert_int_eq(mq_root_open(&r, NULL, &d), 0);
	mq_root_fail(&r, &d, "/sys/x", -ENOENT);
	snprintf(want, sizeof(want), "/sys/x: %s", strerror(ENOENT));
	ck_assert_str_eq(d.msg, want);
	mq_root_close(&r);
	rt_teardown(&fx);
}
END_TEST

START_TEST(test_root_mq_path)
{
	char buf[16];

	ck_assert_int_eq(mq_path(buf, sizeof(buf), "/sys/%s/%d", "ab", 7), 0);
	ck_assert_str_eq(buf, "/sys/ab/7");
	/* 15 characters fit in 16 */
	ck_assert_int_eq(mq_path(buf, sizeof(buf), "%s", "123456789012345"), 0);
	ck_assert_str_eq(buf, "123456789012345");
	ck_assert_int_eq(mq_path(buf, sizeof(buf), "%s", "1234567890123456"),
			 -ENAMETOOLONG);
	ck_assert_int_eq(mq_path(buf, sizeof(buf), "/sys/class/net/%s/queues",
				 "eth0"), -ENAMETOOLONG);
}
END_TEST

Suite *root_suite(void)
{
	Suite *s = suite_create("root");
	TCase *tc = tcase_create("root");

	tcase_add_test(tc, test_root_open_missing);
	tcase_add_test(tc, test_root_open_not_a_dir);
	tcase_add_test(tc, test_root_open_live);
	tcase_add_loop_test(tc, test_root_read_small, 0, 4);
	tcase_add_test(tc, test_root_read_efbig);
	tcase_add_test(tc, test_root_read_word);
	tcase_add_test(tc, test_root_read_alloc_1mb);
	tcase_add_loop_test(tc, test_root_not_regular, 0, 4);
	tcase_add_test(tc, test_root_cpulist_capped);
	tcase_add_loop_test(tc, test_root_typed_readers, 0, 4);
	tcase_add_test(tc, test_root_read_cpulist_long);
	tcase_add_loop_test(tc, test_root_absolute_symlink_confined, 0, 4);
	tcase_add_loop_test(tc, test_root_dotdot_confined, 0, 4);
	tcase_add_loop_test(tc, test_root_relative_symlink, 0, 4);
	tcase_add_loop_test(tc, test_root_opendir, 0, 4);
	tcase_add_loop_test(tc, test_root_kept_dir_confined, 0, 4);
	tcase_add_test(tc, test_root_eagain_retried);
	tcase_add_test(tc, test_root_walk_matches_openat2);
	tcase_add_loop_test(tc, test_root_write_replaces, 0, 4);
	tcase_add_loop_test(tc, test_root_write_confined, 0, 4);
	tcase_add_test(tc, test_root_write_hook);
	tcase_add_loop_test(tc, test_root_write_snapshot_atomic, 0, 4);
	tcase_add_loop_test(tc, test_root_read_padded, 0, 4);
	tcase_add_test(tc, test_root_write_short);
	tcase_add_loop_test(tc, test_root_create, 0, 4);
	tcase_add_loop_test(tc, test_root_create_parent_confined_symlink, 0, 4);
	tcase_add_loop_test(tc, test_root_create_parent_confined_dotdot, 0, 4);
	tcase_add_test(tc, test_root_fail_messages);
	tcase_add_test(tc, test_root_fail_prefix_slash);
	tcase_add_test(tc, test_root_mq_path);
	tcase_add_unchecked_fixture(tc, rt_base_make, rt_base_remove);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
