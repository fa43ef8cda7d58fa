/*
 * stack.c - the lower_* links of /sys/class/net/NAME, and the walk over
 * them (the walk itself is ifres.c's, pure).
 */
#include "mqtune/stack.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NET_DIR "/sys/class/net"
#define LOWER "lower_"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int mq_stack_lowers(void *root, const char *name, struct mq_namelist *out,
		    struct mq_diag *d)
{
	const struct mq_root *r = root;
	char path[MQ_PATH_MAX];
	struct mq_namelist found = { 0 };
	struct dirent *e;
	size_t i;
	DIR *dir;
	int err = 0;

	if (!mq_ifname_valid(name) ||
	    mq_path(path, sizeof(path), NET_DIR "/%s", name))
		return mq_diag_set(d, MQ_EXIT_NODEV, EINVAL,
				   "%.64s: invalid interface name", name);
	dir = mq_root_opendir(r, path);
	if (!dir) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;	/* gone, or not there: no lowers */
		return mq_root_fail(r, d, path, -errno);
	}
	while ((e = readdir(dir)))
		if (strncmp(e->d_name, LOWER, strlen(LOWER)) == 0 &&
		    mq_ifname_valid(e->d_name + strlen(LOWER)) &&
		    mq_namelist_add(&found, e->d_name + strlen(LOWER))) {
			err = ENOMEM;
			break;
		}
	closedir(dir);
	if (!err && found.n)
		qsort(found.v, found.n, sizeof(*found.v), cmp_names);
	for (i = 0; !err && i < found.n; i++)
		if (mq_namelist_add(out, found.v[i]))
			err = ENOMEM;
	mq_namelist_fini(&found);
	if (err)
		return mq_diag_set(d, MQ_EXIT_FAILURE, err, "out of memory");
	return 0;
}

int mq_stack_resolve(const struct mq_root *r, const char *name,
		     struct mq_namelist *out, struct mq_diag *d)
{
	/* the walk only reads through @r */
	return mq_ifres_stack(name, mq_stack_lowers, (void *)r, out, d);
}
