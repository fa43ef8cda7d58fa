/*
 * restore.h - from the state file to the writes that put the original
 * values back (`mqtune restore`, docs/state.md).
 *
 * Three steps around discovery: mq_restore_select() loads the file and
 * chooses the entries asked for (and names the interfaces to discover),
 * mq_restore_plan() checks each against the machine as it is now and
 * makes the plan, mq_restore_forget() drops from the file what was
 * restored (or found stale) and replaces it.
 */
#ifndef MQTUNE_RESTORE_H
#define MQTUNE_RESTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "mqtune/diag.h"
#include "mqtune/journal.h"
#include "mqtune/model.h"
#include "mqtune/plan.h"
#include "mqtune/root.h"
#include "mqtune/statefile.h"

enum mq_rfate {
	MQ_RF_WRITE,		/* the original is written back (a change) */
	MQ_RF_SAME,		/* the file holds the original already */
	MQ_RF_STALE,		/* recorded in another boot, or for another
				   incarnation of the object: not written */
	MQ_RF_MANAGED,		/* the kernel manages the IRQ now and refused
				   the write: not written */
};

struct mq_restore_item {
	size_t entry;		/* index into state.entries */
	enum mq_rfate fate;
	enum mq_rfate chosen;	/* the fate mq_restore_select() gave */
	long change;		/* index into plan.changes, -1 */
	char why[96];		/* why stale or managed, "" */
	char *now;		/* owned: the text the file holds now, NULL */
};

struct mq_restore {
	struct mq_state state;		/* the whole file as loaded */
	struct mq_journal_env env;
	bool other_boot;		/* the file is from another boot */
	bool sysctls;			/* the sysctl entries are restored */
	size_t sysctls_left;		/* sysctl entries kept: interfaces
					   not restored still have entries */
	size_t nr;
	struct mq_restore_item *items;	/* owned: the entries chosen */
	/* Interfaces to discover: those of the chosen entries that exist
	 * now with the ifindex they had (the others' entries are stale). */
	size_t nr_ifnames;
	char (*ifnames)[IFNAMSIZ];	/* owned */
	const char **ifname_ptrs;	/* owned: into ifnames, for discovery */
	/*
	 * The plan: first its nr_steps channel steps (the counts, each with
	 * the RSS table reset a shrink needs before it), then the rest.
	 */
	struct mq_plan plan;
	size_t nr_steps;
};

/**
 * mq_restore_select() - load the state file and choose the entries of
 * network namespace env.netns that belong to @ifnames (all of them with
 * @all).  The sysctl entries are chosen with @all, or when no other
 * interface would keep an entry.  A state file from another boot has
 * only stale entries.  A named interface with no entry that does not
 * exist is MQ_EXIT_NODEV.
 * Return: 0, or -1 with @d (MQ_EXIT_STATE for a corrupt file).
 */
int mq_restore_select(const struct mq_root *r, const char *const *ifnames,
		      size_t n, bool all, struct mq_restore *rs,
		      struct mq_diag *d);

/*
 * Check each chosen entry against @m (the interfaces mq_restore_select
 * named, discovered) and read what each file holds now: the plan writes
 * the originals that differ.  0, or -1 with @d (out of memory).
 */
int mq_restore_plan(const struct mq_root *r, const struct mq_machine *m,
		    struct mq_restore *rs, struct mq_diag *d);

/*
 * After the channel steps (the first nr_steps changes) were made: plan
 * the rest again on @m, the interfaces discovered once the driver
 * settled (their vectors and queues are new, and what their files hold
 * is read again).  The steps stay as they are.  0, or -1 with @d.
 */
int mq_restore_replan(const struct mq_root *r, const struct mq_machine *m,
		      struct mq_restore *rs, struct mq_diag *d);

/*
 * After an apply of the changes from @from on refused as
 * MQ_APPLY_MANAGED (those undone): mark the refused IRQ writes managed
 * and take them out of the plan; the changes from @from on are planned
 * again, the ones before keep their states.  Returns how many were taken
 * out.
 */
size_t mq_restore_drop_managed(struct mq_restore *rs, size_t from);

/*
 * Drop from the state file every chosen entry (restored, already
 * original, stale, managed; all of them when the file is from another
 * boot) and replace it.  0, or -1 with @d (MQ_EXIT_STATE).
 */
int mq_restore_forget(const struct mq_root *r, struct mq_restore *rs,
		      struct mq_diag *d);

/* Entries the state file keeps after mq_restore_forget() (which leaves
 * rs->state as loaded, for the report). */
size_t mq_restore_remaining(const struct mq_restore *rs);

void mq_restore_fini(struct mq_restore *rs);

/* "write", "unchanged", "stale", "managed" */
const char *mq_rfate_name(enum mq_rfate f);

#endif /* MQTUNE_RESTORE_H */
