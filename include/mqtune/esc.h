/*
 * esc.h - kernel-provided names made safe to print.
 *
 * The kernel lets an interface name hold any byte but '/', ':', NUL and
 * white space, so a name may carry an escape sequence or bytes that are
 * not UTF-8; IRQ action names come from drivers.  Text output and
 * diagnostics print such names escaped (mq_esc_text); the JSON helpers
 * use mq_utf8_seq to keep documents valid UTF-8 (docs/json.md).
 * Pure: no I/O, no allocation.
 */
#ifndef MQTUNE_ESC_H
#define MQTUNE_ESC_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length (1-4) of the well-formed UTF-8 sequence at @s, of which @n bytes
 * are available; 0 when the bytes there are not UTF-8 (a stray
 * continuation byte, an overlong form, a surrogate, a code point above
 * U+10FFFF, a sequence cut short).
 */
size_t mq_utf8_seq(const unsigned char *s, size_t n);

/* Whether mq_esc_text() would change @s. */
bool mq_esc_needed(const char *s);

/* Room mq_esc_text() needs for a string of @n bytes. */
#define MQ_ESC_SIZE(n) (4 * (n) + 1)

/*
 * @s as it may go to a terminal, in @buf (@cap bytes, always terminated;
 * cut at a whole character when too small): each control byte (0x00-0x1f,
 * 0x7f), each C1 control (U+0080-U+009F) and each byte that is not UTF-8
 * becomes \xNN (two lower-case hex digits per byte), a backslash becomes
 * "\\"; everything else is copied.  Reversible.  Returns @buf.
 */
const char *mq_esc_text(const char *s, char *buf, size_t cap);

#endif /* MQTUNE_ESC_H */
