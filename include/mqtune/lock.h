/*
 * lock.h - one mqtune changing the system at a time.
 */
#ifndef MQTUNE_LOCK_H
#define MQTUNE_LOCK_H

#include "mqtune/diag.h"
#include "mqtune/root.h"

#define MQ_LOCK_PATH "/run/mqtune.lock"

/**
 * mq_lock_take() - take the exclusive lock on /run/mqtune.lock (below the
 * sysroot when one is given), waiting up to @wait_ms for another mqtune
 * to finish.  Return: an fd to pass to mq_lock_release(), or -1 with @d
 * set (MQ_EXIT_LOCKED naming the holder's pid when known).
 */
int mq_lock_take(const struct mq_root *r, long wait_ms, struct mq_diag *d);
void mq_lock_release(int fd);

#endif /* MQTUNE_LOCK_H */
