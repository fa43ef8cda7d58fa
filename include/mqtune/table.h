/*
 * table.h - aligned text tables for the human-readable output.
 */
#ifndef MQTUNE_TABLE_H
#define MQTUNE_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct mq_table {
	size_t ncols;
	size_t nrows;		/* header included */
	size_t cap;
	char **cells;		/* owned; nrows * ncols strings */
	int failed;		/* an allocation failed: print nothing */
};

/* Start a table with @ncols header cells (copied). */
void mq_table_init(struct mq_table *t, size_t ncols, const char *const *header);
/*
 * Append a row of ncols cells (copied; NULL prints as empty).  Control
 * bytes, backslashes and bytes that are not UTF-8 are stored escaped as
 * mq_esc_text() does, so a cell can never reach the terminal raw.
 */
void mq_table_add(struct mq_table *t, const char *const *cells);
/* Print with columns padded to their widest cell, each line after @indent. */
int mq_table_print(const struct mq_table *t, FILE *f, const char *indent);
void mq_table_fini(struct mq_table *t);

#endif /* MQTUNE_TABLE_H */
