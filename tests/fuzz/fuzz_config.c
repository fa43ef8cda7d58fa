/*
 * fuzz_config.c - libFuzzer target for the config file parser
 * mq_config_parse() and the resolution of an interface's options.
 *
 * Properties: a failure is status 13 (or 1, out of memory) with one line
 * "f.conf:LINE: cause" whose LINE is a line of the input, and leaves the
 * config empty; a success has [global] first, every section name valid
 * for its kind, and every key's line inside the input; printed back in
 * canonical form (mq_sect_header, "key = value" from mq_opt_format) it
 * parses to the same values; resolving any name never picks a section
 * that does not match it.
 */
#include <stdio.h>

#include "mqtune/config.h"
#include "mqtune/ifres.h"
#include "fuzz.h"

static unsigned int count_lines(const char *buf, size_t len)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n + (len && buf[len - 1] != '\n');
}

/* The config in canonical text; malloc'd. */
static char *print_config(const struct mq_config *c, size_t *len,
			  bool *long_value)
{
	char *out = NULL;
	size_t i, cap = 0;
	FILE *f = open_memstream(&out, &cap);
	int k;

	FUZZ_CHECK(f != NULL, "open_memstream");
	for (i = 0; i < c->nr; i++) {
		char hdr[160], *val;	/* "[interface \"" + 127 bytes + "\"]" */

		fprintf(f, "%s\n", mq_sect_header(&c->sects[i], hdr, sizeof(hdr)));
		for (k = 0; k < MQ_OPT_NR; k++) {
			if (!mq_opts_has(&c->sects[i].opts, k))
				continue;
			val = mq_opt_text(&c->sects[i].opts, k);
			FUZZ_CHECK(val != NULL, "mq_opt_text");
			/* a strided list ("0-65535:1/2") prints longer than a
			 * line may be: no round trip for that one */
			if (strlen(val) > 4000)
				*long_value = true;
			fprintf(f, "%s = %s\n", mq_opt_name(k), val);
			free(val);
		}
	}
	fclose(f);
	*len = cap;
	return out;
}

static void same_values(const struct mq_config *a, const struct mq_config *b)
{
	size_t i;
	int k;

	FUZZ_CHECK(a->nr == b->nr, "round trip: number of sections");
	for (i = 0; i < a->nr; i++) {
		FUZZ_CHECK(a->sects[i].kind == b->sects[i].kind, "round trip: kind");
		FUZZ_CHECK(strcmp(a->sects[i].arg, b->sects[i].arg) == 0,
			   "round trip: section name");
		FUZZ_CHECK(a->sects[i].opts.set == b->sects[i].opts.set,
			   "round trip: keys");
		for (k = 0; k < MQ_OPT_NR; k++) {
			char *va, *vb;

			if (!mq_opts_has(&a->sects[i].opts, k))
				continue;
			va = mq_opt_text(&a->sects[i].opts, k);
			vb = mq_opt_text(&b->sects[i].opts, k);
			FUZZ_CHECK(va && vb && strcmp(va, vb) == 0, "round trip: value");
			free(va);
			free(vb);
		}
	}
}

static void check_resolve(const struct mq_config *c, const char *name,
			  const char *driver, const char *pci)
{
	struct mq_resolved r;
	int k;

	mq_config_resolve(c, NULL, name, driver, pci, &r);
	for (k = 0; k < MQ_OPT_NR; k++) {
		FUZZ_CHECK(r.from[k] != NULL, "resolve: a value for every key");
		if (r.kind[k] != MQ_SRC_FILE)
			continue;
		FUZZ_CHECK(mq_config_section_matches(r.sect[k], name, driver, pci),
			   "resolve: a section that does not match");
		FUZZ_CHECK(mq_opts_has(&r.sect[k]->opts, k),
			   "resolve: a section without the key");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_copy(data, size), *text;
	unsigned int lines = count_lines(buf, size);
	struct mq_config c, again;
	struct mq_diag d;
	bool long_value = false;
	size_t i, tlen;
	int k;

	mq_diag_clear(&d);
	if (mq_config_parse(buf, size, "f.conf", &c, &d)) {
		unsigned int line = 0;

		FUZZ_CHECK(d.status == MQ_EXIT_CONFIG || d.status == MQ_EXIT_FAILURE,
			   "failure status");
		FUZZ_CHECK(c.nr == 0 && !c.sects && !c.file, "failure leaves it empty");
		FUZZ_CHECK(!strchr(d.msg, '\n') || strncmp(d.msg, "f.conf:", 7),
			   "one line");
		if (d.status == MQ_EXIT_CONFIG) {
			FUZZ_CHECK(sscanf(d.msg, "f.conf:%u:", &line) == 1,
				   "message names the line");
			FUZZ_CHECK(line >= 1 && line <= lines, "line inside the input");
		}
		free(buf);
		return 0;
	}
	FUZZ_CHECK(c.nr >= 1 && c.sects[0].kind == MQ_SECT_GLOBAL, "[global] first");
	for (i = 0; i < c.nr; i++) {
		const struct mq_config_section *s = &c.sects[i];

		FUZZ_CHECK(s->line <= lines, "header line inside the input");
		FUZZ_CHECK(s->kind == MQ_SECT_GLOBAL ? !s->arg[0] : s->arg[0] != 0,
			   "section name");
		if (s->kind == MQ_SECT_NAME)	/* a kernel name or an altname */
			FUZZ_CHECK(mq_ifres_name_valid(s->arg), "interface name valid");
		for (k = 0; k < MQ_OPT_NR; k++) {
			if (!mq_opts_has(&s->opts, k))
				continue;
			FUZZ_CHECK(s->opts.line[k] > s->line && s->opts.line[k] <= lines,
				   "key line after its header");
			FUZZ_CHECK(s->kind == MQ_SECT_GLOBAL || !mq_opt_global_only(k),
				   "global-only key outside [global]");
		}
		check_resolve(&c, s->arg[0] ? s->arg : "eth0", s->arg,
			      s->kind == MQ_SECT_PCI ? s->arg : "");
	}
	check_resolve(&c, NULL, NULL, NULL);
	text = print_config(&c, &tlen, &long_value);
	mq_diag_clear(&d);
	if (!long_value) {
		FUZZ_CHECK(mq_config_parse(text, tlen, "g.conf", &again, &d) == 0,
			   "the canonical text parses");
		same_values(&c, &again);
		mq_config_fini(&again);
	}
	free(text);
	mq_config_fini(&c);
	free(buf);
	return 0;
}
