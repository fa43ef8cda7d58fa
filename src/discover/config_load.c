/*
 * config_load.c - /etc/mqtune.conf (below the sysroot) or --config FILE
 * (on the host), read through struct mq_root and handed to the parser.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mqtune/config_load.h"

static int load_fail(struct mq_diag *d, const char *name, int err)
{
	if (err == MQ_ENOTREG)
		return mq_diag_set(d, MQ_EXIT_CONFIG, err, "%s: not a regular file",
				   name);
	if (err == EFBIG)
		return mq_diag_set(d, MQ_EXIT_CONFIG, err,
				   "%s: larger than %u bytes", name,
				   MQ_CONFIG_MAX_BYTES);
	if (err == ENOMEM)
		return mq_diag_set(d, MQ_EXIT_FAILURE, err, "%s: out of memory",
				   name);
	return mq_diag_set(d, MQ_EXIT_CONFIG, err, "%s: %s", name, strerror(err));
}

/* Read @path of root @r; -errno. */
static ssize_t read_conf(const struct mq_root *r, const char *path, char **buf)
{
	return mq_root_read_alloc(r, path, MQ_CONFIG_MAX_BYTES, buf);
}

/* --config FILE: on the host, whatever --sysroot says. */
static ssize_t read_host(const char *file, char **buf, struct mq_diag *d)
{
	char abs[PATH_MAX + MQ_PATH_MAX];
	struct mq_root host;
	struct mq_diag ignore;
	ssize_t n;

	if (file[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", file);
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, file) >=
		    sizeof(abs))
			return -ENAMETOOLONG;
	}
	if (mq_root_open(&host, NULL, &ignore)) {
		(void)d;
		return -(ignore.err ? ignore.err : EIO);
	}
	n = read_conf(&host, abs, buf);
	mq_root_close(&host);
	return n;
}

int mq_config_load(const struct mq_root *r, const char *file,
		   struct mq_config *out, struct mq_diag *d)
{
	char name[2 * MQ_PATH_MAX];
	char *buf = NULL;
	ssize_t n;
	int ret;

	memset(out, 0, sizeof(*out));
	if (file && !file[0])
		return mq_diag_set(d, MQ_EXIT_CONFIG, EINVAL,
				   "--config: empty file name");
	if (file) {
		snprintf(name, sizeof(name), "%s", file);
		n = read_host(file, &buf, d);
	} else {
		mq_root_real_path(r, MQ_CONFIG_DEFAULT, name, sizeof(name));
		n = read_conf(r, MQ_CONFIG_DEFAULT, &buf);
		if (n == -ENOENT) {
			if (mq_config_empty(out) ||
			    !(out->file = strdup(name))) {
				mq_config_fini(out);
				return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
						   "out of memory");
			}
			return 0;
		}
	}
	if (n < 0)
		return load_fail(d, name, (int)-n);
	ret = mq_config_parse(buf, (size_t)n, name, out, d);
	free(buf);
	return ret;
}
