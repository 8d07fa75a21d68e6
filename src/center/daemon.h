/* SPDX-License-Identifier: MIT */
/* Telling the service manager (systemd) how a long-running command is. */
#ifndef MB_CENTER_DAEMON_H
#define MB_CENTER_DAEMON_H

#include <stddef.h>
#include <stdint.h>

/* The longest notification (a status line included). */
#define MB_DAEMON_MSG_MAX 512

/*
 * sd_notify(3) through libsystemd: each call is a no-op when the process
 * was not started by systemd with Type=notify (no $NOTIFY_SOCKET), or
 * when the build has no libsystemd. Only the main process may notify
 * (the unit says NotifyAccess=main): in serve, that is the signer
 * parent, which relays its worker's notifications (below).
 *
 *   ready      the service answers requests (status: a line for
 *              `systemctl status`)
 *   reloading  SIGHUP was received; ready follows when done
 *   stopping   shutting down
 *   watchdog   still alive; due every mb_daemon_watchdog_ms()
 */
void mb_daemon_ready(const char *status);
void mb_daemon_reloading(void);
void mb_daemon_stopping(void);
void mb_daemon_watchdog(void);

/*
 * How often to call mb_daemon_watchdog: half the unit's WatchdogSec,
 * or 0 when no watchdog is asked for.
 */
int64_t mb_daemon_watchdog_ms(void);

/*
 * serve's worker: from now on the calls above send their message over
 * fd (a SOCK_SEQPACKET socket to the signer parent) instead of to
 * systemd. The watchdog's period is the parent's to compute (systemd
 * names the main process in $WATCHDOG_PID): call mb_daemon_watchdog_ms
 * before forking.
 */
void mb_daemon_relay_to(int fd);

/*
 * The parent's side: sends msg (len bytes, from the worker) on to
 * systemd when every line of it is one the worker may send -- READY=1,
 * RELOADING=1, STOPPING=1, WATCHDOG=1, STATUS=<text> -- and it is at
 * most MB_DAEMON_MSG_MAX bytes; else sends nothing and returns -1.
 */
int mb_daemon_relay(const char *msg, size_t len);

#endif
