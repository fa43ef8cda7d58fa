/*
 * managed.h - which interfaces a run plans for (the managed set), in the
 * machine's stable order, and which of them this run applies or checks.
 *
 * The placement is a property of the machine: discovery and placement run
 * over the whole managed set (plus the interfaces named on the command
 * line that are outside it, after it), so the plan of an interface never
 * depends on which interfaces one run names or in which order.
 */
#ifndef MQTUNE_MANAGED_H
#define MQTUNE_MANAGED_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/cli.h"
#include "mqtune/diag.h"
#include "mqtune/ifres.h"
#include "mqtune/iflist.h"
#include "mqtune/model.h"

/*
 * How a name given (on the command line, or by a config section) was
 * resolved: an alternative name to its kernel name ("uplink0 → eth0",
 * code "altname"), a stacked device to the devices below it ("bond0 →
 * eth0, eth1", code "stacked-device").  The report carries it as a
 * warning of the interface @on (mq_ifset_attach_notes).
 */
struct mq_ifnote {
	char code[32];			/* "altname", "stacked-device" */
	char given[MQ_ALTIFNAMSIZ];	/* the name as given */
	char on[IFNAMSIZ];		/* the first device it stands for, in
					   machine order */
	char *message;			/* owned: "bond0 → eth0, eth1" */
};

struct mq_ifset {
	size_t nr;			/* interfaces to discover and place */
	size_t nr_managed;		/* the first nr_managed: the managed set */
	char (*names)[IFNAMSIZ];	/* owned, in machine order */
	const char **ptrs;		/* owned: ptrs[i] = names[i] */
	bool *selected;			/* owned, parallel: this run's part */
	size_t nr_selected;
	size_t nr_notes;
	struct mq_ifnote *notes;	/* owned, in the order resolved */
};

/*
 * The one choice of which interfaces are managed when none is named: a
 * physical interface with queue vectors (a device link, and MSI/MSI-X
 * vectors or rx queues).  Never lo, veth, bridges or tunnels.
 */
bool mq_managed_wants(const struct mq_ctx *ctx, const struct mq_ifentry *e);

/*
 * The order between NICs, stable across reboots and independent of the
 * command line and of ifindex: by bus address (PCI BDF; virtio: its PCI
 * function), then by name; interfaces without a bus address after those
 * with one, by name.  <0, 0, >0 like strcmp.
 */
int mq_ifentry_cmp(const struct mq_ifentry *a, const struct mq_ifentry *b);

/**
 * mq_managed_set() - the interfaces of this run.
 * @all: --all: the run's part is the whole managed set
 * Otherwise the part is the names given (a name given twice counts once),
 * or the default-route interface when none is given.  Names outside the
 * managed set follow it, in the same stable order among themselves.
 *
 * Every name given, and every interface a config section chooses, is
 * resolved first: an alternative name (live system only, rtnetlink) to
 * its kernel name, a stacked device (lower_* links, recursively) to the
 * devices below it, which are then placed as if named, each once (one
 * note per resolution in @out->notes).  The config's via table
 * (mq_config_set_via) is set to these resolutions, so an [interface
 * bond0] section applies to eth0 and eth1.
 * Return: 0 (free with mq_ifset_fini), or -1 with @d set: a loop or a
 * chain deeper than the kernel's 8 levels (status 5), a name that is no
 * interface name at all or (longer than 15 bytes) no interface (3).
 */
int mq_managed_set(struct mq_ctx *ctx, bool all, struct mq_ifset *out,
		   struct mq_diag *d);
void mq_ifset_fini(struct mq_ifset *s);

/**
 * mq_managed_names() - the names of @ctx->ifnames resolved as above, in
 * the order given (each resolution's devices in machine order), each
 * once; no managed set: every entry is selected.  For `show` and
 * `restore`.  0, or -1 with @d.
 */
int mq_managed_names(struct mq_ctx *ctx, struct mq_ifset *out,
		     struct mq_diag *d);

/*
 * Add each note of @s as a warning (code, the given name as object, the
 * message) to the interface of @m it is on; a note whose interface is not
 * in @m is left out.  0, or -1 with @d (ENOMEM).
 */
int mq_ifset_attach_notes(const struct mq_ifset *s, struct mq_machine *m,
			  struct mq_diag *d);

/*
 * Whether @name names an interface now: /sys/class/net/NAME, or on a live
 * system an alternative name the kernel knows (for watch).
 */
bool mq_managed_name_present(const struct mq_ctx *ctx, const char *name);

#endif /* MQTUNE_MANAGED_H */
