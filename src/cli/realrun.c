/*
 * realrun.c - what every command that writes (auto, restore) does around
 * its writes: root on a live system, the lock, and the signals held from
 * before the first write until the report is out.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "mqtune/apply.h"
#include "mqtune/cli.h"
#include "mqtune/lock.h"

int mq_cli_run_begin(struct mq_ctx *ctx, struct mq_cli_run *run,
		     const char *what, struct mq_diag *d)
{
	run->lock = -1;
	run->holding = false;
	if (ctx->dry_run)
		return 0;
	if (ctx->root.live && geteuid() != 0)
		return mq_diag_set(d, MQ_EXIT_PERM, EPERM,
				   "%s IRQ affinity, RPS/XPS and sysctls needs root "
				   "(--dry-run needs none)", what);
	run->lock = mq_lock_take(&ctx->root, ctx->wait_ms, d);
	if (run->lock < 0)
		return -1;
	ctx->root.finish_cuts = true;
	/*
	 * SIGTERM, SIGINT, SIGHUP and SIGQUIT wait until the run has
	 * reported: the apply ends complete or undone, and says so.  A
	 * signal that came meanwhile then ends the process after a
	 * successful run; after a failure main still prints the diagnostic
	 * and exits with its status.
	 */
	run->holding = mq_apply_hold_signals(&run->held) == 0;
	return 0;
}

void mq_cli_run_end(struct mq_ctx *ctx, struct mq_cli_run *run, int ret)
{
	mq_lock_release(run->lock);
	run->lock = -1;
	if (run->holding && ret == 0) {
		fflush(ctx->out);
		mq_apply_release_signals(&run->held);
	}
	run->holding = false;
}
