/*
 * parse.h - strict parsers for the kernel's scalar and table formats.
 *
 * Each takes a buffer and its length, tolerates one trailing newline and
 * rejects anything else: leading spaces, signs where none belong, NUL
 * bytes, trailing garbage, overflow.
 */
#ifndef MQTUNE_PARSE_H
#define MQTUNE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtune/cpuset.h"

/* Decimal integers.  Return MQ_PARSE_OK, MQ_PARSE_SYNTAX or MQ_PARSE_RANGE. */
int mq_parse_u64(const char *buf, size_t len, uint64_t *out);
int mq_parse_s64(const char *buf, size_t len, int64_t *out);
int mq_parse_u32(const char *buf, size_t len, uint32_t *out);
int mq_parse_s32(const char *buf, size_t len, int32_t *out);

/*
 * A /proc entry that names a process: 1-9 decimal digits, no sign or
 * leading zero, stored in *@pid.  false for anything else ("self", "net").
 */
bool mq_parse_pid_dir(const char *name, int *pid);

/* Strip one trailing newline (and nothing else): returns the new length. */
size_t mq_chomp(const char *buf, size_t len);

/*
 * /proc/interrupts.  The header names the online CPUs ("CPU0 CPU1 CPU5");
 * numbered rows have one count per header column, then chip, hwirq, flow
 * and the action names.  Rows with a text label (NMI:, ERR:...) are skipped.
 */
struct mq_interrupt_row {
	unsigned int irq;
	char *names;	/* owned: the action names (may be ""), trimmed */
};

struct mq_interrupts {
	unsigned int nr_columns;	/* CPU columns in the header */
	size_t nr_rows;
	struct mq_interrupt_row *rows;	/* owned, sorted as in the file */
};

/**
 * mq_parse_interrupts() - parse the whole /proc/interrupts text.
 * Return: MQ_PARSE_OK, MQ_PARSE_SYNTAX (bad header, a numbered row with
 * too few counts, a bad count) or MQ_PARSE_NOMEM.  On failure @out is
 * left empty.  @bad_line, if not NULL, gets the 1-based failing line.
 */
int mq_parse_interrupts(const char *buf, size_t len, struct mq_interrupts *out,
			size_t *bad_line);
void mq_interrupts_free(struct mq_interrupts *t);
/* Borrowed names of @irq, or NULL when the table has no such row. */
const char *mq_interrupts_name(const struct mq_interrupts *t, unsigned int irq);

#endif /* MQTUNE_PARSE_H */
