/*
 * render_config.c - `mqtune config`: per interface, each option's value
 * and where it came from (the default, FILE:LINE, the command line).
 */
#include "mqtune/render_config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/esc.h"
#include "mqtune/json.h"
#include "mqtune/table.h"
#include "render_int.h"

static const char *pci_of(const struct mq_netdev *dev)
{
	return strcmp(dev->bus, "pci") == 0 ? dev->bus_address : "";
}

/* The text of a value (malloc'd); an unset CPU list says what it means. */
static char *value_text(const struct mq_resolved *r, enum mq_opt k)
{
	char *t = mq_opt_text(r->from[k], k);

	if (t && !t[0]) {
		free(t);
		t = strdup(k == MQ_OPT_CPUS ? "all" : "none");
	}
	return t;
}

static void add_rows(struct mq_table *t, const struct mq_config *cfg,
		     const struct mq_resolved *r, bool global)
{
	int k;

	for (k = 0; k < MQ_OPT_NR; k++) {
		char src[600], hdr[160], both[800], *val;
		const char *cells[3];

		if (mq_opt_global_only(k) != global)
			continue;
		val = value_text(r, k);
		mq_resolved_source(r, cfg, k, src, sizeof(src));
		if (r->kind[k] == MQ_SRC_FILE) {
			snprintf(both, sizeof(both), "%s %s", src,
				 mq_sect_header(r->sect[k], hdr, sizeof(hdr)));
			cells[2] = both;
		} else {
			cells[2] = src;
		}
		cells[0] = mq_opt_name(k);
		cells[1] = val ? val : "?";
		mq_table_add(t, cells);
		free(val);
	}
}

static int print_table(FILE *f, const struct mq_config *cfg,
		       const struct mq_resolved *r, bool global)
{
	static const char *const head[] = { "OPTION", "VALUE", "FROM" };
	struct mq_table t;
	int ret;

	mq_table_init(&t, 3, head);
	add_rows(&t, cfg, r, global);
	ret = mq_table_print(&t, f, "  ");
	mq_table_fini(&t);
	return ret;
}

/* The non-global sections that match @dev, in file order. */
static void print_matches(FILE *f, const struct mq_config *cfg,
			  const struct mq_netdev *dev)
{
	char hdr[160], esc[MQ_ESC_SIZE(160)];
	size_t i;
	int n = 0;

	for (i = 0; i < cfg->nr; i++) {
		const struct mq_config_section *s = &cfg->sects[i];

		if (s->kind == MQ_SECT_GLOBAL ||
		    !mq_config_section_applies(cfg, s, dev->name, dev->driver,
					       pci_of(dev)))
			continue;
		fprintf(f, "%s%s (line %u)", n++ ? ", " : "  sections: ",
			mq_esc_text(mq_sect_header(s, hdr, sizeof(hdr)), esc,
				    sizeof(esc)), s->line);
	}
	fprintf(f, "%s\n", n ? "" : "  sections: none (only [global] applies)");
}

int mq_render_config_text(FILE *f, const struct mq_config_report *rep)
{
	const struct mq_config *cfg = rep->cfg;
	char esc[MQ_ESC_SIZE(2 * MQ_DIAG_MSG_MAX)];
	size_t i;
	int ret = 0;

	fprintf(f, "config file: %s%s\n",
		mq_esc_text(cfg->file ? cfg->file : "-", esc, sizeof(esc)),
		cfg->present ? "" : " (not present: every option at its default)");
	fprintf(f, "\nglobal:\n");
	ret |= print_table(f, cfg, &rep->global, true);
	for (i = 0; i < rep->nr; i++) {
		const struct mq_netdev *dev = rep->devs[i];
		char e1[MQ_ESC_SIZE(IFNAMSIZ)], e2[MQ_ESC_SIZE(64)];

		fprintf(f, "\n%s: driver %s", mq_esc_text(dev->name, e1, sizeof(e1)),
			dev->driver[0] ? mq_esc_text(dev->driver, e2, sizeof(e2)) : "-");
		if (pci_of(dev)[0])
			fprintf(f, ", pci %s", mq_esc_text(pci_of(dev), e2, sizeof(e2)));
		fprintf(f, "\n");
		print_matches(f, cfg, dev);
		ret |= print_table(f, cfg, &rep->res[i], false);
	}
	return ret ? -1 : 0;
}

