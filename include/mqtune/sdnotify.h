/*
 * sdnotify.h - tell systemd how a Type=notify service is doing.
 *
 * The protocol is one datagram to the AF_UNIX socket named by
 * $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace).
 * Without the variable (not started by systemd) it does nothing.
 */
#ifndef MQTUNE_SDNOTIFY_H
#define MQTUNE_SDNOTIFY_H

/*
 * Send @state ("READY=1", "STOPPING=1", "STATUS=...").  0 when sent or
 * when there is nobody to tell; -1 with errno when the send failed.
 */
int mq_sd_notify(const char *state);

#endif /* MQTUNE_SDNOTIFY_H */
