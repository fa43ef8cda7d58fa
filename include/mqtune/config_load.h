/*
 * config_load.h - reading the config file through struct mq_root.
 */
#ifndef MQTUNE_CONFIG_LOAD_H
#define MQTUNE_CONFIG_LOAD_H

#include "mqtune/config.h"
#include "mqtune/diag.h"
#include "mqtune/root.h"

/**
 * mq_config_load() - read and parse the config file.
 * @r: the root (live "/" or the --sysroot)
 * @file: NULL for MQ_CONFIG_DEFAULT below @r, where a missing file is an
 *	empty config; or the --config FILE, a path on the host (relative to
 *	the current directory, never below the sysroot), which must exist
 *
 * Only a regular file of at most MQ_CONFIG_MAX_BYTES is read (opened
 * O_NONBLOCK, like every read of the root).  Messages name the file as
 * given, or SYSROOT/etc/mqtune.conf in a snapshot.
 * Return: 0 with @out filled (mq_config_fini), or -1 with @d: status
 * MQ_EXIT_CONFIG (unreadable, too large, not regular, any parse error).
 */
int mq_config_load(const struct mq_root *r, const char *file,
		   struct mq_config *out, struct mq_diag *d);

#endif /* MQTUNE_CONFIG_LOAD_H */
