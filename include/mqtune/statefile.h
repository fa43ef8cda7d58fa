/*
 * statefile.h - the state file's contents: the values mqtune replaced,
 * as they were before it first changed each object (docs/state.md).
 *
 * Pure: parses and prints the document (JSON, one entry per line); the
 * file itself is read and replaced by the journal (journal.h).
 */
#ifndef MQTUNE_STATEFILE_H
#define MQTUNE_STATEFILE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mqtune/plan.h"

#define MQ_STATE_PATH "/var/lib/mqtune/state.json"
#define MQ_STATE_FORMAT "mqtune-state"
/*
 * The version written.  Version 2 added the kinds rss and napi_affinity;
 * a version 1 file (written before them) reads the same, and a mqtune
 * that reads only version 1 refuses a version 2 file by its version,
 * not by an unknown kind.
 */
#define MQ_STATE_VERSION 2
#define MQ_STATE_VERSION_MIN 1	/* the oldest version read */
/* A state file is a few hundred bytes per queue; this bounds a read. */
#define MQ_STATE_MAX ((size_t)256 << 20)

struct mq_sentry {
	enum mq_target target;		/* what kind of file */
	char path[MQ_CHANGE_PATH_MAX];	/* kernel path, checked against @target */
	char object[96];		/* "eth0 IRQ 45", for reports */
	char ifname[IFNAMSIZ];		/* the interface; "" for a sysctl */
	int ifindex;			/* its ifindex then; 0 for a sysctl */
	int64_t irq;			/* the IRQ number; -1 unless an IRQ */
	char *irq_name;			/* owned: its name then; NULL unless
					   an IRQ */
	char *netns;			/* owned: "net:[4026531840]" of the
					   namespace; NULL when unknown */
	char *value;			/* owned: the original text, as read */
	char recorded[24];		/* UTC "2026-12-02T00:31:07Z" */
};

struct mq_state {
	char *boot_id;			/* owned; NULL when unknown (sysroot) */
	size_t nr, cap;
	struct mq_sentry *entries;	/* owned, in recording order */
};

/**
 * mq_state_parse() - parse a whole state file strictly: the JSON of
 * docs/state.md, nothing before or after it, every key known and of its
 * type, each path of the form its kind writes, no path twice in one namespace.
 * Return: 0 with @out filled (mq_state_fini), -1 with the cause in @why
 * ("truncated", "entry 3: unknown key 'foo'"), or -2 when out of memory.
 */
int mq_state_parse(const char *text, size_t len, struct mq_state *out,
		   char *why, size_t cap);

/* The document for @s; malloc'd, NUL-terminated, *@len its length.  NULL
 * when out of memory. */
char *mq_state_format(const struct mq_state *s, size_t *len);
/* The same document, handed to @sink in pieces of some 64 KiB, in order
 * (a large state need not be held whole).  0, -ENOMEM, or the first
 * non-zero return of @sink. */
int mq_state_print(const struct mq_state *s,
		   int (*sink)(void *arg, const char *text, size_t len),
		   void *arg);

/*
 * A lookup table of a state's entries by namespace, kind and path: an
 * entry is found by what identifies its object (a namespace has its own
 * sysctls and interfaces, so the same path there is another object; the
 * channel counts and the RSS table of one interface share its path).
 * It holds indexes into the state's entries, so it stays right while
 * entries are only appended (mq_state_index_add) or one is overwritten
 * in place by an entry of the same key.
 */
struct mq_state_index {
	size_t mask;			/* slots - 1; a power of two less one */
	long *slot;			/* owned: entry index + 1, 0 when free */
};

/* Index @s's entries, with room for @extra more.  0 or -1 (ENOMEM). */
int mq_state_index_build(struct mq_state_index *ix, const struct mq_state *s,
			 size_t extra);
/* Index of the entry of @kind for @path in namespace @netns (NULL:
 * unknown), or -1. */
long mq_state_index_find(const struct mq_state_index *ix,
			 const struct mq_state *s, const char *netns,
			 enum mq_target kind, const char *path);
/* Index entry @at of @s (appended since the build, within its room). */
void mq_state_index_add(struct mq_state_index *ix, const struct mq_state *s,
			long at);
void mq_state_index_fini(struct mq_state_index *ix);

/* A napi_affinity entry's thread, as the parser checked them: its pid
 * (the path "/proc/PID") and its name (the object "IFNAME napi/..."). */
pid_t mq_sentry_thread_pid(const struct mq_sentry *e);
const char *mq_sentry_thread_name(const struct mq_sentry *e);

/* Room for @more entries beyond those there.  0 or -1 (ENOMEM). */
int mq_state_reserve(struct mq_state *s, size_t more);
/* Append a copy of @e (its strings duplicated).  0 or -1 (ENOMEM). */
int mq_state_add(struct mq_state *s, const struct mq_sentry *e);
/* Remove every entry whose @drop[i] is set, keeping the order. */
void mq_state_drop(struct mq_state *s, const unsigned char *drop);
void mq_sentry_fini(struct mq_sentry *e);
void mq_state_fini(struct mq_state *s);

/* "irq_affinity", "rps_cpus", "rps_flow_cnt", "xps_cpus", "sysctl". */
const char *mq_state_kind_name(enum mq_target t);

#endif /* MQTUNE_STATEFILE_H */
