/*
 * cmd_watch.c - `mqtune watch [IFACE...|--all]`: apply the plan, then
 * keep it applied, woken only by the kernel.
 *
 * It subscribes to link and ethtool notifications (events.h) before the
 * first apply, so that nothing happening meanwhile is missed, then sleeps
 * in poll(2) with no timeout.  Relevant events are settled into one heal
 * (settle.h); a heal is an `auto` of the same interfaces under the same
 * lock: the machine-wide plan again, and only the values that drifted
 * rewritten.  After a heal the plan is checked once more after the settle
 * delay while the vectors may still be moving (a driver re-requesting
 * them after a channel change); it stops when a check finds nothing to
 * rewrite, or after MQ_WATCH_RECHECKS rounds.  A heal that fails is
 * retried with a growing delay (up to a minute) and reported at most
 * once a minute.
 *
 * Signals come through a signalfd: SIGTERM and SIGINT end the watch
 * (exit 0; the lock is only held during a heal), SIGHUP heals everything
 * again (the config file is read at every heal).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mqtune/apply.h"
#include "mqtune/cli.h"
#include "mqtune/esc.h"
#include "mqtune/events.h"
#include "mqtune/lock.h"
#include "mqtune/root.h"
#include "mqtune/sdnotify.h"
#include "mqtune/settle.h"

#include "pipeline.h"

#define MQ_WATCH_SETTLE_MS	250	/* quiet time before a heal */
#define MQ_WATCH_SETTLE_MAX_MS	2000	/* longest wait after an event */
#define MQ_WATCH_RECHECKS	8	/* checks after a heal, at most */
#define MQ_WATCH_RETRY_MAX_MS	60000	/* longest delay between retries */
#define MQ_WATCH_REPORT_MS	60000	/* a failure is said once a minute */

struct watch {
	struct mq_ctx *ctx;
	struct mq_events *ev;
	struct mq_settle settle;
	int sigfd;
	int64_t event_ms;		/* first event of the pending heal */
	unsigned int rechecks;		/* left for the current burst */
	unsigned int retry_ms;		/* delay of the next retry, 0 none */
	int64_t last_report_ms;		/* of a failure, -1 never */
	size_t suppressed;		/* failures not said since then */
	char (*names)[IFNAMSIZ];	/* the set of the last heal, owned */
	size_t nr_names;
	const char *const *given;	/* the names on the command line */
	size_t nr_given;
	const char **present;		/* owned: those that exist now */
};

/*
 * The named interfaces that exist now become ctx->ifnames: one that went
 * away (a driver unloaded, a VF removed) is left out until it is back,
 * rather than failing every heal.  Returns how many.
 */
