/*
 * fuzz.h - helpers shared by mqtune's libFuzzer targets (tests/fuzz/).
 *
 * Inputs are copied into buffers of exactly their size, so AddressSanitizer
 * reports a parser that reads one byte too far.  A failed property check
 * prints what failed and aborts, which libFuzzer records as a crash.
 */
#ifndef MQTUNE_FUZZ_H
#define MQTUNE_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_check_at(bool ok, const char *cond, const char *what,
				 const char *file, int line)
{
	if (ok)
		return;
	fprintf(stderr, "%s:%d: property failed: %s (%s)\n", file, line, what,
		cond);
	abort();
}

/* Abort, naming @what, unless @cond holds. */
#define FUZZ_CHECK(cond, what) \
	fuzz_check_at((cond), #cond, (what), __FILE__, __LINE__)

/* malloc'd copy of exactly @size bytes (1 byte for an empty input). */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	if (p && size)
		memcpy(p, data, size);
	return p;
}

/* malloc'd NUL-terminated copy of [@s, @s + @n). */
static inline char *fuzz_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

#endif /* MQTUNE_FUZZ_H */
