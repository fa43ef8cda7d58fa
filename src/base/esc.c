/*
 * esc.c - escaping kernel-provided names for terminals (see esc.h).
 */
#include "mqtune/esc.h"

#include <string.h>

size_t mq_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned int c = s[0];
	size_t len, i;
	unsigned int lo = 0x80, hi = 0xbf;	/* range of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (c == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;		/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
	} else {
		return 0;	/* continuation byte, 0xc0/0xc1, 0xf5-0xff */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Whether the sequence of @len bytes at @s is printed as it is. */
static bool plain(const unsigned char *s, size_t len)
{
	if (len == 0)
		return false;
	if (len == 1)
		return s[0] >= 0x20 && s[0] != 0x7f && s[0] != '\\';
	/* U+0080-U+009F, the C1 controls, are 0xc2 0x80-0x9f */
	return !(len == 2 && s[0] == 0xc2 && s[1] <= 0x9f);
}

bool mq_esc_needed(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (n) {
		size_t len = mq_utf8_seq(p, n);

		if (!plain(p, len))
			return true;
		p += len;
		n -= len;
	}
	return false;
}

const char *mq_esc_text(const char *s, char *buf, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), out = 0;

	if (!cap)
		return buf;
	while (n) {
		size_t len = mq_utf8_seq(p, n), k;
		size_t need = len;

		if (!plain(p, len)) {
			if (len == 0)
				len = 1;
			need = *p == '\\' ? 2 : 4 * len;
		}
		if (out + need >= cap)
			break;
		if (need == len) {
			memcpy(buf + out, p, len);
		} else if (*p == '\\') {
			buf[out] = buf[out + 1] = '\\';
		} else {
			for (k = 0; k < len; k++) {
				buf[out + 4 * k] = '\\';
				buf[out + 4 * k + 1] = 'x';
				buf[out + 4 * k + 2] = hex[p[k] >> 4];
				buf[out + 4 * k + 3] = hex[p[k] & 15];
			}
		}
		out += need;
		p += len;
		n -= len;
	}
	buf[out] = '\0';
	return buf;
}
