/*
 * render_doctor_text.c - doctor's findings for a terminal: the problems
 * as blocks, most severe first, then one line per ok or informational
 * finding, then the counts.  Text from the kernel (process names, file
 * names) is escaped.
 */
#include "mqtune/doctor_render.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "mqtune/esc.h"

#define WIDTH 78
#define INDENT "      "

static const char *sev_label(enum mq_sev s)
{
	static const char *const l[] = { "OK", "INFO", "WARN", "CRIT" };

	return (unsigned int)s < 4 ? l[s] : "?";
}

/*
 * @text wrapped at WIDTH after @lead (printed as it is, starting the
 * first line); continuation lines are indented by @hang columns.
 */
static void wrap_at(FILE *f, const char *lead, size_t hang, const char *text)
{
	char esc[MQ_ESC_SIZE(700)];
	const char *s = mq_esc_text(text, esc, sizeof(esc));
	size_t col = strlen(lead);
	bool first = true;

	fputs(lead, f);
	while (*s) {
		const char *sp = strchr(s, ' ');
		size_t w = sp ? (size_t)(sp - s) : strlen(s);

		if (!first && col + 1 + w > WIDTH) {
			fprintf(f, "\n%*s", (int)hang, "");
			col = hang;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(s, 1, w, f);
		col += w;
		first = false;
		s += w;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
}

/* A block line: INDENT, then @lead ("why: "), wrapped under its text. */
static void wrap(FILE *f, const char *lead, const char *text)
{
	char first[64];

	snprintf(first, sizeof(first), "%s%s", INDENT, lead);
	wrap_at(f, first, strlen(first), text);
}

static void evidence(FILE *f, const struct mq_finding *x)
{
	char line[1024] = "";
	size_t i, n = 0;

	for (i = 0; i < x->nr_ev && n < sizeof(line); i++) {
		const struct mq_ev *e = &x->ev[i];
		int k;

		if (e->is_text)
			k = snprintf(line + n, sizeof(line) - n, "%s%s=\"%s\"",
				     i ? " " : "", e->key, e->text);
		else
			k = snprintf(line + n, sizeof(line) - n, "%s%s=%" PRId64,
				     i ? " " : "", e->key, e->num);
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (x->nr_ev)
		wrap(f, "evidence: ", line);
}

int mq_render_doctor_text(FILE *f, const struct mq_findings *fs,
			  const struct mq_doc_facts *facts, bool verbose)
{
	char e1[MQ_ESC_SIZE(80)];
	size_t counts[4] = { 0 }, i;

	(void)facts;
	for (i = 0; i < fs->nr; i++) {
		const struct mq_finding *x = &fs->v[i];

		counts[x->sev]++;
		if (x->sev >= MQ_SEV_WARN || verbose) {
			fprintf(f, "%-4s  %s  %s\n", sev_label(x->sev), x->id,
				mq_esc_text(x->object, e1, sizeof(e1)));
			wrap(f, "", x->title);
			evidence(f, x);
			if (x->why[0])
				wrap(f, "why: ", x->why);
			if (x->fix[0])
				wrap(f, "fix: ", x->fix);
			fputc('\n', f);
		} else {
			char lead[64];

			snprintf(lead, sizeof(lead), "%-4s  %-22s ",
				 sev_label(x->sev), x->id);
			wrap_at(f, lead, strlen(lead), x->title);
		}
	}
	fprintf(f, "%sdoctor: %zu crit, %zu warn, %zu info, %zu ok\n",
		verbose ? "" : "\n", counts[MQ_SEV_CRIT], counts[MQ_SEV_WARN],
		counts[MQ_SEV_INFO], counts[MQ_SEV_OK]);
	return ferror(f) ? -1 : 0;
}
