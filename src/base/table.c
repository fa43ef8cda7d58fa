/*
 * table.c - aligned text tables: rows of strings, printed with every
 * column as wide as its widest cell.  The last column is not padded, so
 * lines carry no trailing blanks.  Cells hold kernel-provided names, so
 * each is stored escaped for the terminal (mq_esc_text).
 */
#include "mqtune/table.h"

#include <stdlib.h>
#include <string.h>

#include "mqtune/esc.h"

/* A copy of @s, escaped when it needs it; NULL on ENOMEM. */
static char *cell_copy(const char *s)
{
	size_t cap;
	char *c;

	if (!mq_esc_needed(s))
		return strdup(s);
	cap = MQ_ESC_SIZE(strlen(s));
	c = malloc(cap);
	if (c)
		mq_esc_text(s, c, cap);
	return c;
}

static void add_cells(struct mq_table *t, const char *const *cells)
{
	size_t i;

	if (t->failed)
		return;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **bigger = realloc(t->cells, cap * t->ncols * sizeof(char *));

		if (!bigger) {
			t->failed = 1;
			return;
		}
		t->cells = bigger;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *c = cell_copy(cells[i] ? cells[i] : "");

		if (!c)
			t->failed = 1;
		t->cells[t->nrows * t->ncols + i] = c;
	}
	t->nrows++;
}

void mq_table_init(struct mq_table *t, size_t ncols, const char *const *header)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	add_cells(t, header);
}

void mq_table_add(struct mq_table *t, const char *const *cells)
{
	add_cells(t, cells);
}

int mq_table_print(const struct mq_table *t, FILE *f, const char *indent)
{
	size_t *width, r, c;

	if (t->failed)
		return -1;
	width = calloc(t->ncols, sizeof(*width));
	if (!width)
		return -1;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t w = strlen(t->cells[r * t->ncols + c]);

			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r < t->nrows; r++) {
		char **row = &t->cells[r * t->ncols];
		size_t last = t->ncols;

		/* Pad only up to the last non-empty cell: no trailing blanks. */
		while (last > 1 && !row[last - 1][0])
			last--;
		fputs(indent, f);
		for (c = 0; c < last; c++) {
			if (c + 1 < last)
				fprintf(f, "%-*s  ", (int)width[c], row[c]);
			else
				fputs(row[c], f);
		}
		fputc('\n', f);
	}
	free(width);
	return ferror(f) ? -1 : 0;
}

void mq_table_fini(struct mq_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
