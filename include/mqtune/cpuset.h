/*
 * cpuset.h - CPU sets sized at run time, and the kernel's two text forms.
 *
 * The kernel prints CPU sets either as a list ("0-3,8-11,64", %*pbl) or as
 * a hex mask in comma-separated 32-bit groups, most significant group
 * first ("00000010,00000000,00000000,00000000", %*pb).  Parsers take a
 * buffer and a length (never a path) so they can be fuzzed directly; they
 * accept one trailing newline and reject everything else that is not part
 * of the format.
 */
#ifndef MQTUNE_CPUSET_H
#define MQTUNE_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse results. */
#define MQ_PARSE_OK	0
#define MQ_PARSE_SYNTAX	(-1)	/* not in the format */
#define MQ_PARSE_RANGE	(-2)	/* a CPU number >= the set's capacity */
#define MQ_PARSE_NOMEM	(-3)

/* Largest capacity mqtune accepts (the kernel's NR_CPUS maximum). */
#define MQ_CPUSET_MAX_BITS 65536u

struct mq_cpuset {
	unsigned int nbits;	/* capacity: CPUs 0 .. nbits-1 */
	uint64_t *words;	/* owned; (nbits + 63) / 64 words */
};

/* Allocate an empty set of capacity @nbits (1..MQ_CPUSET_MAX_BITS). 0 or -1. */
int mq_cpuset_init(struct mq_cpuset *s, unsigned int nbits);
/* Free the words; safe on a zeroed or already freed set. */
void mq_cpuset_fini(struct mq_cpuset *s);
/* dst = copy of src (dst must not be initialised, or be finied). 0 or -1. */
int mq_cpuset_dup(struct mq_cpuset *dst, const struct mq_cpuset *src);

void mq_cpuset_zero(struct mq_cpuset *s);
/* Out-of-range CPUs are ignored by set/clear and test false. */
void mq_cpuset_set(struct mq_cpuset *s, unsigned int cpu);
void mq_cpuset_clear(struct mq_cpuset *s, unsigned int cpu);
bool mq_cpuset_test(const struct mq_cpuset *s, unsigned int cpu);
unsigned int mq_cpuset_weight(const struct mq_cpuset *s);
bool mq_cpuset_empty(const struct mq_cpuset *s);
/* Sets of different capacities are equal when they hold the same CPUs. */
bool mq_cpuset_equal(const struct mq_cpuset *a, const struct mq_cpuset *b);
/* First CPU >= @from in the set, or -1. */
int mq_cpuset_next(const struct mq_cpuset *s, unsigned int from);
/* In place: dst &= src, dst |= src, dst &= ~src (bits beyond dst ignored). */
void mq_cpuset_and(struct mq_cpuset *dst, const struct mq_cpuset *src);
void mq_cpuset_or(struct mq_cpuset *dst, const struct mq_cpuset *src);
void mq_cpuset_andnot(struct mq_cpuset *dst, const struct mq_cpuset *src);
/* true if a and b share a CPU */
bool mq_cpuset_intersects(const struct mq_cpuset *a, const struct mq_cpuset *b);

/**
 * mq_cpuset_parse_list() - parse "0-3,8,10-11" into @s (already initialised;
 * cleared first).  Empty input (or just "\n") is the empty set.
 * Return: MQ_PARSE_OK, MQ_PARSE_SYNTAX or MQ_PARSE_RANGE.
 */
int mq_cpuset_parse_list(struct mq_cpuset *s, const char *buf, size_t len);

/**
 * mq_cpuset_parse_mask() - parse a kernel hex mask ("ff,00000001") into @s
 * (already initialised; cleared first).  Groups are separated by commas,
 * each 1-8 hex digits; any number of groups.  Set bits beyond the capacity
 * give MQ_PARSE_RANGE; leading zero groups beyond it are fine.
 * Return: MQ_PARSE_OK, MQ_PARSE_SYNTAX or MQ_PARSE_RANGE.
 */
int mq_cpuset_parse_mask(struct mq_cpuset *s, const char *buf, size_t len);

/**
 * mq_cpuset_text_is_null() - whether @buf is what the kernel prints for a
 * %*pb or %*pbl whose mask pointer is NULL: "(null)" right-justified with
 * spaces to the field width, nr_cpu_ids ("(null)\n" up to 6 CPUs, 58
 * spaces then "(null)\n" on 64).  /sys/devices/system/cpu/nohz_full reads
 * so on CONFIG_NO_HZ_FULL=y kernels booted without nohz_full=
 * (tick_nohz_full_mask is never allocated); it means the empty set.  From
 * about 4090 CPUs on, the page-sized sysfs buffer cuts the text short: a
 * file of at least MQ_NULL_CUT_LEN bytes without a newline may end inside
 * "(null)", or hold nothing but spaces.
 */
bool mq_cpuset_text_is_null(const char *buf, size_t len);
/* The shortest text the kernel cuts at: PAGE_SIZE - 3 (scnprintf with
 * PAGE_SIZE - 2 before sysfs_emit, 5.10) with 4 KiB pages. */
#define MQ_NULL_CUT_LEN 4093u

/* Kernel list form, malloc'd ("" for the empty set); NULL on ENOMEM. */
char *mq_cpuset_format_list(const struct mq_cpuset *s);
/*
 * The list form into @buf, allocating nothing: NUL-terminated, at most
 * @cap-1 characters.  Returns its length, or @cap when it did not fit
 * (@buf then holds its first @cap-1 characters; @cap 0 writes nothing).
 */
size_t mq_cpuset_print_list(const struct mq_cpuset *s, char *buf, size_t cap);

/**
 * mq_cpuset_format_mask() - kernel hex-mask form for a machine whose
 * nr_cpu_ids is @width: ceil(width/4) hex digits, grouped by 8 from the
 * right, e.g. width 48, CPU 0 -> "0000,00000001".  malloc'd; NULL on ENOMEM.
 */
char *mq_cpuset_format_mask(const struct mq_cpuset *s, unsigned int width);

#endif /* MQTUNE_CPUSET_H */