static size_t present_names(struct watch *w)
{
	struct mq_ctx *ctx = w->ctx;
	size_t i, n = 0;

	for (i = 0; i < w->nr_given; i++)	/* a name or an altname */
		if (mq_managed_name_present(ctx, w->given[i]))
			w->present[n++] = w->given[i];
	ctx->ifnames = w->present;
	ctx->nr_ifnames = n;
	return n;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What one heal did. */
struct heal {
	size_t drifted;		/* values that differed from the plan */
	size_t rewritten;	/* of those, written */
	size_t nr_ifaces;	/* interfaces of the set */
	bool touched;		/* a trigger concerned an interface of it */
};

static bool in_set(const struct watch *w, const char *name)
{
	size_t i;

	for (i = 0; i < w->nr_names; i++)
		if (strcmp(w->names[i], name) == 0)
			return true;
	return false;
}

/* Remember the interfaces of @pp, to tell later events apart. */
static void remember_set(struct watch *w, const struct mq_pipeline *pp)
{
	void *p = realloc(w->names, (pp->set.nr ? pp->set.nr : 1) * IFNAMSIZ);

	if (!p)
		return;		/* keep the old list: events still heal */
	w->names = p;
	memcpy(w->names, pp->set.names, pp->set.nr * IFNAMSIZ);
	w->nr_names = pp->set.nr;
}

/* Seed the schedule with the links discovered, so that their next event
 * is not an appearance. */
static void seed_links(struct watch *w, const struct mq_machine *m)
{
	size_t i;

	for (i = 0; i < m->nr_netdevs; i++) {
		const struct mq_netdev *nd = &m->netdevs[i];

		mq_settle_seed(&w->settle, nd->ifindex, nd->name,
			       strcmp(nd->operstate, "up") == 0);
	}
}

/*
 * Whether the triggers concern the set: an interface of it (by the name
 * the event carried, or by the set of the last heal for one that is gone
 * or renamed), or lost events.
 */
static bool concerns(const struct watch *w, const struct mq_pipeline *pp,
		     const struct mq_trigger *t, size_t n)
{
	size_t i, k;

	if (!t)		/* start, SIGHUP, a retry or a re-check */
		return true;
	for (i = 0; i < n; i++) {
		if (t[i].why & MQ_WHY_LOST)
			return true;
		if (in_set(w, t[i].ifname))
			return true;
		for (k = 0; k < pp->set.nr; k++)
			if (strcmp(pp->set.names[k], t[i].ifname) == 0)
				return true;
	}
	return false;
}

static void count_plan(const struct mq_plan *plan, struct heal *h)
{
	size_t i;

	h->drifted = plan->nr;
	for (i = 0; i < plan->nr; i++)
		h->rewritten += plan->changes[i].state == MQ_CH_APPLIED;
}

/*
 * One heal: the lock, the pipeline (apply unless @check_only), the
 * counts.  0, or -1 with @d.
 */
static int heal_once(struct watch *w, const struct mq_trigger *t, size_t n,
		     bool check_only, struct heal *h, struct mq_diag *d)
{
	struct mq_ctx *ctx = w->ctx;
	struct mq_pipeline pp;
	int lock, ret;

	memset(h, 0, sizeof(*h));
	if (w->nr_given && !present_names(w))
		return 0;		/* none of the named interfaces exists */
	lock = check_only ? -1 : mq_lock_take(&ctx->root, ctx->wait_ms, d);
	if (!check_only && lock < 0)
		return -1;
	ctx->root.finish_cuts = !check_only;
	ret = mq_pipeline_discover(ctx, !w->nr_given, !check_only, &pp, d);
	if (ret) {
		mq_lock_release(lock);
		return -1;
	}
	h->nr_ifaces = pp.set.nr;
	h->touched = concerns(w, &pp, t, n);
	if (h->touched) {
		ret = mq_pipeline_apply(ctx, &pp, !check_only, d);
		if (pp.planned)
			count_plan(&pp.plan, h);
		mq_pipeline_unplan(&pp);
		remember_set(w, &pp);
		seed_links(w, pp.m);
	}
	mq_pipeline_fini(&pp);
	mq_lock_release(lock);
	return ret;
}

/* The names and reasons of the triggers: "eth0 (channels), eth1 (link-up)". */
static void describe(const struct mq_trigger *t, size_t n, const char *what,
		     char *buf, size_t cap)
{
	size_t i, len = 0;

	buf[0] = '\0';
	if (!t) {
		snprintf(buf, cap, "%s", what);
		return;
	}
	for (i = 0; i < n && len + 1 < cap; i++) {
		char why[96], name[MQ_ESC_SIZE(IFNAMSIZ)];
		int k;

		mq_why_text(t[i].why, why, sizeof(why));
		mq_esc_text(t[i].ifname[0] ? t[i].ifname : "(all)", name, sizeof(name));
		k = snprintf(buf + len, cap - len, "%s%s (%s)", i ? ", " : "",
			     name, why);
		if (k < 0)
			break;
		len += (size_t)k < cap - len ? (size_t)k : cap - len - 1;
	}
}

static void log_heal(struct watch *w, const char *cause, const struct heal *h,
		     int64_t ms)
{
	struct mq_ctx *ctx = w->ctx;

	if (ctx->json) {
		fprintf(ctx->out,
			"{\"event\":\"heal\",\"cause\":\"%s\",\"interfaces\":%zu,"
			"\"drifted\":%zu,\"rewritten\":%zu,\"ms\":%" PRId64 "}\n",
			cause, h->nr_ifaces, h->drifted, h->rewritten, ms);
		fflush(ctx->out);
		return;
	}
	fprintf(ctx->err, "mqtune: watch: %s: %zu value%s drifted, %zu rewritten, "
		"%" PRId64 " ms after the event\n", cause, h->drifted,
		h->drifted == 1 ? "" : "s", h->rewritten, ms);
}

static void log_failure(struct watch *w, const char *cause,
			const struct mq_diag *d)
{
	struct mq_ctx *ctx = w->ctx;
	int64_t now = now_ms();

	if (w->last_report_ms >= 0 && now - w->last_report_ms < MQ_WATCH_REPORT_MS) {
		w->suppressed++;
		return;
	}
	fprintf(ctx->err, "mqtune: watch: %s: %s (retrying in %u s%s)\n", cause,
		d->msg, w->retry_ms / 1000,
		w->suppressed ? "; earlier failures not repeated" : "");
	w->last_report_ms = now;
	w->suppressed = 0;
}

/*
 * Heal for @t (NULL: everything, named by @what), then schedule what
 * follows: a re-check while values keep drifting, a retry after a
 * failure.
 */
static void heal(struct watch *w, struct mq_trigger *t, size_t n,
		 const char *what, bool always_log)
{
	char cause[256];
	struct mq_diag d = { 0 };
	struct heal h;
	int64_t started = w->event_ms >= 0 ? w->event_ms : now_ms();

	describe(t, n, what, cause, sizeof(cause));
	if (heal_once(w, t, n, false, &h, &d)) {
		w->retry_ms = w->retry_ms ? w->retry_ms * 2 : 1000;
		if (w->retry_ms > MQ_WATCH_RETRY_MAX_MS)
			w->retry_ms = MQ_WATCH_RETRY_MAX_MS;
		log_failure(w, cause, &d);
		return;
	}
	if (w->retry_ms && w->last_report_ms >= 0)
		fprintf(w->ctx->err, "mqtune: watch: %s: healed again\n", cause);
	w->retry_ms = 0;
	/* values kept moving: look again once things settle (a bounded
	 * number of times); nothing to do, or nothing drifted: done */
	w->rechecks = h.touched && h.drifted && w->rechecks ? w->rechecks - 1 : 0;
	if (!h.touched)
		return;
	if (h.drifted || always_log)
		log_heal(w, cause, &h, now_ms() - started);
}

/* The signals an apply holds, read through a signalfd instead. */
static int open_signals(sigset_t *old)
{
	sigset_t set;

	mq_apply_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, old))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/*
 * SIGHUP: read the config file again.  A bad new file is said and the
 * previous configuration kept, so a typo never stops the watch.
 */
