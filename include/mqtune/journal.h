/*
 * journal.h - the state file on disk: the values mqtune replaced, kept
 * from before it first changed each object, so that `mqtune restore` can
 * put them back (docs/state.md).
 *
 * The file is MQ_STATE_PATH below the root (so --sysroot keeps it in
 * DIR), read whole and replaced atomically (mq_root_replace).
 */
#ifndef MQTUNE_JOURNAL_H
#define MQTUNE_JOURNAL_H

#include "mqtune/diag.h"
#include "mqtune/model.h"
#include "mqtune/place.h"
#include "mqtune/plan.h"
#include "mqtune/root.h"
#include "mqtune/statefile.h"

#define MQ_BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"
#define MQ_NETNS_PATH "/proc/self/ns/net"

/*
 * What the entries of a state file belong to: this boot (NULL when the
 * root has no boot_id, as in most snapshots) and this network namespace
 * (NULL when unknown).  Owned strings.
 */
struct mq_journal_env {
	char *boot_id;
	char *netns;
};

/* Read them.  0, or -1 (out of memory; nothing else fails). */
int mq_journal_env(const struct mq_root *r, struct mq_journal_env *env);
void mq_journal_env_fini(struct mq_journal_env *env);

/**
 * mq_journal_load() - read and parse the state file.  A missing file is
 * an empty state (0).  Return -1 with @d: MQ_EXIT_STATE naming the file
 * and the cause when it is unreadable or corrupt (and how to proceed),
 * MQ_EXIT_FAILURE when out of memory.
 */
int mq_journal_load(const struct mq_root *r, struct mq_state *s,
		    struct mq_diag *d);

/*
 * Replace the state file by @s (atomically; removed when @s has no
 * entry).  0, or -1 with @d (MQ_EXIT_STATE, MQ_EXIT_FAILURE).
 */
int mq_journal_save(const struct mq_root *r, const struct mq_state *s,
		    struct mq_diag *d);

/**
 * mq_journal_record() - before the first write of @plan: add to the state
 * file the value each change is about to replace, unless the file holds
 * one for that object already (the original, from before mqtune first
 * changed it).  An entry made for another boot, or for another incarnation
 * of its object (the interface gone or re-created with another ifindex,
 * the IRQ now another device's), is stale and replaced.  Changes whose
 * previous text the plan lacks get it here (saved, saved_len), so the
 * undo writes back the same text.
 *
 * The apply goes ahead whatever happens to the file: a corrupt state file
 * is left as it is and an unwritable one is not written, each with a
 * warning in @pl ("state-corrupt", "state-unrecorded").
 * Return: 0, or -1 with @d only when out of memory (nothing written).
 */
int mq_journal_record(const struct mq_root *r, const struct mq_machine *m,
		      struct mq_plan *plan, struct mq_placement *pl,
		      struct mq_diag *d);

/*
 * Whether the interface @ifname has ifindex @ifindex now (read from
 * /sys/class/net/IF/ifindex): the same incarnation of the device.
 */
bool mq_journal_iface_alive(const struct mq_root *r, const char *ifname,
			    int ifindex);

#endif /* MQTUNE_JOURNAL_H */
