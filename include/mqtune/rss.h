/*
 * rss.h - pure: the RSS indirection table (ethtool -x): the equal spread,
 * what a table uses, its compact text, and what --rss decides.
 *
 * A table of N entries names an rx queue per entry; a flow whose hash
 * selects entry i lands on queue table[i].  The equal spread over n
 * queues is entry i -> i % n, as the kernel's ethtool_rxfh_indir_default()
 * and `ethtool -X IF equal n` make it.  No I/O here.
 */
#ifndef MQTUNE_RSS_H
#define MQTUNE_RSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/model.h"
#include "mqtune/place.h"

/* Fill @size entries with the equal spread over @n queues (@n 0 as 1). */
void mq_rss_equal_fill(uint32_t *table, uint32_t size, uint32_t n);

/* Whether @table is exactly the equal spread over @n queues. */
bool mq_rss_is_equal(const uint32_t *table, uint32_t size, uint32_t n);

/*
 * The highest queue an entry names (0 for an empty table).  The kernel
 * refuses channel counts that leave such a queue out while the table is
 * user-set, so a channel shrink must first bring the table below the new
 * count (write the equal spread over it, or reset it).
 */
uint32_t mq_rss_max_queue(const struct mq_rss *rss);
uint32_t mq_rss_table_max(const uint32_t *table, uint32_t size);

/*
 * The share of each queue: count[q] = entries naming q, for q below
 * @nr_count (entries naming a queue >= @nr_count are not counted).
 */
void mq_rss_shares(const uint32_t *table, uint32_t size, uint32_t *count,
		   size_t nr_count);

/*
 * The compact text of a table, used by show, auto and check alike:
 * "0-3 equal (128)" for the equal spread over queues 0-3 of a 128-entry
 * table, else each queue that has entries with their number,
 * "0:64 1:32 2:32 (128)" (after 16 queues: "... N queues (SIZE)").
 * "-" for no table.  Returns @buf.
 */
const char *mq_rss_format(const uint32_t *table, uint32_t size, char *buf,
			  size_t cap);
#define MQ_RSS_TEXT_MAX 200	/* enough for every table */
#define MQ_RSS_SHARES_MAX 65536	/* queues a share list goes up to */

/*
 * The state file's text of a table (docs/state.md): every entry in order,
 * in decimal, one space apart, with a newline: "0 1 2 3 0 1 2 3\n".
 * Allocated (the caller frees it); NULL when out of memory or @size is 0.
 */
char *mq_rss_state_text(const uint32_t *table, uint32_t size);

/*
 * And back, strictly (the text mq_rss_state_text() makes of the table,
 * 1 to MQ_RSS_STATE_MAX entries, each below MQ_RSS_SHARES_MAX): the
 * entries in *@table (allocated) and their number in *@size.
 * Return: 0, -1 when @text is not of that form, -2 when out of memory.
 */
int mq_rss_parse_state(const char *text, uint32_t **table, uint32_t *size);
#define MQ_RSS_STATE_MAX 65536	/* entries a recorded table may have */

/* "netlink", "ioctl", "none" */
const char *mq_rss_src_name(enum mq_rss_src src);

/*
 * mq_rss_place() - what --rss (@p->rss) does with @dev's table, into
 * dp->rss_want (NULL: left as it is) and dp->rss_reason.  Needs
 * dp->nr_active_rx and dp->chan_change final.
 *   auto:  the equal spread over the nr_active_rx queues when the table
 *          names a queue >= nr_active_rx, or when the channels change in
 *          this run (dp->chan_change, or dev->channels_changed after the
 *          change); else left, so an uneven table over the active queues
 *          (ethtool -X IF weight 2 1 1 1) stays;
 *   equal: the equal spread unless the table is it already;
 *   keep:  never.
 * A device without a table is not an error: a "no-rss-table" note goes to
 * @pl when it tells something (--rss equal, or the channels change).
 * Return: 0, or -1 when out of memory.
 */
int mq_rss_place(const struct mq_netdev *dev, const struct mq_policy *p,
		 struct mq_dev_placement *dp, struct mq_placement *pl);

#endif /* MQTUNE_RSS_H */