static void reload_config(struct watch *w)
{
	struct mq_ctx *ctx = w->ctx;
	struct mq_config old = ctx->config;
	struct mq_diag d = { 0 };

	memset(&ctx->config, 0, sizeof(ctx->config));
	ctx->config_loaded = false;
	if (mq_cli_config(ctx, &d)) {
		fprintf(ctx->err, "mqtune: watch: %s; keeping the previous configuration\n",
			d.msg);
		mq_config_fini(&ctx->config);
		ctx->config = old;
		ctx->config_loaded = true;
		return;
	}
	mq_config_fini(&old);
}

/* 1: keep going, 0: a signal to stop; SIGHUP schedules a full heal. */
static int take_signals(struct watch *w, bool *full)
{
	struct signalfd_siginfo si;

	while (read(w->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			*full = true;
		else
			return 0;
	}
	return 1;
}

static int note_event(const struct mq_event *e, void *arg)
{
	struct watch *w = arg;
	int64_t now = now_ms();

	if (mq_settle_note(&w->settle, e, now) == 1) {
		if (w->event_ms < 0)
			w->event_ms = now;
		w->rechecks = MQ_WATCH_RECHECKS;
	}
	return 0;
}

/* poll(2) timeout: the settle schedule, a pending re-check or retry. */
static int next_timeout(const struct watch *w, int64_t now, int64_t wake_ms)
{
	int t = mq_settle_timeout(&w->settle, now);
	int64_t left;

	if (wake_ms < 0)
		return t;
	left = wake_ms > now ? wake_ms - now : 0;
	if (left > 0x7fffffff)
		left = 0x7fffffff;
	return t < 0 || left < t ? (int)left : t;
}

static int watch_loop(struct watch *w, struct mq_diag *d)
{
	/* re-check or retry, -1 none (the start's heal may have failed) */
	int64_t wake_ms = w->retry_ms ? now_ms() + w->retry_ms : -1;

	for (;;) {
		struct pollfd fds[3];
		size_t nfds = mq_events_pollfds(w->ev, fds);
		bool full = false;
		int64_t now;

		fds[nfds++] = (struct pollfd){ .fd = w->sigfd, .events = POLLIN };
		if (poll(fds, nfds, next_timeout(w, now_ms(), wake_ms)) < 0 &&
		    errno != EINTR)
			return mq_diag_set(d, MQ_EXIT_SYSTEM, errno, "watch: poll: %s",
					   strerror(errno));
		if (!take_signals(w, &full))
			return 0;
		if (mq_events_drain(w->ev, note_event, w, d))
			return -1;
		now = now_ms();
		if (full) {
			reload_config(w);
			w->event_ms = now;
			heal(w, NULL, 0, "reload (SIGHUP)", true);
		} else if (mq_settle_due(&w->settle, now)) {
			struct mq_trigger *t = NULL;
			size_t n = mq_settle_take(&w->settle, &t);

			heal(w, t, n, "events", false);
			free(t);
		} else if (wake_ms >= 0 && now >= wake_ms) {
			heal(w, NULL, 0, w->retry_ms ? "retry" : "re-check", false);
		} else {
			continue;
		}
		w->event_ms = -1;
		wake_ms = w->retry_ms ? now_ms() + w->retry_ms :
			  w->rechecks ? now_ms() + MQ_WATCH_SETTLE_MS : -1;
	}
}

int mq_cmd_watch(struct mq_ctx *ctx, struct mq_diag *d)
{
	struct watch w = { .ctx = ctx, .sigfd = -1, .event_ms = -1,
			   .last_report_ms = -1 };
	sigset_t old;
	int ret;

	if (ctx->dry_run)
		return mq_diag_set(d, MQ_EXIT_USAGE, EINVAL,
				   "watch: --dry-run is an option of auto "
				   "(check says what drifted)");
	if (mq_cli_all_or_names(ctx, "watch", d))
		return -1;
	if (ctx->root.live && geteuid() != 0)
		return mq_diag_set(d, MQ_EXIT_PERM, EPERM,
				   "watch changes IRQ affinity, RPS/XPS and sysctls: "
				   "it needs root");
	if (mq_cli_config(ctx, d))	/* a bad file: status 13 before anything */
		return -1;
	w.given = ctx->ifnames;
	w.nr_given = ctx->nr_ifnames;
	w.present = calloc(w.nr_given ? w.nr_given : 1, sizeof(*w.present));
	if (!w.present)
		return mq_diag_set(d, MQ_EXIT_FAILURE, ENOMEM, "out of memory");
	w.sigfd = open_signals(&old);
	if (w.sigfd < 0) {
		free(w.present);
		return mq_diag_set(d, MQ_EXIT_SYSTEM, errno, "watch: signalfd: %s",
				   strerror(errno));
	}
	mq_settle_init(&w.settle, MQ_WATCH_SETTLE_MS, MQ_WATCH_SETTLE_MAX_MS);
	ret = mq_events_open(&w.ev, d);
	if (!ret) {
		if (!mq_events_ethtool(w.ev))
			fprintf(ctx->err, "mqtune: watch: this kernel has no ethtool "
				"netlink monitor group: channel changes are seen only "
				"through the link events they cause\n");
		heal(&w, NULL, 0, "start", true);
		w.event_ms = -1;
		mq_sd_notify("READY=1");
		ret = watch_loop(&w, d);
		mq_sd_notify("STOPPING=1");
	}
	mq_events_close(w.ev);
	mq_settle_fini(&w.settle);
	free(w.names);
	ctx->ifnames = w.given;
	ctx->nr_ifnames = w.nr_given;
	free(w.present);
	close(w.sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ctx->reported = true;
	return ret;
}
