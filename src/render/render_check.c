/*
 * render_check.c - `mqtune check`: the drifted values as a table, as a
 * JSON document, or as Prometheus textfile-collector metrics.
 *
 * Every change of the plan is one drifted value: its object, what the
 * plan wants (the change's new display) and what was found (its old one).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mqtune/esc.h"
#include "mqtune/table.h"
#include "render_int.h"

/* Drifted values of interface @dev of the part (-1: the sysctls). */
static size_t drift_of(const struct mq_plan *plan, int dev)
{
	size_t i, n = 0;

	for (i = 0; i < plan->nr; i++)
		n += plan->changes[i].dev == dev;
	return n;
}

static const char *names_of(const struct mq_machine *m, char *buf, size_t cap)
{
	char esc[MQ_ESC_SIZE(IFNAMSIZ)];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < m->nr_netdevs && len + 1 < cap; i++) {
		int n = snprintf(buf + len, cap - len, "%s%s", i ? " " : "",
				 mq_esc_text(m->netdevs[i].name, esc, sizeof(esc)));

		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (len >= cap && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
	return buf;
}

int mq_render_check_text(FILE *f, const struct mq_check_report *rep)
{
	static const char *const header[] = { "OBJECT", "PLANNED", "FOUND" };
	const struct mq_plan *plan = rep->plan;
	char names[256];
	struct mq_table t;
	size_t i;
	int ret;

	names_of(rep->m, names, sizeof(names));
	if (!plan->nr) {
		fprintf(f, "%s%sas planned: no drift\n", names,
			names[0] ? ": " : "");
		return ferror(f) ? -1 : 0;
	}
	fprintf(f, "%s%s%zu value%s drifted from the plan:\n", names,
		names[0] ? ": " : "", plan->nr, plan->nr == 1 ? "" : "s");
	mq_table_init(&t, 3, header);
	for (i = 0; i < plan->nr; i++) {
		const struct mq_change *c = &plan->changes[i];
		const char *cells[3] = { c->object, c->new_display,
					 c->old_display };

		mq_table_add(&t, cells);
	}
	ret = mq_table_print(&t, f, "  ");
	mq_table_fini(&t);
	return ret || ferror(f) ? -1 : 0;
}

/* A display value as the JSON documents give CPU sets: "" when empty. */
static struct json_object *value_json(const struct mq_change *c,
				      const char *display)
{
	bool set = c->target != MQ_T_RPS_FLOW_CNT && c->target != MQ_T_SYSCTL &&
		   c->target != MQ_T_RSS;	/* a table's text as it is */

	return mq_json_str(set && strcmp(display, "-") == 0 ? "" : display);
}

static struct json_object *drift_json(const struct mq_check_report *rep,
				      const struct mq_change *c)
{
	struct json_object *o = json_object_new_object();

	mq_json_put(o, "object", mq_json_str(c->object));
	mq_json_put(o, "interface", c->dev >= 0 &&
		    (size_t)c->dev < rep->m->nr_netdevs ?
		    mq_json_str(rep->m->netdevs[c->dev].name) : NULL);
	mq_json_put(o, "path", mq_json_str(c->path));
	mq_json_put(o, "planned", value_json(c, c->new_display));
	mq_json_put(o, "found", value_json(c, c->old_display));
	return o;
}

static struct json_object *iface_json(const struct mq_check_report *rep,
				      size_t i)
{
	const struct mq_netdev *dev = &rep->m->netdevs[i];
	const struct mq_dev_placement *dp = &rep->pl->devs[i];
	struct json_object *o = json_object_new_object();
	struct json_object *homes = json_object_new_array();
	size_t q, n = drift_of(rep->plan, (int)i);

	mq_json_put(o, "name", mq_json_str(dev->name));
	mq_json_put(o, "drift", json_object_new_boolean(n > 0));
	mq_json_put(o, "drift_values", json_object_new_int64((int64_t)n));
	for (q = 0; q < dev->nr_rxq; q++)
		json_object_array_add(homes, mq_json_int_or_null(dp->home[q]));
	mq_json_put(o, "home_cpus", homes);
	return o;
}

int mq_render_check_json(FILE *f, const struct mq_check_report *rep)
{
	bool drift = rep->plan->nr > 0;
	struct mq_json_out out;
	size_t i;

	mq_render_json_begin(&out, f, rep->sysroot, rep->pretty);
	mq_json_out_member(&out, "drift", json_object_new_boolean(drift));
	mq_json_out_member(&out, "status", json_object_new_string(
				   mq_exit_name(drift ? MQ_EXIT_DRIFT : MQ_EXIT_OK)));
	mq_json_out_member(&out, "exit_code",
			   json_object_new_int64(drift ? MQ_EXIT_DRIFT : 0));
	mq_json_out_member(&out, "checked_at",
			   json_object_new_int64((int64_t)rep->timestamp));
	mq_json_out_array_begin(&out, "interfaces");
	for (i = 0; i < rep->m->nr_netdevs; i++)
		mq_json_out_item(&out, iface_json(rep, i));
	mq_json_out_array_end(&out);
	mq_json_out_array_begin(&out, "drifted");
	for (i = 0; i < rep->plan->nr; i++)
		mq_json_out_item(&out, drift_json(rep, &rep->plan->changes[i]));
	mq_json_out_array_end(&out);
	mq_json_out_array_begin(&out, "warnings");
	mq_render_warning_items(&out, &rep->pl->warnings);
	mq_json_out_array_end(&out);
	return mq_json_out_end(&out);
}

/*
 * A label value in the exposition format: backslash, double quote and
 * newline escaped; other control bytes, and bytes of a name that is not
 * UTF-8, as the text "\xNN" (with its backslash escaped).
 */
static void label(FILE *f, const char *s)
{
	bool utf8 = true;
	size_t i, n = strlen(s);

	for (i = 0; i < n && utf8;) {
		size_t k = mq_utf8_seq((const unsigned char *)s + i, n - i);

		utf8 = k > 0;
		i += k ? k : 1;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\\' || ch == '"')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && !utf8))
			fprintf(f, "\\\\x%02x", ch);
		else
			fputc(ch, f);
	}
}

static void head(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void iface_metric(FILE *f, const char *name, const char *ifname,
			 int64_t v)
{
	fprintf(f, "%s{interface=\"", name);
	label(f, ifname);
	fprintf(f, "\"} %" PRId64 "\n", v);
}

static bool sysctl_drift(const struct mq_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < plan->nr; i++)
		if (plan->changes[i].target == MQ_T_SYSCTL &&
		    strcmp(plan->changes[i].object, name) == 0)
			return true;
	return false;
}

int mq_render_check_prometheus(FILE *f, const struct mq_check_report *rep)
{
	static const char *const sysctls[] = { "net.core.netdev_max_backlog",
					       "net.core.rps_sock_flow_entries" };
	const struct mq_machine *m = rep->m;
	size_t i, q;

	head(f, "mqtune_drift", "1 when any value mqtune plans differs from the live state");
	fprintf(f, "mqtune_drift %d\n", rep->plan->nr > 0);
	head(f, "mqtune_drift_values",
	     "Values mqtune plans for the interface that differ from the live state");
	for (i = 0; i < m->nr_netdevs; i++)
		iface_metric(f, "mqtune_drift_values", m->netdevs[i].name,
			     (int64_t)drift_of(rep->plan, (int)i));
	head(f, "mqtune_sysctl_drift",
	     "1 when the machine-wide sysctl differs from the plan");
	for (i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++)
		fprintf(f, "mqtune_sysctl_drift{sysctl=\"%s\"} %d\n", sysctls[i],
			sysctl_drift(rep->plan, sysctls[i]));
	head(f, "mqtune_queue_home_cpu",
	     "The CPU the plan gives the rx queue as its home (IRQ and NET_RX)");
	for (i = 0; i < m->nr_netdevs; i++)
		for (q = 0; q < m->netdevs[i].nr_rxq; q++) {
			if (rep->pl->devs[i].home[q] < 0)
				continue;
			fputs("mqtune_queue_home_cpu{interface=\"", f);
			label(f, m->netdevs[i].name);
			fprintf(f, "\",queue=\"%zu\"} %d\n", q,
				rep->pl->devs[i].home[q]);
		}
	head(f, "mqtune_check_timestamp_seconds",
	     "When mqtune check ran (seconds since the epoch)");
	fprintf(f, "mqtune_check_timestamp_seconds %.0f\n", rep->timestamp);
	return ferror(f) ? -1 : 0;
}
