/*
 * route.c - the default-route interface, the embedded default of
 * `mqtune auto` and `mqtune show` when no interface is named.
 *
 * /proc/net/route rows: Iface Destination Gateway Flags RefCnt Use Metric
 * Mask ...; the default route has Destination and Mask 00000000 and the
 * RTF_UP flag.  /proc/net/ipv6_route rows have the destination (32 hex
 * digits), its prefix length, ..., the metric (hex) and the device last.
 */
#include "mqtune/route.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RTF_UP_FLAG 0x0001u

struct best_route {
	unsigned long metric;
	char ifname[IFNAMSIZ];
};

static void consider(struct best_route *best, const char *ifname,
		     unsigned long metric)
{
	if (strcmp(ifname, "lo") == 0 || strlen(ifname) >= IFNAMSIZ)
		return;
	if (!best->ifname[0] || metric < best->metric) {
		best->metric = metric;
		snprintf(best->ifname, sizeof(best->ifname), "%s", ifname);
	}
}

static void scan_ipv4(char *text, struct best_route *best)
{
	char *save = NULL, *line = strtok_r(text, "\n", &save);

	for (line = strtok_r(NULL, "\n", &save); line;	/* skip header */
	     line = strtok_r(NULL, "\n", &save)) {
		char ifname[64], dest[16], gw[16], mask[16];
		unsigned int flags, refcnt, use;
		unsigned long metric;

		if (sscanf(line, "%63s %15s %15s %x %u %u %lu %15s", ifname,
			   dest, gw, &flags, &refcnt, &use, &metric, mask) != 8)
			continue;
		if (strcmp(dest, "00000000") == 0 &&
		    strcmp(mask, "00000000") == 0 && (flags & RTF_UP_FLAG))
			consider(best, ifname, metric);
	}
}

static void scan_ipv6(char *text, struct best_route *best)
{
	static const char zero[] = "00000000000000000000000000000000";
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char dest[40], src[40], next[40], ifname[64];
		unsigned int dlen, slen, refcnt, use, flags;
		unsigned long metric;

		if (sscanf(line, "%39s %x %39s %x %39s %lx %x %x %x %63s", dest,
			   &dlen, src, &slen, next, &metric, &refcnt, &use,
			   &flags, ifname) != 10)
			continue;
		if (strcmp(dest, zero) == 0 && dlen == 0 &&
		    (flags & RTF_UP_FLAG) && strcmp(next, zero) != 0)
			consider(best, ifname, metric);
	}
}

/* 128 or 150 bytes a route: room for some 4 million (a full table). */
#define MQ_ROUTE_FILE_MAX ((size_t)512 << 20)

int mq_default_route_ifname(const struct mq_root *r, char buf[IFNAMSIZ],
			    struct mq_diag *d)
{
	struct best_route best = { 0 };
	char *text;

	if (mq_root_read_alloc(r, "/proc/net/route", MQ_ROUTE_FILE_MAX, &text) >= 0) {
		scan_ipv4(text, &best);
		free(text);
	}
	if (!best.ifname[0] &&
	    mq_root_read_alloc(r, "/proc/net/ipv6_route", MQ_ROUTE_FILE_MAX,
			       &text) >= 0) {
		scan_ipv6(text, &best);
		free(text);
	}
	if (!best.ifname[0])
		return mq_diag_set(d, MQ_EXIT_NODEV, ENODEV,
				   "no interface given and no default route to pick one");
	snprintf(buf, IFNAMSIZ, "%s", best.ifname);
	return 0;
}
