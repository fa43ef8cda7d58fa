/*
 * iflist.c - list /sys/class/net and read, per entry, what decides whether
 * it is a physical interface with queues: its device link, its rx-0 queue
 * directory or else the function's msi_irqs/.
 */
#include "mqtune/iflist.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NET_DIR "/sys/class/net"

/* Whether the directory @path has an entry other than "." and "..". */
static bool has_entries(const struct mq_root *r, const char *path)
{
	struct dirent *e;
	DIR *dir = mq_root_opendir(r, path);
	bool any = false;

	if (!dir)
		return false;
	while (!any && (e = readdir(dir)))
		any = e->d_name[0] != '.';
	closedir(dir);
	return any;
}

/* Last component of the link @path into @out; "" when it is none. */
static void link_base(const struct mq_root *r, const char *path, char *out,
		      size_t cap)
{
	char target[MQ_PATH_MAX];
	ssize_t n = mq_root_readlink(r, path, target, sizeof(target) - 1);
	const char *base;

	out[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) < cap)
		memcpy(out, base, strlen(base) + 1);
}

/*
 * The bus address from the class link ".../0000:03:00.0/net/eth0" (virtio:
 * ".../0000:00:04.0/virtio3/net/eth0" gives the PCI parent).
 */
static void bus_address(const struct mq_root *r, struct mq_ifentry *e,
			bool virtio)
{
	char path[MQ_PATH_MAX], target[MQ_PATH_MAX];
	ssize_t n;
	char *net, *start, *end;
	int up = virtio ? 2 : 1;

	if (mq_path(path, sizeof(path), NET_DIR "/%s", e->name))
		return;
	n = mq_root_readlink(r, path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	net = strstr(target, "/net/");
	if (!net)
		return;
	end = net;
	while (up--) {
		*end = '\0';
		start = strrchr(target, '/');
		start = start ? start + 1 : target;
		if (!up && strlen(start) < sizeof(e->bus_address))
			memcpy(e->bus_address, start, strlen(start) + 1);
		end = start > target ? start - 1 : target;
	}
}

static void read_entry(const struct mq_root *r, struct mq_ifentry *e)
{
	char path[MQ_PATH_MAX], bus[16];
	struct stat st;
	bool virtio;

	if (mq_path(path, sizeof(path), NET_DIR "/%s/device", e->name) ||
	    mq_root_stat(r, path, &st) != 0)
		return;		/* lo, veth, bridges, tunnels: no device */
	e->has_device = true;
	mq_path(path, sizeof(path), NET_DIR "/%s/device/subsystem", e->name);
	link_base(r, path, bus, sizeof(bus));
	virtio = strcmp(bus, "virtio") == 0;
	bus_address(r, e, virtio);
	mq_path(path, sizeof(path), NET_DIR "/%s/device/driver", e->name);
	link_base(r, path, e->driver, sizeof(e->driver));
	/* the kernel numbers rx queues from 0: one stat, not a listing of
	 * hundreds of queue directories */
	mq_path(path, sizeof(path), NET_DIR "/%s/queues/rx-0", e->name);
	e->has_queues = mq_root_stat(r, path, &st) == 0;
	if (e->has_queues)
		return;
	mq_path(path, sizeof(path), NET_DIR "/%s/device%s/msi_irqs", e->name,
		virtio ? "/.." : "");
	e->has_queues = has_entries(r, path);
}

int mq_iflist_read(const struct mq_root *r, struct mq_ifentry **out,
		   size_t *n, struct mq_diag *d)
{
	struct mq_ifentry *list = NULL;
	size_t nr = 0, cap = 0;
	struct dirent *de;
	DIR *dir;

	*out = NULL;
	*n = 0;
	dir = mq_root_opendir(r, NET_DIR);
	if (!dir)
		return mq_root_fail(r, d, NET_DIR, -errno);
	while ((de = readdir(dir))) {
		struct mq_ifentry *e;

		if (!mq_ifname_valid(de->d_name))
			continue;	/* ".", "..", or nothing a kernel makes */
		if (nr == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct mq_ifentry *bigger = realloc(list, ncap * sizeof(*bigger));

			if (!bigger) {
				closedir(dir);
				free(list);
				return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM,
						   "out of memory");
			}
			list = bigger;
			cap = ncap;
		}
		e = &list[nr++];
		memset(e, 0, sizeof(*e));
		memcpy(e->name, de->d_name, strlen(de->d_name) + 1);
		read_entry(r, e);
	}
	closedir(dir);
	*out = list;
	*n = nr;
	return 0;
}