static struct json_object *option_json(const struct mq_config *cfg,
				       const struct mq_resolved *r,
				       enum mq_opt k)
{
	struct json_object *o = json_object_new_object();
	char *val, hdr[160];
	static const char *const kinds[] = {
		[MQ_SRC_DEFAULT] = "default", [MQ_SRC_FILE] = "file",
		[MQ_SRC_CMDLINE] = "command-line",
	};
	bool file = r->kind[k] == MQ_SRC_FILE;

	if (!o)
		return NULL;
	val = mq_opt_text(r->from[k], k);
	mq_json_put(o, "value", val && val[0] ? mq_json_str(val) : NULL);
	free(val);
	mq_json_put(o, "source", json_object_new_string(kinds[r->kind[k]]));
	mq_json_put(o, "file", file ? mq_json_str(cfg->file) : NULL);
	mq_json_put(o, "line", file ? json_object_new_int64(r->line[k]) : NULL);
	mq_json_put(o, "section", file ? mq_json_str(mq_sect_header(r->sect[k], hdr,
								 sizeof(hdr))) : NULL);
	return o;
}

static struct json_object *options_json(const struct mq_config *cfg,
					const struct mq_resolved *r, bool global)
{
	struct json_object *o = json_object_new_object();
	int k;

	for (k = 0; o && k < MQ_OPT_NR; k++)
		if (mq_opt_global_only(k) == global)
			mq_json_put(o, mq_opt_name(k), option_json(cfg, r, k));
	return o;
}

static struct json_object *dev_json(const struct mq_config *cfg,
				    const struct mq_netdev *dev,
				    const struct mq_resolved *r)
{
	struct json_object *o = json_object_new_object(), *sects;
	size_t i;

	if (!o)
		return NULL;
	mq_json_put(o, "name", mq_json_str(dev->name));
	mq_json_put(o, "driver", dev->driver[0] ? mq_json_str(dev->driver) : NULL);
	mq_json_put(o, "pci", pci_of(dev)[0] ? mq_json_str(pci_of(dev)) : NULL);
	mq_json_put(o, "named", json_object_new_boolean(
			    mq_config_matches_netdev(cfg, dev)));
	sects = json_object_new_array();
	for (i = 0; sects && i < cfg->nr; i++) {
		const struct mq_config_section *s = &cfg->sects[i];
		struct json_object *j;

		if (s->kind == MQ_SECT_GLOBAL ||
		    !mq_config_section_applies(cfg, s, dev->name, dev->driver,
					       pci_of(dev)))
			continue;
		j = json_object_new_object();
		mq_json_put(j, "kind", json_object_new_string(mq_sect_kind_name(s->kind)));
		mq_json_put(j, "match", mq_json_str(s->arg));
		mq_json_put(j, "line", json_object_new_int64(s->line));
		json_object_array_add(sects, j);
	}
	mq_json_put(o, "sections", sects);
	mq_json_put(o, "options", options_json(cfg, r, false));
	return o;
}

int mq_render_config_json(FILE *f, const struct mq_config_report *rep,
			  bool pretty)
{
	const struct mq_config *cfg = rep->cfg;
	struct mq_json_out out;
	struct json_object *file = json_object_new_object();
	size_t i;

	mq_render_json_begin(&out, f, rep->sysroot, pretty);
	if (file) {
		mq_json_put(file, "path", cfg->file ? mq_json_str(cfg->file) : NULL);
		mq_json_put(file, "present", json_object_new_boolean(cfg->present));
		mq_json_put(file, "names_interfaces", json_object_new_boolean(
				    mq_config_names_interfaces(cfg)));
	}
	mq_json_out_member(&out, "config", file);
	mq_json_out_member(&out, "global", options_json(cfg, &rep->global, true));
	mq_json_out_array_begin(&out, "interfaces");
	for (i = 0; i < rep->nr; i++)
		mq_json_out_item(&out, dev_json(cfg, rep->devs[i], &rep->res[i]));
	mq_json_out_array_end(&out);
	return mq_json_out_end(&out);
}
